//! The contract suite: what every connector must do, written once and run by every provider
//! crate with one call and a small [`Contract`] fixture.
//!
//! ```text
//! // tests/contract.rs of a provider crate: its own test binary, so that the log capture
//! // sees every span.
//! #[tokio::test]
//! async fn contract() {
//!     connector_kit::testing::run_contract::<MyProvider>(Contract { ... }).await;
//! }
//! ```
//!
//! It checks, in order, and panics with the name of the rule that failed:
//! - metadata: id, target, name and description in English and each of
//!   `metadata::REQUIRED_LOCALES` (Logto's locales and zh-TW), logo, README path, one form item
//!   per config key; metadata and schema snapshots (insta, in the fixture's folder);
//! - the schema: only keywords the checker understands; every secret `writeOnly`, shown as
//!   `isConfidential`, and found by the kit's scrubbing; the default endpoint is https;
//! - config rules: the fixture is valid, with no warning; each required usage type, when
//!   missing, is named; a config built in Rust (`Connector::new`) is held to the same rules
//!   as JSON; what Logto accepts (unknown keys, `Test` and `Continue` templates, a template
//!   of an unknown usage type) is accepted with warnings, which a strict check rejects;
//! - messages: rendering puts the code in the request and leaves no placeholder; a usage
//!   type without a template sends what `Generic` sends; a template in the message's language
//!   (`payload.locale`, then `uiLocales`) wins over the one without a locale; a bad phone number fails before
//!   any request;
//! - sending over loopback HTTP: success gives a receipt; the provider's rejection is an
//!   answered error with its code and request id; an HTML 5xx, a dropped connection and a
//!   timeout are "maybe sent" and never repeated; garbage and truncated bodies are
//!   `invalid_response`; a refused connection is retryable and not sent;
//! - secrets: no secret in any error's Display or Debug, its details, a dry run, the
//!   connector's Debug or a captured log line, on every path above; neither the code nor the
//!   full phone number in an error or a log line (the log shows the number masked);
//! - no panic on arbitrary bodies, whatever the status.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::{CannedResponse, CaptureServer, capture_logs};
use crate::checker::unsupported_keywords;
use crate::clock::RequestContext;
use crate::connector::Provider;
use crate::error::{ConnectorError, ConnectorErrorCode, Delivery, WarningKind};
use crate::factory::{ConnectorFactory, ProviderFactory};
use crate::http::HttpResponse;
use crate::message::{SendMessageData, SendMessagePayload, TemplateType};
use crate::pipeline::Connector;
use crate::schema::SchemaView;

/// What the suite needs to know about one provider.
#[derive(Debug, Clone)]
pub struct Contract {
    /// A valid config whose templates cover exactly the four required usage types (so
    /// that every other usage type falls back to `Generic`). Its `endpoint` is replaced by
    /// the suite's loopback servers.
    pub config: Value,
    /// A recipient the connector accepts.
    pub to: &'static str,
    /// The provider's success answer to a send to `to`.
    pub success: CannedResponse,
    /// The provider's answer refusing a send, with `message` as its error message (the
    /// suite puts the secrets in it, as a provider that echoes a request would).
    pub rejection: fn(message: &str) -> CannedResponse,
    /// The kit code that `rejection` maps to.
    pub rejection_code: ConnectorErrorCode,
    /// Where the metadata and schema snapshots live: `concat!(env!("CARGO_MANIFEST_DIR"),
    /// "/tests/snapshots")`.
    pub snapshots: &'static str,
}

const CODE: &str = "424242";

/// Marks the texts that are dry runs, which may show the code.
const DRY_RUN: &str = "dry run:\n";

/// Runs the whole suite. Call it from a provider crate's `tests/contract.rs`, inside a
/// current-thread `#[tokio::test]`, in a test binary of its own.
pub async fn run_contract<P: Provider>(contract: Contract) {
    let (logs, _guard) = capture_logs();
    let factory = ProviderFactory::<P>::new();
    let secrets = describes_itself::<P>(&factory, &contract);
    enforces_config_rules::<P>(&factory, &contract);
    accepts_logto_configs_with_warnings::<P>(&factory, &contract);
    builds_messages::<P>(&factory, &contract);
    let mut seen = sends_over_http::<P>(&factory, &contract, &secrets).await;
    survives_any_body::<P>();

    let logged = logs.contents();
    assert!(
        logged.contains("sms_send"),
        "contract: every send is logged in an `sms_send` span:\n{logged}"
    );
    let masked = crate::phone::mask(contract.to);
    assert!(
        logged.contains(&masked),
        "contract: the log shows the number masked ({masked}):\n{logged}"
    );
    seen.push(logged);
    let digits: String = contract.to.chars().filter(char::is_ascii_digit).collect();
    for text in &seen {
        assert!(
            text.starts_with(DRY_RUN) || !text.contains(&digits),
            "contract: the full phone number leaked into an error or a log line:\n{text}"
        );
        for secret in &secrets {
            assert!(
                !text.contains(secret.as_str()),
                "contract: a secret leaked into an error, a dry run or a log line:\n{text}"
            );
        }
        assert!(
            text.starts_with(DRY_RUN) || !text.contains(CODE),
            "contract: the verification code leaked into an error or a log line:\n{text}"
        );
    }
}

/// The config pointed at `endpoint`, with `changes` applied on top.
fn config_at(contract: &Contract, endpoint: &str, changes: Value) -> Value {
    let mut config = contract.config.clone();
    if let (Some(object), Some(extra)) = (config.as_object_mut(), changes.as_object()) {
        object.insert("endpoint".into(), json!(endpoint));
        for (key, value) in extra {
            object.insert(key.clone(), value.clone());
        }
    }
    config
}

fn message(to: &str, usage: TemplateType) -> SendMessageData {
    SendMessageData::code(to, usage, CODE)
}

/// Metadata, schema and secrets; returns the fixture's secret values.
fn describes_itself<P: Provider>(factory: &ProviderFactory<P>, contract: &Contract) -> Vec<String> {
    let metadata = factory.metadata();
    assert_eq!(metadata.id, P::ID, "contract: metadata id");
    assert_eq!(metadata.target, P::TARGET, "contract: metadata target");
    assert!(
        !metadata.name.en.is_empty() && !metadata.description.en.is_empty(),
        "contract: metadata has an English name and description"
    );
    for locale in crate::metadata::REQUIRED_LOCALES {
        for (what, text) in [
            ("name", &metadata.name),
            ("description", &metadata.description),
        ] {
            assert!(
                text.others.get(*locale).is_some_and(|t| !t.is_empty()),
                "contract: metadata has a {locale} {what}"
            );
        }
    }
    assert!(!metadata.logo.is_empty(), "contract: metadata has a logo");
    assert!(
        P::README.contains("\n# ") && P::LOGO_SVG.contains("<svg"),
        "contract: the provider embeds its README and its SVG logo, for consoles"
    );
    assert_eq!(metadata.readme, "./README.md", "contract: README path");

    let schema = factory.config_schema();
    let view = SchemaView::root(schema);
    let keys: Vec<&str> = view.properties().map(|(key, _)| key).collect();
    let items: Vec<&str> = metadata.form_items.iter().map(|i| i.key.as_str()).collect();
    assert_eq!(
        items, keys,
        "contract: one form item per config key, in order"
    );
    assert_eq!(
        unsupported_keywords(schema),
        Vec::<String>::new(),
        "contract: the schema uses only keywords the checker understands"
    );
    assert!(
        P::DEFAULT_ENDPOINT.starts_with("https://")
            && if P::ENDPOINT_IS_URL {
                crate::http::Endpoint::parse_url(P::DEFAULT_ENDPOINT).is_ok()
            } else {
                crate::http::Endpoint::parse(P::DEFAULT_ENDPOINT).is_ok()
            },
        "contract: the default endpoint is a valid https origin (or URL, for a whole-URL endpoint)"
    );

    // Secrets: `writeOnly` in the schema, `isConfidential` in the form, found by scrubbing.
    let secret_keys: Vec<&str> = view
        .properties()
        .filter(|(_, field)| field.is_secret())
        .map(|(key, _)| key)
        .collect();
    assert!(
        !secret_keys.is_empty(),
        "contract: the config has at least one secret"
    );
    for item in &metadata.form_items {
        assert_eq!(
            item.is_confidential,
            secret_keys.contains(&item.key.as_str()),
            "contract: form item {} is confidential exactly when its schema is writeOnly",
            item.key
        );
    }
    let secrets = view.secret_values(&contract.config);
    // A secret may be optional (one of two ways to authenticate): count those set.
    let set = secret_keys
        .iter()
        .filter(|key| contract.config.get(**key).is_some())
        .count();
    assert!(set > 0, "contract: the fixture sets at least one secret");
    // Secrets inside a key (the HTTP connector's header values) are found too.
    assert!(
        secrets.len() >= set,
        "contract: every secret of the fixture is found for scrubbing"
    );

    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(PathBuf::from(contract.snapshots));
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        insta::assert_json_snapshot!("metadata", metadata);
        insta::assert_json_snapshot!("schema", schema);
    });
    secrets
}

/// What Logto's connectors accept silently is accepted here too, with warnings: keys the
/// connector does not know (at the root and in a template), a deprecated usage type, an
/// unknown one (whose template is dropped); a strict check rejects the same config.
fn accepts_logto_configs_with_warnings<P: Provider>(
    factory: &ProviderFactory<P>,
    contract: &Contract,
) {
    let mut config = config_at(contract, "http://127.0.0.1:9", json!({}));
    let first = config["templates"][0].clone();
    if let Some(object) = config.as_object_mut() {
        object.insert("name".into(), json!("SMS connector"));
    }
    if let Some(Value::Array(templates)) = config.get_mut("templates") {
        for (usage, extra) in [
            ("Test", "name"),
            ("Continue", "description"),
            ("signin", "subject"),
        ] {
            let mut template = first.clone();
            template["usageType"] = json!(usage);
            template[extra] = json!("from an older Logto console");
            templates.push(template);
        }
    }
    let warnings = factory
        .validate_config(&config)
        .unwrap_or_else(|e| panic!("contract: a Logto-shaped config is valid: {e}"));
    let kinds: Vec<WarningKind> = warnings.iter().map(|w| w.kind).collect();
    for expected in [
        WarningKind::UnknownField,
        WarningKind::DeprecatedUsageType,
        WarningKind::UnknownUsageType,
    ] {
        assert!(
            kinds.contains(&expected),
            "contract: a {expected} warning: {warnings:?}"
        );
    }
    assert!(
        warnings
            .iter()
            .any(|w| w.path == "/name" && w.message == "unknown field \"name\" is ignored"),
        "contract: the unknown root key is named: {warnings:?}"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.message.contains("(did you mean \"SignIn\"?)")),
        "contract: the mistyped usage type names the closest: {warnings:?}"
    );
    let typed = factory
        .parse(&config)
        .unwrap_or_else(|e| panic!("contract: a Logto-shaped config parses: {e}"))
        .config;
    let round_trip = serde_json::to_value(&typed).unwrap_or_default();
    let kept: Vec<&str> = round_trip["templates"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|t| t["usageType"].as_str())
        .collect();
    assert!(
        kept.contains(&"Test") && kept.contains(&"Continue") && !kept.contains(&"signin"),
        "contract: deprecated usage types are kept, unknown ones dropped: {kept:?}"
    );
    let (logs, guard) = capture_logs();
    let created = factory.create(&config);
    drop(guard);
    assert!(
        created.is_ok(),
        "contract: a Logto-shaped config creates a connector"
    );
    let logged = logs.contents();
    assert!(
        logged.contains("WARN") && logged.contains("unknown field \"name\" is ignored"),
        "contract: creating a connector logs its config warnings at warn level:\n{logged}"
    );
    let strict = factory
        .validate_config_strict(&config)
        .expect_err("contract: a strict check rejects the warnings");
    assert_eq!(strict.code(), ConnectorErrorCode::InvalidConfig);
    assert_eq!(strict.details().problems.len(), warnings.len());
}

fn enforces_config_rules<P: Provider>(factory: &ProviderFactory<P>, contract: &Contract) {
    let valid = config_at(contract, "http://127.0.0.1:9", json!({}));
    match factory.validate_config(&valid) {
        Ok(warnings) => assert!(
            warnings.is_empty(),
            "contract: the fixture config has no warnings: {warnings:?}"
        ),
        Err(error) => panic!("contract: the fixture config is valid: {error}"),
    }
    let typed = factory
        .parse(&valid)
        .unwrap_or_else(|e| panic!("contract: the fixture parses: {e}"))
        .config;
    let round_trip = serde_json::to_value(&typed)
        .unwrap_or_else(|e| panic!("contract: a typed config serializes: {e}"));
    assert!(
        factory.validate_config(&round_trip).is_ok(),
        "contract: a typed config serializes to a valid config"
    );

    for required in TemplateType::REQUIRED {
        let mut config = valid.clone();
        if let Some(Value::Array(templates)) = config.get_mut("templates") {
            templates.retain(|t| t["usageType"] != json!(required.as_str()));
        }
        let error = match factory.validate_config(&config) {
            Ok(_) => panic!("contract: a config without a {required} template is invalid"),
            Err(error) => error,
        };
        assert_eq!(error.code(), ConnectorErrorCode::InvalidConfig);
        let named = format!("missing a template with usageType {required}");
        assert!(
            error.details().problems.iter().any(|p| p.message == named),
            "contract: the missing {required} template is named: {error}"
        );
        // The same config built in Rust, bypassing the schema, is held to the same rule.
        if let Ok(typed) = serde_json::from_value::<P::Config>(config) {
            let error = Connector::<P>::new(typed).err().unwrap_or_else(|| {
                panic!("contract: Connector::new refuses a config without {required}")
            });
            assert_eq!(error.code(), ConnectorErrorCode::InvalidConfig);
        }
    }

    let mut empty_secrets = valid.clone();
    for (key, field) in SchemaView::root(factory.config_schema()).properties() {
        if field.is_secret() {
            empty_secrets[key] = json!("");
        }
    }
    assert!(
        factory.validate_config(&empty_secrets).is_err(),
        "contract: an empty secret is invalid"
    );
    let error = factory
        .create(&json!({"templates": "nope"}))
        .err()
        .unwrap_or_else(|| panic!("contract: a malformed config is refused"));
    assert_eq!(error.code(), ConnectorErrorCode::InvalidConfig);
    assert!(
        error.details().problems.len() > 1,
        "contract: every problem is reported at once: {error}"
    );
}

/// A SignIn template in zh-CN is used for a zh-CN message, in preference to the SignIn
/// template without a locale; a message in another language, or in a broader one (`zh`), uses
/// the template without a locale.
fn picks_templates_by_language<P: Provider>(
    factory: &ProviderFactory<P>,
    contract: &Contract,
    context: &RequestContext,
    default_body: &[u8],
) {
    let mut config = config_at(contract, "http://127.0.0.1:9", json!({}));
    let Some(Value::Array(templates)) = config.get_mut("templates") else {
        panic!("contract: the fixture has templates");
    };
    let Some(mut localized) = templates
        .iter()
        .find(|t| t["usageType"] == json!("SignIn"))
        .cloned()
    else {
        panic!("contract: the fixture has a SignIn template");
    };
    localized["locale"] = json!("zh-CN");
    if let Some(Value::String(content)) = localized.get_mut("content") {
        content.push_str(" (zh-CN)");
    } else if let Some(Value::String(code)) = localized.get_mut("templateCode") {
        code.push('9');
    } else if let Some(Value::Object(codes)) = localized.get_mut("templateCode") {
        for code in codes.values_mut() {
            if let Value::String(code) = code {
                code.push('9');
            }
        }
    }
    templates.push(localized);
    let connector = factory
        .connector(&config)
        .unwrap_or_else(|e| panic!("contract: a config with a zh-CN template is valid: {e}"));
    let build = |locale: Option<&str>, ui: Option<&str>| {
        let mut data = message(contract.to, TemplateType::SignIn);
        data.payload.locale = locale.map(str::to_owned);
        data.payload.ui_locales = ui.map(str::to_owned);
        delivered(&connector, &data, context)
    };
    assert_ne!(
        build(Some("zh-CN"), None),
        default_body,
        "contract: a zh-CN message uses the zh-CN template"
    );
    assert_eq!(
        build(None, Some("fr zh-CN")),
        build(Some("zh-CN"), None),
        "contract: uiLocales pick the language when locale does not"
    );
    for other in [Some("en"), Some("zh"), None] {
        assert_eq!(
            build(other, None),
            default_body,
            "contract: a {other:?} message uses the template without a locale"
        );
    }
}

/// What a message delivers: the text, for a connector that renders it (its body may also
/// carry the usage type and the payload, as the HTTP connector's does), else the whole body.
fn delivered<P: Provider>(
    connector: &Connector<P>,
    data: &SendMessageData,
    context: &RequestContext,
) -> Vec<u8> {
    match P::rendered_text(connector.config(), data) {
        Ok(Some(text)) => text.into_bytes(),
        _ => {
            connector
                .prepare_with(data, context)
                .unwrap_or_else(|e| panic!("contract: a message builds: {e}"))
                .body
        }
    }
}

fn builds_messages<P: Provider>(factory: &ProviderFactory<P>, contract: &Contract) {
    let connector = factory
        .connector(&config_at(contract, "http://127.0.0.1:9", json!({})))
        .unwrap_or_else(|e| panic!("contract: the fixture makes a connector: {e}"));
    let context = RequestContext::fixed(1_700_000_000, "contract-nonce");
    let build = |usage| {
        connector
            .prepare_with(&message(contract.to, usage), &context)
            .unwrap_or_else(|e| panic!("contract: a {usage} message builds: {e}"))
    };

    let sign_in = build(TemplateType::SignIn);
    let body = String::from_utf8_lossy(&sign_in.body).into_owned();
    assert!(
        body.contains(CODE),
        "contract: the code reaches the request: {body}"
    );
    assert!(
        !body.contains("{{"),
        "contract: no placeholder is left unrendered: {body}"
    );

    let generic = build(TemplateType::Generic);
    let delivers = |usage| delivered(&connector, &message(contract.to, usage), &context);
    let generic_delivers = delivers(TemplateType::Generic);
    for usage in TemplateType::ALL {
        if TemplateType::REQUIRED.contains(&usage) {
            continue;
        }
        assert_eq!(
            delivers(usage),
            generic_delivers,
            "contract: {usage} has no template in the fixture and sends what Generic sends"
        );
    }
    assert_ne!(
        sign_in.body, generic.body,
        "contract: SignIn uses its own template, not Generic's"
    );
    picks_templates_by_language::<P>(factory, contract, &context, &delivers(TemplateType::SignIn));

    for bad in [
        "not-a-number",
        "+1 415 555 0100",
        "",
        "+123456",
        "+0123456789",
    ] {
        let error = connector
            .prepare_with(&message(bad, TemplateType::SignIn), &context)
            .err()
            .unwrap_or_else(|| panic!("contract: {bad:?} is refused"));
        assert_eq!(
            error.code(),
            ConnectorErrorCode::InvalidRequestParameters,
            "contract: a bad phone number is invalid_request_parameters"
        );
        assert_eq!(
            error.details().field.as_deref(),
            Some("to"),
            "contract: a bad phone number names the field"
        );
        // The same rule, the same words, in every connector: the kit's.
        if let Err(kit) = crate::phone::parse(bad, crate::phone::PhoneRules::STRICT) {
            assert_eq!(
                error.message(),
                kit.message(),
                "contract: a bad phone number is worded as the kit words it"
            );
        }
    }
    let mut injected = message(contract.to, TemplateType::SignIn);
    injected.payload = SendMessagePayload::with_code("1\r\nX-Injected: 1");
    assert_eq!(
        connector
            .prepare_with(&injected, &context)
            .err()
            .map(|e| e.code()),
        Some(ConnectorErrorCode::InvalidRequestParameters),
        "contract: control characters in the payload are refused"
    );
}

/// One send against a server giving `answer`; the error (if any), the requests the server
/// saw, and the texts a secret must never appear in.
async fn send_once<P: Provider>(
    factory: &ProviderFactory<P>,
    contract: &Contract,
    answer: CannedResponse,
    changes: Value,
) -> (Result<String, ConnectorError>, usize, Vec<String>) {
    let server = CaptureServer::start(answer)
        .await
        .unwrap_or_else(|e| panic!("contract: a loopback server starts: {e}"));
    let connector = factory
        .create(&config_at(contract, server.origin(), changes))
        .unwrap_or_else(|e| panic!("contract: the fixture makes a connector: {e}"));
    let data = message(contract.to, TemplateType::SignIn);
    let result = connector
        .send_message(&data)
        .await
        .map(|receipt| receipt.message_id);
    let mut texts = vec![format!("{connector:?}")];
    if let Ok(dry_run) = connector.prepare(&data) {
        // A dry run shows the message, code included, but never a secret.
        texts.push(format!("{DRY_RUN}{dry_run}\n{dry_run:?}"));
    }
    if let Err(error) = &result {
        texts.push(format!(
            "{error}\n{error:?}\n{}",
            serde_json::to_string(error.details()).unwrap_or_default()
        ));
    }
    (result, server.requests().len(), texts)
}

/// Sends against every kind of answer; `secrets` are the fixture's, which the provider's
/// answers echo back.
async fn sends_over_http<P: Provider>(
    factory: &ProviderFactory<P>,
    contract: &Contract,
    secrets: &[String],
) -> Vec<String> {
    let mut seen = Vec::new();
    let echo = format!("the request had {} and code {CODE}", secrets.join(" and "));

    let (result, requests, texts) =
        send_once(factory, contract, contract.success.clone(), json!({})).await;
    seen.extend(texts);
    match result {
        Ok(id) => assert!(!id.is_empty(), "contract: a receipt has a message id"),
        Err(e) => panic!("contract: the success answer gives a receipt: {e}"),
    }
    assert_eq!(requests, 1, "contract: one send is one request");

    let (result, requests, texts) =
        send_once(factory, contract, (contract.rejection)(&echo), json!({})).await;
    seen.extend(texts);
    let error = result
        .err()
        .unwrap_or_else(|| panic!("contract: a rejection is an error"));
    assert_eq!(
        error.code(),
        contract.rejection_code,
        "contract: rejection code"
    );
    assert_eq!(error.details().delivery, Delivery::Answered);
    assert!(
        error.details().provider_code.is_some(),
        "contract: a rejection keeps the provider's code"
    );
    assert_eq!(requests, 1, "contract: a rejection is not repeated");

    let maybe_sent = [
        (
            "an HTML 502",
            CannedResponse::html(
                502,
                format!("<html><body>Bad gateway: {echo}</body></html>"),
            ),
            json!({}),
            ConnectorErrorCode::InvalidResponse,
        ),
        (
            "a dropped connection",
            CannedResponse::dropped(),
            json!({}),
            ConnectorErrorCode::General,
        ),
        (
            "a timeout",
            contract.success.clone().after(Duration::from_millis(1_500)),
            json!({"timeoutMs": 300}),
            ConnectorErrorCode::Timeout,
        ),
        (
            "a truncated success body",
            {
                let mut cut = contract.success.clone();
                cut.body.truncate(cut.body.len() / 2);
                cut
            },
            json!({}),
            ConnectorErrorCode::InvalidResponse,
        ),
        (
            "a garbage success body",
            CannedResponse::json(200, format!("garbage {echo}")),
            json!({}),
            ConnectorErrorCode::InvalidResponse,
        ),
    ];
    for (what, answer, changes, code) in maybe_sent {
        let started = Instant::now();
        let (result, requests, texts) = send_once(factory, contract, answer, changes).await;
        seen.extend(texts);
        let error = result
            .err()
            .unwrap_or_else(|| panic!("contract: {what} is an error"));
        assert_eq!(error.code(), code, "contract: {what}: {error}");
        assert!(
            error.may_have_been_sent(),
            "contract: {what} may have been sent: {error}"
        );
        assert!(!error.is_retryable(), "contract: {what} is not retryable");
        assert_eq!(requests, 1, "contract: {what} is never repeated");
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "contract: {what} ends within the timeout"
        );
    }

    // Nothing listens on port 9 (discard) of the loopback: the connection is refused.
    let refused = factory
        .create(&config_at(contract, "http://127.0.0.1:9", json!({})))
        .unwrap_or_else(|e| panic!("contract: the fixture makes a connector: {e}"));
    let error = refused
        .send_message(&message(contract.to, TemplateType::SignIn))
        .await
        .err()
        .unwrap_or_else(|| panic!("contract: a refused connection is an error"));
    assert_eq!(error.details().delivery, Delivery::NotSent);
    assert!(
        error.is_retryable(),
        "contract: a refused connection is retryable"
    );
    seen.push(format!("{error}\n{error:?}"));
    seen
}

/// A small deterministic generator, so that the bodies are the same on every run.
struct Bytes(u64);

impl Bytes {
    fn next(&mut self) -> u8 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 24) as u8
    }
}

fn survives_any_body<P: Provider>() {
    let mut bodies: Vec<Vec<u8>> = [
        "",
        "null",
        "[]",
        "{}",
        "\"text\"",
        "{\"Response\":{}}",
        "{\"Response\":{\"SendStatusSet\":[{}]}}",
        "{\"Code\":null}",
        "{\"code\":[],\"message\":{}}",
        "{\"sid\":1}",
        "<html></html>",
        "\u{feff}{}",
    ]
    .iter()
    .map(|b| b.as_bytes().to_vec())
    .collect();
    bodies.push(vec![0xff, 0xfe, 0x00, b'{']);
    bodies.push("[".repeat(10_000).into_bytes());
    let mut random = Bytes(0x9e37_79b9_7f4a_7c15);
    for length in 0..64 {
        bodies.push((0..length * 7).map(|_| random.next()).collect());
    }
    for status in [200, 201, 204, 400, 401, 403, 404, 429, 500, 502, 503] {
        for body in &bodies {
            let response = HttpResponse::new(status, body.clone());
            // A panic here fails the suite; any `Ok` or `Err` passes.
            let _ = P::parse_response(&response);
        }
    }
}
