//! What is Tencent Cloud's own: its config rules, the built request (phone numbers, template
//! choice and parameters, headers, signature), the mapping of its recorded answers, and a send
//! over loopback HTTP. What every connector does is in `contract.rs`.
#![allow(clippy::unwrap_used, reason = "test helpers fail loudly")]

use connector_kit::testing::{CannedResponse, CaptureServer};
use connector_kit::{
    ConnectorError, ConnectorErrorCode, ConnectorFactory, HttpResponse, Provider, RequestContext,
    SendMessageData, SendReceipt, TemplateType,
};
use connector_tencent_sms::sign::{Credentials, SignedHeaders, SigningInput, sign};
use connector_tencent_sms::{Tencent, TencentConnector, factory};
use serde_json::{Value, json};

const SECRET_ID: &str = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE";
const SECRET_KEY: &str = "tencent-key-SECRET-7c1e";
const APP_ID: &str = "1400006666";

fn config(endpoint: &str) -> Value {
    json!({
        "accessKeyId": SECRET_ID,
        "accessKeySecret": SECRET_KEY,
        "signName": "腾讯云",
        "sdkAppId": APP_ID,
        "region": "ap-guangzhou",
        "templates": [
            {"usageType": "SignIn", "templateCode": "1110"},
            {"usageType": "Register", "templateCode": "1111"},
            {"usageType": "ForgotPassword", "templateCode": {"china": "1112", "overseas": "2112"}},
            {
                "usageType": "Generic",
                "templateCode": {"china": "1113", "overseas": "2113"},
                "params": ["code", "minutes"],
            },
        ],
        "endpoint": endpoint,
    })
}

fn connector() -> TencentConnector {
    TencentConnector::from_json(&config("https://sms.tencentcloudapi.com")).unwrap()
}

fn problems(config: &Value) -> Vec<String> {
    connector_kit::testing::problems(&factory(), config)
}

fn fixed() -> RequestContext {
    RequestContext::fixed(1_700_000_000, "unused")
}

fn body_json(body: &[u8]) -> Value {
    serde_json::from_slice(body).unwrap()
}

// ---------------------------------------------------------------------------------------------
// Identity.

#[test]
fn ids_and_error_table() {
    let factory = factory();
    assert_eq!(factory.id(), "tencent-short-message-service");
    assert_eq!(factory.target(), "tencent-sms");
    assert_eq!(factory.error_mappings(), Tencent::ERROR_MAPPINGS);
    assert!(factory.signing().starts_with("TC3-HMAC-SHA256"));
}

// ---------------------------------------------------------------------------------------------
// Validation.

#[test]
fn valid_config_passes_and_logto_config_without_new_fields_passes() {
    factory()
        .validate_config(&config("https://sms.tencentcloudapi.com"))
        .unwrap();
    // Logto's own shape: no endpoint, no params, plain template codes.
    let logto = json!({
        "accessKeyId": SECRET_ID,
        "accessKeySecret": SECRET_KEY,
        "signName": "腾讯云",
        "sdkAppId": APP_ID,
        "region": "ap-guangzhou",
        "templates": [
            {"usageType": "SignIn", "templateCode": "1110"},
            {"usageType": "Register", "templateCode": "1111"},
            {"usageType": "ForgotPassword", "templateCode": "1112"},
            {"usageType": "Generic", "templateCode": "1113"},
        ],
    });
    let connector = TencentConnector::from_json(&logto).unwrap();
    assert_eq!(
        connector.config().http.endpoint.origin(),
        "https://sms.tencentcloudapi.com"
    );
    assert_eq!(connector.config().templates[0].params, ["code"]);
}

#[test]
fn a_config_built_in_rust_equals_its_json() {
    use connector_tencent_sms::{Region, TemplateCode, TencentConfig, TencentTemplate};
    let templates = [
        (TemplateType::SignIn, "1110"),
        (TemplateType::Register, "1111"),
        (TemplateType::ForgotPassword, "1112"),
        (TemplateType::Generic, "1113"),
    ]
    .map(|(usage, id)| TencentTemplate::new(usage, TemplateCode::single(id)));
    let config = TencentConfig::new(
        SECRET_ID,
        SECRET_KEY,
        "腾讯云",
        APP_ID,
        Region::Guangzhou,
        templates.to_vec(),
    );
    let connector = TencentConnector::new(config).unwrap();
    assert_eq!(
        serde_json::to_value(connector.config()).unwrap(),
        json!({
            "accessKeyId": SECRET_ID,
            "accessKeySecret": SECRET_KEY,
            "signName": "腾讯云",
            "sdkAppId": APP_ID,
            "region": "ap-guangzhou",
            "templates": [
                {"usageType": "SignIn", "templateCode": "1110", "params": ["code"]},
                {"usageType": "Register", "templateCode": "1111", "params": ["code"]},
                {"usageType": "ForgotPassword", "templateCode": "1112", "params": ["code"]},
                {"usageType": "Generic", "templateCode": "1113", "params": ["code"]},
            ],
            "endpoint": "https://sms.tencentcloudapi.com",
            "timeoutMs": 10000,
            "connectTimeoutMs": 3000,
        })
    );
}

#[test]
fn every_region_and_the_documented_hosts_are_accepted() {
    for region in ["ap-beijing", "ap-guangzhou", "ap-nanjing", "ap-singapore"] {
        for endpoint in [
            "https://sms.tencentcloudapi.com",
            "https://sms.ap-guangzhou.tencentcloudapi.com",
            "https://sms.intl.tencentcloudapi.com",
        ] {
            let mut c = config(endpoint);
            c["region"] = json!(region);
            factory().validate_config(&c).unwrap();
        }
    }
}

#[test]
fn unknown_region_lists_the_allowed_regions() {
    let mut c = config("https://sms.tencentcloudapi.com");
    c["region"] = json!("ap-shanghai");
    assert_eq!(
        problems(&c),
        [
            "/region: unknown region \"ap-shanghai\"; expected one of ap-beijing, ap-guangzhou, ap-nanjing, ap-singapore"
        ]
    );
}

#[test]
fn template_code_shapes_are_explained() {
    let cases = [
        (
            json!(42),
            "/templates/0/templateCode: expected one template ID for every number or separate codes for mainland China and other numbers, found an integer",
        ),
        (json!(""), "/templates/0/templateCode: must not be empty"),
        (
            json!({"china": "1"}),
            "/templates/0/templateCode/overseas: required field is missing",
        ),
        (
            json!({"china": "1", "overseas": "2", "hk": "3"}),
            "/templates/0/templateCode/hk: unknown field; expected one of china, overseas",
        ),
        (
            json!({"china": "", "overseas": "2"}),
            "/templates/0/templateCode/china: must not be empty",
        ),
    ];
    for (code, expected) in cases {
        let mut c = config("https://sms.tencentcloudapi.com");
        c["templates"][0]["templateCode"] = code;
        assert_eq!(problems(&c), [expected]);
    }
}

#[test]
fn every_problem_is_reported_at_once() {
    let c = json!({
        "accessKeyId": " AKID with spaces",
        "accessKeySecret": "",
        "signName": 7,
        "sdkAppId": "app-1",
        "region": "guangzhou",
        "templates": [
            {"usageType": "Signin", "templateCode": 1110, "params": ["code", ""]},
            {"usageType": "Generic", "templateCode": {"china": "1"}, "params": "code"},
        ],
        "endpoint": "http://sms.tencentcloudapi.com",
        "timeoutMs": 5,
        "extra": true,
    });
    let got = problems(&c);
    let expected = [
        "/accessKeyId: is not a valid SecretId: expected to match ^[A-Za-z0-9]+$",
        "/accessKeySecret: must not be empty",
        "/signName: expected a string, found an integer",
        "/sdkAppId: is not a valid SDK AppID: expected to match ^[0-9]+$",
        "/region: unknown region \"guangzhou\"; expected one of ap-beijing, ap-guangzhou, ap-nanjing, ap-singapore",
        "/templates/0/templateCode: expected one template ID for every number or separate codes for mainland China and other numbers, found an integer",
        "/templates/0/params/1: must not be empty",
        "/templates/1/templateCode/overseas: required field is missing",
        "/templates/1/params: expected an array, found a string",
        "/templates: missing a template with usageType Register",
        "/templates: missing a template with usageType SignIn",
        "/templates: missing a template with usageType ForgotPassword",
        "/endpoint: must be an https:// origin such as https://api.example.com (no path); plain http:// is accepted only for localhost, 127.x.x.x and [::1]",
        "/timeoutMs: must be at least 100",
    ];
    assert_eq!(got, expected);
    assert_eq!(
        connector_kit::testing::warnings_of_invalid(&factory(), &c),
        [
            "/extra: unknown field \"extra\" is ignored",
            "/templates/0/usageType: unknown usage type \"Signin\" (did you mean \"SignIn\"?); no message uses this template",
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// The built request.

#[test]
fn built_request_snapshot() {
    let data = SendMessageData::code("13800138000", TemplateType::SignIn, "123456");
    let request = connector().prepare_with(&data, &fixed()).unwrap();
    insta::assert_snapshot!("request", request.to_string());
}

#[test]
fn built_request_to_an_overseas_number_snapshot() {
    let mut data = SendMessageData::code("+14155550100", TemplateType::BindMfa, "654321");
    data.payload.extra.insert("minutes".into(), json!(5));
    let request = connector().prepare_with(&data, &fixed()).unwrap();
    insta::assert_snapshot!("request_overseas", request.to_string());
}

#[test]
fn body_keys_are_in_the_documented_order() {
    let data = SendMessageData::code("13800138000", TemplateType::SignIn, "123456");
    let request = connector().prepare_with(&data, &fixed()).unwrap();
    let body = body_json(&request.body);
    let keys: Vec<&str> = body
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "PhoneNumberSet",
            "SmsSdkAppId",
            "SignName",
            "TemplateId",
            "TemplateParamSet"
        ]
    );
    assert_eq!(
        String::from_utf8(request.body).unwrap(),
        r#"{"PhoneNumberSet":["+8613800138000"],"SmsSdkAppId":"1400006666","SignName":"腾讯云","TemplateId":"1110","TemplateParamSet":["123456"]}"#
    );
}

#[test]
fn phone_numbers_are_normalized_and_pick_the_template() {
    let connector = connector();
    let cases = [
        ("13800138000", "+8613800138000", "1112"),
        ("8613800138000", "+8613800138000", "1112"),
        ("008613800138000", "+8613800138000", "1112"),
        ("+8613800138000", "+8613800138000", "1112"),
        ("+14155550100", "+14155550100", "2112"),
        ("0014155550100", "+14155550100", "2112"),
        ("+85261234567", "+85261234567", "2112"),
        ("+886912345678", "+886912345678", "2112"),
    ];
    for (to, number, template) in cases {
        let data = SendMessageData::code(to, TemplateType::ForgotPassword, "1");
        let body = body_json(&connector.prepare_with(&data, &fixed()).unwrap().body);
        assert_eq!(body["PhoneNumberSet"], json!([number]), "{to}");
        assert_eq!(body["TemplateId"], json!(template), "{to}");
    }
}

#[test]
fn template_params_follow_the_configured_order() {
    // Payload keys in another order than `params`, plus keys the template does not use.
    let data: SendMessageData = serde_json::from_value(json!({
        "to": "13800138000",
        "type": "Generic",
        "payload": {
            "minutes": 10,
            "uiLocales": "zh-CN",
            "link": "https://example.com/x",
            "code": "123456",
        },
    }))
    .unwrap();
    let body = body_json(&connector().prepare_with(&data, &fixed()).unwrap().body);
    assert_eq!(body["TemplateParamSet"], json!(["123456", "10"]));
    assert_eq!(body["TemplateId"], json!("1113"));
}

#[test]
fn a_missing_or_structured_parameter_names_its_key() {
    let connector = connector();
    let data = SendMessageData::code("13800138000", TemplateType::Generic, "123456");
    let error = connector.prepare_with(&data, &fixed()).unwrap_err();
    assert_eq!(error.code(), ConnectorErrorCode::InvalidRequestParameters);
    assert!(error.to_string().contains("\"minutes\""), "{error}");
    assert!(error.to_string().contains("{2}"), "{error}");

    for value in [json!({"n": 1}), json!([1]), json!(null)] {
        let mut data = data.clone();
        data.payload.extra.insert("minutes".into(), value.clone());
        let error = connector.prepare_with(&data, &fixed()).unwrap_err();
        assert_eq!(
            error.code(),
            ConnectorErrorCode::InvalidRequestParameters,
            "{value}"
        );
        assert!(error.to_string().contains("\"minutes\""), "{error}");
    }
}

#[test]
fn an_empty_sign_name_is_refused_only_for_mainland_numbers() {
    let mut c = config("https://sms.tencentcloudapi.com");
    c["signName"] = json!("");
    let connector = TencentConnector::from_json(&c).unwrap();
    let error = connector
        .prepare_with(
            &SendMessageData::code("13800138000", TemplateType::SignIn, "1"),
            &fixed(),
        )
        .unwrap_err();
    assert_eq!(error.code(), ConnectorErrorCode::InvalidConfig);
    let request = connector
        .prepare_with(
            &SendMessageData::code("+14155550100", TemplateType::SignIn, "1"),
            &fixed(),
        )
        .unwrap();
    assert_eq!(body_json(&request.body)["SignName"], json!(""));
}

#[test]
fn host_and_url_follow_the_endpoint() {
    let connector =
        TencentConnector::from_json(&config("https://sms.ap-beijing.tencentcloudapi.com/"))
            .unwrap();
    let request = connector
        .prepare_with(
            &SendMessageData::code("13800138000", TemplateType::SignIn, "1"),
            &fixed(),
        )
        .unwrap();
    assert_eq!(request.url, "https://sms.ap-beijing.tencentcloudapi.com/");
    assert_eq!(
        request.header("host"),
        Some("sms.ap-beijing.tencentcloudapi.com")
    );
}

// ---------------------------------------------------------------------------------------------
// Answers.

fn answer(status: u16, body: &str) -> HttpResponse {
    HttpResponse::new(status, body).with_header("content-type", "application/json")
}

fn parse_response(response: &HttpResponse) -> Result<SendReceipt, ConnectorError> {
    <Tencent as Provider>::parse_response(response)
}

fn sent_to(to: &str) -> SendMessageData {
    SendMessageData::code(to, TemplateType::SignIn, "123456")
}

/// A `Response.Error` body as Tencent Cloud API 3.0 answers a failed request.
fn error_body(code: &str, message: &str) -> String {
    json!({
        "Response": {
            "Error": {"Code": code, "Message": message},
            "RequestId": "ed93f3cb-f35e-473f-b9f3-0d451b8b79c6",
        }
    })
    .to_string()
}

/// A SendSms answer whose one status is `code`.
fn status_body(number: &str, code: &str, message: &str, serial: &str) -> String {
    json!({
        "Response": {
            "SendStatusSet": [{
                "SerialNo": serial,
                "PhoneNumber": number,
                "Fee": if code == "Ok" { 1 } else { 0 },
                "SessionContext": "",
                "Code": code,
                "Message": message,
                "IsoCode": "CN",
            }],
            "RequestId": "a0aabda6-cf91-4f3e-a81f-9198114a2279",
        }
    })
    .to_string()
}

#[test]
fn ok_for_the_number_sent_is_a_receipt() {
    let body = status_body(
        "+8613800138000",
        "Ok",
        "send success",
        "5000:1045710669157053657849499619",
    );
    let receipt = parse_response(&answer(200, &body)).unwrap();
    assert_eq!(receipt.message_id, "5000:1045710669157053657849499619");
    assert_eq!(
        receipt.request_id.as_deref(),
        Some("a0aabda6-cf91-4f3e-a81f-9198114a2279")
    );
}

/// Every mapped code, both as `Response.Error` and as a per-number status inside a successful
/// answer, keeps Tencent's code, message and request id.
#[test]
fn documented_codes_are_mapped_with_details() {
    use ConnectorErrorCode::*;
    let cases = [
        (
            "LimitExceeded.PhoneNumberDailyLimit",
            "the number of sms messages sent from a single mobile number every day exceeds the upper limit",
            RateLimitExceeded,
        ),
        (
            "LimitExceeded.PhoneNumberOneHourLimit",
            "the number of sms messages sent from a single mobile number within 1 hour exceeds the upper limit",
            RateLimitExceeded,
        ),
        (
            "LimitExceeded.PhoneNumberThirtySecondLimit",
            "the number of sms messages sent from a single mobile number within 30 seconds exceeds the upper limit",
            RateLimitExceeded,
        ),
        (
            "LimitExceeded.PhoneNumberSameContentDailyLimit",
            "the number of sms messages with the same content sent from a single mobile number every day exceeds the upper limit",
            RateLimitExceeded,
        ),
        (
            "LimitExceeded.DeliveryFrequencyLimit",
            "delivery frequency limit",
            RateLimitExceeded,
        ),
        (
            "LimitExceeded.AppDailyLimit",
            "the number of sms messages sent by the application every day exceeds the upper limit",
            RateLimitExceeded,
        ),
        (
            "LimitExceeded.DailyLimit",
            "the number of sms messages sent every day exceeds the upper limit",
            RateLimitExceeded,
        ),
        (
            "LimitExceeded.AppGlobalDailyLimit",
            "global sms daily limit",
            RateLimitExceeded,
        ),
        (
            "RequestLimitExceeded",
            "Your current request count exceeds the limit.",
            RateLimitExceeded,
        ),
        (
            "FailedOperation.InsufficientBalanceInSmsPackage",
            "insufficient balance in sms package",
            UsageLimitExceeded,
        ),
        (
            "UnauthorizedOperation.SerivceSuspendDueToArrears",
            "service suspended due to arrears",
            UsageLimitExceeded,
        ),
        (
            "InvalidParameterValue.IncorrectPhoneNumber",
            "incorrect phone number",
            InvalidRequestParameters,
        ),
        (
            "InvalidParameterValue.TemplateParameterFormatError",
            "template parameter format error",
            InvalidRequestParameters,
        ),
        (
            "InvalidParameterValue.TemplateParameterLengthLimit",
            "template parameter length limit",
            InvalidRequestParameters,
        ),
        (
            "InvalidParameterValue.ProhibitedUseUrlInTemplateParameter",
            "prohibited use of url in template parameter",
            InvalidRequestParameters,
        ),
        (
            "FailedOperation.PhoneNumberInBlacklist",
            "phone number in blacklist",
            InvalidRequestParameters,
        ),
        (
            "UnsupportedOperation.ContainDomesticAndInternationalPhoneNumber",
            "contain domestic and international phone number",
            InvalidRequestParameters,
        ),
        (
            "AuthFailure.SignatureFailure",
            "The provided credentials could not be validated. Please check your signature is correct.",
            InvalidConfig,
        ),
        (
            "AuthFailure.SecretIdNotFound",
            "The SecretId is not found, please ensure that your SecretId is correct.",
            InvalidConfig,
        ),
        (
            "AuthFailure.SignatureExpire",
            "Signature expired. Timestamp and server time cannot differ by more than five minutes.",
            InvalidConfig,
        ),
        (
            "FailedOperation.SignatureIncorrectOrUnapproved",
            "signature format error or signature not approved",
            InvalidConfig,
        ),
        (
            "FailedOperation.TemplateIncorrectOrUnapproved",
            "template format error or template not approved",
            InvalidConfig,
        ),
        (
            "FailedOperation.ContainSensitiveWord",
            "content contains sensitive words",
            General,
        ),
        ("InternalError.Timeout", "request timeout", General),
    ];
    for (code, message, expected) in cases {
        let whole = error_body(code, message);
        let per_number = status_body("+8613800138000", code, message, "");
        for (body, request_id) in [
            (whole, "ed93f3cb-f35e-473f-b9f3-0d451b8b79c6"),
            (per_number, "a0aabda6-cf91-4f3e-a81f-9198114a2279"),
        ] {
            let error = parse_response(&answer(200, &body)).unwrap_err();
            assert_eq!(error.code(), expected, "{code}");
            assert_eq!(error.details().provider_code.as_deref(), Some(code));
            assert_eq!(error.details().provider_message.as_deref(), Some(message));
            assert_eq!(error.details().request_id.as_deref(), Some(request_id));
            assert_eq!(
                error.is_retryable(),
                expected == RateLimitExceeded,
                "{code}"
            );
            assert!(error.to_string().contains(code), "{error}");
        }
    }
}

#[test]
fn answers_that_cannot_be_read_are_invalid_response() {
    let no_serial = status_body("+8613800138000", "Ok", "send success", "");
    let no_code = r#"{"Response":{"SendStatusSet":[{"PhoneNumber":"+8613800138000","SerialNo":"5000:1"}],"RequestId":"r"}}"#;
    let cases = [
        (502, "<html><body><h1>502 Bad Gateway</h1></body></html>"),
        (
            200,
            r#"{"Response":{"SendStatusSet":[{"SerialNo":"5000:1","#,
        ),
        (200, ""),
        (200, "{}"),
        (200, "[1,2]"),
        (200, r#"{"Response":{"RequestId":"r"}}"#),
        (200, r#"{"Response":{"SendStatusSet":[],"RequestId":"r"}}"#),
        (
            200,
            r#"{"Response":{"Error":{"Message":"no code"},"RequestId":"r"}}"#,
        ),
        (500, r#"{"Response":{"RequestId":"r"}}"#),
        (200, no_serial.as_str()),
        (200, no_code),
    ];
    for (status, body) in cases {
        let error = parse_response(&answer(status, body)).unwrap_err();
        assert_eq!(
            error.code(),
            ConnectorErrorCode::InvalidResponse,
            "{status} {body}"
        );
    }
}

#[test]
fn one_number_sent_means_exactly_one_status() {
    // The connector sends one number per request, so the one status decides; an answer
    // listing several is not an answer to this request.
    let body = json!({
        "Response": {
            "SendStatusSet": [
                {"SerialNo": "5000:1", "PhoneNumber": "+8613900139000", "Code": "Ok", "Message": "send success"},
                {"SerialNo": "", "PhoneNumber": "+8613800138000", "Code": "FailedOperation.PhoneNumberInBlacklist", "Message": "phone number in blacklist"},
            ],
            "RequestId": "r-1",
        }
    })
    .to_string();
    let error = parse_response(&answer(200, &body)).unwrap_err();
    assert_eq!(error.code(), ConnectorErrorCode::InvalidResponse);
    assert_eq!(error.details().request_id.as_deref(), Some("r-1"));

    let body = status_body(
        "+8613900139000",
        "FailedOperation.PhoneNumberInBlacklist",
        "phone number in blacklist",
        "",
    );
    let error = parse_response(&answer(200, &body)).unwrap_err();
    assert_eq!(error.code(), ConnectorErrorCode::InvalidRequestParameters);
    assert_eq!(
        error.to_string(),
        "Tencent Cloud did not send the message: phone number in blacklist (code FailedOperation.PhoneNumberInBlacklist)"
    );
}

// ---------------------------------------------------------------------------------------------
// Over real HTTP on loopback.

#[tokio::test]
async fn sends_over_http_with_a_signature_that_recomputes() {
    let server = CaptureServer::start(CannedResponse::json(
        200,
        status_body(
            "+8613800138000",
            "Ok",
            "send success",
            "5000:1045710669157053657849499619",
        ),
    ))
    .await
    .unwrap();
    let connector = factory().create(&config(server.origin())).unwrap();
    let data: SendMessageData = serde_json::from_value(json!({
        "to": "008613800138000",
        "type": "Register",
        "payload": {"uiLocales": "en", "code": "246810"},
    }))
    .unwrap();
    let receipt = connector.send_message(&data).await.unwrap();
    assert_eq!(receipt.message_id, "5000:1045710669157053657849499619");
    assert_eq!(
        receipt.request_id.as_deref(),
        Some("a0aabda6-cf91-4f3e-a81f-9198114a2279")
    );

    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, "/");
    let host = server.origin().strip_prefix("http://").unwrap();
    assert_eq!(request.header("host"), Some(host));
    assert_eq!(
        request.header("content-type"),
        Some("application/json; charset=utf-8")
    );
    assert_eq!(request.header("x-tc-action"), Some("SendSms"));
    assert_eq!(request.header("x-tc-version"), Some("2021-01-11"));
    assert_eq!(request.header("x-tc-region"), Some("ap-guangzhou"));
    assert!(
        request
            .header("user-agent")
            .unwrap()
            .starts_with("sms-connector-kit/")
    );
    assert_eq!(
        String::from_utf8(request.body.clone()).unwrap(),
        r#"{"PhoneNumberSet":["+8613800138000"],"SmsSdkAppId":"1400006666","SignName":"腾讯云","TemplateId":"1111","TemplateParamSet":["246810"]}"#
    );

    // Recompute the signature from what the server received, as Tencent does.
    let timestamp: u64 = request.header("x-tc-timestamp").unwrap().parse().unwrap();
    let recomputed = sign(
        &Credentials::new(SECRET_ID, SECRET_KEY),
        &SigningInput {
            host: request.header("host").unwrap(),
            content_type: request.header("content-type").unwrap(),
            action: request.header("x-tc-action").unwrap(),
            body: &request.body,
            timestamp,
            service: "sms",
            signed_headers: SignedHeaders::ContentTypeHost,
        },
    );
    let authorization = request.header("authorization").unwrap();
    assert_eq!(authorization, recomputed.authorization.to_string());
    assert!(authorization.starts_with(&format!("TC3-HMAC-SHA256 Credential={SECRET_ID}/")));
    assert!(authorization.contains("/sms/tc3_request, SignedHeaders=content-type;host, "));
    assert!(!authorization.contains(SECRET_KEY));
}

#[tokio::test]
async fn a_per_number_failure_inside_a_successful_answer_is_an_error() {
    let server = CaptureServer::start(CannedResponse::json(
        200,
        status_body(
            "+8613800138000",
            "LimitExceeded.PhoneNumberDailyLimit",
            "the number of sms messages sent from a single mobile number every day exceeds the upper limit",
            "",
        ),
    ))
    .await
    .unwrap();
    let connector = factory().create(&config(server.origin())).unwrap();
    let error = connector
        .send_message(&sent_to("13800138000"))
        .await
        .unwrap_err();
    assert_eq!(error.code(), ConnectorErrorCode::RateLimitExceeded);
    assert!(error.is_retryable());
    assert_eq!(
        error.details().provider_code.as_deref(),
        Some("LimitExceeded.PhoneNumberDailyLimit")
    );
    assert_eq!(error.details().http_status, Some(200));
    assert_eq!(server.requests().len(), 1, "never repeated by the kit");
}
