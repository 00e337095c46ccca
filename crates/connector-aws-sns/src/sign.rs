//! AWS Signature Version 4 (`AWS4-HMAC-SHA256`), as a pure function with one value per stage.
//!
//! The stages, in order, each printable with `Display` exactly as the specification writes it:
//!
//! 1. [`CanonicalRequest`]: method, URI path, query, the canonical headers (names lower-cased
//!    and sorted, values trimmed with inner runs of spaces collapsed, repeated names joined
//!    with commas), the signed header names and the hex SHA-256 of the body.
//! 2. [`StringToSign`]: the algorithm, the `X-Amz-Date` time, the [`CredentialScope`]
//!    (`YYYYMMDD/<region>/<service>/aws4_request`) and the hex SHA-256 of the canonical
//!    request.
//! 3. [`SigningKey`]: the HMAC-SHA256 chain over the date, the region, the service and
//!    `aws4_request`, keyed first with `AWS4` + the secret access key. It never prints itself:
//!    it is as good as the secret for a day, in one region, for one service.
//! 4. [`Signature`]: the hex HMAC-SHA256 of the string to sign under the signing key.
//! 5. [`Authorization`]: the `Authorization` header value.
//!
//! [`sign`] runs them all. Nothing here reads a clock or touches the request: the time is an
//! input, and the caller sends the headers it signed.
//!
//! ```
//! use connector_aws_sns::sign::{amz_date, sign, Credentials, SigningInput};
//!
//! let date = amz_date(1_440_938_160);
//! assert_eq!(date, "20150830T123600Z");
//! let signed = sign(
//!     &Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
//!     &SigningInput {
//!         method: "GET",
//!         path: "/",
//!         query: "",
//!         headers: &[("Host", "example.amazonaws.com"), ("X-Amz-Date", &date)],
//!         body: b"",
//!         unix_time: 1_440_938_160,
//!         region: "us-east-1",
//!         service: "service",
//!     },
//! );
//! // The suite's `get-vanilla` case.
//! assert_eq!(
//!     signed.signature.as_str(),
//!     "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
//! );
//! ```

use std::fmt;

use connector_kit::UtcDateTime;
use connector_kit::digest::{KeyScope, derive_key, sha256_hex, sha256_hex_of};

/// The algorithm name, first word of the string to sign and of the `Authorization` value.
pub const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// The last element of every credential scope and of the key chain.
pub const TERMINATOR: &str = "aws4_request";

/// An access key ID, its secret access key and, for temporary credentials, a session token.
/// `Debug` shows the key ID only.
#[derive(Clone, Copy)]
pub struct Credentials<'a> {
    /// The access key ID, which travels in the clear in the `Authorization` header.
    pub access_key_id: &'a str,
    /// The secret access key, which never leaves this process.
    pub secret_access_key: &'a str,
}

impl<'a> Credentials<'a> {
    /// An access key pair.
    pub fn new(access_key_id: &'a str, secret_access_key: &'a str) -> Self {
        Self {
            access_key_id,
            secret_access_key,
        }
    }
}

impl fmt::Debug for Credentials<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"<redacted>")
            .finish()
    }
}

/// Everything the signature covers besides the credentials.
#[derive(Debug, Clone, Copy)]
pub struct SigningInput<'a> {
    /// The method, e.g. `POST`.
    pub method: &'a str,
    /// The canonical URI path, already percent-encoded (`/` for SNS).
    pub path: &'a str,
    /// The canonical query string, already sorted and encoded (empty for SNS).
    pub query: &'a str,
    /// The headers to sign, as sent: `Host` and `X-Amz-Date` among them, and
    /// `X-Amz-Security-Token` with temporary credentials.
    pub headers: &'a [(&'a str, &'a str)],
    /// The exact body bytes.
    pub body: &'a [u8],
    /// The time of `X-Amz-Date`, in seconds since the Unix epoch.
    pub unix_time: u64,
    /// The region, e.g. `us-east-1`.
    pub region: &'a str,
    /// The service, e.g. `sns`.
    pub service: &'a str,
}

/// The `X-Amz-Date` value of a time: `YYYYMMDD'T'HHMMSS'Z'`, in UTC.
pub fn amz_date(unix_time: u64) -> String {
    let t = UtcDateTime::from_unix(unix_time);
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        t.year, t.month, t.day, t.hour, t.minute, t.second
    )
}

/// Writes a header value as SigV4 canonicalizes it: leading and trailing spaces removed, and
/// every inner run of spaces made one space.
fn push_trimmed(out: &mut String, value: &str) {
    for (i, word) in value.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(word);
    }
}

/// Stage 1: the canonical request.
///
/// ```text
/// <method>
/// <path>
/// <query>
/// <name>:<value>        one line per signed header, sorted by name
///
/// <name>;<name>...
/// <hex SHA-256 of the body>
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CanonicalRequest {
    method: String,
    path: String,
    query: String,
    /// One `<lower-case name>:<canonical value>\n` line per name, sorted by name.
    headers: String,
    /// The lower-case names, sorted, joined by `;`.
    signed_headers: String,
    payload_hash: String,
}

impl CanonicalRequest {
    /// The canonical request of `input`.
    pub fn new(input: &SigningInput<'_>) -> Self {
        fn lower(name: &str) -> impl Iterator<Item = u8> + '_ {
            name.bytes().map(|b| b.to_ascii_lowercase())
        }
        // A stable sort keeps repeated headers in the order they are sent.
        let mut sorted: Vec<&(&str, &str)> = input.headers.iter().collect();
        sorted.sort_by(|a, b| lower(a.0).cmp(lower(b.0)));
        let capacity: usize = sorted.iter().map(|(n, v)| n.len() + v.len() + 2).sum();
        let mut headers = String::with_capacity(capacity);
        let mut signed_headers = String::with_capacity(capacity);
        let mut previous: Option<&str> = None;
        for (name, value) in sorted {
            if previous.is_some_and(|p| p.eq_ignore_ascii_case(name)) {
                // A repeated name: its values joined by commas on one line.
                headers.pop();
                headers.push(',');
            } else {
                if previous.is_some() {
                    signed_headers.push(';');
                }
                let start = headers.len();
                headers.push_str(name);
                headers[start..].make_ascii_lowercase();
                signed_headers.push_str(&headers[start..]);
                headers.push(':');
            }
            push_trimmed(&mut headers, value);
            headers.push('\n');
            previous = Some(name);
        }
        Self {
            method: input.method.to_owned(),
            path: input.path.to_owned(),
            query: input.query.to_owned(),
            headers,
            signed_headers,
            payload_hash: sha256_hex(input.body),
        }
    }

    /// The signed header names: lower case, sorted, joined by `;`.
    pub fn signed_headers(&self) -> &str {
        &self.signed_headers
    }

    /// The hex SHA-256 of the body.
    pub fn payload_hash(&self) -> &str {
        &self.payload_hash
    }

    /// The hex SHA-256 of this canonical request, as the string to sign carries it.
    pub fn hash(&self) -> String {
        sha256_hex_of(self)
    }
}

impl fmt::Display for CanonicalRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}\n{}\n{}\n{}\n{}\n{}",
            self.method,
            self.path,
            self.query,
            self.headers,
            self.signed_headers,
            self.payload_hash
        )
    }
}

/// The credential scope: `YYYYMMDD/<region>/<service>/aws4_request`, the date being the UTC
/// date of the signing time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CredentialScope {
    date: String,
    region: String,
    service: String,
}

impl CredentialScope {
    /// The scope of a time, region and service.
    pub fn new(unix_time: u64, region: &str, service: &str) -> Self {
        let t = UtcDateTime::from_unix(unix_time);
        Self {
            date: format!("{:04}{:02}{:02}", t.year, t.month, t.day),
            region: region.to_owned(),
            service: service.to_owned(),
        }
    }

    /// The UTC date, `YYYYMMDD`.
    pub fn date(&self) -> &str {
        &self.date
    }

    /// The region.
    pub fn region(&self) -> &str {
        &self.region
    }

    /// The service.
    pub fn service(&self) -> &str {
        &self.service
    }
}

impl fmt::Display for CredentialScope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}/{}/{}/{TERMINATOR}",
            self.date, self.region, self.service
        )
    }
}

/// Stage 2: the string to sign.
///
/// ```text
/// AWS4-HMAC-SHA256
/// <YYYYMMDDTHHMMSSZ>
/// <YYYYMMDD>/<region>/<service>/aws4_request
/// <hex SHA-256 of the canonical request>
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StringToSign {
    amz_date: String,
    scope: CredentialScope,
    canonical_request_hash: String,
}

impl StringToSign {
    /// The string to sign for a canonical request.
    pub fn new(
        unix_time: u64,
        region: &str,
        service: &str,
        canonical_request: &CanonicalRequest,
    ) -> Self {
        Self {
            amz_date: amz_date(unix_time),
            scope: CredentialScope::new(unix_time, region, service),
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
            self.amz_date, self.scope, self.canonical_request_hash
        )
    }
}

/// Stage 3: the derived signing key ([`SigningKey::derive`] with a [`CredentialScope`]).
///
/// ```text
/// kDate    = HMAC_SHA256("AWS4" + SecretAccessKey, Date)
/// kRegion  = HMAC_SHA256(kDate, Region)
/// kService = HMAC_SHA256(kRegion, Service)
/// kSigning = HMAC_SHA256(kService, "aws4_request")
/// ```
///
/// Stage 4, [`Signature`], is its lower-case hex HMAC-SHA256 of the [`StringToSign`].
pub use connector_kit::digest::{HexSignature as Signature, SigningKey};

impl KeyScope for CredentialScope {
    fn derive(&self, secret_access_key: &str) -> [u8; 32] {
        derive_key(
            "AWS4",
            secret_access_key,
            &[self.date(), self.region(), self.service(), TERMINATOR],
        )
    }
}

/// Stage 5: the `Authorization` header value.
///
/// ```text
/// AWS4-HMAC-SHA256 Credential=<AccessKeyId>/<scope>, SignedHeaders=<names>, Signature=<hex>
/// ```
///
/// It holds the access key ID and a signature valid for this one request, never the secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authorization {
    access_key_id: String,
    scope: CredentialScope,
    signed_headers: String,
    signature: Signature,
}

impl Authorization {
    /// The header value for a signature.
    pub fn new(
        access_key_id: &str,
        scope: CredentialScope,
        signed_headers: impl Into<String>,
        signature: Signature,
    ) -> Self {
        Self {
            access_key_id: access_key_id.to_owned(),
            scope,
            signed_headers: signed_headers.into(),
            signature,
        }
    }
}

impl fmt::Display for Authorization {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{ALGORITHM} Credential={}/{}, SignedHeaders={}, Signature={}",
            self.access_key_id, self.scope, self.signed_headers, self.signature
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
    sign_with(credentials, input, |scope| {
        SigningKey::derive(credentials.secret_access_key, scope)
    })
}

/// [`sign`], with the key of the scope from `key` (a connector keeps the day's key rather
/// than deriving it again for every request).
pub(crate) fn sign_with(
    credentials: &Credentials<'_>,
    input: &SigningInput<'_>,
    key: impl FnOnce(&CredentialScope) -> SigningKey,
) -> Signed {
    let canonical_request = CanonicalRequest::new(input);
    let string_to_sign = StringToSign::new(
        input.unix_time,
        input.region,
        input.service,
        &canonical_request,
    );
    let signature = key(string_to_sign.scope()).sign(&string_to_sign);
    let authorization = Authorization::new(
        credentials.access_key_id,
        string_to_sign.scope().clone(),
        canonical_request.signed_headers(),
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
    fn signing_key_matches_the_documented_derivation() {
        // The AWS General Reference's worked example of deriving a signing key: secret
        // wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY, 2012-02-15, us-east-1, iam.
        let scope = CredentialScope {
            date: "20120215".into(),
            region: "us-east-1".into(),
            service: "iam".into(),
        };
        assert_eq!(
            SigningKey::derive("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", &scope).to_hex(),
            "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d"
        );
    }

    #[test]
    fn scope_and_date_use_utc() {
        // 23:59:59 and 00:00:00 UTC straddle a date change.
        assert_eq!(
            CredentialScope::new(1_551_139_199, "us-east-1", "sns").to_string(),
            "20190225/us-east-1/sns/aws4_request"
        );
        assert_eq!(amz_date(1_551_139_200), "20190226T000000Z");
    }

    #[test]
    fn header_values_are_trimmed_and_repeats_joined() {
        let canonical = CanonicalRequest::new(&SigningInput {
            method: "GET",
            path: "/",
            query: "",
            headers: &[
                ("My-Header1", "  a   b  c "),
                ("host", "h"),
                ("my-header1", "second"),
            ],
            body: b"",
            unix_time: 0,
            region: "r",
            service: "s",
        });
        assert!(
            canonical
                .to_string()
                .contains("host:h\nmy-header1:a b c,second\n\nhost;my-header1\n"),
            "{canonical}"
        );
    }

    #[test]
    fn debug_never_prints_key_material() {
        let credentials = Credentials::new("AKIDEXAMPLE", "the-secret-key");
        let key = SigningKey::derive("the-secret-key", &CredentialScope::new(0, "r", "s"));
        let printed = format!("{credentials:?} {key:?}");
        assert!(!printed.contains("the-secret-key"), "{printed}");
        assert_eq!(format!("{key:?}"), "SigningKey(<redacted>)");
    }
}
