//! The catalogue is whole: every message exists in English and in French with the same
//! variables, every file parses, and every message is used somewhere in the code, the
//! templates or the scripts (a message nobody shows is a mistake or a leftover).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use switchboard_i18n::{Locale, SOURCES};

/// Messages whose ids are built at run time from a number: used when their family is.
const FAMILIES: [&str; 1] = ["month-"];

/// `id → variables` of one file, read as text: a message starts at a line `id =`; its
/// continuation lines are indented.
fn messages(source: &str) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in source.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let starts = line.chars().next().is_some_and(|c| c.is_ascii_lowercase());
        if starts && let Some((id, _)) = line.split_once(" =") {
            current = Some(id.trim().to_owned());
            out.entry(id.trim().to_owned()).or_default();
        }
        if let Some(id) = &current {
            let vars = out.entry(id.clone()).or_default();
            for part in line.split('$').skip(1) {
                let name: String = part
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
                    .collect();
                if !name.is_empty() {
                    vars.insert(name);
                }
            }
        }
    }
    out
}

#[test]
fn every_file_parses_and_every_message_is_in_both_languages_with_the_same_variables() {
    let mut by_locale: BTreeMap<&str, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    for (locale, files) in SOURCES {
        for (name, source) in files {
            if let Err((_, errors)) = fluent_bundle::FluentResource::try_new((*source).to_owned()) {
                panic!("{locale}/{name} does not parse: {errors:?}");
            }
            let found = messages(source);
            assert!(!found.is_empty(), "{locale}/{name} is empty");
            let all = by_locale.entry(locale.as_str()).or_default();
            for (id, vars) in found {
                assert!(
                    all.insert(id.clone(), vars).is_none(),
                    "{locale}: {id} is defined twice"
                );
            }
        }
    }
    let en = &by_locale["en"];
    let fr = &by_locale["fr"];
    let missing_fr: Vec<_> = en.keys().filter(|k| !fr.contains_key(*k)).collect();
    let missing_en: Vec<_> = fr.keys().filter(|k| !en.contains_key(*k)).collect();
    assert!(missing_fr.is_empty(), "missing in French: {missing_fr:?}");
    assert!(missing_en.is_empty(), "missing in English: {missing_en:?}");
    for (id, vars) in en {
        assert_eq!(
            vars, &fr[id],
            "{id}: the variables differ between en and fr"
        );
    }
    assert_eq!(Locale::ALL.len(), by_locale.len());
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let path = e.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if path.is_dir() {
            if !["target", "node_modules", "locales", ".git", "tests"].contains(&name) {
                files_under(&path, out);
            }
        } else if [".rs", ".html", ".txt", ".js"]
            .iter()
            .any(|ext| name.ends_with(ext))
        {
            out.push(path);
        }
    }
}

#[test]
fn every_message_is_used_somewhere() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = Vec::new();
    for dir in ["crates", "web", "src"] {
        files_under(&root.join(dir), &mut files);
    }
    let code: String = files
        .iter()
        .filter_map(|f| std::fs::read_to_string(f).ok())
        .collect::<Vec<_>>()
        .join("\n");
    let (_, files) = SOURCES[0];
    let mut unused = Vec::new();
    for (_, source) in files {
        for id in messages(source).keys() {
            if let Some(family) = FAMILIES.iter().find(|f| id.starts_with(*f))
                && code.contains(&format!("\"{family}"))
            {
                continue;
            }
            if !code.contains(&format!("\"{id}\"")) {
                unused.push(id.clone());
            }
        }
    }
    assert!(unused.is_empty(), "messages used nowhere: {unused:?}");
}
