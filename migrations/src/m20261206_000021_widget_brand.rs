//! The widget's look and languages (issue 17): its colour (`#rrggbb`), title and greeting
//! (none: the built-in title, no greeting), the launcher's corner, whether agents' photos
//! show, and the languages it speaks to visitors (`en,fr`).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds columns one statement at a time.
        for column in [
            string_len("widget_color", 7).default("#1d4ed8").to_owned(),
            string_len_null("widget_title", 240),
            text_null("widget_greeting"),
            string_len("widget_position", 8).default("right").to_owned(),
            boolean("widget_agent_photos").default(true).to_owned(),
            string_len("widget_locales", 32).default("en,fr").to_owned(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table("tenants")
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            "widget_locales",
            "widget_agent_photos",
            "widget_position",
            "widget_greeting",
            "widget_title",
            "widget_color",
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table("tenants")
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
