//! Parsing Aliyun's answers, and the mapping of Aliyun error codes to kit codes.
//!
//! Aliyun answers `SendSms` with a JSON object whose `Code` is `OK` on success, and an error
//! code otherwise; errors raised before the SMS service (signature, credentials,
//! permissions, throttling) come with HTTP 400, 403 or 404 and the same JSON shape. Both are
//! read the same way.

use connector_kit::ConnectorErrorCode::{
    InvalidConfig, InvalidRequestParameters, RateLimitExceeded, UsageLimitExceeded,
};
use connector_kit::{ConnectorError, ErrorMapping, HttpResponse, ProviderFailure, SendReceipt};
use serde::Deserialize;

/// The Aliyun error codes the connector maps; every other code becomes `general`. Throttles
/// are retryable: Aliyun refused the message without sending it.
pub(crate) const ERROR_MAPPINGS: &[ErrorMapping] = &[
    ErrorMapping::retryable(
        "isv.BUSINESS_LIMIT_CONTROL",
        RateLimitExceeded,
        "per-number frequency limit reached (by default 1 a minute, 5 an hour, 10 a day for verification codes)",
    ),
    ErrorMapping::retryable(
        "isv.DAY_LIMIT_CONTROL",
        RateLimitExceeded,
        "the daily sending limit set in the console was reached",
    ),
    ErrorMapping::retryable(
        "isv.MONTH_LIMIT_CONTROL",
        RateLimitExceeded,
        "the monthly sending limit set in the console was reached",
    ),
    ErrorMapping::retryable(
        "Throttling*",
        RateLimitExceeded,
        "the API gateway throttled the request",
    ),
    ErrorMapping::new(
        "isv.OUT_OF_SERVICE",
        UsageLimitExceeded,
        "the account is suspended for lack of balance",
    ),
    ErrorMapping::new(
        "isv.AMOUNT_NOT_ENOUGH",
        UsageLimitExceeded,
        "the account balance is too low",
    ),
    ErrorMapping::new(
        "isv.MOBILE_NUMBER_ILLEGAL",
        InvalidRequestParameters,
        "the phone number is not valid",
    ),
    ErrorMapping::new(
        "isv.DOMESTIC_NUMBER_NOT_SUPPORTED",
        InvalidRequestParameters,
        "an international/HK-Macao-Taiwan template cannot be sent to a mainland China number",
    ),
    ErrorMapping::new(
        "isv.TEMPLATE_MISSING_PARAMETERS",
        InvalidRequestParameters,
        "a template variable has no value in TemplateParam",
    ),
    ErrorMapping::new(
        "isv.INVALID_PARAMETERS",
        InvalidRequestParameters,
        "a request parameter is invalid",
    ),
    ErrorMapping::new(
        "isv.INVALID_JSON_PARAM",
        InvalidRequestParameters,
        "TemplateParam is not a JSON object of string values",
    ),
    ErrorMapping::new(
        "isv.PARAM_LENGTH_LIMIT",
        InvalidRequestParameters,
        "a parameter is too long",
    ),
    ErrorMapping::new(
        "isv.MOBILE_COUNT_OVER_LIMIT",
        InvalidRequestParameters,
        "too many phone numbers in one request",
    ),
    ErrorMapping::new(
        "isv.TEMPLATE_PARAMS_ILLEGAL",
        InvalidRequestParameters,
        "a template variable holds a forbidden word or URL",
    ),
    ErrorMapping::new(
        "SignatureDoesNotMatch",
        InvalidConfig,
        "the signature does not match: usually a wrong AccessKey secret",
    ),
    ErrorMapping::new(
        "InvalidAccessKeyId.NotFound",
        InvalidConfig,
        "the AccessKey ID does not exist",
    ),
    ErrorMapping::new(
        "InvalidAccessKeyId.Inactive",
        InvalidConfig,
        "the AccessKey is disabled",
    ),
    ErrorMapping::new(
        "isp.RAM_PERMISSION_DENY",
        InvalidConfig,
        "the RAM user lacks permission to send SMS (grant AliyunDysmsFullAccess)",
    ),
    ErrorMapping::new(
        "isv.SMS_SIGNATURE_ILLEGAL",
        InvalidConfig,
        "the signature name is not approved or does not exist",
    ),
    ErrorMapping::new(
        "isv.SMS_TEMPLATE_ILLEGAL",
        InvalidConfig,
        "the template code is not approved or does not exist",
    ),
    ErrorMapping::new(
        "isv.SMS_SIGNATURE_SCENE_ILLEGAL",
        InvalidConfig,
        "the signature's use does not match the template's type",
    ),
    ErrorMapping::new(
        "isv.SMS_SIGN_ILLEGAL",
        InvalidConfig,
        "the signature name may not be used",
    ),
    ErrorMapping::new(
        "isv.ACCOUNT_NOT_EXISTS",
        InvalidConfig,
        "no account belongs to the AccessKey",
    ),
    ErrorMapping::new(
        "isv.ACCOUNT_ABNORMAL",
        InvalidConfig,
        "the account is in an abnormal state",
    ),
    ErrorMapping::new(
        "isv.PRODUCT_UN_SUBSCRIPT",
        InvalidConfig,
        "the account has not activated Aliyun's communication services",
    ),
    ErrorMapping::new(
        "isv.PRODUCT_UNSUBSCRIBE",
        InvalidConfig,
        "the account has not activated the SMS service",
    ),
];

/// What Aliyun appends to a `SignatureDoesNotMatch` message: its own string to sign, which
/// holds the phone number and the template parameters (the verification code).
const SERVER_STRING_TO_SIGN: &str = "server string to sign is";

/// A provider message fit for logs: Aliyun's echo of the string to sign is cut off.
fn loggable(message: &str) -> String {
    match message.find(SERVER_STRING_TO_SIGN) {
        Some(at) => format!(
            "{}(Aliyun's string to sign omitted: it holds the phone number and the code)",
            message.get(..at).unwrap_or_default()
        ),
        None => message.to_owned(),
    }
}

/// Aliyun's answer, success or error: the same JSON object shape either way.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Answer {
    code: Option<String>,
    message: Option<String>,
    request_id: Option<String>,
    biz_id: Option<String>,
    recommend: Option<String>,
}

/// A field's text, unless it is missing or empty.
fn non_empty(field: &Option<String>) -> Option<&str> {
    field.as_deref().filter(|s| !s.is_empty())
}

/// Turns Aliyun's answer into a receipt or a mapped error.
///
/// - `Code` `OK` with a `BizId`, on a 2xx status: the receipt (`BizId`, `RequestId`).
/// - Any other `Code`, whatever the status: the mapped error, keeping `Code`, `Message` and
///   `RequestId` in the details; throttles are retryable.
/// - Anything else (not JSON, not Aliyun's object shape, no `Code`): `invalid_response`.
pub(crate) fn parse_response(response: &HttpResponse) -> Result<SendReceipt, ConnectorError> {
    let status = response.status;
    let header_request_id = response.header("x-acs-request-id");
    let answer: Answer = serde_json::from_slice(&response.body).map_err(|e| {
        ConnectorError::invalid_response(format!(
            "Aliyun answered {status} with a body that is not its JSON answer: {}",
            response.body_excerpt()
        ))
        .with_source(e)
        .with_request_id(header_request_id.map(str::to_owned))
    })?;
    let request_id = non_empty(&answer.request_id).or(header_request_id);
    let Some(code) = non_empty(&answer.code) else {
        return Err(ConnectorError::invalid_response(format!(
            "Aliyun answered {status} without a Code: {}",
            response.body_excerpt()
        ))
        .with_request_id(request_id.map(str::to_owned)));
    };

    if code == "OK" {
        let biz_id = non_empty(&answer.biz_id).filter(|_| (200..300).contains(&status));
        return match biz_id {
            Some(message_id) => Ok(SendReceipt::new(message_id, request_id.map(str::to_owned))),
            None => Err(ConnectorError::invalid_response(format!(
                "Aliyun answered {status} with Code OK but no BizId: {}",
                response.body_excerpt()
            ))
            .with_request_id(request_id.map(str::to_owned))),
        };
    }

    let message = non_empty(&answer.message).map(loggable);
    Err(ProviderFailure {
        summary: "Aliyun rejected the message",
        code,
        message: message.as_deref(),
        link: non_empty(&answer.recommend),
        request_id,
        http_status: Some(status),
    }
    .into_error(ERROR_MAPPINGS))
}

#[cfg(test)]
mod tests {
    use super::*;
    use connector_kit::ConnectorErrorCode;

    fn response(status: u16, body: &str) -> HttpResponse {
        HttpResponse::new(status, body).with_header("x-acs-request-id", "HDR-REQ")
    }

    #[test]
    fn success_gives_biz_id_and_request_id() {
        let receipt = parse_response(&response(
            200,
            r#"{"Message":"OK","RequestId":"F655A8D5-B967-440B-8683-DAD6FF8DE990","Code":"OK","BizId":"900619746936498440^0"}"#,
        ))
        .unwrap();
        assert_eq!(receipt.message_id, "900619746936498440^0");
        assert_eq!(
            receipt.request_id.as_deref(),
            Some("F655A8D5-B967-440B-8683-DAD6FF8DE990")
        );
    }

    #[test]
    fn the_header_request_id_is_the_fallback() {
        let receipt = parse_response(&response(200, r#"{"Code":"OK","BizId":"1^0"}"#)).unwrap();
        assert_eq!(receipt.request_id.as_deref(), Some("HDR-REQ"));
    }

    #[test]
    fn the_echoed_string_to_sign_is_cut_off() {
        let body = r#"{"Code":"SignatureDoesNotMatch","Message":"Specified signature is not matched with our calculation. server string to sign is:POST&%2F&PhoneNumbers%3D13800138000%26TemplateParam%3D%257B%2522code%2522%253A%2522123456%2522%257D","RequestId":"R"}"#;
        let error = parse_response(&response(400, body)).unwrap_err();
        assert_eq!(error.code(), ConnectorErrorCode::InvalidConfig);
        let shown = format!("{error} {error:?}");
        assert!(!shown.contains("13800138000"), "{shown}");
        assert!(!shown.contains("123456"), "{shown}");
        assert!(
            shown.contains("Specified signature is not matched"),
            "{shown}"
        );
    }

    #[test]
    fn every_mapping_row_is_distinct() {
        for (i, row) in ERROR_MAPPINGS.iter().enumerate() {
            assert!(
                ERROR_MAPPINGS[..i]
                    .iter()
                    .all(|earlier| !earlier.matches(row.provider_code)),
                "{} is shadowed",
                row.provider_code
            );
        }
    }
}
