//! How a tenant's widget looks (issue 17): its colour, title, greeting, where the launcher
//! sits, whether agents' photos show, and the languages it speaks to visitors.
//!
//! The colour is the background of the launcher, the header, the visitor's messages and the
//! main buttons, all with white text on it: a colour on which white text does not reach the
//! WCAG AA contrast of 4.5:1 is refused.

use std::fmt;
use std::str::FromStr;

use crate::error::bounded_text;
use crate::lifecycle::string_enum;
use crate::{Locale, ValidationError};

/// The colour a new workspace's widget has (white text on it: 6.7:1).
pub const DEFAULT_COLOR: Color = Color([0x1d, 0x4e, 0xd8]);
/// WCAG 2 AA for normal text.
pub const MIN_CONTRAST: f64 = 4.5;
pub const MAX_TITLE: usize = 60;
pub const MAX_GREETING: usize = 300;

/// A colour as `#rrggbb`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Color(pub [u8; 3]);

impl Color {
    /// `#rrggbb` or `#rgb`, any case.
    pub fn parse(raw: &str) -> Option<Color> {
        let hex = raw.trim().strip_prefix('#')?;
        let digits: Vec<u8> = hex
            .chars()
            .map(|c| c.to_digit(16).and_then(|d| u8::try_from(d).ok()))
            .collect::<Option<_>>()?;
        match digits.as_slice() {
            [r, g, b] => Some(Color([r * 17, g * 17, b * 17])),
            [r1, r2, g1, g2, b1, b2] => Some(Color([r1 * 16 + r2, g1 * 16 + g2, b1 * 16 + b2])),
            _ => None,
        }
    }

    /// `#rrggbb`, lower case.
    pub fn hex(self) -> String {
        let [r, g, b] = self.0;
        format!("#{r:02x}{g:02x}{b:02x}")
    }

    /// The relative luminance of WCAG 2.
    fn luminance(self) -> f64 {
        let channel = |c: u8| {
            let s = f64::from(c) / 255.0;
            if s <= 0.039_28 {
                s / 12.92
            } else {
                ((s + 0.055) / 1.055).powf(2.4)
            }
        };
        let [r, g, b] = self.0;
        0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    }

    /// The contrast ratio of white text on this colour (1 to 21).
    pub fn contrast_with_white(self) -> f64 {
        1.05 / (self.luminance() + 0.05)
    }

    /// A colour given for `field`: refused when it is not `#rrggbb`, or when white text on it
    /// would be hard to read.
    pub fn from_field(field: &str, raw: &str) -> Result<Color, ValidationError> {
        let color = Color::parse(raw)
            .ok_or_else(|| ValidationError::new(field, "must be a colour written #rrggbb"))?;
        let ratio = color.contrast_with_white();
        if ratio < MIN_CONTRAST {
            return Err(ValidationError::new(
                field,
                format!(
                    "is too light: white text on it has a contrast of {ratio:.1}:1 and WCAG AA needs at least 4.5:1; choose a darker colour"
                ),
            ));
        }
        Ok(color)
    }
}

string_enum! {
    /// Which bottom corner of the page the launcher sits in.
    #[derive(Default)]
    pub enum Position (field = "widget_position") {
        #[default]
        Right = "right",
        Left = "left",
    }
}

/// A workspace's widget.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WidgetBrand {
    pub color: Color,
    /// The header's title; `None`: "Chat with us" in the visitor's language.
    pub title: Option<String>,
    /// A first line shown in an empty panel; `None`: none.
    pub greeting: Option<String>,
    pub position: Position,
    /// Agents' photos beside their messages and in the header.
    pub agent_photos: bool,
    /// The languages the widget speaks; a visitor gets the first of their browser's among
    /// them, else the workspace's default language.
    pub locales: Vec<Locale>,
}

impl Default for WidgetBrand {
    fn default() -> Self {
        Self {
            color: DEFAULT_COLOR,
            title: None,
            greeting: None,
            position: Position::Right,
            agent_photos: true,
            locales: Locale::ALL.to_vec(),
        }
    }
}

/// An optional text: empty (after trimming) means none.
pub fn optional_text(
    field: &str,
    raw: &str,
    max: usize,
) -> Result<Option<String>, ValidationError> {
    if raw.trim().is_empty() {
        return Ok(None);
    }
    bounded_text(field, raw, 1, max).map(Some)
}

/// A list of languages for `field`: each `en` or `fr`, at least one, no repeats kept.
pub fn locales_from_field(field: &str, raw: &[String]) -> Result<Vec<Locale>, ValidationError> {
    let mut out = Vec::new();
    for (i, tag) in raw.iter().enumerate() {
        let l = Locale::from_field(&format!("{field}[{i}]"), tag)?;
        if !out.contains(&l) {
            out.push(l);
        }
    }
    if out.is_empty() {
        return Err(ValidationError::new(
            field,
            "must list at least one language",
        ));
    }
    Ok(out)
}

/// Languages as stored: `en,fr`.
pub fn locales_to_text(locales: &[Locale]) -> String {
    locales
        .iter()
        .map(|l| l.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

/// Languages as stored, read back; nothing readable: every language.
pub fn locales_from_text(raw: &str) -> Vec<Locale> {
    let mut out: Vec<Locale> = Vec::new();
    for l in raw.split(',').filter_map(Locale::parse) {
        if !out.contains(&l) {
            out.push(l);
        }
    }
    if out.is_empty() {
        return Locale::ALL.to_vec();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_are_read_in_both_forms() {
        assert_eq!(Color::parse("#1D4ED8"), Some(DEFAULT_COLOR));
        assert_eq!(Color::parse("#fff"), Some(Color([255, 255, 255])));
        assert_eq!(DEFAULT_COLOR.hex(), "#1d4ed8");
        for bad in ["", "1d4ed8", "#12345", "#ggg", "#1234567", "#1d4ed８"] {
            assert_eq!(Color::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn white_text_must_reach_aa_contrast() {
        // Known WCAG ratios against white.
        assert!((Color([0, 0, 0]).contrast_with_white() - 21.0).abs() < 0.01);
        assert!((Color([255, 255, 255]).contrast_with_white() - 1.0).abs() < 0.01);
        assert!((Color::parse("#767676").unwrap().contrast_with_white() - 4.54).abs() < 0.01);
        assert!(Color::from_field("widget_color", "#1d4ed8").is_ok());
        assert!(Color::from_field("widget_color", "#767676").is_ok());
        let refused = Color::from_field("widget_color", "#ffd400").unwrap_err();
        assert_eq!(refused.field, "widget_color");
        assert!(refused.message.contains("4.5:1"), "{}", refused.message);
        assert!(Color::from_field("widget_color", "#777777").is_err());
        assert!(Color::from_field("widget_color", "blue").is_err());
    }

    #[test]
    fn languages_are_listed_once_and_never_none() {
        assert_eq!(
            locales_from_field("widget_locales", &["fr".into(), "fr".into(), "en".into()]),
            Ok(vec![Locale::Fr, Locale::En])
        );
        assert!(locales_from_field("widget_locales", &[]).is_err());
        assert!(locales_from_field("widget_locales", &["de".into()]).is_err());
        assert_eq!(locales_from_text("fr"), vec![Locale::Fr]);
        assert_eq!(locales_from_text(""), Locale::ALL.to_vec());
        assert_eq!(locales_to_text(&[Locale::En, Locale::Fr]), "en,fr");
    }
}
