//! Languages and time zones (issue 17): a user's own language and time zone (`users.locale`,
//! `users.timezone`: none means as their browser asks), and the workspace's default
//! language (`tenants.default_locale`: for readers with no preference and no browser to ask,
//! such as the failed-action email's configured recipients).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds columns one statement at a time.
        for column in [
            string_len_null("locale", 8),
            string_len_null("timezone", 64),
        ] {
            manager
                .alter_table(Table::alter().table("users").add_column(column).to_owned())
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table("tenants")
                    .add_column(string_len("default_locale", 8).default("en"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("tenants")
                    .drop_column("default_locale")
                    .to_owned(),
            )
            .await?;
        for column in ["timezone", "locale"] {
            manager
                .alter_table(Table::alter().table("users").drop_column(column).to_owned())
                .await?;
        }
        Ok(())
    }
}
