//! Reliability under load: 1000 sends at concurrency 100, with 10% of them hitting injected
//! faults (throttles, 5xx HTML pages, truncated bodies, dropped connections, a provider too
//! slow for the timeout). Every send resolves within its timeout, nothing panics, and the
//! simulator accepted exactly the sends that succeeded: no message lost, none sent twice.
#![allow(clippy::unwrap_used, reason = "tests fail loudly")]

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use connector_kit::{SendMessageData, SmsConnector, TemplateType};
use connector_simulator::{ProviderApi, Simulator, SimulatorConfig};
use connectors::registry;
use serde_json::{Value, json};
use tokio::sync::Semaphore;

const SENDS: u32 = 1_000;
const CONCURRENCY: usize = 100;
const TIMEOUT_MS: u64 = 1_000;

fn connector(simulator: &Simulator, provider: ProviderApi) -> Arc<dyn SmsConnector> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(format!("{provider}.json"));
    let mut config: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    config["endpoint"] = json!(simulator.endpoint(provider));
    config["timeoutMs"] = json!(TIMEOUT_MS);
    let target = format!("{provider}-sms");
    registry()
        .require(&target)
        .unwrap()
        .create(&config)
        .unwrap()
        .into()
}

/// The recipient of send `i`: one in ten carries a fault's magic last four digits.
fn recipient(provider: ProviderApi, i: u32) -> String {
    let faults = ["0429", "0402", "0400", "0500", "0502", "0408", "0499"];
    let last4 = if i % 10 == 0 {
        faults[(i / 10) as usize % faults.len()].to_owned()
    } else {
        format!("{:04}", 1_000 + i % 9_000)
    };
    match provider {
        ProviderApi::TWILIO => format!("+1415555{last4}"),
        ProviderApi::ALIYUN => format!("1380013{last4}"),
        ProviderApi::TENCENT => format!("+861380013{last4}"),
        ProviderApi::VONAGE => format!("+4477009{last4}"),
        ProviderApi::AWS_SNS => format!("+1206555{last4}"),
        ProviderApi::HTTP => format!("+1415555{last4}"),
        other => unreachable!("no recipients for {other}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_concurrent_sends_with_faults_resolve_exactly_once() {
    let simulator = Simulator::start(SimulatorConfig {
        slow_delay: Duration::from_secs(5),
        ..SimulatorConfig::ephemeral()
    })
    .await
    .unwrap();
    let connectors: Vec<(ProviderApi, Arc<dyn SmsConnector>)> = ProviderApi::ALL
        .iter()
        .map(|&p| (p, connector(&simulator, p)))
        .collect();
    let permits = Arc::new(Semaphore::new(CONCURRENCY));
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..SENDS {
        let (provider, connector) = connectors[i as usize % connectors.len()].clone();
        let permits = Arc::clone(&permits);
        tasks.spawn(async move {
            let _permit = permits.acquire_owned().await.unwrap();
            let message =
                SendMessageData::code(recipient(provider, i / 3), TemplateType::SignIn, "424242");
            let started = Instant::now();
            let result = connector.send_message(&message).await;
            (provider, result.is_ok(), started.elapsed())
        });
    }
    let mut successes = [0usize; ProviderApi::ALL.len()];
    let mut failures = 0;
    let mut slowest = Duration::ZERO;
    while let Some(joined) = tasks.join_next().await {
        let (provider, ok, elapsed) = joined.expect("no send panics");
        slowest = slowest.max(elapsed);
        let index = ProviderApi::ALL
            .iter()
            .position(|p| *p == provider)
            .unwrap();
        if ok {
            successes[index] += 1;
        } else {
            failures += 1;
        }
    }
    assert_eq!(successes.iter().sum::<usize>() + failures, SENDS as usize);
    assert!(
        failures >= 90,
        "about one send in ten is faulted: {failures}"
    );
    // Within the total timeout, plus the kit's small backstop margin and scheduling slack.
    assert!(
        slowest < Duration::from_millis(TIMEOUT_MS + 1_500),
        "the slowest send took {slowest:?}"
    );
    for (index, provider) in ProviderApi::ALL.iter().enumerate() {
        let stats = simulator.stats(*provider);
        assert_eq!(
            stats.accepted as usize, successes[index],
            "{provider}: accepted = successes"
        );
        assert_eq!(
            simulator.messages_for(*provider).len(),
            successes[index],
            "{provider}"
        );
        let providers = ProviderApi::ALL.len();
        let sends = (SENDS as usize + providers - 1 - index) / providers;
        assert_eq!(
            stats.requests as usize, sends,
            "{provider}: no send was repeated"
        );
    }
}
