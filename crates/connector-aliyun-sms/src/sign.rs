//! Aliyun's RPC signature (`SignatureMethod=HMAC-SHA1`, `SignatureVersion=1.0`), one stage
//! at a time; the V3 signature (`ACS3-HMAC-SHA256`) is in [`v3`]. Pure: parameters, secret
//! and method in, text out; no clock, no randomness.
//!
//! | stage | type | what it is |
//! | --- | --- | --- |
//! | 1 | [`PercentEncoded`] | a name or value, RFC 3986 unreserved characters kept, every other UTF-8 byte as `%XX` |
//! | 2 | [`CanonicalQuery`] | every parameter but `Signature`, encoded, sorted by encoded name, joined as `k=v&k=v` |
//! | 3 | [`StringToSign`] | `METHOD&%2F&` followed by the canonical query encoded once more |
//! | 4 | [`Signature`] | base64 of HMAC-SHA1 over the string to sign, keyed with the secret and `&` |
//!
//! Each stage prints exactly the text Aliyun's documentation describes, so a mismatch with a
//! recorded vector points at the stage that diverged.
//!
//! ```
//! use connector_aliyun_sms::sign::{CanonicalQuery, Signature, StringToSign};
//! use connector_kit::HttpMethod;
//!
//! let query = CanonicalQuery::new([("Action", "SendSms"), ("SignName", "Acme (Test)")]);
//! assert_eq!(query.to_string(), "Action=SendSms&SignName=Acme%20%28Test%29");
//! let string_to_sign = StringToSign::new(HttpMethod::Post, &query);
//! assert_eq!(
//!     string_to_sign.to_string(),
//!     "POST&%2F&Action%3DSendSms%26SignName%3DAcme%2520%2528Test%2529"
//! );
//! let signature = Signature::compute(&string_to_sign, "testsecret");
//! assert_eq!(signature.as_str().len(), 28);
//! ```

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use connector_kit::HttpMethod;
use hmac::{Hmac, Mac};
use sha1::{Digest, Sha1};

/// Whether a byte is an RFC 3986 unreserved character (`A-Z a-z 0-9 - _ . ~`), which Aliyun's
/// encoding keeps as it is.
const fn is_unreserved(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~')
}

/// Stage 1: a parameter name or value in Aliyun's percent-encoding.
///
/// Unreserved characters stay; every other byte of the UTF-8 text becomes `%XX` with
/// upper-case hex. So a space is `%20` (never `+`), `*` is `%2A`, `~` stays `~`, and `阿` is
/// `%E9%98%BF`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PercentEncoded<'a>(pub &'a str);

impl fmt::Display for PercentEncoded<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = String::with_capacity(self.0.len() + 8);
        encode_into(&mut out, self.0);
        f.write_str(&out)
    }
}

/// `%XX` for every byte, three characters each: the escape of byte `b` is at `3 * b`.
const ESCAPES: &str = concat!(
    "%00%01%02%03%04%05%06%07%08%09%0A%0B%0C%0D%0E%0F",
    "%10%11%12%13%14%15%16%17%18%19%1A%1B%1C%1D%1E%1F",
    "%20%21%22%23%24%25%26%27%28%29%2A%2B%2C%2D%2E%2F",
    "%30%31%32%33%34%35%36%37%38%39%3A%3B%3C%3D%3E%3F",
    "%40%41%42%43%44%45%46%47%48%49%4A%4B%4C%4D%4E%4F",
    "%50%51%52%53%54%55%56%57%58%59%5A%5B%5C%5D%5E%5F",
    "%60%61%62%63%64%65%66%67%68%69%6A%6B%6C%6D%6E%6F",
    "%70%71%72%73%74%75%76%77%78%79%7A%7B%7C%7D%7E%7F",
    "%80%81%82%83%84%85%86%87%88%89%8A%8B%8C%8D%8E%8F",
    "%90%91%92%93%94%95%96%97%98%99%9A%9B%9C%9D%9E%9F",
    "%A0%A1%A2%A3%A4%A5%A6%A7%A8%A9%AA%AB%AC%AD%AE%AF",
    "%B0%B1%B2%B3%B4%B5%B6%B7%B8%B9%BA%BB%BC%BD%BE%BF",
    "%C0%C1%C2%C3%C4%C5%C6%C7%C8%C9%CA%CB%CC%CD%CE%CF",
    "%D0%D1%D2%D3%D4%D5%D6%D7%D8%D9%DA%DB%DC%DD%DE%DF",
    "%E0%E1%E2%E3%E4%E5%E6%E7%E8%E9%EA%EB%EC%ED%EE%EF",
    "%F0%F1%F2%F3%F4%F5%F6%F7%F8%F9%FA%FB%FC%FD%FE%FF",
);

/// Appends `text` to `out` in Aliyun's percent-encoding ([`PercentEncoded`]): the signer's
/// one encoder, which writes straight into the buffer it builds, copying runs of unreserved
/// characters and each escape whole.
pub fn encode_into(out: &mut String, text: &str) {
    out.reserve(text.len());
    let mut kept_from = 0;
    for (i, byte) in text.bytes().enumerate() {
        if is_unreserved(byte) {
            continue;
        }
        // Unreserved characters are ASCII, so `kept_from..i` lies on character boundaries.
        out.push_str(text.get(kept_from..i).unwrap_or_default());
        let at = 3 * usize::from(byte);
        out.push_str(ESCAPES.get(at..at + 3).unwrap_or_default());
        kept_from = i + 1;
    }
    out.push_str(text.get(kept_from..).unwrap_or_default());
}

/// [`PercentEncoded`] as an owned string.
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 2);
    encode_into(&mut out, text);
    out
}

/// Stage 2: the canonical query, every parameter except `Signature`.
///
/// Names and values are percent-encoded, the pairs sorted by encoded name (byte order), and
/// joined as `name=value` with `&`. Printed, it is also a valid
/// `application/x-www-form-urlencoded` body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CanonicalQuery {
    /// The joined text. Encoded names and values hold no `&` or `=`, so the pairs can be
    /// read back from it.
    text: String,
}

impl CanonicalQuery {
    /// Encodes and sorts the parameters.
    pub fn new<I, K, V>(params: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let params: Vec<(K, V)> = params.into_iter().collect();
        // Names are sorted by their encoded form; most names need no encoding at all.
        let mut names: Vec<(std::borrow::Cow<'_, str>, usize)> = params
            .iter()
            .enumerate()
            .map(|(i, (name, _))| {
                let name = name.as_ref();
                let encoded = if name.bytes().all(is_unreserved) {
                    std::borrow::Cow::Borrowed(name)
                } else {
                    std::borrow::Cow::Owned(percent_encode(name))
                };
                (encoded, i)
            })
            .collect();
        // Equal names keep the order of their values' encoding, as a sort of pairs would.
        names.sort_by(|a, b| {
            a.0.cmp(&b.0).then_with(|| {
                percent_encode(params[a.1].1.as_ref()).cmp(&percent_encode(params[b.1].1.as_ref()))
            })
        });
        let size: usize = params
            .iter()
            .map(|(n, v)| n.as_ref().len() + v.as_ref().len() * 3 / 2 + 2)
            .sum();
        let mut text = String::with_capacity(size);
        for (i, (name, index)) in names.iter().enumerate() {
            if i > 0 {
                text.push('&');
            }
            text.push_str(name);
            text.push('=');
            encode_into(&mut text, params[*index].1.as_ref());
        }
        Self { text }
    }

    /// The encoded pairs, in canonical order.
    pub fn pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.text
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| pair.split_once('=').unwrap_or((pair, "")))
    }

    /// The joined text, `name=value&name=value`.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl fmt::Display for CanonicalQuery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Stage 3: the string to sign, `METHOD&%2F&` followed by the canonical query encoded once
/// more (so its `=` and `&` become `%3D` and `%26`, and its `%XX` escapes become `%25XX`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StringToSign(String);

impl StringToSign {
    /// The string to sign of a request with this method and canonical query.
    pub fn new(method: HttpMethod, query: &CanonicalQuery) -> Self {
        let query = query.as_str();
        let mut text = String::with_capacity(16 + query.len() * 3 / 2);
        text.push_str(method.as_str());
        text.push_str("&%2F&");
        encode_into(&mut text, query);
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

/// Stage 4: the signature, base64 (standard alphabet, padded) of HMAC-SHA1 over the string
/// to sign, keyed with the AccessKey secret followed by `&`.
///
/// It is sent as the `Signature` parameter. It proves knowledge of the secret for this one
/// request only (the nonce and timestamp are signed), and the secret cannot be recovered
/// from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature(String);

impl Signature {
    /// Signs a string to sign with an AccessKey secret.
    pub fn compute(string_to_sign: &StringToSign, access_key_secret: &str) -> Self {
        // The key is the secret and `&`, written on the stack when it fits.
        let (secret, message) = (access_key_secret.as_bytes(), string_to_sign.as_str());
        let mut short = [0u8; 64];
        let digest = if let Some(key) = short.get_mut(..=secret.len()) {
            key[..secret.len()].copy_from_slice(secret);
            key[secret.len()] = b'&';
            hmac_sha1(key, message.as_bytes())
        } else {
            let mut key = secret.to_vec();
            key.push(b'&');
            hmac_sha1(&key, message.as_bytes())
        };
        Self(STANDARD.encode(digest))
    }

    /// The base64 text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// HMAC-SHA1 (RFC 2104).
fn hmac_sha1(key: &[u8], message: &[u8]) -> [u8; 20] {
    // RFC 2104 hashes a key longer than the 64-byte block and pads a shorter one with zeros.
    // Doing that here hands `Mac::new` a key of exactly the block size, which cannot fail,
    // and gives the same MAC as passing the key through unchanged.
    let mut block = hmac::digest::Key::<Hmac<Sha1>>::default();
    if key.len() > block.len() {
        let hashed = Sha1::digest(key);
        block[..hashed.len()].copy_from_slice(&hashed);
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let mut mac = <Hmac<Sha1> as Mac>::new(&block);
    mac.update(message);
    mac.finalize().into_bytes().into()
}

/// Every stage of one signature, for dry runs and tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signed {
    /// Stage 2.
    pub canonical_query: CanonicalQuery,
    /// Stage 3.
    pub string_to_sign: StringToSign,
    /// Stage 4.
    pub signature: Signature,
}

impl Signed {
    /// The parameters as a form body (or query string): the canonical query followed by
    /// `Signature`.
    pub fn form(&self) -> String {
        let query = self.canonical_query.as_str();
        let mut form = String::with_capacity(query.len() + 48);
        form.push_str(query);
        form.push_str("&Signature=");
        encode_into(&mut form, self.signature.as_str());
        form
    }
}

/// Signs a request's parameters (every one but `Signature`) with an AccessKey secret.
pub fn sign<I, K, V>(method: HttpMethod, params: I, access_key_secret: &str) -> Signed
where
    I: IntoIterator<Item = (K, V)>,
    K: AsRef<str>,
    V: AsRef<str>,
{
    let canonical_query = CanonicalQuery::new(params);
    let string_to_sign = StringToSign::new(method, &canonical_query);
    let signature = Signature::compute(&string_to_sign, access_key_secret);
    Signed {
        canonical_query,
        string_to_sign,
        signature,
    }
}

pub mod v3 {
    //! Aliyun's V3 signature, `ACS3-HMAC-SHA256`, what Aliyun's current SDKs send by default,
    //! one stage at a time.
    //!
    //! | stage | type | what it is |
    //! | --- | --- | --- |
    //! | 1 | [`CanonicalRequest`] | method, path, canonical query, `name:value` lines of the signed headers, their names joined with `;`, the payload's hex SHA-256; one per line |
    //! | 2 | [`StringToSign`] | `ACS3-HMAC-SHA256`, a line break, the hex SHA-256 of the canonical request |
    //! | 3 | [`Signature`] | hex HMAC-SHA256 of the string to sign, keyed with the AccessKey secret |
    //! | 4 | [`Authorization`] | `ACS3-HMAC-SHA256 Credential=<id>,SignedHeaders=<names>,Signature=<hex>` |
    //!
    //! The canonical query encodes as the RPC signature does ([`super::PercentEncoded`]).
    //! Header names are lower-cased and sorted, values trimmed; every header given is signed.
    //!
    //! ```
    //! use connector_aliyun_sms::sign::v3;
    //! use connector_kit::HttpMethod;
    //!
    //! let signed = v3::sign(
    //!     HttpMethod::Post,
    //!     "/",
    //!     [("SignName", "Acme")],
    //!     [("host", "dysmsapi.aliyuncs.com"), ("x-acs-action", "SendSms")],
    //!     v3::EMPTY_PAYLOAD_SHA256,
    //!     "LTAI5tExampleAccessKeyId",
    //!     "testsecret",
    //! );
    //! assert!(signed.canonical_request.to_string().starts_with("POST\n/\nSignName=Acme\nhost:"));
    //! assert!(signed
    //!     .authorization
    //!     .to_string()
    //!     .starts_with("ACS3-HMAC-SHA256 Credential=LTAI5tExampleAccessKeyId,SignedHeaders=host;x-acs-action,Signature="));
    //! ```

    use std::fmt;

    use connector_kit::HttpMethod;
    use connector_kit::digest::{hmac_sha256_hex_of, sha256_hex, sha256_hex_of};

    use super::CanonicalQuery;

    /// The algorithm's name, first in the string to sign and in the `Authorization` header.
    pub const ALGORITHM: &str = "ACS3-HMAC-SHA256";

    /// The hex SHA-256 of an empty payload, the `x-acs-content-sha256` of a request whose
    /// parameters are all in its query.
    pub const EMPTY_PAYLOAD_SHA256: &str =
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    /// The hex SHA-256 of a payload, for `x-acs-content-sha256`.
    pub fn payload_sha256(payload: &[u8]) -> String {
        sha256_hex(payload)
    }

    /// Stage 1: the canonical request.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct CanonicalRequest {
        method: HttpMethod,
        path: String,
        query: CanonicalQuery,
        headers: Vec<(String, String)>,
        payload_sha256: String,
    }

    impl CanonicalRequest {
        /// A request's canonical form: header names lower-cased and sorted, values trimmed,
        /// query parameters encoded and sorted. An empty path is `/`.
        pub fn new<Q, QK, QV, H, HK, HV>(
            method: HttpMethod,
            path: &str,
            query: Q,
            headers: H,
            payload_sha256: &str,
        ) -> Self
        where
            Q: IntoIterator<Item = (QK, QV)>,
            QK: AsRef<str>,
            QV: AsRef<str>,
            H: IntoIterator<Item = (HK, HV)>,
            HK: AsRef<str>,
            HV: AsRef<str>,
        {
            let mut headers: Vec<(String, String)> = headers
                .into_iter()
                .map(|(name, value)| {
                    (
                        name.as_ref().to_ascii_lowercase(),
                        value.as_ref().trim().to_owned(),
                    )
                })
                .collect();
            headers.sort();
            Self {
                method,
                path: if path.is_empty() { "/" } else { path }.to_owned(),
                query: CanonicalQuery::new(query),
                headers,
                payload_sha256: payload_sha256.to_owned(),
            }
        }

        /// The canonical query (stage 1's third line).
        pub fn query(&self) -> &CanonicalQuery {
            &self.query
        }

        /// The signed header names, sorted and joined with `;`.
        pub fn signed_headers(&self) -> String {
            let names: Vec<&str> = self.headers.iter().map(|(n, _)| n.as_str()).collect();
            names.join(";")
        }
    }

    impl fmt::Display for CanonicalRequest {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            writeln!(f, "{}", self.method.as_str())?;
            writeln!(f, "{}", self.path)?;
            writeln!(f, "{}", self.query)?;
            for (name, value) in &self.headers {
                writeln!(f, "{name}:{value}")?;
            }
            writeln!(f)?;
            writeln!(f, "{}", self.signed_headers())?;
            f.write_str(&self.payload_sha256)
        }
    }

    /// Stage 2: the string to sign, the algorithm and the canonical request's hex SHA-256.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct StringToSign(String);

    impl StringToSign {
        /// The string to sign of a canonical request.
        pub fn new(canonical_request: &CanonicalRequest) -> Self {
            Self(format!("{ALGORITHM}\n{}", sha256_hex_of(canonical_request)))
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

    /// Stage 3: the signature, lower-case hex of HMAC-SHA256 over the string to sign, keyed
    /// with the AccessKey secret (as it is, without the RPC signature's `&`).
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Signature(String);

    impl Signature {
        /// Signs a string to sign with an AccessKey secret.
        pub fn compute(string_to_sign: &StringToSign, access_key_secret: &str) -> Self {
            Self(hmac_sha256_hex_of(
                access_key_secret.as_bytes(),
                &string_to_sign.as_str(),
            ))
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

    /// Stage 4: the `Authorization` header's value.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Authorization(String);

    impl Authorization {
        /// The header value for this AccessKey ID, the canonical request's signed headers
        /// and the signature.
        pub fn new(
            access_key_id: &str,
            canonical_request: &CanonicalRequest,
            signature: &Signature,
        ) -> Self {
            Self(format!(
                "{ALGORITHM} Credential={access_key_id},SignedHeaders={},Signature={signature}",
                canonical_request.signed_headers()
            ))
        }

        /// The text.
        pub fn as_str(&self) -> &str {
            &self.0
        }
    }

    impl fmt::Display for Authorization {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(&self.0)
        }
    }

    /// Every stage of one V3 signature, for dry runs and tests.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Signed {
        /// Stage 1.
        pub canonical_request: CanonicalRequest,
        /// Stage 2.
        pub string_to_sign: StringToSign,
        /// Stage 3.
        pub signature: Signature,
        /// Stage 4.
        pub authorization: Authorization,
    }

    /// Signs a request: its method, path, query parameters, the headers to sign (every one
    /// given is signed) and its payload's hex SHA-256.
    #[allow(
        clippy::too_many_arguments,
        reason = "one argument per input the specification names"
    )]
    pub fn sign<Q, QK, QV, H, HK, HV>(
        method: HttpMethod,
        path: &str,
        query: Q,
        headers: H,
        payload_sha256: &str,
        access_key_id: &str,
        access_key_secret: &str,
    ) -> Signed
    where
        Q: IntoIterator<Item = (QK, QV)>,
        QK: AsRef<str>,
        QV: AsRef<str>,
        H: IntoIterator<Item = (HK, HV)>,
        HK: AsRef<str>,
        HV: AsRef<str>,
    {
        let canonical_request = CanonicalRequest::new(method, path, query, headers, payload_sha256);
        let string_to_sign = StringToSign::new(&canonical_request);
        let signature = Signature::compute(&string_to_sign, access_key_secret);
        let authorization = Authorization::new(access_key_id, &canonical_request, &signature);
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
        fn empty_payload_hash_is_sha256_of_nothing() {
            assert_eq!(payload_sha256(b""), EMPTY_PAYLOAD_SHA256);
        }

        #[test]
        fn headers_are_lowercased_sorted_and_trimmed() {
            let request = CanonicalRequest::new(
                HttpMethod::Post,
                "",
                [("b", "2"), ("a", "1 2")],
                [("X-Acs-Date", " t "), ("Host", "h")],
                "p",
            );
            assert_eq!(
                request.to_string(),
                "POST\n/\na=1%202&b=2\nhost:h\nx-acs-date:t\n\nhost;x-acs-date\np"
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoding_keeps_only_unreserved_characters() {
        assert_eq!(percent_encode("AZaz09-_.~"), "AZaz09-_.~");
        assert_eq!(percent_encode("a b*c+d"), "a%20b%2Ac%2Bd");
        assert_eq!(
            percent_encode("'()!/=&:,\"{}%"),
            "%27%28%29%21%2F%3D%26%3A%2C%22%7B%7D%25"
        );
        assert_eq!(percent_encode("阿里云"), "%E9%98%BF%E9%87%8C%E4%BA%91");
        assert_eq!(percent_encode("😀"), "%F0%9F%98%80");
        assert_eq!(percent_encode(""), "");
    }

    #[test]
    fn canonical_query_sorts_by_encoded_name_in_byte_order() {
        let query = CanonicalQuery::new([("b", "2"), ("B", "1"), ("a b", "x"), ("a", "")]);
        assert_eq!(query.to_string(), "B=1&a=&a%20b=x&b=2");
        assert_eq!(
            CanonicalQuery::new(Vec::<(&str, &str)>::new()).to_string(),
            ""
        );
    }

    /// RFC 2202 section 3, test cases 1, 2 and 6 (the last with an 80-byte key, which HMAC
    /// hashes first).
    #[test]
    fn hmac_matches_rfc_2202() {
        let hex = |bytes: [u8; 20]| bytes.iter().map(|b| format!("{b:02x}")).collect::<String>();
        assert_eq!(
            hex(hmac_sha1(&[0x0b; 20], b"Hi There")),
            "b617318655057264e28bc0b6fb378c8ef146be00"
        );
        assert_eq!(
            hex(hmac_sha1(b"Jefe", b"what do ya want for nothing?")),
            "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"
        );
        assert_eq!(
            hex(hmac_sha1(
                &[0xaa; 80],
                b"Test Using Larger Than Block-Size Key - Hash Key First"
            )),
            "aa4ae5e15272d00e95705637ce8a3b55ed402112"
        );
    }

    #[test]
    fn form_appends_the_encoded_signature() {
        let signed = sign(HttpMethod::Post, [("A", "1")], "s");
        let form = signed.form();
        assert!(form.starts_with("A=1&Signature="), "{form}");
        assert!(!form.contains('+') && !form.ends_with('='), "{form}");
    }
}
