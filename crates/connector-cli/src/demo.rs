//! `sms-connector demo`: the offline main job.
//!
//! Starts the provider simulator ([`connector_simulator`]) in process (on the default ports, or
//! on free ports when those are taken), sends one verification code through each connector
//! with the example configs under `examples/` (their `endpoint` pointed at the simulator), and
//! prints each receipt next to the message as the simulator received it.

use connector_kit::{Registry, SendMessageData, SendReceipt, TemplateType};
use connector_simulator::{AcceptedMessage, ProviderApi, Simulator, SimulatorConfig};
use serde_json::{Value, json};

use crate::cli::{find, invalid_config};
use crate::exit::{EXIT_SEND_FAILED, Failure};
use crate::input::read_json_str;
use crate::output::Output;

/// One send of the demo.
#[derive(Debug, Clone, Copy)]
pub struct DemoSend {
    /// The connector target.
    pub target: &'static str,
    /// The simulated provider it talks to.
    pub provider: ProviderApi,
    /// The example config's path, relative to the workspace root.
    pub example: &'static str,
    /// The example config's text (compiled in, so the demo runs from any directory).
    pub config: &'static str,
    /// The recipient.
    pub to: &'static str,
}

/// The sends, in the registry's order. The router's `provider` is the one its example routes
/// the recipient to.
///
/// Each config is the workspace's `examples/<name>.json`, embedded through this crate's
/// `demo/` (links to those files), so the command works from anywhere and a packaged crate
/// carries its configs.
pub const SENDS: [DemoSend; 7] = [
    DemoSend {
        target: "twilio-sms",
        provider: ProviderApi::TWILIO,
        example: "examples/twilio.json",
        config: include_str!("../demo/twilio.json"),
        to: "+14155550100",
    },
    DemoSend {
        target: "aliyun-sms",
        provider: ProviderApi::ALIYUN,
        example: "examples/aliyun.json",
        config: include_str!("../demo/aliyun.json"),
        to: "13800138000",
    },
    DemoSend {
        target: "tencent-sms",
        provider: ProviderApi::TENCENT,
        example: "examples/tencent.json",
        config: include_str!("../demo/tencent.json"),
        to: "+8613800138000",
    },
    DemoSend {
        target: "vonage-sms",
        provider: ProviderApi::VONAGE,
        example: "examples/vonage.json",
        config: include_str!("../demo/vonage.json"),
        to: "+447700900000",
    },
    DemoSend {
        target: "aws-sns-sms",
        provider: ProviderApi::AWS_SNS,
        example: "examples/aws-sns.json",
        config: include_str!("../demo/aws-sns.json"),
        to: "+12065550100",
    },
    DemoSend {
        target: "http-sms",
        provider: ProviderApi::HTTP,
        example: "examples/http.json",
        config: include_str!("../demo/http.json"),
        to: "+14155550123",
    },
    DemoSend {
        target: "router-sms",
        provider: ProviderApi::ALIYUN,
        example: "examples/router.json",
        config: include_str!("../demo/router.json"),
        to: "+8613800138000",
    },
];

/// The example config of `send`, with its endpoint pointed at `simulator`.
pub fn example_config(send: &DemoSend, simulator: &Simulator) -> Result<Value, Failure> {
    let mut config = read_json_str(send.config, send.example)?;
    point_at_simulator(&mut config, send.provider, simulator);
    Ok(config)
}

/// Points a config at the simulator: a provider's `endpoint` at `provider`'s port, or, for a
/// router's config, each member's `endpoint` at its own provider's port. An endpoint that is
/// a whole URL (the HTTP connector's) keeps its path and query.
pub fn point_at_simulator(config: &mut Value, provider: ProviderApi, simulator: &Simulator) {
    if let Some(members) = config.get_mut("members").and_then(Value::as_object_mut) {
        for member in members.values_mut() {
            let send = member
                .get("target")
                .and_then(Value::as_str)
                .and_then(|target| SENDS.iter().find(|s| s.target == target));
            if let (Some(send), Some(object)) = (
                send,
                member.get_mut("config").and_then(Value::as_object_mut),
            ) {
                let endpoint = moved(object.get("endpoint"), simulator.endpoint(send.provider));
                object.insert("endpoint".to_owned(), Value::String(endpoint));
            }
        }
    } else if let Some(object) = config.as_object_mut() {
        let endpoint = moved(object.get("endpoint"), simulator.endpoint(provider));
        object.insert("endpoint".to_owned(), Value::String(endpoint));
    }
}

/// `origin` with the path and query of the `endpoint` a config had, if any.
fn moved(endpoint: Option<&Value>, origin: String) -> String {
    let path = endpoint
        .and_then(Value::as_str)
        .and_then(|old| connector_kit::Endpoint::parse_url(old).ok())
        .map(|old| old.whole_url()[old.origin().len()..].to_owned())
        .filter(|path| path != "/");
    match path {
        Some(path) => format!("{}{path}", origin.trim_end_matches('/')),
        None => origin,
    }
}

/// Starts a simulator on the default ports, or on free ports when any of them is taken.
async fn start_simulator() -> Result<Simulator, Failure> {
    match Simulator::start(SimulatorConfig::default()).await {
        Ok(simulator) => Ok(simulator),
        Err(_) => Simulator::start(SimulatorConfig::ephemeral())
            .await
            .map_err(|e| {
                Failure::new(
                    EXIT_SEND_FAILED,
                    "io",
                    format!("cannot start the provider simulator: {e}"),
                )
            }),
    }
}

/// What one send of the demo gave.
struct Outcome {
    send: &'static DemoSend,
    result: Result<(SendReceipt, Option<AcceptedMessage>), Failure>,
}

/// Runs the demo, writing to `output`; fails unless every message arrived.
pub fn run(registry: &Registry, output: &mut Output<'_>) -> Result<(), Failure> {
    let runtime = crate::exit::runtime(1)?;
    let (endpoints, outcomes) = runtime.block_on(async {
        let simulator = start_simulator().await?;
        let endpoints: Vec<(ProviderApi, String)> = ProviderApi::ALL
            .iter()
            .map(|p| (*p, simulator.endpoint(*p)))
            .collect();
        let mut outcomes = Vec::new();
        for send in &SENDS {
            outcomes.push(Outcome {
                send,
                result: send_one(registry, send, &simulator).await,
            });
        }
        Ok::<_, Failure>((endpoints, outcomes))
    })?;
    let arrived = outcomes
        .iter()
        .filter(|o| matches!(&o.result, Ok((_, Some(_)))))
        .count();
    if output.json {
        report_json(&endpoints, &outcomes, arrived, output)?;
    } else {
        report_text(&endpoints, &outcomes, arrived, output)?;
    }
    if arrived == SENDS.len() {
        Ok(())
    } else {
        let mut failure = Failure::new(
            EXIT_SEND_FAILED,
            "not_arrived",
            format!(
                "{} of {} messages did not arrive",
                SENDS.len() - arrived,
                SENDS.len()
            ),
        );
        // The JSON document above already says which; one JSON answer is enough.
        failure.reported = output.json;
        Err(failure)
    }
}

fn report_text(
    endpoints: &[(ProviderApi, String)],
    outcomes: &[Outcome],
    arrived: usize,
    output: &mut Output<'_>,
) -> Result<(), Failure> {
    let endpoints: Vec<String> = endpoints.iter().map(|(p, e)| format!("{p} {e}")).collect();
    output.line(&format!(
        "Provider simulator running in process: {}",
        endpoints.join(", ")
    ))?;
    for outcome in outcomes {
        output.line(&format!(
            "\n{} ({})",
            outcome.send.target, outcome.send.example
        ))?;
        match &outcome.result {
            Ok((receipt, received)) => {
                let mut line = format!("  receipt:  message id {}", receipt.message_id);
                if let Some(id) = &receipt.request_id {
                    line.push_str(&format!(", request id {id}"));
                }
                if let Some(via) = &receipt.via {
                    line.push_str(&format!(", via {via}"));
                }
                output.line(&line)?;
                match received {
                    Some(message) => output.line(&format!("  received: {message}"))?,
                    None => output
                        .line("  received: nothing; the simulator has no message with that id")?,
                }
            }
            Err(failure) => {
                let mut line = format!("  error[{}]: {}", failure.code, failure.message);
                for note in &failure.notes {
                    line.push_str(&format!(" ({note})"));
                }
                output.line(&line)?;
            }
        }
    }
    let summary = format!(
        "{arrived} of {} messages arrived at the simulator.",
        SENDS.len()
    );
    output.line("")?;
    if arrived == SENDS.len() {
        output.success(&summary, "")
    } else {
        output.line(&summary)
    }
}

fn report_json(
    endpoints: &[(ProviderApi, String)],
    outcomes: &[Outcome],
    arrived: usize,
    output: &mut Output<'_>,
) -> Result<(), Failure> {
    let simulator: serde_json::Map<String, Value> = endpoints
        .iter()
        .map(|(p, e)| (p.as_str().to_owned(), Value::String(e.clone())))
        .collect();
    let sends: Vec<Value> = outcomes
        .iter()
        .map(|outcome| match &outcome.result {
            Ok((receipt, received)) => json!({
                "connector": outcome.send.target,
                "to": outcome.send.to,
                "ok": true,
                "messageId": receipt.message_id,
                "requestId": receipt.request_id,
                "via": receipt.via,
                "received": received,
            }),
            Err(failure) => json!({
                "connector": outcome.send.target,
                "to": outcome.send.to,
                "ok": false,
                "error": failure.to_json(),
            }),
        })
        .collect();
    output.document(&json!({
        "ok": arrived == SENDS.len(),
        "simulator": simulator,
        "sends": sends,
        "arrived": arrived,
    }))
}

/// Sends one code; the receipt, and the message the simulator recorded for it.
async fn send_one(
    registry: &Registry,
    send: &DemoSend,
    simulator: &Simulator,
) -> Result<(SendReceipt, Option<AcceptedMessage>), Failure> {
    let factory = find(registry, send.target)?;
    let config = example_config(send, simulator)?;
    let connector = factory
        .create(&config)
        .map_err(|e| invalid_config(send.example, &e))?;
    let code = format!("{:06}", uuid::Uuid::new_v4().as_u128() % 1_000_000);
    let message = SendMessageData::code(send.to, TemplateType::SignIn, code);
    let receipt = connector
        .send_message(&message)
        .await
        .map_err(|e| Failure::connector(EXIT_SEND_FAILED, &e))?;
    // A router names the member that sent; look in every provider's messages.
    let received = simulator
        .messages()
        .into_iter()
        .find(|m| m.message_id == receipt.message_id);
    Ok((receipt, received))
}
