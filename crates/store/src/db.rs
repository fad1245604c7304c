//! Connecting to the database named by a URL (`sqlite:` or `postgres:`) and migrating it.

use std::time::Duration;

use sea_orm::{ConnectOptions, ConnectionTrait, DatabaseConnection, DbBackend, DbErr};
use switchboard_migration::Migrator;
use switchboard_migration::MigratorTrait;

pub type Database = DatabaseConnection;

/// Opens a pool on `url`. SQLite gets WAL (readers do not block the writer) and a busy timeout,
/// and at most one connection for an in-memory database, whose every connection would
/// otherwise be a separate empty database.
pub async fn connect(url: &str, max_connections: u32) -> Result<Database, DbErr> {
    let in_memory = url.contains(":memory:") || url.contains("mode=memory");
    let mut opts = ConnectOptions::new(url.to_owned());
    opts.max_connections(if in_memory { 1 } else { max_connections })
        .min_connections(if in_memory { 1 } else { 0 })
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(30))
        .sqlx_logging(false);
    let db = sea_orm::Database::connect(opts).await?;
    if db.get_database_backend() == DbBackend::Sqlite {
        if !in_memory {
            db.execute_unprepared("PRAGMA journal_mode=WAL").await?;
        }
        db.execute_unprepared("PRAGMA foreign_keys=ON").await?;
    }
    Ok(db)
}

/// Applies every pending migration.
pub async fn migrate(db: &Database) -> Result<(), DbErr> {
    Migrator::up(db, None).await
}

/// True when the database answers a trivial query: the readiness probe.
pub async fn ping(db: &Database) -> bool {
    db.ping().await.is_ok()
}
