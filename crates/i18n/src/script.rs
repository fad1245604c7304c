//! The catalogue's messages for scripts (the widget, the inbox): each language's messages
//! of a surface as JSON the browser formats itself, plurals included (`web/texts.js`).
//!
//! A message becomes a list of parts: text, `{"v": name}` for a variable, and
//! `{"s": name, "k": {key: parts}, "d": key}` for a choice on a variable — a number's
//! plural category (`one`, `other`…, chosen with `Intl.PluralRules`) or an exact value.

use fluent_syntax::ast::{
    Entry, Expression, InlineExpression, Pattern, PatternElement, VariantKey,
};
use serde_json::{Map, Value, json};

use crate::{Locale, SOURCES};

/// Every message of `locale` whose id starts with one of `prefixes`, as `{id: parts}`.
pub fn script_messages(locale: Locale, prefixes: &[&str]) -> Value {
    let mut out = Map::new();
    let files = SOURCES
        .iter()
        .find(|(l, _)| *l == locale)
        .map(|(_, files)| *files)
        .unwrap_or_default();
    for (_, source) in files {
        let resource = match fluent_syntax::parser::parse(*source) {
            Ok(r) | Err((r, _)) => r,
        };
        for entry in resource.body {
            let Entry::Message(m) = entry else { continue };
            if !prefixes.iter().any(|p| m.id.name.starts_with(p)) {
                continue;
            }
            if let Some(value) = &m.value {
                out.insert(m.id.name.to_owned(), parts(value));
            }
        }
    }
    Value::Object(out)
}

fn parts(pattern: &Pattern<&str>) -> Value {
    let mut list: Vec<Value> = Vec::new();
    for element in &pattern.elements {
        match element {
            PatternElement::TextElement { value } => push_text(&mut list, value),
            PatternElement::Placeable { expression } => expression_parts(&mut list, expression),
        }
    }
    Value::Array(list)
}

/// Adjacent texts are joined, so a plain message is one string in a list.
fn push_text(list: &mut Vec<Value>, text: &str) {
    if let Some(Value::String(last)) = list.last_mut() {
        last.push_str(text);
    } else {
        list.push(Value::String(text.to_owned()));
    }
}

fn expression_parts(list: &mut Vec<Value>, expression: &Expression<&str>) {
    match expression {
        Expression::Inline(inline) => inline_parts(list, inline),
        Expression::Select { selector, variants } => {
            let name = match selector {
                InlineExpression::VariableReference { id } => id.name,
                // The catalogue only chooses on variables.
                _ => "",
            };
            let mut keys = Map::new();
            let mut default = String::new();
            for v in variants {
                let key = match &v.key {
                    VariantKey::Identifier { name } => (*name).to_owned(),
                    VariantKey::NumberLiteral { value } => (*value).to_owned(),
                };
                if v.default {
                    default = key.clone();
                }
                keys.insert(key, parts(&v.value));
            }
            list.push(json!({"s": name, "k": keys, "d": default}));
        }
    }
}

fn inline_parts(list: &mut Vec<Value>, inline: &InlineExpression<&str>) {
    match inline {
        InlineExpression::VariableReference { id } => list.push(json!({"v": id.name})),
        InlineExpression::StringLiteral { value } => push_text(list, value),
        InlineExpression::NumberLiteral { value } => push_text(list, value),
        InlineExpression::Placeable { expression } => expression_parts(list, expression),
        // Message, term and function references are not used by scripts' messages.
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_become_parts_with_their_variables_and_plurals() {
        let en = script_messages(Locale::En, &["count-chats", "label-colon", "copied"]);
        assert_eq!(en["copied"], json!(["Copied"]));
        assert_eq!(en["label-colon"], json!([{"v": "label"}, ":"]));
        let chats = &en["count-chats"][0];
        assert_eq!(chats["s"], "count");
        assert_eq!(chats["d"], "other");
        assert_eq!(chats["k"]["one"], json!([{"v": "count"}, " chat"]));
        assert_eq!(chats["k"]["other"], json!([{"v": "count"}, " chats"]));
        let fr = script_messages(Locale::Fr, &["label-colon"]);
        assert_eq!(fr["label-colon"], json!([{"v": "label"}, " :"]));
        assert!(en.get("time-just-now").is_none());
    }
}
