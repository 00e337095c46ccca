//! Tencent's per-message work: build and sign one request, parse one success body.
#![allow(missing_docs, clippy::unwrap_used, reason = "benchmark harness")]

use connector_kit::{HttpResponse, Provider, RequestContext, SendMessageData, TemplateType};
use connector_tencent_sms::Tencent;
use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::json;
use std::hint::black_box;

fn tencent(c: &mut Criterion) {
    let config = connector_tencent_sms::factory()
        .parse(&json!({
            "accessKeyId": "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
            "accessKeySecret": "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
            "signName": "腾讯云",
            "sdkAppId": "1400006666",
            "region": "ap-guangzhou",
            "templates": [
                {"usageType": "SignIn", "templateCode": "1110"},
                {"usageType": "Register", "templateCode": "1111"},
                {"usageType": "ForgotPassword", "templateCode": "1112"},
                {"usageType": "Generic", "templateCode": {"china": "1113", "overseas": "2113"}},
            ],
        }))
        .unwrap()
        .config;
    let data = SendMessageData::code("+8613800138000", TemplateType::SignIn, "123456");
    let context = RequestContext::fixed(1_700_000_000, "unused");
    c.bench_function("tencent build+sign request", |b| {
        b.iter(|| {
            Tencent::build_request(black_box(&config), black_box(&data), black_box(&context))
                .unwrap()
        })
    });
    let response = HttpResponse {
        status: 200,
        headers: vec![("content-type".into(), "application/json".into())],
        body: json!({"Response": {"SendStatusSet": [{
            "SerialNo": "5000:1045710669157053657849499619", "PhoneNumber": "+8613800138000", "Fee": 1,
            "SessionContext": "", "Code": "Ok", "Message": "send success", "IsoCode": "CN"
        }], "RequestId": "a0aabda6-cf91-4f3e-a81f-9198114a2279"}})
        .to_string()
        .into_bytes(),
    };
    c.bench_function("tencent parse success body", |b| {
        b.iter(|| <Tencent as Provider>::parse_response(black_box(&response)).unwrap())
    });
}

criterion_group!(benches, tencent);
criterion_main!(benches);
