//! The kit's contract suite, run against the Aliyun connector. Its own test binary, so that
//! the suite's log capture sees every span.

use connector_aliyun_sms::Aliyun;
use connector_kit::ConnectorErrorCode;
use connector_kit::testing::{CannedResponse, Contract, run_contract};
use serde_json::json;

#[tokio::test]
async fn aliyun_keeps_the_contract() {
    run_contract::<Aliyun>(Contract {
        config: json!({
            "accessKeyId": "LTAI5tTestAccessKeyId",
            "accessKeySecret": "aliyun-secret-SECRET-9c2e",
            "signName": "阿里云短信测试",
            "templates": [
                {"usageType": "SignIn", "templateCode": {"china": "SMS_CN_SIGNIN", "overseas": "SMS_INTL_SIGNIN"}, "type": 2},
                {"usageType": "Register", "templateCode": "SMS_REGISTER", "type": 2},
                {"usageType": "ForgotPassword", "templateCode": "SMS_RESET"},
                {"usageType": "Generic", "templateCode": {"china": "SMS_CN_GENERIC", "overseas": "SMS_INTL_GENERIC"}},
            ],
        }),
        to: "+8613800138000",
        success: CannedResponse::json(
            200,
            json!({
                "Message": "OK",
                "RequestId": "F655A8D5-B967-440B-8683-DAD6FF8DE990",
                "Code": "OK",
                "BizId": "900619746936498440^0",
            })
            .to_string(),
        ),
        rejection: |message| {
            CannedResponse::json(
                400,
                json!({
                    "RequestId": "7A5D6C3E-1F0B-4C2A-9E8D-2B1A0C9D8E7F",
                    "HostId": "dysmsapi.aliyuncs.com",
                    "Code": "SignatureDoesNotMatch",
                    "Message": message,
                    "Recommend": "https://api.aliyun.com/troubleshoot?q=SignatureDoesNotMatch&product=Dysmsapi",
                })
                .to_string(),
            )
        },
        rejection_code: ConnectorErrorCode::InvalidConfig,
        snapshots: concat!(env!("CARGO_MANIFEST_DIR"), "/tests/snapshots"),
    })
    .await;
}
