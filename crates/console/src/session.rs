//! Console sessions in a cookie, and the CSRF check of every changing form.

use poem::Request;
use switchboard_service::preferences::Reader;
use switchboard_service::{Principal, Service};

/// The session cookie over plain http (a local install).
pub const COOKIE: &str = "sb_session";
/// Behind TLS the cookie is a `__Host-` one: browsers then accept it only with `Secure`,
/// `Path=/` and no `Domain`, so no other host or subdomain can set or shadow it.
pub const HOST_COOKIE: &str = "__Host-sb_session";

/// The signed-in caller of a console page.
pub struct Ctx {
    pub principal: Principal,
    pub csrf: String,
    pub token: String,
    /// The server requires this account's two-factor sign-in and it is not on: only the
    /// account page is open to it (`SWITCHBOARD_REQUIRE_2FA`).
    pub two_factor_required: bool,
    /// The language and time zone the pages are shown in.
    pub reader: Reader,
}

impl Ctx {
    /// The texts of the pages, in the reader's language.
    pub fn tx(&self) -> switchboard_i18n::Texts {
        switchboard_i18n::Texts(self.reader.locale)
    }

    pub fn email(&self) -> &str {
        match &self.principal {
            Principal::Operator { email, .. } | Principal::User { email, .. } => email,
            Principal::ApiKey { label, .. } => label,
        }
    }

    /// Where the account's own page is: the platform console's for the operator.
    pub fn account_page(&self) -> &'static str {
        match self.principal {
            Principal::Operator { .. } => "/platform/account",
            _ => "/console/account",
        }
    }

    /// True when the form's token is the session's: compared in constant time.
    pub fn csrf_ok(&self, submitted: &str) -> bool {
        switchboard_service::auth::constant_time_eq(self.csrf.as_bytes(), submitted.as_bytes())
    }
}

/// The cookie in which the console's script puts the browser's time zone (`Europe/Paris`).
pub const ZONE_COOKIE: &str = "sb_tz";

/// A cookie's value from the request's `Cookie` header.
fn cookie(req: &Request, names: &[&str]) -> Option<String> {
    req.headers()
        .get_all(poem::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| names.contains(name))
        .map(|(_, value)| value.to_owned())
        .filter(|v| !v.is_empty())
}

/// The session token from the request's `Cookie` header.
pub fn token_from(req: &Request) -> Option<String> {
    cookie(req, &[HOST_COOKIE, COOKIE])
}

/// The texts of someone not signed in: their browser's language among the offered ones.
pub async fn anonymous_texts(req: &Request, svc: &Service) -> switchboard_i18n::Texts {
    switchboard_i18n::Texts(reader(req, svc, None).await.locale)
}

/// How the person behind this request reads: the signed-in user's choices, else what their
/// browser asks for (`Accept-Language`, the time-zone cookie), else the workspace's default.
pub async fn reader(req: &Request, svc: &Service, who: Option<&Principal>) -> Reader {
    let zone = cookie(req, &[ZONE_COOKIE]).and_then(|z| {
        url::form_urlencoded::parse(format!("z={z}").as_bytes())
            .next()
            .map(|(_, z)| z.into_owned())
    });
    svc.reader(who, req.header("accept-language"), zone.as_deref())
        .await
}

/// The live session of this request, if any.
pub async fn load(req: &Request, svc: &Service) -> Option<Ctx> {
    let token = token_from(req)?;
    match svc.console_session(&token).await {
        Ok(Some(s)) => {
            let two_factor_required = match svc.check_two_factor_required(&s.principal).await {
                Ok(()) => false,
                Err(switchboard_service::ServiceError::TwoFactorRequired(_)) => true,
                Err(e) => {
                    tracing::error!(error = %e, "reading a console session's two-factor state");
                    return None;
                }
            };
            let reader = reader(req, svc, Some(&s.principal)).await;
            Some(Ctx {
                principal: s.principal,
                csrf: s.csrf_token,
                token,
                two_factor_required,
                reader,
            })
        }
        Ok(None) => None,
        Err(e) => {
            tracing::error!(error = %e, "reading a console session");
            None
        }
    }
}

/// `Set-Cookie` value for a new session: `__Host-` and `Secure` when the public URL is
/// https.
pub fn set_cookie(token: &str, secure: bool) -> String {
    let max_age = switchboard_service::sessions::SESSION_HOURS * 3600;
    if secure {
        format!("{HOST_COOKIE}={token}; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age={max_age}")
    } else {
        format!("{COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}")
    }
}

pub fn clear_cookie(secure: bool) -> String {
    if secure {
        format!("{HOST_COOKIE}=; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=0")
    } else {
        format!("{COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0")
    }
}
