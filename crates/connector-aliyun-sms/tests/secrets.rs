//! Nothing private leaks: not the AccessKey secret (even when a provider echoes it back), and
//! not the verification code or the full phone number in errors or logs.
//! Its own test binary, so that the log capture sees every span (tracing caches callsite
//! interest per process, and other tests running on other threads would race it).
#![allow(clippy::unwrap_used, reason = "test helpers fail loudly")]

use connector_aliyun_sms::factory;
use connector_kit::testing::{CannedResponse, CaptureServer};
use connector_kit::{ConnectorFactory, SendMessageData, TemplateType};
use serde_json::{Value, json};

const SECRET: &str = "aliyun-secret-SECRET-9c2e";
const CODE: &str = "735194";
const PHONE: &str = "+8613912345678";

fn config(endpoint: &str) -> Value {
    json!({
        "accessKeyId": "LTAI5tTestAccessKeyId",
        "accessKeySecret": SECRET,
        "signName": "阿里云短信测试",
        "templates": [
            {"usageType": "SignIn", "templateCode": "SMS_1"},
            {"usageType": "Register", "templateCode": "SMS_2"},
            {"usageType": "ForgotPassword", "templateCode": "SMS_3"},
            {"usageType": "Generic", "templateCode": {"china": "SMS_4", "overseas": "SMS_5"}},
        ],
        "endpoint": endpoint,
    })
}

fn message(to: &str) -> SendMessageData {
    SendMessageData::code(to, TemplateType::SignIn, CODE)
}

/// The secret appears in no error message, Debug form, details, dry-run output or log line;
/// the code and the full number appear in no error and no log line.
#[tokio::test]
async fn nothing_private_leaks() {
    let (logs, _guard) = connector_kit::testing::capture_logs();
    let echo = format!("request had secret {SECRET}");
    let string_to_sign = format!(
        "Specified signature is not matched with our calculation. server string to sign is:POST&%2F&PhoneNumbers%3D13912345678%26TemplateParam%3D%257B%2522code%2522%253A%2522{CODE}%2522%257D {SECRET}"
    );
    let answers = [
        CannedResponse::json(
            400,
            json!({"Code": "SignatureDoesNotMatch", "Message": string_to_sign, "RequestId": "R1"})
                .to_string(),
        ),
        CannedResponse::json(
            200,
            json!({"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": echo, "RequestId": "R2"})
                .to_string(),
        ),
        CannedResponse::json(
            404,
            json!({"Code": "InvalidAccessKeyId.NotFound", "Message": echo, "Recommend": echo})
                .to_string(),
        ),
        CannedResponse::json(500, format!("<html>{echo}</html>")),
        CannedResponse::json(200, format!("{{\"Code\": \"{echo}")),
        CannedResponse::json(200, json!({"Code": "OK", "Message": echo}).to_string()),
    ];
    let mut errors = Vec::new();
    let mut dry_runs = Vec::new();
    for answer in answers {
        let server = CaptureServer::start(answer).await.unwrap();
        let connector = factory().create(&config(server.origin())).unwrap();
        let error = connector.send_message(&message(PHONE)).await.unwrap_err();
        errors.push(format!(
            "{error}\n{error:?}\n{}\n{:?}",
            serde_json::to_string(error.details()).unwrap(),
            connector
        ));
        let dry_run = connector.prepare(&message(PHONE)).unwrap();
        dry_runs.push(format!("{dry_run}\n{dry_run:?}"));
    }
    let connector = factory().create(&config("http://127.0.0.1:9")).unwrap();
    for to in [PHONE, "+86 139 1234 5678", "13912345678x"] {
        let error = connector.send_message(&message(to)).await.unwrap_err();
        errors.push(format!("{error}\n{error:?}"));
    }
    let logged = logs.contents();
    assert!(logged.contains("sms_send"), "sends are logged: {logged}");
    assert!(
        logged.contains("+*********5678"),
        "the number is masked: {logged}"
    );
    for text in errors.iter().chain(&dry_runs).chain([&logged]) {
        assert!(!text.contains(SECRET), "secret leaked in: {text}");
    }
    for text in errors.iter().chain([&logged]) {
        assert!(!text.contains(CODE), "code leaked in: {text}");
        assert!(!text.contains("13912345678"), "number leaked in: {text}");
    }
}
