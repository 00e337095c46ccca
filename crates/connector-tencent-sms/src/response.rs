//! Parsing Tencent Cloud's answers, and the mapping of Tencent error codes to kit codes.
//!
//! Tencent answers HTTP 200 for nearly everything. A request that failed as a whole carries
//! `Response.Error`; a request that was accepted carries one `SendStatusSet` entry per number,
//! each with its own `Code`, and only `"Ok"` means that number's message was sent.

use connector_kit::ConnectorErrorCode::{
    InvalidConfig, InvalidRequestParameters, RateLimitExceeded, UsageLimitExceeded,
};
use connector_kit::{ConnectorError, ErrorMapping, HttpResponse, ProviderFailure, SendReceipt};
use serde::Deserialize;

/// The Tencent error codes the connector maps, first match wins; every other code becomes
/// `general`. They apply both to `Response.Error.Code` and to a number's status `Code`.
pub(crate) const ERROR_MAPPINGS: &[ErrorMapping] = &[
    ErrorMapping::retryable(
        "LimitExceeded.PhoneNumberThirtySecondLimit",
        RateLimitExceeded,
        "the number was sent a message less than 30 seconds ago",
    ),
    ErrorMapping::retryable(
        "LimitExceeded.PhoneNumberOneHourLimit",
        RateLimitExceeded,
        "the number's hourly limit is reached",
    ),
    ErrorMapping::retryable(
        "LimitExceeded.PhoneNumberDailyLimit",
        RateLimitExceeded,
        "the number's daily limit is reached",
    ),
    ErrorMapping::retryable(
        "LimitExceeded.PhoneNumberSameContentDailyLimit",
        RateLimitExceeded,
        "the number was sent the same content too often today",
    ),
    ErrorMapping::retryable(
        "LimitExceeded.DeliveryFrequencyLimit",
        RateLimitExceeded,
        "the frequency limit policy set in the console was hit",
    ),
    ErrorMapping::retryable(
        "LimitExceeded.AppDailyLimit",
        RateLimitExceeded,
        "the application's daily limit is reached",
    ),
    ErrorMapping::retryable(
        "LimitExceeded.DailyLimit",
        RateLimitExceeded,
        "the account's daily limit is reached",
    ),
    ErrorMapping::retryable(
        "LimitExceeded.*",
        RateLimitExceeded,
        "any other sending limit",
    ),
    ErrorMapping::retryable(
        "RequestLimitExceeded",
        RateLimitExceeded,
        "too many API requests",
    ),
    ErrorMapping::retryable(
        "RequestLimitExceeded.*",
        RateLimitExceeded,
        "too many API requests from this account or IP address",
    ),
    ErrorMapping::new(
        "FailedOperation.InsufficientBalanceInSmsPackage",
        UsageLimitExceeded,
        "the SMS package is used up",
    ),
    ErrorMapping::new(
        "UnauthorizedOperation.SerivceSuspendDueToArrears",
        UsageLimitExceeded,
        "the service is suspended because the account is in arrears",
    ),
    ErrorMapping::new(
        "InvalidParameterValue.IncorrectPhoneNumber",
        InvalidRequestParameters,
        "the phone number is malformed",
    ),
    ErrorMapping::new(
        "InvalidParameterValue.TemplateParameterFormatError",
        InvalidRequestParameters,
        "a template parameter has the wrong format (verification codes must be digits)",
    ),
    ErrorMapping::new(
        "InvalidParameterValue.TemplateParameterLengthLimit",
        InvalidRequestParameters,
        "a template parameter is too long",
    ),
    ErrorMapping::new(
        "InvalidParameterValue.ProhibitedUseUrlInTemplateParameter",
        InvalidRequestParameters,
        "a template parameter contains a URL",
    ),
    ErrorMapping::new(
        "FailedOperation.PhoneNumberInBlacklist",
        InvalidRequestParameters,
        "the number unsubscribed or is on a carrier's do-not-disturb list",
    ),
    ErrorMapping::new(
        "UnsupportedOperation.ContainDomesticAndInternationalPhoneNumber",
        InvalidRequestParameters,
        "mainland and other numbers in one request",
    ),
    ErrorMapping::new(
        "AuthFailure.*",
        InvalidConfig,
        "the SecretId or SecretKey is wrong, disabled or not allowed to send SMS (or the clock is off by more than 5 minutes)",
    ),
    ErrorMapping::new(
        "FailedOperation.SignatureIncorrectOrUnapproved",
        InvalidConfig,
        "signName is not an approved signature",
    ),
    ErrorMapping::new(
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
    code: Option<String>,
    #[serde(default)]
    message: Option<String>,
}

/// Turns Tencent's answer into a receipt or a mapped error.
///
/// `Response.Error` is mapped by its code. Otherwise the connector sent one number, so the
/// `SendStatusSet` must hold exactly one entry, and that entry decides: `Code` `"Ok"` is a
/// receipt (`SerialNo`, `RequestId`), any other code a mapped error. A body that is not JSON,
/// has another shape, or has no entry or several is `invalid_response`.
pub(crate) fn parse_response(response: &HttpResponse) -> Result<SendReceipt, ConnectorError> {
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
        return Err(ProviderFailure {
            summary: "Tencent Cloud rejected the request",
            code: &error.code,
            message: error.message.as_deref(),
            link: None,
            request_id: request_id.as_deref(),
            http_status: Some(status),
        }
        .into_error(ERROR_MAPPINGS));
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
    let entry = match <[SendStatus; 1]>::try_from(statuses) {
        Ok([entry]) => entry,
        Err(statuses) if statuses.is_empty() => {
            return Err(unexpected("with an empty SendStatusSet"));
        }
        Err(_) => {
            return Err(unexpected(
                "with several statuses in the SendStatusSet, for one number sent",
            ));
        }
    };
    match entry.code.as_deref() {
        Some("Ok") => match entry.serial_no.filter(|s| !s.is_empty()) {
            Some(serial_no) => Ok(SendReceipt::new(serial_no, request_id)),
            None => Err(unexpected("Ok for the number but without a SerialNo")),
        },
        Some(code) if !code.is_empty() => Err(ProviderFailure {
            summary: "Tencent Cloud did not send the message",
            code,
            message: entry.message.as_deref(),
            link: None,
            request_id: request_id.as_deref(),
            http_status: Some(status),
        }
        .into_error(ERROR_MAPPINGS)),
        _ => Err(unexpected("a status without a Code for the number sent")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use connector_kit::ConnectorErrorCode;

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

    #[test]
    fn exactly_the_throttles_are_retryable() {
        for row in ERROR_MAPPINGS {
            assert_eq!(
                row.retryable,
                row.code == RateLimitExceeded,
                "{}",
                row.provider_code
            );
        }
    }
}
