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
        .sqlx_logging(false)
        // Every pooled SQLite connection: WAL (readers never block the writer), NORMAL sync
        // (safe with WAL: a power cut may lose the last commits, never corrupts; a commit no
        // longer waits for an fsync), foreign keys on, and a wait instead of "database is
        // locked" when writers meet.
        .map_sqlx_sqlite_opts(move |o| {
            use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
            let o = o
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
                .synchronous(SqliteSynchronous::Normal);
            if in_memory {
                o
            } else {
                o.journal_mode(SqliteJournalMode::Wal)
            }
        });
    let db = sea_orm::Database::connect(opts).await?;
    Ok(db)
}

/// Applies every pending migration. On PostgreSQL the migrations run in one transaction
/// holding an advisory lock, so nodes starting together migrate once, one after the other,
/// and a failed migration leaves nothing half-applied (PostgreSQL's DDL is transactional).
pub async fn migrate(db: &Database) -> Result<(), DbErr> {
    use sea_orm::TransactionTrait;
    if db.get_database_backend() != DbBackend::Postgres {
        return Migrator::up(db, None).await;
    }
    let txn = db.begin().await?;
    // Any fixed number; it only has to be the same on every node ("sb" + "mig").
    txn.execute_unprepared("SELECT pg_advisory_xact_lock(7362001)")
        .await?;
    Migrator::up(&txn, None).await?;
    txn.commit().await
}

/// Deletes what has outlived its use: expired console sessions and idempotency records
/// older than a day. Returns how many rows went.
pub async fn purge_expired(db: &Database) -> Result<u64, DbErr> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let sessions = crate::sessions::Entity::delete_many()
        .filter(crate::sessions::Column::ExpiresAt.lte(crate::now()))
        .exec(db)
        .await?
        .rows_affected;
    let keys = crate::idempotency::Entity::delete_many()
        .filter(
            crate::idempotency::Column::CreatedAt.lte(crate::now() - chrono::Duration::hours(24)),
        )
        .exec(db)
        .await?
        .rows_affected;
    Ok(sessions + keys)
}

/// True when the database answers a trivial query: the readiness probe.
pub async fn ping(db: &Database) -> bool {
    db.ping().await.is_ok()
}
