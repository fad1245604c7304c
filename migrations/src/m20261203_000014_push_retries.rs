//! A push is retried until its offer's deadline (issue 14). `offers.push_attempts`: how many
//! times Web Push was tried for the offer. `offers.push_next_at`: when the next try is due
//! (null: at once). `push_claimed_at` becomes a lease: a node that took the offer and died is
//! relieved of it once the lease is over.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite alters one column per statement.
        for column in [
            integer("push_attempts").default(0).to_owned(),
            timestamp_with_time_zone_null("push_next_at"),
        ] {
            let mut column = column;
            manager
                .alter_table(
                    Table::alter()
                        .table("offers")
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in ["push_next_at", "push_attempts"] {
            manager
                .alter_table(
                    Table::alter()
                        .table("offers")
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
