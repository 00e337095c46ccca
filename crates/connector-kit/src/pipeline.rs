//! The send pipeline: [`Connector`] turns any [`Provider`] into an [`SmsConnector`].
//!
//! One send is: check the message, build and sign the request (the provider's pure code),
//! execute it on the connector's one HTTP client, parse the answer (the provider's code),
//! then
//! - retry only when the request provably never reached the provider ([`send_with_retries`]);
//! - bound the whole send by one backstop timeout;
//! - scrub secrets, the code and the phone number from any error;
//! - record a `tracing` span.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use async_trait::async_trait;
use serde_json::Value;

use crate::clock::RequestContext;
use crate::connector::{Preview, Provider, SendReceipt, SmsConnector};
use crate::error::{ConnectorError, ConnectorErrorCode, Delivery};
use crate::factory::ProviderFactory;
use crate::http::{HttpClient, HttpOptions, HttpRequest, HttpResponse};
use crate::message::SendMessageData;
use crate::metadata::ConnectorMetadata;
use crate::phone;

/// How many times a send is attempted when the request provably never reached the provider.
const MAX_ATTEMPTS: u32 = 3;

/// How much longer than the config's timeout a send may take before the backstop ends it:
/// room for the retry backoff and for the client to report its own timeout first.
const BACKSTOP_MARGIN: Duration = Duration::from_millis(500);

/// Any [`Provider`] as an [`SmsConnector`]: a validated config plus one HTTP client.
///
/// Every way to make one applies the same rules: [`Connector::new`] (a config built in
/// Rust), [`Connector::from_json`] and [`ProviderFactory`]'s `create` (config JSON) all check
/// the config against the connector's schema first.
pub struct Connector<P: Provider> {
    config: P::Config,
    client: HttpClient,
    metadata: Arc<ConnectorMetadata>,
    /// The config's secret values, removed from any error text.
    secrets: Box<[String]>,
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
    /// A connector from a config built in Rust, checked by exactly the rules config JSON is
    /// checked by (required templates, non-empty secrets, patterns, bounds).
    pub fn new(config: P::Config) -> Result<Self, ConnectorError> {
        let json = serde_json::to_value(&config).map_err(|e| {
            ConnectorError::invalid_config("the config cannot be written as JSON").with_source(e)
        })?;
        Self::from_json(&json)
    }

    /// A connector from config JSON, validated against the schema first.
    pub fn from_json(config: &Value) -> Result<Self, ConnectorError> {
        ProviderFactory::<P>::new().connector(config)
    }

    /// A connector from a config its factory has checked, with the factory's metadata.
    pub(crate) fn assemble(
        config: P::Config,
        secrets: Vec<String>,
        metadata: Arc<ConnectorMetadata>,
    ) -> Result<Self, ConnectorError> {
        let client = HttpClient::new(HttpOptions {
            endpoint: P::endpoint(&config),
            ..P::http(&config).options()
        })?
        .keeping_headers(P::RESPONSE_HEADERS);
        Ok(Self {
            config,
            client,
            metadata,
            secrets: secrets.into_boxed_slice(),
        })
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
        let context = RequestContext::now();
        let request = self.prepare_with(data, &context)?;
        let response = self.client.execute(request).await?;
        let mut receipt = P::read_response(&self.config, &context, &response).map_err(|e| {
            let delivery = answered(&e, response.status);
            let e = match retry_after(&e, &response) {
                Some(seconds) => e.with_retry_after(seconds),
                None => e,
            };
            e.with_delivery(delivery).with_http_status(response.status)
        })?;
        if let Ok(Some(text)) = P::rendered_text(&self.config, data) {
            receipt.segments = Some(crate::segments::segments(&text));
        }
        Ok(receipt)
    }

    /// The error with everything personal or secret replaced: the config's secrets, the
    /// verification code and the phone number (a provider may echo any of them back).
    fn scrub(&self, data: &SendMessageData, error: ConnectorError) -> ConnectorError {
        let masked = phone::mask(&data.to);
        let digits: String = data.to.chars().filter(char::is_ascii_digit).collect();
        let masked_digits = phone::mask(&digits);
        let mut pairs: Vec<(&str, &str)> = self
            .secrets
            .iter()
            .map(|s| (s.as_str(), "<redacted>"))
            .collect();
        if let Some(code) = data.payload.code.as_deref() {
            pairs.push((code, "<code>"));
        }
        pairs.push((data.to.as_str(), masked.as_str()));
        pairs.push((digits.as_str(), masked_digits.as_str()));
        error.scrub_with(&pairs)
    }
}

/// What a provider's answer says about delivery: a 5xx answer may come after the message
/// was handed on, and a success status with a body that cannot be read most likely means
/// the message was sent, so both count as "maybe sent"; any other answer is the provider's
/// verdict.
fn answered(error: &ConnectorError, status: u16) -> Delivery {
    let unreadable_success =
        (200..300).contains(&status) && error.code() == ConnectorErrorCode::InvalidResponse;
    match error.details().delivery {
        Delivery::NotSent if status >= 500 || unreadable_success => Delivery::MaybeSent,
        Delivery::NotSent => Delivery::Answered,
        other => other,
    }
}

/// How long a rate-limited send should wait, from the answer's `Retry-After` header (seconds,
/// or an HTTP date), when the error is a rate limit and the provider did not already say.
fn retry_after(error: &ConnectorError, response: &HttpResponse) -> Option<u64> {
    if error.code() != ConnectorErrorCode::RateLimitExceeded
        || error.details().retry_after_secs.is_some()
    {
        return None;
    }
    crate::http::retry_after_secs(
        response.header("retry-after")?,
        std::time::SystemTime::now(),
    )
}

/// A random number, for backoff jitter.
fn jitter_millis(max: u64) -> u64 {
    (uuid::Uuid::new_v4().as_u128() as u64) % max.max(1)
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

    fn preview(&self, data: &SendMessageData) -> Result<Preview, ConnectorError> {
        let request = self.prepare(data)?;
        let text = P::rendered_text(&self.config, data)?;
        let segments = text.as_deref().map(crate::segments::segments);
        Ok(Preview {
            text,
            segments,
            request,
        })
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
            to = %phone::mask(&data.to),
            outcome = Empty,
            provider_code = Empty,
            request_id = Empty,
            attempts = Empty,
            duration_ms = Empty,
        );
        let started = Instant::now();
        let budget = self.client.options().timeout;
        let run = send_with_retries(budget, || async {
            self.attempt(data).await.map_err(|e| self.scrub(data, e))
        });
        // The client enforces the timeout on each request; this one backstop bounds the
        // whole send, retries included, whatever happens inside.
        let (result, attempts) = match tokio::time::timeout(budget + BACKSTOP_MARGIN, run).await {
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    fn refused() -> ConnectorError {
        ConnectorError::general("could not connect").with_retryable(true)
    }

    fn ok() -> SendReceipt {
        SendReceipt::new("m", None)
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
}
