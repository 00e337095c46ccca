//! The connector trait, the typed provider layer, factories and the registry.
//!
//! - [`SmsConnector`] is what a host holds: object-safe, so `Box<dyn SmsConnector>` works.
//! - [`Provider`] is what a provider crate implements, once, against its own config struct:
//!   a pure request builder and a response parser. [`Connector`] turns any provider into an
//!   [`SmsConnector`], adding the HTTP client, timeouts and the retry rule.
//! - [`ConnectorFactory`] describes a connector (metadata, schema) and creates instances
//!   from config JSON; [`Registry`] looks factories up by id or target.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::{Duration, Instant};

use async_trait::async_trait;
use schemars::JsonSchema;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::clock::RequestContext;
use crate::config::{parse_config, schema_for};
use crate::error::{ConnectorError, Delivery, ErrorMapping};
use crate::http::{HttpClient, HttpOptions, HttpRequest, HttpResponse};
use crate::message::SendMessageData;
use crate::metadata::{ConnectorMetadata, ConnectorType, form_items_from_schema};

/// What a successful send returns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SendReceipt {
    /// The provider's id for the message (Twilio `sid`, Aliyun `BizId`, Tencent `SerialNo`).
    pub message_id: String,
    /// The provider's id for the request, when it gives one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

/// A configured connector, ready to send. Object-safe: hosts hold `Box<dyn SmsConnector>`.
#[async_trait]
pub trait SmsConnector: Send + Sync + fmt::Debug {
    /// The connector's metadata.
    fn metadata(&self) -> &ConnectorMetadata;

    /// Builds the exact request a send would make, without sending it (for dry runs).
    /// Connectors that do not speak HTTP answer `not_implemented`.
    fn prepare(&self, data: &SendMessageData) -> Result<HttpRequest, ConnectorError> {
        let _ = data;
        Err(ConnectorError::new(
            crate::error::ConnectorErrorCode::NotImplemented,
            "this connector cannot show its request",
        ))
    }

    /// Sends one message.
    async fn send_message(&self, data: &SendMessageData) -> Result<SendReceipt, ConnectorError>;
}

/// A provider, implemented once against its own config type.
pub trait Provider: Send + Sync + 'static {
    /// The typed config.
    type Config: DeserializeOwned + JsonSchema + fmt::Debug + Send + Sync + 'static;

    /// The connector id, e.g. `twilio-short-message-service`.
    const ID: &'static str;
    /// The target, e.g. `twilio-sms`.
    const TARGET: &'static str;

    /// The provider error codes this connector maps, and what each becomes.
    const ERROR_MAPPINGS: &'static [ErrorMapping];

    /// How requests are authenticated, in a few words, for the docs.
    const SIGNING: &'static str = "";

    /// The metadata, without form items (the kit derives those from the schema).
    fn metadata() -> ConnectorMetadata;

    /// Endpoint and timeouts from the config.
    fn http_options(config: &Self::Config) -> HttpOptions;

    /// The config's secrets, removed from any text a provider echoes back.
    fn secrets(config: &Self::Config) -> Vec<&str>;

    /// Builds and signs the request for one message. Pure: no I/O, no clock, no randomness
    /// beyond `context`.
    fn build_request(
        config: &Self::Config,
        data: &SendMessageData,
        context: &RequestContext,
    ) -> Result<HttpRequest, ConnectorError>;

    /// Turns the provider's answer into a receipt or a mapped error.
    fn parse_response(
        config: &Self::Config,
        data: &SendMessageData,
        response: &HttpResponse,
    ) -> Result<SendReceipt, ConnectorError>;
}

/// How many times a send is attempted when the request provably never reached the provider.
const MAX_ATTEMPTS: u32 = 3;

/// Any [`Provider`] as an [`SmsConnector`]: a validated config plus one HTTP client.
pub struct Connector<P: Provider> {
    config: P::Config,
    client: HttpClient,
    metadata: Arc<ConnectorMetadata>,
    _provider: PhantomData<fn() -> P>,
}

impl<P: Provider> fmt::Debug for Connector<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Connector")
            .field("id", &P::ID)
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl<P: Provider> Connector<P> {
    /// A connector from an already parsed config.
    pub fn new(config: P::Config) -> Result<Self, ConnectorError> {
        Self::with_metadata(config, ProviderFactory::<P>::new().metadata)
    }

    /// A connector with metadata its factory already built, so that the schema is not
    /// generated again for every connector a factory creates.
    fn with_metadata(
        config: P::Config,
        metadata: Arc<ConnectorMetadata>,
    ) -> Result<Self, ConnectorError> {
        let client = HttpClient::new(P::http_options(&config))?;
        Ok(Self {
            config,
            client,
            metadata,
            _provider: PhantomData,
        })
    }

    /// A connector from config JSON, validated against the schema first.
    pub fn from_json(config: &Value) -> Result<Self, ConnectorError> {
        let factory = ProviderFactory::<P>::new();
        let config = factory.parse(config)?;
        Self::with_metadata(config, Arc::clone(&factory.metadata))
    }

    /// The typed config.
    pub fn config(&self) -> &P::Config {
        &self.config
    }

    /// Builds the request with an explicit context (fixed clock and nonce in tests).
    pub fn prepare_with(
        &self,
        data: &SendMessageData,
        context: &RequestContext,
    ) -> Result<HttpRequest, ConnectorError> {
        data.check()?;
        P::build_request(&self.config, data, context)
    }

    async fn attempt(&self, data: &SendMessageData) -> Result<SendReceipt, ConnectorError> {
        let request = self.prepare_with(data, &RequestContext::now())?;
        let response = self.client.execute(&request).await?;
        P::parse_response(&self.config, data, &response).map_err(|e| {
            let delivery = answered(&e, response.status);
            e.with_delivery(delivery).with_http_status(response.status)
        })
    }
}

/// What a provider's answer says about delivery: a 5xx answer may come after the message
/// was handed on, and a success status with a body that cannot be read most likely means
/// the message was sent, so both count as "maybe sent"; any other answer is the provider's
/// verdict.
fn answered(error: &ConnectorError, status: u16) -> Delivery {
    let unreadable_success = (200..300).contains(&status)
        && error.code() == crate::error::ConnectorErrorCode::InvalidResponse;
    match error.details().delivery {
        Delivery::NotSent if status >= 500 || unreadable_success => Delivery::MaybeSent,
        Delivery::NotSent => Delivery::Answered,
        other => other,
    }
}

/// A random number, for backoff jitter.
fn jitter_millis(max: u64) -> u64 {
    (uuid::Uuid::new_v4().as_u128() as u64) % max.max(1)
}

/// The phone number with every digit but the last four masked, for logs.
pub fn mask_phone(phone: &str) -> String {
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    let mut seen = 0;
    phone
        .chars()
        .map(|c| {
            if c.is_ascii_digit() {
                seen += 1;
                if seen + 4 <= digits { '*' } else { c }
            } else if c == '+' {
                c
            } else {
                '*'
            }
        })
        .collect()
}

/// Runs `attempt` until it succeeds, fails in a way that may have reached the provider, or
/// the attempts or time run out. Only an error that is retryable *and* provably not sent
/// (the connection could not be made) is attempted again, at most twice more, with jittered
/// backoff, and only when the backoff still fits in `budget`. Returns the result and the
/// number of attempts made.
pub async fn send_with_retries<F, Fut>(
    budget: Duration,
    mut attempt: F,
) -> (Result<SendReceipt, ConnectorError>, u32)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<SendReceipt, ConnectorError>>,
{
    let started = Instant::now();
    let mut attempts = 0;
    loop {
        attempts += 1;
        let error = match attempt().await {
            Ok(receipt) => return (Ok(receipt), attempts),
            Err(error) => error,
        };
        let safe_to_repeat = error.is_retryable() && error.details().delivery == Delivery::NotSent;
        let backoff = Duration::from_millis(50 * u64::from(attempts) + jitter_millis(50));
        if !safe_to_repeat || attempts >= MAX_ATTEMPTS || started.elapsed() + backoff >= budget {
            return (Err(error), attempts);
        }
        tokio::time::sleep(backoff).await;
    }
}

#[async_trait]
impl<P: Provider> SmsConnector for Connector<P> {
    fn metadata(&self) -> &ConnectorMetadata {
        &self.metadata
    }

    fn prepare(&self, data: &SendMessageData) -> Result<HttpRequest, ConnectorError> {
        self.prepare_with(data, &RequestContext::now())
    }

    /// Sends one message, within the config's total timeout whatever happens, repeating the
    /// attempt only when the request provably never reached the provider (see
    /// [`send_with_retries`]). A `tracing` span `sms_send` records the connector, usage
    /// type, masked phone number, outcome, provider code, request id, attempts and duration;
    /// never the code or the full number.
    async fn send_message(&self, data: &SendMessageData) -> Result<SendReceipt, ConnectorError> {
        use tracing::field::Empty;
        let span = tracing::info_span!(
            "sms_send",
            connector = P::ID,
            usage_type = data.template_type.as_str(),
            to = %mask_phone(&data.to),
            outcome = Empty,
            provider_code = Empty,
            request_id = Empty,
            attempts = Empty,
            duration_ms = Empty,
        );
        let started = Instant::now();
        let budget = self.client.options().timeout;
        // Errors may quote a provider's answer, which can echo the credentials, the rendered
        // message (so the code) and the number: all are scrubbed before the error leaves.
        // The replacements are worked out only when an attempt fails.
        let scrub = |error: ConnectorError| {
            let masked = mask_phone(&data.to);
            let digits: String = data.to.chars().filter(char::is_ascii_digit).collect();
            let masked_digits = mask_phone(&digits);
            let mut pairs: Vec<(&str, &str)> = P::secrets(&self.config)
                .into_iter()
                .map(|s| (s, "<redacted>"))
                .collect();
            if let Some(code) = data.payload.code.as_deref() {
                pairs.push((code, "<code>"));
            }
            pairs.push((data.to.as_str(), masked.as_str()));
            pairs.push((digits.as_str(), masked_digits.as_str()));
            error.scrub_with(&pairs)
        };
        let run = send_with_retries(budget, || async { self.attempt(data).await.map_err(scrub) });
        let (result, attempts) =
            match tokio::time::timeout(budget + Duration::from_millis(500), run).await {
                Ok(outcome) => outcome,
                Err(_) => (
                    Err(ConnectorError::timeout(format!(
                        "the send did not finish within {} ms; the message may have been sent",
                        budget.as_millis()
                    ))
                    .with_delivery(Delivery::MaybeSent)),
                    0,
                ),
            };
        span.record("attempts", attempts);
        span.record("duration_ms", started.elapsed().as_millis() as u64);
        match &result {
            Ok(receipt) => {
                span.record("outcome", "ok");
                if let Some(id) = &receipt.request_id {
                    span.record("request_id", id.as_str());
                }
                tracing::info!(parent: &span, "sms sent");
            }
            Err(error) => {
                span.record("outcome", error.code().as_str());
                if let Some(code) = &error.details().provider_code {
                    span.record("provider_code", code.as_str());
                }
                if let Some(id) = &error.details().request_id {
                    span.record("request_id", id.as_str());
                }
                tracing::warn!(parent: &span, error = %error, "sms send failed");
            }
        }
        result
    }
}

/// Describes a connector and creates instances of it from config JSON. Object-safe.
pub trait ConnectorFactory: Send + Sync + fmt::Debug {
    /// The connector type.
    fn connector_type(&self) -> ConnectorType;

    /// The metadata, form items included.
    fn metadata(&self) -> &ConnectorMetadata;

    /// The config JSON Schema (draft 2020-12).
    fn config_schema(&self) -> &Value;

    /// Checks a config, reporting every problem (as `invalid_config` with the problems in
    /// its details).
    fn validate_config(&self, config: &Value) -> Result<(), ConnectorError>;

    /// Creates a connector from a config, validating it first.
    fn create(&self, config: &Value) -> Result<Box<dyn SmsConnector>, ConnectorError>;

    /// The provider error codes the connector maps, for documentation.
    fn error_mappings(&self) -> &'static [ErrorMapping] {
        &[]
    }

    /// How requests are authenticated, in a few words, for documentation.
    fn signing(&self) -> &'static str {
        ""
    }

    /// The connector id.
    fn id(&self) -> &str {
        &self.metadata().id
    }

    /// The connector target.
    fn target(&self) -> &str {
        &self.metadata().target
    }
}

/// The [`ConnectorFactory`] of a [`Provider`].
pub struct ProviderFactory<P: Provider> {
    metadata: Arc<ConnectorMetadata>,
    schema: Value,
    _provider: PhantomData<fn() -> P>,
}

impl<P: Provider> fmt::Debug for ProviderFactory<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProviderFactory")
            .field("id", &P::ID)
            .finish_non_exhaustive()
    }
}

impl<P: Provider> Default for ProviderFactory<P> {
    fn default() -> Self {
        Self::new()
    }
}

impl<P: Provider> ProviderFactory<P> {
    /// Builds the schema and the metadata (with form items derived from the schema).
    pub fn new() -> Self {
        let schema = schema_for::<P::Config>();
        let mut metadata = P::metadata();
        metadata.form_items = form_items_from_schema(&schema);
        Self {
            metadata: Arc::new(metadata),
            schema,
            _provider: PhantomData,
        }
    }

    /// Parses a config into the provider's typed config.
    pub fn parse(&self, config: &Value) -> Result<P::Config, ConnectorError> {
        parse_config::<P::Config>(&self.schema, config)
            .map_err(ConnectorError::invalid_config_problems)
    }
}

impl<P: Provider> ConnectorFactory for ProviderFactory<P> {
    fn connector_type(&self) -> ConnectorType {
        ConnectorType::Sms
    }

    fn metadata(&self) -> &ConnectorMetadata {
        &self.metadata
    }

    fn config_schema(&self) -> &Value {
        &self.schema
    }

    fn validate_config(&self, config: &Value) -> Result<(), ConnectorError> {
        self.parse(config).map(drop)
    }

    fn create(&self, config: &Value) -> Result<Box<dyn SmsConnector>, ConnectorError> {
        let config = self.parse(config)?;
        Ok(Box::new(Connector::<P>::with_metadata(
            config,
            Arc::clone(&self.metadata),
        )?))
    }

    fn error_mappings(&self) -> &'static [ErrorMapping] {
        P::ERROR_MAPPINGS
    }

    fn signing(&self) -> &'static str {
        P::SIGNING
    }
}

/// A set of connector factories, looked up by id or target.
#[derive(Debug, Default)]
pub struct Registry {
    factories: Vec<Box<dyn ConnectorFactory>>,
}

impl Registry {
    /// A registry of the given factories.
    pub fn new(factories: Vec<Box<dyn ConnectorFactory>>) -> Self {
        Self { factories }
    }

    /// Adds a factory.
    pub fn register(&mut self, factory: Box<dyn ConnectorFactory>) {
        self.factories.push(factory);
    }

    /// The factory whose id or target is `name`.
    pub fn get(&self, name: &str) -> Option<&dyn ConnectorFactory> {
        self.factories
            .iter()
            .find(|f| f.id() == name || f.target() == name)
            .map(|f| f.as_ref())
    }

    /// The factory for `name`, or a `general` error listing the known connectors.
    pub fn require(&self, name: &str) -> Result<&dyn ConnectorFactory, ConnectorError> {
        self.get(name).ok_or_else(|| {
            let known: Vec<String> = self
                .iter()
                .map(|f| format!("{} ({})", f.target(), f.id()))
                .collect();
            ConnectorError::general(format!(
                "unknown connector {name:?}; known connectors: {}",
                known.join(", ")
            ))
        })
    }

    /// Every factory, in registration order.
    pub fn iter(&self) -> impl Iterator<Item = &dyn ConnectorFactory> {
        self.factories.iter().map(|f| f.as_ref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ConnectorErrorCode;
    use std::cell::Cell;

    fn refused() -> ConnectorError {
        ConnectorError::general("could not connect").with_retryable(true)
    }

    fn ok() -> SendReceipt {
        SendReceipt {
            message_id: "m".into(),
            request_id: None,
        }
    }

    #[tokio::test]
    async fn connection_failures_are_retried_at_most_twice() {
        let calls = Cell::new(0);
        let (result, attempts) = send_with_retries(Duration::from_secs(5), || {
            calls.set(calls.get() + 1);
            async { Err::<SendReceipt, _>(refused()) }
        })
        .await;
        assert_eq!(result.unwrap_err().code(), ConnectorErrorCode::General);
        assert_eq!((attempts, calls.get()), (3, 3));
    }

    #[tokio::test]
    async fn a_refused_connection_then_success_sends_once() {
        let calls = Cell::new(0);
        let (result, attempts) = send_with_retries(Duration::from_secs(5), || {
            calls.set(calls.get() + 1);
            let n = calls.get();
            async move { if n == 1 { Err(refused()) } else { Ok(ok()) } }
        })
        .await;
        assert!(result.is_ok());
        assert_eq!(attempts, 2);
    }

    #[tokio::test]
    async fn anything_that_may_have_been_sent_is_never_retried() {
        let cases = [
            ConnectorError::timeout("t").with_delivery(Delivery::MaybeSent),
            ConnectorError::general("dropped after send").with_delivery(Delivery::MaybeSent),
            ConnectorError::invalid_response("html 500").with_delivery(Delivery::MaybeSent),
            // Retryable for the host later, but the provider answered: not repeated here.
            ConnectorError::rate_limit_exceeded("slow down")
                .with_retryable(true)
                .with_delivery(Delivery::Answered),
        ];
        for error in cases {
            let code = error.code();
            let pending = Cell::new(Some(error));
            let (result, attempts) = send_with_retries(Duration::from_secs(5), || {
                let e = pending.take().unwrap_or_else(refused);
                async move { Err::<SendReceipt, _>(e) }
            })
            .await;
            assert_eq!(result.unwrap_err().code(), code);
            assert_eq!(attempts, 1, "{code}");
        }
    }

    #[tokio::test]
    async fn retries_stop_when_the_budget_is_spent() {
        let (_, attempts) = send_with_retries(Duration::from_millis(10), || async {
            Err::<SendReceipt, _>(refused())
        })
        .await;
        assert_eq!(attempts, 1);
    }

    #[test]
    fn phone_numbers_are_masked_but_for_the_last_four_digits() {
        assert_eq!(mask_phone("+8613800138000"), "+*********8000");
        assert_eq!(mask_phone("13800138000"), "*******8000");
        assert_eq!(mask_phone("123"), "123");
        assert_eq!(mask_phone("+1 (415) 555-0100"), "+************0100");
    }
}
