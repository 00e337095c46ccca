//! The pure request builder: config, message and request context in, the signed `SendSms`
//! request out.

use std::borrow::Cow;

use connector_kit::{
    ConnectorError, HttpHeader, HttpMethod, HttpRequest, PhoneRules, RequestContext,
    SendMessageData, SendMessagePayload, phone, template_for,
};
use serde_json::{Map, Value};

use crate::config::{AliyunConfig, SignatureVersion};
use crate::sign::{Signed, sign, v3};

/// The API action.
pub(crate) const ACTION: &str = "SendSms";
/// The API version.
pub(crate) const VERSION: &str = "2017-05-25";
/// The signature method.
pub(crate) const SIGNATURE_METHOD: &str = "HMAC-SHA1";
/// The signature version.
pub(crate) const SIGNATURE_VERSION: &str = "1.0";

/// Payload keys that say which language the user reads, not what the message says; they
/// never reach `TemplateParam`.
pub(crate) const EXCLUDED_PAYLOAD_KEYS: [&str; 2] = ["locale", "uiLocales"];

/// How Aliyun reads numbers by default: `+` (or `00`) and the country code, or a bare
/// 11-digit mainland China mobile number.
pub(crate) const PHONE_RULES: PhoneRules = PhoneRules::STRICT.with_bare_mainland(true);

/// How Aliyun reads numbers with `strictPhoneRegionNumberCheck` on: `+` (or `00`) and the
/// country code only.
pub(crate) const STRICT_PHONE_RULES: PhoneRules = PhoneRules::STRICT;

/// Appended to the error for a bare mainland number refused by the strict rules.
const STRICT_HINT: &str =
    " (strictPhoneRegionNumberCheck is on: write a mainland China number with +86)";

/// Where a phone number is, as far as template routing goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PhoneRegion {
    /// Mainland China.
    China,
    /// Anywhere else, Hong Kong, Macao and Taiwan included.
    Overseas,
}

/// A phone number normalized for Aliyun, with the region that picks the template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RoutedPhone {
    /// Mainland China or overseas.
    pub(crate) region: PhoneRegion,
    /// The `PhoneNumbers` value: 11 digits for mainland China, otherwise the country code
    /// and number, digits only.
    pub(crate) number: String,
}

/// Normalizes a phone number and decides its region, by the kit's
/// [`phone::parse`] under [`PHONE_RULES`] (or [`STRICT_PHONE_RULES`] with `strict`).
///
/// - A mainland China mobile number (`+86`, `0086` or `86`, then `1` and 10 digits; without
///   `strict`, also the bare 11 digits) is sent as the 11-digit national number.
/// - Any other number is `+` or `00`, then the country code and number (7 to 15 digits in
///   all). It is sent as digits only, with no `+` or `00`, as Aliyun documents for
///   国际/港澳台消息.
/// - Anything else, including a `+86` number that is not a mainland mobile number (Aliyun's
///   overseas templates do not deliver to mainland China), is `invalid_request_parameters`,
///   with the number masked but for its last four digits, as logs show it.
pub(crate) fn route_phone(to: &str, strict: bool) -> Result<RoutedPhone, ConnectorError> {
    let rules = if strict {
        STRICT_PHONE_RULES
    } else {
        PHONE_RULES
    };
    let number = phone::parse(to, rules).map_err(|error| {
        if strict && phone::is_mainland_mobile(to) {
            ConnectorError::invalid_request_parameters(format!("{error}{STRICT_HINT}"))
        } else {
            error
        }
    })?;
    Ok(match number.mainland_china() {
        Some(national) => RoutedPhone {
            region: PhoneRegion::China,
            number: national.to_owned(),
        },
        None => RoutedPhone {
            region: PhoneRegion::Overseas,
            number: number.digits().to_owned(),
        },
    })
}

/// The `TemplateParam` object: `code` and every other scalar payload value (strings as they
/// are, numbers and booleans as text), never `locale` or `uiLocales`; nulls, arrays and
/// objects are left out. Keys keep the payload's order, typed fields first.
pub(crate) fn template_param(payload: &SendMessagePayload) -> Map<String, Value> {
    payload
        .iter()
        .filter(|(key, value)| !EXCLUDED_PAYLOAD_KEYS.contains(key) && value.is_scalar())
        .map(|(key, value)| (key.to_owned(), Value::String(value.to_text())))
        .collect()
}

/// `SendSms`'s own parameters: `PhoneNumbers`, `SignName`, `TemplateCode`, `TemplateParam`.
pub(crate) fn business_parameters<'c>(
    config: &'c AliyunConfig,
    data: &SendMessageData,
) -> Result<Vec<(&'static str, Cow<'c, str>)>, ConnectorError> {
    let phone = route_phone(&data.to, config.strict_phone_region_number_check)?;
    let template = template_for(&config.templates, data)?;
    let template_code = template
        .template_code
        .for_number(phone.region == PhoneRegion::China);
    let param = serde_json::to_string(&template_param(&data.payload)).map_err(|e| {
        ConnectorError::invalid_request_parameters("the template parameters are not valid JSON")
            .with_source(e)
    })?;
    Ok(vec![
        ("PhoneNumbers", Cow::Owned(phone.number)),
        ("SignName", Cow::Borrowed(config.sign_name.as_str())),
        ("TemplateCode", Cow::Borrowed(template_code)),
        ("TemplateParam", Cow::Owned(param)),
    ])
}

/// Every request parameter of the RPC (`v1`) signature except `Signature`: the common ones,
/// then `SendSms`'s own. (The signer sorts them.)
pub(crate) fn parameters<'c>(
    config: &'c AliyunConfig,
    data: &SendMessageData,
    context: &'c RequestContext,
) -> Result<Vec<(&'static str, Cow<'c, str>)>, ConnectorError> {
    let mut params = Vec::with_capacity(13);
    params.extend([
        ("Action", Cow::Borrowed(ACTION)),
        ("Version", Cow::Borrowed(VERSION)),
        ("Format", Cow::Borrowed("JSON")),
        ("RegionId", Cow::Borrowed(config.region_id.as_str())),
        ("AccessKeyId", Cow::Borrowed(config.access_key_id.as_str())),
        ("SignatureMethod", Cow::Borrowed(SIGNATURE_METHOD)),
        ("SignatureVersion", Cow::Borrowed(SIGNATURE_VERSION)),
        ("SignatureNonce", Cow::Borrowed(context.nonce.as_str())),
        ("Timestamp", Cow::Owned(context.utc().to_string())),
    ]);
    params.extend(business_parameters(config, data)?);
    Ok(params)
}

/// Signs the parameters of one send, every stage kept (for dry runs and tests).
pub(crate) fn sign_request(
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

/// The headers a V3 request signs, in the order they are sent: `host` (the endpoint's
/// authority, as the HTTP client sends it), the action, version, time and nonce, and the
/// empty payload's hash.
pub(crate) fn v3_headers(
    config: &AliyunConfig,
    context: &RequestContext,
) -> Vec<(&'static str, String)> {
    vec![
        ("host", config.http.endpoint.authority().to_owned()),
        ("x-acs-action", ACTION.to_owned()),
        ("x-acs-version", VERSION.to_owned()),
        ("x-acs-date", context.utc().to_string()),
        ("x-acs-signature-nonce", context.nonce.clone()),
        ("x-acs-content-sha256", v3::EMPTY_PAYLOAD_SHA256.to_owned()),
    ]
}

/// Signs one send with the V3 signature, every stage kept (for dry runs and tests).
pub(crate) fn sign_request_v3(
    config: &AliyunConfig,
    data: &SendMessageData,
    context: &RequestContext,
) -> Result<v3::Signed, ConnectorError> {
    let query = business_parameters(config, data)?;
    Ok(v3::sign(
        HttpMethod::Post,
        "/",
        query,
        v3_headers(config, context),
        v3::EMPTY_PAYLOAD_SHA256,
        &config.access_key_id,
        config.access_key_secret.expose(),
    ))
}

/// Builds the request that sends one message, signed as `signatureVersion` says. The secret
/// is in no header and no field; only the signature derived from it is sent.
pub(crate) fn build_request(
    config: &AliyunConfig,
    data: &SendMessageData,
    context: &RequestContext,
) -> Result<HttpRequest, ConnectorError> {
    match config.signature_version {
        SignatureVersion::V1 => build_request_v1(config, data, context),
        SignatureVersion::V3 => build_request_v3(config, data, context),
    }
}

/// `v3`: `POST {endpoint}/?{the parameters}` with an empty body, the `x-acs-*` headers and
/// `Authorization: ACS3-HMAC-SHA256 ...`, as Aliyun's current SDKs send it.
fn build_request_v3(
    config: &AliyunConfig,
    data: &SendMessageData,
    context: &RequestContext,
) -> Result<HttpRequest, ConnectorError> {
    let signed = sign_request_v3(config, data, context)?;
    let mut headers: Vec<HttpHeader> = v3_headers(config, context)
        .into_iter()
        .map(|(name, value)| HttpHeader::new(name, value))
        .collect();
    headers.push(HttpHeader::new("Accept", "application/json"));
    // A printed request must not be replayable: its nonce was never used.
    headers.push(HttpHeader::sensitive(
        "Authorization",
        signed.authorization.as_str(),
    ));
    Ok(HttpRequest {
        method: HttpMethod::Post,
        url: config
            .http
            .endpoint
            .url(&format!("/?{}", signed.canonical_request.query())),
        headers,
        body: Vec::new(),
        sensitive_form_fields: &[],
    })
}

/// `v1`: a form POST to `{endpoint}/`, the body being the canonical query followed by
/// `Signature`.
fn build_request_v1(
    config: &AliyunConfig,
    data: &SendMessageData,
    context: &RequestContext,
) -> Result<HttpRequest, ConnectorError> {
    let signed = sign_request(config, data, context)?;
    Ok(HttpRequest {
        method: HttpMethod::Post,
        url: config.http.endpoint.url("/"),
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
    use proptest::prelude::*;

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

    proptest! {
        #[test]
        fn routing_any_text_never_panics(to in "\\PC{0,40}", strict in any::<bool>()) {
            let _ = route_phone(&to, strict);
        }

        #[test]
        fn routing_digit_strings_never_panics(to in "[+0]{0,3}[0-9]{0,18}", strict in any::<bool>()) {
            if let Ok(phone) = route_phone(&to, strict) {
                prop_assert!(phone.number.bytes().all(|b| b.is_ascii_digit()));
                prop_assert!(!phone.number.starts_with('0'));
            }
        }
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
