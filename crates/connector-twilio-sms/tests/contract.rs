//! The kit's contract suite, run against the Twilio connector. Its own test binary, so that
//! the suite's log capture sees every span.

use connector_kit::ConnectorErrorCode;
use connector_kit::testing::{CannedResponse, Contract, run_contract};
use connector_twilio_sms::Twilio;
use serde_json::json;

#[tokio::test]
async fn twilio_keeps_the_contract() {
    run_contract::<Twilio>(Contract {
        config: json!({
            "accountSID": "AC0123456789abcdef0123456789abcdef",
            "authToken": "twilio-token-SECRET-5f3a",
            "fromMessagingServiceSID": "MG0123456789abcdef0123456789abcdef",
            "templates": [
                {"usageType": "SignIn", "content": "Sign-in code: {{code}}"},
                {"usageType": "Register", "content": "Welcome! Code {{ code }}"},
                {"usageType": "ForgotPassword", "content": "Reset code {{code}}"},
                {"usageType": "Generic", "content": "Your code is {{code}}."},
            ],
        }),
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
    })
    .await;
}
