//! Tencent Cloud SMS `SendSms` (version 2021-01-11): `POST /` with a JSON body, signed with
//! `TC3-HMAC-SHA256`.
//!
//! The signature is recomputed from the request as received: the canonical request covers
//! the method, path, query, every header the client lists in `SignedHeaders` (names and values
//! lower-cased and trimmed, as Tencent's documentation specifies) and the body's SHA-256; the
//! string to sign adds the timestamp and the credential scope `date/service/tc3_request`; the
//! key is derived from `"TC3" + SecretKey` through the date, the service and `tc3_request`.
//!
//! Every error is HTTP 200 with `{"Response": {"Error": {"Code", "Message"}, "RequestId"}}` and
//! `Content-Type: application/json` exactly (the official Python SDK only reads errors with
//! that type); per-number failures are entries of `SendStatusSet` with a `Code` other than
//! `Ok`.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::codec::{self, constant_time_eq, hmac_sha256, sha256_hex};
use super::credentials::parse_part;
use super::faults::Fault;
use super::http::{Api, Incoming, Reply};
use super::provider::ProviderModule;
use super::{AcceptedMessage, ProviderApi, SendRequest};

impl ProviderApi {
    /// Tencent Cloud SMS.
    pub const TENCENT: Self = Self::named("tencent");
}

/// Tencent Cloud, as the simulator serves it.
pub(crate) const MODULE: ProviderModule = ProviderModule {
    api: ProviderApi::TENCENT,
    route: "POST / (X-TC-Action: SendSms, X-TC-Version: 2021-01-11)",
    build: |part| Ok(Box::new(TencentApi::new(parse_part(part)?))),
};

/// The Tencent Cloud credentials the simulator accepts.
#[derive(Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub(crate) struct TencentCredentials {
    /// The SecretId.
    secret_id: String,
    /// The SecretKey.
    secret_key: String,
    /// The SMS application id (`SmsSdkAppId`).
    sdk_app_id: String,
}

impl Default for TencentCredentials {
    fn default() -> Self {
        Self {
            secret_id: "AKIDSimulatorSecretId000000000000001".into(),
            secret_key: "simulator-tencent-secret-key".into(),
            sdk_app_id: "1400000001".into(),
        }
    }
}

/// Shows the ids, never the secret.
impl fmt::Debug for TencentCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TencentCredentials")
            .field("secret_id", &self.secret_id)
            .field("sdk_app_id", &self.sdk_app_id)
            .finish_non_exhaustive()
    }
}

/// How far `X-TC-Timestamp` may be from the simulator's clock.
pub(crate) const MAX_SKEW_SECS: u64 = 5 * 60;
const CONTENT_TYPE: &str = "application/json";
const ACTION: &str = "SendSms";
const VERSION: &str = "2021-01-11";
const SERVICE: &str = "sms";
/// The regions SendSms answers in (`X-TC-Region`).
pub(crate) const REGIONS: [&str; 4] = ["ap-beijing", "ap-guangzhou", "ap-nanjing", "ap-singapore"];
/// The most numbers one request may carry.
const MAX_NUMBERS: usize = 200;

/// The parts of a `TC3-HMAC-SHA256` `Authorization` header.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Tc3Authorization {
    pub(crate) secret_id: String,
    pub(crate) date: String,
    pub(crate) service: String,
    pub(crate) terminator: String,
    pub(crate) signed_headers: Vec<String>,
    pub(crate) signature: String,
}

/// Parses `TC3-HMAC-SHA256 Credential=id/date/service/tc3_request, SignedHeaders=a;b,
/// Signature=hex`.
pub(crate) fn parse_tc3(value: &str) -> Option<Tc3Authorization> {
    let rest = value.strip_prefix("TC3-HMAC-SHA256")?;
    if !rest.starts_with(' ') {
        return None;
    }
    let mut credential = None;
    let mut signed = None;
    let mut signature = None;
    for part in rest.split(',') {
        let (key, val) = part.trim().split_once('=')?;
        match key {
            "Credential" => credential = Some(val),
            "SignedHeaders" => signed = Some(val),
            "Signature" => signature = Some(val),
            _ => return None,
        }
    }
    let mut scope = credential?.split('/');
    let secret_id = scope.next()?.to_owned();
    let date = scope.next()?.to_owned();
    let service = scope.next()?.to_owned();
    let terminator = scope.next()?.to_owned();
    if scope.next().is_some() || secret_id.is_empty() {
        return None;
    }
    let signed_headers: Vec<String> = signed?.split(';').map(str::to_owned).collect();
    if signed_headers.iter().any(String::is_empty) {
        return None;
    }
    Some(Tc3Authorization {
        secret_id,
        date,
        service,
        terminator,
        signed_headers,
        signature: signature.filter(|s| !s.is_empty())?.to_owned(),
    })
}

/// The canonical request: method, path, query, the signed headers (lower-cased, trimmed),
/// the signed header list and the body's SHA-256.
pub(crate) fn tc3_canonical_request(
    method: &str,
    path: &str,
    query: &str,
    headers: &[(String, String)],
    signed_headers: &[String],
    body: &[u8],
) -> String {
    let mut canonical_headers = String::new();
    for name in signed_headers {
        let name = name.to_ascii_lowercase();
        let value = headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.trim().to_lowercase())
            .unwrap_or_default();
        canonical_headers.push_str(&format!("{name}:{value}\n"));
    }
    format!(
        "{method}\n{path}\n{query}\n{canonical_headers}\n{}\n{}",
        signed_headers.join(";"),
        sha256_hex(body)
    )
}

/// The string to sign.
pub(crate) fn tc3_string_to_sign(timestamp: &str, scope: &str, canonical_request: &str) -> String {
    format!(
        "TC3-HMAC-SHA256\n{timestamp}\n{scope}\n{}",
        sha256_hex(canonical_request.as_bytes())
    )
}

/// The signature: the key derived from `"TC3" + secret_key` through date, service and
/// `tc3_request`, then hex HMAC-SHA256 of the string to sign.
pub(crate) fn tc3_signature(
    secret_key: &str,
    date: &str,
    service: &str,
    string_to_sign: &str,
) -> String {
    let k_date = hmac_sha256(format!("TC3{secret_key}").as_bytes(), date.as_bytes());
    let k_service = hmac_sha256(&k_date, service.as_bytes());
    let k_signing = hmac_sha256(&k_service, b"tc3_request");
    hex::encode(hmac_sha256(&k_signing, string_to_sign.as_bytes()))
}

fn error(code: &str, message: impl Into<String>) -> Reply {
    Reply::json_as(
        200,
        CONTENT_TYPE,
        &json!({
            "Response": {
                "Error": { "Code": code, "Message": message.into() },
                "RequestId": codec::uuid_lower(),
            }
        }),
    )
}

fn missing(name: &str) -> Reply {
    error(
        "MissingParameter",
        format!("The request is missing a required parameter `{name}`."),
    )
}

fn invalid_type(name: &str) -> Reply {
    error(
        "InvalidParameter",
        format!("The value type of parameter `{name}` is incorrect."),
    )
}

fn signature_failure() -> Reply {
    error(
        "AuthFailure.SignatureFailure",
        "The provided credentials could not be validated. Please check your signature is correct.",
    )
}

/// A recipient in E.164 with its ISO country code, or `None` when the number is malformed.
/// Mainland numbers may also come as `0086…`, `86…` or bare 11 digits.
fn normalize(number: &str) -> Option<(String, &'static str)> {
    let number = number.trim();
    let e164 = if let Some(rest) = number.strip_prefix('+') {
        rest.to_owned()
    } else if let Some(rest) = number.strip_prefix("0086") {
        format!("86{rest}")
    } else if number.len() == 13 && number.starts_with("861") {
        number.to_owned()
    } else if number.len() == 11 && number.starts_with('1') {
        format!("86{number}")
    } else {
        return None;
    };
    if !(7..=15).contains(&e164.len())
        || !e164.bytes().all(|b| b.is_ascii_digit())
        || e164.starts_with('0')
    {
        return None;
    }
    if let Some(national) = e164.strip_prefix("86") {
        if national.len() != 11 || !national.starts_with('1') {
            return None;
        }
    }
    const CODES: [(&str, &str); 10] = [
        ("852", "HK"),
        ("853", "MO"),
        ("886", "TW"),
        ("86", "CN"),
        ("65", "SG"),
        ("81", "JP"),
        ("82", "KR"),
        ("44", "GB"),
        ("49", "DE"),
        ("1", "US"),
    ];
    let iso = CODES
        .iter()
        .find(|(prefix, _)| e164.starts_with(prefix))
        .map_or("DEF", |(_, iso)| iso);
    Some((format!("+{e164}"), iso))
}

/// The Tencent Cloud SMS API.
pub(crate) struct TencentApi {
    credentials: TencentCredentials,
}

impl fmt::Debug for TencentApi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TencentApi")
            .field("secret_id", &self.credentials.secret_id)
            .field("sdk_app_id", &self.credentials.sdk_app_id)
            .finish_non_exhaustive()
    }
}

impl TencentApi {
    pub(crate) fn new(credentials: TencentCredentials) -> Self {
        Self { credentials }
    }

    fn authenticate(&self, request: &Incoming, now: u64) -> Result<(), Reply> {
        let Some(authorization) = request.header("authorization") else {
            return Err(error(
                "AuthFailure.InvalidAuthorization",
                "The Authorization header is missing.",
            ));
        };
        let Some(auth) = parse_tc3(authorization) else {
            return Err(error(
                "AuthFailure.InvalidAuthorization",
                "Authorization in the request header is invalid.",
            ));
        };
        let Some(timestamp) = request.header("x-tc-timestamp") else {
            return Err(missing("Timestamp"));
        };
        let Ok(at) = timestamp.trim().parse::<i64>() else {
            return Err(invalid_type("Timestamp"));
        };
        if codec::skew(at, now) > MAX_SKEW_SECS {
            return Err(error(
                "AuthFailure.SignatureExpire",
                "Signature expired. Timestamp and server time cannot differ by more than five minutes.",
            ));
        }
        if auth.secret_id != self.credentials.secret_id {
            return Err(error(
                "AuthFailure.SecretIdNotFound",
                "The SecretId is not found, please ensure that your SecretId is correct.",
            ));
        }
        let required_signed = ["content-type", "host"];
        if required_signed.iter().any(|h| {
            !auth
                .signed_headers
                .iter()
                .any(|s| s.eq_ignore_ascii_case(h))
        }) {
            return Err(error(
                "AuthFailure.InvalidAuthorization",
                "SignedHeaders must include content-type and host.",
            ));
        }
        // The scope must be the request's own date (from X-TC-Timestamp, in UTC) and service.
        let scope_ok = u64::try_from(at).is_ok_and(|at| codec::utc_date(at) == auth.date)
            && auth.service == SERVICE
            && auth.terminator == "tc3_request";
        let signed_present = auth
            .signed_headers
            .iter()
            .all(|h| request.header(&h.to_ascii_lowercase()).is_some());
        if !scope_ok || !signed_present {
            return Err(signature_failure());
        }
        let canonical = tc3_canonical_request(
            &request.method,
            &request.path,
            &request.query,
            &request.headers,
            &auth.signed_headers,
            &request.body,
        );
        let scope = format!("{}/{}/tc3_request", auth.date, auth.service);
        let string_to_sign = tc3_string_to_sign(timestamp.trim(), &scope, &canonical);
        let expected = tc3_signature(
            &self.credentials.secret_key,
            &auth.date,
            &auth.service,
            &string_to_sign,
        );
        if constant_time_eq(&expected, &auth.signature) {
            Ok(())
        } else {
            Err(signature_failure())
        }
    }
}

impl Api for TencentApi {
    fn route(&self, method: &str, path: &str) -> Result<(), Reply> {
        if path != "/" {
            return Err(Reply::json_as(
                404,
                CONTENT_TYPE,
                &json!({ "Response": { "Error": { "Code": "InvalidAction", "Message": "The requested path does not exist." }, "RequestId": codec::uuid_lower() } }),
            ));
        }
        if method != "POST" {
            return Err(error(
                "UnsupportedOperation",
                "The simulator accepts SendSms as POST with a JSON body only.",
            ));
        }
        Ok(())
    }

    fn verify(&self, request: &Incoming, now: u64) -> Result<SendRequest, Reply> {
        let action = request.header("x-tc-action");
        match action {
            None => return Err(missing("Action")),
            Some(ACTION) => {}
            Some(other) => {
                return Err(error(
                    "InvalidAction",
                    format!("The requested action `{other}` does not exist."),
                ));
            }
        }
        match request.header("x-tc-version") {
            None => return Err(missing("Version")),
            Some(VERSION) => {}
            Some(other) => {
                return Err(error(
                    "NoSuchVersion",
                    format!("The requested version `{other}` of action `{ACTION}` does not exist."),
                ));
            }
        }
        self.authenticate(request, now)?;
        match request.header("x-tc-region") {
            None | Some("") => return Err(missing("Region")),
            Some(region) if REGIONS.contains(&region) => {}
            Some(region) => {
                return Err(error(
                    "UnsupportedRegion",
                    format!("The action `{ACTION}` does not support the region `{region}`."),
                ));
            }
        }
        let json_body = request.header("content-type").is_some_and(|ct| {
            ct.trim()
                .to_ascii_lowercase()
                .starts_with("application/json")
        });
        if !json_body {
            return Err(error(
                "InvalidParameter",
                "The Content-Type of a POST request must be application/json.",
            ));
        }
        let Ok(Value::Object(body)) = serde_json::from_slice::<Value>(&request.body) else {
            return Err(error(
                "InvalidParameter",
                "The request body is not a JSON object.",
            ));
        };
        let text = |name: &str| -> Result<Option<String>, Reply> {
            match body.get(name) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.clone())),
                Some(_) => Err(invalid_type(name)),
            }
        };
        let strings = |name: &str| -> Result<Option<Vec<String>>, Reply> {
            match body.get(name) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::Array(items)) => items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| match item {
                        Value::String(s) => Ok(s.clone()),
                        _ => Err(invalid_type(&format!("{name}.{i}"))),
                    })
                    .collect::<Result<Vec<_>, _>>()
                    .map(Some),
                Some(_) => Err(invalid_type(name)),
            }
        };
        let numbers = strings("PhoneNumberSet")?.unwrap_or_default();
        if numbers.is_empty() {
            return Err(missing("PhoneNumberSet"));
        }
        if numbers.len() > MAX_NUMBERS {
            return Err(error(
                "LimitExceeded.PhoneNumberCountLimit",
                "The number of phone numbers in one request exceeds the limit of 200.",
            ));
        }
        let Some(app_id) = text("SmsSdkAppId")?.filter(|s| !s.is_empty()) else {
            return Err(missing("SmsSdkAppId"));
        };
        if app_id != self.credentials.sdk_app_id {
            return Err(error(
                "InvalidParameterValue.SdkAppIdNotExist",
                "The SdkAppId does not exist.",
            ));
        }
        let Some(template) = text("TemplateId")?.filter(|s| !s.is_empty()) else {
            return Err(missing("TemplateId"));
        };
        let sign_name = text("SignName")?.filter(|s| !s.is_empty());
        let regions: Vec<bool> = numbers
            .iter()
            .filter_map(|n| normalize(n).map(|(_, iso)| iso == "CN"))
            .collect();
        let mainland = regions.contains(&true);
        if mainland && regions.contains(&false) {
            return Err(error(
                "UnsupportedOperation.ContainDomesticAndInternationalPhoneNumber",
                "A request may not mix mainland China and other phone numbers.",
            ));
        }
        if mainland && sign_name.is_none() {
            return Err(error(
                "MissingParameter",
                "The request is missing a required parameter `SignName` (required for mainland China numbers).",
            ));
        }
        let params = strings("TemplateParamSet")?.unwrap_or_default();
        let session_context = text("SessionContext")?.unwrap_or_default();
        for optional in ["ExtendCode", "SenderId"] {
            text(optional)?;
        }
        Ok(SendRequest {
            numbers,
            template: Some(template),
            params: json!(params),
            sign_name,
            sender: Some(app_id),
            session_context,
            ..SendRequest::default()
        })
    }

    fn answer(
        &self,
        send: &SendRequest,
        faults: &[Option<Fault>],
        now: u64,
    ) -> (Reply, Vec<AcceptedMessage>) {
        let request_id = codec::uuid_lower();
        let mut accepted = Vec::new();
        let mut statuses = Vec::with_capacity(send.numbers.len());
        for (number, fault) in send.numbers.iter().zip(faults) {
            let normalized = normalize(number);
            let (phone, iso) = normalized
                .clone()
                .unwrap_or_else(|| (number.clone(), "DEF"));
            let failure = match (normalized, fault) {
                (None, _) | (_, Some(Fault::InvalidNumber)) => Some((
                    "InvalidParameterValue.IncorrectPhoneNumber",
                    "incorrect phone number format",
                )),
                (_, Some(Fault::RateLimited)) => Some((
                    "LimitExceeded.PhoneNumberDailyLimit",
                    "the number of sms messages sent from a single mobile number every day exceeds the upper limit",
                )),
                (_, Some(Fault::QuotaExceeded)) => Some((
                    "FailedOperation.InsufficientBalanceInSmsPackage",
                    "insufficient balance in SMS package",
                )),
                _ => None,
            };
            let status = match failure {
                Some((code, message)) => json!({
                    "SerialNo": "",
                    "PhoneNumber": phone,
                    "Fee": 0,
                    "SessionContext": send.session_context,
                    "Code": code,
                    "Message": message,
                    "IsoCode": iso,
                }),
                None => {
                    let serial = format!("2433:{}", codec::random_digits(28));
                    accepted.push(send.accepted(
                        ProviderApi::TENCENT,
                        &phone,
                        now,
                        serial.clone(),
                        &request_id,
                    ));
                    json!({
                        "SerialNo": serial,
                        "PhoneNumber": phone,
                        "Fee": 1,
                        "SessionContext": send.session_context,
                        "Code": "Ok",
                        "Message": "send success",
                        "IsoCode": iso,
                    })
                }
            };
            statuses.push(status);
        }
        let reply = Reply::json_as(
            200,
            CONTENT_TYPE,
            &json!({ "Response": { "SendStatusSet": statuses, "RequestId": request_id } }),
        );
        (reply, accepted)
    }

    fn malformed(&self, send: &SendRequest, _now: u64) -> Reply {
        let statuses: Vec<Value> = send
            .numbers
            .iter()
            .map(|n| {
                json!({
                    "SerialNo": format!("2433:{}", codec::random_digits(28)),
                    "PhoneNumber": n,
                    "Fee": 1,
                    "SessionContext": send.session_context,
                    "Code": "Ok",
                    "Message": "send success",
                    "IsoCode": "CN",
                })
            })
            .collect();
        Reply::truncated(
            200,
            CONTENT_TYPE,
            &json!({ "Response": { "SendStatusSet": statuses, "RequestId": codec::uuid_lower() } }),
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

    /// Tencent's documented TC3 example ("Signature v3", CVM `DescribeInstances`, the
    /// revision that signs `content-type;host`).
    #[test]
    fn documented_tc3_example() {
        let body = r#"{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}"#;
        let headers = vec![
            (
                "content-type".to_owned(),
                "application/json; charset=utf-8".to_owned(),
            ),
            ("host".to_owned(), "cvm.tencentcloudapi.com".to_owned()),
        ];
        let signed = vec!["content-type".to_owned(), "host".to_owned()];
        let canonical = tc3_canonical_request("POST", "/", "", &headers, &signed, body.as_bytes());
        assert_eq!(
            canonical,
            "POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n\ncontent-type;host\n35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064"
        );
        let string_to_sign =
            tc3_string_to_sign("1551113065", "2019-02-25/cvm/tc3_request", &canonical);
        assert_eq!(
            string_to_sign,
            "TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031"
        );
        assert_eq!(
            tc3_signature(
                "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
                "2019-02-25",
                "cvm",
                &string_to_sign
            ),
            "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"
        );
    }

    /// The current revision signs `x-tc-action` too, with its value lower-cased.
    #[test]
    fn documented_example_signing_the_action_lowercases_its_value() {
        let headers = vec![
            (
                "content-type".to_owned(),
                "application/json; charset=utf-8".to_owned(),
            ),
            ("host".to_owned(), "cvm.tencentcloudapi.com".to_owned()),
            ("x-tc-action".to_owned(), "DescribeInstances".to_owned()),
        ];
        let signed: Vec<String> = ["content-type", "host", "x-tc-action"]
            .map(str::to_owned)
            .to_vec();
        let body = r#"{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}"#;
        let canonical = tc3_canonical_request("POST", "/", "", &headers, &signed, body.as_bytes());
        assert!(canonical.contains("x-tc-action:describeinstances\n"));
        assert!(
            tc3_string_to_sign("1551113065", "2019-02-25/cvm/tc3_request", &canonical)
                .ends_with("7019a55be8395899b900fb5564e4200d984910f34794a27cb3fb7d10ff6a1e84")
        );
    }

    #[test]
    fn authorization_headers_are_parsed_strictly() {
        let auth = parse_tc3("TC3-HMAC-SHA256 Credential=AKID/2024-05-20/sms/tc3_request, SignedHeaders=content-type;host, Signature=ab").unwrap();
        assert_eq!(auth.secret_id, "AKID");
        assert_eq!(auth.date, "2024-05-20");
        assert_eq!(auth.signed_headers, ["content-type", "host"]);
        for bad in [
            "TC3-HMAC-SHA256Credential=a/b/c/d, SignedHeaders=host, Signature=x",
            "TC3-HMAC-SHA256 Credential=a/b/c, SignedHeaders=host, Signature=x",
            "TC3-HMAC-SHA256 Credential=a/b/c/d, SignedHeaders=host;;x, Signature=x",
            "TC3-HMAC-SHA256 Credential=a/b/c/d, SignedHeaders=host",
            "TC3-HMAC-SHA256 Credential=a/b/c/d, Bogus=1, SignedHeaders=host, Signature=x",
            "HMAC-SHA256 Credential=a/b/c/d, SignedHeaders=host, Signature=x",
            "",
        ] {
            assert!(parse_tc3(bad).is_none(), "{bad}");
        }
    }

    const NOW: u64 = 1_716_193_800; // 2024-05-20T08:30:00Z

    fn request(secret_key: &str, timestamp: u64, extra: &[(&str, &str)], body: &str) -> Incoming {
        let mut headers: Vec<(String, String)> = [
            ("host", "127.0.0.1:4012"),
            ("content-type", "application/json"),
            ("x-tc-action", "SendSms"),
            ("x-tc-version", "2021-01-11"),
            ("x-tc-region", "ap-guangzhou"),
        ]
        .iter()
        .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
        .collect();
        headers.push(("x-tc-timestamp".into(), timestamp.to_string()));
        for (n, v) in extra {
            headers.retain(|(name, _)| name != n);
            headers.push(((*n).to_owned(), (*v).to_owned()));
        }
        let signed = vec!["content-type".to_owned(), "host".to_owned()];
        let date = codec::utc_date(timestamp);
        let canonical = tc3_canonical_request("POST", "/", "", &headers, &signed, body.as_bytes());
        let scope = format!("{date}/sms/tc3_request");
        let sts = tc3_string_to_sign(&timestamp.to_string(), &scope, &canonical);
        let signature = tc3_signature(secret_key, &date, "sms", &sts);
        headers.push((
            "authorization".into(),
            format!(
                "TC3-HMAC-SHA256 Credential=AKIDSimulatorSecretId000000000000001/{scope}, SignedHeaders=content-type;host, Signature={signature}"
            ),
        ));
        Incoming {
            method: "POST".into(),
            path: "/".into(),
            query: String::new(),
            headers,
            body: Bytes::from(body.to_owned()),
        }
    }

    const BODY: &str = r#"{"PhoneNumberSet": ["+8613800138000"], "SmsSdkAppId": "1400000001", "TemplateId": "1110", "SignName": "腾讯云", "TemplateParamSet": ["123456"]}"#;

    fn error_code(reply: &Reply) -> String {
        let body: Value = serde_json::from_slice(&reply.body).unwrap();
        assert_eq!(reply.status, 200);
        assert_eq!(reply.headers[0].1, "application/json");
        body["Response"]["Error"]["Code"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    #[test]
    fn requests_are_verified_like_the_gateway() {
        let api = TencentApi::new(TencentCredentials::default());
        let key = "simulator-tencent-secret-key";
        let send = api.verify(&request(key, NOW, &[], BODY), NOW).unwrap();
        assert_eq!(send.params, json!(["123456"]));
        let cases = [
            (
                request("wrong", NOW, &[], BODY),
                "AuthFailure.SignatureFailure",
            ),
            (
                request(key, NOW - 301, &[], BODY),
                "AuthFailure.SignatureExpire",
            ),
            (
                request(key, NOW + 301, &[], BODY),
                "AuthFailure.SignatureExpire",
            ),
            (
                request(key, NOW, &[("x-tc-action", "SendSmsX")], BODY),
                "InvalidAction",
            ),
            (
                request(key, NOW, &[("x-tc-version", "2019-07-11")], BODY),
                "NoSuchVersion",
            ),
            (
                request(key, NOW, &[("x-tc-region", "ap-mars")], BODY),
                "UnsupportedRegion",
            ),
            (
                request(key, NOW, &[("x-tc-region", "")], BODY),
                "MissingParameter",
            ),
            (
                request(key, NOW, &[("x-tc-timestamp", "soon")], BODY),
                "InvalidParameter",
            ),
            (
                request(key, NOW, &[], &BODY.replace("1400000001", "1400000002")),
                "InvalidParameterValue.SdkAppIdNotExist",
            ),
            (
                request(key, NOW, &[], &BODY.replace(r#""123456""#, "123456")),
                "InvalidParameter",
            ),
            (
                request(key, NOW, &[], &BODY.replace("SignName", "Sign")),
                "MissingParameter",
            ),
            (request(key, NOW, &[], "[1, 2"), "InvalidParameter"),
            (
                request(
                    key,
                    NOW,
                    &[],
                    &BODY.replace(
                        r#"["+8613800138000"]"#,
                        r#"["+8613800138000", "+14155550100"]"#,
                    ),
                ),
                "UnsupportedOperation.ContainDomesticAndInternationalPhoneNumber",
            ),
        ];
        for (request, expected) in cases {
            let reply = api.verify(&request, NOW).unwrap_err();
            assert_eq!(error_code(&reply), expected);
        }
        // A body changed after signing.
        let mut tampered = request(key, NOW, &[], BODY);
        tampered.body = Bytes::from(BODY.replace("123456", "654321"));
        assert_eq!(
            error_code(&api.verify(&tampered, NOW).unwrap_err()),
            "AuthFailure.SignatureFailure"
        );
        // An unknown SecretId.
        let mut stranger = request(key, NOW, &[], BODY);
        for (name, value) in &mut stranger.headers {
            if name == "authorization" {
                *value = value.replace("AKIDSimulator", "AKIDStranger");
            }
        }
        assert_eq!(
            error_code(&api.verify(&stranger, NOW).unwrap_err()),
            "AuthFailure.SecretIdNotFound"
        );
    }

    #[test]
    fn numbers_are_answered_one_by_one() {
        let api = TencentApi::new(TencentCredentials::default());
        let send = SendRequest {
            numbers: vec![
                "+8613800138000".into(),
                "13800130429".into(),
                "+8612".into(),
                "+14155550402".into(),
            ],
            ..SendRequest::default()
        };
        let faults = [
            None,
            Some(Fault::RateLimited),
            None,
            Some(Fault::QuotaExceeded),
        ];
        let (reply, accepted) = api.answer(&send, &faults, NOW);
        let body: Value = serde_json::from_slice(&reply.body).unwrap();
        let codes: Vec<&str> = body["Response"]["SendStatusSet"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["Code"].as_str().unwrap())
            .collect();
        assert_eq!(
            codes,
            [
                "Ok",
                "LimitExceeded.PhoneNumberDailyLimit",
                "InvalidParameterValue.IncorrectPhoneNumber",
                "FailedOperation.InsufficientBalanceInSmsPackage"
            ]
        );
        assert_eq!(accepted.len(), 1);
        assert_eq!(accepted[0].to, "+8613800138000");
        assert_eq!(
            body["Response"]["SendStatusSet"][1]["PhoneNumber"],
            "+8613800130429"
        );
        assert_eq!(
            normalize("+14155550100"),
            Some(("+14155550100".into(), "US"))
        );
        assert_eq!(normalize("008613800138000").unwrap().1, "CN");
        assert!(normalize("+86123").is_none());
    }
}
