//! Standard Webhooks signing, in stages: the secret's key, the signed content, the
//! signature.
//!
//! A request carries `webhook-id`, `webhook-timestamp` (Unix seconds) and
//! `webhook-signature: v1,<base64 of HMAC-SHA256(key, "<id>.<timestamp>.<body>")>`, where the
//! key is the base64 after the `whsec_` prefix of the secret. Public on purpose: the tests
//! reproduce the specification's vector and vectors made with its official Python library
//! (`tests/vectors/standard-webhooks/SOURCE.md`) stage by stage, and a receiver written in
//! Rust can verify with the same functions.

use base64::Engine as _;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use connector_kit::digest::hmac_sha256;

/// The prefix of a Standard Webhooks secret.
pub const SECRET_PREFIX: &str = "whsec_";

/// The shortest and longest key the specification recommends, in bytes.
pub const KEY_BYTES: (usize, usize) = (24, 64);

/// Standard base64, with or without its `=` padding (secrets are copied both ways).
const BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Stage 1: the HMAC key of a `whsec_<base64>` secret. The error says what is wrong without
/// repeating the secret.
pub fn key_of_secret(secret: &str) -> Result<Vec<u8>, String> {
    let Some(encoded) = secret.strip_prefix(SECRET_PREFIX) else {
        return Err(format!(
            "must start with {SECRET_PREFIX} followed by the key in base64"
        ));
    };
    let key = BASE64
        .decode(encoded)
        .map_err(|_| format!("the part after {SECRET_PREFIX} is not valid base64"))?;
    let (min, max) = KEY_BYTES;
    if !(min..=max).contains(&key.len()) {
        return Err(format!(
            "the key must be {min} to {max} bytes long; this one is {} bytes",
            key.len()
        ));
    }
    Ok(key)
}

/// Stage 2: the bytes that are signed: `<id>.<timestamp>.<body>`.
pub fn signed_content(id: &str, timestamp: u64, body: &[u8]) -> Vec<u8> {
    let timestamp = timestamp.to_string();
    let mut content = Vec::with_capacity(id.len() + timestamp.len() + body.len() + 2);
    content.extend_from_slice(id.as_bytes());
    content.push(b'.');
    content.extend_from_slice(timestamp.as_bytes());
    content.push(b'.');
    content.extend_from_slice(body);
    content
}

/// Stage 3: the `webhook-signature` value of `content`: `v1,` and the base64 of its
/// HMAC-SHA256 under `key`.
pub fn signature(key: &[u8], content: &[u8]) -> String {
    let digest = hmac_sha256(key, content);
    let mut value = String::with_capacity(48);
    value.push_str("v1,");
    base64::engine::general_purpose::STANDARD.encode_string(digest, &mut value);
    value
}

/// The three stages at once: the `webhook-signature` value of a request.
pub fn sign(key: &[u8], id: &str, timestamp: u64, body: &[u8]) -> String {
    signature(key, &signed_content(id, timestamp, body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_must_be_prefixed_base64_of_a_sensible_length() {
        assert_eq!(
            key_of_secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
                .unwrap()
                .len(),
            24
        );
        assert!(key_of_secret("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").is_err());
        assert!(key_of_secret("whsec_not base64!").is_err());
        let short = key_of_secret("whsec_c2hvcnQ=").unwrap_err();
        assert!(short.contains("24 to 64 bytes"), "{short}");
        assert!(
            !short.contains("c2hvcnQ"),
            "the error never repeats the secret"
        );
    }
}
