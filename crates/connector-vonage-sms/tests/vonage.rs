//! What is Vonage's own: its config rules, the signer stage by stage against the official
//! SDK's vectors, the built request, and the form fields and status mapping of a send over
//! loopback HTTP. What every connector does is in `contract.rs`.
#![allow(clippy::unwrap_used, reason = "test helpers fail loudly")]

use std::path::{Path, PathBuf};

use connector_kit::testing::{CannedResponse, CaptureServer, form_pairs};
use connector_kit::{
    ConnectorErrorCode, ConnectorFactory, Delivery, RequestContext, SendMessageData, TemplateType,
};
use connector_vonage_sms::sign::{Signature, StringToSign};
use connector_vonage_sms::{SignatureMethod, VonageConnector, factory};
use serde_json::{Value, json};

const KEY: &str = "a1b2c3d4";
const API_SECRET: &str = "vonage-api-SECRET-5f3a";
const SIGNATURE_SECRET: &str = "Vonage-Signature-Secret-5f3a";

fn config(endpoint: &str) -> Value {
    json!({
        "apiKey": KEY,
        "apiSecret": API_SECRET,
        "from": "AcmeCorp",
        "templates": [
            {"usageType": "SignIn", "content": "Sign-in code: {{code}}"},
            {"usageType": "Register", "content": "Welcome! Code {{ code }}"},
            {"usageType": "ForgotPassword", "content": "Reset code {{code}}"},
            {"usageType": "Generic", "content": "Your code is {{code}}. {{link}}"},
        ],
        "endpoint": endpoint,
    })
}

/// The config signing with the signature secret instead of sending the API secret.
fn signed_config(endpoint: &str, method: SignatureMethod) -> Value {
    let mut c = config(endpoint);
    let object = c.as_object_mut().unwrap();
    object.remove("apiSecret");
    object.insert("signatureSecret".into(), json!(SIGNATURE_SECRET));
    object.insert("signatureMethod".into(), json!(method.as_str()));
    c
}

fn problems(config: &Value) -> Vec<String> {
    connector_kit::testing::problems(&factory(), config)
}

// ------------------------------------------------------------------ signature vectors

/// Every case directory; `every_vector_directory_has_a_test` keeps this list honest.
const CASES: [&str; 6] = [
    "sdk-hmac-md5-text",
    "sdk-hmac-sha1-text",
    "sdk-hmac-sha256-unicode",
    "sdk-hmac-sha512-unicode",
    "sdk-md5hash-text",
    "sdk-md5hash-unicode",
];

fn vectors() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors")
}

fn expected(case: &str, file: &str) -> String {
    let path = vectors().join(case).join(file);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{case}: cannot read {}: {e}", path.display()));
    text.strip_suffix('\n').unwrap_or(&text).to_owned()
}

fn method_named(name: &str) -> SignatureMethod {
    SignatureMethod::ALL
        .into_iter()
        .find(|m| m.as_str() == name)
        .unwrap_or_else(|| panic!("unknown method {name}"))
}

fn vector_input(case: &str) -> (SignatureMethod, String, Vec<(String, String)>) {
    let input: Value = serde_json::from_str(&expected(case, "input.json")).unwrap();
    let params = input["params"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
        .collect();
    (
        method_named(input["method"].as_str().unwrap()),
        input["secret"].as_str().unwrap().to_owned(),
        params,
    )
}

fn run_case(case: &str) {
    let (method, secret, params) = vector_input(case);
    assert!(
        params.iter().all(|(k, _)| k != "sig"),
        "{case}: input.json must not hold sig"
    );
    let string_to_sign = StringToSign::new(params.iter().map(|(k, v)| (k, v)));
    assert_eq!(
        string_to_sign.as_str(),
        expected(case, "string-to-sign.txt"),
        "{case}: stage 1, string to sign"
    );
    let signature = Signature::compute(method, &string_to_sign, &secret);
    assert_eq!(
        signature.as_str(),
        expected(case, "signature.txt"),
        "{case}: stage 2, signature ({})",
        method.as_str()
    );
}

#[test]
fn sdk_hmac_md5_text() {
    run_case("sdk-hmac-md5-text");
}

#[test]
fn sdk_hmac_sha1_text() {
    run_case("sdk-hmac-sha1-text");
}

#[test]
fn sdk_hmac_sha256_unicode() {
    run_case("sdk-hmac-sha256-unicode");
}

#[test]
fn sdk_hmac_sha512_unicode() {
    run_case("sdk-hmac-sha512-unicode");
}

#[test]
fn sdk_md5hash_text() {
    run_case("sdk-md5hash-text");
}

#[test]
fn sdk_md5hash_unicode() {
    run_case("sdk-md5hash-unicode");
}

#[test]
fn every_vector_directory_has_a_test() {
    let mut found: Vec<String> = std::fs::read_dir(vectors())
        .unwrap()
        .map(|entry| entry.unwrap())
        .filter(|entry| entry.file_type().unwrap().is_dir())
        .map(|entry| entry.file_name().into_string().unwrap())
        .collect();
    found.sort();
    assert_eq!(found, CASES);
    let sources = std::fs::read_to_string(vectors().join("SOURCE.md")).unwrap();
    for case in CASES {
        assert!(
            sources.contains(&format!("## {case}")),
            "SOURCE.md has no section for {case}"
        );
    }
}

/// The connector's own request, built for the vector's message, time and secret, carries
/// exactly the vector's parameters and signature: the builder signs what the SDK signs.
#[test]
fn built_requests_carry_the_vectors_signatures() {
    for (case, usage, link) in [
        (
            "sdk-md5hash-text",
            TemplateType::Generic,
            "https://example.com/?a=b&c=d",
        ),
        ("sdk-hmac-sha256-unicode", TemplateType::SignIn, ""),
    ] {
        let (method, _, params) = vector_input(case);
        let mut c = signed_config("https://rest.nexmo.com", method);
        c["templates"][0]["content"] = json!("您的验证码是 {{code}}，10 分钟内有效。");
        let connector = VonageConnector::from_json(&c).unwrap();
        let mut data = SendMessageData::code("+447700900000", usage, "123456");
        if !link.is_empty() {
            data.payload.link = Some(link.into());
        }
        let timestamp: u64 = params
            .iter()
            .find(|(k, _)| k == "timestamp")
            .unwrap()
            .1
            .parse()
            .unwrap();
        let request = connector
            .prepare_with(&data, &RequestContext::fixed(timestamp, "n"))
            .unwrap();
        let mut sent = form_pairs(&request.body);
        let sig = sent.pop().unwrap();
        assert_eq!(
            sig,
            ("sig".to_owned(), expected(case, "signature.txt")),
            "{case}"
        );
        sent.sort();
        let mut want = params.clone();
        want.sort();
        assert_eq!(
            sent, want,
            "{case}: the signed parameters are the ones sent"
        );
    }
}

// ------------------------------------------------------------------ config

#[test]
fn either_secret_is_enough_and_one_is_needed() {
    factory()
        .validate_config(&config("https://rest.nexmo.com"))
        .unwrap();
    factory()
        .validate_config(&signed_config(
            "https://rest.nexmo.com",
            SignatureMethod::Sha512,
        ))
        .unwrap();
    let mut neither = config("https://rest.nexmo.com");
    neither.as_object_mut().unwrap().remove("apiSecret");
    assert_eq!(
        problems(&neither),
        ["/: needs an API secret (apiSecret) or a signature secret (signatureSecret)"]
    );
    // A blank secret does not count as set.
    let mut blank = neither.clone();
    blank["signatureSecret"] = json!("  ");
    assert_eq!(
        problems(&blank),
        ["/signatureSecret: must not be only whitespace"]
    );
    let mut null = neither;
    null["apiSecret"] = Value::Null;
    assert_eq!(
        problems(&null),
        ["/apiSecret: expected a string, found null"]
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    let c = json!({
        "apiKey": "<api-key>",
        "apiSecret": "",
        "signatureMethod": "sha3",
        "from": "+0123",
        "templates": [{"usageType": "SignIn", "content": ""}],
        "endpoint": "http://rest.nexmo.com",
        "timeoutMs": 5,
    });
    assert_eq!(
        problems(&c),
        [
            "/apiKey: \"<api-key>\" is a placeholder; replace it with the real value",
            "/apiSecret: must not be empty",
            "/signatureMethod: unknown Signature method \"sha3\"; expected one of md5hash, md5, sha1, sha256, sha512",
            "/from: is not a valid Sender: expected to match ^(?:\\+?[1-9][0-9]{2,14}|[A-Za-z0-9][A-Za-z0-9 ]{0,10})$",
            "/templates/0/content: must not be empty",
            "/templates: missing a template with usageType Register",
            "/templates: missing a template with usageType ForgotPassword",
            "/templates: missing a template with usageType Generic",
            "/endpoint: must be an https:// origin such as https://api.example.com (no path); plain http:// is accepted only for localhost, 127.x.x.x and [::1]",
            "/timeoutMs: must be at least 100",
        ]
    );
}

#[test]
fn senders_numbers_and_alphanumeric_ids() {
    for good in [
        "AcmeCorp",
        "Acme Corp",
        "12345",
        "+447700900000",
        "447700900000",
        "A",
    ] {
        let mut c = config("https://rest.nexmo.com");
        c["from"] = json!(good);
        assert!(factory().validate_config(&c).is_ok(), "{good}");
    }
    for bad in [
        "",
        " ",
        "Acme Corporation",
        "+",
        "Acme-Corp",
        "+44 7700",
        "<sender>",
    ] {
        let mut c = config("https://rest.nexmo.com");
        c["from"] = json!(bad);
        assert_eq!(problems(&c).len(), 1, "{bad}");
    }
}

#[test]
fn debug_output_never_shows_the_secrets() {
    let c = signed_config("https://rest.nexmo.com", SignatureMethod::Md5);
    let mut both = c.clone();
    both["apiSecret"] = json!(API_SECRET);
    let connector = VonageConnector::from_json(&both).unwrap();
    let printed = format!("{connector:?} {:?}", connector.config());
    assert!(!printed.contains(SIGNATURE_SECRET) && !printed.contains(API_SECRET));
}

// ------------------------------------------------------------------ requests

#[test]
fn built_request_snapshot() {
    let connector = VonageConnector::from_json(&config("https://rest.nexmo.com")).unwrap();
    let data = SendMessageData::code("447700900000", TemplateType::MfaVerification, "123456");
    let request = connector
        .prepare_with(&data, &RequestContext::fixed(1_716_193_800, "n"))
        .unwrap();
    let printed = request.to_string();
    assert!(!printed.contains(API_SECRET), "{printed}");
    insta::assert_snapshot!("request", printed);
    let form = form_pairs(&request.body);
    assert_eq!(form[5], ("api_secret".to_owned(), API_SECRET.to_owned()));
}

#[test]
fn signed_request_snapshot_hides_the_signature() {
    let connector = VonageConnector::from_json(&signed_config(
        "https://rest.nexmo.com",
        SignatureMethod::Sha256,
    ))
    .unwrap();
    let data = SendMessageData::code("+447700900000", TemplateType::SignIn, "123456");
    let request = connector
        .prepare_with(&data, &RequestContext::fixed(1_716_193_800, "n"))
        .unwrap();
    let printed = request.to_string();
    insta::assert_snapshot!("request_signed", printed);
    let names: Vec<String> = form_pairs(&request.body)
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    assert_eq!(
        names,
        ["api_key", "from", "to", "text", "type", "timestamp", "sig"]
    );
}

#[test]
fn the_signature_secret_wins_and_the_api_secret_stays_home() {
    // Vonage refuses a request carrying both (status 32), so with both configured the
    // request is signed and the API secret is not sent.
    let mut c = signed_config("https://rest.nexmo.com", SignatureMethod::Md5Hash);
    c["apiSecret"] = json!(API_SECRET);
    let connector = VonageConnector::from_json(&c).unwrap();
    let data = SendMessageData::code("+447700900000", TemplateType::SignIn, "1");
    let body = connector
        .prepare_with(&data, &RequestContext::now())
        .unwrap()
        .body;
    let text = String::from_utf8(body).unwrap();
    assert!(!text.contains("api_secret") && !text.contains(API_SECRET));
    assert!(text.contains("&sig="));
}

#[test]
fn text_type_follows_the_alphabet() {
    let mut c = config("https://rest.nexmo.com");
    c["templates"][0]["content"] = json!("验证码 {{code}}");
    c["from"] = json!("+447700900001");
    let connector = VonageConnector::from_json(&c).unwrap();
    let form = |usage| {
        let data = SendMessageData::code("+447700900000", usage, "123456");
        form_pairs(
            &connector
                .prepare_with(&data, &RequestContext::now())
                .unwrap()
                .body,
        )
    };
    let unicode = form(TemplateType::SignIn);
    assert_eq!(unicode[1].1, "447700900001", "from is sent without +");
    assert_eq!(unicode[3].1, "验证码 123456");
    assert_eq!(unicode[4], ("type".to_owned(), "unicode".to_owned()));
    assert_eq!(form(TemplateType::Register)[4].1, "text");
}

#[test]
fn payload_values_cannot_inject_fields() {
    let connector = VonageConnector::from_json(&config("https://rest.nexmo.com")).unwrap();
    let data = SendMessageData::code(
        "+447700900000",
        TemplateType::Generic,
        "1&to=19999999999&api_key=x",
    );
    let request = connector
        .prepare_with(&data, &RequestContext::now())
        .unwrap();
    let form = form_pairs(&request.body);
    let names: Vec<&str> = form.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        names,
        ["api_key", "from", "to", "text", "type", "api_secret"]
    );
    assert_eq!(form[2].1, "447700900000");
    assert_eq!(
        form[3].1,
        "Your code is 1&to=19999999999&api_key=x. {{link}}"
    );
}

#[test]
fn bad_numbers_are_refused_before_sending() {
    let connector = VonageConnector::from_json(&config("https://rest.nexmo.com")).unwrap();
    for bad in ["", "+44 7700 900000", "phone", "+123"] {
        let data = SendMessageData::code(bad, TemplateType::SignIn, "1");
        let error = connector
            .prepare_with(&data, &RequestContext::now())
            .unwrap_err();
        assert_eq!(
            error.code(),
            ConnectorErrorCode::InvalidRequestParameters,
            "{bad}"
        );
    }
}

// ------------------------------------------------------------------ over HTTP

#[tokio::test]
async fn sends_over_http_and_reads_the_receipt() {
    let server = CaptureServer::start(CannedResponse::json(
        200,
        json!({"message-count": "1", "messages": [{"to": "447700900000", "message-id": "0C000000217B7F02", "status": "0"}]})
            .to_string(),
    ))
    .await
    .unwrap();
    let connector = factory().create(&config(server.origin())).unwrap();
    let mut data = SendMessageData::code("+447700900000", TemplateType::BindMfa, "654321");
    data.payload.link = Some("https://example.com/a?b=c&d=e".into());
    let receipt = connector.send_message(&data).await.unwrap();
    assert_eq!(receipt.message_id, "0C000000217B7F02");

    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, "/sms/json");
    assert_eq!(
        request.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    let expected: Vec<(String, String)> = [
        ("api_key", KEY),
        ("from", "AcmeCorp"),
        ("to", "447700900000"),
        ("text", "Your code is 654321. https://example.com/a?b=c&d=e"),
        ("type", "text"),
        ("api_secret", API_SECRET),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    assert_eq!(request.form(), expected);
}

#[tokio::test]
async fn vonage_statuses_are_mapped_with_details() {
    let cases = [
        ("1", ConnectorErrorCode::RateLimitExceeded, true),
        ("2", ConnectorErrorCode::InvalidRequestParameters, false),
        ("4", ConnectorErrorCode::InvalidConfig, false),
        ("5", ConnectorErrorCode::General, false),
        ("9", ConnectorErrorCode::UsageLimitExceeded, false),
        ("14", ConnectorErrorCode::InvalidConfig, false),
        ("15", ConnectorErrorCode::InvalidConfig, false),
        ("29", ConnectorErrorCode::InvalidRequestParameters, false),
        ("99", ConnectorErrorCode::General, false),
    ];
    for (status, code, retryable) in cases {
        let server = CaptureServer::start(CannedResponse::json(
            200,
            json!({"message-count": "1", "messages": [{"status": status, "error-text": format!("text {status}")}]})
                .to_string(),
        ))
        .await
        .unwrap();
        let connector = factory().create(&config(server.origin())).unwrap();
        let error = connector
            .send_message(&SendMessageData::code(
                "+447700900000",
                TemplateType::SignIn,
                "1",
            ))
            .await
            .unwrap_err();
        assert_eq!(error.code(), code, "{status}");
        assert_eq!(error.is_retryable(), retryable, "{status}");
        assert_eq!(error.details().provider_code.as_deref(), Some(status));
        assert_eq!(
            error.details().provider_message.as_deref(),
            Some(format!("text {status}").as_str())
        );
        assert_eq!(error.details().delivery, Delivery::Answered, "{status}");
        assert!(!format!("{error} {error:?}").contains(API_SECRET));
        // Even a throttled answer is the provider's verdict: never repeated automatically.
        assert_eq!(server.requests().len(), 1, "{status}");
    }
}

#[tokio::test]
async fn an_unreadable_success_may_have_been_sent() {
    for (status, body, delivery) in [
        (200, "{\"message-count\":\"1\",\"messa", Delivery::MaybeSent),
        (200, "<html>ok</html>", Delivery::MaybeSent),
        (502, "<html>bad gateway</html>", Delivery::MaybeSent),
        (400, "{}", Delivery::Answered),
    ] {
        let server = CaptureServer::start(CannedResponse::json(status, body))
            .await
            .unwrap();
        let connector = factory().create(&config(server.origin())).unwrap();
        let error = connector
            .send_message(&SendMessageData::code(
                "+447700900000",
                TemplateType::SignIn,
                "1",
            ))
            .await
            .unwrap_err();
        assert_eq!(error.code(), ConnectorErrorCode::InvalidResponse, "{body}");
        assert_eq!(error.details().delivery, delivery, "{body}");
        assert_eq!(server.requests().len(), 1, "{body}");
    }
}
