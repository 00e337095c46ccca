//! TC3-HMAC-SHA256 vectors, stage by stage: canonical request, string to sign, signing key,
//! signature, `Authorization` value. Each assertion names its stage, so a failure says which
//! step diverged. The vectors and where they come from are in `tests/vectors/SOURCE.md`.
#![allow(clippy::unwrap_used, reason = "test helpers fail loudly")]

use std::path::{Path, PathBuf};

use connector_kit::{RequestContext, SendMessageData, TemplateType};
use connector_tencent_sms::TencentConnector;
use connector_tencent_sms::sign::{
    self, Authorization, CanonicalRequest, Credentials, SignedHeaders, SigningInput, SigningKey,
    StringToSign, sign,
};
use serde_json::{Value, json};

/// Every case folder, each run by the test of the same name below.
const CASES: &[&str] = &[
    "documented-example",
    "documented-example-x-tc-action",
    "sdk-sendsms-chinese-sign-name",
    "sdk-sendsms-chinese-sign-name-utf8-body",
];

fn vectors() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors")
}

fn read(case: &str, file: &str) -> String {
    let path = vectors().join(case).join(file);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn text<'a>(input: &'a Value, key: &str) -> &'a str {
    input[key]
        .as_str()
        .unwrap_or_else(|| panic!("input.json has no string {key:?}"))
}

fn hex32(hex_digits: &str) -> [u8; 32] {
    hex::decode(hex_digits).unwrap().try_into().unwrap()
}

fn run_vector(case: &str) {
    let input: Value = serde_json::from_str(&read(case, "input.json")).unwrap();
    assert_eq!(
        text(&input, "method"),
        "POST",
        "{case}: only POST is signed"
    );
    let signed_headers = SignedHeaders::parse(text(&input, "signedHeaders"))
        .unwrap_or_else(|| panic!("{case}: unsupported signedHeaders"));
    let timestamp = input["timestamp"].as_u64().unwrap();
    let service = text(&input, "service");
    let body = text(&input, "body");
    let signing = SigningInput {
        host: text(&input, "host"),
        content_type: text(&input, "contentType"),
        action: text(&input, "action"),
        body: body.as_bytes(),
        timestamp,
        service,
        signed_headers,
    };

    // Stage 1.
    let canonical = CanonicalRequest::new(&signing);
    assert_eq!(
        canonical.to_string(),
        read(case, "canonical-request.txt"),
        "{case}: stage 1, canonical request"
    );

    // Stage 2.
    let string_to_sign = StringToSign::new(timestamp, service, &canonical);
    assert_eq!(
        string_to_sign.to_string(),
        read(case, "string-to-sign.txt"),
        "{case}: stage 2, string to sign"
    );

    // Stage 3. Some published vectors mask the SecretKey but print the derived keys; then the
    // chain is checked from SecretDate on, and the published SecretSigning signs.
    let key = match input["secretKey"].as_str() {
        Some(secret_key) => SigningKey::derive(secret_key, string_to_sign.scope()),
        None => {
            let published = SigningKey::from_bytes(hex32(text(&input, "secretSigningHex")));
            let date_key = hex::decode(text(&input, "secretDateHex")).unwrap();
            assert_eq!(
                sign::key_from_date_key(&date_key, service),
                published,
                "{case}: stage 3, signing key from the published SecretDate"
            );
            published
        }
    };

    // Stage 4.
    let signature = key.sign(&string_to_sign);
    assert_eq!(
        signature.to_string(),
        read(case, "signature.txt"),
        "{case}: stage 4, signature"
    );

    // Stage 5.
    let authorization = Authorization::new(
        text(&input, "secretId"),
        string_to_sign.scope().clone(),
        signed_headers,
        signature,
    );
    assert_eq!(
        authorization.to_string(),
        read(case, "authorization.txt"),
        "{case}: stage 5, Authorization header"
    );

    // All stages at once, when the SecretKey is known.
    if let Some(secret_key) = input["secretKey"].as_str() {
        let signed = sign(
            &Credentials::new(text(&input, "secretId"), secret_key),
            &signing,
        );
        assert_eq!(
            signed.authorization.to_string(),
            read(case, "authorization.txt"),
            "{case}: sign(), all stages"
        );
    }
}

#[test]
fn documented_example() {
    run_vector("documented-example");
}

#[test]
fn documented_example_x_tc_action() {
    run_vector("documented-example-x-tc-action");
}

#[test]
fn sdk_sendsms_chinese_sign_name() {
    run_vector("sdk-sendsms-chinese-sign-name");
}

#[test]
fn sdk_sendsms_chinese_sign_name_utf8_body() {
    run_vector("sdk-sendsms-chinese-sign-name-utf8-body");
}

/// A vector folder without a test of its own would never run.
#[test]
fn every_vector_folder_has_a_test() {
    let mut found: Vec<String> = std::fs::read_dir(vectors())
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    found.sort();
    assert_eq!(found, CASES);
}

/// The connector itself, given the SDK vector's inputs, sends exactly the vector's body and
/// `Authorization` value: the request builder and the signer agree with Tencent's SDK.
#[test]
fn the_connector_reproduces_the_sdk_utf8_vector() {
    let case = "sdk-sendsms-chinese-sign-name-utf8-body";
    let input: Value = serde_json::from_str(&read(case, "input.json")).unwrap();
    let config = json!({
        "accessKeyId": input["secretId"],
        "accessKeySecret": input["secretKey"],
        "signName": "腾讯云",
        "sdkAppId": "1400006666",
        "region": input["region"],
        "templates": [
            {"usageType": "SignIn", "templateCode": "1110"},
            {"usageType": "Register", "templateCode": "1110"},
            {"usageType": "ForgotPassword", "templateCode": "1110"},
            {"usageType": "Generic", "templateCode": "1110"},
        ],
    });
    let connector = TencentConnector::from_json(&config).unwrap();
    let data = SendMessageData::code("+8613800138000", TemplateType::SignIn, "123456");
    let context = RequestContext::fixed(input["timestamp"].as_u64().unwrap(), "unused");
    let request = connector.prepare_with(&data, &context).unwrap();
    assert_eq!(
        String::from_utf8(request.body.clone()).unwrap(),
        text(&input, "body")
    );
    assert_eq!(
        request.header("content-type"),
        Some(text(&input, "contentType"))
    );
    assert_eq!(request.header("host"), Some(text(&input, "host")));
    assert_eq!(
        request.header("authorization"),
        Some(read(case, "authorization.txt").as_str())
    );
}
