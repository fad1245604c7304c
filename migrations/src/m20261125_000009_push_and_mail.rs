//! The offer delivery chain and the failed-action email (SPEC §6).
//!
//! `offers.push_claimed_at`: set by the one node that takes an unacknowledged offer to Web
//! Push, so an offer is pushed once however many nodes look at it.
//!
//! `email_outbox`: one row per email, written before anything is sent and kept until the
//! SMTP server took it or every retry was used, so an SMTP outage delays mail and loses none.
//! Claimed by a worker the way webhook deliveries are.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("offers")
                    .add_column(timestamp_with_time_zone_null("push_claimed_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("offers_state")
                    .table("offers")
                    .col("state")
                    .col("offered_at")
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("email_outbox")
                    .col(pk_uuid("id"))
                    .col(uuid("tenant_id"))
                    .col(string("kind"))
                    .col(uuid_null("conversation_id"))
                    .col(json("recipients"))
                    .col(text("subject"))
                    .col(text("text_body"))
                    .col(text("html_body"))
                    .col(string("status"))
                    .col(integer("attempts").default(0))
                    .col(timestamp_with_time_zone("next_attempt_at"))
                    .col(uuid_null("claim"))
                    .col(timestamp_with_time_zone_null("claimed_until"))
                    .col(text_null("last_error"))
                    .col(timestamp_with_time_zone_null("sent_at"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_email_outbox_tenant_id")
                            .from("email_outbox", "tenant_id")
                            .to("tenants", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("email_outbox_due")
                    .table("email_outbox")
                    .col("status")
                    .col("next_attempt_at")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("email_outbox").to_owned())
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("offers_state")
                    .table("offers")
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("offers")
                    .drop_column("push_claimed_at")
                    .to_owned(),
            )
            .await
    }
}
