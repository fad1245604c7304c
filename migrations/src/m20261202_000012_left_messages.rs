//! A visitor's journey without a dead end (SPEC §12.2).
//!
//! `conversations.visitor_id`: the visitor a conversation belongs to, shared by every
//! conversation a visitor starts with the same token (`new_conversation`), so agents and
//! admins see a visitor's earlier conversations. A conversation that existed before is its
//! own visitor's first (its id).
//!
//! `conversations.left_message_*`: the message a visitor left after a fallback (name,
//! email, text, when). One per conversation.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

const LEFT: [&str; 4] = [
    "left_message_name",
    "left_message_email",
    "left_message_body",
    "left_message_at",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds columns one at a time.
        for column in [
            uuid_null("visitor_id"),
            string_null(LEFT[0]),
            string_null(LEFT[1]),
            text_null(LEFT[2]),
            timestamp_with_time_zone_null(LEFT[3]),
        ] {
            let mut column = column;
            manager
                .alter_table(
                    Table::alter()
                        .table("conversations")
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .exec_stmt(
                Query::update()
                    .table("conversations")
                    .value("visitor_id", Expr::col("id"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("conversations_visitor_id")
                    .table("conversations")
                    .col("tenant_id")
                    .col("visitor_id")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("conversations_visitor_id")
                    .table("conversations")
                    .to_owned(),
            )
            .await?;
        for column in ["visitor_id", LEFT[0], LEFT[1], LEFT[2], LEFT[3]] {
            manager
                .alter_table(
                    Table::alter()
                        .table("conversations")
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
