//! Each user's notification preferences (SPEC §6): the inbox's sound, browser notifications,
//! and email for missed chats. All on by default.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

const COLUMNS: [&str; 3] = ["notify_sound", "notify_browser", "notify_email"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds columns one at a time.
        for name in COLUMNS {
            manager
                .alter_table(
                    Table::alter()
                        .table("users")
                        .add_column(boolean(name).default(true))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for name in COLUMNS {
            manager
                .alter_table(Table::alter().table("users").drop_column(name).to_owned())
                .await?;
        }
        Ok(())
    }
}
