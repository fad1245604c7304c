//! A landed migration is never edited (a database that ran it would never run the edit):
//! each one's SHA-256 is pinned here. A change needs a new migration file, which is added to
//! this list when it lands.

use sha2::{Digest, Sha256};

/// Every landed migration and the SHA-256 of its source.
const LANDED: &[(&str, &str)] = &[
    (
        "m20261125_000001_foundation.rs",
        "db538dba6da794caeb7a5699807803e53bcf2bfaa52219e1d4fe7ad895720682",
    ),
    (
        "m20261125_000002_routing_rules.rs",
        "578e870aa351ea725e993bbf0c5e861b8e15ae178df5ab0b73bff0906b428bc7",
    ),
    (
        "m20261125_000003_conversations_offers.rs",
        "cb2fd0c60ae7bcb08515238c921cf1b45a76b4a1ea40649fbc643afcfdbc32af",
    ),
    (
        "m20261125_000004_dialogues.rs",
        "f4be809dea5963c06e98ab25b3bdd2e1e35d4b8c9ac48aea9fec4e53f72cd765",
    ),
    (
        "m20261125_000005_messages.rs",
        "6ed27808c7586e895c6ea71082ee3a2bc5475ebb972f423a96bc37b165c2b9c8",
    ),
    (
        "m20261125_000006_webhooks.rs",
        "d54fd6f83aaebcbae0fcc8cc9a2137049ce7639bdee18ee0032d829fc54a6c8c",
    ),
    (
        "m20261125_000007_notification_preferences.rs",
        "bfcd426b27c8de6160fffe87ed77ec92881a6b028b8e291f4e9a062fd6c82304",
    ),
    (
        "m20261125_000008_push_subscriptions.rs",
        "04d14657e86d8270fee4c6abd8edba5dfd1aeaf6e099eb7467a398e1eef232f3",
    ),
    (
        "m20261125_000009_push_and_mail.rs",
        "706b75287169cc019787862e385892e37e63b61bb682ccfeffca14220e7449a7",
    ),
    (
        "m20261202_000010_cascade.rs",
        "12d4832a488745da46ce87ebfbf28a213f1646742d6148270992b56b798a653a",
    ),
    (
        "m20261202_000011_schedules.rs",
        "e3dea2a6a2fbfd9c1f850af6fc05f0a40ea05cbfd96926094bcf457a0988f682",
    ),
    (
        "m20261202_000012_left_messages.rs",
        "f0d3f586b436702c1e47c469982ba617e1ed480b4c0cc604fd816e7848661654",
    ),
    (
        "m20261202_000013_waiting_queue.rs",
        "f747d3d990411745353f00648e4641bceb218a06fa28ef243e422d4b18d17f78",
    ),
    (
        "m20261203_000014_push_retries.rs",
        "fe482e75876a4fbb4994985b927c499fccce4e62b5074f8ea33e01ee66ae90db",
    ),
    (
        "m20261203_000015_token_generation.rs",
        "06ba939d6ef533f554fbfe5b1fd5d3fcc0fcd454e77fe47d656b27f76bc51ef1",
    ),
    (
        "m20261203_000016_account_security.rs",
        "e690e3cd5c16c83b9bcbd2dc231c3d3bbf15981ea02851bb927f4cc65146b6c2",
    ),
    (
        "m20261203_000017_versions_and_digests.rs",
        "4041e4e7773f86cb606633a4f8315a1a1a4cbf8b8cd61ff6b618f0c81a18e816",
    ),
    (
        "m20261203_000018_workspace.rs",
        "f69ee7539197b5a56088308e140c7b51b13dd5529d77e8182d7ebc872ed3878d",
    ),
    (
        "m20261206_000019_participants.rs",
        "c2bcf2bdc74d0d71585ab96c3bba763041a2ae12dd0f34c5d9c74cc7d92e8b53",
    ),
    (
        "m20261206_000020_locales.rs",
        "de62995c8a39e1972fc93ce6437b142ff056df50b6e5ff4a9183c133db0c3b48",
    ),
];

fn src() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

#[test]
fn no_landed_migration_was_edited() {
    for (file, pinned) in LANDED {
        let bytes = std::fs::read(src().join(file))
            .unwrap_or_else(|e| panic!("{file}: a landed migration is missing ({e})"));
        let digest: String = Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(
            &digest, pinned,
            "{file} was edited after it landed: put the change in a new migration"
        );
    }
}

#[test]
fn every_migration_file_is_either_pinned_or_the_newest() {
    let mut files: Vec<String> = std::fs::read_dir(src())
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.starts_with('m') && n.ends_with(".rs"))
        .collect();
    files.sort();
    let newest_pinned = LANDED.iter().map(|(f, _)| *f).max().unwrap_or_default();
    for f in &files {
        // Files after the last pinned one are new in this change; they are pinned when they
        // land. One that sorts before it and is not pinned was slipped in among landed ones.
        assert!(
            LANDED.iter().any(|(p, _)| p == f) || f.as_str() > newest_pinned,
            "{f} sorts among landed migrations but is not pinned"
        );
    }
}
