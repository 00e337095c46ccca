//! `sms-connector demo`: the offline main job.
//!
//! Starts the provider simulator ([`connector_simulator`]) in process (on the default ports, or
//! on free ports when those are taken), sends one verification code through each connector
//! with the example configs under `examples/` (their `endpoint` pointed at the simulator), and
//! prints each receipt next to the message as the simulator received it.

use std::io::Write;

use connector_kit::{Registry, SendMessageData, TemplateType};
use connector_simulator::{AcceptedMessage, ProviderApi, Simulator, SimulatorConfig};
use serde_json::Value;

use crate::exit::{EXIT_SEND_FAILED, Failure};
use crate::input::read_json_str;

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

/// The three sends, in the registry's order.
pub const SENDS: [DemoSend; 3] = [
    DemoSend {
        target: "twilio-sms",
        provider: ProviderApi::TWILIO,
        example: "examples/twilio.json",
        config: include_str!("../../../examples/twilio.json"),
        to: "+14155550100",
    },
    DemoSend {
        target: "aliyun-sms",
        provider: ProviderApi::ALIYUN,
        example: "examples/aliyun.json",
        config: include_str!("../../../examples/aliyun.json"),
        to: "13800138000",
    },
    DemoSend {
        target: "tencent-sms",
        provider: ProviderApi::TENCENT,
        example: "examples/tencent.json",
        config: include_str!("../../../examples/tencent.json"),
        to: "+8613800138000",
    },
];

/// The example config of `send`, with its endpoint pointed at `simulator`.
pub fn example_config(send: &DemoSend, simulator: &Simulator) -> Result<Value, Failure> {
    let mut config = read_json_str(send.config, send.example)?;
    if let Some(object) = config.as_object_mut() {
        object.insert(
            "endpoint".to_owned(),
            Value::String(simulator.endpoint(send.provider)),
        );
    }
    Ok(config)
}

/// Starts a simulator on the default ports, or on free ports when any of them is taken.
async fn start_simulator() -> Result<Simulator, Failure> {
    match Simulator::start(SimulatorConfig::default()).await {
        Ok(simulator) => Ok(simulator),
        Err(_) => Simulator::start(SimulatorConfig::ephemeral())
            .await
            .map_err(|e| Failure {
                exit: EXIT_SEND_FAILED,
                message: format!("error: cannot start the provider simulator: {e}"),
            }),
    }
}

/// Runs the demo, writing to `out`; fails unless every message arrived.
pub fn run(registry: &Registry, out: &mut dyn Write) -> Result<(), Failure> {
    let io = |e: std::io::Error| Failure {
        exit: EXIT_SEND_FAILED,
        message: format!("error: could not write the output: {e}"),
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure {
            exit: EXIT_SEND_FAILED,
            message: format!("error: cannot start the async runtime: {e}"),
        })?;
    let arrived = runtime.block_on(async {
        let simulator = start_simulator().await?;
        let endpoints: Vec<String> = ProviderApi::ALL
            .iter()
            .map(|p| format!("{p} {}", simulator.endpoint(*p)))
            .collect();
        writeln!(
            out,
            "Provider simulator running in process: {}",
            endpoints.join(", ")
        )
        .map_err(io)?;
        let mut arrived = 0;
        for send in &SENDS {
            writeln!(out, "\n{} ({})", send.target, send.example).map_err(io)?;
            match send_one(registry, send, &simulator).await {
                Ok((receipt, received)) => {
                    writeln!(out, "  receipt:  {receipt}").map_err(io)?;
                    match received {
                        Some(message) => {
                            arrived += 1;
                            writeln!(out, "  received: {message}").map_err(io)?;
                        }
                        None => writeln!(
                            out,
                            "  received: nothing; the simulator has no message with that id"
                        )
                        .map_err(io)?,
                    }
                }
                Err(error) => writeln!(out, "  {error}").map_err(io)?,
            }
        }
        Ok::<_, Failure>(arrived)
    })?;
    writeln!(
        out,
        "\n{arrived} of {} messages arrived at the simulator.",
        SENDS.len()
    )
    .map_err(io)?;
    if arrived == SENDS.len() {
        Ok(())
    } else {
        Err(Failure {
            exit: EXIT_SEND_FAILED,
            message: format!(
                "error: {} of {} messages did not arrive",
                SENDS.len() - arrived,
                SENDS.len()
            ),
        })
    }
}

/// Sends one code; the receipt as a line, and the message the simulator recorded for it.
async fn send_one(
    registry: &Registry,
    send: &DemoSend,
    simulator: &Simulator,
) -> Result<(String, Option<AcceptedMessage>), String> {
    let factory = registry
        .require(send.target)
        .map_err(|e| format!("error: {e}"))?;
    let config = example_config(send, simulator).map_err(|f| f.message)?;
    let connector = factory
        .create(&config)
        .map_err(|e| format!("error[{}]: {e}", e.code()))?;
    let code = format!("{:06}", uuid::Uuid::new_v4().as_u128() % 1_000_000);
    let message = SendMessageData::code(send.to, TemplateType::SignIn, code);
    let receipt = connector.send_message(&message).await.map_err(|e| {
        let mut text = format!("error[{}]: {e}", e.code());
        if let Some(code) = &e.details().provider_code {
            text.push_str(&format!(" (provider code {code})"));
        }
        text
    })?;
    let mut line = format!("message id {}", receipt.message_id);
    if let Some(id) = &receipt.request_id {
        line.push_str(&format!(", request id {id}"));
    }
    let received = simulator
        .messages_for(send.provider)
        .into_iter()
        .find(|m| m.message_id == receipt.message_id);
    Ok((line, received))
}
