//! Rate limits (SPEC §12.4): what one address, account, widget key, conversation, token or
//! API key may do how often, counted on the realtime store (Redis when configured, so every
//! node shares the count). Too many: [`ServiceError::RateLimited`], a 429 with
//! `Retry-After`. On by default; `SWITCHBOARD_RATE_LIMITS=off` turns them all off.

use std::num::NonZeroU32;
use std::time::Duration;

use switchboard_realtime::{Limits as _, Rate};

use crate::{Service, ServiceError, ServiceResult};

/// The client's address as the node worked it out (the socket's peer, or the nearest
/// untrusted hop of `X-Forwarded-For` behind a trusted proxy), put on each request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientIp(pub std::net::IpAddr);

/// What is limited, and by what key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Limit {
    /// Login attempts from one address (the API and the consoles).
    LoginIp,
    /// Login attempts on one account (tenant and email): past it, the account is locked
    /// until the allowance refills, whatever the password (a guesser's attempts never reach
    /// the password check).
    LoginAccount,
    /// Widget sessions started from one address.
    WidgetIp,
    /// Widget sessions started with one widget key.
    WidgetKey,
    /// Messages a visitor sends in one conversation.
    VisitorMessages,
    /// Sockets opened with one token.
    SocketsToken,
    /// Sockets opened from one address.
    SocketsIp,
    /// API requests made with one API key.
    ApiKey,
}

impl Limit {
    pub const ALL: [Limit; 8] = [
        Limit::LoginIp,
        Limit::LoginAccount,
        Limit::WidgetIp,
        Limit::WidgetKey,
        Limit::VisitorMessages,
        Limit::SocketsToken,
        Limit::SocketsIp,
        Limit::ApiKey,
    ];

    /// The name in keys and settings (`SWITCHBOARD_LIMIT_LOGIN_IP`).
    pub fn name(self) -> &'static str {
        match self {
            Limit::LoginIp => "login_ip",
            Limit::LoginAccount => "login_account",
            Limit::WidgetIp => "widget_ip",
            Limit::WidgetKey => "widget_key",
            Limit::VisitorMessages => "visitor_messages",
            Limit::SocketsToken => "sockets_token",
            Limit::SocketsIp => "sockets_ip",
            Limit::ApiKey => "api_key",
        }
    }

    /// The default: generous for people, tight for scripts.
    pub fn default_rate(self) -> Rate {
        let (burst, secs) = match self {
            Limit::LoginIp => (20, 60),
            Limit::LoginAccount => (10, 300),
            Limit::WidgetIp => (20, 60),
            Limit::WidgetKey => (600, 60),
            Limit::VisitorMessages => (30, 60),
            Limit::SocketsToken => (10, 60),
            Limit::SocketsIp => (60, 60),
            Limit::ApiKey => (600, 60),
        };
        Rate {
            burst: NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN),
            period: Duration::from_secs(secs),
        }
    }
}

/// Parses a rate as written in settings: `N/period`, the period in seconds (`30s`), minutes
/// (`5m`) or hours (`1h`): `20/1m` is 20 at once, refilled over a minute.
pub fn parse_rate(raw: &str) -> Result<Rate, String> {
    let bad = || format!("{raw:?} is not a rate like 20/1m (N per 30s, 5m or 1h)");
    let (n, period) = raw.trim().split_once('/').ok_or_else(bad)?;
    let burst: NonZeroU32 = n.trim().parse().map_err(|_| bad())?;
    let period = period.trim();
    let split = period.len().saturating_sub(1);
    let (amount, unit) = period.split_at(split);
    let amount: u64 = amount.parse().map_err(|_| bad())?;
    let seconds = match unit {
        "s" => amount,
        "m" => amount * 60,
        "h" => amount * 3600,
        _ => return Err(bad()),
    };
    if seconds == 0 || seconds > 86_400 {
        return Err(format!("{raw:?}: the period must be 1 s to 24 h"));
    }
    Ok(Rate {
        burst,
        period: Duration::from_secs(seconds),
    })
}

/// The limits a node applies.
#[derive(Debug, Clone)]
pub struct RateLimits {
    pub enabled: bool,
    rates: std::collections::HashMap<Limit, Rate>,
}

impl Default for RateLimits {
    fn default() -> Self {
        Self {
            enabled: true,
            rates: Limit::ALL.iter().map(|l| (*l, l.default_rate())).collect(),
        }
    }
}

impl RateLimits {
    /// No limit at all (load tests, benchmarks).
    pub fn off() -> Self {
        Self {
            enabled: false,
            ..Self::default()
        }
    }

    pub fn with(mut self, limit: Limit, rate: Rate) -> Self {
        self.rates.insert(limit, rate);
        self
    }

    pub fn rate(&self, limit: Limit) -> Rate {
        self.rates
            .get(&limit)
            .copied()
            .unwrap_or_else(|| limit.default_rate())
    }
}

impl Service {
    /// Sets the node's limits (once, at start-up; later calls change nothing). Until then,
    /// nothing is limited.
    pub fn configure_limits(&self, limits: RateLimits) {
        let _ = self.inner.limits.set(limits);
    }

    fn limits(&self) -> Option<&RateLimits> {
        self.inner.limits.get().filter(|l| l.enabled)
    }

    /// Whether the abuse limits apply (`SWITCHBOARD_RATE_LIMITS` is not `off`).
    pub(crate) fn limits_on(&self) -> bool {
        self.limits().is_some()
    }

    /// A login attempt from `from` on the account `email` (of `tenant`; none: the operator):
    /// counted per address and per account before the password is looked at.
    pub async fn limit_login(
        &self,
        from: Option<ClientIp>,
        tenant: Option<&str>,
        email: &str,
    ) -> ServiceResult<()> {
        if let Some(ClientIp(ip)) = from {
            self.limit(Limit::LoginIp, &ip.to_string()).await?;
        }
        let account = format!(
            "{}:{}",
            tenant.map(str::trim).unwrap_or("-"),
            email.trim().to_lowercase()
        );
        self.limit(Limit::LoginAccount, &account).await
    }

    /// A socket opened from `from` with `token` (kept as a digest, never in clear).
    pub async fn limit_socket(&self, from: Option<ClientIp>, token: &str) -> ServiceResult<()> {
        if let Some(ClientIp(ip)) = from {
            self.limit(Limit::SocketsIp, &ip.to_string()).await?;
        }
        self.limit(Limit::SocketsToken, &crate::sha256_hex(token))
            .await
    }

    /// Takes one of `key`'s allowance under `limit`: `RateLimited` when there is none left.
    pub async fn limit(&self, limit: Limit, key: &str) -> ServiceResult<()> {
        let Some(limits) = self.limits() else {
            return Ok(());
        };
        let key = format!("{}:{key}", limit.name());
        match self.realtime().take(&key, limits.rate(limit)).await? {
            None => Ok(()),
            Some(wait) => Err(ServiceError::RateLimited(wait)),
        }
    }
}
