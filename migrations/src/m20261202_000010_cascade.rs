//! Offers that cascade and agents who miss them (SPEC §12.1).
//!
//! `tenants.offer_attempts`: how many different agents one live-chat request may be offered;
//! null until an admin sets it (the plan's default applies).
//! `tenants.away_after_missed_offers`: after that many offers in a row expire unanswered the
//! agent is set away (0: never).
//! `users.missed_offers`: the agent's current run of offers that expired unanswered; an
//! answer or a change of availability starts it again.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite alters one column per statement.
        manager
            .alter_table(
                Table::alter()
                    .table("tenants")
                    .add_column(integer_null("offer_attempts"))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("tenants")
                    .add_column(integer("away_after_missed_offers").default(2))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("users")
                    .add_column(integer("missed_offers").default(0))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (table, column) in [
            ("users", "missed_offers"),
            ("tenants", "away_after_missed_offers"),
            ("tenants", "offer_attempts"),
        ] {
            manager
                .alter_table(Table::alter().table(table).drop_column(column).to_owned())
                .await?;
        }
        Ok(())
    }
}
