//! Business hours and agent schedules (SPEC §12.1).
//!
//! - `tenants.business_hours`: `{timezone, weekly, holidays}` as JSON, NULL: always open;
//!   `tenants.outside_hours_message`: what a visitor reads outside them, NULL: the built-in
//!   default (so that a better default reaches every tenant who never wrote their own).
//! - `users.schedule`: `{timezone, weekly}` as JSON, NULL: no schedule (availability is only
//!   what the agent chooses); `users.availability_override_until`: a manual availability
//!   change holds until then (the schedule's next boundary), NULL: no override.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn columns() -> [(&'static str, ColumnDef); 4] {
    [
        ("tenants", json_null("business_hours")),
        ("tenants", text_null("outside_hours_message")),
        ("users", json_null("schedule")),
        (
            "users",
            timestamp_with_time_zone_null("availability_override_until"),
        ),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds columns one at a time.
        for (table, column) in columns() {
            let mut column = column;
            manager
                .alter_table(
                    Table::alter()
                        .table(table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (table, column) in columns() {
            let name = column.get_column_name();
            manager
                .alter_table(Table::alter().table(table).drop_column(name).to_owned())
                .await?;
        }
        Ok(())
    }
}
