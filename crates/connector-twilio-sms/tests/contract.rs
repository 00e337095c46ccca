//! The kit's contract suite, run against the Twilio connector. Its own test binary, so that
//! the suite's log capture sees every span.

use connector_kit::ConnectorErrorCode;
use connector_kit::testing::{CannedResponse, Contract, run_contract};
use connector_twilio_sms::Twilio;
use serde_json::json;

/// A Logto config (auth token, Messaging Service) and one with the additions (an API key,
/// `from`), one after the other in one test so the suite's log capture stays its own.
#[tokio::test]
async fn twilio_keeps_the_contract() {
    let logto = json!({
        "accountSID": "AC0123456789abcdef0123456789abcdef",
        "authToken": "twilio-token-SECRET-5f3a",
        "fromMessagingServiceSID": "MG0123456789abcdef0123456789abcdef",
        "templates": templates(),
    });
    let api_key = json!({
        "accountSID": "AC0123456789abcdef0123456789abcdef",
        "apiKeySID": "SK0123456789abcdef0123456789abcdef",
        "apiKeySecret": "twilio-key-SECRET-9c1d",
        "from": "+15017122661",
        "templates": templates(),
    });
    for config in [logto, api_key] {
        run_contract::<Twilio>(contract(config)).await;
    }
}

fn templates() -> serde_json::Value {
    json!([
        {"usageType": "SignIn", "content": "Sign-in code: {{code}}"},
        {"usageType": "Register", "content": "Welcome! Code {{ code }}"},
        {"usageType": "ForgotPassword", "content": "Reset code {{code}}"},
        {"usageType": "Generic", "content": "Your code is {{code}}."},
    ])
}

fn contract(config: serde_json::Value) -> Contract {
    Contract {
        config,
        to: "+14155550100",
        success: CannedResponse::json(
            201,
            json!({"sid": "SM0123456789abcdef0123456789abcdef", "status": "accepted"}).to_string(),
        ),
        rejection: |message| {
            CannedResponse::json(
                401,
                json!({"code": 20003, "message": message, "status": 401}).to_string(),
            )
        },
        rejection_code: ConnectorErrorCode::InvalidConfig,
        snapshots: concat!(env!("CARGO_MANIFEST_DIR"), "/tests/snapshots"),
    }
}
