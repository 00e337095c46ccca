//! The router against the provider simulator over loopback: failover only when a member
//! provably did not send, refusals before any request, receipts naming the member, and a
//! concurrent run with mixed faults in which nobody is texted twice.
#![allow(clippy::unwrap_used, reason = "test helpers fail loudly")]

use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use connector_kit::{
    ConnectorErrorCode, ConnectorFactory, Delivery, SendMessageData, SmsConnector, TemplateType,
};
use connector_simulator::{Fault, ProviderApi, Simulator, SimulatorConfig};
use serde_json::{Value, json};

const TWILIO_EXAMPLE: &str = include_str!("../../../examples/twilio.json");
const ALIYUN_EXAMPLE: &str = include_str!("../../../examples/aliyun.json");
const ROUTER_EXAMPLE: &str = include_str!("../../../examples/router.json");

fn factory() -> connector_router_sms::RouterFactory {
    connector_router_sms::factory(vec![
        Box::new(connector_twilio_sms::factory()),
        Box::new(connector_aliyun_sms::factory()),
        Box::new(connector_tencent_sms::factory()),
    ])
}

fn member(example: &str, endpoint: &str, timeout_ms: u64) -> Value {
    let mut config: Value = serde_json::from_str(example).unwrap();
    config["endpoint"] = json!(endpoint);
    config["timeoutMs"] = json!(timeout_ms);
    config
}

/// A port with nothing listening: connecting to it is refused.
fn refused_endpoint() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

/// Mainland China recipients go through aliyun, then twilio; the rest through twilio.
fn router_config(aliyun: &str, twilio: &str, timeout_ms: u64) -> Value {
    json!({
        "members": {
            "aliyun": {"target": "aliyun-sms", "config": member(ALIYUN_EXAMPLE, aliyun, timeout_ms)},
            "twilio": {"target": "twilio-sms", "config": member(TWILIO_EXAMPLE, twilio, timeout_ms)},
        },
        "routes": [{"countries": ["CN", "HK"], "via": ["aliyun", "twilio"]}],
        "default": ["twilio"],
        "denyCountries": ["KP"],
    })
}

async fn simulator(slow: Duration) -> Simulator {
    Simulator::start(SimulatorConfig {
        slow_delay: slow,
        ..SimulatorConfig::ephemeral()
    })
    .await
    .unwrap()
}

fn router(config: &Value) -> Box<dyn SmsConnector> {
    factory().create(config).unwrap()
}

fn code(to: &str) -> SendMessageData {
    SendMessageData::code(to, TemplateType::SignIn, "123456")
}

fn accepted(sim: &Simulator, provider: ProviderApi) -> u64 {
    sim.stats(provider).accepted
}

#[tokio::test]
async fn routes_by_country_and_names_the_member() {
    let sim = simulator(Duration::from_secs(5)).await;
    let config = router_config(
        &sim.endpoint(ProviderApi::ALIYUN),
        &sim.endpoint(ProviderApi::TWILIO),
        5000,
    );
    let router = router(&config);
    let receipt = router.send_message(&code("+8613800138000")).await.unwrap();
    assert_eq!(receipt.via.as_deref(), Some("aliyun"));
    assert_eq!(receipt.attempts.len(), 1);
    assert_eq!(accepted(&sim, ProviderApi::ALIYUN), 1);

    let receipt = router.send_message(&code("+14155550100")).await.unwrap();
    assert_eq!(receipt.via.as_deref(), Some("twilio"));
    assert_eq!(accepted(&sim, ProviderApi::TWILIO), 1);
    let json = serde_json::to_value(&receipt).unwrap();
    assert_eq!(json["via"], "twilio");
    assert_eq!(json["attempts"], json!([{"member": "twilio"}]));
}

#[tokio::test]
async fn a_refused_connection_fails_over() {
    let sim = simulator(Duration::from_secs(5)).await;
    let config = router_config(
        &refused_endpoint(),
        &sim.endpoint(ProviderApi::TWILIO),
        5000,
    );
    let receipt = router(&config)
        .send_message(&code("+8613800138000"))
        .await
        .unwrap();
    assert_eq!(receipt.via.as_deref(), Some("twilio"));
    let codes: Vec<_> = receipt
        .attempts
        .iter()
        .map(|a| (a.member.as_str(), a.code))
        .collect();
    assert_eq!(
        codes,
        [
            ("aliyun", Some(ConnectorErrorCode::General)),
            ("twilio", None)
        ]
    );
    assert_eq!(accepted(&sim, ProviderApi::TWILIO), 1);
}

#[tokio::test]
async fn rate_limits_and_quotas_fail_over() {
    let sim = simulator(Duration::from_secs(5)).await;
    let config = router_config(
        &sim.endpoint(ProviderApi::ALIYUN),
        &sim.endpoint(ProviderApi::TWILIO),
        5000,
    );
    let router = router(&config);
    for (fault, expected) in [
        (Fault::RateLimited, ConnectorErrorCode::RateLimitExceeded),
        (Fault::QuotaExceeded, ConnectorErrorCode::UsageLimitExceeded),
    ] {
        sim.reset();
        sim.inject(ProviderApi::ALIYUN, fault, 1);
        let receipt = router.send_message(&code("+8613800138000")).await.unwrap();
        assert_eq!(receipt.via.as_deref(), Some("twilio"), "{fault}");
        assert_eq!(receipt.attempts[0].code, Some(expected), "{fault}");
        assert_eq!(accepted(&sim, ProviderApi::ALIYUN), 0, "{fault}");
        assert_eq!(accepted(&sim, ProviderApi::TWILIO), 1, "{fault}");
    }
}

#[tokio::test]
async fn nothing_that_may_have_been_sent_fails_over() {
    let sim = simulator(Duration::from_millis(1500)).await;
    let config = router_config(
        &sim.endpoint(ProviderApi::ALIYUN),
        &sim.endpoint(ProviderApi::TWILIO),
        300,
    );
    let router = router(&config);
    for fault in [
        Fault::ServerError,
        Fault::Slow,
        Fault::DropAfterRead,
        Fault::MalformedBody,
    ] {
        sim.reset();
        sim.inject(ProviderApi::ALIYUN, fault, 1);
        let error = router
            .send_message(&code("+8613800138000"))
            .await
            .unwrap_err();
        assert_eq!(
            error.details().delivery,
            Delivery::MaybeSent,
            "{fault}: {error}"
        );
        assert_eq!(error.details().attempts.len(), 1, "{fault}");
        assert_eq!(
            sim.stats(ProviderApi::TWILIO).requests,
            0,
            "{fault}: twilio was tried"
        );
    }
}

#[tokio::test]
async fn errors_about_the_message_do_not_fail_over() {
    let sim = simulator(Duration::from_secs(5)).await;
    let config = router_config(
        &sim.endpoint(ProviderApi::ALIYUN),
        &sim.endpoint(ProviderApi::TWILIO),
        5000,
    );
    sim.inject(ProviderApi::ALIYUN, Fault::InvalidNumber, 1);
    let error = router(&config)
        .send_message(&code("+8613800138000"))
        .await
        .unwrap_err();
    assert_eq!(error.code(), ConnectorErrorCode::InvalidRequestParameters);
    assert_eq!(sim.stats(ProviderApi::TWILIO).requests, 0);
}

#[tokio::test]
async fn refused_countries_are_refused_before_any_request() {
    let sim = simulator(Duration::from_secs(5)).await;
    let mut config = router_config(
        &sim.endpoint(ProviderApi::ALIYUN),
        &sim.endpoint(ProviderApi::TWILIO),
        5000,
    );
    let denied = router(&config)
        .send_message(&code("+850212345678"))
        .await
        .unwrap_err();
    assert_eq!(denied.code(), ConnectorErrorCode::InvalidRequestParameters);
    assert_eq!(
        denied.details().provider_code.as_deref(),
        Some("router.country_denied")
    );
    assert!(denied.to_string().contains("KP"), "{denied}");
    assert!(denied.to_string().contains("denyCountries"), "{denied}");

    config["allowCountries"] = json!(["US", "CN"]);
    let router = router(&config);
    let not_allowed = router
        .send_message(&code("+16135550123"))
        .await
        .unwrap_err();
    assert_eq!(
        not_allowed.details().provider_code.as_deref(),
        Some("router.country_not_allowed")
    );
    assert!(not_allowed.to_string().contains("CA"), "{not_allowed}");
    assert!(router.send_message(&code("+14155550100")).await.is_ok());
    let stats = sim.stats(ProviderApi::TWILIO);
    assert_eq!((stats.requests, stats.accepted), (1, 1));
    assert_eq!(sim.stats(ProviderApi::ALIYUN).requests, 0);
}

#[tokio::test]
async fn the_example_config_sends_through_the_simulator() {
    let sim = simulator(Duration::from_secs(5)).await;
    let mut config: Value = serde_json::from_str(ROUTER_EXAMPLE).unwrap();
    config["members"]["twilio"]["config"]["endpoint"] = json!(sim.endpoint(ProviderApi::TWILIO));
    config["members"]["aliyun"]["config"]["endpoint"] = json!(sim.endpoint(ProviderApi::ALIYUN));
    assert_eq!(factory().validate_config(&config).unwrap(), []);
    let router = router(&config);
    let receipt = router.send_message(&code("13800138000")).await.unwrap();
    assert_eq!(receipt.via.as_deref(), Some("aliyun"));
}

/// 1000 sends, 100 at a time, every tenth one meeting a fault at its first member (rate
/// limits and refused connections, which fail over; 5xx answers and dropped connections,
/// which must not): every send ends within its timeout, the simulator accepted exactly as
/// many messages as succeeded, and no number received two.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_concurrent_sends_with_faults_text_nobody_twice() {
    const SENDS: usize = 1000;
    const CONCURRENCY: usize = 100;
    const TIMEOUT_MS: u64 = 2000;
    let sim = simulator(Duration::from_secs(5)).await;
    let good = router(&router_config(
        &sim.endpoint(ProviderApi::ALIYUN),
        &sim.endpoint(ProviderApi::TWILIO),
        TIMEOUT_MS,
    ));
    // A router whose first member's port refuses connections, for the refused sends.
    let refused = router(&router_config(
        &refused_endpoint(),
        &sim.endpoint(ProviderApi::TWILIO),
        TIMEOUT_MS,
    ));
    let routers: Arc<[Box<dyn SmsConnector>]> = Arc::from(vec![good, refused]);
    // Faults queued at aliyun are taken by whichever requests arrive first: their counts are
    // exact, their order is not, which is what concurrency gives a real provider too.
    sim.inject(ProviderApi::ALIYUN, Fault::RateLimited, 25);
    sim.inject(ProviderApi::ALIYUN, Fault::ServerError, 25);
    sim.inject(ProviderApi::ALIYUN, Fault::DropAfterRead, 25);
    let refused_sends = 25;

    let started = Instant::now();
    let semaphore = Arc::new(tokio::sync::Semaphore::new(CONCURRENCY));
    let mut tasks = Vec::with_capacity(SENDS);
    for i in 0..SENDS {
        let routers = Arc::clone(&routers);
        let permit = Arc::clone(&semaphore).acquire_owned().await.unwrap();
        tasks.push(tokio::spawn(async move {
            let _permit = permit;
            // Distinct mainland numbers, all ending 0001 (no magic fault suffix), so that a
            // second message to a number would show.
            let to = format!("+86138{i:04}0001");
            let which = usize::from(i % 40 == 0 && i / 40 < refused_sends);
            let begun = Instant::now();
            let result = routers[which].send_message(&code(&to)).await;
            (to, result, begun.elapsed())
        }));
    }
    let mut ok = 0u64;
    let mut failed_over = 0u64;
    let mut maybe_sent = 0u64;
    let mut slowest = Duration::ZERO;
    for task in tasks {
        let (_, result, took) = task.await.unwrap();
        slowest = slowest.max(took);
        match result {
            Ok(receipt) => {
                ok += 1;
                if receipt.attempts.len() > 1 {
                    failed_over += 1;
                }
            }
            Err(error) => {
                assert!(error.may_have_been_sent(), "{error}");
                assert_eq!(error.details().attempts.len(), 1, "{error}");
                maybe_sent += 1;
            }
        }
    }
    let elapsed = started.elapsed();
    let accepted = accepted(&sim, ProviderApi::ALIYUN) + accepted(&sim, ProviderApi::TWILIO);
    let messages = sim.messages();
    let distinct: HashSet<&str> = messages.iter().map(|m| m.to.as_str()).collect();
    eprintln!(
        "router fault run: {SENDS} sends at concurrency {CONCURRENCY} in {elapsed:?}: {ok} sent \
         ({failed_over} after failover), {maybe_sent} maybe sent (not failed over), \
         {accepted} accepted by the simulator, {} numbers texted twice, slowest send {slowest:?}",
        messages.len() - distinct.len()
    );
    assert!(
        slowest < Duration::from_millis(TIMEOUT_MS + 500),
        "{slowest:?}"
    );
    assert_eq!(accepted, ok, "accepted messages equal successes");
    assert_eq!(messages.len(), distinct.len(), "no number texted twice");
    assert_eq!(
        failed_over,
        25 + refused_sends as u64,
        "rate limits and refusals fail over"
    );
    assert_eq!(maybe_sent, 50, "5xx and drops never fail over");
    assert_eq!(ok + maybe_sent, SENDS as u64);
}

/// The router's `timeoutMs` ends a send whose member is still waiting on the simulator's
/// `slow` fault: the kit's timeout, maybe sent, never failed over, well before the member's
/// own timeout; the next send, without the fault, goes through.
#[tokio::test]
async fn the_router_timeout_cuts_off_a_member_in_flight() {
    let sim = simulator(Duration::from_secs(3)).await;
    let mut config = router_config(
        &sim.endpoint(ProviderApi::ALIYUN),
        &sim.endpoint(ProviderApi::TWILIO),
        5000,
    );
    config["timeoutMs"] = json!(400);
    let router = router(&config);
    sim.inject(ProviderApi::ALIYUN, Fault::Slow, 1);
    let started = Instant::now();
    let error = router
        .send_message(&code("+8613800138000"))
        .await
        .unwrap_err();
    let took = started.elapsed();
    assert_eq!(error.code(), ConnectorErrorCode::Timeout, "{error}");
    assert!(error.may_have_been_sent(), "{error}");
    assert!(!error.is_retryable(), "{error}");
    assert!(error.to_string().contains("400 ms"), "{error}");
    let attempts: Vec<_> = error
        .details()
        .attempts
        .iter()
        .map(|a| (a.member.as_str(), a.code))
        .collect();
    assert_eq!(attempts, [("aliyun", Some(ConnectorErrorCode::Timeout))]);
    assert_eq!(
        sim.stats(ProviderApi::TWILIO).requests,
        0,
        "twilio was tried"
    );
    assert!(
        took >= Duration::from_millis(400) && took < Duration::from_millis(1500),
        "{took:?}"
    );

    let receipt = router.send_message(&code("+8613800138000")).await.unwrap();
    assert_eq!(receipt.via.as_deref(), Some("aliyun"));
}

/// A member that answers after a delay, with a rate limit (nothing sent, so the router
/// fails over from it).
#[derive(Debug)]
struct Throttled(Duration);

#[async_trait::async_trait]
impl SmsConnector for Throttled {
    fn metadata(&self) -> &connector_kit::ConnectorMetadata {
        ConnectorFactory::metadata(&ThrottledFactory)
    }

    async fn send_message(
        &self,
        _: &SendMessageData,
    ) -> Result<connector_kit::SendReceipt, connector_kit::ConnectorError> {
        tokio::time::sleep(self.0).await;
        Err(
            connector_kit::ConnectorError::rate_limit_exceeded("throttled; nothing was sent")
                .with_delivery(Delivery::NotSent),
        )
    }
}

#[derive(Debug)]
struct ThrottledFactory;

impl ConnectorFactory for ThrottledFactory {
    fn connector_type(&self) -> connector_kit::ConnectorType {
        connector_kit::ConnectorType::Sms
    }
    fn metadata(&self) -> &connector_kit::ConnectorMetadata {
        static METADATA: std::sync::OnceLock<connector_kit::ConnectorMetadata> =
            std::sync::OnceLock::new();
        METADATA.get_or_init(|| connector_kit::ConnectorMetadata {
            id: "throttled-short-message-service".into(),
            target: "throttled-sms".into(),
            platform: None,
            name: connector_kit::LocalizedText::from_phrases(&[("en", "Throttled")]),
            description: connector_kit::LocalizedText::from_phrases(&[("en", "Throttles.")]),
            logo: String::new(),
            logo_dark: None,
            readme: String::new(),
            form_items: Vec::new(),
        })
    }
    fn config_schema(&self) -> &Value {
        static SCHEMA: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
        SCHEMA.get_or_init(|| json!({"type": "object"}))
    }
    fn validate_config(
        &self,
        _: &Value,
    ) -> Result<Vec<connector_kit::ConfigWarning>, connector_kit::ConnectorError> {
        Ok(Vec::new())
    }
    fn create(
        &self,
        config: &Value,
    ) -> Result<Box<dyn SmsConnector>, connector_kit::ConnectorError> {
        let ms = config["delayMs"].as_u64().unwrap_or(0);
        Ok(Box::new(Throttled(Duration::from_millis(ms))))
    }
}

/// Members that throttle after 150 ms each, then twilio, under a 300 ms router timeout on a
/// paused clock: the first two are tried and fail over, the budget is spent exactly when the
/// second answers, and twilio is never tried: a timeout, nothing sent.
#[tokio::test(start_paused = true)]
async fn the_router_timeout_stops_before_the_next_member() {
    let factory = connector_router_sms::factory(vec![
        Box::new(ThrottledFactory),
        Box::new(connector_twilio_sms::factory()),
    ]);
    // Nothing listens at twilio's endpoint: were it tried, its error would show.
    let config = json!({
        "members": {
            "first": {"target": "throttled-sms", "config": {"delayMs": 150}},
            "second": {"target": "throttled-sms", "config": {"delayMs": 150}},
            "twilio": {"target": "twilio-sms", "config": member(TWILIO_EXAMPLE, &refused_endpoint(), 5000)},
        },
        "default": ["first", "second", "twilio"],
        "timeoutMs": 300,
    });
    let router = factory.create(&config).unwrap();
    let error = router
        .send_message(&code("+14155550100"))
        .await
        .unwrap_err();
    assert_eq!(error.code(), ConnectorErrorCode::Timeout, "{error}");
    assert_eq!(error.details().delivery, Delivery::NotSent, "{error}");
    assert!(error.to_string().contains("\"twilio\""), "{error}");
    let members: Vec<_> = error
        .details()
        .attempts
        .iter()
        .map(|a| a.member.as_str())
        .collect();
    assert_eq!(members, ["first", "second"]);
    assert_eq!(
        std::error::Error::source(&error).map(ToString::to_string),
        Some("throttled; nothing was sent".to_owned())
    );

    // Without the router's timeout, the same members take 300 ms and twilio is tried.
    let mut unbounded = config.clone();
    unbounded.as_object_mut().unwrap().remove("timeoutMs");
    let error = factory
        .create(&unbounded)
        .unwrap()
        .send_message(&code("+14155550100"))
        .await
        .unwrap_err();
    assert_eq!(error.details().attempts.len(), 3, "{error}");
}

/// `timeoutMs` has the members' bounds, and their reading of numbers.
#[test]
fn the_router_timeout_is_validated() {
    let base = router_config("http://127.0.0.1:1", "http://127.0.0.1:1", 5000);
    for (value, ok) in [
        (json!(100), true),
        (json!(120_000), true),
        (json!(5000.0), true),
        (json!(99), false),
        (json!(120_001), false),
        (json!(-1), false),
        (json!(1.5), false),
        (json!("5000"), false),
        (Value::Null, false),
    ] {
        let mut config = base.clone();
        config["timeoutMs"] = value.clone();
        match factory().validate_config(&config) {
            Ok(warnings) => assert!(ok && warnings.is_empty(), "{value}: {warnings:?}"),
            Err(error) => {
                assert!(!ok, "{value}: {error}");
                assert_eq!(error.code(), ConnectorErrorCode::InvalidConfig);
                let paths: Vec<_> = error
                    .details()
                    .problems
                    .iter()
                    .map(|p| p.path.as_str())
                    .collect();
                assert_eq!(paths, ["/timeoutMs"], "{value}: {error}");
            }
        }
    }
}
