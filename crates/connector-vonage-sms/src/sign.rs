//! Vonage's signed requests, one stage at a time. Pure: parameters, secret and method in,
//! text out; no clock (the `timestamp` is one of the parameters).
//!
//! | stage | type | what it is |
//! | --- | --- | --- |
//! | 1 | [`StringToSign`] | every parameter but `sig`, sorted by name, each as `&name=value`, with `&` and `=` in values replaced by `_` |
//! | 2 | [`Signature`] | lower-case hex of MD5 over the string to sign followed by the secret (`md5hash`), or of an HMAC over the string to sign keyed with the secret (`md5`, `sha1`, `sha256`, `sha512`) |
//!
//! The signature is sent as `sig`, beside the parameters it signs (sent unchanged: the `_`
//! replacement is only for signing) and the `timestamp` it covers.
//!
//! ```
//! use connector_vonage_sms::SignatureMethod;
//! use connector_vonage_sms::sign::{Signature, StringToSign};
//!
//! let string_to_sign = StringToSign::new([("to", "447700900000"), ("text", "a=b&c")]);
//! assert_eq!(string_to_sign.to_string(), "&text=a_b_c&to=447700900000");
//! let signature = Signature::compute(SignatureMethod::Sha256, &string_to_sign, "secret");
//! assert_eq!(signature.as_str().len(), 64);
//! ```

use std::fmt;

use hmac::{Hmac, Mac};
use md5::{Digest, Md5};
use sha1::Sha1;
use sha2::{Sha256, Sha512};

use crate::config::SignatureMethod;

/// Stage 1: the string to sign.
///
/// The parameters are sorted by name (byte order); each is written as `&name=value`, with
/// every `&` and `=` in the value replaced by `_` (so a value cannot forge another pair).
/// Nothing is percent-encoded: the values are signed as they are meant, not as they travel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StringToSign(String);

impl StringToSign {
    /// The string to sign of these parameters (every one but `sig`).
    pub fn new<I, K, V>(params: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let mut pairs: Vec<(K, V)> = params.into_iter().collect();
        pairs.sort_by(|a, b| a.0.as_ref().cmp(b.0.as_ref()));
        let size = pairs
            .iter()
            .map(|(k, v)| k.as_ref().len() + v.as_ref().len() + 2)
            .sum();
        let mut text = String::with_capacity(size);
        for (name, value) in &pairs {
            text.push('&');
            text.push_str(name.as_ref());
            text.push('=');
            text.extend(value.as_ref().chars().map(|c| match c {
                '&' | '=' => '_',
                other => other,
            }));
        }
        Self(text)
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for StringToSign {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Stage 2: the signature, lower-case hex.
///
/// - `md5hash`: MD5 of the string to sign with the signature secret appended;
/// - `md5`, `sha1`, `sha256`, `sha512`: HMAC with that hash over the string to sign, keyed
///   with the signature secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature(String);

impl Signature {
    /// Signs a string to sign with a signature secret.
    pub fn compute(method: SignatureMethod, string_to_sign: &StringToSign, secret: &str) -> Self {
        let message = string_to_sign.as_str().as_bytes();
        let key = secret.as_bytes();
        let hex = match method {
            SignatureMethod::Md5Hash => {
                let mut hasher = Md5::new();
                hasher.update(message);
                hasher.update(key);
                hex::encode(hasher.finalize())
            }
            SignatureMethod::Md5 => hmac_hex::<Hmac<Md5>>(key, message),
            SignatureMethod::Sha1 => hmac_hex::<Hmac<Sha1>>(key, message),
            SignatureMethod::Sha256 => hmac_hex::<Hmac<Sha256>>(key, message),
            SignatureMethod::Sha512 => hmac_hex::<Hmac<Sha512>>(key, message),
        };
        Self(hex)
    }

    /// The hex text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Lower-case hex of an HMAC (RFC 2104). HMAC takes a key of any length (a longer one is
/// hashed first), so `new_from_slice` cannot fail; an empty digest would only come from a
/// broken hash and fails the provider's check rather than this process.
fn hmac_hex<M: Mac + hmac::digest::KeyInit>(key: &[u8], message: &[u8]) -> String {
    match <M as hmac::digest::KeyInit>::new_from_slice(key) {
        Ok(mut mac) => {
            mac.update(message);
            hex::encode(mac.finalize().into_bytes())
        }
        Err(_) => String::new(),
    }
}

/// Both stages of one signature, for dry runs and tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signed {
    /// Stage 1.
    pub string_to_sign: StringToSign,
    /// Stage 2.
    pub signature: Signature,
}

/// Signs a request's parameters (every one but `sig`, the `timestamp` included).
pub fn sign<I, K, V>(method: SignatureMethod, params: I, secret: &str) -> Signed
where
    I: IntoIterator<Item = (K, V)>,
    K: AsRef<str>,
    V: AsRef<str>,
{
    let string_to_sign = StringToSign::new(params);
    let signature = Signature::compute(method, &string_to_sign, secret);
    Signed {
        string_to_sign,
        signature,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_to_sign_sorts_and_replaces() {
        let s = StringToSign::new([("b", "x=y"), ("a", "1&2"), ("A", "")]);
        assert_eq!(s.to_string(), "&A=&a=1_2&b=x_y");
        assert_eq!(StringToSign::new(Vec::<(&str, &str)>::new()).as_str(), "");
        assert_eq!(
            StringToSign::new([("text", "验证码 %20+")]).as_str(),
            "&text=验证码 %20+"
        );
    }

    /// RFC 2202 (HMAC-MD5, HMAC-SHA1) and RFC 4231 (HMAC-SHA256/512) test case 2, and MD5's
    /// RFC 1321 "abc" for the plain hash.
    #[test]
    fn digests_match_their_rfcs() {
        let jefe = |method| {
            Signature::compute(
                method,
                &StringToSign("what do ya want for nothing?".into()),
                "Jefe",
            )
            .0
        };
        assert_eq!(
            jefe(SignatureMethod::Md5),
            "750c783e6ab0b503eaa86e310a5db738"
        );
        assert_eq!(
            jefe(SignatureMethod::Sha1),
            "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"
        );
        assert_eq!(
            jefe(SignatureMethod::Sha256),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        assert_eq!(
            jefe(SignatureMethod::Sha512),
            "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"
        );
        let plain = Signature::compute(SignatureMethod::Md5Hash, &StringToSign("ab".into()), "c");
        assert_eq!(plain.as_str(), "900150983cd24fb0d6963f7d28e17f72");
    }
}
