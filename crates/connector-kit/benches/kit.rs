//! The kit's per-message work: config validation and placeholder rendering.
#![allow(missing_docs, clippy::unwrap_used, reason = "benchmark harness")]

use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::json;
use std::hint::black_box;

fn rendering(c: &mut Criterion) {
    let payload: connector_kit::SendMessagePayload =
        serde_json::from_value(json!({"code": "123456", "minutes": 10, "org": {"name": "Acme"}}))
            .unwrap();
    let template =
        "{{org.name}}: {{ code }} is your verification code. It expires in {{minutes}} minutes.";
    c.bench_function("render template", |b| {
        b.iter(|| connector_kit::render(black_box(template), black_box(&payload)))
    });
}

fn validation(c: &mut Criterion) {
    let schema = connector_kit::schema_for::<Config>();
    let config = json!({
        "name": "acme",
        "token": "secret-token",
        "templates": [
            {"usageType": "SignIn", "content": "{{code}}"},
            {"usageType": "Register", "content": "{{code}}"},
            {"usageType": "ForgotPassword", "content": "{{code}}"},
            {"usageType": "Generic", "content": "{{code}}"},
        ],
        "endpoint": "https://api.example.com",
    });
    assert!(connector_kit::validate(&schema, &config).is_empty());
    c.bench_function("validate config (schema + parse)", |b| {
        b.iter(|| {
            connector_kit::parse_config::<Config>(black_box(&schema), black_box(&config)).unwrap()
        })
    });
}

#[derive(serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code, reason = "only parsed")]
struct Config {
    #[schemars(length(min = 1))]
    name: String,
    token: connector_kit::Secret,
    #[schemars(transform = connector_kit::require_usage_types)]
    templates: Vec<Template>,
    endpoint: connector_kit::Endpoint,
}

#[derive(serde::Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[allow(dead_code, reason = "only parsed")]
struct Template {
    usage_type: connector_kit::TemplateType,
    #[schemars(length(min = 1))]
    content: String,
}

criterion_group!(benches, rendering, validation);
criterion_main!(benches);
