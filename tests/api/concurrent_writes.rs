//! Hundreds of admins writing at once (issue 14): on both backends every answer is a 2xx or,
//! for a team another request deleted first, a 404; never a 5xx. Each change answered as made
//! is whole (its row and its audit entry) and each refused one left nothing behind.

use std::collections::HashMap;

use futures_util::future::join_all;
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

/// Every item of a paginated list.
async fn all(app: &TestApp, path: &str, token: &str) -> Vec<Value> {
    let mut items = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let url = match &cursor {
            Some(c) => format!("{path}?limit=200&cursor={c}"),
            None => format!("{path}?limit=200"),
        };
        let r = app.get(&url, token).await;
        assert_eq!(r.status, 200, "{}", r.text);
        items.extend(r.body["items"].as_array().unwrap().iter().cloned());
        match r.body["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => return items,
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 8)]
async fn three_hundred_concurrent_admin_writes_never_fail_and_leave_nothing_half_written() {
    let app = spawn_app().await;
    let t = app.create_tenant("busy").await;
    let mut teams = Vec::new();
    for i in 0..12 {
        let r = app
            .post(
                "/api/v1/teams",
                &t.token,
                json!({"name": format!("Team {i}")}),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.text);
        teams.push(r.id());
    }
    let audited_before = all(&app, "/api/v1/audit-log", &t.token).await.len();

    // Creates, renames racing deletes of the same teams, settings, invitations: all at once.
    let ops = (0..300).map(|i| {
        let (app, t, teams) = (&app, &t, &teams);
        async move {
            let r = match i % 5 {
                0 => {
                    app.post(
                        "/api/v1/teams",
                        &t.token,
                        json!({"name": format!("New {i}")}),
                    )
                    .await
                }
                1 => {
                    app.patch(
                        &format!("/api/v1/teams/{}", teams[i % teams.len()]),
                        &t.token,
                        json!({"name": format!("Renamed {i}")}),
                    )
                    .await
                }
                2 => {
                    app.delete(
                        &format!("/api/v1/teams/{}", teams[(i / 5) % teams.len()]),
                        &t.token,
                    )
                    .await
                }
                3 => {
                    app.patch(
                        "/api/v1/settings",
                        &t.token,
                        json!({"max_chats_per_agent": i % 10 + 1}),
                    )
                    .await
                }
                _ => {
                    app.post(
                        "/api/v1/users",
                        &t.token,
                        json!({"email": format!("user{i}@busy.example.com"),
                               "display_name": format!("User {i}"), "role": "agent"}),
                    )
                    .await
                }
            };
            (i, r.status.as_u16(), r.text)
        }
    });
    let results = join_all(ops).await;

    let mut unexpected = Vec::new();
    let mut made: HashMap<&str, usize> = HashMap::new();
    let mut deleted: HashMap<String, usize> = HashMap::new();
    for (i, status, text) in &results {
        let (kind, allowed): (&str, &[u16]) = match i % 5 {
            0 => ("team.created", &[201]),
            1 => ("team.renamed", &[200, 404]),
            2 => ("team.deleted", &[204, 404]),
            3 => ("settings.updated", &[200]),
            _ => ("user.created", &[201]),
        };
        if !allowed.contains(status) {
            unexpected.push(format!("{kind} #{i}: {status} {text}"));
        } else if *status < 300 {
            *made.entry(kind).or_default() += 1;
            if i % 5 == 2 {
                *deleted
                    .entry(teams[(i / 5) % teams.len()].clone())
                    .or_default() += 1;
            }
        }
    }
    assert!(
        unexpected.is_empty(),
        "{} of 300 answers were not what a client may expect:\n{}",
        unexpected.len(),
        unexpected.join("\n")
    );
    assert_eq!(made["team.created"], 60);
    assert_eq!(made["user.created"], 60);
    assert_eq!(made["settings.updated"], 60);
    // Each team was deleted exactly once, whatever raced it, and is gone.
    assert_eq!(deleted.len(), teams.len(), "{deleted:?}");
    assert!(deleted.values().all(|n| *n == 1), "{deleted:?}");
    for team in &teams {
        let r = app.get(&format!("/api/v1/teams/{team}"), &t.token).await;
        assert_eq!(r.status, 404, "{}", r.text);
    }

    // What is stored is exactly what was answered: the rows and one audit entry per change.
    let names: Vec<String> = all(&app, "/api/v1/teams", &t.token)
        .await
        .iter()
        .map(|t| t["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(names.len(), 60, "{names:?}");
    assert!(names.iter().all(|n| n.starts_with("New ")), "{names:?}");
    let invited = all(&app, "/api/v1/users", &t.token)
        .await
        .iter()
        .filter(|u| {
            u["email"]
                .as_str()
                .is_some_and(|e| e.ends_with("@busy.example.com") && e.starts_with("user"))
        })
        .count();
    assert_eq!(invited, 60);
    let audit = all(&app, "/api/v1/audit-log", &t.token).await;
    let mut audited: HashMap<String, usize> = HashMap::new();
    for entry in &audit[..audit.len() - audited_before] {
        *audited
            .entry(entry["action"].as_str().unwrap().to_owned())
            .or_default() += 1;
    }
    for (kind, n) in &made {
        assert_eq!(
            audited.get(*kind),
            Some(n),
            "{kind}: {audited:?} against {made:?}"
        );
    }
    assert_eq!(
        audited.values().sum::<usize>(),
        made.values().sum::<usize>(),
        "{audited:?} against {made:?}"
    );
    let max_chats = app.get("/api/v1/settings", &t.token).await.body["max_chats_per_agent"]
        .as_u64()
        .unwrap();
    assert!((1..=10).contains(&max_chats), "{max_chats}");
}
