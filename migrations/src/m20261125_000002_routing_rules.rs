//! Custom routing rules, and each user's chosen availability (kept so the inbox can restore
//! it; whether the agent is actually here lives in the realtime store).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("routing_rules")
                    .col(pk_uuid("id"))
                    .col(uuid("tenant_id"))
                    .col(string("name"))
                    .col(integer("position"))
                    .col(json("conditions"))
                    .col(string("target_kind"))
                    .col(uuid("target_id"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_routing_rules_tenant_id")
                            .from("routing_rules", "tenant_id")
                            .to("tenants", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("routing_rules_tenant_position")
                    .table("routing_rules")
                    .col("tenant_id")
                    .col("position")
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("users")
                    .add_column(string("availability").default("offline"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("users")
                    .drop_column("availability")
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table("routing_rules").to_owned())
            .await
    }
}
