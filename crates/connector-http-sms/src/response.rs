//! Reading the service's answer: any 2xx is success, the rest is mapped by HTTP status.
//!
//! The service is the operator's own, so its answer has no fixed shape: on success the
//! message id is read at the config's `messageIdPointer` (or is the request's `webhook-id`);
//! on failure the status decides the kit code, and a JSON `message`, `error` or `detail`
//! (or `error.message`) becomes the provider message. A 5xx whose body is not JSON is not
//! the service's own answer (a proxy's error page): `invalid_response`, as in every
//! connector.

use connector_kit::ConnectorErrorCode::{
    General, InvalidConfig, InvalidRequestParameters, RateLimitExceeded, UsageLimitExceeded,
};
use connector_kit::{ConnectorError, ErrorMapping, HttpResponse, ProviderFailure, SendReceipt};
use serde_json::Value;

/// The statuses the connector maps (the provider code is the status); the first matching
/// row wins.
pub(crate) const ERROR_MAPPINGS: &[ErrorMapping] = &[
    ErrorMapping::new(
        "401",
        InvalidConfig,
        "unauthorized: the service refused the credentials in headers",
    ),
    ErrorMapping::new(
        "403",
        InvalidConfig,
        "forbidden: the service refused the credentials or the signature",
    ),
    ErrorMapping::new(
        "402",
        UsageLimitExceeded,
        "payment required: the service's quota or balance is used up",
    ),
    ErrorMapping::retryable(
        "429",
        RateLimitExceeded,
        "too many requests: send again later (Retry-After is kept in the details)",
    ),
    ErrorMapping::new(
        "4*",
        InvalidRequestParameters,
        "any other 4xx: the service refused the message",
    ),
    ErrorMapping::new(
        "5*",
        General,
        "any 5xx: the service failed, and the message may have been sent",
    ),
    ErrorMapping::new(
        "3*",
        InvalidConfig,
        "a redirect, which is not followed: set endpoint to the final URL",
    ),
];

/// The headers a service may name its request by.
pub(crate) const REQUEST_ID_HEADERS: &[&str] = &["x-request-id", "request-id", "x-correlation-id"];

/// Turns the answer into a receipt or a mapped error; `message_id` is the id to use when
/// the config has no `messageIdPointer` (the request's `webhook-id`).
pub(crate) fn read_response(
    pointer: Option<&str>,
    message_id: String,
    response: &HttpResponse,
) -> Result<SendReceipt, ConnectorError> {
    let request_id = REQUEST_ID_HEADERS
        .iter()
        .find_map(|name| response.header(name))
        .filter(|id| !id.is_empty() && id.len() <= 200)
        .map(str::to_owned);
    if !(200..300).contains(&response.status) {
        return Err(failure(response, request_id.as_deref()));
    }
    let Some(pointer) = pointer else {
        return Ok(SendReceipt::new(message_id, request_id));
    };
    let body: Value = serde_json::from_slice(&response.body).map_err(|_| {
        ConnectorError::invalid_response(format!(
            "the service answered {} with a body that is not JSON, so the message id at {pointer} cannot be read: {}",
            response.status,
            response.body_excerpt()
        ))
    })?;
    let id = match body.pointer(pointer) {
        Some(Value::String(id)) if !id.is_empty() => id.clone(),
        Some(Value::Number(id)) => id.to_string(),
        Some(other) => {
            return Err(ConnectorError::invalid_response(format!(
                "the service's answer has {} at {pointer}, not a message id (a string or a number)",
                kind(other)
            )));
        }
        None => {
            return Err(ConnectorError::invalid_response(format!(
                "the service's answer has nothing at {pointer}: {}",
                response.body_excerpt()
            )));
        }
    };
    Ok(SendReceipt::new(id, request_id))
}

/// The refusal of a non-2xx answer.
fn failure(response: &HttpResponse, request_id: Option<&str>) -> ConnectorError {
    let code = response.status.to_string();
    let body: Option<Value> = serde_json::from_slice(&response.body).ok();
    if response.status >= 500 && body.is_none() {
        // Not the service's own answer (a proxy's HTML page, a cut body), as every
        // connector reads it; the send pipeline counts it as maybe sent.
        return ConnectorError::invalid_response(format!(
            "the service answered {} with a body that is not JSON: {}",
            response.status,
            response.body_excerpt()
        ));
    }
    let message = body.as_ref().and_then(service_message);
    let summary = match response.status {
        300..=399 => "the service answered with a redirect",
        400..=499 => "the service refused the message",
        500..=599 => "the service failed",
        _ => "the service answered with an unexpected status",
    };
    let error = ProviderFailure {
        summary,
        code: &code,
        message: message.as_deref(),
        link: None,
        request_id,
        http_status: Some(response.status),
    }
    .into_error(ERROR_MAPPINGS);
    if (100..200).contains(&response.status) {
        return ConnectorError::invalid_response(format!(
            "the service answered with the informational status {}",
            response.status
        ));
    }
    error
}

/// A service's error message, from the usual places in a JSON error body.
fn service_message(body: &Value) -> Option<String> {
    ["/error/message", "/message", "/error", "/detail", "/title"]
        .iter()
        .find_map(|pointer| body.pointer(pointer).and_then(Value::as_str))
        .filter(|m| !m.trim().is_empty())
        .map(|m| m.chars().take(300).collect())
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "an empty string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
