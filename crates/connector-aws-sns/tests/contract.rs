//! The kit's contract suite, run against the AWS SNS connector. Its own test binary, so that
//! the suite's log capture sees every span.

use connector_aws_sns::Sns;
use connector_kit::ConnectorErrorCode;
use connector_kit::testing::{CannedResponse, Contract, run_contract};
use serde_json::json;

#[tokio::test]
async fn sns_keeps_the_contract() {
    run_contract::<Sns>(Contract {
        config: json!({
            "accessKeyId": "AKIAIOSFODNN7EXAMPLE",
            "secretAccessKey": "aws-secret-SECRET-5f3a",
            "sessionToken": "aws-session-token-SECRET-77c1",
            "region": "us-east-1",
            "templates": [
                {"usageType": "SignIn", "content": "Sign-in code: {{code}}"},
                {"usageType": "Register", "content": "Welcome! Code {{ code }}"},
                {"usageType": "ForgotPassword", "content": "Reset code {{code}}"},
                {"usageType": "Generic", "content": "Your code is {{code}}."},
            ],
        }),
        to: "+14155550100",
        success: CannedResponse::xml(
            200,
            r#"<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>567910cd-659e-55d4-8ccb-5aaf14679dc0</MessageId></PublishResult><ResponseMetadata><RequestId>d74b8436-ae13-5ab4-a9ff-ce54dfea72a0</RequestId></ResponseMetadata></PublishResponse>"#,
        ),
        rejection: |message| {
            let message = message
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;");
            CannedResponse::xml(
                403,
                format!(
                    r#"<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Sender</Type><Code>SignatureDoesNotMatch</Code><Message>{message}</Message></Error><RequestId>r-1</RequestId></ErrorResponse>"#
                ),
            )
        },
        rejection_code: ConnectorErrorCode::InvalidConfig,
        snapshots: concat!(env!("CARGO_MANIFEST_DIR"), "/tests/snapshots"),
    })
    .await;
}
