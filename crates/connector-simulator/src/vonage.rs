//! Vonage's SMS API: `POST /sms/json`, parameters as a form (or a JSON object), authenticated
//! by `api_key` with `api_secret` (in the parameters or as HTTP Basic auth, as Vonage's 4.x
//! SDK sends it), or by `api_key` with a `timestamp` and a `sig` computed with the account's
//! signature secret and signature method.
//!
//! Every answer is HTTP 200 with `{"message-count", "messages": [...]}`, one entry per SMS
//! part; a rejected request has one entry with a non-zero `status` and an `error-text`.

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use md5::{Digest, Md5};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::codec::{self, constant_time_eq, first, form_pairs};
use super::credentials::parse_part;
use super::faults::Fault;
use super::http::{Api, Incoming, Reply};
use super::provider::ProviderModule;
use super::{AcceptedMessage, ProviderApi, SendRequest};

impl ProviderApi {
    /// Vonage's SMS API.
    pub const VONAGE: Self = Self::named("vonage");
}

/// Vonage, as the simulator serves it.
pub(crate) const MODULE: ProviderModule = ProviderModule {
    api: ProviderApi::VONAGE,
    route: "POST /sms/json",
    build: |part| Ok(Box::new(VonageApi::new(parse_part(part)?))),
};

/// The Vonage credentials the simulator accepts.
#[derive(Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub(crate) struct VonageCredentials {
    /// The API key.
    api_key: String,
    /// The API secret.
    api_secret: String,
    /// The signature secret.
    signature_secret: String,
    /// The account's signature method: `md5hash`, `md5`, `sha1`, `sha256` or `sha512`.
    signature_method: String,
}

impl Default for VonageCredentials {
    fn default() -> Self {
        Self {
            api_key: "5a1b2c3d".into(),
            api_secret: "simulator-vonage-api-secret".into(),
            signature_secret: "simulator-vonage-signature-secret".into(),
            signature_method: "sha256".into(),
        }
    }
}

/// Shows the key and the method, never a secret.
impl fmt::Debug for VonageCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VonageCredentials")
            .field("api_key", &self.api_key)
            .field("signature_method", &self.signature_method)
            .finish_non_exhaustive()
    }
}

const PATH: &str = "/sms/json";
/// How far a signed request's `timestamp` may be from the simulator's clock, in seconds.
const MAX_SKEW_SECS: u64 = 300;

/// The Vonage API.
pub(crate) struct VonageApi {
    credentials: VonageCredentials,
}

impl fmt::Debug for VonageApi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VonageApi")
            .field("credentials", &self.credentials)
            .finish_non_exhaustive()
    }
}

/// A rejection: HTTP 200, one message entry with the status and Vonage's error text.
fn rejected(status: &str, text: &str) -> Reply {
    Reply::json(
        200,
        &json!({
            "message-count": "1",
            "messages": [{ "status": status, "error-text": text }],
        }),
    )
}

/// The request's parameters: a JSON object's members as text, or the form fields.
fn parameters(request: &Incoming) -> Vec<(String, String)> {
    let is_json = request
        .header("content-type")
        .is_some_and(|t| t.to_ascii_lowercase().starts_with("application/json"));
    if !is_json {
        return form_pairs(&request.body);
    }
    match serde_json::from_slice::<serde_json::Map<String, Value>>(&request.body) {
        Ok(object) => object
            .into_iter()
            .map(|(k, v)| {
                let text = match v {
                    Value::String(s) => s,
                    other => other.to_string(),
                };
                (k, text)
            })
            .collect(),
        Err(_) => Vec::new(),
    }
}

/// The text a signature covers: every parameter but `sig`, by name, as `&name=value` with `&`
/// and `=` in values read as `_`.
fn signed_text(params: &[(String, String)]) -> String {
    let mut pairs: Vec<&(String, String)> = params.iter().filter(|(k, _)| k != "sig").collect();
    pairs.sort_by(|a, b| a.0.cmp(&b.0));
    let mut text = String::new();
    for (name, value) in pairs {
        text.push('&');
        text.push_str(name);
        text.push('=');
        text.push_str(&value.replace(['&', '='], "_"));
    }
    text
}

fn hmac_hex<M: Mac + hmac::digest::KeyInit>(key: &[u8], data: &[u8]) -> Option<String> {
    let mut mac = <M as hmac::digest::KeyInit>::new_from_slice(key).ok()?;
    mac.update(data);
    Some(hex::encode(mac.finalize().into_bytes()))
}

/// The expected `sig` for a method, or `None` for a method Vonage does not have.
fn expected_signature(method: &str, secret: &str, text: &str) -> Option<String> {
    let (key, data) = (secret.as_bytes(), text.as_bytes());
    match method {
        "md5hash" => {
            let mut hasher = Md5::new();
            hasher.update(data);
            hasher.update(key);
            Some(hex::encode(hasher.finalize()))
        }
        "md5" => hmac_hex::<Hmac<Md5>>(key, data),
        "sha1" => hmac_hex::<Hmac<sha1::Sha1>>(key, data),
        "sha256" => hmac_hex::<Hmac<sha2::Sha256>>(key, data),
        "sha512" => hmac_hex::<Hmac<sha2::Sha512>>(key, data),
        _ => None,
    }
}

/// The user and password of an HTTP Basic `Authorization` header.
fn basic_auth(request: &Incoming) -> Option<(String, String)> {
    let value = request.header("authorization")?;
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = String::from_utf8(STANDARD.decode(encoded.trim()).ok()?).ok()?;
    let (user, password) = decoded.split_once(':')?;
    Some((user.to_owned(), password.to_owned()))
}

/// How many SMS parts a text takes: 160 characters in one part and 153 per part when split
/// for `text` (ASCII here), 70 and 67 for `unicode`.
fn parts(text: &str, unicode: bool) -> usize {
    let chars = text.chars().count();
    let (single, multi) = if unicode { (70, 67) } else { (160, 153) };
    if chars <= single {
        1
    } else {
        chars.div_ceil(multi)
    }
}

impl VonageApi {
    pub(crate) fn new(credentials: VonageCredentials) -> Self {
        Self { credentials }
    }

    /// Checks the credentials, in the order Vonage reports: which are there, then whether
    /// they are right.
    fn authenticate(
        &self,
        request: &Incoming,
        params: &[(String, String)],
        now: u64,
    ) -> Result<(), Reply> {
        let field = |name: &str| first(params, name).filter(|v| !v.is_empty());
        let sig = field("sig");
        let secret = field("api_secret");
        if sig.is_some() && secret.is_some() {
            return Err(rejected("32", "Signature and API secret disallowed"));
        }
        if let Some((user, password)) = basic_auth(request) {
            let user_ok = constant_time_eq(&user, &self.credentials.api_key);
            let password_ok = constant_time_eq(&password, &self.credentials.api_secret);
            return if user_ok & password_ok {
                Ok(())
            } else {
                Err(rejected("4", "Bad Credentials"))
            };
        }
        let Some(key) = field("api_key") else {
            return Err(rejected("2", "Missing api_key"));
        };
        if let Some(sig) = sig {
            let Some(timestamp) = field("timestamp").and_then(|t| t.parse::<i64>().ok()) else {
                return Err(rejected("14", "Invalid Signature"));
            };
            let expected = expected_signature(
                &self.credentials.signature_method,
                &self.credentials.signature_secret,
                &signed_text(params),
            )
            .unwrap_or_default();
            let key_ok = constant_time_eq(key, &self.credentials.api_key);
            let sig_ok = constant_time_eq(&sig.to_ascii_lowercase(), &expected);
            if !key_ok {
                return Err(rejected("4", "Bad Credentials"));
            }
            if !sig_ok || codec::skew(timestamp, now) > MAX_SKEW_SECS {
                return Err(rejected("14", "Invalid Signature"));
            }
            return Ok(());
        }
        let Some(secret) = secret else {
            return Err(rejected("2", "Missing api_secret"));
        };
        let key_ok = constant_time_eq(key, &self.credentials.api_key);
        let secret_ok = constant_time_eq(secret, &self.credentials.api_secret);
        if key_ok & secret_ok {
            Ok(())
        } else {
            Err(rejected("4", "Bad Credentials"))
        }
    }

    fn accepted_body(&self, to: &str, count: usize) -> (Value, Vec<String>) {
        let ids: Vec<String> = (0..count)
            .map(|_| codec::random_hex(16).to_uppercase())
            .collect();
        let messages: Vec<Value> = ids
            .iter()
            .map(|id| {
                json!({
                    "to": to,
                    "message-id": id,
                    "status": "0",
                    "remaining-balance": "15.53590000",
                    "message-price": "0.03330000",
                    "network": "23410",
                })
            })
            .collect();
        (
            json!({ "message-count": count.to_string(), "messages": messages }),
            ids,
        )
    }
}

impl Api for VonageApi {
    fn route(&self, method: &str, path: &str) -> Result<(), Reply> {
        if path != PATH {
            return Err(Reply::html(404, "Not Found"));
        }
        if method != "POST" {
            return Err(Reply::html(405, "Method Not Allowed"));
        }
        Ok(())
    }

    fn verify(&self, request: &Incoming, now: u64) -> Result<SendRequest, Reply> {
        let params = parameters(request);
        self.authenticate(request, &params, now)?;
        let field = |name: &str| first(&params, name).filter(|v| !v.is_empty());
        let Some(from) = field("from") else {
            return Err(rejected("2", "Missing from param"));
        };
        let Some(to) = field("to") else {
            return Err(rejected("2", "Missing to param"));
        };
        let Some(text) = field("text") else {
            return Err(rejected("2", "Missing text param"));
        };
        let kind = field("type").unwrap_or("text");
        if !matches!(kind, "text" | "unicode") {
            return Err(rejected("3", "Invalid type param"));
        }
        let digits = to.strip_prefix('+').unwrap_or(to);
        if !(7..=15).contains(&digits.len())
            || !digits.bytes().all(|b| b.is_ascii_digit())
            || digits.starts_with('0')
        {
            return Err(rejected("3", "Invalid to param"));
        }
        if text.chars().count() > 3200 {
            return Err(rejected("12", "Message too long"));
        }
        Ok(SendRequest {
            numbers: vec![digits.to_owned()],
            body: Some(text.to_owned()),
            sender: Some(from.to_owned()),
            params: json!({ "type": kind }),
            ..SendRequest::default()
        })
    }

    fn answer(
        &self,
        send: &SendRequest,
        faults: &[Option<Fault>],
        now: u64,
    ) -> (Reply, Vec<AcceptedMessage>) {
        let to = send.numbers.first().map(String::as_str).unwrap_or_default();
        let reply = match faults.first().copied().flatten() {
            Some(Fault::RateLimited) => rejected(
                "1",
                "Throughput Rate Exceeded - please wait [ 1000 ] and retry",
            ),
            Some(Fault::QuotaExceeded) => rejected("9", "Quota Exceeded - rejected"),
            Some(Fault::InvalidNumber) => rejected("6", "Unroutable message - rejected"),
            _ => {
                let body = send.body.as_deref().unwrap_or_default();
                let unicode = send.params["type"] == "unicode";
                let (reply, ids) = self.accepted_body(to, parts(body, unicode));
                let first_id = ids.first().cloned().unwrap_or_default();
                let accepted =
                    send.accepted(ProviderApi::VONAGE, to, now, first_id.clone(), &first_id);
                return (Reply::json(200, &reply), vec![accepted]);
            }
        };
        (reply, Vec::new())
    }

    fn malformed(&self, send: &SendRequest, _now: u64) -> Reply {
        let to = send.numbers.first().map(String::as_str).unwrap_or_default();
        Reply::truncated(200, "application/json", &self.accepted_body(to, 1).0)
    }

    fn credentials(&self) -> Value {
        serde_json::to_value(&self.credentials).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hyper::body::Bytes;

    const NOW: u64 = 1_716_193_800;

    fn api(method: &str) -> VonageApi {
        VonageApi::new(VonageCredentials {
            signature_method: method.into(),
            ..VonageCredentials::default()
        })
    }

    fn request(body: &str, auth: Option<String>) -> Incoming {
        let mut headers = vec![(
            "content-type".to_owned(),
            "application/x-www-form-urlencoded".to_owned(),
        )];
        if let Some(auth) = auth {
            headers.push(("authorization".to_owned(), auth));
        }
        Incoming {
            method: "POST".into(),
            path: PATH.into(),
            query: String::new(),
            headers,
            body: Bytes::from(body.to_owned()),
        }
    }

    fn form(pairs: &[(&str, &str)]) -> String {
        form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish()
    }

    fn status(reply: &Reply) -> (String, String) {
        let body: Value = serde_json::from_slice(&reply.body).unwrap();
        let message = &body["messages"][0];
        (
            message["status"].as_str().unwrap().to_owned(),
            message["error-text"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
        )
    }

    const MESSAGE: [(&str, &str); 4] = [
        ("from", "AcmeCorp"),
        ("to", "447700900000"),
        ("text", "Your code is 123456. https://example.com/?a=b&c=d"),
        ("type", "text"),
    ];

    fn signed(method: &str, secret: &str, timestamp: &str) -> String {
        let mut pairs: Vec<(String, String)> = MESSAGE
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        pairs.push(("api_key".into(), "5a1b2c3d".into()));
        pairs.push(("timestamp".into(), timestamp.into()));
        let sig = expected_signature(method, secret, &signed_text(&pairs)).unwrap();
        pairs.push(("sig".into(), sig));
        form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish()
    }

    #[test]
    fn api_secret_in_the_form_or_as_basic_auth() {
        let mut good = MESSAGE.to_vec();
        good.extend([
            ("api_key", "5a1b2c3d"),
            ("api_secret", "simulator-vonage-api-secret"),
        ]);
        assert!(
            api("sha256")
                .verify(&request(&form(&good), None), NOW)
                .is_ok()
        );
        good[5].1 = "wrong";
        let reply = api("sha256")
            .verify(&request(&form(&good), None), NOW)
            .unwrap_err();
        assert_eq!(status(&reply), ("4".into(), "Bad Credentials".into()));

        let basic =
            |secret: &str| format!("Basic {}", STANDARD.encode(format!("5a1b2c3d:{secret}")));
        let body = form(&MESSAGE);
        assert!(
            api("sha256")
                .verify(
                    &request(&body, Some(basic("simulator-vonage-api-secret"))),
                    NOW
                )
                .is_ok()
        );
        let reply = api("sha256")
            .verify(&request(&body, Some(basic("wrong"))), NOW)
            .unwrap_err();
        assert_eq!(status(&reply).0, "4");
        let reply = api("sha256")
            .verify(&request(&body, None), NOW)
            .unwrap_err();
        assert_eq!(status(&reply), ("2".into(), "Missing api_key".into()));
    }

    /// The official SDK's vector (vonage 3.18.0, `sdk-md5hash-text` in the Vonage connector's
    /// vectors), recomputed here by the simulator's own code.
    #[test]
    fn signature_matches_the_sdk_vector() {
        let params: Vec<(String, String)> = [
            ("api_key", "a1b2c3d4"),
            ("from", "AcmeCorp"),
            ("to", "447700900000"),
            ("text", "Your code is 123456. https://example.com/?a=b&c=d"),
            ("type", "text"),
            ("timestamp", "1716193800"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let text = signed_text(&params);
        assert_eq!(
            expected_signature("md5hash", "Vonage-Signature-Secret-5f3a", &text).unwrap(),
            "487641b821797db1b0ed407b93bdc56a"
        );
    }

    #[test]
    fn each_method_is_verified_and_a_wrong_secret_is_status_14() {
        for method in ["md5hash", "md5", "sha1", "sha256", "sha512"] {
            let good = signed(method, "simulator-vonage-signature-secret", "1716193800");
            assert!(
                api(method).verify(&request(&good, None), NOW).is_ok(),
                "{method}"
            );
            let wrong = signed(method, "wrong", "1716193800");
            let reply = api(method).verify(&request(&wrong, None), NOW).unwrap_err();
            assert_eq!(
                status(&reply),
                ("14".into(), "Invalid Signature".into()),
                "{method}"
            );
            // The account's method is the one checked.
            let other = if method == "sha1" { "sha256" } else { "sha1" };
            assert!(
                api(other).verify(&request(&good, None), NOW).is_err(),
                "{method}"
            );
        }
        let stale = signed("sha256", "simulator-vonage-signature-secret", "1716190000");
        assert_eq!(
            status(
                &api("sha256")
                    .verify(&request(&stale, None), NOW)
                    .unwrap_err()
            )
            .0,
            "14"
        );
        let both = format!(
            "{}&api_secret=simulator-vonage-api-secret",
            signed("sha256", "simulator-vonage-signature-secret", "1716193800")
        );
        assert_eq!(
            status(
                &api("sha256")
                    .verify(&request(&both, None), NOW)
                    .unwrap_err()
            )
            .0,
            "32"
        );
    }

    #[test]
    fn required_fields_and_parts() {
        let auth = [
            ("api_key", "5a1b2c3d"),
            ("api_secret", "simulator-vonage-api-secret"),
        ];
        for (missing, text) in [
            ("from", "Missing from param"),
            ("to", "Missing to param"),
            ("text", "Missing text param"),
        ] {
            let mut pairs: Vec<(&str, &str)> = MESSAGE
                .iter()
                .copied()
                .filter(|(k, _)| *k != missing)
                .collect();
            pairs.extend(auth);
            let reply = api("sha256")
                .verify(&request(&form(&pairs), None), NOW)
                .unwrap_err();
            assert_eq!(status(&reply), ("2".into(), text.into()));
        }
        let mut pairs = MESSAGE.to_vec();
        pairs[1].1 = "12";
        pairs.extend(auth);
        let reply = api("sha256")
            .verify(&request(&form(&pairs), None), NOW)
            .unwrap_err();
        assert_eq!(status(&reply).0, "3");
        assert_eq!(parts(&"a".repeat(161), false), 2);
        assert_eq!(parts("验证码", true), 1);
        assert_eq!(parts(&"验".repeat(71), true), 2);
    }

    #[test]
    fn success_lists_every_part() {
        let send = SendRequest {
            numbers: vec!["447700900000".into()],
            body: Some("a".repeat(200)),
            params: json!({"type": "text"}),
            ..SendRequest::default()
        };
        let (reply, accepted) = api("sha256").answer(&send, &[None], NOW);
        let body: Value = serde_json::from_slice(&reply.body).unwrap();
        assert_eq!(body["message-count"], "2");
        assert_eq!(body["messages"][0]["status"], "0");
        assert_eq!(
            accepted[0].message_id,
            body["messages"][0]["message-id"].as_str().unwrap()
        );
        let (reply, accepted) = api("sha256").answer(&send, &[Some(Fault::QuotaExceeded)], NOW);
        assert_eq!(status(&reply).0, "9");
        assert!(accepted.is_empty());
    }
}
