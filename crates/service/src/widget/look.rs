//! What the widget needs before a visitor opens it (issue 17): the workspace's look and the
//! visitor's language — the first their browser asks for among the widget's languages, else
//! the workspace's default (when the widget speaks it), else the widget's first language.

use switchboard_core::Locale;
use switchboard_core::brand::WidgetBrand;

use super::{check_origin, not_found_key};
use crate::{Service, ServiceResult};

/// The widget's look and the language it speaks to this visitor.
#[derive(Debug, Clone)]
pub struct WidgetLook {
    pub locale: Locale,
    pub brand: WidgetBrand,
}

/// The language a visitor reads: their browser's first among the widget's languages, else
/// the workspace's default if the widget speaks it, else the widget's first language.
pub fn visitor_locale(
    brand: &WidgetBrand,
    default: Locale,
    accept_language: Option<&str>,
) -> Locale {
    let fallback = if brand.locales.contains(&default) {
        default
    } else {
        brand.locales.first().copied().unwrap_or(default)
    };
    switchboard_i18n::negotiate(None, accept_language, &brand.locales, fallback)
}

impl Service {
    /// The language the server writes a conversation's lines in: its visitor's.
    pub(crate) async fn visitor_language_of(
        &self,
        c: &switchboard_store::conversations::Model,
    ) -> ServiceResult<Locale> {
        let default = self
            .routing_snapshot(switchboard_core::TenantId::from_uuid(c.tenant_id))
            .await?
            .tenant
            .settings()
            .default_locale;
        Ok(super::visitor_language(c, default))
    }

    /// The look of the widget with this key, in the visitor's language; 404 for an unknown
    /// key, 403 from a site the workspace does not allow.
    pub async fn widget_look(
        &self,
        widget_key: &str,
        origin: Option<&str>,
        accept_language: Option<&str>,
    ) -> ServiceResult<WidgetLook> {
        let tenant_id = self
            .tenant_of_widget(widget_key.trim())
            .await?
            .ok_or_else(not_found_key)?;
        let snapshot = self.routing_snapshot(tenant_id).await?;
        check_origin(&snapshot.tenant, origin)?;
        let settings = snapshot.tenant.settings();
        Ok(WidgetLook {
            locale: visitor_locale(&settings.brand, settings.default_locale, accept_language),
            brand: settings.brand,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_visitor_reads_their_browser_s_language_among_the_widget_s() {
        let both = WidgetBrand::default();
        assert_eq!(
            visitor_locale(&both, Locale::En, Some("fr-CA,fr;q=0.9")),
            Locale::Fr
        );
        assert_eq!(visitor_locale(&both, Locale::Fr, Some("de")), Locale::Fr);
        assert_eq!(visitor_locale(&both, Locale::En, None), Locale::En);
        let french_only = WidgetBrand {
            locales: vec![Locale::Fr],
            ..WidgetBrand::default()
        };
        assert_eq!(
            visitor_locale(&french_only, Locale::En, Some("en-US")),
            Locale::Fr
        );
    }
}
