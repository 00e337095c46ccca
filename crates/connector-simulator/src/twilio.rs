//! Twilio's Messages API: `POST /2010-04-01/Accounts/{AccountSid}/Messages.json`, HTTP Basic
//! auth with the Account SID and Auth Token or with an API key's SID and secret (the account
//! still in the path), form fields `To`, `Body` and `From` or
//! `MessagingServiceSid`.
//!
//! Errors use the 2010 API's flat body `{code, message, more_info, status}`.

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::codec::{self, constant_time_eq, first, form_pairs};
use super::credentials::parse_part;
use super::faults::Fault;
use super::http::{Api, Incoming, Reply};
use super::provider::ProviderModule;
use super::{AcceptedMessage, ProviderApi, SendRequest};

impl ProviderApi {
    /// Twilio Programmable Messaging.
    pub const TWILIO: Self = Self::named("twilio");
}

/// Twilio, as the simulator serves it.
pub(crate) const MODULE: ProviderModule = ProviderModule {
    api: ProviderApi::TWILIO,
    route: "POST /2010-04-01/Accounts/{AccountSid}/Messages.json",
    build: |part| Ok(Box::new(TwilioApi::new(parse_part(part)?))),
};

/// The Twilio credentials the simulator accepts.
#[derive(Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub(crate) struct TwilioCredentials {
    /// The Account SID (Basic auth user, and the account in the path).
    account_sid: String,
    /// The Auth Token (Basic auth password).
    auth_token: String,
    /// An API key's SID (`SK…`), the Basic auth user instead of the Account SID.
    api_key_sid: String,
    /// The API key's secret, the Basic auth password with the key's SID.
    api_key_secret: String,
}

impl Default for TwilioCredentials {
    fn default() -> Self {
        Self {
            account_sid: "AC00000000000000000000000000000001".into(),
            auth_token: "simulator-twilio-auth-token".into(),
            api_key_sid: "SK00000000000000000000000000000001".into(),
            api_key_secret: "simulator-twilio-api-key-secret".into(),
        }
    }
}

/// Shows the id, never the secret.
impl fmt::Debug for TwilioCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TwilioCredentials")
            .field("account_sid", &self.account_sid)
            .field("api_key_sid", &self.api_key_sid)
            .finish_non_exhaustive()
    }
}

const PREFIX: &str = "/2010-04-01/Accounts/";
const SUFFIX: &str = "/Messages.json";
/// The longest body Twilio accepts, in characters.
const MAX_BODY_CHARS: usize = 1_600;

/// The Twilio API.
pub(crate) struct TwilioApi {
    credentials: TwilioCredentials,
}

impl fmt::Debug for TwilioApi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TwilioApi")
            .field("account_sid", &self.credentials.account_sid)
            .finish_non_exhaustive()
    }
}

/// Twilio's error body and status.
fn error(status: u16, code: u32, message: impl Into<String>) -> Reply {
    Reply::json(
        status,
        &json!({
            "code": code,
            "message": message.into(),
            "more_info": format!("https://www.twilio.com/docs/errors/{code}"),
            "status": status,
        }),
    )
    .with_header("twilio-request-id", request_id())
}

fn request_id() -> String {
    format!("RQ{}", codec::random_hex(32))
}

/// The account SID in a Messages path.
fn account_in_path(path: &str) -> Option<&str> {
    path.strip_prefix(PREFIX)?
        .strip_suffix(SUFFIX)
        .filter(|sid| !sid.is_empty() && !sid.contains('/'))
}

/// E.164: `+`, then 8 to 15 digits, the first not 0.
fn is_e164(number: &str) -> bool {
    number.strip_prefix('+').is_some_and(|digits| {
        (8..=15).contains(&digits.len())
            && digits.bytes().all(|b| b.is_ascii_digit())
            && !digits.starts_with('0')
    })
}

/// How many SMS segments a body takes: GSM-7 text (ASCII here) fits 160 characters in one
/// segment and 153 per segment when split; anything else is UCS-2, 70 and 67.
fn segments(body: &str) -> usize {
    let chars = body.chars().count();
    let (single, multi) = if body.is_ascii() {
        (160, 153)
    } else {
        (70, 67)
    };
    if chars <= single {
        1
    } else {
        chars.div_ceil(multi)
    }
}

impl TwilioApi {
    pub(crate) fn new(credentials: TwilioCredentials) -> Self {
        Self { credentials }
    }

    /// Whether the `Authorization` header carries the configured SID and token.
    fn authenticated(&self, request: &Incoming) -> bool {
        let Some(value) = request.header("authorization") else {
            return false;
        };
        let Some(encoded) = value
            .split_once(' ')
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("basic"))
            .map(|(_, rest)| rest.trim())
        else {
            return false;
        };
        let Ok(decoded) = STANDARD.decode(encoded) else {
            return false;
        };
        let Ok(decoded) = String::from_utf8(decoded) else {
            return false;
        };
        let Some((user, password)) = decoded.split_once(':') else {
            return false;
        };
        // The account's token, or the API key's secret when the user is the key's SID. Both
        // user and password compared, so the time taken does not tell which one was wrong.
        let expected = if user.starts_with("SK") {
            (
                &self.credentials.api_key_sid,
                &self.credentials.api_key_secret,
            )
        } else {
            (&self.credentials.account_sid, &self.credentials.auth_token)
        };
        let user_ok = constant_time_eq(user, expected.0);
        let password_ok = constant_time_eq(password, expected.1);
        user_ok & password_ok
    }

    fn message_resource(&self, send: &SendRequest, now: u64, sid: &str) -> Value {
        let body = send.body.clone().unwrap_or_default();
        let account = &self.credentials.account_sid;
        let service = send.sender.as_deref().filter(|s| s.starts_with("MG"));
        let from = send.sender.as_deref().filter(|s| !s.starts_with("MG"));
        let date = codec::rfc2822(now);
        json!({
            "account_sid": account,
            "api_version": "2010-04-01",
            "body": body,
            "date_created": date,
            "date_sent": null,
            "date_updated": date,
            "direction": "outbound-api",
            "error_code": null,
            "error_message": null,
            "from": from,
            "messaging_service_sid": service,
            "num_media": "0",
            "num_segments": segments(&body).to_string(),
            "price": null,
            "price_unit": "USD",
            "sid": sid,
            "status": if service.is_some() { "accepted" } else { "queued" },
            "subresource_uris": {
                "media": format!("{PREFIX}{account}/Messages/{sid}/Media.json"),
            },
            "to": send.numbers.first(),
            "uri": format!("{PREFIX}{account}/Messages/{sid}.json"),
        })
    }
}

impl Api for TwilioApi {
    fn route(&self, method: &str, path: &str) -> Result<(), Reply> {
        if account_in_path(path).is_none() {
            return Err(error(
                404,
                20404,
                format!("The requested resource {path} was not found"),
            ));
        }
        if method != "POST" {
            return Err(error(405, 20004, "Method not allowed"));
        }
        Ok(())
    }

    fn verify(&self, request: &Incoming, _now: u64) -> Result<SendRequest, Reply> {
        if !self.authenticated(request) {
            return Err(error(401, 20003, "Authenticate")
                .with_header("www-authenticate", "Basic realm=\"Twilio API\""));
        }
        if account_in_path(&request.path) != Some(self.credentials.account_sid.as_str()) {
            return Err(error(
                404,
                20404,
                format!("The requested resource {} was not found", request.path),
            ));
        }
        let form = form_pairs(&request.body);
        let field = |name: &str| first(&form, name).filter(|v| !v.is_empty());
        let Some(to) = field("To") else {
            return Err(error(400, 21604, "A 'To' phone number is required."));
        };
        let service = field("MessagingServiceSid");
        let Some(sender) = service.or_else(|| field("From")) else {
            return Err(error(400, 21603, "A 'From' phone number is required."));
        };
        let body = field("Body");
        if body.is_none() && field("MediaUrl").is_none() && field("ContentSid").is_none() {
            return Err(if service.is_some() {
                error(
                    400,
                    21619,
                    "A text message body, Media URL or Content SID is required.",
                )
            } else {
                error(400, 21602, "Message body is required.")
            });
        }
        if body.is_some_and(|b| b.chars().count() > MAX_BODY_CHARS) {
            return Err(error(
                400,
                21617,
                "The concatenated message body exceeds the 1600 character limit.",
            ));
        }
        if !is_e164(to) {
            return Err(error(
                400,
                21211,
                format!("The 'To' number {to} is not a valid phone number."),
            ));
        }
        Ok(SendRequest {
            numbers: vec![to.to_owned()],
            body: body.map(str::to_owned),
            sender: Some(sender.to_owned()),
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
            Some(Fault::RateLimited) => error(429, 20429, "Too Many Requests"),
            Some(Fault::QuotaExceeded) => {
                error(400, 63038, "Account exceeded the daily messages limit")
            }
            Some(Fault::InvalidNumber) => error(
                400,
                21211,
                format!("The 'To' number {to} is not a valid phone number."),
            ),
            _ => {
                let sid = format!("SM{}", codec::random_hex(32));
                let request_id = request_id();
                let reply = Reply::json(201, &self.message_resource(send, now, &sid))
                    .with_header("twilio-request-id", request_id.clone());
                let accepted = send.accepted(ProviderApi::TWILIO, to, now, sid, &request_id);
                return (reply, vec![accepted]);
            }
        };
        (reply, Vec::new())
    }

    fn malformed(&self, send: &SendRequest, now: u64) -> Reply {
        let sid = format!("SM{}", codec::random_hex(32));
        Reply::truncated(
            201,
            "application/json; charset=utf-8",
            &self.message_resource(send, now, &sid),
        )
        .with_header("twilio-request-id", request_id())
    }

    fn credentials(&self) -> Value {
        serde_json::to_value(&self.credentials).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hyper::body::Bytes;

    fn api() -> TwilioApi {
        TwilioApi::new(TwilioCredentials::default())
    }

    fn request(auth: Option<&str>, path: &str, body: &str) -> Incoming {
        let mut headers = vec![(
            "content-type".to_owned(),
            "application/x-www-form-urlencoded".to_owned(),
        )];
        if let Some(auth) = auth {
            headers.push(("authorization".to_owned(), auth.to_owned()));
        }
        Incoming {
            method: "POST".into(),
            path: path.into(),
            query: String::new(),
            headers,
            body: Bytes::from(body.to_owned()),
        }
    }

    fn basic(user: &str, password: &str) -> String {
        format!("Basic {}", STANDARD.encode(format!("{user}:{password}")))
    }

    const PATH: &str = "/2010-04-01/Accounts/AC00000000000000000000000000000001/Messages.json";

    fn code(reply: &Reply) -> (u16, Value) {
        let body: Value = serde_json::from_slice(&reply.body).unwrap();
        (reply.status, body["code"].clone())
    }

    #[test]
    fn basic_auth_is_checked() {
        let good = basic(
            "AC00000000000000000000000000000001",
            "simulator-twilio-auth-token",
        );
        let body = "To=%2B14155550100&MessagingServiceSid=MG1&Body=hi";
        assert!(api().verify(&request(Some(&good), PATH, body), 0).is_ok());
        for auth in [
            None,
            Some(basic("AC00000000000000000000000000000001", "wrong").as_str()),
            Some("Basic !!!not-base64"),
            Some("Bearer x"),
            Some("Basic"),
            Some(&basic("ACother", "simulator-twilio-auth-token")),
        ] {
            let reply = api().verify(&request(auth, PATH, body), 0).unwrap_err();
            assert_eq!(code(&reply), (401, json!(20003)), "{auth:?}");
        }
        // An API key: its SID and secret, the account in the path.
        let key = basic(
            "SK00000000000000000000000000000001",
            "simulator-twilio-api-key-secret",
        );
        assert!(api().verify(&request(Some(&key), PATH, body), 0).is_ok());
        for auth in [
            basic("SK00000000000000000000000000000001", "wrong"),
            basic(
                "SK00000000000000000000000000000002",
                "simulator-twilio-api-key-secret",
            ),
            basic(
                "SK00000000000000000000000000000001",
                "simulator-twilio-auth-token",
            ),
            basic(
                "AC00000000000000000000000000000001",
                "simulator-twilio-api-key-secret",
            ),
        ] {
            let reply = api()
                .verify(&request(Some(&auth), PATH, body), 0)
                .unwrap_err();
            assert_eq!(code(&reply), (401, json!(20003)), "{auth}");
        }
        let other_account = "/2010-04-01/Accounts/ACother/Messages.json";
        let reply = api()
            .verify(&request(Some(&key), other_account, body), 0)
            .unwrap_err();
        assert_eq!(code(&reply), (404, json!(20404)));
        let reply = api()
            .verify(&request(Some(&good), other_account, body), 0)
            .unwrap_err();
        assert_eq!(code(&reply), (404, json!(20404)));
    }

    #[test]
    fn required_fields_have_their_codes() {
        let good = basic(
            "AC00000000000000000000000000000001",
            "simulator-twilio-auth-token",
        );
        let cases = [
            ("MessagingServiceSid=MG1&Body=hi", 21604),
            ("To=%2B14155550100&Body=hi", 21603),
            ("To=%2B14155550100&From=%2B15017122661", 21602),
            ("To=%2B14155550100&MessagingServiceSid=MG1", 21619),
            ("To=%2B1555&From=%2B15017122661&Body=hi", 21211),
            ("To=14155550100&From=%2B15017122661&Body=hi", 21211),
        ];
        for (body, expected) in cases {
            let reply = api()
                .verify(&request(Some(&good), PATH, body), 0)
                .unwrap_err();
            assert_eq!(code(&reply), (400, json!(expected)), "{body}");
        }
        let long = format!(
            "To=%2B14155550100&From=%2B15017122661&Body={}",
            "a".repeat(1601)
        );
        let reply = api()
            .verify(&request(Some(&good), PATH, &long), 0)
            .unwrap_err();
        assert_eq!(code(&reply), (400, json!(21617)));
    }

    #[test]
    fn routes() {
        assert!(api().route("POST", PATH).is_ok());
        assert_eq!(api().route("GET", PATH).unwrap_err().status, 405);
        assert_eq!(
            api()
                .route("POST", "/2010-04-01/Accounts//Messages.json")
                .unwrap_err()
                .status,
            404
        );
        assert_eq!(api().route("POST", "/").unwrap_err().status, 404);
    }

    #[test]
    fn success_is_a_message_resource() {
        let send = SendRequest {
            numbers: vec!["+14155550100".into()],
            body: Some("Your code is 123456".into()),
            sender: Some("MG00000000000000000000000000000001".into()),
            ..SendRequest::default()
        };
        let (reply, accepted) = api().answer(&send, &[None], 1_716_193_800);
        assert_eq!(reply.status, 201);
        let body: Value = serde_json::from_slice(&reply.body).unwrap();
        let sid = body["sid"].as_str().unwrap();
        assert!(sid.starts_with("SM") && sid.len() == 34);
        assert_eq!(body["status"], "accepted");
        assert_eq!(body["from"], Value::Null);
        assert_eq!(body["date_created"], "Mon, 20 May 2024 08:30:00 +0000");
        assert_eq!(accepted[0].message_id, sid);
        assert_eq!(segments(&"a".repeat(161)), 2);
        assert_eq!(segments("验证码"), 1);
    }
}
