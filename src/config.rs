//! Configuration from the environment (12-factor), typed and validated at start-up.
//! Each option's value name is its environment variable, so a bad value stops start-up with
//! a message that names the variable to fix.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, ValueEnum};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Clone, Args)]
pub struct Config {
    /// Database URL: `sqlite://path?mode=rwc` or `postgres://user@host/db`.
    /// Unset: an SQLite file in the data directory.
    #[arg(long, env = "DATABASE_URL", value_name = "DATABASE_URL", value_parser = parse_database_url, hide_env_values = true)]
    pub database_url: Option<String>,

    /// Redis URL for presence, routing and fan-out shared by several nodes. Unset: in-process
    /// (one node).
    #[arg(long, env = "REDIS_URL", value_name = "REDIS_URL", value_parser = parse_redis_url, hide_env_values = true)]
    pub redis_url: Option<String>,

    /// A CA certificate (PEM file) to trust for Redis over TLS (`rediss://`) besides the
    /// system's (a Redis with a private CA).
    #[arg(
        long,
        env = "SWITCHBOARD_REDIS_CA_FILE",
        value_name = "SWITCHBOARD_REDIS_CA_FILE"
    )]
    pub redis_ca_file: Option<PathBuf>,

    /// Prefix of every Redis key, so that deployments (or test runs) can share a Redis.
    #[arg(
        long,
        env = "SWITCHBOARD_REDIS_NAMESPACE",
        value_name = "SWITCHBOARD_REDIS_NAMESPACE",
        default_value = "sb"
    )]
    pub redis_namespace: String,

    /// Address to listen on.
    #[arg(
        long,
        env = "SWITCHBOARD_LISTEN",
        value_name = "SWITCHBOARD_LISTEN",
        default_value = "127.0.0.1:8080"
    )]
    pub listen: SocketAddr,

    /// Serve `/metrics` on this address of its own (no token there; keep it off the public
    /// network), and not on the main listener.
    #[arg(
        long,
        env = "SWITCHBOARD_METRICS_LISTEN",
        value_name = "SWITCHBOARD_METRICS_LISTEN"
    )]
    pub metrics_listen: Option<SocketAddr>,

    /// The bearer token `/metrics` on the main listener asks for (at least 16 characters).
    /// With neither this nor `SWITCHBOARD_METRICS_LISTEN`, metrics are not served.
    #[arg(long, env = "SWITCHBOARD_METRICS_TOKEN", value_name = "SWITCHBOARD_METRICS_TOKEN", value_parser = parse_metrics_token, hide_env_values = true)]
    pub metrics_token: Option<String>,

    /// The URL users reach the server at (links in answers and mail). Unset: http://<listen>.
    #[arg(long, env = "SWITCHBOARD_PUBLIC_URL", value_name = "SWITCHBOARD_PUBLIC_URL", value_parser = parse_public_url)]
    pub public_url: Option<String>,

    /// Where the SQLite file and generated secrets are kept.
    #[arg(
        long,
        env = "SWITCHBOARD_DATA_DIR",
        value_name = "SWITCHBOARD_DATA_DIR",
        default_value = "data"
    )]
    pub data_dir: PathBuf,

    /// Secret for signing access tokens (at least 32 bytes). Unset: generated and kept in the
    /// data directory. Nodes sharing a database must share it.
    #[arg(long, env = "SWITCHBOARD_JWT_SECRET", value_name = "SWITCHBOARD_JWT_SECRET", value_parser = parse_secret, hide_env_values = true)]
    pub jwt_secret: Option<String>,

    /// Key that seals the secrets stored in the database (webhook and identity-verification
    /// secrets, two-factor secrets) and the tokens of widget sessions not stored yet, at
    /// least 32 bytes. Unset: generated and kept in the data
    /// directory. Nodes sharing a database must share it; changing it makes those secrets
    /// unreadable.
    #[arg(long, env = "SWITCHBOARD_SECRET_KEY", value_name = "SWITCHBOARD_SECRET_KEY", value_parser = parse_secret, hide_env_values = true)]
    pub secret_key: Option<String>,

    /// Lifetime of access tokens, in seconds (60–86400).
    #[arg(long, env = "SWITCHBOARD_TOKEN_TTL_SECONDS", value_name = "SWITCHBOARD_TOKEN_TTL_SECONDS", default_value_t = 900, value_parser = clap::value_parser!(u64).range(60..=86400))]
    pub token_ttl_seconds: u64,

    /// Email of the platform operator created on first start.
    #[arg(
        long,
        env = "SWITCHBOARD_OPERATOR_EMAIL",
        value_name = "SWITCHBOARD_OPERATOR_EMAIL",
        default_value = "operator@switchboard.local"
    )]
    pub operator_email: String,

    /// Password of the platform operator created on first start. Unset: generated and printed once.
    #[arg(
        long,
        env = "SWITCHBOARD_OPERATOR_PASSWORD",
        value_name = "SWITCHBOARD_OPERATOR_PASSWORD",
        hide_env_values = true
    )]
    pub operator_password: Option<String>,

    /// Log format: `text` for people, `json` for log collectors.
    #[arg(
        long,
        env = "SWITCHBOARD_LOG_FORMAT",
        value_name = "SWITCHBOARD_LOG_FORMAT",
        value_enum,
        default_value = "text"
    )]
    pub log_format: LogFormat,

    /// Log filter (tracing's EnvFilter syntax), e.g. `info` or `switchboard=debug`.
    #[arg(
        long,
        env = "SWITCHBOARD_LOG",
        value_name = "SWITCHBOARD_LOG",
        default_value = "info"
    )]
    pub log: String,

    /// The trusted proxy's headers giving a visitor's country, region and city,
    /// comma-separated in that order.
    #[arg(
        long,
        env = "SWITCHBOARD_GEO_HEADERS",
        value_name = "SWITCHBOARD_GEO_HEADERS",
        default_value = "X-Geo-Country,X-Geo-Region,X-Geo-City"
    )]
    pub geo_headers: switchboard_api::GeoHeaders,

    /// A MaxMind City database (GeoLite2-City or GeoIP2-City `.mmdb`) to locate visitors
    /// with when no trusted proxy's headers say where they are. Read and checked at
    /// start-up: a missing or corrupt file stops it. Unset: location from headers only.
    #[arg(
        long,
        env = "SWITCHBOARD_GEOIP_DB",
        value_name = "SWITCHBOARD_GEOIP_DB"
    )]
    pub geoip_db: Option<PathBuf>,

    /// The reverse proxies in front of the server, comma-separated addresses and networks
    /// (`10.0.0.0/8,fd00::/8`), or `none`. Only from them are `X-Forwarded-For` and the geo
    /// headers believed; the client's address is the nearest hop of `X-Forwarded-For` that
    /// is not one of them.
    #[arg(
        long,
        env = "SWITCHBOARD_TRUSTED_PROXIES",
        value_name = "SWITCHBOARD_TRUSTED_PROXIES",
        default_value = "127.0.0.0/8,::1"
    )]
    pub trusted_proxies: switchboard_api::TrustedProxies,

    /// Rate limits (429 with `Retry-After`): `on` (the defaults), `off` (load tests,
    /// benchmarks), or changes to the defaults, comma-separated `name=N/period` with the
    /// period in s, m or h: `login_ip=20/1m,widget_ip=100/1m`. Names: login_ip,
    /// login_account, widget_ip, widget_key, visitor_messages, sockets_token, sockets_ip,
    /// api_key.
    #[arg(
        long,
        env = "SWITCHBOARD_RATE_LIMITS",
        value_name = "SWITCHBOARD_RATE_LIMITS",
        default_value = "on",
        value_parser = parse_rate_limits
    )]
    pub rate_limits: switchboard_service::limits::RateLimits,

    /// Require two-factor sign-in of the platform operator and of every workspace's owners:
    /// until theirs is on, they can only turn it on (API: 403 `two-factor-required`;
    /// console: the account page).
    #[arg(long = "require-2fa", env = "SWITCHBOARD_REQUIRE_2FA", value_name = "SWITCHBOARD_REQUIRE_2FA", default_value_t = false, action = clap::ArgAction::Set)]
    pub require_2fa: bool,

    /// The VAPID private key for Web Push (a P-256 key's 32 bytes, base64url). Unset:
    /// generated and kept in the data directory. Nodes sharing a database must share it.
    #[arg(long, env = "SWITCHBOARD_VAPID_PRIVATE_KEY", value_name = "SWITCHBOARD_VAPID_PRIVATE_KEY", value_parser = parse_vapid_key, hide_env_values = true)]
    pub vapid_private_key: Option<switchboard_notify::push::VapidKey>,

    /// Let webhook endpoints be on private or loopback addresses. Off by default: a tenant
    /// could otherwise make the server probe its own network.
    #[arg(long, env = "SWITCHBOARD_WEBHOOK_ALLOW_PRIVATE", value_name = "SWITCHBOARD_WEBHOOK_ALLOW_PRIVATE", default_value_t = false, action = clap::ArgAction::Set)]
    pub webhook_allow_private: bool,

    /// Delay before a failed webhook delivery's first retry, in seconds (1–3600); each
    /// next retry waits twice as long, up to an hour.
    #[arg(long, env = "SWITCHBOARD_WEBHOOK_RETRY_SECONDS", value_name = "SWITCHBOARD_WEBHOOK_RETRY_SECONDS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub webhook_retry_seconds: u64,

    /// Push subscription endpoints may be plain http and on private or loopback addresses
    /// (a self-hosted or test push service). Off by default: a user could otherwise make the
    /// server call into its own network.
    #[arg(long, env = "SWITCHBOARD_PUSH_ALLOW_PRIVATE", value_name = "SWITCHBOARD_PUSH_ALLOW_PRIVATE", default_value_t = false, action = clap::ArgAction::Set)]
    pub push_allow_private: bool,

    /// The SMTP server for email (failed-action email): `smtps://user:pass@host:465` (TLS),
    /// `smtp://user:pass@host:587?tls=required` (STARTTLS), `smtp://host:25` (plain).
    /// Unset: no email is sent.
    #[arg(long, env = "SWITCHBOARD_SMTP_URL", value_name = "SWITCHBOARD_SMTP_URL", value_parser = parse_smtp_url, hide_env_values = true)]
    pub smtp_url: Option<String>,

    /// A CA certificate (PEM file) to trust for the SMTP server's TLS besides the public
    /// ones: for a relay whose certificate a private CA signed.
    #[arg(
        long,
        env = "SWITCHBOARD_SMTP_CA_FILE",
        value_name = "SWITCHBOARD_SMTP_CA_FILE"
    )]
    pub smtp_ca_file: Option<PathBuf>,

    /// The sender of email: `Name <address>` or an address.
    #[arg(
        long,
        env = "SWITCHBOARD_SMTP_FROM",
        value_name = "SWITCHBOARD_SMTP_FROM",
        default_value = "Switchboard <switchboard@localhost>"
    )]
    pub smtp_from: String,

    /// Delay before a failed email's first retry, in seconds (1–3600); each next retry
    /// waits twice as long, up to an hour, 10 attempts in all.
    #[arg(long, env = "SWITCHBOARD_MAIL_RETRY_SECONDS", value_name = "SWITCHBOARD_MAIL_RETRY_SECONDS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub mail_retry_seconds: u64,

    /// At most one failed-action email per recipient and reason this often, in seconds
    /// (1–86400); the failures in between go together as one digest.
    #[arg(long, env = "SWITCHBOARD_MAIL_DIGEST_SECONDS", value_name = "SWITCHBOARD_MAIL_DIGEST_SECONDS", default_value_t = 600, value_parser = clap::value_parser!(u64).range(1..=86400))]
    pub mail_digest_seconds: u64,

    /// How long a visitor waiting in line keeps their place after their widget closed (a
    /// reload, a network change), in seconds (1–3600); then they leave the line.
    #[arg(long, env = "SWITCHBOARD_VISITOR_GRACE_SECONDS", value_name = "SWITCHBOARD_VISITOR_GRACE_SECONDS", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub visitor_grace_seconds: u64,

    /// Largest number of database connections per node.
    #[arg(long, env = "SWITCHBOARD_DB_MAX_CONNECTIONS", value_name = "SWITCHBOARD_DB_MAX_CONNECTIONS", default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub db_max_connections: u32,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field(
                "database_url",
                &self.database_url.as_ref().map(|u| redact_url(u)),
            )
            .field("redis_url", &self.redis_url.as_ref().map(|u| redact_url(u)))
            .field("listen", &self.listen)
            .field("metrics_listen", &self.metrics_listen)
            .field(
                "metrics_token",
                &self.metrics_token.as_ref().map(|_| "<redacted>"),
            )
            .field("public_url", &self.public_url)
            .field("data_dir", &self.data_dir)
            .field(
                "jwt_secret",
                &self.jwt_secret.as_ref().map(|_| "<redacted>"),
            )
            .field(
                "secret_key",
                &self.secret_key.as_ref().map(|_| "<redacted>"),
            )
            .field("token_ttl_seconds", &self.token_ttl_seconds)
            .field("operator_email", &self.operator_email)
            .field("log_format", &self.log_format)
            .field("smtp_url", &self.smtp_url.as_ref().map(|u| redact_url(u)))
            .field("geoip_db", &self.geoip_db)
            .field("trusted_proxies", &self.trusted_proxies)
            .field("rate_limits", &self.rate_limits)
            .field("require_2fa", &self.require_2fa)
            .finish_non_exhaustive()
    }
}

impl Config {
    /// The database URL in force: the configured one, or the SQLite file under the data dir.
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(url) => url.clone(),
            None => format!(
                "sqlite://{}?mode=rwc",
                self.data_dir.join("switchboard.db").display()
            ),
        }
    }

    pub fn public_url(&self, bound: SocketAddr) -> String {
        self.public_url
            .clone()
            .unwrap_or_else(|| format!("http://{bound}"))
    }
}

/// `postgres://user:secret@host/db` → `postgres://user:***@host/db`.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let creds = &url[scheme_end + 3..at];
            match creds.find(':') {
                Some(colon) => format!(
                    "{}{}:***{}",
                    &url[..scheme_end + 3],
                    &creds[..colon],
                    &url[at..]
                ),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

fn parse_database_url(raw: &str) -> Result<String, String> {
    let ok = ["sqlite:", "postgres://", "postgresql://"]
        .iter()
        .any(|scheme| raw.starts_with(scheme));
    if ok {
        Ok(raw.to_owned())
    } else {
        Err("must start with sqlite:, postgres:// or postgresql://".to_owned())
    }
}

fn parse_rate_limits(raw: &str) -> Result<switchboard_service::limits::RateLimits, String> {
    use switchboard_service::limits::{Limit, RateLimits, parse_rate};
    match raw.trim() {
        "on" | "" => return Ok(RateLimits::default()),
        "off" => return Ok(RateLimits::off()),
        _ => {}
    }
    let mut limits = RateLimits::default();
    for part in raw.split(',') {
        let (name, rate) = part
            .split_once('=')
            .ok_or_else(|| format!("{part:?}: expected name=N/period, on or off"))?;
        let limit = Limit::ALL
            .into_iter()
            .find(|l| l.name() == name.trim())
            .ok_or_else(|| format!("{name:?} is not a rate limit's name"))?;
        limits = limits.with(limit, parse_rate(rate)?);
    }
    Ok(limits)
}

fn parse_redis_url(raw: &str) -> Result<String, String> {
    if raw.starts_with("redis://") || raw.starts_with("rediss://") {
        Ok(raw.to_owned())
    } else {
        Err("must start with redis:// or rediss://".to_owned())
    }
}

fn parse_public_url(raw: &str) -> Result<String, String> {
    let trimmed = raw.trim_end_matches('/');
    let rest = trimmed
        .strip_prefix("http://")
        .or_else(|| trimmed.strip_prefix("https://"))
        .ok_or("must start with http:// or https://")?;
    if rest.is_empty() || rest.contains(char::is_whitespace) {
        return Err("must name a host, like https://chat.example.com".to_owned());
    }
    Ok(trimmed.to_owned())
}

fn parse_smtp_url(raw: &str) -> Result<String, String> {
    if !(raw.starts_with("smtp://") || raw.starts_with("smtps://")) {
        return Err("must start with smtp:// or smtps://".into());
    }
    switchboard_notify::mail::Mailer::check_url(raw).map_err(|e| e.to_string())?;
    Ok(raw.to_owned())
}

fn parse_metrics_token(raw: &str) -> Result<String, String> {
    if raw.len() < 16 {
        return Err("must be at least 16 characters".into());
    }
    Ok(raw.to_owned())
}

fn parse_vapid_key(raw: &str) -> Result<switchboard_notify::push::VapidKey, String> {
    switchboard_notify::push::VapidKey::from_base64url(raw)
}

fn parse_secret(raw: &str) -> Result<String, String> {
    if raw.len() < 32 {
        return Err(
            "must be at least 32 bytes; generate one with `openssl rand -hex 32`".to_owned(),
        );
    }
    Ok(raw.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_urls_must_name_a_supported_backend() {
        assert!(parse_database_url("sqlite://data/x.db?mode=rwc").is_ok());
        assert!(parse_database_url("postgres://postgres@127.0.0.1/db").is_ok());
        assert!(parse_database_url("mysql://root@localhost/db").is_err());
    }

    #[test]
    fn passwords_in_database_urls_are_redacted() {
        assert_eq!(
            redact_url("postgres://u:secret@h/db"),
            "postgres://u:***@h/db"
        );
        assert_eq!(redact_url("sqlite://data/x.db"), "sqlite://data/x.db");
    }

    #[test]
    fn short_jwt_secrets_are_refused() {
        assert!(parse_secret("short").is_err());
        assert!(parse_secret(&"x".repeat(32)).is_ok());
    }
}
