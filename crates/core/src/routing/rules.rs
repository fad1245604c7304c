//! Custom routing rules (SPEC §5): conditions on the visitor's location (country, region,
//! city), the page they are on and the fields they filled in; operators is / is not /
//! one of / contains. A rule matches when all its conditions hold; rules are tried in
//! position order and the first match names an agent or a team.
//!
//! Text is compared trimmed and case-insensitively ("FR" is "fr"); a field the visitor does
//! not have is the empty text, so "city is not Paris" holds for a visitor without a city.

use std::collections::BTreeMap;

use crate::error::bounded_text;
use crate::{TeamId, UserId, ValidationError};

/// The fields of a capture card, the only visitor fields a rule may name besides location
/// and page.
pub const CAPTURE_FIELDS: [&str; 6] = [
    "first_name",
    "last_name",
    "email",
    "job_title",
    "company",
    "phone",
];

/// What a condition looks at.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Field {
    Country,
    Region,
    City,
    PageUrl,
    /// A captured field, by its name in [`CAPTURE_FIELDS`].
    Captured(String),
}

impl Field {
    /// `country`, `region`, `city`, `page_url` or `captured.<field>`.
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        Ok(match raw {
            "country" => Field::Country,
            "region" => Field::Region,
            "city" => Field::City,
            "page_url" => Field::PageUrl,
            other => match other.strip_prefix("captured.") {
                Some(name) if CAPTURE_FIELDS.contains(&name) => Field::Captured(name.to_owned()),
                _ => {
                    return Err(ValidationError::new(
                        "field",
                        "must be country, region, city, page_url or captured.<first_name|last_name|email|job_title|company|phone>",
                    ));
                }
            },
        })
    }

    pub fn name(&self) -> String {
        match self {
            Field::Country => "country".into(),
            Field::Region => "region".into(),
            Field::City => "city".into(),
            Field::PageUrl => "page_url".into(),
            Field::Captured(name) => format!("captured.{name}"),
        }
    }
}

/// How a condition compares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Operator {
    Is(String),
    IsNot(String),
    OneOf(Vec<String>),
    Contains(String),
}

impl Operator {
    /// Builds an operator from its API name and values: `is`, `is_not` and `contains` take
    /// exactly one value, `one_of` one to 100.
    pub fn parse(name: &str, values: &[String]) -> Result<Self, ValidationError> {
        let value = |values: &[String]| -> Result<String, ValidationError> {
            match values {
                [one] => bounded_text("values", one, 1, 500),
                _ => Err(ValidationError::new(
                    "values",
                    format!("{name} takes exactly one value"),
                )),
            }
        };
        Ok(match name {
            "is" => Operator::Is(value(values)?),
            "is_not" => Operator::IsNot(value(values)?),
            "contains" => Operator::Contains(value(values)?),
            "one_of" => {
                if values.is_empty() || values.len() > 100 {
                    return Err(ValidationError::new(
                        "values",
                        "one_of takes 1 to 100 values",
                    ));
                }
                Operator::OneOf(
                    values
                        .iter()
                        .map(|v| bounded_text("values", v, 1, 500))
                        .collect::<Result<_, _>>()?,
                )
            }
            _ => {
                return Err(ValidationError::new(
                    "operator",
                    "must be is, is_not, one_of or contains",
                ));
            }
        })
    }

    pub fn name(&self) -> &'static str {
        match self {
            Operator::Is(_) => "is",
            Operator::IsNot(_) => "is_not",
            Operator::OneOf(_) => "one_of",
            Operator::Contains(_) => "contains",
        }
    }

    pub fn values(&self) -> Vec<String> {
        match self {
            Operator::Is(v) | Operator::IsNot(v) | Operator::Contains(v) => vec![v.clone()],
            Operator::OneOf(vs) => vs.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    pub field: Field,
    pub operator: Operator,
}

/// Whom a matching rule sends the chat to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Agent(UserId),
    Team(TeamId),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule<Id> {
    pub id: Id,
    pub name: String,
    /// Lower first. Ties keep the order given.
    pub position: i32,
    pub conditions: Vec<Condition>,
    pub target: Target,
}

/// What is known of a visitor when routing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Visitor {
    pub country: Option<String>,
    pub region: Option<String>,
    pub city: Option<String>,
    pub page_url: Option<String>,
    pub captured: BTreeMap<String, String>,
}

fn norm(s: &str) -> String {
    s.trim().to_lowercase()
}

impl Visitor {
    fn value(&self, field: &Field) -> String {
        let raw = match field {
            Field::Country => self.country.as_deref(),
            Field::Region => self.region.as_deref(),
            Field::City => self.city.as_deref(),
            Field::PageUrl => self.page_url.as_deref(),
            Field::Captured(name) => self.captured.get(name).map(String::as_str),
        };
        norm(raw.unwrap_or(""))
    }
}

impl Condition {
    pub fn holds(&self, visitor: &Visitor) -> bool {
        let actual = visitor.value(&self.field);
        match &self.operator {
            Operator::Is(v) => actual == norm(v),
            Operator::IsNot(v) => actual != norm(v),
            Operator::OneOf(vs) => vs.iter().any(|v| actual == norm(v)),
            Operator::Contains(v) => !actual.is_empty() && actual.contains(&norm(v)),
        }
    }
}

impl<Id> Rule<Id> {
    /// All conditions hold (a rule without conditions matches every visitor).
    pub fn matches(&self, visitor: &Visitor) -> bool {
        self.conditions.iter().all(|c| c.holds(visitor))
    }
}

/// The first rule, in position order, whose conditions all hold for the visitor.
pub fn first_match<'r, Id>(rules: &'r [Rule<Id>], visitor: &Visitor) -> Option<&'r Rule<Id>> {
    let mut ordered: Vec<&Rule<Id>> = rules.iter().collect();
    ordered.sort_by_key(|r| r.position);
    ordered.into_iter().find(|r| r.matches(visitor))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn cond(field: &str, op: &str, values: &[&str]) -> Condition {
        let values: Vec<String> = values.iter().map(|s| (*s).to_owned()).collect();
        Condition {
            field: Field::parse(field).unwrap(),
            operator: Operator::parse(op, &values).unwrap(),
        }
    }

    fn rule(id: u32, position: i32, conditions: Vec<Condition>) -> Rule<u32> {
        Rule {
            id,
            name: format!("rule {id}"),
            position,
            conditions,
            target: Target::Team(TeamId::new()),
        }
    }

    fn paris() -> Visitor {
        Visitor {
            country: Some("FR".into()),
            region: Some("Île-de-France".into()),
            city: Some("Paris".into()),
            page_url: Some("https://acme.example.com/pricing?plan=pro".into()),
            captured: BTreeMap::from([("company".to_owned(), "Globex".to_owned())]),
        }
    }

    #[test]
    fn each_operator_compares_trimmed_and_case_insensitively() {
        let v = paris();
        assert!(cond("country", "is", &[" fr "]).holds(&v));
        assert!(!cond("country", "is", &["DE"]).holds(&v));
        assert!(cond("country", "is_not", &["DE"]).holds(&v));
        assert!(cond("city", "one_of", &["Lyon", "paris"]).holds(&v));
        assert!(!cond("city", "one_of", &["Lyon", "Nice"]).holds(&v));
        assert!(cond("page_url", "contains", &["/PRICING"]).holds(&v));
        assert!(cond("captured.company", "is", &["globex"]).holds(&v));
        assert!(cond("region", "is", &["île-de-france"]).holds(&v));
    }

    #[test]
    fn a_missing_field_is_empty_text() {
        let v = Visitor::default();
        assert!(!cond("city", "is", &["Paris"]).holds(&v));
        assert!(cond("city", "is_not", &["Paris"]).holds(&v));
        assert!(!cond("captured.email", "contains", &["@"]).holds(&v));
    }

    #[test]
    fn all_conditions_of_a_rule_must_hold() {
        let r = rule(
            1,
            0,
            vec![
                cond("country", "is", &["FR"]),
                cond("city", "is", &["Lyon"]),
            ],
        );
        assert!(!r.matches(&paris()));
        let r = rule(
            1,
            0,
            vec![
                cond("country", "is", &["FR"]),
                cond("city", "is", &["Paris"]),
            ],
        );
        assert!(r.matches(&paris()));
    }

    #[test]
    fn the_first_matching_rule_in_position_order_wins() {
        let rules = vec![
            rule(1, 30, vec![]),
            rule(2, 10, vec![cond("country", "is", &["DE"])]),
            rule(3, 20, vec![cond("country", "is", &["FR"])]),
        ];
        assert_eq!(first_match(&rules, &paris()).map(|r| r.id), Some(3));
        let berlin = Visitor {
            country: Some("DE".into()),
            ..Visitor::default()
        };
        assert_eq!(first_match(&rules, &berlin).map(|r| r.id), Some(2));
    }

    #[test]
    fn no_matching_rule_is_none() {
        let rules = vec![rule(1, 0, vec![cond("country", "is", &["DE"])])];
        assert!(first_match(&rules, &paris()).is_none());
        assert!(first_match::<u32>(&[], &paris()).is_none());
    }

    #[test]
    fn bad_conditions_are_refused_naming_the_field() {
        assert_eq!(Field::parse("ip").unwrap_err().field, "field");
        assert_eq!(
            Field::parse("captured.password").unwrap_err().field,
            "field"
        );
        assert_eq!(
            Operator::parse("matches", &["x".into()]).unwrap_err().field,
            "operator"
        );
        assert_eq!(Operator::parse("is", &[]).unwrap_err().field, "values");
        assert_eq!(
            Operator::parse("is", &["a".into(), "b".into()])
                .unwrap_err()
                .field,
            "values"
        );
        assert_eq!(Operator::parse("one_of", &[]).unwrap_err().field, "values");
        assert_eq!(
            Operator::parse("is", &["  ".into()]).unwrap_err().field,
            "values"
        );
    }

    proptest! {
        #[test]
        fn is_and_is_not_are_opposites(actual in "[a-zA-Z ]{0,12}", expected in "[a-zA-Z]{1,12}") {
            let v = Visitor { city: Some(actual), ..Visitor::default() };
            let is = cond("city", "is", &[&expected]).holds(&v);
            let is_not = cond("city", "is_not", &[&expected]).holds(&v);
            prop_assert_ne!(is, is_not);
        }

        #[test]
        fn one_of_is_any_of_is(actual in "[a-c]{1,2}", options in proptest::collection::vec("[a-c]{1,2}", 1..5)) {
            let v = Visitor { country: Some(actual), ..Visitor::default() };
            let refs: Vec<&str> = options.iter().map(String::as_str).collect();
            let any = options.iter().any(|o| cond("country", "is", &[o]).holds(&v));
            prop_assert_eq!(cond("country", "one_of", &refs).holds(&v), any);
        }

        #[test]
        fn first_match_is_the_lowest_position_among_matches(positions in proptest::collection::vec((0i32..50, any::<bool>()), 0..10)) {
            let rules: Vec<Rule<u32>> = positions.iter().enumerate().map(|(i, (pos, fr))| {
                rule(i as u32, *pos, vec![cond("country", "is", &[if *fr { "FR" } else { "DE" }])])
            }).collect();
            let expected = rules.iter().filter(|r| r.matches(&paris())).min_by_key(|r| r.position).map(|r| r.position);
            prop_assert_eq!(first_match(&rules, &paris()).map(|r| r.position), expected);
        }
    }
}
