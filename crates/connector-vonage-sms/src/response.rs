//! Parsing Vonage's answers, and the mapping of Vonage's per-message statuses to kit codes.
//!
//! The SMS API answers HTTP 200 whether or not it accepted the text; the verdict is the
//! `status` of each entry of `messages` (one per SMS part): `"0"` is accepted, anything
//! else is an error code with an `error-text`.

use connector_kit::ConnectorErrorCode::{
    General, InvalidConfig, InvalidRequestParameters, RateLimitExceeded, UsageLimitExceeded,
};
use connector_kit::{
    ConnectorError, Delivery, ErrorMapping, HttpResponse, ProviderFailure, SendReceipt,
};
use serde::Deserialize;

/// The Vonage statuses the connector maps; every other status becomes `general`.
pub(crate) const ERROR_MAPPINGS: &[ErrorMapping] = &[
    ErrorMapping::retryable(
        "1",
        RateLimitExceeded,
        "throttled: sending faster than the account's limit",
    ),
    ErrorMapping::new(
        "2",
        InvalidRequestParameters,
        "missing parameters (from, to, api_key, api_secret or text)",
    ),
    ErrorMapping::new("3", InvalidRequestParameters, "invalid parameter values"),
    ErrorMapping::new(
        "4",
        InvalidConfig,
        "invalid credentials: wrong, invalid or disabled API key or secret",
    ),
    ErrorMapping::new("5", General, "internal error in Vonage's platform"),
    ErrorMapping::new(
        "6",
        InvalidRequestParameters,
        "invalid message: the number cannot be routed (e.g. an unknown prefix)",
    ),
    ErrorMapping::new(
        "7",
        InvalidRequestParameters,
        "number barred: the recipient may not receive messages",
    ),
    ErrorMapping::new(
        "8",
        UsageLimitExceeded,
        "partner account barred: the Vonage account is suspended",
    ),
    ErrorMapping::new(
        "9",
        UsageLimitExceeded,
        "partner quota violation: not enough credit",
    ),
    ErrorMapping::retryable(
        "10",
        RateLimitExceeded,
        "too many existing binds: more simultaneous connections than the account allows",
    ),
    ErrorMapping::new(
        "11",
        InvalidConfig,
        "account not enabled for HTTP: not provisioned for the SMS API",
    ),
    ErrorMapping::new(
        "12",
        InvalidRequestParameters,
        "message too long: longer than the maximum allowed",
    ),
    ErrorMapping::new(
        "14",
        InvalidConfig,
        "invalid signature: wrong signature secret or method",
    ),
    ErrorMapping::new(
        "15",
        InvalidConfig,
        "invalid sender address: `from` is not allowed for this destination",
    ),
    ErrorMapping::new("16", InvalidRequestParameters, "invalid TTL"),
    ErrorMapping::new(
        "19",
        InvalidConfig,
        "facility not allowed: a feature not enabled on the account",
    ),
    ErrorMapping::new("20", InvalidRequestParameters, "invalid message class"),
    ErrorMapping::new(
        "22",
        InvalidRequestParameters,
        "invalid network code: unknown, or not of the recipient's country",
    ),
    ErrorMapping::new(
        "23",
        InvalidConfig,
        "invalid callback URL (the delivery receipt webhook)",
    ),
    ErrorMapping::new(
        "29",
        InvalidRequestParameters,
        "non-whitelisted destination: a trial account may send only to its test numbers",
    ),
    ErrorMapping::new(
        "32",
        InvalidConfig,
        "signature and API secret disallowed: a request carries one or the other",
    ),
    ErrorMapping::new(
        "33",
        InvalidRequestParameters,
        "number de-activated: the recipient's number is no longer in service",
    ),
];

/// The SMS API's answer: one entry per SMS part.
#[derive(Debug, Deserialize)]
struct SmsResponse {
    messages: Vec<MessageStatus>,
}

/// One part's verdict. `status` is a string in Vonage's answers; a number is read too.
#[derive(Debug, Deserialize)]
struct MessageStatus {
    status: Status,
    #[serde(rename = "message-id")]
    message_id: Option<String>,
    #[serde(rename = "error-text")]
    error_text: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Status {
    Text(String),
    Number(serde_json::Number),
}

impl Status {
    fn code(&self) -> String {
        match self {
            Self::Text(s) => s.trim().to_owned(),
            Self::Number(n) => n.to_string(),
        }
    }
}

/// Turns Vonage's answer into a receipt or a mapped error.
pub(crate) fn parse_response(response: &HttpResponse) -> Result<SendReceipt, ConnectorError> {
    let parsed: Option<SmsResponse> = serde_json::from_slice(&response.body).ok();
    let Some(parsed) = parsed.filter(|p| !p.messages.is_empty()) else {
        if response.status == 429 {
            return Err(ConnectorError::rate_limit_exceeded(
                "Vonage answered 429 Too Many Requests",
            )
            .with_retryable(true));
        }
        return Err(ConnectorError::invalid_response(format!(
            "Vonage answered {} with a body that is not an SMS API answer: {}",
            response.status,
            response.body_excerpt()
        )));
    };

    let codes: Vec<String> = parsed.messages.iter().map(|m| m.status.code()).collect();
    let failed = codes.iter().position(|code| code != "0");
    if let Some(index) = failed {
        let message = &parsed.messages[index];
        let some_sent = codes.iter().any(|code| code == "0");
        let summary = if some_sent {
            "Vonage accepted only some parts of the message"
        } else {
            "Vonage rejected the message"
        };
        let error = ProviderFailure {
            summary,
            code: &codes[index],
            message: message.error_text.as_deref(),
            link: None,
            request_id: None,
            http_status: Some(response.status),
        }
        .into_error(ERROR_MAPPINGS);
        // Parts that were accepted are on their way: sending again would repeat them.
        return Err(if some_sent {
            error
                .with_delivery(Delivery::MaybeSent)
                .with_retryable(false)
        } else {
            error
        });
    }

    match parsed.messages[0].message_id.as_deref() {
        Some(id) if !id.trim().is_empty() => Ok(SendReceipt::new(id, None)),
        _ => Err(ConnectorError::invalid_response(
            "Vonage accepted the message without a message-id",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use connector_kit::ConnectorErrorCode;

    fn answer(body: &str) -> Result<SendReceipt, ConnectorError> {
        parse_response(&HttpResponse::new(200, body))
    }

    #[test]
    fn success_gives_the_first_message_id() {
        let receipt = answer(
            r#"{"message-count":"2","messages":[
                {"to":"447700900000","message-id":"0C000000217B7F02","status":"0"},
                {"to":"447700900000","message-id":"0C000000217B7F03","status":"0"}]}"#,
        )
        .unwrap();
        assert_eq!(receipt.message_id, "0C000000217B7F02");
        assert_eq!(receipt.request_id, None);
    }

    #[test]
    fn numeric_statuses_are_read() {
        assert!(answer(r#"{"messages":[{"status":0,"message-id":"X"}]}"#).is_ok());
        let error =
            answer(r#"{"messages":[{"status":4,"error-text":"Bad Credentials"}]}"#).unwrap_err();
        assert_eq!(error.code(), ConnectorErrorCode::InvalidConfig);
    }

    #[test]
    fn a_partly_accepted_message_may_have_been_sent() {
        let error = answer(
            r#"{"message-count":"2","messages":[
                {"message-id":"A","status":"0"},
                {"status":"9","error-text":"Quota Exceeded - rejected"}]}"#,
        )
        .unwrap_err();
        assert_eq!(error.code(), ConnectorErrorCode::UsageLimitExceeded);
        assert_eq!(error.details().delivery, Delivery::MaybeSent);
        assert_eq!(error.details().provider_code.as_deref(), Some("9"));
        assert!(!error.is_retryable());
    }

    #[test]
    fn garbage_is_invalid_response() {
        for body in [
            "",
            "<html>502</html>",
            "{\"messages\":",
            "{}",
            "{\"messages\":[]}",
            "{\"messages\":[{}]}",
            "{\"messages\":[{\"status\":\"0\"}]}",
            "{\"messages\":[{\"status\":\"0\",\"message-id\":\"\"}]}",
            "[1,2]",
        ] {
            let error = answer(body).unwrap_err();
            assert_eq!(error.code(), ConnectorErrorCode::InvalidResponse, "{body}");
        }
    }
}
