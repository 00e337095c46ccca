//! Aliyun's per-message work: build and sign one request, parse one success body.
#![allow(missing_docs, clippy::unwrap_used, reason = "benchmark harness")]

use connector_aliyun_sms::Aliyun;
use connector_kit::{HttpResponse, Provider, RequestContext, SendMessageData, TemplateType};
use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::json;
use std::hint::black_box;

fn aliyun(c: &mut Criterion) {
    let config = connector_aliyun_sms::factory()
        .parse(&json!({
            "accessKeyId": "LTAI5tExampleAccessKeyId",
            "accessKeySecret": "example-access-key-secret",
            "signName": "阿里云短信测试",
            "templates": [
                {"usageType": "SignIn", "templateCode": "SMS_154950909"},
                {"usageType": "Register", "templateCode": "SMS_154950910"},
                {"usageType": "ForgotPassword", "templateCode": "SMS_154950911"},
                {"usageType": "Generic", "templateCode": {"china": "SMS_154950912", "overseas": "SMS_254950912"}},
            ],
        }))
        .unwrap()
        .config;
    let data = SendMessageData::code("+8613800138000", TemplateType::SignIn, "123456");
    let context = RequestContext::fixed(1_700_000_000, "0b5a4c3e-8f43-4a8e-9a1c-2b1d3c4e5f60");
    c.bench_function("aliyun build+sign request", |b| {
        b.iter(|| {
            Aliyun::build_request(black_box(&config), black_box(&data), black_box(&context))
                .unwrap()
        })
    });
    let mut v3 = config.clone();
    v3.signature_version = connector_aliyun_sms::SignatureVersion::V3;
    c.bench_function("aliyun build+sign request (v3)", |b| {
        b.iter(|| {
            Aliyun::build_request(black_box(&v3), black_box(&data), black_box(&context)).unwrap()
        })
    });
    let response = HttpResponse {
        status: 200,
        headers: vec![],
        body: json!({"Message": "OK", "RequestId": "F655A8D5-B967-440B-8683-DAD6FF8DE990", "Code": "OK", "BizId": "900619746936498440^0"})
            .to_string()
            .into_bytes(),
    };
    c.bench_function("aliyun parse success body", |b| {
        b.iter(|| Aliyun::parse_response(black_box(&response)).unwrap())
    });
}

criterion_group!(benches, aliyun);
criterion_main!(benches);
