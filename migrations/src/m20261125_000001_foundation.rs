//! Tenants, users, the live-chat permission, teams, API keys, audit log, console sessions and
//! idempotency records: the foundation every later capability builds on.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn fk(
    from_table: &'static str,
    from_col: &'static str,
    to_table: &'static str,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{from_table}_{from_col}"))
        .from(from_table, from_col)
        .to(to_table, "id")
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

fn index(
    table: &'static str,
    name: &'static str,
    cols: &[&'static str],
    unique: bool,
) -> IndexCreateStatement {
    let mut stmt = Index::create();
    stmt.name(name).table(table);
    for col in cols {
        stmt.col(*col);
    }
    if unique {
        stmt.unique();
    }
    stmt.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("operators")
                    .col(pk_uuid("id"))
                    .col(string_uniq("email"))
                    .col(string("display_name"))
                    .col(string("password_hash"))
                    .col(timestamp_with_time_zone("created_at"))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("tenants")
                    .col(pk_uuid("id"))
                    .col(string_uniq("slug"))
                    .col(string("name"))
                    .col(string("plan"))
                    .col(big_integer_null("engagement_limit"))
                    .col(big_integer("engagements_used").default(0))
                    .col(text("global_fallback_message"))
                    .col(integer("accept_timeout_seconds"))
                    .col(integer("max_chats_per_agent"))
                    .col(integer("idle_timeout_minutes"))
                    .col(json("failed_action_recipients"))
                    .col(string_uniq("widget_key"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("users")
                    .col(pk_uuid("id"))
                    .col(uuid("tenant_id"))
                    .col(string("email"))
                    .col(string("display_name"))
                    .col(string("role"))
                    .col(string_null("password_hash"))
                    .col(string_null("invitation_token_hash"))
                    .col(timestamp_with_time_zone_null("invitation_expires_at"))
                    .col(boolean("live_chat_permission").default(false))
                    .col(boolean("active").default(true))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("users", "tenant_id", "tenants"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "users",
                "users_tenant_email_key",
                &["tenant_id", "email"],
                true,
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("avatars")
                    .col(pk_uuid("user_id"))
                    .col(uuid("tenant_id"))
                    .col(string("mime"))
                    .col(blob("bytes"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("avatars", "user_id", "users"))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("teams")
                    .col(pk_uuid("id"))
                    .col(uuid("tenant_id"))
                    .col(string("name"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk("teams", "tenant_id", "tenants"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "teams",
                "teams_tenant_name_key",
                &["tenant_id", "name"],
                true,
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("team_members")
                    .col(uuid("team_id"))
                    .col(uuid("user_id"))
                    .col(uuid("tenant_id"))
                    .col(timestamp_with_time_zone("created_at"))
                    .primary_key(Index::create().col("team_id").col("user_id"))
                    .foreign_key(&mut fk("team_members", "team_id", "teams"))
                    .foreign_key(&mut fk("team_members", "user_id", "users"))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("api_keys")
                    .col(pk_uuid("id"))
                    .col(uuid("tenant_id"))
                    .col(string("name"))
                    .col(string_uniq("prefix"))
                    .col(string("secret_hash"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("last_used_at"))
                    .col(timestamp_with_time_zone_null("revoked_at"))
                    .foreign_key(&mut fk("api_keys", "tenant_id", "tenants"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("api_keys", "api_keys_tenant", &["tenant_id"], false))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("audit_log")
                    .col(pk_uuid("id"))
                    .col(uuid("tenant_id"))
                    .col(string("actor_kind"))
                    .col(uuid_null("actor_id"))
                    .col(string("actor_label"))
                    .col(string("action"))
                    .col(string("target_kind"))
                    .col(uuid_null("target_id"))
                    .col(json("details"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk("audit_log", "tenant_id", "tenants"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "audit_log",
                "audit_log_tenant_id",
                &["tenant_id", "id"],
                false,
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("console_sessions")
                    .col(string("token_hash").primary_key())
                    .col(uuid_null("tenant_id"))
                    .col(uuid_null("user_id"))
                    .col(uuid_null("operator_id"))
                    .col(string("csrf_token"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("expires_at"))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("idempotency_keys")
                    .col(string("scope"))
                    .col(string("key"))
                    .col(string("request_hash"))
                    .col(integer_null("status_code"))
                    .col(text_null("response_body"))
                    .col(timestamp_with_time_zone("created_at"))
                    .primary_key(Index::create().col("scope").col("key"))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "idempotency_keys",
            "console_sessions",
            "audit_log",
            "api_keys",
            "team_members",
            "teams",
            "avatars",
            "users",
            "tenants",
            "operators",
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
