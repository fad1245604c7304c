//! Admins who join a live chat beside its agent (issue 16, supervision): one row per
//! conversation and user while they take part. Leaving deletes the row (the transcript's
//! system lines keep who joined and left); the rows go with their conversation or user.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("conversation_participants")
                    .col(uuid("conversation_id"))
                    .col(uuid("user_id"))
                    .col(uuid("tenant_id"))
                    .col(timestamp_with_time_zone("joined_at"))
                    .primary_key(Index::create().col("conversation_id").col("user_id"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_conversation_participants_conversation_id")
                            .from("conversation_participants", "conversation_id")
                            .to("conversations", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_conversation_participants_user_id")
                            .from("conversation_participants", "user_id")
                            .to("users", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_conversation_participants_tenant_id")
                            .from("conversation_participants", "tenant_id")
                            .to("tenants", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("conversation_participants_user_id")
                    .table("conversation_participants")
                    .col("user_id")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("conversation_participants").to_owned())
            .await
    }
}
