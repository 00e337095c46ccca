//! Vonage's per-message work: build one request (API secret, and signed with each method),
//! parse one success body.
#![allow(missing_docs, clippy::unwrap_used, reason = "benchmark harness")]

use connector_kit::{HttpResponse, Provider, RequestContext, SendMessageData, TemplateType};
use connector_vonage_sms::{SignatureMethod, Vonage};
use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::{Value, json};
use std::hint::black_box;

fn config(extra: Value) -> <Vonage as Provider>::Config {
    let mut config = json!({
        "apiKey": "a1b2c3d4",
        "apiSecret": "0123456789abcdef",
        "from": "AcmeCorp",
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
    connector_vonage_sms::factory()
        .parse(&config)
        .unwrap()
        .config
}

fn vonage(c: &mut Criterion) {
    let data = SendMessageData::code("+447700900000", TemplateType::SignIn, "123456");
    let context = RequestContext::fixed(1_700_000_000, "nonce");
    let plain = config(json!({}));
    c.bench_function("vonage build request (api secret)", |b| {
        b.iter(|| {
            Vonage::build_request(black_box(&plain), black_box(&data), black_box(&context)).unwrap()
        })
    });
    for method in [SignatureMethod::Md5Hash, SignatureMethod::Sha256] {
        let signed = config(json!({
            "signatureSecret": "signature-secret-0123456789",
            "signatureMethod": method.as_str(),
        }));
        c.bench_function(
            &format!("vonage build+sign request ({})", method.as_str()),
            |b| {
                b.iter(|| {
                    Vonage::build_request(black_box(&signed), black_box(&data), black_box(&context))
                        .unwrap()
                })
            },
        );
    }
    let response = HttpResponse {
        status: 200,
        headers: vec![("content-type".into(), "application/json".into())],
        body: json!({
            "message-count": "1",
            "messages": [{
                "to": "447700900000", "message-id": "0C000000217B7F02", "status": "0",
                "remaining-balance": "15.53590000", "message-price": "0.03330000", "network": "23410"
            }]
        })
        .to_string()
        .into_bytes(),
    };
    c.bench_function("vonage parse success body", |b| {
        b.iter(|| Vonage::parse_response(black_box(&response)).unwrap())
    });
}

criterion_group!(benches, vonage);
criterion_main!(benches);
