#![forbid(unsafe_code)]
//! Database migrations, one file per change. A migration that has landed is never edited:
//! a later change adds a new file. Every table but `operators` carries `tenant_id`.

pub use sea_orm_migration::prelude::*;

mod m20261125_000001_foundation;
mod m20261125_000002_routing_rules;
mod m20261125_000003_conversations_offers;
mod m20261125_000004_dialogues;
mod m20261125_000005_messages;
mod m20261125_000006_webhooks;
mod m20261125_000007_notification_preferences;
mod m20261125_000008_push_subscriptions;
mod m20261125_000009_push_and_mail;
mod m20261202_000010_cascade;
mod m20261202_000011_schedules;
mod m20261202_000012_left_messages;
mod m20261202_000013_waiting_queue;
mod m20261203_000014_push_retries;
mod m20261203_000015_token_generation;
mod m20261203_000016_account_security;
mod m20261203_000017_versions_and_digests;
mod m20261203_000018_workspace;
mod m20261206_000019_participants;
mod m20261206_000020_locales;
mod m20261206_000021_widget_brand;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261125_000001_foundation::Migration),
            Box::new(m20261125_000002_routing_rules::Migration),
            Box::new(m20261125_000003_conversations_offers::Migration),
            Box::new(m20261125_000004_dialogues::Migration),
            Box::new(m20261125_000005_messages::Migration),
            Box::new(m20261125_000006_webhooks::Migration),
            Box::new(m20261125_000007_notification_preferences::Migration),
            Box::new(m20261125_000008_push_subscriptions::Migration),
            Box::new(m20261125_000009_push_and_mail::Migration),
            Box::new(m20261202_000010_cascade::Migration),
            Box::new(m20261202_000011_schedules::Migration),
            Box::new(m20261202_000012_left_messages::Migration),
            Box::new(m20261202_000013_waiting_queue::Migration),
            Box::new(m20261203_000014_push_retries::Migration),
            Box::new(m20261203_000015_token_generation::Migration),
            Box::new(m20261203_000016_account_security::Migration),
            Box::new(m20261203_000017_versions_and_digests::Migration),
            Box::new(m20261203_000018_workspace::Migration),
            Box::new(m20261206_000019_participants::Migration),
            Box::new(m20261206_000020_locales::Migration),
            Box::new(m20261206_000021_widget_brand::Migration),
        ]
    }
}
