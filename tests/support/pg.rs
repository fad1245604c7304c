//! A new, empty PostgreSQL database, shared by the tests and the benches.

/// Creates a database with a fresh name on the server of `SWITCHBOARD_TEST_PG_URL` and
/// returns its URL. PostgreSQL missing is a failure, not a skip.
pub async fn new_pg_database() -> String {
    let admin_url = std::env::var("SWITCHBOARD_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let name = format!("sb_test_{}", uuid::Uuid::new_v4().simple());
    let conn = sea_orm::Database::connect(&admin_url)
        .await
        .unwrap_or_else(|e| panic!("PostgreSQL at {admin_url} is required: {e}"));
    use sea_orm::ConnectionTrait;
    conn.execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .expect("create the database");
    let _ = conn.close().await;
    let base = admin_url
        .rsplit_once('/')
        .map(|(b, _)| b)
        .unwrap_or(&admin_url);
    format!("{base}/{name}")
}
