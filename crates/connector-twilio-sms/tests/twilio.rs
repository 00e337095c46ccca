//! What is Twilio's own: its config rules, the built request, and the exact form fields and
//! error mapping of a send over loopback HTTP. What every connector does is in `contract.rs`.
#![allow(clippy::unwrap_used, reason = "test helpers fail loudly")]

use base64::Engine;
use connector_kit::testing::{CannedResponse, CaptureServer};
use connector_kit::{
    ConnectorErrorCode, ConnectorFactory, RequestContext, SendMessageData, TemplateType,
};
use connector_twilio_sms::{TwilioConnector, factory};
use serde_json::{Value, json};

const SID: &str = "AC0123456789abcdef0123456789abcdef";
const TOKEN: &str = "twilio-token-SECRET-5f3a";
const SERVICE: &str = "MG0123456789abcdef0123456789abcdef";

fn config(endpoint: &str) -> Value {
    json!({
        "accountSID": SID,
        "authToken": TOKEN,
        "fromMessagingServiceSID": SERVICE,
        "templates": [
            {"usageType": "SignIn", "content": "Sign-in code: {{code}}"},
            {"usageType": "Register", "content": "Welcome! Code {{ code }}"},
            {"usageType": "ForgotPassword", "content": "Reset code {{code}}"},
            {"usageType": "Generic", "content": "Your code is {{code}}. {{link}}"},
        ],
        "endpoint": endpoint,
    })
}

fn problems(config: &Value) -> Vec<String> {
    connector_kit::testing::problems(&factory(), config)
}

#[test]
fn valid_config_passes_and_logto_config_without_new_fields_passes() {
    factory()
        .validate_config(&config("https://api.twilio.com"))
        .unwrap();
    let mut logto = config("https://api.twilio.com");
    logto.as_object_mut().unwrap().remove("endpoint");
    factory().validate_config(&logto).unwrap();
}

#[test]
fn wrong_type_in_template_content_names_the_path() {
    let mut c = config("https://api.twilio.com");
    c["templates"][0]["content"] = json!(42);
    assert_eq!(
        problems(&c),
        ["/templates/0/content: expected a string, found an integer"]
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    let c = json!({
        "accountSID": "not-a-sid",
        "authToken": "",
        "templates": [{"usageType": "Signin", "content": ""}],
        "disableRiskCheck": "yes",
        "endpoint": "http://api.twilio.com",
        "timeoutMs": 5,
        "extra": true,
    });
    let got = problems(&c);
    let expected = [
        "/fromMessagingServiceSID: required field is missing",
        "/accountSID: is not a valid Account SID: expected to match ^AC[0-9a-fA-F]{32}$",
        "/authToken: must not be empty",
        "/templates/0/content: must not be empty",
        "/templates: missing a template with usageType Register",
        "/templates: missing a template with usageType SignIn",
        "/templates: missing a template with usageType ForgotPassword",
        "/templates: missing a template with usageType Generic",
        "/disableRiskCheck: expected a boolean, found a string",
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

#[test]
fn built_request_snapshot() {
    let connector = TwilioConnector::from_json(&config("https://api.twilio.com")).unwrap();
    let data = SendMessageData::code("14155550100", TemplateType::MfaVerification, "123456");
    let request = connector
        .prepare_with(&data, &RequestContext::fixed(0, "n"))
        .unwrap();
    let printed = request.to_string();
    assert!(!printed.contains(TOKEN));
    insta::assert_snapshot!("request", printed);
    let expected = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{SID}:{TOKEN}"))
    );
    assert_eq!(request.header("authorization"), Some(expected.as_str()));
}

#[test]
fn risk_check_follows_the_config() {
    let mut c = config("https://api.twilio.com");
    c["disableRiskCheck"] = json!(true);
    let connector = TwilioConnector::from_json(&c).unwrap();
    let data = SendMessageData::code("+14155550100", TemplateType::SignIn, "1");
    let body = connector
        .prepare_with(&data, &RequestContext::now())
        .unwrap()
        .body;
    assert!(
        String::from_utf8(body)
            .unwrap()
            .ends_with("RiskCheck=disable")
    );
}

#[tokio::test]
async fn sends_over_http_and_reads_the_receipt() {
    let server = CaptureServer::start(CannedResponse {
        status: 201,
        headers: vec![
            ("Content-Type".into(), "application/json".into()),
            ("Twilio-Request-Id".into(), "RQ0001".into()),
        ],
        body: json!({"sid": "SM0123456789abcdef0123456789abcdef", "status": "accepted"})
            .to_string(),
        ..CannedResponse::json(201, "")
    })
    .await
    .unwrap();
    let connector = factory().create(&config(server.origin())).unwrap();
    let mut data = SendMessageData::code("+8613800138000", TemplateType::BindMfa, "654321");
    data.payload.link = Some("https://example.com/a?b=c&d=e".into());
    let receipt = connector.send_message(&data).await.unwrap();
    assert_eq!(receipt.message_id, "SM0123456789abcdef0123456789abcdef");
    assert_eq!(receipt.request_id.as_deref(), Some("RQ0001"));

    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method, "POST");
    assert_eq!(
        request.path,
        format!("/2010-04-01/Accounts/{SID}/Messages.json")
    );
    let auth = request
        .header("authorization")
        .unwrap()
        .strip_prefix("Basic ")
        .unwrap();
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(auth)
        .unwrap();
    assert_eq!(
        String::from_utf8(decoded).unwrap(),
        format!("{SID}:{TOKEN}")
    );
    assert_eq!(
        request.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert!(
        request
            .header("user-agent")
            .unwrap()
            .starts_with("sms-connector-kit/")
    );
    let form: Vec<(String, String)> = request.form();
    let expected: Vec<(String, String)> = [
        ("To", "+8613800138000"),
        ("MessagingServiceSid", SERVICE),
        ("Body", "Your code is 654321. https://example.com/a?b=c&d=e"),
        ("RiskCheck", "enable"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    assert_eq!(form, expected);
}

#[tokio::test]
async fn twilio_error_bodies_are_mapped_with_details() {
    let server = CaptureServer::start(CannedResponse::json(
        401,
        json!({"code": 20003, "message": "Authenticate", "more_info": "https://www.twilio.com/docs/errors/20003", "status": 401}).to_string(),
    ))
    .await
    .unwrap();
    let connector = factory().create(&config(server.origin())).unwrap();
    let error = connector
        .send_message(&SendMessageData::code(
            "+14155550100",
            TemplateType::SignIn,
            "1",
        ))
        .await
        .unwrap_err();
    assert_eq!(error.code(), ConnectorErrorCode::InvalidConfig);
    assert_eq!(error.details().provider_code.as_deref(), Some("20003"));
    assert_eq!(error.details().http_status, Some(401));
    assert!(!error.is_retryable());
    assert!(!format!("{error} {error:?}").contains(TOKEN));
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn payload_values_cannot_inject_fields_or_placeholders() {
    let connector = TwilioConnector::from_json(&config("https://api.twilio.com")).unwrap();
    let mut data = SendMessageData::code(
        "+14155550100",
        TemplateType::Generic,
        "1&To=+19999999999&Body=x {{link}}",
    );
    data.payload.link = Some("LINK".into());
    let request = connector
        .prepare_with(&data, &RequestContext::now())
        .unwrap();
    let form = connector_kit::testing::form_pairs(&request.body);
    let names: Vec<&str> = form.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(names, ["To", "MessagingServiceSid", "Body", "RiskCheck"]);
    assert_eq!(form[0].1, "+14155550100");
    assert_eq!(
        form[2].1,
        "Your code is 1&To=+19999999999&Body=x {{link}}. LINK"
    );
}
