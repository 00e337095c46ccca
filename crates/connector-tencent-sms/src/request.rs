//! The pure request builder: config, message and request context in, the signed SendSms
//! request out.

use connector_kit::{
    ConnectorError, HttpHeader, HttpMethod, HttpRequest, RequestContext, SendMessageData,
    SendMessagePayload, find_template,
};
use serde::Serialize;

use connector_kit::connector::mask_phone;

use crate::config::TencentConfig;
use crate::sign::{Credentials, SignedHeaders, SigningInput, sign};

/// The service name in the credential scope.
pub const SERVICE: &str = "sms";
/// The API action.
pub const ACTION: &str = "SendSms";
/// The API version.
pub const VERSION: &str = "2021-01-11";
/// The body's content type, exactly as sent and signed.
pub const CONTENT_TYPE: &str = "application/json; charset=utf-8";

/// Normalizes a phone number to E.164 (`+` and 7 to 15 digits, the country code first).
///
/// - `+<digits>` is kept;
/// - the `00` international prefix becomes `+`;
/// - a mainland China mobile number given bare (11 digits starting with 1), or with `86` in
///   front, becomes `+86...`;
/// - a `+86` number must be a mainland mobile number (11 digits starting with 1).
///
/// Anything else (spaces, dashes, a national number without a country code) is
/// `invalid_request_parameters`.
pub fn normalize_phone(to: &str) -> Result<String, ConnectorError> {
    let invalid = |why: &str| {
        ConnectorError::invalid_request_parameters(format!(
            "phone number {:?} is not usable: {why}",
            // Masked as logs mask it: error messages end up in logs.
            mask_phone(to)
        ))
    };
    if to.is_empty() {
        return Err(invalid("it is empty"));
    }
    let (international, digits) = if let Some(rest) = to.strip_prefix('+') {
        (true, rest)
    } else if let Some(rest) = to.strip_prefix("00") {
        (true, rest)
    } else {
        (false, to)
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid(
            "expected + and digits only, such as +8613800138000 or +14155550100",
        ));
    }
    let digits = if international {
        digits.to_owned()
    } else if is_mainland_mobile(digits) {
        format!("86{digits}")
    } else if digits.strip_prefix("86").is_some_and(is_mainland_mobile) {
        digits.to_owned()
    } else {
        return Err(invalid(
            "a number outside mainland China must start with + and its country code",
        ));
    };
    if digits.starts_with('0') || !(7..=15).contains(&digits.len()) {
        return Err(invalid(
            "expected a country code and 7 to 15 digits in all (E.164)",
        ));
    }
    if let Some(national) = digits.strip_prefix("86") {
        if !is_mainland_mobile(national) {
            return Err(invalid(
                "a mainland China number must be a mobile number: 11 digits starting with 1",
            ));
        }
    }
    Ok(format!("+{digits}"))
}

/// Whether `digits` is a mainland China mobile number without country code: 11 digits
/// starting with 1.
fn is_mainland_mobile(digits: &str) -> bool {
    digits.len() == 11 && digits.starts_with('1') && digits.bytes().all(|b| b.is_ascii_digit())
}

/// Whether a normalized number is a mainland China mobile number (`+86` and 11 digits
/// starting with 1), which Tencent serves with domestic templates.
pub fn is_mainland(normalized: &str) -> bool {
    normalized
        .strip_prefix("+86")
        .is_some_and(is_mainland_mobile)
}

/// The template parameters: the payload value of each key in `params`, in order, as text.
///
/// Strings go as they are, numbers and booleans in their JSON form. A missing key, a null, an
/// array or an object is `invalid_request_parameters` naming the key.
pub fn template_params(
    params: &[String],
    payload: &SendMessagePayload,
) -> Result<Vec<String>, ConnectorError> {
    params
        .iter()
        .enumerate()
        .map(|(i, key)| {
            let placeholder = i + 1;
            match payload.get(key) {
                Some(value) if value.is_scalar() => Ok(value.to_text()),
                Some(_) => Err(ConnectorError::invalid_request_parameters(format!(
                    "payload value {key:?} (template parameter {{{placeholder}}}) must be a string, number or boolean"
                ))),
                None => Err(ConnectorError::invalid_request_parameters(format!(
                    "the payload has no {key:?}, which the template needs for parameter {{{placeholder}}}"
                ))),
            }
        })
        .collect()
}

/// The SendSms body, in the order Tencent documents its fields.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
struct SendSmsBody<'a> {
    phone_number_set: [&'a str; 1],
    sms_sdk_app_id: &'a str,
    sign_name: &'a str,
    template_id: &'a str,
    template_param_set: Vec<String>,
}

/// Builds and signs the request that sends one message.
pub fn build_request(
    config: &TencentConfig,
    data: &SendMessageData,
    context: &RequestContext,
) -> Result<HttpRequest, ConnectorError> {
    let to = normalize_phone(&data.to)?;
    let mainland = is_mainland(&to);
    if mainland && config.sign_name.is_empty() {
        return Err(ConnectorError::invalid_config(
            "signName is empty, but messages to mainland China numbers need an approved signature",
        ));
    }
    let template = find_template(&config.templates, data.template_type)?;
    let body = SendSmsBody {
        phone_number_set: [&to],
        sms_sdk_app_id: &config.sdk_app_id,
        sign_name: &config.sign_name,
        template_id: template.template_code.for_recipient(mainland),
        template_param_set: template_params(&template.params, &data.payload)?,
    };
    let body = serde_json::to_vec(&body)
        .map_err(|e| ConnectorError::general("could not encode the SendSms body").with_source(e))?;
    let host = config.endpoint.authority();
    let signed = sign(
        &Credentials::new(&config.access_key_id, config.access_key_secret.expose()),
        &SigningInput {
            host,
            content_type: CONTENT_TYPE,
            action: ACTION,
            body: &body,
            timestamp: context.unix_time,
            service: SERVICE,
            signed_headers: SignedHeaders::ContentTypeHost,
        },
    );
    Ok(HttpRequest {
        method: HttpMethod::Post,
        url: config.endpoint.url("/"),
        headers: vec![
            // The value holds the SecretId and a signature of this one request, never the
            // SecretKey. It is marked sensitive so that a printed (dry-run) request shows the
            // credential scope but not the signature, which could be replayed for 5 minutes.
            HttpHeader::sensitive("Authorization", signed.authorization.to_string()),
            HttpHeader::new("Content-Type", CONTENT_TYPE),
            HttpHeader::new("Host", host),
            HttpHeader::new("X-TC-Action", ACTION),
            HttpHeader::new("X-TC-Version", VERSION),
            HttpHeader::new("X-TC-Timestamp", context.unix_time.to_string()),
            HttpHeader::new("X-TC-Region", config.region.as_str()),
        ],
        body,
        sensitive_form_fields: &[],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use connector_kit::ConnectorErrorCode;

    #[test]
    fn numbers_normalize_to_e164() {
        let cases = [
            ("+8613800138000", "+8613800138000"),
            ("13800138000", "+8613800138000"),
            ("8613800138000", "+8613800138000"),
            ("008613800138000", "+8613800138000"),
            ("+14155550100", "+14155550100"),
            ("0014155550100", "+14155550100"),
            ("+85261234567", "+85261234567"),
            ("+6834002", "+6834002"),
        ];
        for (input, expected) in cases {
            assert_eq!(normalize_phone(input).unwrap(), expected, "{input}");
        }
    }

    #[test]
    fn unusable_numbers_are_rejected() {
        for bad in [
            "",
            "+",
            "00",
            "+0123456789",
            "4155550100",
            "23800138000",
            "1380013800",
            "861380013800",
            "+861380013800",
            "+8602012345678",
            "+1 415 555 0100",
            "+1-415-555-0100",
            "+123456",
            "+1234567890123456",
            "++8613800138000",
            "+８613800138000",
            "phone",
        ] {
            let error = normalize_phone(bad).unwrap_err();
            assert_eq!(
                error.code(),
                ConnectorErrorCode::InvalidRequestParameters,
                "{bad:?}"
            );
        }
    }

    #[test]
    fn mainland_means_plus_86_mobile() {
        assert!(is_mainland("+8613800138000"));
        assert!(!is_mainland("+85261234567"));
        assert!(!is_mainland("+886912345678"));
        assert!(!is_mainland("+14155550100"));
    }
}
