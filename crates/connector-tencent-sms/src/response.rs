//! Parsing Tencent Cloud's answers, and the mapping of Tencent error codes to kit codes.
//!
//! Tencent answers HTTP 200 for nearly everything. A request that failed as a whole carries
//! `Response.Error`; a request that was accepted carries one `SendStatusSet` entry per number,
//! each with its own `Code`, and only `"Ok"` means that number's message was sent.

use connector_kit::ConnectorErrorCode::{
    InvalidConfig, InvalidRequestParameters, RateLimitExceeded, UsageLimitExceeded,
};
use connector_kit::{
    ConnectorError, ConnectorErrorCode, ErrorMapping, HttpResponse, SendMessageData, SendReceipt,
};
use serde::Deserialize;

use crate::request::normalize_phone;

const fn row(
    provider_code: &'static str,
    code: ConnectorErrorCode,
    meaning: &'static str,
) -> ErrorMapping {
    ErrorMapping {
        provider_code,
        code,
        meaning,
    }
}

/// The Tencent error codes the connector maps, first match wins; every other code becomes
/// `general`. They apply both to `Response.Error.Code` and to a number's status `Code`.
pub const ERROR_MAPPINGS: &[ErrorMapping] = &[
    row(
        "LimitExceeded.PhoneNumberThirtySecondLimit",
        RateLimitExceeded,
        "the number was sent a message less than 30 seconds ago",
    ),
    row(
        "LimitExceeded.PhoneNumberOneHourLimit",
        RateLimitExceeded,
        "the number's hourly limit is reached",
    ),
    row(
        "LimitExceeded.PhoneNumberDailyLimit",
        RateLimitExceeded,
        "the number's daily limit is reached",
    ),
    row(
        "LimitExceeded.PhoneNumberSameContentDailyLimit",
        RateLimitExceeded,
        "the number was sent the same content too often today",
    ),
    row(
        "LimitExceeded.DeliveryFrequencyLimit",
        RateLimitExceeded,
        "the frequency limit policy set in the console was hit",
    ),
    row(
        "LimitExceeded.AppDailyLimit",
        RateLimitExceeded,
        "the application's daily limit is reached",
    ),
    row(
        "LimitExceeded.DailyLimit",
        RateLimitExceeded,
        "the account's daily limit is reached",
    ),
    row(
        "LimitExceeded.*",
        RateLimitExceeded,
        "any other sending limit",
    ),
    row(
        "RequestLimitExceeded",
        RateLimitExceeded,
        "too many API requests",
    ),
    row(
        "RequestLimitExceeded.*",
        RateLimitExceeded,
        "too many API requests from this account or IP address",
    ),
    row(
        "FailedOperation.InsufficientBalanceInSmsPackage",
        UsageLimitExceeded,
        "the SMS package is used up",
    ),
    row(
        "UnauthorizedOperation.SerivceSuspendDueToArrears",
        UsageLimitExceeded,
        "the service is suspended because the account is in arrears",
    ),
    row(
        "InvalidParameterValue.IncorrectPhoneNumber",
        InvalidRequestParameters,
        "the phone number is malformed",
    ),
    row(
        "InvalidParameterValue.TemplateParameterFormatError",
        InvalidRequestParameters,
        "a template parameter has the wrong format (verification codes must be digits)",
    ),
    row(
        "InvalidParameterValue.TemplateParameterLengthLimit",
        InvalidRequestParameters,
        "a template parameter is too long",
    ),
    row(
        "InvalidParameterValue.ProhibitedUseUrlInTemplateParameter",
        InvalidRequestParameters,
        "a template parameter contains a URL",
    ),
    row(
        "FailedOperation.PhoneNumberInBlacklist",
        InvalidRequestParameters,
        "the number unsubscribed or is on a carrier's do-not-disturb list",
    ),
    row(
        "UnsupportedOperation.ContainDomesticAndInternationalPhoneNumber",
        InvalidRequestParameters,
        "mainland and other numbers in one request",
    ),
    row(
        "AuthFailure.*",
        InvalidConfig,
        "the SecretId or SecretKey is wrong, disabled or not allowed to send SMS (or the clock is off by more than 5 minutes)",
    ),
    row(
        "FailedOperation.SignatureIncorrectOrUnapproved",
        InvalidConfig,
        "signName is not an approved signature",
    ),
    row(
        "FailedOperation.TemplateIncorrectOrUnapproved",
        InvalidConfig,
        "the template ID is not approved, or its parameters do not match",
    ),
];

#[derive(Debug, Deserialize)]
struct Envelope {
    #[serde(rename = "Response")]
    response: Body,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Body {
    #[serde(default)]
    error: Option<ApiError>,
    #[serde(default)]
    request_id: Option<String>,
    #[serde(default)]
    send_status_set: Option<Vec<SendStatus>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ApiError {
    code: String,
    #[serde(default)]
    message: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct SendStatus {
    #[serde(default)]
    serial_no: Option<String>,
    #[serde(default)]
    phone_number: Option<String>,
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    message: Option<String>,
}

/// A Tencent code and message as a mapped error, with the details kept.
fn mapped(
    what: &str,
    provider_code: String,
    provider_message: Option<String>,
    request_id: Option<String>,
) -> ConnectorError {
    let code = ErrorMapping::lookup(ERROR_MAPPINGS, &provider_code);
    let message = provider_message.unwrap_or_default();
    let text = if message.is_empty() {
        format!("{what} ({provider_code})")
    } else {
        format!("{what}: {message} ({provider_code})")
    };
    ConnectorError::new(code, text)
        .with_provider_code(provider_code)
        .with_provider_message(message)
        .with_request_id(request_id)
        .with_retryable(code == ConnectorErrorCode::RateLimitExceeded)
}

/// Turns Tencent's answer into a receipt or a mapped error.
///
/// `Response.Error` is mapped by its code. Otherwise the `SendStatusSet` entry of the number
/// sent decides: `Code` `"Ok"` is a receipt (`SerialNo`, `RequestId`), any other code a mapped
/// error. A body that is not JSON, has another shape, or has no entry for the number is
/// `invalid_response`.
pub fn parse_response(
    data: &SendMessageData,
    response: &HttpResponse,
) -> Result<SendReceipt, ConnectorError> {
    let status = response.status;
    let envelope: Envelope = serde_json::from_slice(&response.body).map_err(|e| {
        ConnectorError::invalid_response(format!(
            "Tencent Cloud answered {status} with a body that is not an API response: {}",
            response.body_excerpt()
        ))
        .with_source(e)
    })?;
    let body = envelope.response;
    let request_id = body.request_id.filter(|id| !id.is_empty());
    if let Some(error) = body.error {
        return Err(mapped(
            "Tencent Cloud rejected the request",
            error.code,
            error.message,
            request_id,
        ));
    }
    let unexpected = |why: &str| {
        ConnectorError::invalid_response(format!(
            "Tencent Cloud answered {status} {why}: {}",
            response.body_excerpt()
        ))
        .with_request_id(request_id.clone())
    };
    if !(200..300).contains(&status) {
        return Err(unexpected("without an error code"));
    }
    let Some(statuses) = body.send_status_set else {
        return Err(unexpected("without a SendStatusSet"));
    };
    let sent = normalize_phone(&data.to).ok();
    let entry = statuses.into_iter().find(|s| {
        let number = s.phone_number.as_deref().unwrap_or_default();
        sent.as_deref()
            .is_some_and(|sent| number == sent || normalize_phone(number).is_ok_and(|n| n == sent))
    });
    let Some(entry) = entry else {
        return Err(unexpected("without a status for the number sent"));
    };
    match entry.code.as_deref() {
        Some("Ok") => match entry.serial_no.filter(|s| !s.is_empty()) {
            Some(serial_no) => Ok(SendReceipt {
                message_id: serial_no,
                request_id,
            }),
            None => Err(unexpected("Ok for the number but without a SerialNo")),
        },
        Some(code) if !code.is_empty() => Err(mapped(
            "Tencent Cloud did not send the message",
            code.to_owned(),
            entry.message,
            request_id,
        )),
        _ => Err(unexpected("a status without a Code for the number sent")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_match_wins_and_unknown_codes_are_general() {
        let lookup = |c: &str| ErrorMapping::lookup(ERROR_MAPPINGS, c);
        assert_eq!(
            lookup("LimitExceeded.AppGlobalDailyLimit"),
            RateLimitExceeded
        );
        assert_eq!(
            lookup("RequestLimitExceeded.IPLimitExceeded"),
            RateLimitExceeded
        );
        assert_eq!(lookup("AuthFailure.SignatureExpire"), InvalidConfig);
        assert_eq!(
            lookup("FailedOperation.ContainSensitiveWord"),
            ConnectorErrorCode::General
        );
        assert_eq!(lookup("InternalError.Timeout"), ConnectorErrorCode::General);
        assert_eq!(lookup("LimitExceeded"), ConnectorErrorCode::General);
    }
}
