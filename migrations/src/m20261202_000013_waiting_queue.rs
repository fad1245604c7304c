//! The waiting queue (SPEC §12.1): a visitor whose live-chat card says `when_busy: "queue"`
//! waits for a free agent instead of getting the fallback.
//!
//! `conversations.queue_max_wait_seconds`: how long this visitor may wait (null: the card
//! falls back instead of queueing). `queue_target`: the routing target whose queue they wait
//! in (`all`, `team:<id>`, `agent:<id>`). `queued_at`: when they started waiting (their place
//! in the queue, kept across retries and rebuilds). `queue_deadline`: when waiting becomes
//! the `queue_timeout` fallback.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite alters one column per statement.
        for column in [
            integer_null("queue_max_wait_seconds"),
            string_null("queue_target"),
            timestamp_with_time_zone_null("queued_at"),
            timestamp_with_time_zone_null("queue_deadline"),
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
            .create_index(
                Index::create()
                    .name("conversations_queue_deadline")
                    .table("conversations")
                    .col("status")
                    .col("queue_deadline")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("conversations_queue_deadline")
                    .table("conversations")
                    .to_owned(),
            )
            .await?;
        for column in [
            "queue_deadline",
            "queued_at",
            "queue_target",
            "queue_max_wait_seconds",
        ] {
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
