//! Messages of a live conversation, numbered per conversation (`seq` from 1, no gaps), and
//! how each offer reached its agent, and what a conversation needs to hand out those numbers and to notice it went idle: the last
//! number given (`last_seq`) and when either side last wrote (`last_activity_at`).
//!
//! `(conversation_id, sender, client_id)` is unique so that a client retrying a message it
//! sent (its acknowledgement was lost) gets the stored one back instead of a copy.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds columns one at a time.
        for column in [
            big_integer("last_seq").default(0).to_owned(),
            timestamp_with_time_zone_null("last_activity_at"),
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
        // How an offer reached its agent (`inbox`: an open inbox acknowledged it), and when.
        for column in [
            timestamp_with_time_zone_null("delivered_at"),
            string_null("delivered_via"),
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
        manager
            .create_table(
                Table::create()
                    .table("messages")
                    .col(pk_uuid("id"))
                    .col(uuid("tenant_id"))
                    .col(uuid("conversation_id"))
                    .col(big_integer("seq"))
                    .col(string("sender"))
                    .col(uuid_null("author_id"))
                    .col(text("body"))
                    .col(string_null("client_id"))
                    .col(timestamp_with_time_zone("sent_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_messages_conversation_id")
                            .from("messages", "conversation_id")
                            .to("conversations", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("messages_conversation_seq")
                    .table("messages")
                    .col("conversation_id")
                    .col("seq")
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("messages_client_id")
                    .table("messages")
                    .col("conversation_id")
                    .col("sender")
                    .col("client_id")
                    .unique()
                    .to_owned(),
            )
            .await?;
        // Chats live before this migration start their idle clock now.
        manager
            .get_connection()
            .execute_unprepared(
                "UPDATE conversations SET last_activity_at = updated_at \
                 WHERE status = 'live' AND last_activity_at IS NULL",
            )
            .await?;
        // Room on each page for the new versions of a row that every message rewrites, so they
        // stay on the page (PostgreSQL only; SQLite rewrites rows in place).
        if manager.get_database_backend() == sea_orm_migration::sea_orm::DatabaseBackend::Postgres {
            manager
                .get_connection()
                .execute_unprepared("ALTER TABLE conversations SET (fillfactor = 80)")
                .await?;
        }
        // By status only: every message updates `last_seq` and `last_activity_at`, and keeping
        // them out of every index lets PostgreSQL update the row in place (HOT) instead of
        // adding index entries at each message. The idle scan reads the live rows and filters.
        manager
            .create_index(
                Index::create()
                    .name("conversations_status")
                    .table("conversations")
                    .col("status")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("conversations_status")
                    .table("conversations")
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table("messages").to_owned())
            .await?;
        for column in ["delivered_via", "delivered_at"] {
            manager
                .alter_table(
                    Table::alter()
                        .table("offers")
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        for column in ["last_activity_at", "last_seq"] {
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
