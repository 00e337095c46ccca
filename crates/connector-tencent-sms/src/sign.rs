//! Tencent Cloud API signature v3 (`TC3-HMAC-SHA256`), as a pure function with one value per
//! stage.
//!
//! The stages, in order, each printable with `Display` exactly as the specification writes it:
//!
//! 1. [`CanonicalRequest`]: method, `/`, the empty query, the canonical headers, the signed
//!    header names and the hex SHA-256 of the body.
//! 2. [`StringToSign`]: the algorithm, the timestamp, the [`CredentialScope`]
//!    (`YYYY-MM-DD/<service>/tc3_request`, from the UTC date of the timestamp) and the hex
//!    SHA-256 of the canonical request.
//! 3. [`SigningKey`]: the HMAC-SHA256 chain over the date, the service and `tc3_request`, keyed
//!    first with `TC3` + SecretKey. It is the one stage that does not print itself: it is as
//!    good as the secret for a day.
//! 4. [`Signature`]: the hex HMAC-SHA256 of the string to sign under the signing key.
//! 5. [`Authorization`]: the `Authorization` header value.
//!
//! [`sign`] runs them all and returns every stage in a [`Signed`]. Nothing here reads a clock
//! or touches the request: the timestamp is an input, and the caller adds the headers.
//!
//! ```
//! use connector_tencent_sms::sign::{sign, Credentials, SignedHeaders, SigningInput};
//!
//! let signed = sign(
//!     &Credentials::new("AKIDexample", "secret-key"),
//!     &SigningInput {
//!         host: "sms.tencentcloudapi.com",
//!         content_type: "application/json; charset=utf-8",
//!         action: "SendSms",
//!         body: br#"{"PhoneNumberSet":["+8613800138000"]}"#,
//!         timestamp: 1_700_000_000,
//!         service: "sms",
//!         signed_headers: SignedHeaders::ContentTypeHost,
//!     },
//! );
//! assert!(signed.authorization.to_string().starts_with(
//!     "TC3-HMAC-SHA256 Credential=AKIDexample/2023-11-14/sms/tc3_request, SignedHeaders=content-type;host, Signature="
//! ));
//! ```

use std::fmt;

use connector_kit::UtcDateTime;
use connector_kit::digest::{KeyScope, derive_key, hmac_sha256, sha256_hex, sha256_hex_of};

/// The algorithm name, first word of the string to sign and of the `Authorization` value.
pub const ALGORITHM: &str = "TC3-HMAC-SHA256";

/// The last element of every credential scope and of the key chain.
pub const TERMINATOR: &str = "tc3_request";

/// The only method the connector signs. Signature v3 also allows GET, which SendSms does not
/// need.
pub const METHOD: &str = "POST";

/// A SecretId and SecretKey. `Debug` shows the id only.
#[derive(Clone, Copy)]
pub struct Credentials<'a> {
    /// The SecretId (`AKID...`), which travels in the clear in the `Authorization` header.
    pub secret_id: &'a str,
    /// The SecretKey, which never leaves this process.
    pub secret_key: &'a str,
}

impl<'a> Credentials<'a> {
    /// A SecretId and SecretKey pair.
    pub fn new(secret_id: &'a str, secret_key: &'a str) -> Self {
        Self {
            secret_id,
            secret_key,
        }
    }
}

impl fmt::Debug for Credentials<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("secret_id", &self.secret_id)
            .field("secret_key", &"<redacted>")
            .finish()
    }
}

/// Which headers enter the signature.
///
/// Tencent requires `content-type` and `host`. Its SDKs sign exactly those two; the current
/// revision of the signature v3 documentation also signs `x-tc-action` (with the action name
/// in lower case) in its worked example. The server accepts either, so the connector signs the
/// two required ones and the vectors cover both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SignedHeaders {
    /// `content-type;host`, as Tencent's SDKs sign.
    #[default]
    ContentTypeHost,
    /// `content-type;host;x-tc-action`, as the current documentation's example signs.
    ContentTypeHostAction,
}

impl SignedHeaders {
    /// The `SignedHeaders` value: lower-case names, sorted, joined by `;`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::ContentTypeHost => "content-type;host",
            Self::ContentTypeHostAction => "content-type;host;x-tc-action",
        }
    }

    /// The set named by a `SignedHeaders` value, if it is one this signer supports.
    pub fn parse(value: &str) -> Option<Self> {
        [Self::ContentTypeHost, Self::ContentTypeHostAction]
            .into_iter()
            .find(|s| s.as_str() == value)
    }
}

impl fmt::Display for SignedHeaders {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Everything the signature covers besides the credentials.
#[derive(Debug, Clone, Copy)]
pub struct SigningInput<'a> {
    /// The `Host` header value: the endpoint's host, and its port when not the default.
    pub host: &'a str,
    /// The `Content-Type` header value, exactly as sent.
    pub content_type: &'a str,
    /// The `X-TC-Action` value; signed only with [`SignedHeaders::ContentTypeHostAction`].
    pub action: &'a str,
    /// The exact body bytes.
    pub body: &'a [u8],
    /// The `X-TC-Timestamp` value, in seconds since the Unix epoch.
    pub timestamp: u64,
    /// The service name, the first label of the host name (`sms`).
    pub service: &'a str,
    /// Which headers enter the signature.
    pub signed_headers: SignedHeaders,
}

/// Stage 1: the canonical request.
///
/// ```text
/// POST
/// /
///
/// content-type:<content type>
/// host:<host>
///
/// content-type;host
/// <hex SHA-256 of the body>
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CanonicalRequest {
    canonical_headers: String,
    signed_headers: SignedHeaders,
    payload_hash: String,
}

impl CanonicalRequest {
    /// The canonical request of `input`. Header values are trimmed; the `x-tc-action` value is
    /// lower-cased, as the documentation's example does.
    pub fn new(input: &SigningInput<'_>) -> Self {
        let mut canonical_headers = format!(
            "content-type:{}\nhost:{}\n",
            input.content_type.trim(),
            input.host.trim()
        );
        if input.signed_headers == SignedHeaders::ContentTypeHostAction {
            canonical_headers.push_str("x-tc-action:");
            canonical_headers.push_str(&input.action.trim().to_ascii_lowercase());
            canonical_headers.push('\n');
        }
        Self {
            canonical_headers,
            signed_headers: input.signed_headers,
            payload_hash: sha256_hex(input.body),
        }
    }

    /// The hex SHA-256 of the body.
    pub fn payload_hash(&self) -> &str {
        &self.payload_hash
    }

    /// The signed header names.
    pub fn signed_headers(&self) -> SignedHeaders {
        self.signed_headers
    }

    /// The hex SHA-256 of this canonical request, as the string to sign carries it.
    pub fn hash(&self) -> String {
        sha256_hex_of(self)
    }
}

impl fmt::Display for CanonicalRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Method, URI, query (empty), headers (each line ends in \n), signed headers, hash.
        write!(
            f,
            "{METHOD}\n/\n\n{}\n{}\n{}",
            self.canonical_headers, self.signed_headers, self.payload_hash
        )
    }
}

/// The credential scope: `YYYY-MM-DD/<service>/tc3_request`, the date being the UTC date of
/// the timestamp.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CredentialScope {
    date: String,
    service: String,
}

impl CredentialScope {
    /// The scope of a timestamp and service.
    pub fn new(timestamp: u64, service: &str) -> Self {
        Self {
            date: UtcDateTime::from_unix(timestamp).date(),
            service: service.to_owned(),
        }
    }

    /// The UTC date, `YYYY-MM-DD`.
    pub fn date(&self) -> &str {
        &self.date
    }

    /// The service name.
    pub fn service(&self) -> &str {
        &self.service
    }
}

impl fmt::Display for CredentialScope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}/{TERMINATOR}", self.date, self.service)
    }
}

/// Stage 2: the string to sign.
///
/// ```text
/// TC3-HMAC-SHA256
/// <timestamp>
/// <YYYY-MM-DD>/<service>/tc3_request
/// <hex SHA-256 of the canonical request>
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StringToSign {
    timestamp: u64,
    scope: CredentialScope,
    canonical_request_hash: String,
}

impl StringToSign {
    /// The string to sign for a canonical request.
    pub fn new(timestamp: u64, service: &str, canonical_request: &CanonicalRequest) -> Self {
        Self {
            timestamp,
            scope: CredentialScope::new(timestamp, service),
            canonical_request_hash: canonical_request.hash(),
        }
    }

    /// The credential scope.
    pub fn scope(&self) -> &CredentialScope {
        &self.scope
    }
}

impl fmt::Display for StringToSign {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{ALGORITHM}\n{}\n{}\n{}",
            self.timestamp, self.scope, self.canonical_request_hash
        )
    }
}

/// Stage 3: the derived signing key ([`SigningKey::derive`] with a [`CredentialScope`]).
///
/// ```text
/// SecretDate    = HMAC_SHA256("TC3" + SecretKey, Date)
/// SecretService = HMAC_SHA256(SecretDate, Service)
/// SecretSigning = HMAC_SHA256(SecretService, "tc3_request")
/// ```
///
/// Stage 4, [`Signature`], is its lower-case hex HMAC-SHA256 of the [`StringToSign`].
pub use connector_kit::digest::{HexSignature as Signature, SigningKey};

impl KeyScope for CredentialScope {
    fn derive(&self, secret_key: &str) -> [u8; 32] {
        derive_key(
            "TC3",
            secret_key,
            &[self.date(), self.service(), TERMINATOR],
        )
    }
}

/// Finishes the key chain from `SecretDate` (for vectors that publish the intermediate keys
/// but not the SecretKey).
pub fn key_from_date_key(secret_date: &[u8], service: &str) -> SigningKey {
    let secret_service = hmac_sha256(secret_date, service.as_bytes());
    SigningKey::from_bytes(hmac_sha256(&secret_service, TERMINATOR.as_bytes()))
}

/// Stage 5: the `Authorization` header value.
///
/// ```text
/// TC3-HMAC-SHA256 Credential=<SecretId>/<scope>, SignedHeaders=<names>, Signature=<hex>
/// ```
///
/// It holds the SecretId and a signature valid for this one request, never the SecretKey.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authorization {
    secret_id: String,
    scope: CredentialScope,
    signed_headers: SignedHeaders,
    signature: Signature,
}

impl Authorization {
    /// The header value for a signature.
    pub fn new(
        secret_id: &str,
        scope: CredentialScope,
        signed_headers: SignedHeaders,
        signature: Signature,
    ) -> Self {
        Self {
            secret_id: secret_id.to_owned(),
            scope,
            signed_headers,
            signature,
        }
    }
}

impl fmt::Display for Authorization {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{ALGORITHM} Credential={}/{}, SignedHeaders={}, Signature={}",
            self.secret_id, self.scope, self.signed_headers, self.signature
        )
    }
}

/// Every stage of one signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signed {
    /// Stage 1.
    pub canonical_request: CanonicalRequest,
    /// Stage 2.
    pub string_to_sign: StringToSign,
    /// Stage 4 (stage 3, the key, is not kept).
    pub signature: Signature,
    /// Stage 5.
    pub authorization: Authorization,
}

/// Signs a request: every stage, from the canonical request to the `Authorization` value.
pub fn sign(credentials: &Credentials<'_>, input: &SigningInput<'_>) -> Signed {
    let canonical_request = CanonicalRequest::new(input);
    let string_to_sign = StringToSign::new(input.timestamp, input.service, &canonical_request);
    let key = SigningKey::derive(credentials.secret_key, string_to_sign.scope());
    let signature = key.sign(&string_to_sign);
    let authorization = Authorization::new(
        credentials.secret_id,
        string_to_sign.scope().clone(),
        input.signed_headers,
        signature.clone(),
    );
    Signed {
        canonical_request,
        string_to_sign,
        signature,
        authorization,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_uses_the_utc_date() {
        // 23:59:59 and 00:00:00 UTC straddle a date change.
        assert_eq!(
            CredentialScope::new(1_551_139_199, "sms").to_string(),
            "2019-02-25/sms/tc3_request"
        );
        assert_eq!(
            CredentialScope::new(1_551_139_200, "sms").to_string(),
            "2019-02-26/sms/tc3_request"
        );
    }

    #[test]
    fn debug_never_prints_key_material() {
        let credentials = Credentials::new("AKIDid", "the-secret-key");
        let key = SigningKey::derive("the-secret-key", &CredentialScope::new(0, "sms"));
        let printed = format!("{credentials:?} {key:?}");
        assert!(!printed.contains("the-secret-key"), "{printed}");
        assert_eq!(format!("{key:?}"), "SigningKey(<redacted>)");
    }

    #[test]
    fn signed_header_sets_round_trip() {
        for set in [
            SignedHeaders::ContentTypeHost,
            SignedHeaders::ContentTypeHostAction,
        ] {
            assert_eq!(SignedHeaders::parse(set.as_str()), Some(set));
        }
        assert_eq!(SignedHeaders::parse("host"), None);
    }
}
