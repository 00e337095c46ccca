//! The SecretKey never leaks: every error path, with a provider that echoes it back.
//! Its own test binary, so that the log capture sees every span (tracing caches callsite
//! interest per process, and other tests running on other threads would race it).
#![allow(clippy::unwrap_used, reason = "test helpers fail loudly")]

use connector_kit::testing::{CannedResponse, CaptureServer};
use connector_kit::{ConnectorFactory, SendMessageData, TemplateType};
use connector_tencent_sms::factory;
use serde_json::{Value, json};

const SECRET_KEY: &str = "tencent-key-SECRET-7c1e";

fn config(endpoint: &str) -> Value {
    json!({
        "accessKeyId": "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
        "accessKeySecret": SECRET_KEY,
        "signName": "腾讯云",
        "sdkAppId": "1400006666",
        "region": "ap-guangzhou",
        "templates": [
            {"usageType": "SignIn", "templateCode": "1110"},
            {"usageType": "Register", "templateCode": "1111"},
            {"usageType": "ForgotPassword", "templateCode": "1112"},
            {"usageType": "Generic", "templateCode": "1113"},
        ],
        "endpoint": endpoint,
    })
}

fn message() -> SendMessageData {
    SendMessageData::code("13800138000", TemplateType::SignIn, "1")
}

/// The key appears in no error message, Debug form, details, dry-run output or log line.
#[tokio::test]
async fn the_secret_key_never_leaks() {
    let (logs, _guard) = connector_kit::testing::capture_logs();
    let echo = format!("request signed with {SECRET_KEY}");
    let error = |code: &str| {
        json!({"Response": {"Error": {"Code": code, "Message": echo}, "RequestId": "r"}})
            .to_string()
    };
    let status = |code: &str| {
        json!({"Response": {
            "SendStatusSet": [{"PhoneNumber": "+8613800138000", "Code": code, "Message": echo, "SerialNo": ""}],
            "RequestId": "r",
        }})
        .to_string()
    };
    let answers = [
        CannedResponse::json(200, error("AuthFailure.SignatureFailure")),
        CannedResponse::json(200, error("RequestLimitExceeded")),
        CannedResponse::json(200, status("LimitExceeded.PhoneNumberDailyLimit")),
        CannedResponse::json(200, status("FailedOperation.ContainSensitiveWord")),
        CannedResponse::json(500, format!("<html>{echo}</html>")),
        CannedResponse::json(200, format!("{{\"Response\": \"{echo}")),
    ];
    let mut seen = Vec::new();
    for answer in answers {
        let server = CaptureServer::start(answer).await.unwrap();
        let connector = factory().create(&config(server.origin())).unwrap();
        let error = connector.send_message(&message()).await.unwrap_err();
        seen.push(format!(
            "{error}\n{error:?}\n{}\n{connector:?}",
            serde_json::to_string(error.details()).unwrap(),
        ));
        let dry_run = connector.prepare(&message()).unwrap();
        seen.push(format!("{dry_run}\n{dry_run:?}"));
        for request in server.requests() {
            seen.push(format!("{request:?}"));
        }
    }
    let refused = factory().create(&config("http://127.0.0.1:9")).unwrap();
    let error = refused.send_message(&message()).await.unwrap_err();
    seen.push(format!("{error}\n{error:?}"));
    let logged = logs.contents();
    assert!(logged.contains("sms_send"), "sends are logged: {logged}");
    assert!(
        logged.contains("*******8000") && !logged.contains("13800138000"),
        "the number is masked: {logged}"
    );
    for text in seen.iter().chain([&logged]) {
        assert!(!text.contains(SECRET_KEY), "leaked in: {text}");
    }
}
