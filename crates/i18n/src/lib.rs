#![forbid(unsafe_code)]
//! Every text a person reads — the console, the inbox, the widget, emails, push
//! notifications — comes from one message catalogue in Fluent's format (`locales/<lang>/*.ftl`,
//! compiled into the binary), complete in English and French (a test fails when a message is
//! missing in either language, or is used nowhere). API problem details stay English.
//!
//! A reader's locale is their preference, else what their browser asks for
//! (`Accept-Language`) among the languages offered, else the workspace's default
//! ([`negotiate`]). Dates and times are shown in the reader's time zone
//! ([`format`]).

pub mod format;
pub mod script;

use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

pub use switchboard_core::Locale;

/// The reader's language: `preferred` (a stored preference) if it is `offered`, else the
/// best of `accept_language` (a browser's header) among `offered`, else `default`.
pub fn negotiate(
    preferred: Option<Locale>,
    accept_language: Option<&str>,
    offered: &[Locale],
    default: Locale,
) -> Locale {
    if let Some(p) = preferred.filter(|p| offered.contains(p)) {
        return p;
    }
    let Some(header) = accept_language else {
        return default;
    };
    let requested = fluent_langneg::accepted_languages::parse(header);
    let available: Vec<LanguageIdentifier> = offered
        .iter()
        .filter_map(|l| l.as_str().parse().ok())
        .collect();
    fluent_langneg::negotiate_languages(
        &requested,
        &available,
        None,
        fluent_langneg::NegotiationStrategy::Lookup,
    )
    .first()
    .and_then(|id| Locale::parse(&id.to_string()))
    .unwrap_or(default)
}

fn index(locale: Locale) -> usize {
    match locale {
        Locale::En => 0,
        Locale::Fr => 1,
    }
}

/// The catalogue's files, per language: `(file name, contents)`.
pub const SOURCES: [(Locale, &[(&str, &str)]); 2] = [
    (
        Locale::En,
        &[
            ("common.ftl", include_str!("../locales/en/common.ftl")),
            ("email.ftl", include_str!("../locales/en/email.ftl")),
            ("push.ftl", include_str!("../locales/en/push.ftl")),
            ("console.ftl", include_str!("../locales/en/console.ftl")),
            ("widget.ftl", include_str!("../locales/en/widget.ftl")),
            ("inbox.ftl", include_str!("../locales/en/inbox.ftl")),
            ("admin.ftl", include_str!("../locales/en/admin.ftl")),
            ("data.ftl", include_str!("../locales/en/data.ftl")),
            ("designer.ftl", include_str!("../locales/en/designer.ftl")),
        ],
    ),
    (
        Locale::Fr,
        &[
            ("common.ftl", include_str!("../locales/fr/common.ftl")),
            ("email.ftl", include_str!("../locales/fr/email.ftl")),
            ("push.ftl", include_str!("../locales/fr/push.ftl")),
            ("console.ftl", include_str!("../locales/fr/console.ftl")),
            ("widget.ftl", include_str!("../locales/fr/widget.ftl")),
            ("inbox.ftl", include_str!("../locales/fr/inbox.ftl")),
            ("admin.ftl", include_str!("../locales/fr/admin.ftl")),
            ("data.ftl", include_str!("../locales/fr/data.ftl")),
            ("designer.ftl", include_str!("../locales/fr/designer.ftl")),
        ],
    ),
];

type Bundle = FluentBundle<FluentResource>;

fn bundles() -> &'static [Bundle; 2] {
    static BUNDLES: OnceLock<[Bundle; 2]> = OnceLock::new();
    BUNDLES.get_or_init(|| SOURCES.map(|(locale, files)| bundle(locale, files)))
}

fn bundle(locale: Locale, files: &[(&str, &str)]) -> Bundle {
    let id: LanguageIdentifier = locale.as_str().parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // Texts go into HTML, plain-text emails and notifications: no bidi isolation marks
    // around the values (both languages run left to right).
    bundle.set_use_isolating(false);
    for (_, source) in files {
        // A file that does not parse keeps the messages it could read; the catalogue test
        // fails on any error.
        let resource = match FluentResource::try_new((*source).to_owned()) {
            Ok(r) | Err((r, _)) => r,
        };
        let _ = bundle.add_resource(resource);
    }
    bundle
}

/// A value for a message's variable.
pub enum Arg<'a> {
    Text(std::borrow::Cow<'a, str>),
    Number(i64),
}

impl<'a> From<&'a str> for Arg<'a> {
    fn from(s: &'a str) -> Self {
        Arg::Text(s.into())
    }
}

impl<'a> From<&'a String> for Arg<'a> {
    fn from(s: &'a String) -> Self {
        Arg::Text(s.as_str().into())
    }
}

// Templates hand over their values by reference, sometimes twice.
impl<'a> From<&'a &String> for Arg<'a> {
    fn from(s: &'a &String) -> Self {
        Arg::Text(s.as_str().into())
    }
}

impl<'a> From<&'a &str> for Arg<'a> {
    fn from(s: &'a &str) -> Self {
        Arg::Text((*s).into())
    }
}

impl From<String> for Arg<'_> {
    fn from(s: String) -> Self {
        Arg::Text(s.into())
    }
}

impl From<i64> for Arg<'_> {
    fn from(n: i64) -> Self {
        Arg::Number(n)
    }
}

impl From<u64> for Arg<'_> {
    fn from(n: u64) -> Self {
        Arg::Number(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

impl From<usize> for Arg<'_> {
    fn from(n: usize) -> Self {
        Arg::Number(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

impl From<i32> for Arg<'_> {
    fn from(n: i32) -> Self {
        Arg::Number(i64::from(n))
    }
}

/// Message `id` in `locale`, its variables filled from `args`. A message missing in the
/// language reads in English; one missing everywhere reads as its id (the catalogue test
/// keeps both from happening).
pub fn text(locale: Locale, id: &str, args: &[(&str, Arg<'_>)]) -> String {
    lookup(locale, id, args)
        .or_else(|| lookup(Locale::En, id, args))
        .unwrap_or_else(|| id.to_owned())
}

fn lookup(locale: Locale, id: &str, args: &[(&str, Arg<'_>)]) -> Option<String> {
    let bundle = &bundles()[index(locale)];
    let (message_id, attribute) = match id.split_once('.') {
        Some((m, a)) => (m, Some(a)),
        None => (id, None),
    };
    let message = bundle.get_message(message_id)?;
    let pattern = match attribute {
        Some(a) => message.get_attribute(a)?.value(),
        None => message.value()?,
    };
    let mut fluent_args = FluentArgs::new();
    for (name, value) in args {
        match value {
            Arg::Text(s) => fluent_args.set(*name, FluentValue::from(s.as_ref())),
            Arg::Number(n) => fluent_args.set(*name, FluentValue::from(*n)),
        }
    }
    let mut errors = Vec::new();
    Some(
        bundle
            .format_pattern(pattern, Some(&fluent_args), &mut errors)
            .into_owned(),
    )
}

/// The texts of one reader, for a template: `t.t("id")`, `t.t1("id", "name", value)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Texts(pub Locale);

impl Texts {
    pub fn locale(&self) -> Locale {
        self.0
    }

    /// The language tag, for `<html lang>`.
    pub fn lang(&self) -> &'static str {
        self.0.as_str()
    }

    pub fn t(&self, id: &str) -> String {
        text(self.0, id, &[])
    }

    pub fn t1<'a>(&self, id: &str, name: &str, value: impl Into<Arg<'a>>) -> String {
        text(self.0, id, &[(name, value.into())])
    }

    pub fn t2<'a, 'b>(
        &self,
        id: &str,
        name: &str,
        value: impl Into<Arg<'a>>,
        name2: &str,
        value2: impl Into<Arg<'b>>,
    ) -> String {
        text(self.0, id, &[(name, value.into()), (name2, value2.into())])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_browser_gets_its_best_offered_language_else_the_default() {
        let both = &Locale::ALL;
        let n = |pref, header| negotiate(pref, header, both, Locale::En);
        assert_eq!(n(None, Some("fr-FR,fr;q=0.9,en;q=0.8")), Locale::Fr);
        assert_eq!(n(None, Some("de-DE,de;q=0.9,fr;q=0.5")), Locale::Fr);
        assert_eq!(n(None, Some("de-DE")), Locale::En);
        assert_eq!(n(None, Some("en-GB,fr;q=0.2")), Locale::En);
        assert_eq!(n(None, None), Locale::En);
        assert_eq!(n(None, Some("garbage;;,")), Locale::En);
        // A stored preference wins over the browser, if it is offered.
        assert_eq!(n(Some(Locale::Fr), Some("en")), Locale::Fr);
        assert_eq!(
            negotiate(Some(Locale::Fr), Some("en"), &[Locale::En], Locale::En),
            Locale::En
        );
        // The workspace's default when nothing else decides.
        assert_eq!(negotiate(None, Some("de"), both, Locale::Fr), Locale::Fr);
    }

    #[test]
    fn the_built_in_visitor_messages_in_english_are_the_settings_defaults_word_for_word() {
        let en = Texts(Locale::En);
        assert_eq!(
            en.t("widget-fallback-built-in"),
            switchboard_core::settings::DEFAULT_GLOBAL_FALLBACK_MESSAGE
        );
        assert_eq!(
            en.t("widget-outside-hours-built-in"),
            switchboard_core::schedule::DEFAULT_OUTSIDE_HOURS_MESSAGE
        );
    }

    #[test]
    fn plurals_follow_each_language() {
        let en = Texts(Locale::En);
        let fr = Texts(Locale::Fr);
        assert_eq!(en.t1("count-chats", "count", 0), "0 chats");
        assert_eq!(en.t1("count-chats", "count", 1), "1 chat");
        assert_eq!(en.t1("count-chats", "count", 2), "2 chats");
        // French: 0 and 1 take the singular.
        assert_eq!(fr.t1("count-chats", "count", 0), "0 conversation");
        assert_eq!(fr.t1("count-chats", "count", 1), "1 conversation");
        assert_eq!(fr.t1("count-chats", "count", 2), "2 conversations");
    }
}
