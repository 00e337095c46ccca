//! The pure request builder: config, message and request context in, the signed `SendSms`
//! request out.

use connector_kit::connector::mask_phone;
use connector_kit::{
    ConnectorError, HttpHeader, HttpMethod, HttpRequest, RequestContext, SendMessageData,
    SendMessagePayload, find_template,
};
use serde_json::{Map, Value};

use crate::config::{AliyunConfig, PhoneRegion};
use crate::sign::{Signed, sign};

/// The API action.
pub const ACTION: &str = "SendSms";
/// The API version.
pub const VERSION: &str = "2017-05-25";
/// The signature method.
pub const SIGNATURE_METHOD: &str = "HMAC-SHA1";
/// The signature version.
pub const SIGNATURE_VERSION: &str = "1.0";

/// Payload keys that say which language the user reads, not what the message says; they
/// never reach `TemplateParam`.
pub const EXCLUDED_PAYLOAD_KEYS: [&str; 2] = ["locale", "uiLocales"];

/// A phone number normalized for Aliyun, with the region that picks the template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoutedPhone {
    /// Mainland China or overseas.
    pub region: PhoneRegion,
    /// The `PhoneNumbers` value: 11 digits for mainland China, otherwise the country code
    /// and number, digits only.
    pub number: String,
}

/// Whether `digits` is a mainland China mobile number without prefix: `1` and 10 more digits.
fn is_mainland_mobile(digits: &str) -> bool {
    digits.len() == 11 && digits.starts_with('1') && digits.bytes().all(|b| b.is_ascii_digit())
}

/// Normalizes a phone number and decides its region.
///
/// - Mainland China is `^(?:\+86|0086|86)?1\d{10}$`; with `strict` the prefix is mandatory.
///   It is sent as the 11-digit number.
/// - Any other number must be international, `+` or `00` then the country code and number
///   (7 to 15 digits in all). It is sent as digits only, with no `+` or `00`, as Aliyun
///   documents for 国际/港澳台消息.
/// - Anything else, including a `+86` number that is not a mainland mobile number (Aliyun's
///   overseas templates do not deliver to mainland China), is `invalid_request_parameters`.
///
/// Error messages show the number masked but for its last four digits, as logs do.
pub fn route_phone(to: &str, strict: bool) -> Result<RoutedPhone, ConnectorError> {
    let prefixed = ["+86", "0086", "86"]
        .iter()
        .find_map(|prefix| to.strip_prefix(prefix));
    let mainland = match prefixed {
        Some(rest) if is_mainland_mobile(rest) => Some(rest),
        _ if !strict && is_mainland_mobile(to) => Some(to),
        _ => None,
    };
    if let Some(digits) = mainland {
        return Ok(RoutedPhone {
            region: PhoneRegion::China,
            number: digits.to_owned(),
        });
    }
    let international = to.strip_prefix('+').or_else(|| to.strip_prefix("00"));
    let Some(digits) = international else {
        let hint = if strict && is_mainland_mobile(to) {
            " (strictPhoneRegionNumberCheck is on: write a mainland China number with +86)"
        } else {
            ""
        };
        let masked = mask_phone(to);
        return Err(ConnectorError::invalid_request_parameters(format!(
            "phone number {masked:?} is neither a mainland China mobile number nor an international number starting with + or 00{hint}"
        )));
    };
    let valid = (7..=15).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !digits.starts_with('0');
    if !valid {
        let masked = mask_phone(to);
        return Err(ConnectorError::invalid_request_parameters(format!(
            "phone number {masked:?} is not a valid international number: expected + or 00, then the country code and number, 7 to 15 digits in all"
        )));
    }
    if digits.starts_with("86") {
        let masked = mask_phone(to);
        return Err(ConnectorError::invalid_request_parameters(format!(
            "phone number {masked:?} has the mainland China country code but is not a mainland mobile number (1 and 10 more digits)"
        )));
    }
    Ok(RoutedPhone {
        region: PhoneRegion::Overseas,
        number: digits.to_owned(),
    })
}

/// The `TemplateParam` object: `code` and every other scalar payload value (strings as they
/// are, numbers and booleans as text), never `locale` or `uiLocales`; nulls, arrays and
/// objects are left out. Keys keep the payload's order, typed fields first.
pub fn template_param(payload: &SendMessagePayload) -> Map<String, Value> {
    payload
        .iter()
        .filter(|(key, value)| !EXCLUDED_PAYLOAD_KEYS.contains(key) && value.is_scalar())
        .map(|(key, value)| (key.to_owned(), Value::String(value.to_text())))
        .collect()
}

/// Every request parameter except `Signature`: the common ones, then `SendSms`'s own. (The
/// signer sorts them.)
pub fn parameters(
    config: &AliyunConfig,
    data: &SendMessageData,
    context: &RequestContext,
) -> Result<Vec<(&'static str, String)>, ConnectorError> {
    let phone = route_phone(&data.to, config.strict_phone_region_number_check)?;
    let template = find_template(&config.templates, data.template_type)?;
    let template_code = template.template_code.for_region(phone.region);
    let param = serde_json::to_string(&template_param(&data.payload)).map_err(|e| {
        ConnectorError::invalid_request_parameters("the template parameters are not valid JSON")
            .with_source(e)
    })?;
    Ok(vec![
        ("Action", ACTION.to_owned()),
        ("Version", VERSION.to_owned()),
        ("Format", "JSON".to_owned()),
        ("RegionId", config.region_id.clone()),
        ("AccessKeyId", config.access_key_id.clone()),
        ("SignatureMethod", SIGNATURE_METHOD.to_owned()),
        ("SignatureVersion", SIGNATURE_VERSION.to_owned()),
        ("SignatureNonce", context.nonce.clone()),
        ("Timestamp", context.utc().to_string()),
        ("PhoneNumbers", phone.number),
        ("SignName", config.sign_name.clone()),
        ("TemplateCode", template_code.to_owned()),
        ("TemplateParam", param),
    ])
}

/// Signs the parameters of one send, every stage kept (for dry runs and tests).
pub fn sign_request(
    config: &AliyunConfig,
    data: &SendMessageData,
    context: &RequestContext,
) -> Result<Signed, ConnectorError> {
    let params = parameters(config, data, context)?;
    Ok(sign(
        HttpMethod::Post,
        params,
        config.access_key_secret.expose(),
    ))
}

/// Builds the request that sends one message: a form POST to `{endpoint}/`, the body being
/// the canonical query followed by `Signature`. The secret is in no header and no field;
/// only the signature derived from it is sent.
pub fn build_request(
    config: &AliyunConfig,
    data: &SendMessageData,
    context: &RequestContext,
) -> Result<HttpRequest, ConnectorError> {
    let signed = sign_request(config, data, context)?;
    Ok(HttpRequest {
        method: HttpMethod::Post,
        url: config.endpoint.url("/"),
        headers: vec![
            HttpHeader::new("Content-Type", "application/x-www-form-urlencoded"),
            HttpHeader::new("Accept", "application/json"),
        ],
        body: signed.form().into_bytes(),
        // A printed request must not be replayable: its nonce was never used.
        sensitive_form_fields: &["Signature"],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use connector_kit::ConnectorErrorCode;

    fn routed(to: &str, strict: bool) -> (PhoneRegion, String) {
        let phone = route_phone(to, strict).unwrap();
        (phone.region, phone.number)
    }

    #[test]
    fn mainland_numbers_lose_their_prefix() {
        for to in ["+8613800138000", "008613800138000", "8613800138000"] {
            for strict in [false, true] {
                assert_eq!(
                    routed(to, strict),
                    (PhoneRegion::China, "13800138000".to_owned()),
                    "{to} strict={strict}"
                );
            }
        }
        assert_eq!(
            routed("13800138000", false),
            (PhoneRegion::China, "13800138000".to_owned())
        );
        // Without a prefix, any 1 and 10 digits is mainland China in non-strict mode, even a
        // North American number written without its +; strict mode exists for that.
        assert_eq!(routed("14155550100", false).0, PhoneRegion::China);
        assert!(route_phone("14155550100", true).is_err());
    }

    #[test]
    fn international_numbers_lose_plus_or_double_zero() {
        for strict in [false, true] {
            assert_eq!(
                routed("+85291234567", strict),
                (PhoneRegion::Overseas, "85291234567".to_owned())
            );
            assert_eq!(
                routed("0014155550100", strict),
                (PhoneRegion::Overseas, "14155550100".to_owned())
            );
        }
    }

    #[test]
    fn everything_else_is_rejected() {
        let cases = [
            ("13800138000", true),
            ("4155550100", false),
            ("", false),
            ("+", false),
            ("00", false),
            ("+123456", false),
            ("+1234567890123456", false),
            ("+1 415 555 0100", false),
            ("+1-415-555-0100", false),
            ("+0123456789", false),
            ("+861012345678", false),
            ("+86138001380000", false),
            ("+８６13800138000", false),
            ("phone", false),
        ];
        for (to, strict) in cases {
            let error = route_phone(to, strict).unwrap_err();
            assert_eq!(
                error.code(),
                ConnectorErrorCode::InvalidRequestParameters,
                "{to:?}"
            );
        }
        let hint = route_phone("13800138000", true).unwrap_err().to_string();
        assert!(hint.contains("strictPhoneRegionNumberCheck"), "{hint}");
    }

    #[test]
    fn template_param_keeps_scalars_and_drops_locales() {
        let payload: SendMessagePayload = serde_json::from_value(serde_json::json!({
            "code": "123456",
            "locale": "zh-CN",
            "uiLocales": "zh-CN en",
            "minutes": 5,
            "urgent": true,
            "product": "Acme",
            "none": null,
            "org": {"name": "Acme"},
            "list": [1, 2],
        }))
        .unwrap();
        assert_eq!(
            serde_json::to_string(&template_param(&payload)).unwrap(),
            r#"{"code":"123456","minutes":"5","urgent":"true","product":"Acme"}"#
        );
    }
}
