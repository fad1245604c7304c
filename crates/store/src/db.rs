//! Connecting to the database named by a URL (`sqlite:` or `postgres:`) and migrating it.

use std::time::Duration;

use sea_orm::{
    ConnectOptions, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr,
};
use switchboard_migration::Migrator;
use switchboard_migration::MigratorTrait;

pub type Database = DatabaseConnection;

/// The size (bytes) SQLite's write-ahead log is truncated back to after a checkpoint.
const WAL_SIZE_LIMIT: u64 = 64 * 1024 * 1024;

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
                .synchronous(SqliteSynchronous::Normal)
                // The write-ahead log is cut back to this size after each checkpoint
                // (SQLite checkpoints every 1,000 pages; see [`checkpoint`]).
                .pragma("journal_size_limit", WAL_SIZE_LIMIT.to_string());
            if in_memory {
                o
            } else {
                o.journal_mode(SqliteJournalMode::Wal)
            }
        });
    let db = sea_orm::Database::connect(opts).await?;
    Ok(db)
}

/// Begins a transaction that writes. On SQLite it takes the write lock at once (`BEGIN
/// IMMEDIATE`), so writers meeting wait their turn (the busy timeout) instead of one failing
/// with "database is locked" when a transaction that read first tries to write; PostgreSQL
/// ignores the mode.
pub async fn begin_write(db: &Database) -> Result<DatabaseTransaction, DbErr> {
    use sea_orm::{SqliteTransactionMode, TransactionOptions, TransactionTrait};
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..Default::default()
    })
    .await
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
    // Reset links are kept a day past their hour, for the hourly allowance's count.
    let links = crate::password_resets::Entity::delete_many()
        .filter(
            crate::password_resets::Column::ExpiresAt
                .lte(crate::now() - chrono::Duration::hours(24)),
        )
        .exec(db)
        .await?
        .rows_affected;
    Ok(sessions + keys + links)
}

/// On SQLite, copies the write-ahead log into the database and truncates it: SQLite's own
/// checkpoints (every 1,000 pages) cannot finish while readers keep using old pages, so the
/// log could grow under steady traffic; this waits for them. Nothing on PostgreSQL.
pub async fn checkpoint(db: &Database) -> Result<(), DbErr> {
    if db.get_database_backend() == DbBackend::Sqlite {
        db.execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)")
            .await?;
    }
    Ok(())
}

/// True when the database answers a trivial query: the readiness probe.
pub async fn ping(db: &Database) -> bool {
    db.ping().await.is_ok()
}
