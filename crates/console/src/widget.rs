//! `/console/widget`: how the workspace's widget looks — its colour (refused when white text
//! on it would be hard to read), title, greeting, the launcher's corner, agents' photos and
//! the languages it speaks — with a live preview: the real widget in a frame
//! (`/console/widget/preview`), drawing a sample conversation in the look being edited.

use askama::Template;
use poem::web::{Data, Query};
use poem::{IntoResponse, Response, Route, get, handler};
use serde::Deserialize;
use switchboard_core::Locale;
use switchboard_core::brand::{Color, MIN_CONTRAST, WidgetBrand};
use switchboard_core::settings::SettingsChange;
use switchboard_service::Service;

use crate::forms::FormErrors;
use crate::guard::{AdminSession, CsrfForm};
use crate::pages::{self, Layout, see_other};
use crate::session::Ctx;
use crate::shared::{PageQuery, error_page, layout};

pub(crate) fn add_routes(routes: Route) -> Route {
    routes
        .at("/widget", get(widget_page).post(save_widget))
        .at("/widget/preview", get(preview_page))
}

/// The form as sent. Checkboxes are sent only when ticked; `locales` once per ticked box.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
struct BrandForm {
    color: String,
    title: String,
    greeting: String,
    position: String,
    agent_photos: Option<String>,
    locale_en: Option<String>,
    locale_fr: Option<String>,
}

impl BrandForm {
    fn of(b: &WidgetBrand) -> Self {
        let on = |l: Locale| b.locales.contains(&l).then(|| "on".to_owned());
        Self {
            color: b.color.hex(),
            title: b.title.clone().unwrap_or_default(),
            greeting: b.greeting.clone().unwrap_or_default(),
            position: b.position.as_str().to_owned(),
            agent_photos: b.agent_photos.then(|| "on".into()),
            locale_en: on(Locale::En),
            locale_fr: on(Locale::Fr),
        }
    }

    fn locales(&self) -> Vec<String> {
        [(&self.locale_en, Locale::En), (&self.locale_fr, Locale::Fr)]
            .into_iter()
            .filter(|(ticked, _)| ticked.is_some())
            .map(|(_, l)| l.as_str().to_owned())
            .collect()
    }

    /// The checks the page makes itself, to say them in the reader's language: a colour to
    /// read white text on, and at least one language.
    fn refusals(&self, ctx: &Ctx) -> FormErrors {
        let tx = ctx.tx();
        let mut errors = FormErrors::default();
        match Color::parse(&self.color) {
            None => errors.add("color", tx.t("brand-color-invalid")),
            Some(c) if c.contrast_with_white() < MIN_CONTRAST => errors.add(
                "color",
                tx.t2(
                    "brand-color-contrast",
                    "color",
                    c.hex(),
                    "ratio",
                    format!("{:.1}", c.contrast_with_white()),
                ),
            ),
            Some(_) => {}
        }
        if self.locales().is_empty() {
            errors.add("locales", tx.t("brand-locales-none"));
        }
        if !errors.is_empty() {
            errors.general = Some(tx.t("form-correct-below"));
        }
        errors
    }
}

#[derive(Template)]
#[template(path = "widget.html")]
struct WidgetPage {
    layout: Layout,
    form: BrandForm,
    errors: FormErrors,
    /// The preview's address with the look shown (saved, or as sent when refused).
    preview: String,
}

fn preview_url(form: &BrandForm) -> String {
    let query = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("color", &form.color)
        .append_pair("title", &form.title)
        .append_pair("greeting", &form.greeting)
        .append_pair("position", &form.position)
        .append_pair(
            "photos",
            if form.agent_photos.is_some() {
                "1"
            } else {
                "0"
            },
        )
        .finish();
    format!("/console/widget/preview?{query}")
}

fn view(ctx: &Ctx, form: BrandForm, errors: FormErrors, notice: Option<String>) -> Response {
    let ok = errors.is_empty();
    let mut layout = layout(ctx, &ctx.tx().t("brand-title"), "widget");
    layout.notice = notice;
    let preview = preview_url(&form);
    pages::render(
        &WidgetPage {
            layout,
            form,
            errors,
            preview,
        },
        pages::form_status(ok),
    )
}

#[handler]
async fn widget_page(
    Query(q): Query<PageQuery>,
    AdminSession(ctx): AdminSession,
    svc: Data<&Service>,
) -> Response {
    match svc.settings(&ctx.principal).await {
        Ok(s) => view(
            &ctx,
            BrandForm::of(&s.settings.brand),
            FormErrors::default(),
            q.notice(&ctx),
        ),
        Err(e) => error_page(&ctx, e),
    }
}

#[handler]
async fn save_widget(
    AdminSession(ctx): AdminSession,
    CsrfForm(form): CsrfForm<BrandForm>,
    svc: Data<&Service>,
) -> Response {
    let refused = form.refusals(&ctx);
    if !refused.is_empty() {
        return view(&ctx, form, refused, None);
    }
    let change = SettingsChange {
        widget_color: Some(form.color.clone()),
        widget_title: Some(form.title.clone()),
        widget_greeting: Some(form.greeting.clone()),
        widget_position: Some(form.position.clone()),
        widget_agent_photos: Some(form.agent_photos.is_some()),
        widget_locales: Some(form.locales()),
        ..SettingsChange::default()
    };
    match svc.update_settings(&ctx.principal, change).await {
        Ok(_) => see_other("/console/widget?notice=widget-saved"),
        Err(e) => view(&ctx, form, FormErrors::from_service(e, ctx.tx()), None),
    }
}

#[derive(Template)]
#[template(path = "widget_preview.html")]
struct PreviewPage {
    lang: &'static str,
    title: String,
    widget_key: String,
}

/// The real widget on an empty page, in preview mode (a sample conversation, no session),
/// for the frame of the widget page. Its look comes from this page's address.
#[handler]
async fn preview_page(AdminSession(ctx): AdminSession, svc: Data<&Service>) -> Response {
    let s = match svc.settings(&ctx.principal).await {
        Ok(s) => s,
        Err(e) => return error_page(&ctx, e),
    };
    let page = PreviewPage {
        lang: ctx.tx().lang(),
        title: ctx.tx().t("brand-preview"),
        widget_key: s.widget_key,
    };
    match page.render() {
        Ok(html) => Response::builder()
            .content_type("text/html; charset=utf-8")
            .header("Cache-Control", "no-store")
            .header("X-Frame-Options", "SAMEORIGIN")
            // The widget adds its own stylesheet, as it does on tenants' sites.
            .header(
                "Content-Security-Policy",
                "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' blob: data:; frame-ancestors 'self'",
            )
            .body(html),
        Err(e) => {
            tracing::error!(error = %e, "rendering the widget preview");
            poem::http::StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
