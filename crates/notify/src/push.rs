//! Web Push (RFC 8030/8291/8292): the server's VAPID key pair, the checks of a browser's
//! push subscription, and sending one push. The public key goes to the inbox (the browser
//! subscribes with it); the private key signs the VAPID token of every push, so every node
//! must share it (configuration, or a file in the data directory).
//!
//! A push is encrypted for the browser (aes128gcm with its `p256dh` key and `auth` secret),
//! so the push service carries it without reading it. Subscription endpoints are URLs that
//! users hand us: they get the same target checks as webhooks (no private or loopback
//! address unless the deployment allows it), and plain http only then.

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use p256::SecretKey;
use p256::elliptic_curve::sec1::ToEncodedPoint;
use web_push_native::jwt_simple::algorithms::ES256KeyPair;
use web_push_native::{Auth, WebPushBuilder};

/// The server's VAPID key pair (P-256).
#[derive(Clone)]
pub struct VapidKey {
    secret: SecretKey,
    /// The same key, as the VAPID signer takes it (made once; shared, it is not `Clone`).
    signer: std::sync::Arc<ES256KeyPair>,
}

impl std::fmt::Debug for VapidKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VapidKey")
            .field("public", &self.public_key())
            .finish_non_exhaustive()
    }
}

impl VapidKey {
    /// A new random key pair.
    pub fn generate() -> Self {
        use rand::RngCore;
        loop {
            let mut bytes = [0u8; 32];
            rand::rng().fill_bytes(&mut bytes);
            // A scalar at or above the curve order is refused: draw again (p ≈ 2^-32).
            if let Ok(key) = Self::from_bytes(&bytes) {
                return key;
            }
        }
    }

    /// The private key as configured: its 32 bytes, base64url.
    pub fn from_base64url(raw: &str) -> Result<Self, String> {
        let bytes = URL_SAFE_NO_PAD
            .decode(raw.trim().trim_end_matches('='))
            .map_err(|_| "must be base64url".to_owned())?;
        Self::from_bytes(&bytes).map_err(|()| "must be a P-256 private key of 32 bytes".to_owned())
    }

    fn from_bytes(bytes: &[u8]) -> Result<Self, ()> {
        let secret = SecretKey::from_slice(bytes).map_err(|_| ())?;
        let signer = ES256KeyPair::from_bytes(&secret.to_bytes()).map_err(|_| ())?;
        Ok(Self {
            secret,
            signer: std::sync::Arc::new(signer),
        })
    }

    /// The private key, base64url (to keep it).
    pub fn private_base64url(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.secret.to_bytes())
    }

    /// The `Authorization` header of a push to `endpoint` (RFC 8292): a JWT for the push
    /// service's origin, valid 12 hours, naming `contact`, and the public key.
    pub fn vapid_authorization(
        &self,
        endpoint: &url::Url,
        contact: &str,
    ) -> Result<String, String> {
        use web_push_native::jwt_simple::prelude::{Claims, ECDSAP256KeyPairLike};
        let claims = Claims::create(web_push_native::jwt_simple::prelude::Duration::from_hours(
            12,
        ))
        .with_audience(endpoint.origin().ascii_serialization())
        .with_subject(contact);
        let token = self.signer.sign(claims).map_err(|e| e.to_string())?;
        Ok(format!("vapid t={token}, k={}", self.public_key()))
    }

    /// The public key as browsers take it (`applicationServerKey`): the uncompressed point,
    /// base64url.
    pub fn public_key(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.secret.public_key().to_encoded_point(false).as_bytes())
    }
}

/// Why a push subscription is refused: the field and the message.
pub type SubscriptionError = (&'static str, &'static str);

/// Checks a browser's subscription (`PushSubscription.toJSON()`): an https endpoint on a
/// public address (`allow_private`: http and private addresses too), the client's P-256
/// public key (`keys.p256dh`, 65 bytes) and auth secret (`keys.auth`, 16 bytes), base64url.
pub fn check_subscription(
    endpoint: &str,
    p256dh: &str,
    auth: &str,
    allow_private: bool,
) -> Result<(), SubscriptionError> {
    let https = "must be an https URL";
    let url = crate::webhook::check_url(endpoint, allow_private).map_err(|e| {
        if e == crate::webhook::TargetError::Private {
            (
                "endpoint",
                "must not point to a private or loopback address",
            )
        } else {
            ("endpoint", https)
        }
    })?;
    if (url.scheme() != "https" && !allow_private) || endpoint.len() > 2000 {
        return Err(("endpoint", https));
    }
    decode_keys(p256dh, auth).map(|_| ())
}

fn decode_keys(p256dh: &str, auth: &str) -> Result<(p256::PublicKey, Auth), SubscriptionError> {
    let decode = |s: &str| URL_SAFE_NO_PAD.decode(s.trim_end_matches('=')).ok();
    let key = decode(p256dh)
        .filter(|k| k.len() == 65)
        .and_then(|k| p256::PublicKey::from_sec1_bytes(&k).ok())
        .ok_or((
            "keys.p256dh",
            "must be a P-256 public key (65 bytes, base64url)",
        ))?;
    match decode(auth) {
        Some(a) if a.len() == 16 => Ok((key, Auth::clone_from_slice(&a))),
        _ => Err(("keys.auth", "must be 16 bytes, base64url")),
    }
}

/// How long one push may take.
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// A browser's subscription, as stored.
pub struct Subscription<'a> {
    pub endpoint: &'a str,
    pub p256dh: &'a str,
    pub auth: &'a str,
}

/// What the push service made of one push.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PushOutcome {
    /// Accepted for delivery (2xx).
    Accepted,
    /// The subscription is gone (404 or 410): forget it.
    Gone,
    /// Any other answer, or none: the reason.
    Failed(String),
}

/// Sends `payload` to one browser, signed with the server's VAPID key (`contact`: a
/// `mailto:` or https URL the push service may reach the operator at). `ttl`: how long the
/// push service keeps it for a browser that is offline (an offer is worth nothing after its
/// deadline). Sent with `Urgency: high`: an offer is time-critical.
pub async fn send(
    client: &reqwest::Client,
    key: &VapidKey,
    contact: &str,
    subscription: &Subscription<'_>,
    payload: &[u8],
    ttl: Duration,
    allow_private: bool,
) -> PushOutcome {
    let target = match crate::webhook::check_url(subscription.endpoint, allow_private) {
        Ok(t) if t.scheme() == "https" || allow_private => t,
        Ok(_) => return PushOutcome::Failed("the endpoint is not https".into()),
        Err(e) => return PushOutcome::Failed(e.to_string()),
    };
    let (ua_public, ua_auth) = match decode_keys(subscription.p256dh, subscription.auth) {
        Ok(k) => k,
        Err((_, why)) => return PushOutcome::Failed(why.into()),
    };
    let Ok(uri) = target.as_str().parse::<http::Uri>() else {
        return PushOutcome::Failed("the endpoint is not a valid URI".into());
    };
    // Encrypted by the library; the VAPID header is ours: the library's token names the
    // origin without its port, which RFC 8292 §2 requires when it is not the default.
    let request = match WebPushBuilder::new(uri, ua_public, ua_auth)
        .with_valid_duration(ttl.max(Duration::from_secs(1)))
        .build(payload.to_vec())
    {
        Ok(r) => r,
        Err(e) => return PushOutcome::Failed(format!("building the push: {e}")),
    };
    let authorization = match key.vapid_authorization(&target, contact) {
        Ok(a) => a,
        Err(e) => return PushOutcome::Failed(format!("signing the push: {e}")),
    };
    let (parts, body) = request.into_parts();
    let sent = client
        .post(target)
        .timeout(TIMEOUT)
        .headers(parts.headers)
        .header("Authorization", authorization)
        .header("Urgency", "high")
        .body(body)
        .send()
        .await;
    match sent {
        Ok(r) if r.status().is_success() => PushOutcome::Accepted,
        Ok(r) if matches!(r.status().as_u16(), 404 | 410) => PushOutcome::Gone,
        Ok(r) => PushOutcome::Failed(format!("the push service answered {}", r.status())),
        Err(e) => PushOutcome::Failed(format!(
            "no answer from the push service: {}",
            crate::outbound::describe(&e)
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_pair_survives_its_round_trip_and_gives_an_uncompressed_public_key() {
        let k = VapidKey::generate();
        let again = VapidKey::from_base64url(&k.private_base64url()).unwrap();
        assert_eq!(k.public_key(), again.public_key());
        let public = URL_SAFE_NO_PAD.decode(k.public_key()).unwrap();
        assert_eq!((public.len(), public[0]), (65, 4));
        assert!(VapidKey::from_base64url("not base64!").is_err());
        assert!(VapidKey::from_base64url(&URL_SAFE_NO_PAD.encode([0u8; 32])).is_err());
    }

    #[test]
    fn subscriptions_need_an_https_endpoint_a_p256_key_and_a_16_byte_secret() {
        let client = VapidKey::generate().public_key();
        let auth = URL_SAFE_NO_PAD.encode([7u8; 16]);
        assert!(check_subscription("https://push.example.com/abc", &client, &auth, false).is_ok());
        assert_eq!(
            check_subscription("http://push.example.com/abc", &client, &auth, false)
                .unwrap_err()
                .0,
            "endpoint"
        );
        assert_eq!(
            check_subscription("https://push.example.com/abc", "AAAA", &auth, false)
                .unwrap_err()
                .0,
            "keys.p256dh"
        );
        assert_eq!(
            check_subscription("https://push.example.com/abc", &client, "AAAA", false)
                .unwrap_err()
                .0,
            "keys.auth"
        );
        assert_eq!(
            check_subscription("https://127.0.0.1/abc", &client, &auth, false)
                .unwrap_err()
                .0,
            "endpoint"
        );
        assert!(check_subscription("http://127.0.0.1:9/abc", &client, &auth, true).is_ok());
    }
}
