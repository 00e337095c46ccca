//! A generic SMS gateway, as the HTTP connector's operator would run one: `POST` to any path
//! with a JSON body, authenticated by a Standard Webhooks signature (`webhook-id`,
//! `webhook-timestamp`, `webhook-signature`) and, when the credentials name one, a bearer
//! token.
//!
//! The recipient is the body's `to`, or else the first string anywhere in the body that is
//! a number in E.164; the text is `text` (or `message`) when there is one. Success is HTTP
//! 200 with `{"id": "sms_...", "status": "queued"}` and an `X-Request-Id` header; refusals
//! are JSON errors with the status the HTTP connector documents (401, 429 with
//! `Retry-After`, 402, 422).

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::codec::{self, constant_time_eq};
use super::credentials::parse_part;
use super::faults::Fault;
use super::http::{Api, Incoming, Reply};
use super::provider::ProviderModule;
use super::{AcceptedMessage, ProviderApi, SendRequest};

impl ProviderApi {
    /// A generic SMS gateway, for the HTTP connector.
    pub const HTTP: Self = Self::named("http");
}

/// The gateway, as the simulator serves it.
pub(crate) const MODULE: ProviderModule = ProviderModule {
    api: ProviderApi::HTTP,
    route: "POST /{any path}",
    build: |part| Ok(Box::new(GatewayApi::new(parse_part(part)?))),
};

/// The credentials the gateway accepts.
#[derive(Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub(crate) struct GatewayCredentials {
    /// The Standard Webhooks secret requests must be signed with (`whsec_` and base64);
    /// empty to accept unsigned requests.
    signing_secret: String,
    /// The token an `Authorization: Bearer` header must carry; empty for none.
    bearer_token: String,
}

impl Default for GatewayCredentials {
    fn default() -> Self {
        Self {
            // The base64 of the 33 bytes "simulator-http-gateway-key-32byte".
            signing_secret: "whsec_c2ltdWxhdG9yLWh0dHAtZ2F0ZXdheS1rZXktMzJieXRl".into(),
            bearer_token: String::new(),
        }
    }
}

/// Says whether each credential is set, never its value.
impl fmt::Debug for GatewayCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GatewayCredentials")
            .field("signed", &!self.signing_secret.is_empty())
            .field("bearer", &!self.bearer_token.is_empty())
            .finish()
    }
}

/// How far `webhook-timestamp` may be from the simulator's clock, in seconds: the tolerance
/// Standard Webhooks' libraries apply.
const MAX_SKEW_SECS: u64 = 300;

/// The gateway API.
pub(crate) struct GatewayApi {
    credentials: GatewayCredentials,
}

impl fmt::Debug for GatewayApi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GatewayApi")
            .field("credentials", &self.credentials)
            .finish_non_exhaustive()
    }
}

/// A JSON error answer.
fn refused(status: u16, message: &str) -> Reply {
    Reply::json(status, &json!({ "error": { "message": message } }))
}

/// The HMAC key of a `whsec_` secret, read here independently of the connector's signer.
fn key(secret: &str) -> Option<Vec<u8>> {
    let encoded = secret.strip_prefix("whsec_")?.trim_end_matches('=');
    base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(encoded)
        .ok()
}

/// The `v1` signatures of a `webhook-signature` header (space-separated `v1,<base64>`).
fn v1_signatures(header: &str) -> impl Iterator<Item = &str> {
    header
        .split(' ')
        .filter_map(|entry| entry.strip_prefix("v1,"))
}

/// The expected signature of `id.timestamp.body`.
fn expected(key: &[u8], id: &str, timestamp: &str, body: &[u8]) -> String {
    let mut content = Vec::with_capacity(id.len() + timestamp.len() + body.len() + 2);
    content.extend_from_slice(id.as_bytes());
    content.push(b'.');
    content.extend_from_slice(timestamp.as_bytes());
    content.push(b'.');
    content.extend_from_slice(body);
    STANDARD.encode(codec::hmac_sha256(key, &content))
}

/// The recipient: `to`, or the first E.164 string anywhere in the body.
fn recipient(body: &Value) -> Option<String> {
    fn is_e164(s: &str) -> bool {
        s.strip_prefix('+').is_some_and(|digits| {
            (8..=15).contains(&digits.len())
                && digits.bytes().all(|b| b.is_ascii_digit())
                && !digits.starts_with('0')
        })
    }
    fn find(value: &Value, depth: usize) -> Option<String> {
        match value {
            Value::String(s) if is_e164(s) => Some(s.clone()),
            Value::Array(items) if depth < 16 => items.iter().find_map(|v| find(v, depth + 1)),
            Value::Object(fields) if depth < 16 => fields.values().find_map(|v| find(v, depth + 1)),
            _ => None,
        }
    }
    match body.get("to").and_then(Value::as_str) {
        Some(to) if is_e164(to) => Some(to.to_owned()),
        Some(_) => None,
        None => find(body, 0),
    }
}

impl GatewayApi {
    pub(crate) fn new(credentials: GatewayCredentials) -> Self {
        Self { credentials }
    }

    fn authenticate(&self, request: &Incoming, now: u64) -> Result<(), Reply> {
        let token = &self.credentials.bearer_token;
        if !token.is_empty() {
            let given = request
                .header("authorization")
                .and_then(|v| v.strip_prefix("Bearer "))
                .unwrap_or_default();
            if !constant_time_eq(given, token) {
                return Err(refused(401, "missing or wrong bearer token"));
            }
        }
        let secret = &self.credentials.signing_secret;
        if secret.is_empty() {
            return Ok(());
        }
        let (Some(id), Some(timestamp), Some(signature)) = (
            request.header("webhook-id"),
            request.header("webhook-timestamp"),
            request.header("webhook-signature"),
        ) else {
            return Err(refused(
                401,
                "missing webhook-id, webhook-timestamp or webhook-signature",
            ));
        };
        let Some(at) = timestamp.parse::<i64>().ok() else {
            return Err(refused(401, "webhook-timestamp is not a Unix time"));
        };
        if codec::skew(at, now) > MAX_SKEW_SECS {
            return Err(refused(401, "webhook-timestamp is too far from now"));
        }
        let Some(key) = key(secret) else {
            return Err(refused(
                500,
                "the simulator's signing secret is not whsec_ base64",
            ));
        };
        let wanted = expected(&key, id, timestamp, &request.body);
        if v1_signatures(signature).any(|given| constant_time_eq(given, &wanted)) {
            Ok(())
        } else {
            Err(refused(401, "no webhook-signature matches"))
        }
    }
}

impl Api for GatewayApi {
    fn route(&self, method: &str, _path: &str) -> Result<(), Reply> {
        if method != "POST" {
            return Err(Reply::html(405, "Method Not Allowed"));
        }
        Ok(())
    }

    fn verify(&self, request: &Incoming, now: u64) -> Result<SendRequest, Reply> {
        self.authenticate(request, now)?;
        let is_json = request
            .header("content-type")
            .is_some_and(|t| t.to_ascii_lowercase().starts_with("application/json"));
        if !is_json {
            return Err(refused(415, "the body must be application/json"));
        }
        let Ok(body) = serde_json::from_slice::<Value>(&request.body) else {
            return Err(refused(400, "the body is not JSON"));
        };
        let Some(to) = recipient(&body) else {
            return Err(refused(
                422,
                "no recipient: expected `to`, or a number in E.164 somewhere in the body",
            ));
        };
        let text = ["text", "message"]
            .iter()
            .find_map(|key| body.get(*key).and_then(Value::as_str))
            .map(str::to_owned);
        Ok(SendRequest {
            numbers: vec![to],
            body: text,
            params: body,
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
        let request_id = codec::uuid_lower();
        let reply = match faults.first().copied().flatten() {
            Some(Fault::RateLimited) => {
                refused(429, "too many messages; retry later").with_header("Retry-After", "1")
            }
            Some(Fault::QuotaExceeded) => refused(402, "the account's SMS quota is used up"),
            Some(Fault::InvalidNumber) => refused(422, "the number cannot receive SMS"),
            _ => {
                let id = format!("sms_{}", codec::random_hex(16));
                let accepted = send.accepted(ProviderApi::HTTP, to, now, id.clone(), &request_id);
                let reply = Reply::json(200, &json!({ "id": id, "status": "queued" }))
                    .with_header("X-Request-Id", request_id);
                return (reply, vec![accepted]);
            }
        };
        (reply.with_header("X-Request-Id", request_id), Vec::new())
    }

    fn malformed(&self, _send: &SendRequest, _now: u64) -> Reply {
        Reply::truncated(
            200,
            "application/json",
            &json!({ "id": format!("sms_{}", codec::random_hex(16)), "status": "queued" }),
        )
    }

    fn credentials(&self) -> Value {
        serde_json::to_value(&self.credentials).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hyper::body::Bytes;

    const NOW: u64 = 1_764_720_000;

    fn api() -> GatewayApi {
        GatewayApi::new(GatewayCredentials::default())
    }

    fn request(body: &str, headers: &[(&str, &str)]) -> Incoming {
        let mut all = vec![("content-type".to_owned(), "application/json".to_owned())];
        all.extend(headers.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        Incoming {
            method: "POST".into(),
            path: "/sms".into(),
            query: String::new(),
            headers: all,
            body: Bytes::from(body.to_owned()),
        }
    }

    fn signed(body: &str, secret: &str, timestamp: u64) -> Incoming {
        let signature = format!(
            "v1,{}",
            expected(
                &key(secret).unwrap(),
                "msg_1",
                &timestamp.to_string(),
                body.as_bytes()
            )
        );
        request(
            body,
            &[
                ("webhook-id", "msg_1"),
                ("webhook-timestamp", &timestamp.to_string()),
                ("webhook-signature", &signature),
            ],
        )
    }

    fn status(result: Result<SendRequest, Reply>) -> u16 {
        result.err().map_or(200, |reply| reply.status)
    }

    /// The Standard Webhooks specification's vector, recomputed by the simulator's code.
    #[test]
    fn the_specification_vector() {
        let key = key("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        assert_eq!(
            expected(
                &key,
                "msg_p5jXN8AQM9LWM0D4loKWxJek",
                "1614265330",
                br#"{"test": 2432232314}"#
            ),
            "g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        );
    }

    #[test]
    fn signatures_are_verified() {
        let secret = GatewayCredentials::default().signing_secret;
        let body = r#"{"to":"+14155550100","text":"Your code is 123456."}"#;
        let ok = api().verify(&signed(body, &secret, NOW), NOW).unwrap();
        assert_eq!(ok.numbers, ["+14155550100"]);
        assert_eq!(ok.body.as_deref(), Some("Your code is 123456."));
        let wrong = "whsec_d3Jvbmctd3Jvbmctd3Jvbmctd3Jvbmctd3Jvbmc=";
        assert_eq!(status(api().verify(&signed(body, wrong, NOW), NOW)), 401);
        assert_eq!(
            status(api().verify(&signed(body, &secret, NOW - 600), NOW)),
            401
        );
        assert_eq!(status(api().verify(&request(body, &[]), NOW)), 401);
        let mut tampered = signed(body, &secret, NOW);
        tampered.body = Bytes::from(body.replace("123456", "654321"));
        assert_eq!(status(api().verify(&tampered, NOW)), 401);
        // One good signature among several (a rotating key) is enough.
        let mut rotating = signed(body, &secret, NOW);
        for (name, value) in &mut rotating.headers {
            if name == "webhook-signature" {
                *value = format!("v1,AAAA {value}");
            }
        }
        assert_eq!(status(api().verify(&rotating, NOW)), 200);
    }

    #[test]
    fn bearer_tokens_and_bodies() {
        let bearer = GatewayApi::new(GatewayCredentials {
            signing_secret: String::new(),
            bearer_token: "tok".into(),
        });
        let body = r#"{"meta":{"phone":"+8613800138000"},"message":"验证码 1"}"#;
        assert_eq!(status(bearer.verify(&request(body, &[]), NOW)), 401);
        let found = bearer
            .verify(&request(body, &[("authorization", "Bearer tok")]), NOW)
            .unwrap();
        assert_eq!(
            found.numbers,
            ["+8613800138000"],
            "found anywhere in the body"
        );
        assert_eq!(found.body.as_deref(), Some("验证码 1"));
        let auth = [("authorization", "Bearer tok")];
        assert_eq!(status(bearer.verify(&request("{", &auth), NOW)), 400);
        assert_eq!(
            status(bearer.verify(&request(r#"{"to":"123"}"#, &auth), NOW)),
            422
        );
    }

    #[test]
    fn answers_and_faults() {
        let send = SendRequest {
            numbers: vec!["+14155550100".into()],
            ..SendRequest::default()
        };
        let (reply, accepted) = api().answer(&send, &[None], NOW);
        let body: Value = serde_json::from_slice(&reply.body).unwrap();
        assert_eq!(reply.status, 200);
        assert_eq!(accepted[0].message_id, body["id"].as_str().unwrap());
        for (fault, status) in [
            (Fault::RateLimited, 429),
            (Fault::QuotaExceeded, 402),
            (Fault::InvalidNumber, 422),
        ] {
            let (reply, accepted) = api().answer(&send, &[Some(fault)], NOW);
            assert_eq!(reply.status, status);
            assert!(accepted.is_empty());
        }
    }
}
