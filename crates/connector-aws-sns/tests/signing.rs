//! SigV4 vectors, stage by stage: canonical request, string to sign, signature (and the
//! `Authorization` value). Each assertion names its stage, so a failure says which step
//! diverged. Where the vectors come from is in `tests/vectors/SOURCE.md`.
#![allow(clippy::unwrap_used, reason = "test helpers fail loudly")]

use std::path::{Path, PathBuf};

use connector_aws_sns::sign::{
    Authorization, CanonicalRequest, Credentials, SigningInput, SigningKey, StringToSign, amz_date,
    sign,
};
use connector_aws_sns::{Sns, SnsConnector};
use connector_kit::{Provider, RequestContext, SendMessageData, TemplateType, UtcDateTime};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

fn vectors() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors")
}

fn read(dir: &Path, file: &str) -> String {
    let path = dir.join(file);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// One case of the AWS signing test suite: `request.txt` (request line, `Name:value` header
/// lines, a blank line, the body) and `context.json` (credentials, region, service, time).
fn run_suite_case(case: &str) {
    let dir = vectors().join("suite").join(case);
    let context: Value = serde_json::from_str(&read(&dir, "context.json")).unwrap();
    let request = read(&dir, "request.txt");
    let (head, body) = request.split_once("\n\n").unwrap_or((&request, ""));
    let mut lines = head.lines();
    let mut request_line = lines.next().unwrap().split(' ');
    let method = request_line.next().unwrap();
    assert_eq!(request_line.next(), Some("/"), "{case}: only `/` is signed");
    let mut headers: Vec<(String, String)> = lines
        .map(|line| {
            let (name, value) = line.split_once(':').unwrap();
            (name.to_owned(), value.to_owned())
        })
        .collect();
    let time = UtcDateTime::parse_iso8601(context["timestamp"].as_str().unwrap())
        .unwrap()
        .to_unix() as u64;
    headers.push(("X-Amz-Date".into(), amz_date(time)));
    let credentials = &context["credentials"];
    if let Some(token) = credentials["token"].as_str() {
        if context["omit_session_token"] != json!(true) {
            headers.push(("X-Amz-Security-Token".into(), token.into()));
        }
    }
    if context["sign_body"] == json!(true) {
        headers.push((
            "x-amz-content-sha256".into(),
            hex::encode(Sha256::digest(body.as_bytes())),
        ));
    }
    let header_refs: Vec<(&str, &str)> = headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let region = context["region"].as_str().unwrap();
    let service = context["service"].as_str().unwrap();
    let input = SigningInput {
        method,
        path: "/",
        query: "",
        headers: &header_refs,
        body: body.as_bytes(),
        unix_time: time,
        region,
        service,
    };

    let canonical = CanonicalRequest::new(&input);
    assert_eq!(
        canonical.to_string(),
        read(&dir, "header-canonical-request.txt"),
        "{case}: stage 1, canonical request"
    );
    let string_to_sign = StringToSign::new(time, region, service, &canonical);
    assert_eq!(
        string_to_sign.to_string(),
        read(&dir, "header-string-to-sign.txt"),
        "{case}: stage 2, string to sign"
    );
    let secret = credentials["secret_access_key"].as_str().unwrap();
    let signature = SigningKey::derive(secret, string_to_sign.scope()).sign(&string_to_sign);
    assert_eq!(
        signature.to_string(),
        read(&dir, "header-signature.txt").trim(),
        "{case}: stages 3 and 4, signing key and signature"
    );
    let signed = sign(
        &Credentials::new(credentials["access_key_id"].as_str().unwrap(), secret),
        &input,
    );
    assert_eq!(
        signed.signature, signature,
        "{case}: sign() runs the same stages"
    );
}

macro_rules! suite_cases {
    ($($test:ident => $case:literal),* $(,)?) => {
        $( #[test] fn $test() { run_suite_case($case); } )*
    };
}

suite_cases! {
    suite_get_vanilla => "get-vanilla",
    suite_post_vanilla => "post-vanilla",
    suite_get_vanilla_with_session_token => "get-vanilla-with-session-token",
    suite_post_x_www_form_urlencoded => "post-x-www-form-urlencoded",
    suite_post_header_key_sort => "post-header-key-sort",
    suite_post_header_key_case => "post-header-key-case",
    suite_post_header_value_case => "post-header-value-case",
    suite_get_header_value_trim => "get-header-value-trim",
    suite_get_header_key_duplicate => "get-header-key-duplicate",
    suite_get_header_value_order => "get-header-value-order",
    suite_post_sts_header_before => "post-sts-header-before",
}

/// One botocore case: the connector's own request for the message in `input.json` must carry
/// the body botocore signed, and every stage must match botocore's.
fn run_botocore_case(case: &str, config: Value, data: &SendMessageData) {
    let dir = vectors().join("botocore").join(case);
    let input: Value = serde_json::from_str(&read(&dir, "input.json")).unwrap();
    let time = input["unix_time"].as_u64().unwrap();
    let connector = SnsConnector::from_json(&config).unwrap();
    let request = Sns::build_request(
        connector.config(),
        data,
        &RequestContext::fixed(time, "unused"),
    )
    .unwrap();
    let body = input["body"].as_str().unwrap();
    assert_eq!(
        String::from_utf8(request.body.clone()).unwrap(),
        body,
        "{case}: the body botocore signed"
    );

    let date = amz_date(time);
    let host = input["host"].as_str().unwrap();
    let mut headers = vec![
        ("Content-Type", input["content_type"].as_str().unwrap()),
        ("Host", host),
        ("X-Amz-Date", date.as_str()),
    ];
    if let Some(token) = input["session_token"].as_str() {
        headers.push(("X-Amz-Security-Token", token));
    }
    let region = input["region"].as_str().unwrap();
    let signing = SigningInput {
        method: "POST",
        path: "/",
        query: "",
        headers: &headers,
        body: body.as_bytes(),
        unix_time: time,
        region,
        service: "sns",
    };
    let canonical = CanonicalRequest::new(&signing);
    assert_eq!(
        canonical.to_string(),
        read(&dir, "canonical-request.txt"),
        "{case}: stage 1, canonical request"
    );
    let string_to_sign = StringToSign::new(time, region, "sns", &canonical);
    assert_eq!(
        string_to_sign.to_string(),
        read(&dir, "string-to-sign.txt"),
        "{case}: stage 2, string to sign"
    );
    let key = SigningKey::derive(
        input["secret_access_key"].as_str().unwrap(),
        string_to_sign.scope(),
    );
    let signature = key.sign(&string_to_sign);
    assert_eq!(
        signature.to_string(),
        read(&dir, "signature.txt"),
        "{case}: stages 3 and 4, signing key and signature"
    );
    let authorization = Authorization::new(
        input["access_key_id"].as_str().unwrap(),
        string_to_sign.scope().clone(),
        canonical.signed_headers(),
        signature,
    );
    assert_eq!(
        authorization.to_string(),
        read(&dir, "authorization.txt"),
        "{case}: stage 5, Authorization header"
    );
    assert_eq!(
        request.header("Authorization"),
        Some(authorization.to_string().as_str()),
        "{case}: the connector's request carries botocore's Authorization"
    );
    assert_eq!(request.header("X-Amz-Date"), Some(date.as_str()));
    assert_eq!(
        request.header("X-Amz-Security-Token"),
        input["session_token"].as_str()
    );
}

fn templates(content: &str) -> Value {
    json!(
        ["SignIn", "Register", "ForgotPassword", "Generic"]
            .map(|t| json!({"usageType": t, "content": content}))
    )
}

#[test]
fn botocore_sns_publish() {
    run_botocore_case(
        "sns-publish",
        json!({
            "accessKeyId": "AKIAIOSFODNN7EXAMPLE",
            "secretAccessKey": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            "region": "us-east-1",
            "templates": templates("Your code is {{code}}."),
        }),
        &SendMessageData::code("+14155550100", TemplateType::SignIn, "123456"),
    );
}

#[test]
fn botocore_sns_publish_session_token_simulator() {
    run_botocore_case(
        "sns-publish-session-token-simulator",
        json!({
            "accessKeyId": "ASIASIMULATOR0000001",
            "secretAccessKey": "simulator-aws-secret-access-key",
            "sessionToken": "IQoJb3JpZ2luX2VjEXAMPLE//token+with/slashes==",
            "region": "eu-west-1",
            "smsType": "Promotional",
            "senderId": "Acme",
            "endpoint": "http://127.0.0.1:4013",
            "templates": templates("验证码 {{code}}"),
        }),
        &SendMessageData::code("+8613800138000", TemplateType::Register, "123456"),
    );
}
