//! What is Aliyun's own: its config rules, the built request (phone routing, `TemplateParam`,
//! the signature), the mapping of recorded error bodies, and the exact fields of a send over
//! loopback HTTP. What every connector does is in `contract.rs`.
#![allow(clippy::unwrap_used, reason = "test helpers fail loudly")]

use connector_aliyun_sms::sign::sign;
use connector_aliyun_sms::{Aliyun, AliyunConnector, factory};
use connector_kit::testing::{CannedResponse, CaptureServer, RecordedRequest, form_pairs};
use connector_kit::{
    ConnectorErrorCode, ConnectorFactory, HttpMethod, HttpResponse, Provider, RequestContext,
    SendMessageData, SmsConnector, TemplateType, UtcDateTime,
};
use serde_json::{Map, Value, json};

const KEY_ID: &str = "LTAI5tTestAccessKeyId";
const SECRET: &str = "aliyun-secret-SECRET-9c2e";
const SIGN_NAME: &str = "阿里云短信测试";

fn config(endpoint: &str) -> Value {
    json!({
        "accessKeyId": KEY_ID,
        "accessKeySecret": SECRET,
        "signName": SIGN_NAME,
        "templates": [
            {"usageType": "SignIn", "templateCode": {"china": "SMS_CN_SIGNIN", "overseas": "SMS_INTL_SIGNIN"}, "type": 2},
            {"usageType": "Register", "templateCode": "SMS_REGISTER", "type": 2},
            {"usageType": "ForgotPassword", "templateCode": "SMS_RESET"},
            {"usageType": "Generic", "templateCode": {"china": "SMS_CN_GENERIC", "overseas": "SMS_INTL_GENERIC"}, "type": 6},
        ],
        "endpoint": endpoint,
    })
}

fn connector(config: &Value) -> AliyunConnector {
    AliyunConnector::from_json(config).unwrap()
}

fn problems(config: &Value) -> Vec<String> {
    connector_kit::testing::problems(&factory(), config)
}

/// The decoded form fields of a built request, in body order.
fn fields(connector: &AliyunConnector, data: &SendMessageData) -> Vec<(String, String)> {
    let request = connector
        .prepare_with(data, &RequestContext::fixed(1_700_000_000, "fixed-nonce"))
        .unwrap();
    form_pairs(&request.body)
}

fn field<'a>(fields: &'a [(String, String)], name: &str) -> &'a str {
    let mut values = fields.iter().filter(|(k, _)| k == name).map(|(_, v)| v);
    let value = values
        .next()
        .unwrap_or_else(|| panic!("no {name} in {fields:?}"));
    assert!(values.next().is_none(), "{name} appears twice");
    value
}

// ---------------------------------------------------------------------------------------
// Schema.

#[test]
fn endpoint_description_names_the_singapore_endpoint() {
    let description = factory().config_schema()["properties"]["endpoint"]["description"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        description.contains("https://dysmsapi.ap-southeast-1.aliyuncs.com"),
        "{description}"
    );
}

// ---------------------------------------------------------------------------------------
// Validation.

#[test]
fn valid_config_passes_and_logto_config_without_new_fields_passes() {
    factory()
        .validate_config(&config("https://dysmsapi.aliyuncs.com"))
        .unwrap();
    // A config as Logto stores it: plain template codes, `type` on every template.
    let logto = json!({
        "accessKeyId": KEY_ID,
        "accessKeySecret": SECRET,
        "signName": SIGN_NAME,
        "templates": [
            {"type": 2, "usageType": "SignIn", "templateCode": "SMS_1"},
            {"type": 2, "usageType": "Register", "templateCode": "SMS_2"},
            {"type": 2, "usageType": "ForgotPassword", "templateCode": "SMS_3"},
            {"type": 2, "usageType": "Generic", "templateCode": "SMS_4"},
        ],
        "strictPhoneRegionNumberCheck": false,
    });
    let parsed = factory().parse(&logto).unwrap().config;
    assert_eq!(
        parsed.http.endpoint.origin(),
        "https://dysmsapi.aliyuncs.com"
    );
    assert_eq!(parsed.region_id, "cn-hangzhou");
    assert_eq!(parsed.http.timeout_ms, 10_000);
    assert_eq!(parsed.http.connect_timeout_ms, 3_000);
}

#[test]
fn the_singapore_endpoint_and_region_are_used() {
    let mut c = config("https://dysmsapi.ap-southeast-1.aliyuncs.com");
    c["regionId"] = json!("ap-southeast-1");
    let connector = connector(&c);
    let data = SendMessageData::code("+6591234567", TemplateType::SignIn, "1");
    let request = connector
        .prepare_with(&data, &RequestContext::fixed(0, "n"))
        .unwrap();
    assert_eq!(request.url, "https://dysmsapi.ap-southeast-1.aliyuncs.com/");
    assert_eq!(
        field(&form_pairs(&request.body), "RegionId"),
        "ap-southeast-1"
    );
}

#[test]
fn template_code_shapes_are_explained() {
    let cases = [
        (
            json!(42),
            vec![
                "/templates/0/templateCode: expected one template code for every number or separate codes for mainland China and other numbers, found an integer",
            ],
        ),
        (
            json!(""),
            vec!["/templates/0/templateCode: must not be empty"],
        ),
        (
            json!({"china": "SMS_1"}),
            vec!["/templates/0/templateCode/overseas: required field is missing"],
        ),
        (
            json!({"china": "", "overseas": "SMS_2", "hk": "SMS_3"}),
            vec![
                "/templates/0/templateCode/china: must not be empty",
                "/templates/0/templateCode/hk: unknown field; expected one of china, overseas",
            ],
        ),
    ];
    for (code, expected) in cases {
        let mut c = config("https://dysmsapi.aliyuncs.com");
        c["templates"][0]["templateCode"] = code.clone();
        assert_eq!(problems(&c), expected, "{code}");
    }
}

#[test]
fn template_type_is_an_integer_enum() {
    let cases = [
        (
            json!(3),
            "/templates/0/type: unknown template type 3; expected one of 0, 1, 2, 6, 7",
        ),
        (
            json!("2"),
            "/templates/0/type: expected an integer, found a string",
        ),
        (
            json!(2.5),
            "/templates/0/type: expected an integer, found a number",
        ),
    ];
    for (value, expected) in cases {
        let mut c = config("https://dysmsapi.aliyuncs.com");
        c["templates"][0]["type"] = value.clone();
        assert_eq!(problems(&c), [expected], "{value}");
    }
    for ok in [0, 1, 2, 6, 7] {
        let mut c = config("https://dysmsapi.aliyuncs.com");
        c["templates"][0]["type"] = json!(ok);
        factory().validate_config(&c).unwrap();
    }
}

#[test]
fn every_problem_is_reported_at_once() {
    let c = json!({
        "accessKeyId": "",
        "accessKeySecret": 42,
        "templates": [
            {"usageType": "Signin", "templateCode": "SMS_1", "type": 5},
            {"usageType": "Register", "templateCode": {"china": "SMS_2"}},
            {"usageType": "Generic"},
        ],
        "strictPhoneRegionNumberCheck": "yes",
        "endpoint": "http://dysmsapi.aliyuncs.com",
        "regionId": "CN Hangzhou",
        "timeoutMs": 5,
        "connectTimeoutMs": 600000,
        "extra": true,
    });
    let got = problems(&c);
    let expected = [
        "/signName: required field is missing",
        "/accessKeyId: must not be empty",
        "/accessKeySecret: expected a string, found an integer",
        "/templates/0/type: unknown template type 5; expected one of 0, 1, 2, 6, 7",
        "/templates/1/templateCode/overseas: required field is missing",
        "/templates/2/templateCode: required field is missing",
        "/templates: missing a template with usageType SignIn",
        "/templates: missing a template with usageType ForgotPassword",
        "/strictPhoneRegionNumberCheck: expected a boolean, found a string",
        "/endpoint: must be an https:// origin such as https://api.example.com (no path); plain http:// is accepted only for localhost, 127.x.x.x and [::1]",
        "/regionId: is not a valid Region ID: expected to match ^[a-z0-9-]+$",
        "/timeoutMs: must be at least 100",
        "/connectTimeoutMs: must be at most 60000",
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

// ---------------------------------------------------------------------------------------
// The built request.

#[test]
fn built_request_snapshot() {
    let connector = connector(&config("https://dysmsapi.aliyuncs.com"));
    let mut data = SendMessageData::code("+8613800138000", TemplateType::SignIn, "123456");
    data.payload.locale = Some("zh-CN".into());
    let request = connector
        .prepare_with(&data, &RequestContext::fixed(1_700_000_000, "fixed-nonce"))
        .unwrap();
    let printed = request.to_string();
    assert!(!printed.contains(SECRET));
    insta::assert_snapshot!("request", printed);

    let fields = form_pairs(&request.body);
    let names: Vec<&str> = fields.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        names,
        [
            "AccessKeyId",
            "Action",
            "Format",
            "PhoneNumbers",
            "RegionId",
            "SignName",
            "SignatureMethod",
            "SignatureNonce",
            "SignatureVersion",
            "TemplateCode",
            "TemplateParam",
            "Timestamp",
            "Version",
            "Signature",
        ],
        "sorted parameters, then the signature"
    );
    assert_eq!(field(&fields, "Timestamp"), "2023-11-14T22:13:20Z");
    assert_eq!(field(&fields, "SignatureNonce"), "fixed-nonce");
    assert_eq!(field(&fields, "SignName"), SIGN_NAME);
    assert_eq!(field(&fields, "TemplateParam"), r#"{"code":"123456"}"#);
}

#[test]
fn the_nonce_and_timestamp_change_per_request() {
    let connector = connector(&config("https://dysmsapi.aliyuncs.com"));
    let data = SendMessageData::code("13800138000", TemplateType::SignIn, "1");
    let a = form_pairs(&connector.prepare(&data).unwrap().body);
    let b = form_pairs(&connector.prepare(&data).unwrap().body);
    assert_ne!(field(&a, "SignatureNonce"), field(&b, "SignatureNonce"));
    assert_ne!(field(&a, "Signature"), field(&b, "Signature"));
    let stamp = UtcDateTime::parse_iso8601(field(&a, "Timestamp")).unwrap();
    let now = RequestContext::now().unix_time as i64;
    assert!((now - stamp.to_unix()).abs() < 60);
}

/// Every routing case, strict and non-strict: the expected `PhoneNumbers` and the template
/// code, or `None` for a number rejected before any request.
#[test]
fn phone_numbers_route_to_the_china_or_overseas_template() {
    /// `PhoneNumbers` and `TemplateCode`, or `None` for a rejected number.
    type Routed = Option<(&'static str, &'static str)>;
    let cases: [(&str, Routed, Routed); 8] = [
        // (number, non-strict result, strict result)
        (
            "+8613800138000",
            Some(("13800138000", "SMS_CN_SIGNIN")),
            Some(("13800138000", "SMS_CN_SIGNIN")),
        ),
        (
            "008613800138000",
            Some(("13800138000", "SMS_CN_SIGNIN")),
            Some(("13800138000", "SMS_CN_SIGNIN")),
        ),
        (
            "8613800138000",
            Some(("13800138000", "SMS_CN_SIGNIN")),
            Some(("13800138000", "SMS_CN_SIGNIN")),
        ),
        ("13800138000", Some(("13800138000", "SMS_CN_SIGNIN")), None),
        (
            "+85291234567",
            Some(("85291234567", "SMS_INTL_SIGNIN")),
            Some(("85291234567", "SMS_INTL_SIGNIN")),
        ),
        (
            "+14155550100",
            Some(("14155550100", "SMS_INTL_SIGNIN")),
            Some(("14155550100", "SMS_INTL_SIGNIN")),
        ),
        (
            "0014155550100",
            Some(("14155550100", "SMS_INTL_SIGNIN")),
            Some(("14155550100", "SMS_INTL_SIGNIN")),
        ),
        ("4155550100", None, None),
    ];
    for (to, loose, strict) in cases {
        for (is_strict, expected) in [(false, loose), (true, strict)] {
            let mut c = config("https://dysmsapi.aliyuncs.com");
            c["strictPhoneRegionNumberCheck"] = json!(is_strict);
            let connector = connector(&c);
            let data = SendMessageData::code(to, TemplateType::SignIn, "123456");
            let got = connector
                .prepare_with(&data, &RequestContext::fixed(0, "n"))
                .map(|r| form_pairs(&r.body));
            match (expected, got) {
                (Some((number, template)), Ok(fields)) => {
                    assert_eq!(
                        field(&fields, "PhoneNumbers"),
                        number,
                        "{to} strict={is_strict}"
                    );
                    assert_eq!(
                        field(&fields, "TemplateCode"),
                        template,
                        "{to} strict={is_strict}"
                    );
                }
                (None, Err(error)) => assert_eq!(
                    error.code(),
                    ConnectorErrorCode::InvalidRequestParameters,
                    "{to} strict={is_strict}"
                ),
                (expected, got) => {
                    panic!("{to} strict={is_strict}: expected {expected:?}, got {got:?}")
                }
            }
        }
    }
}

#[test]
fn a_single_template_code_serves_both_regions_and_generic_is_the_fallback() {
    let connector = connector(&config("https://dysmsapi.aliyuncs.com"));
    let cases = [
        ("+8613800138000", TemplateType::Register, "SMS_REGISTER"),
        ("+85291234567", TemplateType::Register, "SMS_REGISTER"),
        ("+8613800138000", TemplateType::BindMfa, "SMS_CN_GENERIC"),
        ("+14155550100", TemplateType::BindMfa, "SMS_INTL_GENERIC"),
    ];
    for (to, usage, template) in cases {
        let fields = fields(&connector, &SendMessageData::code(to, usage, "1"));
        assert_eq!(field(&fields, "TemplateCode"), template, "{to} {usage}");
    }
}

#[test]
fn template_param_never_includes_locale_or_ui_locales() {
    let connector = connector(&config("https://dysmsapi.aliyuncs.com"));
    let data: SendMessageData = serde_json::from_value(json!({
        "to": "+8613800138000",
        "type": "SignIn",
        "payload": {
            "code": "654321",
            "locale": "zh-CN",
            "uiLocales": "zh-CN en",
            "link": "https://example.com/verify?a=1&b=2",
            "minutes": 10,
            "first": true,
            "org": {"name": "Acme"},
            "tags": ["a"],
            "nothing": null,
        },
    }))
    .unwrap();
    let fields = fields(&connector, &data);
    let param: Map<String, Value> = serde_json::from_str(field(&fields, "TemplateParam")).unwrap();
    assert_eq!(
        Value::Object(param),
        json!({
            "code": "654321",
            "link": "https://example.com/verify?a=1&b=2",
            "minutes": "10",
            "first": "true",
        })
    );
    let raw = String::from_utf8(
        connector
            .prepare_with(&data, &RequestContext::fixed(0, "n"))
            .unwrap()
            .body,
    )
    .unwrap();
    assert!(!raw.contains("locale") && !raw.contains("Locales"), "{raw}");
}

/// Payload values are encoded, so they cannot add or change form fields.
#[test]
fn payload_values_cannot_inject_fields() {
    let connector = connector(&config("https://dysmsapi.aliyuncs.com"));
    let data = SendMessageData::code(
        "+8613800138000",
        TemplateType::SignIn,
        "1&PhoneNumbers=19999999999&SignName=x",
    );
    let fields = fields(&connector, &data);
    assert_eq!(fields.len(), 14);
    assert_eq!(field(&fields, "PhoneNumbers"), "13800138000");
    assert_eq!(field(&fields, "SignName"), SIGN_NAME);
    assert_eq!(
        field(&fields, "TemplateParam"),
        r#"{"code":"1&PhoneNumbers=19999999999&SignName=x"}"#
    );
}

// ---------------------------------------------------------------------------------------
// Over HTTP on loopback.

fn ok_body() -> String {
    json!({
        "Message": "OK",
        "RequestId": "F655A8D5-B967-440B-8683-DAD6FF8DE990",
        "Code": "OK",
        "BizId": "900619746936498440^0",
    })
    .to_string()
}

/// The received fields, with the signature recomputed from them by the pure signer.
fn check_signature(request: &RecordedRequest) -> Vec<(String, String)> {
    let fields = request.form();
    let received = field(&fields, "Signature").to_owned();
    let params: Vec<(String, String)> = fields
        .iter()
        .filter(|(k, _)| k != "Signature")
        .cloned()
        .collect();
    let signed = sign(HttpMethod::Post, params, SECRET);
    assert_eq!(
        signed.signature.as_str(),
        received,
        "the signature recomputes"
    );
    assert_eq!(
        String::from_utf8(request.body.clone()).unwrap(),
        signed.form(),
        "the body is the canonical query and the signature"
    );
    fields
}

#[tokio::test]
async fn sends_over_http_with_the_exact_fields_and_a_signature_that_recomputes() {
    let server = CaptureServer::start(CannedResponse::json(200, ok_body()))
        .await
        .unwrap();
    let connector = factory().create(&config(server.origin())).unwrap();
    let mut data = SendMessageData::code("+85291234567", TemplateType::SignIn, "12 34*~+'()!/=&");
    data.payload.ui_locales = Some("zh-HK".into());
    data.payload
        .extra
        .insert("product".into(), json!("Acme (测试)"));
    let receipt = connector.send_message(&data).await.unwrap();
    assert_eq!(receipt.message_id, "900619746936498440^0");
    assert_eq!(
        receipt.request_id.as_deref(),
        Some("F655A8D5-B967-440B-8683-DAD6FF8DE990")
    );

    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, "/");
    assert_eq!(
        request.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(request.header("accept"), Some("application/json"));
    assert!(request.header("authorization").is_none());
    let raw = format!(
        "{:?}{}",
        request.headers,
        String::from_utf8_lossy(&request.body)
    );
    assert!(!raw.contains(SECRET), "{raw}");

    let fields = check_signature(request);
    let mut fixed: Vec<(String, String)> = fields
        .iter()
        .filter(|(k, _)| !["SignatureNonce", "Timestamp", "Signature"].contains(&k.as_str()))
        .cloned()
        .collect();
    fixed.sort();
    let expected: Vec<(String, String)> = [
        ("AccessKeyId", KEY_ID),
        ("Action", "SendSms"),
        ("Format", "JSON"),
        ("PhoneNumbers", "85291234567"),
        ("RegionId", "cn-hangzhou"),
        ("SignName", SIGN_NAME),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureVersion", "1.0"),
        ("TemplateCode", "SMS_INTL_SIGNIN"),
        (
            "TemplateParam",
            r#"{"code":"12 34*~+'()!/=&","product":"Acme (测试)"}"#,
        ),
        ("Version", "2017-05-25"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    assert_eq!(fixed, expected);
    assert!(!field(&fields, "SignatureNonce").is_empty());
    assert!(UtcDateTime::parse_iso8601(field(&fields, "Timestamp")).is_some());
}

#[tokio::test]
async fn aliyun_error_bodies_over_http_keep_status_and_details() {
    let server = CaptureServer::start(CannedResponse::json(
        400,
        json!({
            "RequestId": "7A5D6C3E-1F0B-4C2A-9E8D-2B1A0C9D8E7F",
            "HostId": "dysmsapi.aliyuncs.com",
            "Code": "SignatureDoesNotMatch",
            "Message": "Specified signature is not matched with our calculation. server string to sign is:POST&%2F&AccessKeyId%3DLTAI5tTestAccessKeyId%26PhoneNumbers%3D13800138000",
            "Recommend": "https://api.aliyun.com/troubleshoot?q=SignatureDoesNotMatch&product=Dysmsapi",
        })
        .to_string(),
    ))
    .await
    .unwrap();
    let connector = factory().create(&config(server.origin())).unwrap();
    let error = connector
        .send_message(&SendMessageData::code(
            "+8613800138000",
            TemplateType::SignIn,
            "1",
        ))
        .await
        .unwrap_err();
    assert_eq!(error.code(), ConnectorErrorCode::InvalidConfig);
    assert_eq!(
        error.details().provider_code.as_deref(),
        Some("SignatureDoesNotMatch")
    );
    assert_eq!(
        error.details().request_id.as_deref(),
        Some("7A5D6C3E-1F0B-4C2A-9E8D-2B1A0C9D8E7F")
    );
    assert_eq!(error.details().http_status, Some(400));
    assert!(!error.is_retryable() && !error.may_have_been_sent());
    let shown = format!("{error} {error:?}");
    assert!(!shown.contains("13800138000"), "{shown}");
    assert!(!shown.contains(SECRET), "{shown}");
    assert_eq!(server.requests().len(), 1);
}

// ---------------------------------------------------------------------------------------
// Recorded error bodies.

fn answer(status: u16, body: &str) -> HttpResponse {
    HttpResponse::new(status, body).with_header("content-type", "application/json;charset=utf-8")
}

/// One recorded body per mapped code (the issue's table and the extras), with the status
/// Aliyun answers it with, plus unmapped codes.
#[test]
fn every_mapped_code_keeps_code_message_and_request_id() {
    use ConnectorErrorCode::*;
    let cases = [
        (
            200,
            "isv.BUSINESS_LIMIT_CONTROL",
            "触发分钟级流控Permits:1",
            RateLimitExceeded,
        ),
        (
            200,
            "isv.BUSINESS_LIMIT_CONTROL",
            "触发小时级流控Permits:5",
            RateLimitExceeded,
        ),
        (
            200,
            "isv.DAY_LIMIT_CONTROL",
            "触发日发送限额",
            RateLimitExceeded,
        ),
        (
            200,
            "isv.MONTH_LIMIT_CONTROL",
            "触发月发送限额",
            RateLimitExceeded,
        ),
        (
            400,
            "Throttling.User",
            "Request was denied due to user flow control.",
            RateLimitExceeded,
        ),
        (200, "isv.OUT_OF_SERVICE", "业务停机", UsageLimitExceeded),
        (
            200,
            "isv.AMOUNT_NOT_ENOUGH",
            "账户余额不足",
            UsageLimitExceeded,
        ),
        (
            200,
            "isv.MOBILE_NUMBER_ILLEGAL",
            "非法手机号",
            InvalidRequestParameters,
        ),
        (
            200,
            "isv.DOMESTIC_NUMBER_NOT_SUPPORTED",
            "国际/港澳台消息模板不支持发送境内号码",
            InvalidRequestParameters,
        ),
        (
            200,
            "isv.TEMPLATE_MISSING_PARAMETERS",
            "模板缺少变量",
            InvalidRequestParameters,
        ),
        (
            200,
            "isv.INVALID_PARAMETERS",
            "参数异常",
            InvalidRequestParameters,
        ),
        (
            400,
            "SignatureDoesNotMatch",
            "Specified signature is not matched with our calculation.",
            InvalidConfig,
        ),
        (
            404,
            "InvalidAccessKeyId.NotFound",
            "Specified access key is not found.",
            InvalidConfig,
        ),
        (
            400,
            "InvalidAccessKeyId.Inactive",
            "Specified access key is disabled.",
            InvalidConfig,
        ),
        (200, "isp.RAM_PERMISSION_DENY", "RAM权限DENY", InvalidConfig),
        (
            200,
            "isv.SMS_SIGNATURE_ILLEGAL",
            "该账号下找不到对应签名",
            InvalidConfig,
        ),
        (
            200,
            "isv.SMS_TEMPLATE_ILLEGAL",
            "该账号下找不到对应模板",
            InvalidConfig,
        ),
        (
            200,
            "isv.SMS_SIGNATURE_SCENE_ILLEGAL",
            "签名和模板类型不一致",
            InvalidConfig,
        ),
        (200, "isv.SMS_SIGN_ILLEGAL", "签名禁止使用", InvalidConfig),
        (200, "isv.ACCOUNT_NOT_EXISTS", "账户不存在", InvalidConfig),
        (200, "isv.ACCOUNT_ABNORMAL", "账户异常", InvalidConfig),
        (
            200,
            "isv.PRODUCT_UN_SUBSCRIPT",
            "未开通云通信产品的阿里云客户",
            InvalidConfig,
        ),
        (200, "isv.PRODUCT_UNSUBSCRIBE", "产品未开通", InvalidConfig),
        (
            200,
            "isv.INVALID_JSON_PARAM",
            "JSON参数不合法，只接受字符串值",
            InvalidRequestParameters,
        ),
        (
            200,
            "isv.PARAM_LENGTH_LIMIT",
            "参数超出长度限制",
            InvalidRequestParameters,
        ),
        (
            200,
            "isv.MOBILE_COUNT_OVER_LIMIT",
            "手机号码数量超过限制",
            InvalidRequestParameters,
        ),
        (
            200,
            "isv.TEMPLATE_PARAMS_ILLEGAL",
            "模板变量里包含非法关键字",
            InvalidRequestParameters,
        ),
        (200, "isv.SOME_NEW_CODE", "未知错误", General),
        (
            500,
            "InternalError",
            "The request processing has failed due to some unknown error.",
            General,
        ),
    ];
    for (status, code, message, expected) in cases {
        let request_id = format!("REQ-{code}");
        let body = json!({
            "Code": code,
            "Message": message,
            "RequestId": request_id,
            "Recommend": format!("https://api.aliyun.com/troubleshoot?q={code}&product=Dysmsapi"),
        })
        .to_string();
        let error = Aliyun::parse_response(&answer(status, &body)).unwrap_err();
        assert_eq!(error.code(), expected, "{code}");
        assert_eq!(error.details().provider_code.as_deref(), Some(code));
        assert_eq!(error.details().provider_message.as_deref(), Some(message));
        assert_eq!(
            error.details().request_id.as_deref(),
            Some(request_id.as_str())
        );
        assert!(error.to_string().contains(message), "{error}");
        assert!(error.to_string().contains("troubleshoot"), "{error}");
        assert_eq!(
            error.is_retryable(),
            expected == RateLimitExceeded,
            "{code}"
        );
    }
    // Every row of the table has a recorded body above.
    for row in Aliyun::ERROR_MAPPINGS {
        assert!(
            cases.iter().any(|(_, code, _, _)| row.matches(code)),
            "no recorded body for {}",
            row.provider_code
        );
    }
}

#[test]
fn a_body_without_message_or_recommend_still_maps() {
    let error =
        Aliyun::parse_response(&answer(200, r#"{"Code":"isv.DAY_LIMIT_CONTROL"}"#)).unwrap_err();
    assert_eq!(error.code(), ConnectorErrorCode::RateLimitExceeded);
    assert_eq!(error.details().request_id, None);
    assert_eq!(
        error.to_string(),
        "Aliyun rejected the message with code isv.DAY_LIMIT_CONTROL"
    );
}

#[test]
fn unexpected_bodies_are_invalid_response() {
    let cases = [
        (200, "<html><body>Service Unavailable</body></html>"),
        (503, "<html><body>Service Unavailable</body></html>"),
        (200, r#"{"Code":"OK","BizId":"9006197469364"#),
        (400, r#"{"Code":"isv.INVALID_PARAMETERS","Mess"#),
        (200, ""),
        (200, "[1,2]"),
        (200, "null"),
        (200, r#"{"Message":"OK","RequestId":"R"}"#),
        (200, r#"{"Code":42,"Message":"odd"}"#),
        (200, r#"{"Code":"OK","Message":"OK","RequestId":"R"}"#),
        (200, r#"{"Code":"OK","BizId":""}"#),
        (400, r#"{"Code":"OK","BizId":"1^0"}"#),
        (200, "\u{feff}{\"Code\":\"OK\"}"),
    ];
    for (status, body) in cases {
        let error = Aliyun::parse_response(&answer(status, body)).unwrap_err();
        assert_eq!(
            error.code(),
            ConnectorErrorCode::InvalidResponse,
            "{status} {body}"
        );
    }
    let long = format!("<html>{}</html>", "x".repeat(5_000));
    let error = Aliyun::parse_response(&answer(502, &long)).unwrap_err();
    assert!(error.to_string().len() < 400, "the body is excerpted");
}

// ---------------------------------------------------------------------------------------
// Examples.

/// The schema's examples make a config that validates (the generated docs build their
/// example config the same way).
#[test]
fn schema_examples_make_a_valid_config() {
    let factory = factory();
    let example: Map<String, Value> = factory.config_schema()["properties"]
        .as_object()
        .unwrap()
        .iter()
        .filter_map(|(key, field)| Some((key.clone(), field["examples"].get(0)?.clone())))
        .collect();
    factory.validate_config(&Value::Object(example)).unwrap();
}

/// Every JSON block in the setup guide that looks like a whole config validates.
#[test]
fn the_guide_config_validates() {
    let guide = include_str!("../guide.md");
    let configs: Vec<Value> = guide
        .split("```json\n")
        .skip(1)
        .filter_map(|block| block.split("```").next())
        .filter_map(|block| serde_json::from_str::<Value>(block).ok())
        .filter(|value| value.get("accessKeyId").is_some())
        .collect();
    assert_eq!(configs.len(), 1);
    for config in configs {
        factory().validate_config(&config).unwrap();
    }
}

// ---------------------------------------------------------------------------------------
// The V3 signature (`signatureVersion: "v3"`).

fn v3_config(endpoint: &str) -> Value {
    let mut c = config(endpoint);
    c["signatureVersion"] = json!("v3");
    c
}

#[test]
fn signature_version_is_v1_or_v3_and_defaults_to_v1() {
    let parsed = factory()
        .parse(&config("https://dysmsapi.aliyuncs.com"))
        .unwrap();
    assert_eq!(
        parsed.config.signature_version,
        connector_aliyun_sms::SignatureVersion::V1
    );
    assert!(parsed.warnings.is_empty());
    let parsed = factory()
        .parse(&v3_config("https://dysmsapi.aliyuncs.com"))
        .unwrap();
    assert_eq!(
        parsed.config.signature_version,
        connector_aliyun_sms::SignatureVersion::V3
    );
    assert!(parsed.warnings.is_empty());
    for (bad, message) in [
        (
            json!("V3"),
            "unknown signature version \"V3\"; expected one of v1, v3",
        ),
        (
            json!("v2"),
            "unknown signature version \"v2\"; expected one of v1, v3",
        ),
        (json!(3), "expected a string, found an integer"),
    ] {
        let mut c = config("https://dysmsapi.aliyuncs.com");
        c["signatureVersion"] = bad;
        assert_eq!(problems(&c), [format!("/signatureVersion: {message}")]);
    }
}

#[test]
fn v3_request_snapshot() {
    let connector = connector(&v3_config("https://dysmsapi.aliyuncs.com"));
    let data = SendMessageData::code("+8613800138000", TemplateType::SignIn, "123456");
    let request = connector
        .prepare_with(&data, &RequestContext::fixed(1_700_000_000, "fixed-nonce"))
        .unwrap();
    let printed = request.to_string();
    assert!(!printed.contains(SECRET));
    insta::assert_snapshot!("request_v3", printed);
    assert!(request.body.is_empty());
    assert_eq!(
        request.url,
        "https://dysmsapi.aliyuncs.com/?PhoneNumbers=13800138000&SignName=%E9%98%BF%E9%87%8C%E4%BA%91%E7%9F%AD%E4%BF%A1%E6%B5%8B%E8%AF%95&TemplateCode=SMS_CN_SIGNIN&TemplateParam=%7B%22code%22%3A%22123456%22%7D"
    );
    for (name, value) in [
        ("host", "dysmsapi.aliyuncs.com"),
        ("x-acs-action", "SendSms"),
        ("x-acs-version", "2017-05-25"),
        ("x-acs-date", "2023-11-14T22:13:20Z"),
        ("x-acs-signature-nonce", "fixed-nonce"),
        (
            "x-acs-content-sha256",
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        ),
    ] {
        assert_eq!(request.header(name), Some(value), "{name}");
    }
    let authorization = request.header("authorization").unwrap();
    assert!(
        authorization.starts_with(&format!(
            "ACS3-HMAC-SHA256 Credential={KEY_ID},SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature="
        )),
        "{authorization}"
    );
    assert!(!printed.contains(authorization), "the signature is hidden");
}

/// Over loopback: the headers the client actually sent (`host` with its port included)
/// recompute to the signature, by the stage-by-stage signer.
#[tokio::test]
async fn v3_sends_over_http_and_the_signature_recomputes_from_what_arrived() {
    let server = CaptureServer::start(CannedResponse::json(200, ok_body()))
        .await
        .unwrap();
    let connector = factory().create(&v3_config(server.origin())).unwrap();
    let data = SendMessageData::code("+85291234567", TemplateType::Generic, "654321");
    connector.send_message(&data).await.unwrap();
    let request = &server.requests()[0];
    assert_eq!(request.method, "POST");
    assert!(request.body.is_empty());
    let (path, query) = request.path.split_once('?').unwrap();
    assert_eq!(path, "/");
    let query = form_pairs(query.as_bytes());
    assert_eq!(field(&query, "PhoneNumbers"), "85291234567");
    assert_eq!(field(&query, "TemplateCode"), "SMS_INTL_GENERIC");
    assert_eq!(field(&query, "TemplateParam"), r#"{"code":"654321"}"#);
    let names = [
        "host",
        "x-acs-action",
        "x-acs-content-sha256",
        "x-acs-date",
        "x-acs-signature-nonce",
        "x-acs-version",
    ];
    let headers: Vec<(&str, &str)> = names
        .iter()
        .map(|n| (*n, request.header(n).unwrap()))
        .collect();
    assert_eq!(
        request.header("host").unwrap(),
        server.origin().trim_start_matches("http://")
    );
    let signed = connector_aliyun_sms::sign::v3::sign(
        HttpMethod::Post,
        "/",
        query,
        headers,
        connector_aliyun_sms::sign::v3::EMPTY_PAYLOAD_SHA256,
        KEY_ID,
        SECRET,
    );
    assert_eq!(
        request.header("authorization"),
        Some(signed.authorization.as_str())
    );
}

#[test]
fn configs_built_in_rust_choose_the_signature_version() {
    use connector_aliyun_sms::{AliyunConfig, AliyunTemplate, SignatureVersion};
    let templates = ["SignIn", "Register", "ForgotPassword", "Generic"]
        .map(|t| AliyunTemplate::new(serde_json::from_value(json!(t)).unwrap(), "SMS_1"))
        .to_vec();
    let config = AliyunConfig::new(KEY_ID, SECRET, SIGN_NAME, templates)
        .with_signature_version(SignatureVersion::V3);
    assert_eq!(
        serde_json::to_value(&config).unwrap()["signatureVersion"],
        "v3"
    );
    assert!(!format!("{config:?}").contains(SECRET));
    AliyunConnector::new(config).unwrap();
}
