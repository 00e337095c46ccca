//! The router's own cost per message on the success path: the same in-process member sent to
//! directly, then through the router (recipient country, route, receipt with `via` and
//! `attempts`, the `router_send` span). The difference is the router's cost; the member
//! does no I/O, so that the network does not drown it. Then the recipient country of a
//! shared-code number alone: `phonenumber::parse` (what the router did before) and
//! `connector_router_sms::country_of` (what it does now).
#![allow(missing_docs, clippy::unwrap_used, reason = "benchmark harness")]

use std::hint::black_box;
use std::sync::OnceLock;

use async_trait::async_trait;
use connector_kit::{
    ConfigWarning, ConnectorError, ConnectorFactory, ConnectorMetadata, ConnectorType,
    LocalizedText, SendMessageData, SendReceipt, SmsConnector, TemplateType,
};
use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::{Value, json};

/// A member that answers at once.
#[derive(Debug)]
struct Instant;

fn metadata() -> &'static ConnectorMetadata {
    static METADATA: OnceLock<ConnectorMetadata> = OnceLock::new();
    METADATA.get_or_init(|| ConnectorMetadata {
        id: "instant-short-message-service".into(),
        target: "instant-sms".into(),
        platform: None,
        name: LocalizedText::from_phrases(&[("en", "Instant")]),
        description: LocalizedText::from_phrases(&[("en", "Answers at once.")]),
        logo: String::new(),
        logo_dark: None,
        readme: String::new(),
        form_items: Vec::new(),
    })
}

#[async_trait]
impl SmsConnector for Instant {
    fn metadata(&self) -> &ConnectorMetadata {
        metadata()
    }

    async fn send_message(&self, data: &SendMessageData) -> Result<SendReceipt, ConnectorError> {
        Ok(SendReceipt::new(
            format!("m-{}", data.to.len()),
            Some("r".into()),
        ))
    }
}

#[derive(Debug)]
struct InstantFactory(Value);

impl ConnectorFactory for InstantFactory {
    fn connector_type(&self) -> ConnectorType {
        ConnectorType::Sms
    }
    fn metadata(&self) -> &ConnectorMetadata {
        metadata()
    }
    fn config_schema(&self) -> &Value {
        &self.0
    }
    fn validate_config(&self, _: &Value) -> Result<Vec<ConfigWarning>, ConnectorError> {
        Ok(Vec::new())
    }
    fn create(&self, _: &Value) -> Result<Box<dyn SmsConnector>, ConnectorError> {
        Ok(Box::new(Instant))
    }
}

fn router(c: &mut Criterion) {
    let factory =
        connector_router_sms::factory(vec![Box::new(InstantFactory(json!({"type": "object"})))]);
    let router = factory
        .create(&json!({
            "members": {
                "a": {"target": "instant-sms", "config": {}},
                "b": {"target": "instant-sms", "config": {}},
            },
            "routes": [{"countries": ["CN", "HK"], "via": ["a", "b"]}],
            "default": ["b"],
            "allowCountries": ["US", "CN", "HK"],
            "denyCountries": ["KP"],
        }))
        .unwrap();
    let member = Instant;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let mut group = c.benchmark_group("router");
    for (label, to) in [
        ("CN +86 (one country per code)", "+8613800138000"),
        ("US +1 (shared code, read from the digits)", "+14155550100"),
    ] {
        let data = SendMessageData::code(to, TemplateType::SignIn, "123456");
        group.bench_function(format!("member alone, {label}"), |b| {
            b.iter(|| {
                runtime
                    .block_on(member.send_message(black_box(&data)))
                    .unwrap()
            })
        });
        group.bench_function(format!("through the router, {label}"), |b| {
            b.iter(|| {
                runtime
                    .block_on(router.send_message(black_box(&data)))
                    .unwrap()
            })
        });
    }
    group.finish();

    // The recipient country of a number whose calling code is shared, alone: the full parse
    // the router used to make, beside what it does now. Both in one run, so that their
    // ratio holds however busy the machine is.
    let mut group = c.benchmark_group("router country");
    for (label, e164) in [("US", "+14155550100"), ("CA", "+16135550123")] {
        group.bench_function(format!("+1 {label}, full phonenumber::parse"), |b| {
            b.iter(|| {
                phonenumber::parse(None, black_box(e164))
                    .ok()
                    .and_then(|n| n.country().id())
            })
        });
        group.bench_function(format!("+1 {label}, from the metadata"), |b| {
            b.iter(|| connector_router_sms::country_of(black_box(e164)))
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(50)
        .warm_up_time(std::time::Duration::from_millis(500))
        .measurement_time(std::time::Duration::from_secs(2));
    targets = router
}
criterion_main!(benches);
