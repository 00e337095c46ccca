//! Amazon SNS `Publish` to a phone number, through SNS's Query API: `POST /` with a form body
//! (`Action=Publish&Version=2010-03-31&PhoneNumber=…&Message=…&MessageAttributes.entry.N.…`),
//! signed with AWS Signature Version 4 (`AWS4-HMAC-SHA256`, service `sns`).
//!
//! The signature is recomputed from the request as received, by this module's own code: the
//! canonical request covers the method, the path, the sorted query, every header the client
//! lists in `SignedHeaders` (names lower-cased, values trimmed with inner runs of spaces
//! collapsed, repeated headers joined with commas; `host` and `x-amz-date` must be among
//! them) and the body's SHA-256; the string to sign adds the `X-Amz-Date` time and the scope
//! `<date>/<region>/sns/aws4_request`; the key is derived from `"AWS4" + secret` through the
//! date, the region, the service and `aws4_request`. `X-Amz-Date` must be within 5 minutes of
//! the simulator's clock, as AWS answers for a header-signed request ("Signature expired: …
//! (… - 5 min.)"). When the credentials have a session token, `X-Amz-Security-Token` must
//! carry it; when they have none, a request must not carry one.
//!
//! Answers are SNS's XML: `PublishResponse` with a `MessageId` and a `RequestId`, or an
//! `ErrorResponse` with the error's `Type`, `Code` and `Message`, with AWS's HTTP statuses
//! (403 for credentials and signatures, 400 for parameters, 500 for internal errors).

use std::fmt;

use connector_kit::UtcDateTime;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::codec::{self, constant_time_eq, first, form_pairs, hmac_sha256, sha256_hex};
use super::credentials::parse_part;
use super::faults::Fault;
use super::http::{Api, Incoming, Reply};
use super::provider::ProviderModule;
use super::{AcceptedMessage, ProviderApi, SendRequest};

impl ProviderApi {
    /// Amazon SNS (`Publish` to a phone number).
    pub const AWS_SNS: Self = Self::named("aws-sns");
}

/// Amazon SNS, as the simulator serves it.
pub(crate) const MODULE: ProviderModule = ProviderModule {
    api: ProviderApi::AWS_SNS,
    route: "POST / (Action=Publish, Version=2010-03-31)",
    build: |part| Ok(Box::new(SnsApi::new(parse_part(part)?))),
};

/// The AWS credentials the simulator accepts, and the region it serves.
#[derive(Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub(crate) struct SnsCredentials {
    /// The access key ID.
    access_key_id: String,
    /// The secret access key.
    secret_access_key: String,
    /// The session token of temporary credentials; `None` for a long-term key.
    #[serde(skip_serializing_if = "Option::is_none")]
    session_token: Option<String>,
    /// The region of the credential scope, e.g. `us-east-1`.
    region: String,
}

impl Default for SnsCredentials {
    fn default() -> Self {
        Self {
            access_key_id: "AKIASIMULATOR0000001".into(),
            secret_access_key: "simulator-aws-secret-access-key".into(),
            session_token: None,
            region: "us-east-1".into(),
        }
    }
}

/// Shows the key ID and the region, never the secret or the token.
impl fmt::Debug for SnsCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SnsCredentials")
            .field("access_key_id", &self.access_key_id)
            .field("region", &self.region)
            .field(
                "session_token",
                &self.session_token.as_ref().map(|_| "<set>"),
            )
            .finish_non_exhaustive()
    }
}

const ALGORITHM: &str = "AWS4-HMAC-SHA256";
const TERMINATOR: &str = "aws4_request";
const SERVICE: &str = "sns";
const ACTION: &str = "Publish";
const VERSION: &str = "2010-03-31";
const NAMESPACE: &str = "http://sns.amazonaws.com/doc/2010-03-31/";
/// How far `X-Amz-Date` may be from the simulator's clock, in seconds.
pub(crate) const MAX_SKEW_SECS: u64 = 5 * 60;
/// The longest `Message` accepted for an SMS, in characters.
const MAX_MESSAGE_CHARS: usize = 1_600;
/// The most message attributes one `Publish` may carry.
const MAX_ATTRIBUTES: usize = 10;
const FORM: &str = "application/x-www-form-urlencoded";

/// `YYYYMMDDThhmmssZ`, the ISO 8601 basic format of `X-Amz-Date`.
pub(crate) fn amz_date(unix: u64) -> String {
    let t = UtcDateTime::from_unix(unix);
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        t.year, t.month, t.day, t.hour, t.minute, t.second
    )
}

/// Parses `YYYYMMDDThhmmssZ` into Unix seconds.
fn parse_amz_date(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    if b.len() != 16 || b[8] != b'T' || b[15] != b'Z' {
        return None;
    }
    let digits = |r: std::ops::Range<usize>| {
        text.get(r)
            .filter(|s| s.bytes().all(|c| c.is_ascii_digit()))
    };
    let extended = format!(
        "{}-{}-{}T{}:{}:{}Z",
        digits(0..4)?,
        digits(4..6)?,
        digits(6..8)?,
        digits(9..11)?,
        digits(11..13)?,
        digits(13..15)?
    );
    let t = UtcDateTime::parse_iso8601(&extended)?;
    // A calendar date that does not exist (`20240231`) would come back as another day.
    (amz_date(u64::try_from(t.to_unix()).ok()?) == text).then(|| t.to_unix())
}

/// RFC 3986 encoding as SigV4 uses it: every byte but `A-Z a-z 0-9 - _ . ~` (and `/` when
/// `keep_slash`) becomes `%XX`, upper-case hex.
fn uri_encode(bytes: &[u8], keep_slash: bool) -> String {
    let mut out = String::with_capacity(bytes.len() * 3);
    for &byte in bytes {
        if byte.is_ascii_alphanumeric()
            || matches!(byte, b'-' | b'_' | b'.' | b'~')
            || (keep_slash && byte == b'/')
        {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Decodes `%XX` escapes (a `+` stays a `+`; a broken escape is kept as it is).
fn percent_decode(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(&h), Some(&l)) if hex(h).is_some() && hex(l).is_some() => {
                out.push((hex(h).unwrap_or(0) * 16 + hex(l).unwrap_or(0)) as u8);
                i += 3;
            }
            (byte, _, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    out
}

/// The canonical URI: the path as sent, encoded once more (as SigV4 does for every service but
/// S3); `/` for an empty path.
fn canonical_uri(path: &str) -> String {
    if path.is_empty() {
        "/".to_owned()
    } else {
        uri_encode(path.as_bytes(), true)
    }
}

/// The canonical query: each name and value decoded then encoded per RFC 3986, sorted by name
/// then value, joined with `&`.
fn canonical_query(query: &str) -> String {
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (
                uri_encode(&percent_decode(name), false),
                uri_encode(&percent_decode(value), false),
            )
        })
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(n, v)| format!("{n}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// A header value as SigV4 signs it: trimmed, inner runs of spaces collapsed to one.
fn canonical_value(value: &str) -> String {
    value.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Stage 1, the canonical request: method, canonical URI, canonical query, one
/// `name:value` line per signed header (the values of a repeated header joined with commas,
/// in arrival order), a blank line, the signed header list and the payload hash.
pub(crate) fn canonical_request(
    method: &str,
    path: &str,
    query: &str,
    headers: &[(String, String)],
    signed_headers: &[String],
    payload_hash: &str,
) -> String {
    let mut canonical_headers = String::new();
    for name in signed_headers {
        let values: Vec<String> = headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| canonical_value(v))
            .collect();
        canonical_headers.push_str(&format!("{name}:{}\n", values.join(",")));
    }
    format!(
        "{method}\n{}\n{}\n{canonical_headers}\n{}\n{payload_hash}",
        canonical_uri(path),
        canonical_query(query),
        signed_headers.join(";"),
    )
}

/// Stage 2, the string to sign: the algorithm, the `X-Amz-Date` time, the scope and the hex
/// SHA-256 of the canonical request.
pub(crate) fn string_to_sign(amz_date: &str, scope: &str, canonical_request: &str) -> String {
    format!(
        "{ALGORITHM}\n{amz_date}\n{scope}\n{}",
        sha256_hex(canonical_request.as_bytes())
    )
}

/// Stages 3 and 4: the key derived from `"AWS4" + secret` through the date (`YYYYMMDD`), the
/// region, the service and `aws4_request`, then the hex HMAC-SHA256 of the string to sign.
pub(crate) fn signature(
    secret: &str,
    date: &str,
    region: &str,
    service: &str,
    string_to_sign: &str,
) -> String {
    let k_date = hmac_sha256(format!("AWS4{secret}").as_bytes(), date.as_bytes());
    let k_region = hmac_sha256(&k_date, region.as_bytes());
    let k_service = hmac_sha256(&k_region, service.as_bytes());
    let k_signing = hmac_sha256(&k_service, TERMINATOR.as_bytes());
    hex::encode(hmac_sha256(&k_signing, string_to_sign.as_bytes()))
}

/// The parts of an `AWS4-HMAC-SHA256` `Authorization` header.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Authorization {
    pub(crate) access_key_id: String,
    pub(crate) date: String,
    pub(crate) region: String,
    pub(crate) service: String,
    pub(crate) terminator: String,
    pub(crate) signed_headers: Vec<String>,
    pub(crate) signature: String,
}

/// Parses `AWS4-HMAC-SHA256 Credential=<akid>/<date>/<region>/<service>/aws4_request,
/// SignedHeaders=a;b, Signature=<hex>`; the reason when it cannot.
pub(crate) fn parse_authorization(value: &str) -> Result<Authorization, &'static str> {
    let Some(rest) = value.strip_prefix(ALGORITHM) else {
        return Err("Unsupported AWS 'algorithm': the simulator accepts AWS4-HMAC-SHA256 only");
    };
    if !rest.starts_with(' ') {
        return Err("Authorization header requires 'Credential' parameter.");
    }
    let mut credential = None;
    let mut signed = None;
    let mut signature = None;
    for part in rest.split(',') {
        let Some((key, val)) = part.trim().split_once('=') else {
            return Err(
                "Authorization header requires each component to be of the form key=value.",
            );
        };
        match key {
            "Credential" => credential = Some(val),
            "SignedHeaders" => signed = Some(val),
            "Signature" => signature = Some(val),
            _ => return Err("Authorization header has an unknown component."),
        }
    }
    let credential = credential.ok_or("Authorization header requires 'Credential' parameter.")?;
    let signed = signed.ok_or("Authorization header requires 'SignedHeaders' parameter.")?;
    let signature = signature
        .filter(|s| !s.is_empty())
        .ok_or("Authorization header requires 'Signature' parameter.")?;
    let scope: Vec<&str> = credential.split('/').collect();
    let [access_key_id, date, region, service, terminator] = scope[..] else {
        return Err(
            "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term.",
        );
    };
    if access_key_id.is_empty() {
        return Err("Credential must name an access key ID.");
    }
    let signed_headers: Vec<String> = signed.split(';').map(str::to_owned).collect();
    if signed_headers.iter().any(String::is_empty) {
        return Err("SignedHeaders must be a ';'-delimited list of header names.");
    }
    Ok(Authorization {
        access_key_id: access_key_id.to_owned(),
        date: date.to_owned(),
        region: region.to_owned(),
        service: service.to_owned(),
        terminator: terminator.to_owned(),
        signed_headers,
        signature: signature.to_owned(),
    })
}

/// `text` with the five XML special characters escaped.
fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

fn xml(status: u16, body: String, request_id: &str) -> Reply {
    Reply {
        status,
        headers: vec![("content-type", "text/xml".to_owned())],
        body: body.into_bytes(),
    }
    .with_header("x-amzn-requestid", request_id)
}

/// An `ErrorResponse`: `Type` `Sender` for a 4xx status, `Receiver` for a 5xx.
fn error(status: u16, code: &str, message: impl AsRef<str>) -> Reply {
    let request_id = codec::uuid_lower();
    let kind = if status >= 500 { "Receiver" } else { "Sender" };
    let body = format!(
        "<ErrorResponse xmlns=\"{NAMESPACE}\">\n  <Error>\n    <Type>{kind}</Type>\n    <Code>{code}</Code>\n    <Message>{}</Message>\n  </Error>\n  <RequestId>{request_id}</RequestId>\n</ErrorResponse>\n",
        xml_escape(message.as_ref())
    );
    xml(status, body, &request_id)
}

fn signature_does_not_match(message: impl AsRef<str>) -> Reply {
    error(403, "SignatureDoesNotMatch", message)
}

fn invalid_client_token() -> Reply {
    error(
        403,
        "InvalidClientTokenId",
        "The security token included in the request is invalid.",
    )
}

fn incomplete_signature(message: impl AsRef<str>) -> Reply {
    error(400, "IncompleteSignature", message)
}

fn invalid_parameter(message: impl AsRef<str>) -> Reply {
    error(400, "InvalidParameter", message)
}

fn parameter_value_invalid(message: impl AsRef<str>) -> Reply {
    error(400, "ParameterValueInvalid", message)
}

/// The success body, with a message id and a request id.
fn publish_response(message_id: &str, request_id: &str) -> String {
    format!(
        "<PublishResponse xmlns=\"{NAMESPACE}\">\n  <PublishResult>\n    <MessageId>{message_id}</MessageId>\n  </PublishResult>\n  <ResponseMetadata>\n    <RequestId>{request_id}</RequestId>\n  </ResponseMetadata>\n</PublishResponse>\n"
    )
}

/// Whether `number` is E.164: `+`, a country code not starting with 0, 7 to 15 digits.
fn is_e164(number: &str) -> bool {
    number.strip_prefix('+').is_some_and(|digits| {
        (7..=15).contains(&digits.len())
            && digits.bytes().all(|b| b.is_ascii_digit())
            && !digits.starts_with('0')
    })
}

/// The `MessageAttributes.entry.N.*` parameters, in entry order: name, data type, value.
fn message_attributes(params: &[(String, String)]) -> Result<Vec<(String, String, String)>, Reply> {
    let mut entries: Vec<(u32, String, String, String)> = Vec::new();
    for (key, _) in params {
        let Some(rest) = key.strip_prefix("MessageAttributes.entry.") else {
            continue;
        };
        let Some((index, field)) = rest.split_once('.') else {
            return Err(invalid_parameter(format!(
                "Invalid parameter: MessageAttributes Reason: {key} is not a message attribute parameter"
            )));
        };
        let Ok(index) = index.parse::<u32>() else {
            return Err(invalid_parameter(format!(
                "Invalid parameter: MessageAttributes Reason: {key} is not a message attribute parameter"
            )));
        };
        if !matches!(
            field,
            "Name" | "Value.DataType" | "Value.StringValue" | "Value.BinaryValue"
        ) {
            return Err(invalid_parameter(format!(
                "Invalid parameter: MessageAttributes Reason: {key} is not a message attribute parameter"
            )));
        }
        if entries.iter().all(|(i, ..)| *i != index) {
            let field = |name: &str| {
                first(params, &format!("MessageAttributes.entry.{index}.{name}"))
                    .unwrap_or_default()
                    .to_owned()
            };
            entries.push((
                index,
                field("Name"),
                field("Value.DataType"),
                field("Value.StringValue"),
            ));
        }
    }
    entries.sort_by_key(|(i, ..)| *i);
    if entries.len() > MAX_ATTRIBUTES {
        return Err(invalid_parameter(format!(
            "Invalid parameter: MessageAttributes Reason: Number of message attributes [{}] exceeds the allowed maximum [{MAX_ATTRIBUTES}].",
            entries.len()
        )));
    }
    let mut attributes: Vec<(String, String, String)> = Vec::with_capacity(entries.len());
    for (_, name, data_type, value) in entries {
        if name.is_empty() {
            return Err(parameter_value_invalid(
                "The message attribute name must not be empty.",
            ));
        }
        if data_type.is_empty() {
            return Err(parameter_value_invalid(format!(
                "The message attribute '{name}' must contain non-empty message attribute type."
            )));
        }
        if data_type != "String" && !data_type.starts_with("String.") && data_type != "Number" {
            return Err(parameter_value_invalid(format!(
                "The message attribute '{name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String."
            )));
        }
        if value.is_empty() {
            return Err(parameter_value_invalid(format!(
                "The message attribute '{name}' must contain non-empty message attribute value for message attribute type '{data_type}'."
            )));
        }
        if attributes.iter().any(|(n, ..)| *n == name) {
            return Err(parameter_value_invalid(format!(
                "Message attribute name '{name}' has multiple values."
            )));
        }
        attributes.push((name, data_type, value));
    }
    Ok(attributes)
}

/// Checks the SMS attributes SNS knows (their values, not their presence).
fn check_sms_attributes(attributes: &[(String, String, String)]) -> Result<(), Reply> {
    for (name, _, value) in attributes {
        let valid = match name.as_str() {
            "AWS.SNS.SMS.SMSType" => matches!(value.as_str(), "Transactional" | "Promotional"),
            "AWS.SNS.SMS.SenderID" => {
                (1..=11).contains(&value.len())
                    && value.bytes().all(|b| b.is_ascii_alphanumeric())
                    && value.bytes().any(|b| b.is_ascii_alphabetic())
            }
            "AWS.MM.SMS.OriginationNumber" => is_e164(value),
            "AWS.SNS.SMS.MaxPrice" => value.parse::<f64>().is_ok_and(|p| p >= 0.0),
            _ => true,
        };
        if !valid {
            return Err(parameter_value_invalid(format!(
                "Invalid value for message attribute '{name}'."
            )));
        }
    }
    Ok(())
}

/// The Amazon SNS API.
pub(crate) struct SnsApi {
    credentials: SnsCredentials,
}

impl fmt::Debug for SnsApi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SnsApi")
            .field("credentials", &self.credentials)
            .finish_non_exhaustive()
    }
}

impl SnsApi {
    pub(crate) fn new(credentials: SnsCredentials) -> Self {
        Self { credentials }
    }

    /// Checks the signature, in the order AWS reports problems: the header's shape, the
    /// date, the key, the token, the scope, the signed headers, then the signature itself.
    fn authenticate(&self, request: &Incoming, now: u64) -> Result<(), Reply> {
        let Some(authorization) = request.header("authorization") else {
            return Err(error(
                403,
                "MissingAuthenticationToken",
                "Request is missing Authentication Token",
            ));
        };
        let auth = parse_authorization(authorization.trim()).map_err(incomplete_signature)?;
        let Some(date) = request.header("x-amz-date") else {
            return Err(incomplete_signature(
                "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
            ));
        };
        let date = date.trim();
        let Some(at) = parse_amz_date(date) else {
            return Err(incomplete_signature(
                "Date must be in ISO-8601 'basic format' (YYYYMMDD'T'HHMMSS'Z').",
            ));
        };
        let server = i64::try_from(now).unwrap_or(i64::MAX);
        let window = i64::try_from(MAX_SKEW_SECS).unwrap_or(0);
        if at < server - window {
            return Err(signature_does_not_match(format!(
                "Signature expired: {date} is now earlier than {} ({} - 5 min.)",
                amz_date(now.saturating_sub(MAX_SKEW_SECS)),
                amz_date(now)
            )));
        }
        if at > server + window {
            return Err(signature_does_not_match(format!(
                "Signature not yet current: {date} is still later than {} ({} + 5 min.)",
                amz_date(now.saturating_add(MAX_SKEW_SECS)),
                amz_date(now)
            )));
        }
        if !constant_time_eq(&auth.access_key_id, &self.credentials.access_key_id) {
            return Err(invalid_client_token());
        }
        let token = request.header("x-amz-security-token");
        let token_ok = match (&self.credentials.session_token, token) {
            (Some(expected), Some(given)) => constant_time_eq(given, expected),
            (None, None) => true,
            _ => false,
        };
        if !token_ok {
            return Err(invalid_client_token());
        }
        if auth.date != date[..8] {
            return Err(signature_does_not_match(format!(
                "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{}' != '{}', from '{date}'.",
                auth.date,
                &date[..8]
            )));
        }
        if auth.region != self.credentials.region {
            return Err(signature_does_not_match(format!(
                "Credential should be scoped to a valid region, not '{}'. This endpoint serves '{}'.",
                auth.region, self.credentials.region
            )));
        }
        if auth.service != SERVICE {
            return Err(signature_does_not_match(format!(
                "Credential should be scoped to correct service: '{SERVICE}'."
            )));
        }
        if auth.terminator != TERMINATOR {
            return Err(signature_does_not_match(format!(
                "Credential should be scoped with a valid terminator: '{TERMINATOR}', not '{}'.",
                auth.terminator
            )));
        }
        let signs = |name: &str| auth.signed_headers.iter().any(|h| h == name);
        if !signs("host") {
            return Err(signature_does_not_match(
                "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
            ));
        }
        if !signs("x-amz-date") {
            return Err(signature_does_not_match(
                "'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization.",
            ));
        }
        let listed_in_order = auth.signed_headers.windows(2).all(|w| w[0] < w[1]);
        let lower_case = auth
            .signed_headers
            .iter()
            .all(|h| *h == h.to_ascii_lowercase());
        if !listed_in_order || !lower_case {
            return Err(signature_does_not_match(
                "SignedHeaders must be lower-case, sorted and without repeats.",
            ));
        }
        if let Some(name) = auth
            .signed_headers
            .iter()
            .find(|h| request.header(h).is_none())
        {
            return Err(signature_does_not_match(format!(
                "The request does not carry the signed header '{name}'."
            )));
        }
        let payload_hash = sha256_hex(&request.body);
        if let Some(claimed) = request.header("x-amz-content-sha256") {
            if claimed.trim() != payload_hash {
                return Err(signature_does_not_match(
                    "The provided 'x-amz-content-sha256' header does not match what was computed.",
                ));
            }
        }
        let canonical = canonical_request(
            &request.method,
            &request.path,
            &request.query,
            &request.headers,
            &auth.signed_headers,
            &payload_hash,
        );
        let scope = format!(
            "{}/{}/{}/{}",
            auth.date, auth.region, auth.service, auth.terminator
        );
        let string_to_sign = string_to_sign(date, &scope, &canonical);
        let expected = signature(
            &self.credentials.secret_access_key,
            &auth.date,
            &auth.region,
            &auth.service,
            &string_to_sign,
        );
        if constant_time_eq(&auth.signature, &expected) {
            Ok(())
        } else {
            Err(signature_does_not_match(
                "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
            ))
        }
    }

    fn accepted(&self, send: &SendRequest, now: u64) -> (Reply, AcceptedMessage) {
        let request_id = codec::uuid_lower();
        let message_id = codec::uuid_lower();
        let to = send.numbers.first().map(String::as_str).unwrap_or_default();
        let accepted = send.accepted(
            ProviderApi::AWS_SNS,
            to,
            now,
            message_id.clone(),
            &request_id,
        );
        let reply = xml(200, publish_response(&message_id, &request_id), &request_id);
        (reply, accepted)
    }
}

impl Api for SnsApi {
    fn route(&self, method: &str, path: &str) -> Result<(), Reply> {
        if path != "/" {
            return Err(error(
                404,
                "InvalidAction",
                "The simulator serves SNS's Query API at / only.",
            ));
        }
        if method != "POST" {
            return Err(error(
                405,
                "UnsupportedOperation",
                "The simulator accepts Publish as POST with a form body only.",
            ));
        }
        Ok(())
    }

    fn verify(&self, request: &Incoming, now: u64) -> Result<SendRequest, Reply> {
        self.authenticate(request, now)?;
        let mut params = form_pairs(request.query.as_bytes());
        let is_form = request
            .header("content-type")
            .is_some_and(|t| t.trim().to_ascii_lowercase().starts_with(FORM));
        if is_form {
            params.extend(form_pairs(&request.body));
        }
        match first(&params, "Action") {
            None | Some("") => {
                return Err(error(
                    400,
                    "MissingAction",
                    "The request must contain the parameter Action.",
                ));
            }
            Some(ACTION) => {}
            Some(other) => {
                return Err(error(
                    400,
                    "InvalidAction",
                    format!("The action {other} is not valid for this web service."),
                ));
            }
        }
        match first(&params, "Version") {
            None | Some("") => {
                return Err(error(
                    400,
                    "MissingParameter",
                    "The request must contain the parameter Version.",
                ));
            }
            Some(VERSION) => {}
            Some(other) => {
                return Err(error(
                    400,
                    "NoSuchVersion",
                    format!("The requested version ({other}) of service AmazonSNS does not exist."),
                ));
            }
        }
        if ["TopicArn", "TargetArn"]
            .iter()
            .any(|name| first(&params, name).is_some_and(|v| !v.is_empty()))
        {
            return Err(invalid_parameter(
                "Invalid parameter: TopicArn or TargetArn Reason: the simulator publishes to phone numbers only",
            ));
        }
        let Some(to) = first(&params, "PhoneNumber").filter(|v| !v.is_empty()) else {
            return Err(invalid_parameter(
                "Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter",
            ));
        };
        if !is_e164(to) {
            return Err(invalid_parameter(
                "Invalid parameter: PhoneNumber Reason: input incorrect phone number",
            ));
        }
        let Some(message) = first(&params, "Message").filter(|m| !m.is_empty()) else {
            return Err(invalid_parameter("Invalid parameter: Empty message"));
        };
        if message.chars().count() > MAX_MESSAGE_CHARS {
            return Err(invalid_parameter(format!(
                "Invalid parameter: Message Reason: an SMS message must be at most {MAX_MESSAGE_CHARS} characters"
            )));
        }
        let attributes = message_attributes(&params)?;
        check_sms_attributes(&attributes)?;
        let attribute = |name: &str| {
            attributes
                .iter()
                .find(|(n, ..)| n == name)
                .map(|(_, _, v)| v.clone())
        };
        let sender =
            attribute("AWS.SNS.SMS.SenderID").or_else(|| attribute("AWS.MM.SMS.OriginationNumber"));
        let params = if attributes.is_empty() {
            Value::Null
        } else {
            Value::Object(
                attributes
                    .iter()
                    .map(|(name, _, value)| (name.clone(), Value::String(value.clone())))
                    .collect::<Map<String, Value>>(),
            )
        };
        Ok(SendRequest {
            numbers: vec![to.to_owned()],
            body: Some(message.to_owned()),
            params,
            sender,
            ..SendRequest::default()
        })
    }

    fn answer(
        &self,
        send: &SendRequest,
        faults: &[Option<Fault>],
        now: u64,
    ) -> (Reply, Vec<AcceptedMessage>) {
        let reply = match faults.first().copied().flatten() {
            // What SNS answers a throttled Publish (AWS's knowledge center quotes
            // "(ThrottlingException) when calling the publish operation: Rate exceeded").
            Some(Fault::RateLimited) => error(400, "ThrottlingException", "Rate exceeded"),
            // SNS's monthly SMS spend quota stops deliveries after Publish has answered 200,
            // so it has no error of its own; the account-level refusal Publish does declare is
            // KMSOptInRequired.
            Some(Fault::QuotaExceeded) => error(
                403,
                "KMSOptInRequired",
                "The AWS access key ID needs a subscription for the service.",
            ),
            Some(Fault::InvalidNumber) => invalid_parameter(
                "Invalid parameter: PhoneNumber Reason: the number is not valid to publish to",
            ),
            _ => {
                let (reply, accepted) = self.accepted(send, now);
                return (reply, vec![accepted]);
            }
        };
        (reply, Vec::new())
    }

    fn malformed(&self, _send: &SendRequest, _now: u64) -> Reply {
        let request_id = codec::uuid_lower();
        let mut body = publish_response(&codec::uuid_lower(), &request_id).into_bytes();
        body.truncate(body.len() / 2);
        Reply {
            status: 200,
            headers: vec![("content-type", "text/xml".to_owned())],
            body,
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
    use std::path::{Path, PathBuf};

    const NOW: u64 = 1_716_193_800; // 2024-05-20T08:30:00Z
    const HOST: &str = "127.0.0.1:4014";
    const BODY: &str = "Action=Publish&PhoneNumber=%2B14155550100&Message=Your+code+is+123456.\
        &MessageAttributes.entry.1.Name=AWS.SNS.SMS.SMSType\
        &MessageAttributes.entry.1.Value.DataType=String\
        &MessageAttributes.entry.1.Value.StringValue=Transactional\
        &MessageAttributes.entry.2.Name=AWS.SNS.SMS.SenderID\
        &MessageAttributes.entry.2.Value.DataType=String\
        &MessageAttributes.entry.2.Value.StringValue=Acme&Version=2010-03-31";

    /// A request signed by hand with this module's stages (pinned to the AWS suite below).
    struct Signed<'a> {
        secret: &'a str,
        token: Option<&'a str>,
        unix: u64,
        region: &'a str,
        signed: &'a [&'a str],
    }

    impl Default for Signed<'_> {
        fn default() -> Self {
            Self {
                secret: "simulator-aws-secret-access-key",
                token: None,
                unix: NOW,
                region: "us-east-1",
                signed: &["content-type", "host", "x-amz-date"],
            }
        }
    }

    impl Signed<'_> {
        fn request(&self, body: &str) -> Incoming {
            let date = amz_date(self.unix);
            let mut headers: Vec<(String, String)> = vec![
                (
                    "content-type".into(),
                    "application/x-www-form-urlencoded; charset=utf-8".into(),
                ),
                ("host".into(), HOST.into()),
                ("x-amz-date".into(), date.clone()),
            ];
            if let Some(token) = self.token {
                headers.push(("x-amz-security-token".into(), token.into()));
            }
            let signed: Vec<String> = self.signed.iter().map(|s| (*s).to_owned()).collect();
            let canonical = canonical_request(
                "POST",
                "/",
                "",
                &headers,
                &signed,
                &sha256_hex(body.as_bytes()),
            );
            let scope = format!("{}/{}/sns/aws4_request", &date[..8], self.region);
            let sts = string_to_sign(&date, &scope, &canonical);
            let sig = signature(self.secret, &date[..8], self.region, "sns", &sts);
            headers.push((
                "authorization".into(),
                format!(
                    "AWS4-HMAC-SHA256 Credential=AKIASIMULATOR0000001/{scope}, SignedHeaders={}, Signature={sig}",
                    signed.join(";")
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
    }

    fn api() -> SnsApi {
        SnsApi::new(SnsCredentials::default())
    }

    fn with_token() -> SnsApi {
        SnsApi::new(SnsCredentials {
            session_token: Some("IQoJb3JpZ2luX2VjEXAMPLE//token+with/slashes==".into()),
            ..SnsCredentials::default()
        })
    }

    /// The status and the `Code` of an `ErrorResponse`.
    fn code(reply: &Reply) -> (u16, String) {
        let body = String::from_utf8(reply.body.clone()).unwrap();
        assert!(body.starts_with("<ErrorResponse xmlns="), "{body}");
        let code = body
            .split_once("<Code>")
            .and_then(|(_, rest)| rest.split_once("</Code>"))
            .map(|(code, _)| code.to_owned())
            .unwrap();
        (reply.status, code)
    }

    #[test]
    fn a_good_request_is_verified_and_read() {
        let send = api().verify(&Signed::default().request(BODY), NOW).unwrap();
        assert_eq!(send.numbers, ["+14155550100"]);
        assert_eq!(send.body.as_deref(), Some("Your code is 123456."));
        assert_eq!(send.sender.as_deref(), Some("Acme"));
        assert_eq!(
            send.params,
            serde_json::json!({"AWS.SNS.SMS.SMSType": "Transactional", "AWS.SNS.SMS.SenderID": "Acme"})
        );
        // A few seconds of skew either way is fine; the body's hash may also be sent.
        for unix in [NOW - 299, NOW + 299] {
            let signed = Signed {
                unix,
                ..Signed::default()
            };
            assert!(api().verify(&signed.request(BODY), NOW).is_ok());
        }
        let mut hashed = Signed::default().request(BODY);
        hashed
            .headers
            .push(("x-amz-content-sha256".into(), sha256_hex(BODY.as_bytes())));
        assert!(api().verify(&hashed, NOW).is_ok());
    }

    #[test]
    fn signature_failures_are_answered_as_aws_does() {
        let wrong_secret = Signed {
            secret: "wrong",
            ..Signed::default()
        };
        let stale = Signed {
            unix: NOW - 301,
            ..Signed::default()
        };
        let early = Signed {
            unix: NOW + 301,
            ..Signed::default()
        };
        let other_region = Signed {
            region: "eu-west-1",
            ..Signed::default()
        };
        let no_date = Signed {
            signed: &["content-type", "host"],
            ..Signed::default()
        };
        let no_host = Signed {
            signed: &["content-type", "x-amz-date"],
            ..Signed::default()
        };
        let unsorted = Signed {
            signed: &["host", "content-type", "x-amz-date"],
            ..Signed::default()
        };
        for (signed, expected) in [
            (wrong_secret, "SignatureDoesNotMatch"),
            (stale, "SignatureDoesNotMatch"),
            (early, "SignatureDoesNotMatch"),
            (other_region, "SignatureDoesNotMatch"),
            (no_date, "SignatureDoesNotMatch"),
            (no_host, "SignatureDoesNotMatch"),
            (unsorted, "SignatureDoesNotMatch"),
        ] {
            let reply = api().verify(&signed.request(BODY), NOW).unwrap_err();
            assert_eq!(code(&reply), (403, expected.to_owned()));
        }
        let stale = Signed {
            unix: NOW - 301,
            ..Signed::default()
        };
        let reply = api().verify(&stale.request(BODY), NOW).unwrap_err();
        let text = String::from_utf8(reply.body).unwrap();
        assert!(
            text.contains("Signature expired: 20240520T082459Z is now earlier than 20240520T082500Z (20240520T083000Z - 5 min.)"),
            "{text}"
        );

        // A body changed after signing.
        let mut tampered = Signed::default().request(BODY);
        tampered.body = Bytes::from(BODY.replace("123456", "654321"));
        assert_eq!(
            code(&api().verify(&tampered, NOW).unwrap_err()),
            (403, "SignatureDoesNotMatch".into())
        );
        // A hash header that is not the body's.
        let mut lying = Signed::default().request(BODY);
        lying
            .headers
            .push(("x-amz-content-sha256".into(), sha256_hex(b"other")));
        assert_eq!(
            code(&api().verify(&lying, NOW).unwrap_err()),
            (403, "SignatureDoesNotMatch".into())
        );
        // A signed header the request does not carry.
        let mut missing = Signed::default().request(BODY);
        missing.headers.retain(|(n, _)| n != "content-type");
        assert_eq!(
            code(&api().verify(&missing, NOW).unwrap_err()),
            (403, "SignatureDoesNotMatch".into())
        );
        // An unknown access key ID.
        let mut stranger = Signed::default().request(BODY);
        for (name, value) in &mut stranger.headers {
            if name == "authorization" {
                *value = value.replace("AKIASIMULATOR", "AKIASTRANGERS");
            }
        }
        assert_eq!(
            code(&api().verify(&stranger, NOW).unwrap_err()),
            (403, "InvalidClientTokenId".into())
        );
        // No or a malformed Authorization, no X-Amz-Date.
        let mut anonymous = Signed::default().request(BODY);
        anonymous.headers.retain(|(n, _)| n != "authorization");
        assert_eq!(
            code(&api().verify(&anonymous, NOW).unwrap_err()),
            (403, "MissingAuthenticationToken".into())
        );
        let mut undated = Signed::default().request(BODY);
        undated.headers.retain(|(n, _)| n != "x-amz-date");
        assert_eq!(
            code(&api().verify(&undated, NOW).unwrap_err()),
            (400, "IncompleteSignature".into())
        );
        for bad in [
            "AWS4-HMAC-SHA256 Credential=a/b/c/d, SignedHeaders=host, Signature=x",
            "AWS4-HMAC-SHA256 SignedHeaders=host, Signature=x",
            "AWS4-HMAC-SHA256 Credential=a/b/c/d/e, SignedHeaders=host;;x, Signature=x",
            "AWS4-HMAC-SHA256 Credential=a/b/c/d/e, SignedHeaders=host",
            "AWS4-HMAC-SHA256Credential=a/b/c/d/e, SignedHeaders=host, Signature=x",
            "AWS-HMAC-SHA256 Credential=a/b/c/d/e, SignedHeaders=host, Signature=x",
            "",
        ] {
            assert!(parse_authorization(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn session_tokens_are_required_exactly_when_the_credentials_have_one() {
        let token = "IQoJb3JpZ2luX2VjEXAMPLE//token+with/slashes==";
        let signed_token = Signed {
            token: Some(token),
            signed: &["content-type", "host", "x-amz-date", "x-amz-security-token"],
            ..Signed::default()
        };
        let unsigned_token = Signed {
            token: Some(token),
            ..Signed::default()
        };
        assert!(
            with_token()
                .verify(&signed_token.request(BODY), NOW)
                .is_ok()
        );
        assert!(
            with_token()
                .verify(&unsigned_token.request(BODY), NOW)
                .is_ok()
        );
        let wrong_token = Signed {
            token: Some("another-token"),
            ..Signed::default()
        };
        for (api, signed) in [
            (with_token(), Signed::default()),
            (with_token(), wrong_token),
            (api(), signed_token),
        ] {
            assert_eq!(
                code(&api.verify(&signed.request(BODY), NOW).unwrap_err()),
                (403, "InvalidClientTokenId".into())
            );
        }
    }

    #[test]
    fn parameters_are_checked_after_the_signature() {
        let cases = [
            (
                BODY.replace("Action=Publish", "Action=Subscribe"),
                "InvalidAction",
            ),
            (BODY.replace("Action=Publish&", ""), "MissingAction"),
            (BODY.replace("2010-03-31", "2009-01-01"), "NoSuchVersion"),
            (
                BODY.replace("PhoneNumber=%2B14155550100", "TopicArn=arn%3Aaws%3Asns"),
                "InvalidParameter",
            ),
            (
                BODY.replace("PhoneNumber=%2B14155550100&", ""),
                "InvalidParameter",
            ),
            (
                BODY.replace("%2B14155550100", "14155550100"),
                "InvalidParameter",
            ),
            (BODY.replace("Your+code+is+123456.", ""), "InvalidParameter"),
            (
                BODY.replace("Your+code+is+123456.", &"a".repeat(1_601)),
                "InvalidParameter",
            ),
            (
                BODY.replace("StringValue=Transactional", "StringValue=Urgent"),
                "ParameterValueInvalid",
            ),
            (
                BODY.replace("StringValue=Acme", "StringValue=Acme+Corp"),
                "ParameterValueInvalid",
            ),
            (
                BODY.replace("entry.2.Value.DataType=String", "entry.2.Value.DataType="),
                "ParameterValueInvalid",
            ),
            (
                format!("{BODY}&MessageAttributes.entry.x.Name=a"),
                "InvalidParameter",
            ),
        ];
        for (body, expected) in cases {
            let reply = api()
                .verify(&Signed::default().request(&body), NOW)
                .unwrap_err();
            assert_eq!(code(&reply), (400, expected.to_owned()), "{body}");
        }
    }

    #[test]
    fn answers_are_sns_xml() {
        let send = api().verify(&Signed::default().request(BODY), NOW).unwrap();
        let (reply, accepted) = api().answer(&send, &[None], NOW);
        assert_eq!(reply.status, 200);
        let body = String::from_utf8(reply.body.clone()).unwrap();
        assert!(body.starts_with(&format!("<PublishResponse xmlns=\"{NAMESPACE}\">")));
        assert!(body.contains(&format!(
            "<MessageId>{}</MessageId>",
            accepted[0].message_id
        )));
        assert!(body.contains(&format!(
            "<RequestId>{}</RequestId>",
            accepted[0].request_id
        )));
        assert_eq!(accepted[0].to, "+14155550100");
        assert_eq!(accepted[0].provider, ProviderApi::AWS_SNS);
        for (fault, status, expected) in [
            (Fault::RateLimited, 400, "ThrottlingException"),
            (Fault::QuotaExceeded, 403, "KMSOptInRequired"),
            (Fault::InvalidNumber, 400, "InvalidParameter"),
        ] {
            let (reply, accepted) = api().answer(&send, &[Some(fault)], NOW);
            assert_eq!(code(&reply), (status, expected.to_owned()));
            assert!(accepted.is_empty());
            let text = String::from_utf8(reply.body).unwrap();
            assert!(!text.contains("14155550100"), "{text}");
        }
        assert!(xml_escape("<a & 'b'>") == "&lt;a &amp; &apos;b&apos;&gt;");
        let cut = api().malformed(&send, NOW);
        assert_eq!(cut.status, 200);
        assert!(!String::from_utf8_lossy(&cut.body).contains("</PublishResponse>"));
    }

    #[test]
    fn dates_are_read_strictly() {
        assert_eq!(amz_date(1_440_938_160), "20150830T123600Z");
        assert_eq!(parse_amz_date("20150830T123600Z"), Some(1_440_938_160));
        for bad in [
            "2015-08-30T12:36:00Z",
            "20150830T123600",
            "20150231T123600Z",
            "2015083OT123600Z",
            "20150830T250000Z",
            "",
        ] {
            assert_eq!(parse_amz_date(bad), None, "{bad}");
        }
        assert_eq!(canonical_query("b=2&a=%7e&a=1&c"), "a=1&a=~&b=2&c=");
        assert_eq!(canonical_uri("/a b/%41"), "/a%20b/%2541");
    }

    /// The connector crate's vectors: cases of the AWS Signature Version 4 test suite, and
    /// SNS `Publish` requests signed by botocore (their sources are in that folder's
    /// `SOURCE.md`). Read as files, so this crate shares no code with the connector's signer.
    fn vectors() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../connector-aws-sns/tests/vectors")
    }

    fn read(path: &Path) -> String {
        std::fs::read_to_string(path)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
            .replace("\r\n", "\n")
    }

    /// Every case of the AWS suite, stage by stage, by this module's own verifier stages.
    #[test]
    fn the_aws_signing_suite_is_reproduced_stage_by_stage() {
        let suite = vectors().join("suite");
        let mut cases: Vec<PathBuf> = std::fs::read_dir(&suite)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        cases.sort();
        assert!(cases.len() >= 10, "{}", suite.display());
        for case in cases {
            let name = case.file_name().unwrap().to_string_lossy().into_owned();
            let context: Value = serde_json::from_str(&read(&case.join("context.json"))).unwrap();
            let request = read(&case.join("request.txt"));
            let (head, body) = request.split_once("\n\n").unwrap_or((&request, ""));
            let mut lines = head.lines();
            let request_line: Vec<&str> = lines.next().unwrap().split(' ').collect();
            let (method, target) = (request_line[0], request_line[1]);
            let (path, query) = target.split_once('?').unwrap_or((target, ""));
            let mut headers: Vec<(String, String)> = lines
                .map(|line| {
                    let (n, v) = line.split_once(':').unwrap();
                    (n.to_ascii_lowercase(), v.to_owned())
                })
                .collect();
            let unix = codec::parse_iso8601(context["timestamp"].as_str().unwrap()).unwrap();
            let date = amz_date(u64::try_from(unix).unwrap());
            headers.push(("x-amz-date".into(), date.clone()));
            let payload_hash = sha256_hex(body.as_bytes());
            if let Some(token) = context["credentials"]["token"].as_str() {
                if context["omit_session_token"] != true {
                    headers.push(("x-amz-security-token".into(), token.to_owned()));
                }
            }
            if context["sign_body"] == true {
                headers.push(("x-amz-content-sha256".into(), payload_hash.clone()));
            }
            let mut signed: Vec<String> = headers.iter().map(|(n, _)| n.clone()).collect();
            signed.sort();
            signed.dedup();
            let canonical =
                canonical_request(method, path, query, &headers, &signed, &payload_hash);
            assert_eq!(
                canonical,
                read(&case.join("header-canonical-request.txt")),
                "{name}: canonical request"
            );
            let region = context["region"].as_str().unwrap();
            let service = context["service"].as_str().unwrap();
            let scope = format!("{}/{region}/{service}/aws4_request", &date[..8]);
            let sts = string_to_sign(&date, &scope, &canonical);
            assert_eq!(
                sts,
                read(&case.join("header-string-to-sign.txt")),
                "{name}: string to sign"
            );
            let secret = context["credentials"]["secret_access_key"]
                .as_str()
                .unwrap();
            assert_eq!(
                signature(secret, &date[..8], region, service, &sts),
                read(&case.join("header-signature.txt")).trim(),
                "{name}: signature"
            );
        }
    }

    /// SNS `Publish` requests signed by botocore verify, with and without a session token.
    #[test]
    fn botocore_signed_publish_requests_are_accepted() {
        for case in ["sns-publish", "sns-publish-session-token-simulator"] {
            let dir = vectors().join("botocore").join(case);
            let input: Value = serde_json::from_str(&read(&dir.join("input.json"))).unwrap();
            let text = |key: &str| input[key].as_str().unwrap().to_owned();
            let unix = input["unix_time"].as_u64().unwrap();
            let mut headers = vec![
                ("content-type".to_owned(), text("content_type")),
                ("host".to_owned(), text("host")),
                ("x-amz-date".to_owned(), amz_date(unix)),
            ];
            let token = input["session_token"].as_str().map(str::to_owned);
            if let Some(token) = &token {
                headers.push(("x-amz-security-token".into(), token.clone()));
            }
            headers.push((
                "authorization".into(),
                read(&dir.join("authorization.txt")).trim().to_owned(),
            ));
            let request = Incoming {
                method: "POST".into(),
                path: "/".into(),
                query: String::new(),
                headers,
                body: Bytes::from(text("body")),
            };
            let api = SnsApi::new(SnsCredentials {
                access_key_id: text("access_key_id"),
                secret_access_key: text("secret_access_key"),
                session_token: token,
                region: text("region"),
            });
            let send = api
                .verify(&request, unix + 30)
                .unwrap_or_else(|r| panic!("{case}: {}", String::from_utf8_lossy(&r.body)));
            assert_eq!(send.numbers.len(), 1, "{case}");
            // The same request, one bit of the signature off.
            let mut flipped = request.clone();
            for (name, value) in &mut flipped.headers {
                if name == "authorization" {
                    let last = value.pop().unwrap();
                    value.push(if last == '0' { '1' } else { '0' });
                }
            }
            assert_eq!(
                code(&api.verify(&flipped, unix).unwrap_err()),
                (403, "SignatureDoesNotMatch".into()),
                "{case}"
            );
        }
    }

    #[test]
    fn debug_never_shows_the_secrets() {
        let api = with_token();
        let printed = format!("{api:?}");
        assert!(!printed.contains("simulator-aws-secret"), "{printed}");
        assert!(!printed.contains("IQoJ"), "{printed}");
        assert_eq!(
            api.credentials()["sessionToken"],
            "IQoJb3JpZ2luX2VjEXAMPLE//token+with/slashes=="
        );
        assert!(
            SnsApi::new(SnsCredentials::default())
                .credentials()
                .get("sessionToken")
                .is_none()
        );
    }
}
