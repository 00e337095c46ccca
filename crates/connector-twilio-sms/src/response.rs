//! Parsing Twilio's answers, and the mapping of Twilio error codes to kit codes.

use connector_kit::ConnectorErrorCode::{
    InvalidConfig, InvalidRequestParameters, RateLimitExceeded, UsageLimitExceeded,
};
use connector_kit::{ConnectorError, ErrorMapping, HttpResponse, ProviderFailure, SendReceipt};
use serde::Deserialize;

/// The Twilio error codes the connector maps; every other code becomes `general`.
pub(crate) const ERROR_MAPPINGS: &[ErrorMapping] = &[
    ErrorMapping::new(
        "20003",
        InvalidConfig,
        "authentication failed: wrong Account SID or Auth Token",
    ),
    ErrorMapping::new(
        "20404",
        InvalidConfig,
        "the account or messaging service was not found",
    ),
    ErrorMapping::retryable(
        "20429",
        RateLimitExceeded,
        "too many requests (also any HTTP 429)",
    ),
    ErrorMapping::new(
        "21602",
        InvalidRequestParameters,
        "the message body is missing",
    ),
    ErrorMapping::new(
        "21604",
        InvalidRequestParameters,
        "the `To` phone number is missing",
    ),
    ErrorMapping::new(
        "21211",
        InvalidRequestParameters,
        "invalid `To` phone number",
    ),
    ErrorMapping::new(
        "21408",
        InvalidRequestParameters,
        "sending to this region is not enabled",
    ),
    ErrorMapping::new(
        "21610",
        InvalidRequestParameters,
        "the recipient has unsubscribed (replied STOP)",
    ),
    ErrorMapping::new(
        "21614",
        InvalidRequestParameters,
        "`To` is not a mobile number",
    ),
    ErrorMapping::new(
        "21606",
        InvalidConfig,
        "the sender is not a valid, SMS-capable number of this account",
    ),
    ErrorMapping::new(
        "21703",
        InvalidConfig,
        "the Messaging Service has no sender in its pool",
    ),
    ErrorMapping::new(
        "63038",
        UsageLimitExceeded,
        "the account's daily message limit is reached",
    ),
];

/// The parts of a Message resource the connector reads.
#[derive(Debug, Deserialize)]
struct MessageResource {
    sid: String,
}

/// Twilio's error body. Its `code` is a number, though some proxies write it as a string.
#[derive(Debug, Deserialize)]
struct ErrorBody {
    code: Option<ErrorCode>,
    message: Option<String>,
    more_info: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum ErrorCode {
    Number(serde_json::Number),
    Text(String),
}

/// Turns Twilio's answer into a receipt or a mapped error.
pub(crate) fn parse_response(response: &HttpResponse) -> Result<SendReceipt, ConnectorError> {
    let request_id = response.header("twilio-request-id");
    if (200..300).contains(&response.status) {
        let message: MessageResource = serde_json::from_slice(&response.body).map_err(|e| {
            ConnectorError::invalid_response(format!(
                "Twilio answered {} with a body that is not a message resource: {}",
                response.status,
                response.body_excerpt()
            ))
            .with_source(e)
            .with_request_id(request_id.map(str::to_owned))
        })?;
        if message.sid.is_empty() {
            return Err(ConnectorError::invalid_response(
                "Twilio answered with an empty message sid",
            )
            .with_request_id(request_id.map(str::to_owned)));
        }
        return Ok(SendReceipt::new(message.sid, request_id.map(str::to_owned)));
    }

    let body: Option<ErrorBody> = serde_json::from_slice(&response.body).ok();
    let Some(body) = body.filter(|b| b.code.is_some() || b.message.is_some()) else {
        if response.status == 429 {
            return Err(ConnectorError::rate_limit_exceeded(
                "Twilio answered 429 Too Many Requests",
            )
            .with_retryable(true)
            .with_request_id(request_id.map(str::to_owned)));
        }
        return Err(ConnectorError::invalid_response(format!(
            "Twilio answered {} with a body that is not a Twilio error: {}",
            response.status,
            response.body_excerpt()
        ))
        .with_request_id(request_id.map(str::to_owned)));
    };
    let code = match &body.code {
        Some(ErrorCode::Number(n)) => n.to_string(),
        Some(ErrorCode::Text(s)) => s.clone(),
        None => String::new(),
    };
    Err(ProviderFailure {
        summary: "Twilio rejected the message",
        code: &code,
        message: Some(body.message.as_deref().unwrap_or_default()),
        link: body.more_info.as_deref(),
        request_id,
        http_status: Some(response.status),
    }
    .into_error(ERROR_MAPPINGS))
}
#[cfg(test)]
mod tests {
    use super::*;
    use connector_kit::ConnectorErrorCode;

    fn response(status: u16, body: &str) -> HttpResponse {
        HttpResponse::new(status, body).with_header("twilio-request-id", "RQ123")
    }

    #[test]
    fn success_gives_the_sid() {
        let receipt =
            parse_response(&response(201, r#"{"sid":"SM0123","status":"accepted"}"#)).unwrap();
        assert_eq!(receipt.message_id, "SM0123");
        assert_eq!(receipt.request_id.as_deref(), Some("RQ123"));
    }

    #[test]
    fn documented_codes_are_mapped() {
        let cases = [
            (401, 20003, ConnectorErrorCode::InvalidConfig),
            (429, 20429, ConnectorErrorCode::RateLimitExceeded),
            (400, 21211, ConnectorErrorCode::InvalidRequestParameters),
            (400, 21614, ConnectorErrorCode::InvalidRequestParameters),
            (400, 21408, ConnectorErrorCode::InvalidRequestParameters),
            (400, 21610, ConnectorErrorCode::InvalidRequestParameters),
            (400, 30001, ConnectorErrorCode::General),
            (429, 99999, ConnectorErrorCode::RateLimitExceeded),
        ];
        for (status, code, expected) in cases {
            let body = format!(
                r#"{{"code":{code},"message":"m{code}","more_info":"https://www.twilio.com/docs/errors/{code}","status":{status}}}"#
            );
            let error = parse_response(&response(status, &body)).unwrap_err();
            assert_eq!(error.code(), expected, "{code}");
            assert_eq!(
                error.details().provider_code.as_deref(),
                Some(code.to_string().as_str())
            );
            assert_eq!(
                error.details().provider_message.as_deref(),
                Some(format!("m{code}").as_str())
            );
            assert_eq!(error.details().request_id.as_deref(), Some("RQ123"));
            assert_eq!(
                error.is_retryable(),
                expected == ConnectorErrorCode::RateLimitExceeded
            );
        }
    }

    #[test]
    fn garbage_is_invalid_response() {
        for (status, body) in [
            (500, "<html>oops</html>"),
            (201, "{\"sid\":"),
            (201, "{}"),
            (201, "{\"sid\":\"\"}"),
            (400, "[1,2]"),
            (200, ""),
        ] {
            let error = parse_response(&response(status, body)).unwrap_err();
            assert_eq!(
                error.code(),
                ConnectorErrorCode::InvalidResponse,
                "{status} {body}"
            );
        }
        let error = parse_response(&response(429, "slow down")).unwrap_err();
        assert_eq!(error.code(), ConnectorErrorCode::RateLimitExceeded);
    }
}
