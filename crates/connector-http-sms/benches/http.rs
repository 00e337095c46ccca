//! The HTTP connector's per-message work: build one request (default body, body template,
//! signed), read one answer.
#![allow(missing_docs, clippy::unwrap_used, reason = "benchmark harness")]

use connector_http_sms::Http;
use connector_kit::{HttpResponse, Provider, RequestContext, SendMessageData, TemplateType};
use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::{Value, json};
use std::hint::black_box;

fn config(extra: Value) -> <Http as Provider>::Config {
    let mut config = json!({
        "endpoint": "https://sms.example.com/send",
        "headers": {"Authorization": "Bearer 0123456789abcdef"},
        "templates": [
            {"usageType": "SignIn", "content": "Your sign-in code is {{code}}."},
            {"usageType": "Register", "content": "Welcome! Your code is {{code}}."},
            {"usageType": "ForgotPassword", "content": "Your reset code is {{code}}."},
            {"usageType": "Generic", "content": "Your verification code is {{code}}."},
        ],
    });
    if let (Some(object), Some(extra)) = (config.as_object_mut(), extra.as_object()) {
        object.extend(extra.clone());
    }
    connector_http_sms::factory().parse(&config).unwrap().config
}

fn http(c: &mut Criterion) {
    let data = SendMessageData::code("+14155550100", TemplateType::SignIn, "123456");
    let context = RequestContext::fixed(1_700_000_000, "nonce");
    let cases = [
        ("http build request (default body)", config(json!({}))),
        (
            "http build request (body template)",
            config(
                json!({"body": {"phone": "{{to}}", "message": "{{text}}", "meta": {"type": "{{type}}"}}}),
            ),
        ),
        (
            "http build+sign request (standard webhooks)",
            config(json!({"signingSecret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"})),
        ),
    ];
    for (name, config) in &cases {
        c.bench_function(name, |b| {
            b.iter(|| {
                Http::build_request(black_box(config), black_box(&data), black_box(&context))
                    .unwrap()
            })
        });
    }
    let pointer = config(json!({"messageIdPointer": "/data/id"}));
    let response = HttpResponse {
        status: 200,
        headers: vec![("content-type".into(), "application/json".into())],
        body: json!({"data": {"id": "sms_01HZY3", "status": "queued"}})
            .to_string()
            .into_bytes(),
    };
    c.bench_function("http parse response (message id pointer)", |b| {
        b.iter(|| Http::read_response(black_box(&pointer), &context, black_box(&response)).unwrap())
    });
}

criterion_group!(benches, http);
criterion_main!(benches);
