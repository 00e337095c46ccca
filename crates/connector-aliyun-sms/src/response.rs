//! Parsing Aliyun's answers, and the mapping of Aliyun error codes to kit codes.
//!
//! Aliyun answers `SendSms` with a JSON object whose `Code` is `OK` on success, and an error
//! code otherwise; errors raised before the SMS service (signature, credentials,
//! permissions, throttling) come with HTTP 400, 403 or 404 and the same JSON shape. Both are
//! read the same way.

use connector_kit::{ConnectorError, ConnectorErrorCode, ErrorMapping, HttpResponse, SendReceipt};
use serde_json::{Map, Value};

macro_rules! mappings {
    ($($provider:literal => $code:ident, $meaning:literal;)*) => {
        &[$(ErrorMapping {
            provider_code: $provider,
            code: ConnectorErrorCode::$code,
            meaning: $meaning,
        }),*]
    };
}

/// The Aliyun error codes the connector maps; every other code becomes `general`.
pub const ERROR_MAPPINGS: &[ErrorMapping] = mappings! {
    "isv.BUSINESS_LIMIT_CONTROL" => RateLimitExceeded, "per-number frequency limit reached (by default 1 a minute, 5 an hour, 10 a day for verification codes)";
    "isv.DAY_LIMIT_CONTROL" => RateLimitExceeded, "the daily sending limit set in the console was reached";
    "isv.MONTH_LIMIT_CONTROL" => RateLimitExceeded, "the monthly sending limit set in the console was reached";
    "Throttling*" => RateLimitExceeded, "the API gateway throttled the request";
    "isv.OUT_OF_SERVICE" => UsageLimitExceeded, "the account is suspended for lack of balance";
    "isv.AMOUNT_NOT_ENOUGH" => UsageLimitExceeded, "the account balance is too low";
    "isv.MOBILE_NUMBER_ILLEGAL" => InvalidRequestParameters, "the phone number is not valid";
    "isv.DOMESTIC_NUMBER_NOT_SUPPORTED" => InvalidRequestParameters, "an international/HK-Macao-Taiwan template cannot be sent to a mainland China number";
    "isv.TEMPLATE_MISSING_PARAMETERS" => InvalidRequestParameters, "a template variable has no value in TemplateParam";
    "isv.INVALID_PARAMETERS" => InvalidRequestParameters, "a request parameter is invalid";
    "isv.INVALID_JSON_PARAM" => InvalidRequestParameters, "TemplateParam is not a JSON object of string values";
    "isv.PARAM_LENGTH_LIMIT" => InvalidRequestParameters, "a parameter is too long";
    "isv.MOBILE_COUNT_OVER_LIMIT" => InvalidRequestParameters, "too many phone numbers in one request";
    "isv.TEMPLATE_PARAMS_ILLEGAL" => InvalidRequestParameters, "a template variable holds a forbidden word or URL";
    "SignatureDoesNotMatch" => InvalidConfig, "the signature does not match: usually a wrong AccessKey secret";
    "InvalidAccessKeyId.NotFound" => InvalidConfig, "the AccessKey ID does not exist";
    "InvalidAccessKeyId.Inactive" => InvalidConfig, "the AccessKey is disabled";
    "isp.RAM_PERMISSION_DENY" => InvalidConfig, "the RAM user lacks permission to send SMS (grant AliyunDysmsFullAccess)";
    "isv.SMS_SIGNATURE_ILLEGAL" => InvalidConfig, "the signature name is not approved or does not exist";
    "isv.SMS_TEMPLATE_ILLEGAL" => InvalidConfig, "the template code is not approved or does not exist";
    "isv.SMS_SIGNATURE_SCENE_ILLEGAL" => InvalidConfig, "the signature's use does not match the template's type";
    "isv.SMS_SIGN_ILLEGAL" => InvalidConfig, "the signature name may not be used";
    "isv.ACCOUNT_NOT_EXISTS" => InvalidConfig, "no account belongs to the AccessKey";
    "isv.ACCOUNT_ABNORMAL" => InvalidConfig, "the account is in an abnormal state";
    "isv.PRODUCT_UN_SUBSCRIPT" => InvalidConfig, "the account has not activated Aliyun's communication services";
    "isv.PRODUCT_UNSUBSCRIBE" => InvalidConfig, "the account has not activated the SMS service";
};

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

/// A non-empty string field of the body.
fn text(body: &Map<String, Value>, key: &str) -> Option<String> {
    body.get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// Turns Aliyun's answer into a receipt or a mapped error.
///
/// - `Code` `OK` with a `BizId`, on a 2xx status: the receipt (`BizId`, `RequestId`).
/// - Any other `Code`, whatever the status: the mapped error, keeping `Code`, `Message` and
///   `RequestId` in the details; throttles are retryable.
/// - Anything else (not JSON, not an object, no `Code`): `invalid_response`.
pub fn parse_response(response: &HttpResponse) -> Result<SendReceipt, ConnectorError> {
    let status = response.status;
    let header_request_id = response.header("x-acs-request-id").map(str::to_owned);
    let body = match serde_json::from_slice::<Value>(&response.body) {
        Ok(Value::Object(body)) => body,
        _ => {
            return Err(ConnectorError::invalid_response(format!(
                "Aliyun answered {status} with a body that is not a JSON object: {}",
                response.body_excerpt()
            ))
            .with_request_id(header_request_id));
        }
    };
    let request_id = text(&body, "RequestId").or(header_request_id);
    let Some(code) = text(&body, "Code") else {
        return Err(ConnectorError::invalid_response(format!(
            "Aliyun answered {status} without a Code: {}",
            response.body_excerpt()
        ))
        .with_request_id(request_id));
    };

    if code == "OK" {
        let biz_id = text(&body, "BizId").filter(|_| (200..300).contains(&status));
        return match biz_id {
            Some(message_id) => Ok(SendReceipt {
                message_id,
                request_id,
            }),
            None => Err(ConnectorError::invalid_response(format!(
                "Aliyun answered {status} with Code OK but no BizId: {}",
                response.body_excerpt()
            ))
            .with_request_id(request_id)),
        };
    }

    let kit_code = ErrorMapping::lookup(ERROR_MAPPINGS, &code);
    let provider_message = text(&body, "Message")
        .map(|m| loggable(&m))
        .unwrap_or_default();
    let mut message = if provider_message.is_empty() {
        format!("Aliyun rejected the message with code {code}")
    } else {
        format!("Aliyun rejected the message: {provider_message} (code {code})")
    };
    if let Some(recommend) = text(&body, "Recommend") {
        message.push_str(&format!("; see {recommend}"));
    }
    Err(ConnectorError::new(kit_code, message)
        .with_provider_code(code)
        .with_provider_message(provider_message)
        .with_request_id(request_id)
        .with_retryable(kit_code == ConnectorErrorCode::RateLimitExceeded))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: u16, body: &str) -> HttpResponse {
        HttpResponse {
            status,
            headers: vec![("x-acs-request-id".into(), "HDR-REQ".into())],
            body: body.as_bytes().to_vec(),
        }
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
