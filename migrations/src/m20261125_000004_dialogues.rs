//! Dialogues (a draft card tree, and what was last published), the tenant's published
//! dialogue (the widget's), and what a conversation needs to run its dialogue: a copy of the
//! published cards it started with (so a later publish does not pull the card from under a
//! visitor), the card it stands at, and the hash of the visitor's token.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("dialogues")
                    .col(pk_uuid("id"))
                    .col(uuid("tenant_id"))
                    .col(string("name"))
                    .col(json("cards"))
                    .col(json_null("published_cards"))
                    .col(timestamp_with_time_zone_null("published_at"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_dialogues_tenant_id")
                            .from("dialogues", "tenant_id")
                            .to("tenants", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("dialogues_tenant_id")
                    .table("dialogues")
                    .col("tenant_id")
                    .col("id")
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("tenants")
                    .add_column(uuid_null("widget_dialogue_id"))
                    .to_owned(),
            )
            .await?;
        // One column per statement: SQLite adds columns one at a time.
        for column in [
            json_null("dialogue"),
            string_null("card_id"),
            string_null("visitor_token_hash"),
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
                    .name("conversations_visitor_token_hash")
                    .table("conversations")
                    .col("visitor_token_hash")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("conversations_visitor_token_hash")
                    .table("conversations")
                    .to_owned(),
            )
            .await?;
        for column in ["visitor_token_hash", "card_id", "dialogue"] {
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
            .alter_table(
                Table::alter()
                    .table("tenants")
                    .drop_column("widget_dialogue_id")
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table("dialogues").to_owned())
            .await
    }
}
