//! The console's JSON API under `/api`, and its embedded page.
//!
//! | route | answer |
//! | --- | --- |
//! | `GET /api/connectors` | every connector as the catalog describes it, with `saved` and `active` |
//! | `GET /api/connectors/{id}/schema` | the config JSON Schema |
//! | `GET /api/connectors/{id}/readme` | the README, as Markdown and as HTML |
//! | `GET /api/connectors/{id}/logo.svg` | the logo |
//! | `GET /api/connectors/{id}/config` | the saved config, secrets emptied, with `secretsSet` (their pointers) |
//! | `POST /api/connectors/{id}/validate` | `{config}`: `valid`, `problems`, `warnings` |
//! | `POST /api/connectors/{id}/test` | `{config, to}`: sends a `Generic` message; the receipt or the error |
//! | `POST /api/connectors/{id}/save` | `{config}`: saves it (atomically) and makes it the active connector |
//! | `POST /api/connectors/{id}/activate` | makes a saved connector the active one |
//!
//! `{id}` is a connector id or target. Every answer is JSON in the command's shape: `{"ok":
//! true, ...}` or `{"ok": false, "code", "message", "problems", "warnings"}`. A secret left
//! empty in a posted config is taken from the saved config, so the page never needs it back.

use connector_kit::{ConnectorFactory, Registry, SendMessageData, TemplateType};
use connector_simulator::Simulator;
use connectors::catalog_entry;
use serde_json::{Value, json};

use super::store::{Store, with_saved_secrets, without_secrets};
use crate::exit::{EXIT_INVALID, EXIT_SEND_FAILED, Failure};

const INDEX_HTML: &str = include_str!("../../assets/console/index.html");
const CONSOLE_JS: &str = include_str!("../../assets/console/console.js");
const CONSOLE_CSS: &str = include_str!("../../assets/console/console.css");

/// An answer: status, content type and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// The HTTP status.
    pub status: u16,
    /// The `Content-Type`.
    pub content_type: &'static str,
    /// The body.
    pub body: Vec<u8>,
}

impl Reply {
    fn json(status: u16, value: &Value) -> Self {
        Self {
            status,
            content_type: "application/json; charset=utf-8",
            body: serde_json::to_vec(value).unwrap_or_default(),
        }
    }

    fn ok(value: Value) -> Self {
        Self::json(200, &value)
    }

    fn failure(status: u16, failure: &Failure) -> Self {
        Self::json(status, &failure.to_json())
    }

    fn text(content_type: &'static str, text: &str) -> Self {
        Self {
            status: 200,
            content_type,
            body: text.as_bytes().to_vec(),
        }
    }

    fn not_found(what: &str) -> Self {
        Self::failure(
            404,
            &Failure::new(EXIT_INVALID, "not_found", format!("no {what} here")),
        )
    }
}

/// The console: the connectors, the config folder and, with `--simulator`, the simulator
/// that test sends go to.
#[derive(Debug)]
pub struct Console {
    registry: Registry,
    store: Store,
    simulator: Option<Simulator>,
}

impl Console {
    /// A console over `store`, sending tests to `simulator` when given.
    pub fn new(registry: Registry, store: Store, simulator: Option<Simulator>) -> Self {
        Self {
            registry,
            store,
            simulator,
        }
    }

    /// The simulator, when the console runs with one.
    pub fn simulator(&self) -> Option<&Simulator> {
        self.simulator.as_ref()
    }

    /// Answers one request.
    pub async fn handle(&self, method: &str, path: &str, body: &[u8]) -> Reply {
        let path = path.split('?').next().unwrap_or_default();
        match (method, path) {
            ("GET", "/") => return Reply::text("text/html; charset=utf-8", INDEX_HTML),
            ("GET", "/console.js") => {
                return Reply::text("text/javascript; charset=utf-8", CONSOLE_JS);
            }
            ("GET", "/console.css") => return Reply::text("text/css; charset=utf-8", CONSOLE_CSS),
            ("GET", "/api/connectors") => return self.list(),
            _ => {}
        }
        let Some(rest) = path.strip_prefix("/api/connectors/") else {
            return Reply::not_found("such page");
        };
        let (name, action) = rest.split_once('/').unwrap_or((rest, ""));
        let Some(factory) = self.registry.get(name) else {
            return Reply::not_found(&format!("connector {name:?}"));
        };
        match (method, action) {
            ("GET", "schema") => Reply::ok(json!({"ok": true, "schema": factory.config_schema()})),
            ("GET", "readme") => Reply::ok(json!({
                "ok": true,
                "markdown": factory.readme(),
                "html": markdown_to_html(factory.readme()),
            })),
            ("GET", "logo.svg") => Reply::text("image/svg+xml", factory.logo_svg()),
            ("GET", "config") => self.config(factory),
            ("POST", "validate" | "test" | "save") => {
                let posted: Value = match serde_json::from_slice(body) {
                    Ok(value) => value,
                    Err(e) => {
                        return Reply::failure(
                            400,
                            &Failure::invalid(
                                "invalid_json",
                                format!("the request body is not JSON: {e}"),
                            ),
                        );
                    }
                };
                let config = match self.merged(factory, posted.get("config")) {
                    Ok(config) => config,
                    Err(failure) => return Reply::failure(500, &failure),
                };
                match action {
                    "validate" => self.validate(factory, &config),
                    "test" => {
                        let to = posted.get("to").and_then(Value::as_str).unwrap_or_default();
                        self.test(factory, config, to).await
                    }
                    _ => self.save(factory, &config),
                }
            }
            ("POST", "activate") => self.activate(factory),
            _ => Reply::not_found("such route"),
        }
    }

    fn list(&self) -> Reply {
        let active = self.store.active();
        let connectors: Vec<Value> = self
            .registry
            .iter()
            .map(|factory| {
                let mut entry = catalog_entry(factory);
                if let Value::Object(object) = &mut entry {
                    let saved = self.store.load(factory.id()).ok().flatten().is_some();
                    object.insert("saved".into(), Value::Bool(saved));
                    object.insert(
                        "active".into(),
                        Value::Bool(active.as_deref() == Some(factory.id())),
                    );
                    object.insert(
                        "logoUrl".into(),
                        Value::String(format!("/api/connectors/{}/logo.svg", factory.id())),
                    );
                }
                entry
            })
            .collect();
        Reply::ok(json!({
            "ok": true,
            "active": active,
            "simulator": self.simulator.is_some(),
            "connectors": connectors,
        }))
    }

    /// The saved config without its secrets; with `--simulator`, an unsaved connector starts
    /// from its example config pointed at the simulator.
    fn config(&self, factory: &dyn ConnectorFactory) -> Reply {
        let saved = match self.store.load(factory.id()) {
            Ok(saved) => saved,
            Err(message) => {
                return Reply::failure(500, &Failure::invalid("unreadable_input", message));
            }
        };
        match saved {
            Some(config) => {
                let (shown, set) = without_secrets(factory.config_schema(), &config);
                Reply::ok(json!({"ok": true, "saved": true, "config": shown, "secretsSet": set}))
            }
            None => {
                let example = self.example(factory).unwrap_or_else(|| json!({}));
                Reply::ok(json!({"ok": true, "saved": false, "config": example, "secretsSet": []}))
            }
        }
    }

    fn example(&self, factory: &dyn ConnectorFactory) -> Option<Value> {
        let simulator = self.simulator.as_ref()?;
        let send = crate::demo::SENDS
            .iter()
            .find(|s| s.target == factory.target())?;
        crate::demo::example_config(send, simulator).ok()
    }

    fn merged(
        &self,
        factory: &dyn ConnectorFactory,
        posted: Option<&Value>,
    ) -> Result<Value, Failure> {
        let saved = self
            .store
            .load(factory.id())
            .map_err(|m| Failure::invalid("unreadable_input", m))?;
        let posted = posted.cloned().unwrap_or(Value::Null);
        Ok(with_saved_secrets(
            factory.config_schema(),
            &posted,
            saved.as_ref(),
        ))
    }

    fn validate(&self, factory: &dyn ConnectorFactory, config: &Value) -> Reply {
        match factory.validate_config(config) {
            Ok(warnings) => Reply::ok(json!({
                "ok": true,
                "valid": true,
                "problems": [],
                "warnings": warnings,
            })),
            Err(error) => {
                let details = error.details();
                Reply::ok(json!({
                    "ok": true,
                    "valid": false,
                    "problems": details.problems,
                    "warnings": details.warnings,
                }))
            }
        }
    }

    async fn test(&self, factory: &dyn ConnectorFactory, mut config: Value, to: &str) -> Reply {
        if let (Some(simulator), Some(send)) = (
            &self.simulator,
            crate::demo::SENDS
                .iter()
                .find(|s| s.target == factory.target()),
        ) {
            // A provider's endpoint, or each router member's, at the simulator.
            crate::demo::point_at_simulator(&mut config, send.provider, simulator);
        }
        let connector = match factory.create(&config) {
            Ok(connector) => connector,
            Err(error) => {
                let mut failure = Failure::connector(EXIT_INVALID, &error);
                if !failure.problems.is_empty() {
                    failure.message = "the config is not valid".to_owned();
                }
                return Reply::failure(422, &failure);
            }
        };
        let code = format!("{:06}", uuid::Uuid::new_v4().as_u128() % 1_000_000);
        let message = SendMessageData::code(to, TemplateType::Generic, code);
        match connector.send_message(&message).await {
            Ok(receipt) => Reply::ok(json!({
                "ok": true,
                "messageId": receipt.message_id,
                "requestId": receipt.request_id,
                "via": receipt.via,
                "attempts": receipt.attempts,
                "simulator": self.simulator.is_some(),
            })),
            Err(error) => Reply::failure(502, &Failure::connector(EXIT_SEND_FAILED, &error)),
        }
    }

    fn save(&self, factory: &dyn ConnectorFactory, config: &Value) -> Reply {
        let warnings = match factory.validate_config(config) {
            Ok(warnings) => warnings,
            Err(error) => {
                let mut failure = Failure::connector(EXIT_INVALID, &error);
                failure.message = "not saved: the config is not valid".to_owned();
                return Reply::failure(422, &failure);
            }
        };
        let saved = self
            .store
            .save(factory.id(), config)
            .and_then(|()| self.store.activate(factory.id()));
        match saved {
            Ok(()) => Reply::ok(json!({
                "ok": true,
                "saved": true,
                "active": factory.id(),
                "warnings": warnings,
            })),
            Err(e) => Reply::failure(
                500,
                &Failure::new(
                    EXIT_INVALID,
                    "io",
                    format!("not saved: {e}; the previous file is unchanged"),
                ),
            ),
        }
    }

    fn activate(&self, factory: &dyn ConnectorFactory) -> Reply {
        match self.store.load(factory.id()) {
            Ok(Some(_)) => {}
            Ok(None) => {
                return Reply::failure(
                    409,
                    &Failure::invalid(
                        "not_saved",
                        format!("{} has no saved config to activate", factory.target()),
                    ),
                );
            }
            Err(message) => {
                return Reply::failure(500, &Failure::invalid("unreadable_input", message));
            }
        }
        match self.store.activate(factory.id()) {
            Ok(()) => Reply::ok(json!({"ok": true, "active": factory.id()})),
            Err(e) => Reply::failure(
                500,
                &Failure::new(EXIT_INVALID, "io", format!("not activated: {e}")),
            ),
        }
    }
}

/// Renders a README to HTML (pulldown-cmark, with tables).
pub fn markdown_to_html(markdown: &str) -> String {
    use pulldown_cmark::{Options, Parser, html};
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, Parser::new_ext(markdown, Options::ENABLE_TABLES));
    out
}
