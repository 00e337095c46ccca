//! Config pieces every connector shares: [`HttpSettings`] (endpoint and timeouts), which each
//! provider config flattens, and integer parsing that agrees with JSON Schema.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;
use std::time::Duration;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize};

use crate::connector::Provider;
use crate::http::{DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_TIMEOUT_MS, Endpoint, HttpOptions};

/// Deserializes a non-negative integer that JSON may spell `1500` or `1500.0`.
///
/// JSON Schema counts `1500.0` as an integer, and so do JavaScript validators; serde does not.
/// Use it on integer config fields (`#[serde(deserialize_with = "connector_kit::config::deserialize_u64")]`)
/// so that the schema and the parser agree.
pub fn deserialize_u64<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
    let value = serde_json::Number::deserialize(deserializer)?;
    if let Some(n) = value.as_u64() {
        return Ok(n);
    }
    match value.as_f64() {
        Some(f) if f.fract() == 0.0 && (0.0..=u64::MAX as f64).contains(&f) => Ok(f as u64),
        _ => Err(serde::de::Error::custom(format!(
            "expected a non-negative integer, found {value}"
        ))),
    }
}

/// Where a connector sends and how long it waits: the `endpoint`, `timeoutMs` and
/// `connectTimeoutMs` keys of every provider config, which flattens this struct
/// (`#[serde(flatten)] pub http: HttpSettings<MyProvider>`).
///
/// The provider type fills in the default endpoint and the wording of the descriptions, so
/// that each connector's schema speaks of its own provider.
#[derive(Deserialize, Serialize)]
#[serde(rename_all = "camelCase", bound = "")]
pub struct HttpSettings<P: Provider> {
    /// The API origin; the provider's own by default.
    #[serde(default = "default_endpoint::<P>")]
    pub endpoint: Endpoint,
    /// How long one send may take in all, from connecting to the end of the answer.
    #[serde(default = "default_timeout_ms", deserialize_with = "deserialize_u64")]
    pub timeout_ms: u64,
    /// How long connecting may take.
    #[serde(
        default = "default_connect_timeout_ms",
        deserialize_with = "deserialize_u64"
    )]
    pub connect_timeout_ms: u64,
    #[serde(skip)]
    provider: PhantomData<fn() -> P>,
}

/// The bounds of `timeoutMs`, in milliseconds.
pub const TIMEOUT_RANGE_MS: (u64, u64) = (100, 120_000);
/// The bounds of `connectTimeoutMs`, in milliseconds.
pub const CONNECT_TIMEOUT_RANGE_MS: (u64, u64) = (100, 60_000);

fn default_endpoint<P: Provider>() -> Endpoint {
    #[expect(
        clippy::unwrap_used,
        reason = "a provider constant, parsed by every provider's contract suite"
    )]
    Endpoint::parse(P::DEFAULT_ENDPOINT).unwrap()
}

fn default_timeout_ms() -> u64 {
    DEFAULT_TIMEOUT_MS
}

fn default_connect_timeout_ms() -> u64 {
    DEFAULT_CONNECT_TIMEOUT_MS
}

impl<P: Provider> HttpSettings<P> {
    /// The client options these settings give.
    pub fn options(&self) -> HttpOptions {
        HttpOptions {
            endpoint: self.endpoint.clone(),
            connect_timeout: Duration::from_millis(self.connect_timeout_ms),
            timeout: Duration::from_millis(self.timeout_ms),
        }
    }

    /// The same settings with another endpoint.
    pub fn with_endpoint(mut self, endpoint: Endpoint) -> Self {
        self.endpoint = endpoint;
        self
    }
}

impl<P: Provider> Default for HttpSettings<P> {
    fn default() -> Self {
        Self {
            endpoint: default_endpoint::<P>(),
            timeout_ms: DEFAULT_TIMEOUT_MS,
            connect_timeout_ms: DEFAULT_CONNECT_TIMEOUT_MS,
            provider: PhantomData,
        }
    }
}

impl<P: Provider> Clone for HttpSettings<P> {
    fn clone(&self) -> Self {
        Self {
            endpoint: self.endpoint.clone(),
            timeout_ms: self.timeout_ms,
            connect_timeout_ms: self.connect_timeout_ms,
            provider: PhantomData,
        }
    }
}

impl<P: Provider> fmt::Debug for HttpSettings<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpSettings")
            .field("endpoint", &self.endpoint)
            .field("timeout_ms", &self.timeout_ms)
            .field("connect_timeout_ms", &self.connect_timeout_ms)
            .finish()
    }
}

/// The three properties, worded for the provider; a config that flattens the settings shows
/// them in its own `properties`.
impl<P: Provider> JsonSchema for HttpSettings<P> {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        format!("HttpSettings_{}", P::ID).into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let name = P::NAME;
        json_schema!({
            "type": "object",
            "properties": {
                "endpoint": {
                    "type": "string",
                    "pattern": crate::http::ENDPOINT_PATTERN,
                    "title": "Endpoint",
                    "description": P::ENDPOINT_DESCRIPTION,
                    "default": P::DEFAULT_ENDPOINT,
                },
                "timeoutMs": {
                    "type": "integer",
                    "default": DEFAULT_TIMEOUT_MS,
                    "minimum": TIMEOUT_RANGE_MS.0,
                    "title": "Timeout (ms)",
                    "description": format!(
                        "How long one send may take in all, from connecting to the end of {name}'s answer."
                    ),
                    "maximum": TIMEOUT_RANGE_MS.1,
                },
                "connectTimeoutMs": {
                    "type": "integer",
                    "default": DEFAULT_CONNECT_TIMEOUT_MS,
                    "minimum": CONNECT_TIMEOUT_RANGE_MS.0,
                    "title": "Connect timeout (ms)",
                    "description": format!("How long connecting to {name} may take."),
                    "maximum": CONNECT_TIMEOUT_RANGE_MS.1,
                },
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    #[test]
    fn integers_may_be_written_with_a_zero_fraction() {
        #[derive(Deserialize)]
        struct T {
            #[serde(deserialize_with = "deserialize_u64")]
            n: u64,
        }
        let parse = |v: Value| serde_json::from_value::<T>(json!({ "n": v })).map(|t| t.n);
        assert_eq!(parse(json!(1500)).unwrap(), 1500);
        assert_eq!(parse(json!(1500.0)).unwrap(), 1500);
        assert!(parse(json!(1500.5)).is_err());
        assert!(parse(json!(-1)).is_err());
        assert!(parse(json!("1")).is_err());
    }
}
