//! The SHA-256 and HMAC-SHA256 steps that the signers of AWS (SigV4), Tencent Cloud (TC3)
//! and Aliyun (ACS3) share, each of their stages hashed as it is printed:
//!
//! - [`sha256_hex`] and [`sha256_hex_of`]: a payload's or a printed stage's hex SHA-256;
//! - [`hmac_sha256`] and [`hmac_sha256_hex_of`]: a MAC, raw or as hex of a printed stage;
//! - [`derive_key`]: the key chain `HMAC(prefix + secret, scope[0])`, then
//!   `HMAC(previous, scope[i])` (`AWS4` and date, region, service, `aws4_request` for SigV4;
//!   `TC3` and date, service, `tc3_request` for TC3);
//! - [`SigningKey`] and [`HexSignature`]: the derived key of a [`KeyScope`], which never
//!   prints itself, and the hex HMAC it signs a string to sign with (SigV4's and TC3's stages
//!   3 and 4, published by each signer under its own stage names).
//!
//! Pure and allocation-light: the prefixed key is written on the stack when it fits, printed
//! stages are fed to the hash without being built as strings, and hex is written through a
//! stack buffer. The simulator keeps verifiers of its own; this module is for signers.

use std::fmt::{self, Display, Write as _};

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

/// HMAC-SHA256 of `message` under `key`.
pub fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut mac = mac(key);
    mac.update(message);
    mac.finalize().into_bytes().into()
}

/// Lower-case hex of the HMAC-SHA256 of what `stage` prints, under `key`.
pub fn hmac_sha256_hex_of(key: &[u8], stage: &dyn Display) -> String {
    let mut mac = mac(key);
    // Writing into a MAC cannot fail.
    let _ = write!(Feed(&mut mac), "{stage}");
    lower_hex(&mac.finalize().into_bytes())
}

/// Lower-case hex SHA-256 of `data`.
pub fn sha256_hex(data: &[u8]) -> String {
    lower_hex(&Sha256::digest(data))
}

/// Lower-case hex SHA-256 of what `stage` prints.
pub fn sha256_hex_of(stage: &dyn Display) -> String {
    let mut hasher = Sha256::new();
    // Writing into a hash cannot fail.
    let _ = write!(Feed(&mut hasher), "{stage}");
    lower_hex(&hasher.finalize())
}

/// The signing key of a scope: `HMAC(prefix + secret, scope[0])`, then each next part MACed
/// under the key before it. With an empty scope, the key is `prefix + secret` hashed as
/// HMAC keys are (not useful, but total).
pub fn derive_key(prefix: &str, secret: &str, scope: &[&str]) -> [u8; 32] {
    let (prefix, secret) = (prefix.as_bytes(), secret.as_bytes());
    let Some((first, rest)) = scope.split_first() else {
        return hmac_sha256(&[prefix, secret].concat(), b"");
    };
    let mut short = [0u8; 64];
    let mut key = match short.get_mut(..prefix.len() + secret.len()) {
        Some(joined) => {
            joined[..prefix.len()].copy_from_slice(prefix);
            joined[prefix.len()..].copy_from_slice(secret);
            hmac_sha256(joined, first.as_bytes())
        }
        None => hmac_sha256(&[prefix, secret].concat(), first.as_bytes()),
    };
    for part in rest {
        key = hmac_sha256(&key, part.as_bytes());
    }
    key
}

/// A credential scope a [`SigningKey`] is derived for (SigV4's date, region and service;
/// TC3's date and service).
pub trait KeyScope {
    /// The key chain of `secret` for this scope, with [`derive_key`] and the scheme's prefix
    /// and terminator.
    fn derive(&self, secret: &str) -> [u8; 32];
}

/// A signing key derived from a secret for one scope. It signs anything in that scope (for
/// SigV4 and TC3: one day, one service), so neither `Debug` nor anything else prints its
/// bytes, and it has no `Display`.
#[derive(Clone, PartialEq, Eq)]
pub struct SigningKey([u8; 32]);

impl SigningKey {
    /// Derives the key of a secret for a scope.
    pub fn derive(secret: &str, scope: &impl KeyScope) -> Self {
        Self(scope.derive(secret))
    }

    /// A key from its bytes (for vectors that publish the derived key).
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// The key's bytes as lower-case hex, for comparing with published derived keys.
    pub fn to_hex(&self) -> String {
        lower_hex(&self.0)
    }

    /// Signs what a string to sign prints: the lower-case hex of its HMAC-SHA256 under this
    /// key.
    pub fn sign(&self, string_to_sign: &dyn Display) -> HexSignature {
        HexSignature(hmac_sha256_hex_of(&self.0, string_to_sign))
    }
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SigningKey(<redacted>)")
    }
}

/// A signature as lower-case hex.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HexSignature(String);

impl HexSignature {
    /// The hex digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Display for HexSignature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Lower-case hex of `bytes`, through a stack buffer for digests (`hex::encode` collects
/// characters one at a time).
pub fn lower_hex(bytes: &[u8]) -> String {
    let mut buf = [0u8; 128];
    if let Some(out) = buf.get_mut(..bytes.len() * 2) {
        if hex::encode_to_slice(bytes, out).is_ok() {
            return std::str::from_utf8(out).unwrap_or_default().to_owned();
        }
    }
    hex::encode(bytes)
}

fn mac(key: &[u8]) -> Hmac<Sha256> {
    // HMAC takes a key of any length (longer keys are hashed first).
    <Hmac<Sha256> as hmac::digest::KeyInit>::new_from_slice(key)
        .unwrap_or_else(|_| <Hmac<Sha256> as hmac::digest::KeyInit>::new(&Default::default()))
}

/// Feeds what is written into a hash or MAC.
struct Feed<'a, U: sha2::digest::Update>(&'a mut U);

impl<U: sha2::digest::Update> fmt::Write for Feed<'_, U> {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        self.0.update(text.as_bytes());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 4231, test case 2.
    #[test]
    fn hmac_matches_rfc_4231() {
        assert_eq!(
            lower_hex(&hmac_sha256(b"Jefe", b"what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        assert_eq!(
            hmac_sha256_hex_of(b"Jefe", &"what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        // RFC 4231 test case 6: a 131-byte key, hashed first.
        assert_eq!(
            lower_hex(&hmac_sha256(
                &[0xaa; 131],
                b"Test Using Larger Than Block-Size Key - Hash Key First"
            )),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }

    #[test]
    fn hashes_of_printed_stages_equal_hashes_of_their_text() {
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        let stage = format_args!("{}\n{}", "POST", 42).to_string();
        assert_eq!(sha256_hex_of(&stage), sha256_hex(stage.as_bytes()));
    }

    #[test]
    fn key_chains_match_a_step_by_step_derivation() {
        let by_hand = {
            let k1 = hmac_sha256(b"AWS4secret", b"20150830");
            let k2 = hmac_sha256(&k1, b"us-east-1");
            let k3 = hmac_sha256(&k2, b"iam");
            hmac_sha256(&k3, b"aws4_request")
        };
        let scope = ["20150830", "us-east-1", "iam", "aws4_request"];
        assert_eq!(derive_key("AWS4", "secret", &scope), by_hand);
        // A secret too long for the stack buffer gives the same chain as a joined key.
        let long = "s".repeat(100);
        let joined = hmac_sha256(format!("TC3{long}").as_bytes(), b"2019-02-25");
        assert_eq!(derive_key("TC3", &long, &["2019-02-25"]), joined);
    }

    #[test]
    fn signing_keys_sign_as_hex_and_never_print() {
        struct Scope;
        impl KeyScope for Scope {
            fn derive(&self, secret: &str) -> [u8; 32] {
                derive_key(
                    "AWS4",
                    secret,
                    &["20150830", "us-east-1", "iam", "aws4_request"],
                )
            }
        }
        let key = SigningKey::derive("secret", &Scope);
        assert_eq!(key, SigningKey::from_bytes(Scope.derive("secret")));
        assert_eq!(key.to_hex(), lower_hex(&Scope.derive("secret")));
        let signature = key.sign(&"text");
        assert_eq!(
            signature.as_str(),
            hmac_sha256_hex_of(&Scope.derive("secret"), &"text")
        );
        assert_eq!(signature.to_string(), signature.as_str());
        assert_eq!(format!("{key:?}"), "SigningKey(<redacted>)");
    }
}
