//! Secrets never leak: every error path, with a provider that echoes the auth token back.
//! Its own test binary, so that the log capture sees every span (tracing caches callsite
//! interest per process, and other tests running on other threads would race it).
#![allow(clippy::unwrap_used, reason = "test helpers fail loudly")]

use connector_kit::testing::{CannedResponse, CaptureServer};
use connector_kit::{ConnectorFactory, SendMessageData, TemplateType};
use connector_twilio_sms::factory;
use serde_json::{Value, json};

const TOKEN: &str = "twilio-token-SECRET-5f3a";

fn config(endpoint: &str) -> Value {
    json!({
        "accountSID": "AC0123456789abcdef0123456789abcdef",
        "authToken": TOKEN,
        "fromMessagingServiceSID": "MG0123456789abcdef0123456789abcdef",
        "templates": [
            {"usageType": "SignIn", "content": "Sign-in code: {{code}}"},
            {"usageType": "Register", "content": "Welcome! Code {{ code }}"},
            {"usageType": "ForgotPassword", "content": "Reset code {{code}}"},
            {"usageType": "Generic", "content": "Your code is {{code}}."},
        ],
        "endpoint": endpoint,
    })
}

/// The token appears in no error message, Debug form, details, dry-run output or log line.
#[tokio::test]
async fn the_auth_token_never_leaks() {
    let (logs, _guard) = connector_kit::testing::capture_logs();
    let echo = format!("request had password {TOKEN}");
    let answers = [
        CannedResponse::json(
            401,
            json!({"code": 20003, "message": echo, "status": 401}).to_string(),
        ),
        CannedResponse::json(
            429,
            json!({"code": 20429, "message": echo, "status": 429}).to_string(),
        ),
        CannedResponse::json(
            400,
            json!({"code": 21211, "message": echo, "status": 400}).to_string(),
        ),
        CannedResponse::json(500, format!("<html>{echo}</html>")),
        CannedResponse::json(201, format!("{{\"sid\": \"{echo}")),
        CannedResponse::json(201, json!({"status": echo}).to_string()),
    ];
    let mut seen = Vec::new();
    for answer in answers {
        let server = CaptureServer::start(answer).await.unwrap();
        let connector = factory().create(&config(server.origin())).unwrap();
        let error = connector
            .send_message(&SendMessageData::code(
                "+14155550100",
                TemplateType::SignIn,
                "1",
            ))
            .await
            .unwrap_err();
        seen.push(format!(
            "{error}\n{error:?}\n{}\n{:?}",
            serde_json::to_string(error.details()).unwrap(),
            connector
        ));
        let dry_run = connector
            .prepare(&SendMessageData::code(
                "+14155550100",
                TemplateType::SignIn,
                "1",
            ))
            .unwrap();
        seen.push(format!("{dry_run}\n{dry_run:?}"));
    }
    let refused = factory().create(&config("http://127.0.0.1:9")).unwrap();
    let error = refused
        .send_message(&SendMessageData::code(
            "+14155550100",
            TemplateType::SignIn,
            "1",
        ))
        .await
        .unwrap_err();
    seen.push(format!("{error}\n{error:?}"));
    let logged = logs.contents();
    assert!(logged.contains("sms_send"), "sends are logged: {logged}");
    assert!(
        logged.contains("+*******0100"),
        "the number is masked: {logged}"
    );
    for text in seen.iter().chain([&logged]) {
        assert!(!text.contains(TOKEN), "leaked in: {text}");
    }
}
