//! Web Push (RFC 8030/8291/8292) groundwork: the server's VAPID key pair and the checks of a
//! browser's push subscription. The public key goes to the inbox (the browser subscribes
//! with it); the private key signs the VAPID token of every push, so every node must share
//! it (configuration, or a file in the data directory).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use p256::SecretKey;
use p256::elliptic_curve::sec1::ToEncodedPoint;

/// The server's VAPID key pair (P-256).
#[derive(Clone)]
pub struct VapidKey {
    secret: SecretKey,
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
            if let Ok(secret) = SecretKey::from_slice(&bytes) {
                return Self { secret };
            }
        }
    }

    /// The private key as configured: its 32 bytes, base64url.
    pub fn from_base64url(raw: &str) -> Result<Self, String> {
        let bytes = URL_SAFE_NO_PAD
            .decode(raw.trim().trim_end_matches('='))
            .map_err(|_| "must be base64url".to_owned())?;
        let secret = SecretKey::from_slice(&bytes)
            .map_err(|_| "must be a P-256 private key of 32 bytes".to_owned())?;
        Ok(Self { secret })
    }

    /// The private key, base64url (to keep it).
    pub fn private_base64url(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.secret.to_bytes())
    }

    /// The public key as browsers take it (`applicationServerKey`): the uncompressed point,
    /// base64url.
    pub fn public_key(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.secret.public_key().to_encoded_point(false).as_bytes())
    }
}

/// Why a push subscription is refused: the field and the message.
pub type SubscriptionError = (&'static str, &'static str);

/// Checks a browser's subscription (`PushSubscription.toJSON()`): an https endpoint, the
/// client's P-256 public key (`keys.p256dh`, 65 bytes) and auth secret (`keys.auth`, 16
/// bytes), base64url.
pub fn check_subscription(
    endpoint: &str,
    p256dh: &str,
    auth: &str,
) -> Result<(), SubscriptionError> {
    let url = url::Url::parse(endpoint).map_err(|_| ("endpoint", "must be an https URL"))?;
    if url.scheme() != "https" || url.host().is_none() || endpoint.len() > 2000 {
        return Err(("endpoint", "must be an https URL"));
    }
    let decode = |s: &str| URL_SAFE_NO_PAD.decode(s.trim_end_matches('=')).ok();
    match decode(p256dh) {
        Some(k) if k.len() == 65 && p256::PublicKey::from_sec1_bytes(&k).is_ok() => {}
        _ => {
            return Err((
                "keys.p256dh",
                "must be a P-256 public key (65 bytes, base64url)",
            ));
        }
    }
    match decode(auth) {
        Some(a) if a.len() == 16 => Ok(()),
        _ => Err(("keys.auth", "must be 16 bytes, base64url")),
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
        assert!(check_subscription("https://push.example.com/abc", &client, &auth).is_ok());
        assert_eq!(
            check_subscription("http://push.example.com/abc", &client, &auth)
                .unwrap_err()
                .0,
            "endpoint"
        );
        assert_eq!(
            check_subscription("https://push.example.com/abc", "AAAA", &auth)
                .unwrap_err()
                .0,
            "keys.p256dh"
        );
        assert_eq!(
            check_subscription("https://push.example.com/abc", &client, "AAAA")
                .unwrap_err()
                .0,
            "keys.auth"
        );
    }
}
