//! Parsing Twilio's answers, and the mapping of Twilio error codes to kit codes.

use connector_kit::{ConnectorError, ConnectorErrorCode, ErrorMapping, HttpResponse, SendReceipt};
use serde::Deserialize;

/// The Twilio error codes the connector maps; every other code becomes `general`.
pub const ERROR_MAPPINGS: &[ErrorMapping] = &[
    ErrorMapping {
        provider_code: "20003",
        code: ConnectorErrorCode::InvalidConfig,
        meaning: "authentication failed: wrong Account SID or Auth Token",
    },
    ErrorMapping {
        provider_code: "20404",
        code: ConnectorErrorCode::InvalidConfig,
        meaning: "the account or messaging service was not found",
    },
    ErrorMapping {
        provider_code: "20429",
        code: ConnectorErrorCode::RateLimitExceeded,
        meaning: "too many requests (also any HTTP 429)",
    },
    ErrorMapping {
        provider_code: "21602",
        code: ConnectorErrorCode::InvalidRequestParameters,
        meaning: "the message body is missing",
    },
    ErrorMapping {
        provider_code: "21604",
        code: ConnectorErrorCode::InvalidRequestParameters,
        meaning: "the `To` phone number is missing",
    },
    ErrorMapping {
        provider_code: "21211",
        code: ConnectorErrorCode::InvalidRequestParameters,
        meaning: "invalid `To` phone number",
    },
    ErrorMapping {
        provider_code: "21408",
        code: ConnectorErrorCode::InvalidRequestParameters,
        meaning: "sending to this region is not enabled",
    },
    ErrorMapping {
        provider_code: "21610",
        code: ConnectorErrorCode::InvalidRequestParameters,
        meaning: "the recipient has unsubscribed (replied STOP)",
    },
    ErrorMapping {
        provider_code: "21614",
        code: ConnectorErrorCode::InvalidRequestParameters,
        meaning: "`To` is not a mobile number",
    },
    ErrorMapping {
        provider_code: "21606",
        code: ConnectorErrorCode::InvalidConfig,
        meaning: "the sender is not a valid, SMS-capable number of this account",
    },
    ErrorMapping {
        provider_code: "21703",
        code: ConnectorErrorCode::InvalidConfig,
        meaning: "the Messaging Service has no sender in its pool",
    },
    ErrorMapping {
        provider_code: "63038",
        code: ConnectorErrorCode::UsageLimitExceeded,
        meaning: "the account's daily message limit is reached",
    },
];

/// The parts of a Message resource the connector reads.
#[derive(Debug, Deserialize)]
struct MessageResource {
    sid: String,
}

/// Twilio's error body.
#[derive(Debug, Deserialize)]
struct ErrorBody {
    code: Option<serde_json::Value>,
    message: Option<String>,
    more_info: Option<String>,
}

/// Turns Twilio's answer into a receipt or a mapped error.
pub fn parse_response(response: &HttpResponse) -> Result<SendReceipt, ConnectorError> {
    let request_id = response.header("twilio-request-id").map(str::to_owned);
    if (200..300).contains(&response.status) {
        let message: MessageResource = serde_json::from_slice(&response.body).map_err(|e| {
            ConnectorError::invalid_response(format!(
                "Twilio answered {} with a body that is not a message resource: {}",
                response.status,
                response.body_excerpt()
            ))
            .with_source(e)
            .with_request_id(request_id.clone())
        })?;
        if message.sid.is_empty() {
            return Err(ConnectorError::invalid_response(
                "Twilio answered with an empty message sid",
            )
            .with_request_id(request_id));
        }
        return Ok(SendReceipt {
            message_id: message.sid,
            request_id,
        });
    }

    let body: Option<ErrorBody> = serde_json::from_slice(&response.body).ok();
    let Some(body) = body.filter(|b| b.code.is_some() || b.message.is_some()) else {
        if response.status == 429 {
            return Err(ConnectorError::rate_limit_exceeded(
                "Twilio answered 429 Too Many Requests",
            )
            .with_retryable(true)
            .with_request_id(request_id));
        }
        return Err(ConnectorError::invalid_response(format!(
            "Twilio answered {} with a body that is not a Twilio error: {}",
            response.status,
            response.body_excerpt()
        ))
        .with_request_id(request_id));
    };
    let provider_code = match &body.code {
        Some(serde_json::Value::Number(n)) => n.to_string(),
        Some(serde_json::Value::String(s)) => s.clone(),
        _ => String::new(),
    };
    let mut code = ErrorMapping::lookup(ERROR_MAPPINGS, &provider_code);
    if response.status == 429 {
        code = ConnectorErrorCode::RateLimitExceeded;
    }
    let provider_message = body.message.unwrap_or_default();
    let mut text = format!("Twilio rejected the message: {provider_message}");
    if !provider_code.is_empty() {
        text.push_str(&format!(" (code {provider_code})"));
    }
    if let Some(more) = &body.more_info {
        text.push_str(&format!("; see {more}"));
    }
    Err(ConnectorError::new(code, text)
        .with_provider_code(provider_code)
        .with_provider_message(provider_message)
        .with_request_id(request_id)
        .with_retryable(code == ConnectorErrorCode::RateLimitExceeded))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: u16, body: &str) -> HttpResponse {
        HttpResponse {
            status,
            headers: vec![("twilio-request-id".into(), "RQ123".into())],
            body: body.as_bytes().to_vec(),
        }
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
