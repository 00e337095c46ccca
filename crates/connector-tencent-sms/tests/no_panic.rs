//! No message makes the request builder panic: any phone number, code or payload value ends
//! in a request or an error. (Arbitrary answer bodies are the contract suite's; the phone
//! number property is a unit test of `request.rs`.)
#![allow(clippy::unwrap_used, reason = "test helpers fail loudly")]

use connector_kit::{RequestContext, SendMessageData, TemplateType};
use connector_tencent_sms::TencentConnector;
use proptest::prelude::*;
use serde_json::json;

fn connector() -> TencentConnector {
    TencentConnector::from_json(&json!({
        "accessKeyId": "AKIDexample",
        "accessKeySecret": "secret-key",
        "signName": "腾讯云",
        "sdkAppId": "1400006666",
        "region": "ap-guangzhou",
        "templates": [
            {"usageType": "SignIn", "templateCode": "1"},
            {"usageType": "Register", "templateCode": "2"},
            {"usageType": "ForgotPassword", "templateCode": "3"},
            {"usageType": "Generic", "templateCode": {"china": "4", "overseas": "5"}, "params": ["code", "x"]},
        ],
    }))
    .unwrap()
}

proptest! {
    #[test]
    fn any_message_builds_or_fails_cleanly(
        to in "[+0-9]{0,16}",
        code in "\\PC{0,12}",
        x in prop_oneof![
            Just(json!(null)),
            any::<i64>().prop_map(|n| json!(n)),
            any::<bool>().prop_map(|b| json!(b)),
            "\\PC{0,8}".prop_map(|s| json!(s)),
            Just(json!({"a": [1]})),
        ],
    ) {
        let mut data = SendMessageData::code(to, TemplateType::MfaVerification, code);
        data.payload.extra.insert("x".into(), x);
        let _ = connector().prepare_with(&data, &RequestContext::fixed(0, "n"));
    }
}
