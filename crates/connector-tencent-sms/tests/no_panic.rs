//! No input makes the connector panic: any phone number, payload value or answer body ends in
//! a request or an error.
#![allow(clippy::unwrap_used, reason = "test helpers fail loudly")]

use connector_kit::{HttpResponse, RequestContext, SendMessageData, TemplateType};
use connector_tencent_sms::TencentConnector;
use connector_tencent_sms::request::{is_mainland, normalize_phone};
use connector_tencent_sms::response::parse_response;
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
    fn normalized_numbers_are_e164(to in "\\PC{0,20}|[+0-9]{0,18}") {
        if let Ok(number) = normalize_phone(&to) {
            prop_assert!(number.starts_with('+'));
            prop_assert!(number[1..].bytes().all(|b| b.is_ascii_digit()));
            prop_assert!((8..=16).contains(&number.len()));
            prop_assert_eq!(normalize_phone(&number).unwrap(), number.clone());
            if number.starts_with("+86") {
                prop_assert!(is_mainland(&number));
            }
        }
    }

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

    #[test]
    fn any_answer_parses_or_fails_cleanly(status in 100u16..600, body in proptest::collection::vec(any::<u8>(), 0..200)) {
        let data = SendMessageData::code("13800138000", TemplateType::SignIn, "1");
        let response = HttpResponse { status, headers: Vec::new(), body };
        prop_assert!(parse_response(&data, &response).is_err());
    }
}
