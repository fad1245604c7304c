//! Conversations (one visitor's request for a live agent, and the chat that follows) and the
//! offers made to agents for them. The routing trace is kept on the conversation.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("conversations")
                    .col(pk_uuid("id"))
                    .col(uuid("tenant_id"))
                    .col(string("status"))
                    .col(json("visitor"))
                    .col(json("routing"))
                    .col(text_null("card_fallback_message"))
                    .col(uuid_null("assigned_agent_id"))
                    .col(uuid_null("reservation_id"))
                    .col(string_null("fallback_reason"))
                    .col(json("trace"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .col(timestamp_with_time_zone_null("ended_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_conversations_tenant_id")
                            .from("conversations", "tenant_id")
                            .to("tenants", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("conversations_tenant_id")
                    .table("conversations")
                    .col("tenant_id")
                    .col("id")
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("offers")
                    .col(pk_uuid("id"))
                    .col(uuid("tenant_id"))
                    .col(uuid("conversation_id"))
                    .col(uuid("agent_id"))
                    .col(string("state"))
                    .col(timestamp_with_time_zone("offered_at"))
                    .col(timestamp_with_time_zone("expires_at"))
                    .col(timestamp_with_time_zone_null("resolved_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_offers_conversation_id")
                            .from("offers", "conversation_id")
                            .to("conversations", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("offers_conversation")
                    .table("offers")
                    .col("conversation_id")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("offers").to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table("conversations").to_owned())
            .await
    }
}
