//! The kit's contract suite, run against the Tencent Cloud SMS connector. Its own test binary,
//! so that the suite's log capture sees every span.

use connector_kit::ConnectorErrorCode;
use connector_kit::testing::{CannedResponse, Contract, run_contract};
use connector_tencent_sms::Tencent;
use serde_json::json;

#[tokio::test]
async fn tencent_keeps_the_contract() {
    run_contract::<Tencent>(Contract {
        config: json!({
            "accessKeyId": "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
            "accessKeySecret": "tencent-key-SECRET-7c1e",
            "signName": "腾讯云",
            "sdkAppId": "1400006666",
            "region": "ap-guangzhou",
            "templates": [
                {"usageType": "SignIn", "templateCode": "1110"},
                {"usageType": "Register", "templateCode": "1111"},
                {"usageType": "ForgotPassword", "templateCode": {"china": "1112", "overseas": "2112"}},
                {"usageType": "Generic", "templateCode": "1113"},
            ],
        }),
        to: "+8613800138000",
        success: CannedResponse::json(
            200,
            json!({
                "Response": {
                    "SendStatusSet": [{
                        "SerialNo": "5000:1045710669157053657849499619",
                        "PhoneNumber": "+8613800138000",
                        "Fee": 1,
                        "SessionContext": "",
                        "Code": "Ok",
                        "Message": "send success",
                        "IsoCode": "CN",
                    }],
                    "RequestId": "a0aabda6-cf91-4f3e-a81f-9198114a2279",
                }
            })
            .to_string(),
        ),
        rejection: |message| {
            CannedResponse::json(
                200,
                json!({
                    "Response": {
                        "Error": {"Code": "AuthFailure.SignatureFailure", "Message": message},
                        "RequestId": "ed93f3cb-f35e-473f-b9f3-0d451b8b79c6",
                    }
                })
                .to_string(),
            )
        },
        rejection_code: ConnectorErrorCode::InvalidConfig,
        snapshots: concat!(env!("CARGO_MANIFEST_DIR"), "/tests/snapshots"),
    })
    .await;
}
