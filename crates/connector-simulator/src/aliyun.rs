//! Aliyun dysmsapi `SendSms` (version 2017-05-25), RPC style: `POST /` with the parameters in
//! a form body and/or the query string, or `GET /?...`.
//!
//! Two signatures are verified, as the real gateway does:
//!
//! - **RPC (V2), HMAC-SHA1**: every parameter but `Signature` is decoded, sorted by name and
//!   re-encoded (RFC 3986: `%20`, `%2A`, `~` kept), joined as `k=v&...`; the string to sign is
//!   `METHOD&%2F&` + the encoded query; the key is the secret + `&`; the signature is base64.
//! - **ACS3-HMAC-SHA256 (V3)**, what the `alibabacloud_*` SDKs send by default: a canonical
//!   request (method, path, sorted encoded query, the signed headers, the body's SHA-256), a
//!   string to sign `ACS3-HMAC-SHA256\n` + its SHA-256, and a hex HMAC-SHA256 keyed with the
//!   secret, with `x-acs-date` and `x-acs-signature-nonce` as timestamp and nonce.
//!
//! Gateway errors (credentials, signature, time, nonce, missing parameters) are HTTP 4xx
//! `{RequestId, HostId, Code, Message, Recommend}`; SendSms's business errors are HTTP 200
//! `{Code, Message, RequestId}` with `Code` other than `OK`.

use std::collections::HashMap;
use std::fmt;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::codec::{
    self, constant_time_eq, first, form_pairs, hmac_sha1_base64, hmac_sha256, percent_encode,
    sha256_hex,
};
use super::credentials::parse_part;
use super::faults::Fault;
use super::http::{Api, Incoming, Reply};
use super::provider::ProviderModule;
use super::{AcceptedMessage, ProviderApi, SendRequest};

impl ProviderApi {
    /// Aliyun (Alibaba Cloud) dysmsapi.
    pub const ALIYUN: Self = Self::named("aliyun");
}

/// Aliyun, as the simulator serves it.
pub(crate) const MODULE: ProviderModule = ProviderModule {
    api: ProviderApi::ALIYUN,
    route: "POST / or GET /?... (Action=SendSms, Version=2017-05-25)",
    build: |part| Ok(Box::new(AliyunApi::new(parse_part(part)?))),
};

/// The Aliyun credentials the simulator accepts.
#[derive(Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub(crate) struct AliyunCredentials {
    /// The AccessKey ID.
    access_key_id: String,
    /// The AccessKey secret.
    access_key_secret: String,
}

impl Default for AliyunCredentials {
    fn default() -> Self {
        Self {
            access_key_id: "LTAI5tSimulatorKeyId0001".into(),
            access_key_secret: "simulator-aliyun-access-key-secret".into(),
        }
    }
}

/// Shows the id, never the secret.
impl fmt::Debug for AliyunCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AliyunCredentials")
            .field("access_key_id", &self.access_key_id)
            .finish_non_exhaustive()
    }
}

/// How far a request's timestamp may be from the simulator's clock.
pub(crate) const MAX_SKEW_SECS: u64 = 15 * 60;
const CONTENT_TYPE: &str = "application/json;charset=utf-8";
const HOST_ID: &str = "dysmsapi.aliyuncs.com";
const ACTION: &str = "SendSms";
const VERSION: &str = "2017-05-25";
/// The most numbers one SendSms request may carry.
const MAX_NUMBERS: usize = 1_000;

/// The string to sign of an RPC (V2) request: `METHOD&%2F&` + the encoded canonical query of
/// every parameter except `Signature`.
pub(crate) fn rpc_string_to_sign(method: &str, params: &[(String, String)]) -> String {
    let mut sorted: Vec<&(String, String)> =
        params.iter().filter(|(k, _)| k != "Signature").collect();
    sorted.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()).then(a.1.cmp(&b.1)));
    let query: Vec<String> = sorted
        .iter()
        .map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v)))
        .collect();
    format!(
        "{}&{}&{}",
        method.to_ascii_uppercase(),
        percent_encode("/"),
        percent_encode(&query.join("&"))
    )
}

/// The RPC (V2) signature: base64 HMAC-SHA1 keyed with `secret&`.
pub(crate) fn rpc_signature(secret: &str, string_to_sign: &str) -> String {
    hmac_sha1_base64(format!("{secret}&").as_bytes(), string_to_sign.as_bytes())
}

/// The parts of an `ACS3-HMAC-SHA256` `Authorization` header.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Acs3Authorization {
    pub(crate) access_key_id: String,
    pub(crate) signed_headers: Vec<String>,
    pub(crate) signature: String,
}

/// Parses `ACS3-HMAC-SHA256 Credential=...,SignedHeaders=a;b,Signature=...`.
pub(crate) fn parse_acs3(value: &str) -> Option<Acs3Authorization> {
    let rest = value.strip_prefix("ACS3-HMAC-SHA256")?.trim_start();
    let mut credential = None;
    let mut signed = None;
    let mut signature = None;
    for part in rest.split(',') {
        let (key, val) = part.trim().split_once('=')?;
        match key {
            "Credential" => credential = Some(val.to_owned()),
            "SignedHeaders" => signed = Some(val.to_owned()),
            "Signature" => signature = Some(val.to_owned()),
            _ => {}
        }
    }
    let signed_headers: Vec<String> = signed?
        .split(';')
        .map(|h| h.trim().to_ascii_lowercase())
        .filter(|h| !h.is_empty())
        .collect();
    Some(Acs3Authorization {
        access_key_id: credential.filter(|c| !c.is_empty())?,
        signed_headers,
        signature: signature.filter(|s| !s.is_empty())?,
    })
}

/// The V3 canonical request.
pub(crate) fn acs3_canonical_request(
    method: &str,
    path: &str,
    query: &[(String, String)],
    headers: &[(String, String)],
    signed_headers: &[String],
    body: &[u8],
) -> String {
    let mut encoded: Vec<(String, String)> = query
        .iter()
        .map(|(k, v)| (percent_encode(k), percent_encode(v)))
        .collect();
    encoded.sort();
    let canonical_query: Vec<String> = encoded.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let mut names: Vec<&String> = signed_headers.iter().collect();
    names.sort();
    let mut canonical_headers = String::new();
    for name in &names {
        let value = headers
            .iter()
            .find(|(n, _)| n == *name)
            .map(|(_, v)| v.trim())
            .unwrap_or_default();
        canonical_headers.push_str(&format!("{name}:{value}\n"));
    }
    let signed: Vec<&str> = names.iter().map(|n| n.as_str()).collect();
    format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        method.to_ascii_uppercase(),
        if path.is_empty() { "/" } else { path },
        canonical_query.join("&"),
        canonical_headers,
        signed.join(";"),
        sha256_hex(body)
    )
}

/// The V3 string to sign of a canonical request.
pub(crate) fn acs3_string_to_sign(canonical_request: &str) -> String {
    format!(
        "ACS3-HMAC-SHA256\n{}",
        sha256_hex(canonical_request.as_bytes())
    )
}

/// The V3 signature: hex HMAC-SHA256 keyed with the secret.
pub(crate) fn acs3_signature(secret: &str, string_to_sign: &str) -> String {
    hex::encode(hmac_sha256(secret.as_bytes(), string_to_sign.as_bytes()))
}

/// A gateway error: 4xx with `{RequestId, HostId, Code, Message, Recommend}`.
fn gateway_error(status: u16, code: &str, message: impl Into<String>) -> Reply {
    let request_id = codec::uuid_upper();
    Reply::json_as(
        status,
        CONTENT_TYPE,
        &json!({
            "RequestId": request_id,
            "HostId": HOST_ID,
            "Code": code,
            "Message": message.into(),
            "Recommend": format!(
                "https://api.aliyun.com/troubleshoot?q={code}&product=Dysmsapi&requestId={request_id}"
            ),
        }),
    )
}

/// A SendSms business error: HTTP 200 with `{Code, Message, RequestId}`.
fn business_error(code: &str, message: &str) -> Reply {
    Reply::json_as(
        200,
        CONTENT_TYPE,
        &json!({ "Code": code, "Message": message, "RequestId": codec::uuid_upper() }),
    )
}

fn missing(name: &str) -> Reply {
    gateway_error(
        400,
        &format!("Missing{name}"),
        format!("{name} is mandatory for this action."),
    )
}

fn signature_mismatch(string_to_sign: &str) -> Reply {
    gateway_error(
        400,
        "SignatureDoesNotMatch",
        format!(
            "Specified signature is not matched with our calculation. server string to sign is:{string_to_sign}"
        ),
    )
}

/// A phone number as dysmsapi takes it: mainland numbers bare, with `86`, `+86` or `0086`;
/// others with their country code (`+` or `00` optional).
fn valid_number(number: &str) -> bool {
    let digits = number
        .strip_prefix('+')
        .or_else(|| number.strip_prefix("00"))
        .unwrap_or(number);
    (6..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())
}

/// Used nonces, forgotten once their timestamp is out of the window anyway.
#[derive(Debug, Default)]
struct Nonces {
    seen: HashMap<String, u64>,
}

impl Nonces {
    /// Records a nonce; false when it was used already.
    fn insert(&mut self, nonce: &str, now: u64) -> bool {
        if self.seen.len() >= 4_096 && self.seen.len().is_power_of_two() {
            self.seen
                .retain(|_, at| now.saturating_sub(*at) <= 2 * MAX_SKEW_SECS);
        }
        if self.seen.contains_key(nonce) {
            return false;
        }
        self.seen.insert(nonce.to_owned(), now);
        true
    }
}

/// The Aliyun API.
pub(crate) struct AliyunApi {
    credentials: AliyunCredentials,
    nonces: Mutex<Nonces>,
}

impl fmt::Debug for AliyunApi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AliyunApi")
            .field("access_key_id", &self.credentials.access_key_id)
            .finish_non_exhaustive()
    }
}

impl AliyunApi {
    pub(crate) fn new(credentials: AliyunCredentials) -> Self {
        Self {
            credentials,
            nonces: Mutex::default(),
        }
    }

    fn check_time(&self, timestamp: &str, now: u64) -> Result<(), Reply> {
        let Some(at) = codec::parse_iso8601(timestamp) else {
            return Err(gateway_error(
                400,
                "InvalidTimeStamp.Format",
                "Specified time stamp or date value is not well formatted.",
            ));
        };
        if codec::skew(at, now) > MAX_SKEW_SECS {
            return Err(gateway_error(
                400,
                "InvalidTimeStamp.Expired",
                "Specified time stamp or date value is expired.",
            ));
        }
        Ok(())
    }

    fn check_key(&self, access_key_id: &str) -> Result<(), Reply> {
        if access_key_id == self.credentials.access_key_id {
            Ok(())
        } else {
            Err(gateway_error(
                404,
                "InvalidAccessKeyId.NotFound",
                "Specified access key is not found.",
            ))
        }
    }

    fn use_nonce(&self, nonce: &str, now: u64) -> Result<(), Reply> {
        let fresh = self
            .nonces
            .lock()
            .map(|mut n| n.insert(nonce, now))
            .unwrap_or(false);
        if fresh {
            Ok(())
        } else {
            Err(gateway_error(
                400,
                "SignatureNonceUsed",
                "Specified signature nonce was used already.",
            ))
        }
    }

    /// Verifies an RPC (V2) signed request.
    fn verify_rpc(
        &self,
        request: &Incoming,
        params: &[(String, String)],
        now: u64,
    ) -> Result<(), Reply> {
        let get = |name: &str| first(params, name);
        for name in [
            "Action",
            "Version",
            "AccessKeyId",
            "Signature",
            "SignatureMethod",
            "SignatureNonce",
            "SignatureVersion",
            "Timestamp",
        ] {
            if get(name).is_none_or(str::is_empty) {
                return Err(missing(name));
            }
        }
        check_action(get("Action"), get("Version"))?;
        if get("SignatureMethod") != Some("HMAC-SHA1") {
            return Err(gateway_error(
                400,
                "InvalidSignatureMethod",
                "Specified signature method is not supported.",
            ));
        }
        if get("SignatureVersion") != Some("1.0") {
            return Err(gateway_error(
                400,
                "InvalidSignatureVersion",
                "Specified signature version is not supported.",
            ));
        }
        self.check_key(get("AccessKeyId").unwrap_or_default())?;
        self.check_time(get("Timestamp").unwrap_or_default(), now)?;
        let string_to_sign = rpc_string_to_sign(&request.method, params);
        let expected = rpc_signature(&self.credentials.access_key_secret, &string_to_sign);
        if !constant_time_eq(&expected, get("Signature").unwrap_or_default()) {
            return Err(signature_mismatch(&string_to_sign));
        }
        self.use_nonce(get("SignatureNonce").unwrap_or_default(), now)
    }

    /// Verifies an `ACS3-HMAC-SHA256` (V3) signed request.
    fn verify_acs3(
        &self,
        request: &Incoming,
        authorization: &str,
        query: &[(String, String)],
        now: u64,
    ) -> Result<(), Reply> {
        let Some(auth) = parse_acs3(authorization) else {
            return Err(gateway_error(
                400,
                "IncompleteSignature",
                "The request signature does not conform to Aliyun standards.",
            ));
        };
        for (header, name) in [
            ("x-acs-action", "Action"),
            ("x-acs-version", "Version"),
            ("x-acs-date", "Timestamp"),
            ("x-acs-signature-nonce", "SignatureNonce"),
        ] {
            if request.header(header).is_none_or(str::is_empty) {
                return Err(missing(name));
            }
        }
        check_action(
            request.header("x-acs-action"),
            request.header("x-acs-version"),
        )?;
        self.check_key(&auth.access_key_id)?;
        self.check_time(request.header("x-acs-date").unwrap_or_default(), now)?;
        let unsigned = [
            "host",
            "x-acs-action",
            "x-acs-date",
            "x-acs-signature-nonce",
        ]
        .into_iter()
        .find(|h| !auth.signed_headers.iter().any(|s| s == h));
        if let Some(header) = unsigned {
            return Err(gateway_error(
                400,
                "IncompleteSignature",
                format!(
                    "The request signature does not conform to Aliyun standards: {header} is not signed."
                ),
            ));
        }
        let canonical = acs3_canonical_request(
            &request.method,
            &request.path,
            query,
            &request.headers,
            &auth.signed_headers,
            &request.body,
        );
        let string_to_sign = acs3_string_to_sign(&canonical);
        let expected = acs3_signature(&self.credentials.access_key_secret, &string_to_sign);
        if !constant_time_eq(&expected, &auth.signature.to_ascii_lowercase()) {
            return Err(signature_mismatch(&string_to_sign));
        }
        self.use_nonce(
            request.header("x-acs-signature-nonce").unwrap_or_default(),
            now,
        )
    }
}

fn check_action(action: Option<&str>, version: Option<&str>) -> Result<(), Reply> {
    if action != Some(ACTION) {
        return Err(gateway_error(
            404,
            "InvalidAction.NotFound",
            "Specified api is not found, please check your url and method.",
        ));
    }
    if version != Some(VERSION) {
        return Err(gateway_error(
            400,
            "InvalidVersion",
            "Specified parameter Version is not valid.",
        ));
    }
    Ok(())
}

/// Whether the body is form fields: a form `Content-Type`, or none with a non-empty body.
fn body_is_form(request: &Incoming) -> bool {
    match request.header("content-type") {
        Some(ct) => ct
            .to_ascii_lowercase()
            .starts_with("application/x-www-form-urlencoded"),
        None => !request.body.is_empty(),
    }
}

impl Api for AliyunApi {
    fn route(&self, method: &str, path: &str) -> Result<(), Reply> {
        if path != "/" {
            return Err(gateway_error(
                404,
                "InvalidAction.NotFound",
                "Specified api is not found, please check your url and method.",
            ));
        }
        if method != "POST" && method != "GET" {
            return Err(gateway_error(
                405,
                "UnsupportedHTTPMethod",
                "Specified HTTP method is not supported.",
            ));
        }
        Ok(())
    }

    fn verify(&self, request: &Incoming, now: u64) -> Result<SendRequest, Reply> {
        let query = form_pairs(request.query.as_bytes());
        let mut params = query.clone();
        if request.method == "POST" && body_is_form(request) {
            params.extend(form_pairs(&request.body));
        }
        match request.header("authorization") {
            Some(auth) if auth.starts_with("ACS3-") => {
                self.verify_acs3(request, auth, &query, now)?
            }
            _ => self.verify_rpc(request, &params, now)?,
        }

        let get = |name: &str| first(&params, name).filter(|v| !v.trim().is_empty());
        let Some(numbers) = get("PhoneNumbers") else {
            return Err(missing("PhoneNumbers"));
        };
        let Some(sign_name) = get("SignName") else {
            return Err(missing("SignName"));
        };
        let Some(template) = get("TemplateCode") else {
            return Err(missing("TemplateCode"));
        };
        let numbers: Vec<String> = numbers.split(',').map(|n| n.trim().to_owned()).collect();
        if numbers.len() > MAX_NUMBERS {
            return Err(business_error(
                "isv.MOBILE_COUNT_OVER_LIMIT",
                "手机号码数量超过限制",
            ));
        }
        if !numbers.iter().all(|n| valid_number(n)) {
            return Err(business_error("isv.MOBILE_NUMBER_ILLEGAL", "非法手机号"));
        }
        if !template.starts_with("SMS_") {
            return Err(business_error(
                "isv.SMS_TEMPLATE_ILLEGAL",
                "该账号下找不到对应模板",
            ));
        }
        let params_value = match get("TemplateParam") {
            None => Value::Null,
            Some(text) => match serde_json::from_str::<Value>(text) {
                Ok(Value::Object(map)) if map.values().all(Value::is_string) => Value::Object(map),
                _ => {
                    return Err(business_error(
                        "isv.INVALID_JSON_PARAM",
                        "JSON参数不合法，只接受字符串值",
                    ));
                }
            },
        };
        Ok(SendRequest {
            numbers,
            template: Some(template.to_owned()),
            params: params_value,
            sign_name: Some(sign_name.to_owned()),
            ..SendRequest::default()
        })
    }

    fn answer(
        &self,
        send: &SendRequest,
        faults: &[Option<Fault>],
        now: u64,
    ) -> (Reply, Vec<AcceptedMessage>) {
        // One answer for the whole request: the first number with a fault decides it.
        let reply = match faults.iter().flatten().next() {
            Some(Fault::RateLimited) => {
                business_error("isv.BUSINESS_LIMIT_CONTROL", "触发分钟级流控Permits:1")
            }
            Some(Fault::QuotaExceeded) => business_error("isv.AMOUNT_NOT_ENOUGH", "账户余额不足"),
            Some(Fault::InvalidNumber) => business_error("isv.MOBILE_NUMBER_ILLEGAL", "非法手机号"),
            _ => {
                let biz_id = format!("{}^0", codec::random_digits(18));
                let request_id = codec::uuid_upper();
                let reply = Reply::json_as(
                    200,
                    CONTENT_TYPE,
                    &json!({ "Code": "OK", "Message": "OK", "BizId": biz_id, "RequestId": request_id }),
                );
                let accepted = send
                    .numbers
                    .iter()
                    .map(|n| {
                        send.accepted(ProviderApi::ALIYUN, n, now, biz_id.clone(), &request_id)
                    })
                    .collect();
                return (reply, accepted);
            }
        };
        (reply, Vec::new())
    }

    fn malformed(&self, _send: &SendRequest, _now: u64) -> Reply {
        Reply::truncated(
            200,
            CONTENT_TYPE,
            &json!({
                "Code": "OK",
                "Message": "OK",
                "BizId": format!("{}^0", codec::random_digits(18)),
                "RequestId": codec::uuid_upper(),
            }),
        )
    }

    fn reset(&self) {
        if let Ok(mut nonces) = self.nonces.lock() {
            nonces.seen.clear();
        }
    }

    fn credentials(&self) -> Value {
        serde_json::to_value(&self.credentials).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hyper::body::Bytes;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    /// Aliyun's documented RPC signature example (Direct Mail `SingleSendMail`, secret
    /// `testsecret`), as published on the "Signature" page of the Direct Mail API reference.
    #[test]
    fn documented_rpc_example() {
        let params = pairs(&[
            ("Action", "SingleSendMail"),
            ("AccountName", "<a%b'>"),
            ("ReplyToAddress", "true"),
            ("AddressType", "1"),
            ("ToAddress", "1@test.com"),
            ("Subject", "3"),
            ("HtmlBody", "4"),
            ("TagName", "2"),
            ("Format", "XML"),
            ("Version", "2015-11-23"),
            ("AccessKeyId", "testid"),
            ("SignatureMethod", "HMAC-SHA1"),
            ("Timestamp", "2016-10-20T06:27:56Z"),
            ("SignatureVersion", "1.0"),
            ("SignatureNonce", "c1b2c332-4cfb-4a0f-b8cc-ebe622aa0a5c"),
            ("RegionId", "cn-hangzhou"),
        ]);
        let string_to_sign = rpc_string_to_sign("POST", &params);
        assert_eq!(
            string_to_sign,
            "POST&%2F&AccessKeyId%3Dtestid%26AccountName%3D%253Ca%2525b%2527%253E%26Action%3DSingleSendMail%26AddressType%3D1%26Format%3DXML%26HtmlBody%3D4%26RegionId%3Dcn-hangzhou%26ReplyToAddress%3Dtrue%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3Dc1b2c332-4cfb-4a0f-b8cc-ebe622aa0a5c%26SignatureVersion%3D1.0%26Subject%3D3%26TagName%3D2%26Timestamp%3D2016-10-20T06%253A27%253A56Z%26ToAddress%3D1%2540test.com%26Version%3D2015-11-23"
        );
        assert_eq!(
            rpc_signature("testsecret", &string_to_sign),
            "llJfXJjBW3OacrVgxxsITgYaYm0="
        );
    }

    fn signed_request(
        api: &AliyunApi,
        secret: &str,
        timestamp: &str,
        nonce: &str,
        extra: &[(&str, &str)],
    ) -> Incoming {
        let mut params = pairs(&[
            ("Action", "SendSms"),
            ("Version", "2017-05-25"),
            ("Format", "JSON"),
            ("AccessKeyId", &api.credentials.access_key_id),
            ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureVersion", "1.0"),
            ("SignatureNonce", nonce),
            ("Timestamp", timestamp),
            ("PhoneNumbers", "13800138000"),
            ("SignName", "阿里云短信测试"),
            ("TemplateCode", "SMS_154950909"),
            ("TemplateParam", r#"{"code":"123456"}"#),
        ]);
        for (k, v) in extra {
            params.retain(|(name, _)| name != k);
            params.push(((*k).to_owned(), (*v).to_owned()));
        }
        let signature = rpc_signature(secret, &rpc_string_to_sign("POST", &params));
        params.push(("Signature".into(), signature));
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(&params)
            .finish();
        Incoming {
            method: "POST".into(),
            path: "/".into(),
            query: String::new(),
            headers: vec![(
                "content-type".into(),
                "application/x-www-form-urlencoded".into(),
            )],
            body: Bytes::from(body),
        }
    }

    fn code(reply: &Reply) -> (u16, String) {
        let body: Value = serde_json::from_slice(&reply.body).unwrap();
        (
            reply.status,
            body["Code"].as_str().unwrap_or_default().to_owned(),
        )
    }

    const NOW: u64 = 1_716_193_800; // 2024-05-20T08:30:00Z

    #[test]
    fn rpc_requests_are_verified_like_the_gateway() {
        let api = AliyunApi::new(AliyunCredentials::default());
        let secret = api.credentials.access_key_secret.clone();
        let ok = signed_request(&api, &secret, "2024-05-20T08:30:00Z", "n1", &[]);
        let send = api.verify(&ok, NOW).unwrap();
        assert_eq!(send.numbers, ["13800138000"]);
        assert_eq!(send.params, json!({"code": "123456"}));
        // The same nonce again.
        let again = api.verify(&ok, NOW).unwrap_err();
        assert_eq!(code(&again), (400, "SignatureNonceUsed".into()));

        let cases: Vec<(Incoming, u16, &str)> = vec![
            (
                signed_request(&api, "wrong", "2024-05-20T08:30:00Z", "n2", &[]),
                400,
                "SignatureDoesNotMatch",
            ),
            (
                signed_request(&api, &secret, "2024-05-20T08:14:59Z", "n3", &[]),
                400,
                "InvalidTimeStamp.Expired",
            ),
            (
                signed_request(&api, &secret, "2024-05-20T08:45:01Z", "n4", &[]),
                400,
                "InvalidTimeStamp.Expired",
            ),
            (
                signed_request(&api, &secret, "20240520", "n5", &[]),
                400,
                "InvalidTimeStamp.Format",
            ),
            (
                signed_request(
                    &api,
                    &secret,
                    "2024-05-20T08:30:00Z",
                    "n6",
                    &[("AccessKeyId", "LTAIother")],
                ),
                404,
                "InvalidAccessKeyId.NotFound",
            ),
            (
                signed_request(
                    &api,
                    &secret,
                    "2024-05-20T08:30:00Z",
                    "n7",
                    &[("Action", "QuerySendDetails")],
                ),
                404,
                "InvalidAction.NotFound",
            ),
            (
                signed_request(
                    &api,
                    &secret,
                    "2024-05-20T08:30:00Z",
                    "n8",
                    &[("PhoneNumbers", "138-0013")],
                ),
                200,
                "isv.MOBILE_NUMBER_ILLEGAL",
            ),
            (
                signed_request(
                    &api,
                    &secret,
                    "2024-05-20T08:30:00Z",
                    "n9",
                    &[("TemplateParam", r#"{"code":123456}"#)],
                ),
                200,
                "isv.INVALID_JSON_PARAM",
            ),
            (
                signed_request(
                    &api,
                    &secret,
                    "2024-05-20T08:30:00Z",
                    "n10",
                    &[("SignName", "")],
                ),
                400,
                "MissingSignName",
            ),
        ];
        for (request, status, expected) in cases {
            let reply = api.verify(&request, NOW).unwrap_err();
            assert_eq!(code(&reply), (status, expected.to_owned()));
        }
        // The gateway says what it signed, after a colon, as the classic SDK expects.
        let wrong = signed_request(&api, "wrong", "2024-05-20T08:30:00Z", "n11", &[]);
        let reply = api.verify(&wrong, NOW).unwrap_err();
        let body: Value = serde_json::from_slice(&reply.body).unwrap();
        let message = body["Message"].as_str().unwrap();
        assert!(
            message
                .split(':')
                .nth(1)
                .unwrap()
                .starts_with("POST&%2F&AccessKeyId")
        );
        for key in ["RequestId", "HostId", "Recommend"] {
            assert!(body[key].is_string(), "{key}");
        }
    }

    #[test]
    fn parameters_may_come_in_the_query_of_a_post_or_a_get() {
        let api = AliyunApi::new(AliyunCredentials::default());
        let secret = api.credentials.access_key_secret.clone();
        for method in ["POST", "GET"] {
            let mut request = signed_request(
                &api,
                &secret,
                "2024-05-20T08:30:00Z",
                &format!("q-{method}"),
                &[],
            );
            // Re-sign for the method, and move everything to the query.
            let mut params: Vec<(String, String)> = form_pairs(&request.body)
                .into_iter()
                .filter(|(k, _)| k != "Signature")
                .collect();
            let signature = rpc_signature(&secret, &rpc_string_to_sign(method, &params));
            params.push(("Signature".into(), signature));
            request.query = params
                .iter()
                .map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v)))
                .collect::<Vec<_>>()
                .join("&");
            request.body = Bytes::new();
            request.headers.clear();
            request.method = method.into();
            assert!(api.verify(&request, NOW).is_ok(), "{method}");
        }
    }

    #[test]
    fn acs3_authorization_is_parsed_and_verified() {
        let auth = parse_acs3(
            "ACS3-HMAC-SHA256 Credential=LTAI5tSimulatorKeyId0001,SignedHeaders=host;x-acs-action,Signature=abc",
        )
        .unwrap();
        assert_eq!(auth.signed_headers, ["host", "x-acs-action"]);
        assert!(parse_acs3("ACS3-HMAC-SHA256 Credential=,Signature=x").is_none());
        assert!(parse_acs3("ACS3-HMAC-SHA256 garbage").is_none());

        let api = AliyunApi::new(AliyunCredentials::default());
        let query = pairs(&[
            ("PhoneNumbers", "13800138000"),
            ("SignName", "阿里云"),
            ("TemplateCode", "SMS_1"),
        ]);
        let mut headers = pairs(&[
            ("host", "127.0.0.1:4011"),
            ("x-acs-action", "SendSms"),
            ("x-acs-version", "2017-05-25"),
            ("x-acs-date", "2024-05-20T08:30:00Z"),
            ("x-acs-signature-nonce", "abc123"),
            ("x-acs-content-sha256", &sha256_hex(b"")),
        ]);
        let signed: Vec<String> = headers.iter().map(|(n, _)| n.clone()).collect();
        let canonical = acs3_canonical_request("POST", "/", &query, &headers, &signed, b"");
        let signature = acs3_signature(
            &api.credentials.access_key_secret,
            &acs3_string_to_sign(&canonical),
        );
        headers.push((
            "authorization".into(),
            format!(
                "ACS3-HMAC-SHA256 Credential=LTAI5tSimulatorKeyId0001,SignedHeaders={},Signature={signature}",
                signed.join(";")
            ),
        ));
        let request = Incoming {
            method: "POST".into(),
            path: "/".into(),
            query: query
                .iter()
                .map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v)))
                .collect::<Vec<_>>()
                .join("&"),
            headers,
            body: Bytes::new(),
        };
        assert!(api.verify(&request, NOW).is_ok());
        let reply = api.verify(&request, NOW).unwrap_err();
        assert_eq!(code(&reply), (400, "SignatureNonceUsed".into()));
        let other = AliyunApi::new(AliyunCredentials {
            access_key_secret: "other".into(),
            ..AliyunCredentials::default()
        });
        let reply = other.verify(&request, NOW).unwrap_err();
        assert_eq!(code(&reply), (400, "SignatureDoesNotMatch".into()));
    }

    #[test]
    fn business_faults_have_aliyun_codes() {
        let api = AliyunApi::new(AliyunCredentials::default());
        let send = SendRequest {
            numbers: vec!["13800130429".into()],
            ..SendRequest::default()
        };
        for (fault, expected) in [
            (Fault::RateLimited, "isv.BUSINESS_LIMIT_CONTROL"),
            (Fault::QuotaExceeded, "isv.AMOUNT_NOT_ENOUGH"),
            (Fault::InvalidNumber, "isv.MOBILE_NUMBER_ILLEGAL"),
        ] {
            let (reply, accepted) = api.answer(&send, &[Some(fault)], NOW);
            assert_eq!(code(&reply), (200, expected.to_owned()));
            assert!(accepted.is_empty());
        }
        let (reply, accepted) = api.answer(&send, &[None], NOW);
        let body: Value = serde_json::from_slice(&reply.body).unwrap();
        assert_eq!(body["Code"], "OK");
        assert_eq!(accepted[0].message_id, body["BizId"].as_str().unwrap());
    }
}
