//! Property tests: no Aliyun-shaped answer makes the parser panic, and every message, however
//! odd its characters, reaches Aliyun intact with a signature that recomputes from what was
//! sent. (Phone routing's properties are unit tests of `request.rs`; arbitrary bodies are the
//! contract suite's.)
#![allow(clippy::unwrap_used, reason = "tests")]

use connector_aliyun_sms::sign::{percent_encode, sign};
use connector_aliyun_sms::{Aliyun, AliyunConnector};
use connector_kit::testing::form_pairs;
use connector_kit::{
    HttpMethod, HttpResponse, Provider, RequestContext, SendMessageData, TemplateType,
};
use proptest::prelude::*;
use serde_json::{Value, json};

const SECRET: &str = "aliyun-secret-SECRET-9c2e";

fn connector(sign_name: &str) -> AliyunConnector {
    AliyunConnector::from_json(&json!({
        "accessKeyId": "LTAI5tTestAccessKeyId",
        "accessKeySecret": SECRET,
        "signName": sign_name,
        "templates": [
            {"usageType": "SignIn", "templateCode": "SMS_1"},
            {"usageType": "Register", "templateCode": "SMS_2"},
            {"usageType": "ForgotPassword", "templateCode": "SMS_3"},
            {"usageType": "Generic", "templateCode": {"china": "SMS_4", "overseas": "SMS_5"}},
        ],
    }))
    .unwrap()
}

/// Text heavy in the characters Aliyun's encoding treats specially.
fn tricky_text(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just(" ".to_owned()),
            Just("*".to_owned()),
            Just("~".to_owned()),
            Just("+".to_owned()),
            Just("%".to_owned()),
            Just("%20".to_owned()),
            Just("&".to_owned()),
            Just("=".to_owned()),
            Just("\"".to_owned()),
            Just("\\".to_owned()),
            Just("阿里云".to_owned()),
            Just("😀".to_owned()),
            "\\PC{0,4}",
        ],
        0..max,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #[test]
    fn encoding_leaves_only_unreserved_characters_and_escapes(text in "\\PC{0,40}") {
        let encoded = percent_encode(&text);
        prop_assert!(encoded
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.~%".contains(&b)));
    }

    #[test]
    fn any_message_arrives_intact_and_its_signature_recomputes(
        // An empty code is refused before any request, and a sign name must be filled in.
        code in tricky_text(12).prop_filter("a code", |s| !s.trim().is_empty()),
        sign_name in tricky_text(6).prop_filter("filled in", |s| !s.trim().is_empty()),
        extra in tricky_text(8),
    ) {
        let connector = connector(&sign_name);
        let mut data = SendMessageData::code("+85291234567", TemplateType::SignIn, code.clone());
        data.payload.extra.insert("extra".into(), Value::String(extra.clone()));
        let request = connector
            .prepare_with(&data, &RequestContext::fixed(1_700_000_000, "n"))
            .unwrap();
        let body = String::from_utf8(request.body).unwrap();
        prop_assert!(!body.contains(SECRET));
        let fields = form_pairs(body.as_bytes());
        let get = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
        prop_assert_eq!(get("SignName").unwrap(), sign_name);
        let param: Value = serde_json::from_str(&get("TemplateParam").unwrap()).unwrap();
        prop_assert_eq!(param, json!({"code": code, "extra": extra}));
        let params: Vec<(String, String)> =
            fields.iter().filter(|(k, _)| k != "Signature").cloned().collect();
        let signed = sign(HttpMethod::Post, params, SECRET);
        prop_assert_eq!(signed.signature.as_str(), get("Signature").unwrap());
        prop_assert_eq!(signed.form(), body);
    }

    #[test]
    fn parsing_any_json_object_never_panics(
        status in 100u16..600,
        code in prop_oneof![Just(Value::from("OK")), Just(Value::from("isv.BUSINESS_LIMIT_CONTROL")), Just(Value::Null), Just(json!(7)), "\\PC{0,20}".prop_map(Value::from)],
        biz_id in prop_oneof![Just(Value::Null), Just(json!([])), "\\PC{0,20}".prop_map(Value::from)],
        message in "\\PC{0,80}",
    ) {
        let body = json!({"Code": code, "BizId": biz_id, "Message": message}).to_string();
        let _ = Aliyun::parse_response(&HttpResponse::new(status, body));
    }
}
