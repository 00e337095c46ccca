//! The kit's contract suite, run against the Vonage connector. Its own test binary, so that
//! the suite's log capture sees every span.

use connector_kit::ConnectorErrorCode;
use connector_kit::testing::{CannedResponse, Contract, run_contract};
use connector_vonage_sms::Vonage;
use serde_json::json;

#[tokio::test]
async fn vonage_keeps_the_contract() {
    run_contract::<Vonage>(Contract {
        config: json!({
            "apiKey": "a1b2c3d4",
            "apiSecret": "vonage-api-SECRET-5f3a",
            "signatureSecret": "vonage-signature-SECRET-9c1e",
            "signatureMethod": "sha256",
            "from": "AcmeCorp",
            "templates": [
                {"usageType": "SignIn", "content": "Sign-in code: {{code}}"},
                {"usageType": "Register", "content": "Welcome! Code {{ code }}"},
                {"usageType": "ForgotPassword", "content": "Reset code {{code}}"},
                {"usageType": "Generic", "content": "Your code is {{code}}."},
            ],
        }),
        to: "+447700900000",
        success: CannedResponse::json(
            200,
            json!({"message-count": "1", "messages": [{
                "to": "447700900000", "message-id": "0C000000217B7F02", "status": "0",
                "remaining-balance": "15.53590000", "message-price": "0.03330000", "network": "23410"
            }]})
            .to_string(),
        ),
        rejection: |message| {
            CannedResponse::json(
                200,
                json!({"message-count": "1", "messages": [{"status": "14", "error-text": message}]})
                    .to_string(),
            )
        },
        rejection_code: ConnectorErrorCode::InvalidConfig,
        snapshots: concat!(env!("CARGO_MANIFEST_DIR"), "/tests/snapshots"),
    })
    .await;
}
