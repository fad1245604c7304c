//! Browsers' Web Push subscriptions, per user: where to push (the push service's endpoint)
//! and the keys to encrypt for that browser. One row per endpoint; a browser subscribing
//! again replaces its keys.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("push_subscriptions")
                    .col(pk_uuid("id"))
                    .col(uuid("tenant_id"))
                    .col(uuid("user_id"))
                    .col(text("endpoint"))
                    .col(string("p256dh"))
                    .col(string("auth"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_push_subscriptions_user_id")
                            .from("push_subscriptions", "user_id")
                            .to("users", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("push_subscriptions_user_endpoint")
                    .table("push_subscriptions")
                    .col("user_id")
                    .col("endpoint")
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("push_subscriptions").to_owned())
            .await
    }
}
