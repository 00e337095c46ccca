//! What is Twilio's own: its config rules, the built request, and the exact form fields and
//! error mapping of a send over loopback HTTP. What every connector does is in `contract.rs`.
#![allow(clippy::unwrap_used, reason = "test helpers fail loudly")]

use base64::Engine;
use connector_kit::testing::{CannedResponse, CaptureServer};
use connector_kit::{
    ConnectorErrorCode, ConnectorFactory, RequestContext, SendMessageData, TemplateType,
};
use connector_twilio_sms::{TwilioConfig, TwilioConnector, TwilioTemplate, factory};
use serde_json::{Value, json};

const SID: &str = "AC0123456789abcdef0123456789abcdef";
const TOKEN: &str = "twilio-token-SECRET-5f3a";
const SERVICE: &str = "MG0123456789abcdef0123456789abcdef";
const KEY_SID: &str = "SK0123456789abcdef0123456789abcdef";
const KEY_SECRET: &str = "twilio-key-SECRET-9c1d";

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
        "/: needs a Messaging Service (fromMessagingServiceSID) or a sender (from)",
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

/// A config with an API key instead of the auth token, sending from a number.
fn api_key_config(endpoint: &str) -> Value {
    let mut c = config(endpoint);
    let object = c.as_object_mut().unwrap();
    object.remove("authToken");
    object.remove("fromMessagingServiceSID");
    object.insert("apiKeySID".into(), json!(KEY_SID));
    object.insert("apiKeySecret".into(), json!(KEY_SECRET));
    object.insert("from".into(), json!("+15017122661"));
    c
}

fn warnings(config: &Value) -> Vec<String> {
    factory()
        .validate_config(config)
        .unwrap()
        .iter()
        .map(ToString::to_string)
        .collect()
}

#[test]
fn logto_configs_stay_valid_with_no_new_warning() {
    assert!(warnings(&config("https://api.twilio.com")).is_empty());
    assert!(warnings(&api_key_config("https://api.twilio.com")).is_empty());
}

#[test]
fn credentials_are_the_auth_token_or_a_whole_api_key() {
    let mut neither = config("https://api.twilio.com");
    neither.as_object_mut().unwrap().remove("authToken");
    assert_eq!(
        problems(&neither),
        ["/: needs an auth token (authToken) or an API key (apiKeySID and apiKeySecret)"]
    );

    let mut half_key = config("https://api.twilio.com");
    half_key["apiKeySID"] = json!(KEY_SID);
    assert_eq!(
        problems(&half_key),
        ["/apiKeySecret: required with apiKeySID, which is set"]
    );
    let mut only_secret = api_key_config("https://api.twilio.com");
    only_secret.as_object_mut().unwrap().remove("apiKeySID");
    assert_eq!(
        problems(&only_secret),
        [
            "/apiKeySID: required with apiKeySecret, which is set",
            "/: needs an auth token (authToken) or an API key (apiKeySID and apiKeySecret)",
        ]
    );

    let mut bad = api_key_config("https://api.twilio.com");
    bad["apiKeySID"] = json!("AC0123456789abcdef0123456789abcdef");
    bad["apiKeySecret"] = json!("<api-key-secret>");
    assert_eq!(
        problems(&bad),
        [
            "/apiKeySID: is not a valid API key SID: expected to match ^SK[0-9a-fA-F]{32}$",
            "/apiKeySecret: is an unfilled <placeholder>; replace it with the real value",
        ]
    );

    // Both: the API key signs, the token is not used.
    let mut both = api_key_config("https://api.twilio.com");
    both["authToken"] = json!(TOKEN);
    assert!(warnings(&both).is_empty());
    let request = TwilioConnector::from_json(&both)
        .unwrap()
        .prepare_with(
            &SendMessageData::code("+14155550100", TemplateType::SignIn, "1"),
            &RequestContext::fixed(0, "n"),
        )
        .unwrap();
    assert_eq!(
        request.header("authorization"),
        Some(basic(KEY_SID, KEY_SECRET).as_str())
    );
}

#[test]
fn the_sender_is_a_messaging_service_or_from_exactly_one() {
    let mut both = config("https://api.twilio.com");
    both["from"] = json!("+15017122661");
    assert_eq!(
        problems(&both),
        ["/: takes a Messaging Service (fromMessagingServiceSID) or a sender (from), not both"]
    );
    for ok in ["+15017122661", "Acme", "Acme Inc 24", "12345"] {
        let mut c = api_key_config("https://api.twilio.com");
        c["from"] = json!(ok);
        assert!(warnings(&c).is_empty(), "{ok}");
    }
    for (bad, message) in [
        ("", "must not be empty"),
        (
            "<from>",
            "\"<from>\" is a placeholder; replace it with the real value",
        ),
        (
            " Acme",
            "is not a valid Sender: expected to match ^(\\+[1-9][0-9]{6,14}|[A-Za-z0-9][A-Za-z0-9 ]{0,10})$",
        ),
        (
            "Acme Company Ltd",
            "is not a valid Sender: expected to match ^(\\+[1-9][0-9]{6,14}|[A-Za-z0-9][A-Za-z0-9 ]{0,10})$",
        ),
        (
            "+0123456789",
            "is not a valid Sender: expected to match ^(\\+[1-9][0-9]{6,14}|[A-Za-z0-9][A-Za-z0-9 ]{0,10})$",
        ),
    ] {
        let mut c = api_key_config("https://api.twilio.com");
        c["from"] = json!(bad);
        assert_eq!(problems(&c), [format!("/from: {message}")], "{bad:?}");
    }
    let mut null = api_key_config("https://api.twilio.com");
    null["from"] = Value::Null;
    assert_eq!(problems(&null), ["/from: expected a string, found null"]);
}

fn basic(user: &str, password: &str) -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
    )
}

#[tokio::test]
async fn api_key_requests_use_the_key_in_basic_auth_and_the_account_in_the_path() {
    let server = CaptureServer::start(CannedResponse::json(
        201,
        json!({"sid": "SM0123456789abcdef0123456789abcdef", "status": "queued"}).to_string(),
    ))
    .await
    .unwrap();
    let connector = factory().create(&api_key_config(server.origin())).unwrap();
    let data = SendMessageData::code("+14155550100", TemplateType::SignIn, "123456");
    connector.send_message(&data).await.unwrap();
    let request = &server.requests()[0];
    assert_eq!(
        request.path,
        format!("/2010-04-01/Accounts/{SID}/Messages.json")
    );
    assert_eq!(
        request.header("authorization"),
        Some(basic(KEY_SID, KEY_SECRET).as_str())
    );
    let form = request.form();
    let names: Vec<&str> = form.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(names, ["To", "From", "Body", "RiskCheck"]);
    assert_eq!(form[1].1, "+15017122661");

    let dry_run = TwilioConnector::from_json(&api_key_config(server.origin()))
        .unwrap()
        .prepare_with(&data, &RequestContext::fixed(0, "n"))
        .unwrap()
        .to_string();
    assert!(!dry_run.contains(KEY_SECRET), "{dry_run}");
    let debug = format!("{:?}", factory().create(&api_key_config(server.origin())));
    assert!(!debug.contains(KEY_SECRET));
}

#[test]
fn configs_built_in_rust_use_the_builder_methods() {
    let templates = ["SignIn", "Register", "ForgotPassword", "Generic"]
        .map(|t| TwilioTemplate::new(serde_json::from_value(json!(t)).unwrap(), "Code {{code}}"))
        .to_vec();
    let logto = TwilioConfig::new(SID, TOKEN, SERVICE, templates.clone());
    let with_key = logto
        .clone()
        .with_api_key(KEY_SID, KEY_SECRET)
        .with_from("Acme");
    let json = serde_json::to_value(&with_key).unwrap();
    assert_eq!(json["apiKeySID"], KEY_SID);
    assert_eq!(json["from"], "Acme");
    assert!(json.get("authToken").is_none() && json.get("fromMessagingServiceSID").is_none());
    assert!(!format!("{with_key:?}").contains(KEY_SECRET));
    for config in [
        logto.clone(),
        with_key.clone(),
        with_key.with_messaging_service(SERVICE),
    ] {
        TwilioConnector::new(config).unwrap();
    }
    assert_eq!(
        serde_json::to_value(&logto).unwrap()["fromMessagingServiceSID"],
        SERVICE
    );
}
