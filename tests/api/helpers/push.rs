//! A browser's side of Web Push, written from the RFCs apart from the server's code: its key
//! pair and auth secret, the subscription it hands the server, and the decryption of what a
//! push service delivers.

use chrono::{DateTime, Utc};
use serde_json::json;

use super::{Reply, TestApp};

/// A browser's side of Web Push: its key pair and auth secret, and the subscription it
/// hands the server for an endpoint.
pub struct Browser {
    key: p256::SecretKey,
    auth: [u8; 16],
}

impl Browser {
    pub fn new() -> Self {
        use aes_gcm::aead::OsRng;
        use aes_gcm::aead::rand_core::RngCore;
        let mut auth = [0u8; 16];
        OsRng.fill_bytes(&mut auth);
        Self {
            key: p256::SecretKey::random(&mut OsRng),
            auth,
        }
    }

    fn public(&self) -> Vec<u8> {
        use p256::elliptic_curve::sec1::ToEncodedPoint;
        self.key
            .public_key()
            .to_encoded_point(false)
            .as_bytes()
            .to_vec()
    }

    pub fn subscription(&self, endpoint: &str) -> serde_json::Value {
        json!({"endpoint": endpoint, "keys": {"p256dh": b64(&self.public()), "auth": b64(&self.auth)}})
    }

    /// Decrypts an `aes128gcm` push body (RFC 8188 framing, RFC 8291 keys): what a browser
    /// does. Written here from the RFCs, apart from the code that encrypts.
    pub fn decrypt(&self, body: &[u8]) -> Vec<u8> {
        use aes_gcm::aead::{Aead, KeyInit};
        use hkdf::Hkdf;
        use sha2::Sha256;
        let (salt, rest) = body.split_at(16);
        let record_size = u32::from_be_bytes(rest[..4].try_into().unwrap()) as usize;
        let id_len = rest[4] as usize;
        let server_public = &rest[5..5 + id_len];
        let ciphertext = &rest[5 + id_len..];
        assert_eq!(
            id_len, 65,
            "the key id is the server's uncompressed P-256 key"
        );
        assert!(ciphertext.len() <= record_size, "one record");
        let shared = p256::ecdh::diffie_hellman(
            self.key.to_nonzero_scalar(),
            p256::PublicKey::from_sec1_bytes(server_public)
                .unwrap()
                .as_affine(),
        );
        // RFC 8291 §3.4: IKM from the shared secret, keyed by the auth secret.
        let mut info = b"WebPush: info\0".to_vec();
        info.extend_from_slice(&self.public());
        info.extend_from_slice(server_public);
        let mut ikm = [0u8; 32];
        Hkdf::<Sha256>::new(Some(&self.auth), shared.raw_secret_bytes())
            .expand(&info, &mut ikm)
            .unwrap();
        // RFC 8188 §2.2: the content encryption key and nonce.
        let prk = Hkdf::<Sha256>::new(Some(salt), &ikm);
        let (mut cek, mut nonce) = ([0u8; 16], [0u8; 12]);
        prk.expand(b"Content-Encoding: aes128gcm\0", &mut cek)
            .unwrap();
        prk.expand(b"Content-Encoding: nonce\0", &mut nonce)
            .unwrap();
        let plain = aes_gcm::Aes128Gcm::new(&cek.into())
            .decrypt(&nonce.into(), ciphertext)
            .expect("the push decrypts with the subscription's keys");
        // The last record ends with the delimiter 2, then zero padding.
        let end = plain.iter().rposition(|b| *b != 0).unwrap();
        assert_eq!(plain[end], 2, "last-record delimiter");
        plain[..end].to_vec()
    }
}

/// Base64url without padding, as Web Push writes keys.
pub fn b64(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Hands the server a push subscription as the caller's browser would.
pub fn subscribe<'a>(
    app: &'a TestApp,
    token: &'a str,
    body: serde_json::Value,
) -> impl std::future::Future<Output = Reply> + 'a {
    app.call(
        reqwest::Method::POST,
        "/api/v1/me/push-subscriptions",
        Some(token),
        Some(body),
    )
}

/// One pass of the app's push worker as if its clock read `at`: how many offers it took to
/// Web Push. Every push it made has been answered when it returns.
pub async fn push_pass(app: &TestApp, at: DateTime<Utc>) -> usize {
    app.service
        .push_unacknowledged_offers(&reqwest::Client::new(), at)
        .await
        .unwrap()
}
