//! The kit's contract suite, run against the HTTP connector. Its own test binary, so that
//! the suite's log capture sees every span.

use connector_http_sms::Http;
use connector_kit::ConnectorErrorCode;
use connector_kit::testing::{CannedResponse, Contract, run_contract};
use serde_json::json;

#[tokio::test]
async fn http_keeps_the_contract() {
    run_contract::<Http>(Contract {
        config: json!({
            "headers": {"Authorization": "Bearer http-header-SECRET-71d2"},
            "signingSecret": "whsec_c2lnbmluZy1TRUNSRVQta2V5LWZvci10aGUtY29udHJhY3Q=",
            "messageIdPointer": "/id",
            "templates": [
                {"usageType": "SignIn", "content": "Sign-in code: {{code}}"},
                {"usageType": "Register", "content": "Welcome! Code {{ code }}"},
                {"usageType": "ForgotPassword", "content": "Reset code {{code}}"},
                {"usageType": "Generic", "content": "Your code is {{code}}."},
            ],
        }),
        to: "+14155550100",
        success: CannedResponse::json(
            200,
            json!({"id": "sms_01HZY3QK", "status": "queued"}).to_string(),
        ),
        rejection: |message| {
            CannedResponse::json(403, json!({"error": {"message": message}}).to_string())
        },
        rejection_code: ConnectorErrorCode::InvalidConfig,
        snapshots: concat!(env!("CARGO_MANIFEST_DIR"), "/tests/snapshots"),
    })
    .await;
}
