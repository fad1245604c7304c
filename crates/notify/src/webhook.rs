//! Webhook deliveries: signed HTTP POSTs to a tenant's endpoints.
//!
//! **Signature.** Each delivery carries `Switchboard-Signature: t=<unix seconds>,v1=<hex>`,
//! where `<hex>` is HMAC-SHA256 with the endpoint's secret over `"<t>.<body>"`. A receiver
//! recomputes it, compares in constant time, and refuses old timestamps (replays).
//!
//! **Targets.** Only `http` and `https` URLs, without credentials. Addresses that are not
//! public (see [`crate::outbound`]) are refused — as written in the URL, and as the host name
//! resolves at each delivery, through the client's pinned resolver (so a name cannot be
//! pointed inside later) — unless the deployment allows private targets (`allow_private`).

use std::net::IpAddr;
use std::time::Duration;

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The header carrying the signature.
pub const SIGNATURE_HEADER: &str = "Switchboard-Signature";
/// The header naming the event kind.
pub const EVENT_HEADER: &str = "Switchboard-Event";
/// The header with the delivery's id (the same on every retry of it).
pub const DELIVERY_HEADER: &str = "Switchboard-Delivery";
/// How long one delivery attempt may take.
pub const TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TargetError {
    #[error("must be an absolute http or https URL")]
    NotHttp,
    #[error("must not contain a user name or password")]
    Credentials,
    #[error("points to a private, loopback or local address, which is not allowed")]
    Private,
    #[error("the host name does not resolve")]
    Unresolved,
}

/// `v1` signature of `body` sent at `timestamp` (unix seconds), as the header's value.
pub fn signature(secret: &str, timestamp: i64, body: &str) -> String {
    // HMAC takes keys of any length: this cannot fail.
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC accepts any key length"));
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body.as_bytes());
    let hex: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("t={timestamp},v1={hex}")
}

/// Checks a URL as written: scheme, credentials, and an IP literal's range.
pub fn check_url(raw: &str, allow_private: bool) -> Result<url::Url, TargetError> {
    let url = url::Url::parse(raw.trim()).map_err(|_| TargetError::NotHttp)?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(TargetError::NotHttp);
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(TargetError::Credentials);
    }
    if !allow_private {
        let literal = match url.host() {
            Some(url::Host::Ipv4(v4)) => Some(IpAddr::V4(v4)),
            Some(url::Host::Ipv6(v6)) => Some(IpAddr::V6(v6)),
            _ => None,
        };
        if literal.is_some_and(|ip| crate::outbound::forbidden(ip).is_some())
            || url
                .host_str()
                .is_some_and(|h| h.eq_ignore_ascii_case("localhost") || h.ends_with(".localhost"))
        {
            return Err(TargetError::Private);
        }
    }
    Ok(url)
}

/// What one attempt came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attempt {
    /// The receiver answered 2xx.
    Delivered(u16),
    /// It answered something else.
    Refused(u16),
    /// No answer: the reason.
    Failed(String),
}

/// One delivery to make: `body` (JSON) to `url`, signed with `secret`.
pub struct Delivery<'a> {
    pub url: &'a str,
    pub secret: &'a str,
    /// The event kind, e.g. `conversation.ended`.
    pub event: &'a str,
    /// The delivery's id, the same on every retry.
    pub id: &'a str,
    pub body: &'a str,
}

/// One attempt of a delivery, signed now (`timestamp`, unix seconds), with a client from
/// [`crate::outbound::client`].
pub async fn deliver(
    client: &reqwest::Client,
    d: &Delivery<'_>,
    allow_private: bool,
    timestamp: i64,
) -> Attempt {
    let target = match check_url(d.url, allow_private) {
        Ok(t) => t,
        Err(e) => return Attempt::Failed(e.to_string()),
    };
    let sent = client
        .post(target)
        .timeout(TIMEOUT)
        .header("Content-Type", "application/json")
        .header(SIGNATURE_HEADER, signature(d.secret, timestamp, d.body))
        .header(EVENT_HEADER, d.event)
        .header(DELIVERY_HEADER, d.id)
        .body(d.body.to_owned())
        .send()
        .await;
    match sent {
        Ok(r) if r.status().is_success() => Attempt::Delivered(r.status().as_u16()),
        Ok(r) => Attempt::Refused(r.status().as_u16()),
        Err(e) => Attempt::Failed(crate::outbound::describe(&e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_is_hmac_sha256_over_timestamp_dot_body() {
        // Computed independently: python3 -c "import hmac, hashlib;
        // print(hmac.new(b'secret', b'1700000000.{\"a\":1}', hashlib.sha256).hexdigest())"
        let s = signature("secret", 1_700_000_000, r#"{"a":1}"#);
        assert_eq!(
            s,
            "t=1700000000,v1=49f24e537407743fa4a0242bb63b94b9a47ee99cbbe071ccd8a22550ae411686"
        );
        assert_ne!(s, signature("other", 1_700_000_000, r#"{"a":1}"#));
        assert_ne!(s, signature("secret", 1_700_000_001, r#"{"a":1}"#));
    }

    #[test]
    fn only_public_http_urls_are_targets_unless_private_ones_are_allowed() {
        assert!(check_url("https://hooks.example.com/x", false).is_ok());
        for bad in [
            "ftp://example.com/",
            "file:///etc/passwd",
            "not a url",
            "https://",
        ] {
            assert_eq!(
                check_url(bad, false).err(),
                Some(TargetError::NotHttp),
                "{bad}"
            );
        }
        assert_eq!(
            check_url("https://u:p@example.com/", false).err(),
            Some(TargetError::Credentials)
        );
        for private in [
            "http://127.0.0.1:8080/",
            "http://10.1.2.3/",
            "http://192.168.0.1/",
            "http://169.254.169.254/latest/meta-data",
            "http://[::1]/",
            "http://[fd00::1]/",
            "http://[::ffff:127.0.0.1]/",
            "http://localhost/",
            "http://0.0.0.0/",
        ] {
            assert_eq!(
                check_url(private, false).err(),
                Some(TargetError::Private),
                "{private}"
            );
            assert!(check_url(private, true).is_ok(), "{private}");
        }
    }
}
