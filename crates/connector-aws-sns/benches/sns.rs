//! SNS's per-message work: build and sign one request (SigV4), parse one success body (XML).
#![allow(missing_docs, clippy::unwrap_used, reason = "benchmark harness")]

use connector_aws_sns::Sns;
use connector_kit::{HttpResponse, Provider, RequestContext, SendMessageData, TemplateType};
use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::json;
use std::hint::black_box;

fn sns(c: &mut Criterion) {
    let factory = connector_aws_sns::factory();
    let config = factory
        .parse(&json!({
            "accessKeyId": "AKIAIOSFODNN7EXAMPLE",
            "secretAccessKey": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            "region": "us-east-1",
            "senderId": "Acme",
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
    c.bench_function("sns build+sign request", |b| {
        b.iter(|| {
            Sns::build_request(black_box(&config), black_box(&data), black_box(&context)).unwrap()
        })
    });
    let response = HttpResponse::new(
        200,
        r#"<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">
  <PublishResult>
    <MessageId>567910cd-659e-55d4-8ccb-5aaf14679dc0</MessageId>
  </PublishResult>
  <ResponseMetadata>
    <RequestId>d74b8436-ae13-5ab4-a9ff-ce54dfea72a0</RequestId>
  </ResponseMetadata>
</PublishResponse>
"#,
    );
    c.bench_function("sns parse success body", |b| {
        b.iter(|| Sns::parse_response(black_box(&response)).unwrap())
    });
}

criterion_group!(benches, sns);
criterion_main!(benches);
