//! The HTTP connector's own requests, answers and config rules (the contract suite covers
//! what every connector does).
#![allow(clippy::unwrap_used, reason = "test helpers fail loudly")]

use connector_http_sms::sign::{key_of_secret, sign};
use connector_http_sms::{Http, HttpConfig, HttpConnector, HttpTemplate, factory};
use connector_kit::testing::{CannedResponse, CaptureServer, problems};
use connector_kit::{
    ConnectorErrorCode, ConnectorFactory, Delivery, Endpoint, HttpResponse, Provider,
    RequestContext, SendMessageData, TemplateType,
};
use serde_json::{Value, json};

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

fn templates() -> Value {
    json!([
        {"usageType": "SignIn", "content": "Sign-in code: {{code}}"},
        {"usageType": "Register", "content": "Welcome! Code {{code}}"},
        {"usageType": "ForgotPassword", "content": "Reset code {{code}}"},
        {"usageType": "Generic", "content": "Your code is {{code}}."},
    ])
}

fn config(endpoint: &str, extra: Value) -> Value {
    let mut config = json!({ "endpoint": endpoint });
    if let (Some(object), Some(extra)) = (config.as_object_mut(), extra.as_object()) {
        object.extend(extra.clone());
    }
    config
}

fn connector(extra: Value) -> HttpConnector {
    HttpConnector::from_json(&config(
        "https://sms.example.com/v1/send?tenant=acme",
        extra,
    ))
    .unwrap_or_else(|e| panic!("{e}: {:?}", e.details().problems))
}

fn sign_in() -> SendMessageData {
    let mut data = SendMessageData::code("+14155550100", TemplateType::SignIn, "123456");
    data.payload.locale = Some("en".into());
    data
}

fn context() -> RequestContext {
    RequestContext::fixed(1_700_000_000, "0f5c2a4e")
}

fn body(request: &connector_kit::HttpRequest) -> Value {
    serde_json::from_slice(&request.body).unwrap()
}

#[test]
fn the_default_body_has_the_documented_shape() {
    let plain = connector(json!({}));
    let request = plain.prepare_with(&sign_in(), &context()).unwrap();
    assert_eq!(request.url, "https://sms.example.com/v1/send?tenant=acme");
    assert_eq!(
        body(&request),
        json!({"to": "+14155550100", "type": "SignIn", "payload": {"code": "123456", "locale": "en"}})
    );
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(request.header("webhook-id"), Some("msg_0f5c2a4e"));
    assert_eq!(request.header("webhook-timestamp"), Some("1700000000"));
    assert_eq!(request.header("webhook-signature"), None, "unsigned");

    let with_text = connector(json!({"templates": templates()}));
    let mut data = sign_in();
    data.ip = Some("203.0.113.7".into());
    data.template_type = TemplateType::MfaVerification;
    let body = body(&with_text.prepare_with(&data, &context()).unwrap());
    assert_eq!(
        body,
        json!({
            "to": "+14155550100",
            "type": "MfaVerification",
            "text": "Your code is 123456.",
            "payload": {"code": "123456", "locale": "en"},
            "ip": "203.0.113.7",
        }),
        "the usage type is the message's own; the text falls back to Generic"
    );
}

#[test]
fn a_body_template_fills_strings_and_escapes_values() {
    let templated = connector(json!({
        "templates": templates(),
        "body": {
            "phone": "{{to}}",
            "message": "{{ text }}",
            "otp": "{{code}}",
            "meta": {"purpose": "{{type}}", "lang": "{{locale}}", "ip": "{{ip}}", "n": 3, "list": ["{{payload.org.name}}", true]},
            "all": "{{payload}}",
        },
    }));
    let mut data = sign_in();
    data.payload
        .extra
        .insert("org".into(), json!({"name": "Acme \"Q\" \\ 😀"}));
    data.payload.code = Some("12\"}, \"x\": \"3".into());
    // Quotes are not control characters: the code is sent, escaped inside its string.
    let body = body(&templated.prepare_with(&data, &context()).unwrap());
    assert_eq!(body["phone"], "+14155550100");
    assert_eq!(body["message"], "Sign-in code: 12\"}, \"x\": \"3");
    assert_eq!(body["otp"], "12\"}, \"x\": \"3");
    assert_eq!(body["meta"]["purpose"], "SignIn");
    assert_eq!(body["meta"]["lang"], "en");
    assert_eq!(body["meta"]["ip"], "", "a value the message lacks is empty");
    assert_eq!(body["meta"]["n"], 3);
    assert_eq!(body["meta"]["list"], json!(["Acme \"Q\" \\ 😀", true]));
    assert_eq!(body.as_object().unwrap().len(), 5, "no key was injected");
    let all: Value = serde_json::from_str(body["all"].as_str().unwrap()).unwrap();
    assert_eq!(all["locale"], "en");
}

#[test]
fn a_signed_request_verifies_and_its_headers_are_redacted_when_printed() {
    let signed = connector(json!({
        "signingSecret": SECRET,
        "headers": {"Authorization": "Bearer tok-SECRET-1", "X-Api-Key": "key-SECRET-2"},
    }));
    let request = signed.prepare_with(&sign_in(), &context()).unwrap();
    let key = key_of_secret(SECRET).unwrap();
    assert_eq!(
        request.header("webhook-signature"),
        Some(sign(&key, "msg_0f5c2a4e", 1_700_000_000, &request.body).as_str())
    );
    assert_eq!(request.header("authorization"), Some("Bearer tok-SECRET-1"));
    assert_eq!(request.header("x-api-key"), Some("key-SECRET-2"));
    let printed = format!("{request}\n{request:?}\n{signed:?}");
    for secret in [
        "tok-SECRET-1",
        "key-SECRET-2",
        "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    ] {
        assert!(!printed.contains(secret), "{secret} printed:\n{printed}");
    }
    let signature = request.header("webhook-signature").unwrap();
    assert!(
        !printed.contains(signature),
        "the signature is redacted too"
    );
}

#[test]
fn config_rules_the_schema_cannot_say() {
    let f = factory();
    let bad = config(
        "https://sms.example.com/send",
        json!({
            "headers": {"Content-Type": "text/plain", "X-Key": "a", "x-key": "b", "Webhook-Signature": "v1,x"},
            "body": {"to": "{{too}}", "nested": ["{{text}}", {"x": "{{payload.a.b}} {{codes}}"}]},
        }),
    );
    assert_eq!(
        problems(&f, &bad),
        [
            "/headers/Content-Type: the connector sets Content-Type itself; remove it from headers",
            "/headers/Webhook-Signature: the connector sets Webhook-Signature itself; remove it from headers",
            "/headers/x-key: x-key is set twice (header names are compared without case)",
            "/body/to: unknown placeholder {{too}} (did you mean {{to}}?); the body template knows {{to}}, {{type}}, {{text}}, {{code}}, {{locale}}, {{link}}, {{uiLocales}}, {{ip}}, {{payload}}, and {{payload.<key>}}",
            "/body/nested/0: {{text}} is the rendered template, but the config has no templates",
            "/body/nested/1/x: unknown placeholder {{codes}} (did you mean {{code}}?); the body template knows {{to}}, {{type}}, {{text}}, {{code}}, {{locale}}, {{link}}, {{uiLocales}}, {{ip}}, {{payload}}, and {{payload.<key>}}",
        ]
    );
    let long = config(
        "https://sms.example.com/send",
        json!({"signingSecret": "whsec_TExMTExMTExMTExMTExMTExMTExMTExMTExMTExMTExMTExMTExMTExMTExMTExMTExMTExMTExMTExMTExMTExM"}),
    );
    let found = problems(&f, &long);
    assert_eq!(
        found,
        ["/signingSecret: the key must be 24 to 64 bytes long; this one is 66 bytes"]
    );
    let odd = config(
        "https://sms.example.com/send",
        json!({"signingSecret": "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}),
    );
    assert_eq!(
        problems(&f, &odd),
        ["/signingSecret: the part after whsec_ is not valid base64"]
    );
    for (what, bad) in [
        ("no endpoint", json!({})),
        (
            "plain http",
            json!({"endpoint": "http://sms.example.com/send"}),
        ),
        (
            "a fragment",
            json!({"endpoint": "https://sms.example.com/send#x"}),
        ),
        (
            "not whsec",
            config(
                "https://a.example/s",
                json!({"signingSecret": "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}),
            ),
        ),
        (
            "a header name with a space",
            config("https://a.example/s", json!({"headers": {"X Key": "v"}})),
        ),
        (
            "an empty header value",
            config("https://a.example/s", json!({"headers": {"X-Key": ""}})),
        ),
        (
            "a relative pointer",
            config("https://a.example/s", json!({"messageIdPointer": "id"})),
        ),
        (
            "a body that is not an object",
            config("https://a.example/s", json!({"body": "{{to}}"})),
        ),
    ] {
        let error = f
            .validate_config(&bad)
            .err()
            .unwrap_or_else(|| panic!("{what} is invalid"));
        assert_eq!(error.code(), ConnectorErrorCode::InvalidConfig, "{what}");
    }
    let missing = problems(&f, &json!({}));
    assert_eq!(missing, ["/endpoint: required field is missing"]);
}

#[test]
fn a_config_built_in_rust_follows_the_same_rules() {
    let endpoint = Endpoint::parse_url("https://sms.example.com/send").unwrap();
    let config = HttpConfig::new(endpoint.clone())
        .signed_with(SECRET)
        .with_header("Authorization", "Bearer t")
        .with_templates(vec![
            HttpTemplate::new(TemplateType::SignIn, "a {{code}}"),
            HttpTemplate::new(TemplateType::Register, "b {{code}}"),
            HttpTemplate::new(TemplateType::ForgotPassword, "c {{code}}"),
            HttpTemplate::new(TemplateType::Generic, "d {{code}}"),
        ])
        .with_message_id_pointer("/id");
    assert!(HttpConnector::new(config).is_ok());
    let reserved = HttpConfig::new(endpoint.clone()).with_header("Host", "evil.example");
    let error = HttpConnector::new(reserved).unwrap_err();
    assert_eq!(error.code(), ConnectorErrorCode::InvalidConfig);
    let unknown =
        HttpConfig::new(endpoint).with_body(json!({"x": "{{nope}}"}).as_object().unwrap().clone());
    assert!(HttpConnector::new(unknown).is_err());
}

fn answer(status: u16, body: &str) -> HttpResponse {
    HttpResponse::new(status, body.as_bytes().to_vec())
}

#[test]
fn answers_are_read_by_status_and_pointer() {
    let read = |pointer: Option<&str>, response: HttpResponse| {
        let mut json = config("https://a.example/s", json!({}));
        if let Some(pointer) = pointer {
            json["messageIdPointer"] = json!(pointer);
        }
        let config = factory().parse(&json).unwrap().config;
        Http::read_response(&config, &context(), &response)
    };
    let receipt = read(None, answer(204, "")).unwrap();
    assert_eq!(
        receipt.message_id, "msg_0f5c2a4e",
        "the webhook-id names the message"
    );
    let receipt = read(
        Some("/data/id"),
        answer(202, r#"{"data": {"id": "sms_9"}}"#).with_header("X-Request-Id", "req-1"),
    )
    .unwrap();
    assert_eq!(receipt.message_id, "sms_9");
    assert_eq!(receipt.request_id.as_deref(), Some("req-1"));
    assert_eq!(
        read(Some("/n"), answer(200, r#"{"n": 42}"#))
            .unwrap()
            .message_id,
        "42"
    );
    assert_eq!(
        read(Some("/a~1b"), answer(200, r#"{"a/b": "x"}"#))
            .unwrap()
            .message_id,
        "x"
    );
    for (body, why) in [
        (r#"{"data": {}}"#, "nothing at"),
        (r#"{"data": {"id": null}}"#, "null at"),
        (r#"{"data": {"id": ""}}"#, "an empty string at"),
        ("OK", "not JSON"),
    ] {
        let error = read(Some("/data/id"), answer(200, body)).unwrap_err();
        assert_eq!(error.code(), ConnectorErrorCode::InvalidResponse, "{body}");
        assert!(error.message().contains(why), "{body}: {error}");
    }

    let cases = [
        (401, ConnectorErrorCode::InvalidConfig, false),
        (403, ConnectorErrorCode::InvalidConfig, false),
        (402, ConnectorErrorCode::UsageLimitExceeded, false),
        (429, ConnectorErrorCode::RateLimitExceeded, true),
        (400, ConnectorErrorCode::InvalidRequestParameters, false),
        (422, ConnectorErrorCode::InvalidRequestParameters, false),
        (500, ConnectorErrorCode::General, false),
        (503, ConnectorErrorCode::General, false),
        (302, ConnectorErrorCode::InvalidConfig, false),
    ];
    for (status, code, retryable) in cases {
        let error = read(None, answer(status, r#"{"error": {"message": "nope"}}"#)).unwrap_err();
        assert_eq!(error.code(), code, "{status}");
        assert_eq!(error.is_retryable(), retryable, "{status}");
        assert_eq!(
            error.details().provider_code.as_deref(),
            Some(status.to_string().as_str())
        );
        assert_eq!(
            error.details().provider_message.as_deref(),
            Some("nope"),
            "{status}"
        );
    }
    let proxy = read(None, answer(502, "<html>Bad gateway</html>")).unwrap_err();
    assert_eq!(proxy.code(), ConnectorErrorCode::InvalidResponse);
    let bare = read(None, answer(401, "")).unwrap_err();
    assert_eq!(bare.code(), ConnectorErrorCode::InvalidConfig);
    assert_eq!(
        bare.message(),
        "the service refused the message with code 401"
    );
}

#[tokio::test]
async fn a_rate_limit_keeps_retry_after_and_is_not_repeated() {
    let mut busy = CannedResponse::json(429, r#"{"message": "slow down"}"#);
    busy.headers.push(("Retry-After".into(), "7".into()));
    let server = CaptureServer::start(busy).await.unwrap();
    let url = format!("{}/hooks/sms", server.origin());
    let http = factory()
        .create(&config(&url, json!({"signingSecret": SECRET})))
        .unwrap();
    let error = http.send_message(&sign_in()).await.unwrap_err();
    assert_eq!(error.code(), ConnectorErrorCode::RateLimitExceeded);
    assert!(error.is_retryable());
    assert_eq!(error.details().retry_after_secs, Some(7));
    assert_eq!(error.details().delivery, Delivery::Answered);
    let requests = server.requests();
    assert_eq!(
        requests.len(),
        1,
        "a rate limit is the host's to retry, later"
    );
    assert_eq!(requests[0].path, "/hooks/sms");
    let json = serde_json::to_value(error.details()).unwrap();
    assert_eq!(json["retryAfterSecs"], 7);
}

#[tokio::test]
async fn a_sent_message_arrives_signed_over_loopback() {
    let server = CaptureServer::start(CannedResponse::json(201, r#"{"id": "sms_1"}"#))
        .await
        .unwrap();
    let http = factory()
        .create(&config(
            server.origin(),
            json!({"signingSecret": SECRET, "messageIdPointer": "/id", "templates": templates()}),
        ))
        .unwrap();
    let receipt = http.send_message(&sign_in()).await.unwrap();
    assert_eq!(receipt.message_id, "sms_1");
    assert!(
        receipt.segments.is_some(),
        "the rendered text's segments are known"
    );
    let request = &server.requests()[0];
    assert_eq!(request.path, "/");
    let id = request.header("webhook-id").unwrap();
    let timestamp: u64 = request
        .header("webhook-timestamp")
        .unwrap()
        .parse()
        .unwrap();
    let key = key_of_secret(SECRET).unwrap();
    assert_eq!(
        request.header("webhook-signature").unwrap(),
        sign(&key, id, timestamp, &request.body)
    );
    let body: Value = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(body["text"], "Sign-in code: 123456");
}
