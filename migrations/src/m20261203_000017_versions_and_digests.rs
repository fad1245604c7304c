//! Published dialogues by version (issue 15): each publish keeps its cards once, in
//! `dialogue_versions`, and a widget conversation refers to the version it started with
//! (`conversations.dialogue_version_id`) instead of holding its own copy of the cards
//! (`conversations.dialogue` stays for the conversations stored before). A version outlives
//! its dialogue (conversations still read it) and goes with its tenant.
//!
//! What each dialogue published before is carried over as a version whose id is the
//! dialogue's.
//!
//! Failed-action emails are grouped when failures flood (issue 15): `email_outbox.digest_key`
//! (`<reason>:<recipient>`) marks the emails that may be sent together, and
//! `mail_digest_slots` holds when each key last got an email (at most one per 10 minutes).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("dialogue_versions")
                    .col(pk_uuid("id"))
                    .col(uuid("tenant_id"))
                    .col(uuid_null("dialogue_id"))
                    .col(json("cards"))
                    .col(timestamp_with_time_zone("published_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_dialogue_versions_tenant_id")
                            .from("dialogue_versions", "tenant_id")
                            .to("tenants", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("dialogue_versions_tenant_id")
                    .table("dialogue_versions")
                    .col("tenant_id")
                    .to_owned(),
            )
            .await?;
        // SQLite adds columns one statement at a time.
        for (table, column) in [
            ("dialogues", "published_version_id"),
            ("conversations", "dialogue_version_id"),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(table)
                        .add_column(uuid_null(column))
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table("email_outbox")
                    .add_column(string_null("digest_key"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("email_outbox_tenant_id_digest_key")
                    .table("email_outbox")
                    .col("tenant_id")
                    .col("digest_key")
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("mail_digest_slots")
                    .col(uuid("tenant_id"))
                    .col(string("digest_key"))
                    .col(timestamp_with_time_zone("last_sent_at"))
                    .primary_key(Index::create().col("tenant_id").col("digest_key"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_mail_digest_slots_tenant_id")
                            .from("mail_digest_slots", "tenant_id")
                            .to("tenants", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared(
            "INSERT INTO dialogue_versions (id, tenant_id, dialogue_id, cards, published_at) \
             SELECT id, tenant_id, id, published_cards, COALESCE(published_at, updated_at) \
             FROM dialogues WHERE published_cards IS NOT NULL",
        )
        .await?;
        db.execute_unprepared(
            "UPDATE dialogues SET published_version_id = id WHERE published_cards IS NOT NULL",
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("mail_digest_slots").to_owned())
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("email_outbox_tenant_id_digest_key")
                    .table("email_outbox")
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("email_outbox")
                    .drop_column("digest_key")
                    .to_owned(),
            )
            .await?;
        for (table, column) in [
            ("conversations", "dialogue_version_id"),
            ("dialogues", "published_version_id"),
        ] {
            manager
                .alter_table(Table::alter().table(table).drop_column(column).to_owned())
                .await?;
        }
        manager
            .drop_table(Table::drop().table("dialogue_versions").to_owned())
            .await
    }
}
