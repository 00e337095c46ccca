//! Twilio's per-message work: build and sign one request, parse one success body.
#![allow(missing_docs, clippy::unwrap_used, reason = "benchmark harness")]

use connector_kit::{HttpResponse, Provider, RequestContext, SendMessageData, TemplateType};
use connector_twilio_sms::Twilio;
use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::json;
use std::hint::black_box;

fn twilio(c: &mut Criterion) {
    let factory = connector_twilio_sms::factory();
    let config = factory
        .parse(&json!({
            "accountSID": "AC0123456789abcdef0123456789abcdef",
            "authToken": "0123456789abcdef0123456789abcdef",
            "fromMessagingServiceSID": "MG0123456789abcdef0123456789abcdef",
            "templates": [
                {"usageType": "SignIn", "content": "Your sign-in code is {{code}}."},
                {"usageType": "Register", "content": "Welcome! Your code is {{code}}."},
                {"usageType": "ForgotPassword", "content": "Your reset code is {{code}}."},
                {"usageType": "Generic", "content": "Your verification code is {{code}}."},
            ],
        }))
        .unwrap()
        .config;
    let data = SendMessageData::code("+14155550100", TemplateType::SignIn, "123456");
    let context = RequestContext::fixed(1_700_000_000, "nonce");
    c.bench_function("twilio build+sign request", |b| {
        b.iter(|| {
            Twilio::build_request(black_box(&config), black_box(&data), black_box(&context))
                .unwrap()
        })
    });
    let response = HttpResponse {
        status: 201,
        headers: vec![("twilio-request-id".into(), "RQ0123".into())],
        body: json!({
            "sid": "SM0123456789abcdef0123456789abcdef", "status": "accepted", "to": "+14155550100",
            "body": "Your sign-in code is 123456.", "num_segments": "1", "direction": "outbound-api",
            "account_sid": "AC0123456789abcdef0123456789abcdef", "date_created": "Sat, 21 Nov 2026 10:00:00 +0000",
            "price": null, "error_code": null, "error_message": null, "uri": "/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages/SM0123456789abcdef0123456789abcdef.json"
        })
        .to_string()
        .into_bytes(),
    };
    c.bench_function("twilio parse success body", |b| {
        b.iter(|| Twilio::parse_response(black_box(&response)).unwrap())
    });
}

criterion_group!(benches, twilio);
criterion_main!(benches);
