//! Tokens can be revoked at once (issue 15): `token_generation` of a user or operator is in
//! every access token issued to them; logging out, a password change or disabling the
//! account moves it on, and a token of an earlier generation is refused.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["users", "operators"] {
            manager
                .alter_table(
                    Table::alter()
                        .table(table)
                        .add_column(big_integer("token_generation").default(0).to_owned())
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["users", "operators"] {
            manager
                .alter_table(
                    Table::alter()
                        .table(table)
                        .drop_column("token_generation")
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
