//! A failpoint in the database itself: every insert into a table fails, until lifted.

use super::{TestApp, backend};

/// Makes every insert into `table` fail (`on`), or lets them through again. One table at a
/// time.
pub async fn inserts_fail(app: &TestApp, table: &str, on: bool) {
    use sea_orm::ConnectionTrait;
    let db = app.service.db();
    let sql: Vec<String> = match (backend().as_str(), on) {
        ("postgres", true) => vec![
            "CREATE FUNCTION sb_failpoint() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'failpoint'; END $$ LANGUAGE plpgsql".into(),
            format!("CREATE TRIGGER sb_failpoint BEFORE INSERT ON {table} FOR EACH ROW EXECUTE FUNCTION sb_failpoint()"),
        ],
        ("postgres", false) => vec![
            format!("DROP TRIGGER sb_failpoint ON {table}"),
            "DROP FUNCTION sb_failpoint()".into(),
        ],
        (_, true) => vec![format!(
            "CREATE TRIGGER sb_failpoint BEFORE INSERT ON {table} BEGIN SELECT RAISE(ABORT, 'failpoint'); END"
        )],
        (_, false) => vec!["DROP TRIGGER sb_failpoint".into()],
    };
    for statement in sql {
        db.execute_unprepared(&statement).await.unwrap();
    }
}

/// Makes the team of every new membership vanish just before the membership is inserted (as
/// if another request deleted it between the checks and the insert), or stops it.
pub async fn team_vanishes_before_member_insert(app: &TestApp, on: bool) {
    use sea_orm::ConnectionTrait;
    let db = app.service.db();
    let sql: Vec<&str> = match (backend().as_str(), on) {
        ("postgres", true) => vec![
            "CREATE FUNCTION sb_vanish() RETURNS trigger AS $$ BEGIN DELETE FROM teams WHERE id = NEW.team_id; RETURN NEW; END $$ LANGUAGE plpgsql",
            "CREATE TRIGGER sb_vanish BEFORE INSERT ON team_members FOR EACH ROW EXECUTE FUNCTION sb_vanish()",
        ],
        ("postgres", false) => vec![
            "DROP TRIGGER sb_vanish ON team_members",
            "DROP FUNCTION sb_vanish()",
        ],
        (_, true) => vec![
            "CREATE TRIGGER sb_vanish BEFORE INSERT ON team_members BEGIN DELETE FROM teams WHERE id = NEW.team_id; END",
        ],
        (_, false) => vec!["DROP TRIGGER sb_vanish"],
    };
    for statement in sql {
        db.execute_unprepared(statement).await.unwrap();
    }
}
