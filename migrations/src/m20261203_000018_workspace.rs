//! The agent's workspace (issue 16): internal notes are messages of their own `kind`
//! (`messages.kind`: `message` or `note`; notes never reach a visitor), canned responses
//! (tenant-wide or one agent's, by `owner_key`: `tenant` or the user's id, so a shortcut is
//! unique within its scope on both databases), and the visitor's rating of a chat
//! (`conversations.rating_*`) and when they asked for the transcript by email
//! (`conversations.transcript_sent_at`: once per conversation). A transfer is an offer that names the agent the chat stays
//! with unless it is accepted (`offers.transfer_*`). Attachments are kept in the database
//! (`attachments`, so every node serves them; they go with their conversation), and the
//! message that carries one describes it (`messages.attachment`: id, name, type, size).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("messages")
                    .add_column(string_len("kind", 16).default("message"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("canned_responses")
                    .col(pk_uuid("id"))
                    .col(uuid("tenant_id"))
                    .col(uuid_null("owner_id"))
                    .col(string_len("owner_key", 40))
                    .col(string_len("shortcut", 64))
                    .col(text("text"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_canned_responses_tenant_id")
                            .from("canned_responses", "tenant_id")
                            .to("tenants", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_canned_responses_owner_id")
                            .from("canned_responses", "owner_id")
                            .to("users", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("canned_responses_scope_shortcut")
                    .table("canned_responses")
                    .col("tenant_id")
                    .col("owner_key")
                    .col("shortcut")
                    .unique()
                    .to_owned(),
            )
            .await?;
        // SQLite adds columns one statement at a time.
        for column in [
            integer_null("rating_score"),
            text_null("rating_comment"),
            timestamp_with_time_zone_null("rated_at"),
            timestamp_with_time_zone_null("transcript_sent_at"),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table("conversations")
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table("attachments")
                    .col(pk_uuid("id"))
                    .col(uuid("tenant_id"))
                    .col(uuid("conversation_id"))
                    .col(string_len("name", 255))
                    .col(string_len("content_type", 64))
                    .col(big_integer("size"))
                    .col(blob("data"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_attachments_conversation_id")
                            .from("attachments", "conversation_id")
                            .to("conversations", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_attachments_tenant_id")
                            .from("attachments", "tenant_id")
                            .to("tenants", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("attachments_conversation_id")
                    .table("attachments")
                    .col("conversation_id")
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("messages")
                    .add_column(json_null("attachment"))
                    .to_owned(),
            )
            .await?;
        for column in [
            uuid_null("transfer_from"),
            uuid_null("transfer_by"),
            text_null("transfer_note"),
        ] {
            manager
                .alter_table(Table::alter().table("offers").add_column(column).to_owned())
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("messages")
                    .drop_column("attachment")
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table("attachments").to_owned())
            .await?;
        for column in ["transfer_note", "transfer_by", "transfer_from"] {
            manager
                .alter_table(
                    Table::alter()
                        .table("offers")
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        for column in [
            "transcript_sent_at",
            "rated_at",
            "rating_comment",
            "rating_score",
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
        manager
            .drop_table(Table::drop().table("canned_responses").to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("messages")
                    .drop_column("kind")
                    .to_owned(),
            )
            .await
    }
}
