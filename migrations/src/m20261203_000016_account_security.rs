//! Safe on the open internet (issue 15, SPEC §12.4).
//!
//! `tenants.widget_allowed_origins`: the sites the widget may run on (JSON array of
//! origins; NULL or empty: any). `identity_verification` and `identity_secret` (sealed with
//! the server's key): a visitor's `user_id` is verified by its HMAC. `retention_days`: older
//! conversations are purged (NULL: kept).
//!
//! `users`/`operators`: a TOTP secret (sealed), whether two-factor is on, and the recovery
//! codes' hashes (JSON array; a used one is removed). `users.failed_logins` and
//! `locked_until`: failed sign-ins in a row, and the lockout they led to.
//! `console_sessions.user_agent` and `ip`: where a session was opened, so its user can tell
//! their sessions apart and end one. `api_keys.scopes` (JSON array of `read`, `write`,
//! `admin`; NULL: `admin`, what keys could do before) and `expires_at` (NULL: never).
//! `conversations.visitor_ip_hash`: a hash of the address a widget session started from, to
//! cap the chats one address holds open.
//!
//! `password_resets`: single-use reset links of users, by the hash of their token; they go
//! with their user. (The operator resets with `SWITCHBOARD_OPERATOR_PASSWORD`.)

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

const ACCOUNTS: [&str; 2] = ["users", "operators"];

async fn add(
    manager: &SchemaManager<'_>,
    table: &'static str,
    mut column: ColumnDef,
) -> Result<(), DbErr> {
    // One column per statement: SQLite adds columns one at a time.
    manager
        .alter_table(
            Table::alter()
                .table(table)
                .add_column(&mut column)
                .to_owned(),
        )
        .await
}

async fn drop(
    manager: &SchemaManager<'_>,
    table: &'static str,
    column: &'static str,
) -> Result<(), DbErr> {
    manager
        .alter_table(Table::alter().table(table).drop_column(column).to_owned())
        .await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        add(manager, "tenants", json_null("widget_allowed_origins")).await?;
        add(
            manager,
            "tenants",
            boolean("identity_verification").default(false).to_owned(),
        )
        .await?;
        add(manager, "tenants", text_null("identity_secret")).await?;
        add(manager, "tenants", integer_null("retention_days")).await?;
        for table in ACCOUNTS {
            add(manager, table, text_null("totp_secret")).await?;
            add(
                manager,
                table,
                boolean("totp_enabled").default(false).to_owned(),
            )
            .await?;
            add(manager, table, json_null("recovery_codes")).await?;
        }
        add(
            manager,
            "users",
            integer("failed_logins").default(0).to_owned(),
        )
        .await?;
        add(
            manager,
            "users",
            timestamp_with_time_zone_null("locked_until"),
        )
        .await?;
        add(manager, "console_sessions", string_null("user_agent")).await?;
        add(manager, "console_sessions", string_null("ip")).await?;
        add(manager, "api_keys", json_null("scopes")).await?;
        add(manager, "conversations", string_null("visitor_ip_hash")).await?;
        manager
            .create_index(
                Index::create()
                    .name("conversations_visitor_ip")
                    .table("conversations")
                    .col("tenant_id")
                    .col("visitor_ip_hash")
                    .to_owned(),
            )
            .await?;
        add(
            manager,
            "api_keys",
            timestamp_with_time_zone_null("expires_at"),
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table("password_resets")
                    .col(string("token_hash").primary_key())
                    .col(uuid("user_id"))
                    .col(timestamp_with_time_zone("expires_at"))
                    .col(timestamp_with_time_zone_null("used_at"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_password_resets_user_id")
                            .from("password_resets", "user_id")
                            .to("users", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("password_resets").to_owned())
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("conversations_visitor_ip")
                    .table("conversations")
                    .to_owned(),
            )
            .await?;
        drop(manager, "conversations", "visitor_ip_hash").await?;
        drop(manager, "api_keys", "scopes").await?;
        drop(manager, "api_keys", "expires_at").await?;
        drop(manager, "console_sessions", "user_agent").await?;
        drop(manager, "console_sessions", "ip").await?;
        drop(manager, "console_sessions", "user_agent").await?;
        drop(manager, "console_sessions", "ip").await?;
        drop(manager, "users", "failed_logins").await?;
        drop(manager, "users", "locked_until").await?;
        for table in ACCOUNTS {
            for column in ["totp_secret", "totp_enabled", "recovery_codes"] {
                drop(manager, table, column).await?;
            }
        }
        for column in [
            "widget_allowed_origins",
            "identity_verification",
            "identity_secret",
            "retention_days",
        ] {
            drop(manager, "tenants", column).await?;
        }
        Ok(())
    }
}
