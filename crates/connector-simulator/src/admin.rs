//! The admin endpoints, under `/__admin/` on every provider port. Each acts on the provider
//! of the port it is called on.
//!
//! | request | answer |
//! | --- | --- |
//! | `GET /__admin/messages` | the accepted messages, oldest first |
//! | `GET /__admin/stats` | connection, request, accepted, rejected and faulted counts |
//! | `GET /__admin/faults` | the queued faults, and the magic-number table |
//! | `POST /__admin/faults` `{"fault": "slow", "count": 2}` | queues a fault for the next `count` (default 1) requests |
//! | `DELETE /__admin/faults` | forgets the queued faults |
//! | `POST /__admin/reset` | forgets messages, faults, counters and used nonces |

use serde::Deserialize;
use serde_json::{Value, json};

use super::faults::{Fault, MAGIC_NUMBERS};
use super::http::{Incoming, Reply};
use super::{ProviderApi, Shared};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FaultRequest {
    fault: String,
    #[serde(default = "one")]
    count: u32,
}

fn one() -> u32 {
    1
}

fn error(status: u16, message: impl Into<String>) -> Reply {
    Reply::json(status, &json!({ "error": message.into() }))
}

fn pending(shared: &Shared, provider: ProviderApi) -> Value {
    let pending = shared
        .state(provider)
        .with_faults(|q| q.pending())
        .unwrap_or_default();
    json!({ "provider": provider, "pending": pending })
}

/// Answers one admin request.
pub(crate) fn handle(shared: &Shared, provider: ProviderApi, request: &Incoming) -> Reply {
    let route = request.path.trim_start_matches("/__admin");
    match (request.method.as_str(), route) {
        ("GET", "/messages") => {
            let messages: Vec<_> = shared
                .log
                .all()
                .into_iter()
                .filter(|m| m.provider == provider)
                .collect();
            Reply::json(200, &json!(messages))
        }
        ("GET", "/stats") => {
            let stats = shared.state(provider).counters.snapshot();
            let mut value = json!(stats);
            if let Some(object) = value.as_object_mut() {
                object.insert("provider".into(), json!(provider));
                object.insert("messages".into(), json!(shared.log.count(provider) as u64));
            }
            Reply::json(200, &value)
        }
        ("GET", "/faults") => {
            let mut value = pending(shared, provider);
            let magic: Vec<Value> = MAGIC_NUMBERS
                .iter()
                .map(|(suffix, fault)| json!({ "lastDigits": suffix, "fault": fault }))
                .collect();
            if let Some(object) = value.as_object_mut() {
                object.insert("magicNumbers".into(), Value::Array(magic));
            }
            Reply::json(200, &value)
        }
        ("POST", "/faults") => {
            let parsed: FaultRequest = match serde_json::from_slice(&request.body) {
                Ok(parsed) => parsed,
                Err(e) => {
                    return error(
                        400,
                        format!("expected {{\"fault\": \"<name>\", \"count\": <n>}}: {e}"),
                    );
                }
            };
            let fault: Fault = match parsed.fault.parse() {
                Ok(fault) => fault,
                Err(e) => return error(400, e),
            };
            shared
                .state(provider)
                .with_faults(|q| q.push(fault, parsed.count));
            Reply::json(200, &pending(shared, provider))
        }
        ("DELETE", "/faults") => {
            shared.state(provider).with_faults(|q| q.clear());
            Reply::json(200, &pending(shared, provider))
        }
        ("POST", "/reset") => {
            shared.reset(provider);
            Reply::json(200, &json!({ "provider": provider, "reset": true }))
        }
        (_, "/messages" | "/stats" | "/faults" | "/reset") => error(405, "method not allowed"),
        _ => error(
            404,
            "unknown admin endpoint; see GET /__admin/messages, /__admin/stats, /__admin/faults, POST /__admin/faults, DELETE /__admin/faults, POST /__admin/reset",
        ),
    }
}
