//! Secrets the server must read back (webhook signing secrets, the identity-verification
//! secret, TOTP secrets) are stored sealed: AES-256-GCM under the server's secret key
//! (`SWITCHBOARD_SECRET_KEY`, else a key kept in the data directory), a random nonce per
//! value. A copy of the database alone reveals none of them.
//!
//! Stored form: `sealed:v1:` + base64url(nonce ‖ ciphertext). A value without the prefix was
//! stored before sealing existed and is read as it is (and sealed when next written).

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use sha2::Digest;

use crate::{ServiceError, ServiceResult};

const PREFIX: &str = "sealed:v1:";
const NONCE: usize = 12;

#[derive(Clone)]
pub struct Sealer {
    cipher: Aes256Gcm,
}

impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sealer(<redacted>)")
    }
}

impl Sealer {
    /// A sealer from key material of any length (at least 32 bytes is the operator's job,
    /// checked where it is configured): the AES key is its SHA-256.
    pub fn new(key_material: &[u8]) -> Self {
        let key = sha2::Sha256::digest(key_material);
        Self {
            cipher: Aes256Gcm::new(&key),
        }
    }

    pub fn seal(&self, plain: &str) -> String {
        format!("{PREFIX}{}", self.seal_bare(plain))
    }

    /// Sealed as base64url without the stored form's prefix: for values handed out (a
    /// visitor's unsaved session) rather than stored.
    pub fn seal_bare(&self, plain: &str) -> String {
        let mut nonce = [0u8; NONCE];
        rand::rng().fill_bytes(&mut nonce);
        // Encryption with a valid key and nonce size does not fail.
        let sealed = self
            .cipher
            .encrypt(Nonce::from_slice(&nonce), plain.as_bytes())
            .unwrap_or_default();
        let mut out = nonce.to_vec();
        out.extend(sealed);
        URL_SAFE_NO_PAD.encode(out)
    }

    /// What [`Self::seal_bare`] sealed; `None` when it does not open (forged, altered, or
    /// sealed under another key).
    pub fn open_bare(&self, sealed: &str) -> Option<String> {
        URL_SAFE_NO_PAD
            .decode(sealed)
            .ok()
            .filter(|b| b.len() > NONCE)
            .and_then(|b| {
                let (nonce, sealed) = b.split_at(NONCE);
                self.cipher.decrypt(Nonce::from_slice(nonce), sealed).ok()
            })
            .and_then(|b| String::from_utf8(b).ok())
    }

    /// The plain value of a stored one. A sealed value that does not open (another key, a
    /// hand edit) is an internal error, logged: the secret must be set again.
    pub fn open(&self, stored: &str) -> ServiceResult<String> {
        let Some(rest) = stored.strip_prefix(PREFIX) else {
            return Ok(stored.to_owned());
        };
        self.open_bare(rest).ok_or_else(|| {
            ServiceError::internal(std::io::Error::other(
                "a stored secret does not open with this server's SWITCHBOARD_SECRET_KEY",
            ))
        })
    }

    pub fn is_sealed(stored: &str) -> bool {
        stored.starts_with(PREFIX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_values_open_with_the_same_key_only_and_differ_each_time() {
        let a = Sealer::new(b"0123456789abcdef0123456789abcdef");
        let b = Sealer::new(b"another key, another key, another");
        let one = a.seal("whsec_top");
        let two = a.seal("whsec_top");
        assert_ne!(one, two);
        assert!(!one.contains("whsec_top"));
        assert!(Sealer::is_sealed(&one));
        assert_eq!(a.open(&one).unwrap(), "whsec_top");
        assert!(b.open(&one).is_err());
        assert_eq!(a.open("legacy-plain").unwrap(), "legacy-plain");
        assert!(a.open("sealed:v1:!!").is_err());
    }
}
