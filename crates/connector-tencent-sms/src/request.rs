//! The pure request builder: config, message and request context in, the signed SendSms
//! request out.

use connector_kit::{
    ConnectorError, HttpHeader, HttpMethod, HttpRequest, PhoneRules, RequestContext,
    SendMessageData, SendMessagePayload, phone, template_for,
};
use serde::Serialize;

use crate::config::TencentConfig;
use crate::sign::{Credentials, SignedHeaders, SigningInput, sign};

/// The service name in the credential scope.
pub(crate) const SERVICE: &str = "sms";
/// The API action.
pub(crate) const ACTION: &str = "SendSms";
/// The API version.
pub(crate) const VERSION: &str = "2021-01-11";
/// The body's content type, exactly as sent and signed.
pub(crate) const CONTENT_TYPE: &str = "application/json; charset=utf-8";

/// How Tencent reads numbers: `+` (or `00`) and the country code, or a mainland China mobile
/// number given bare (11 digits starting with 1) or with `86` in front, which becomes `+86...`.
/// A `+86` number must be a mainland mobile number; anything else (spaces, dashes, a national
/// number without a country code) is `invalid_request_parameters`.
pub(crate) const PHONE_RULES: PhoneRules = PhoneRules::STRICT.with_bare_mainland(true);

/// The template parameters: the payload value of each key in `params`, in order, as text.
///
/// Strings go as they are, numbers and booleans in their JSON form. A missing key, a null, an
/// array or an object is `invalid_request_parameters` naming the key.
pub(crate) fn template_params(
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
pub(crate) fn build_request(
    config: &TencentConfig,
    data: &SendMessageData,
    context: &RequestContext,
) -> Result<HttpRequest, ConnectorError> {
    let to = phone::parse(&data.to, PHONE_RULES)?;
    let mainland = to.is_mainland_china();
    if mainland && config.sign_name.is_empty() {
        return Err(ConnectorError::invalid_config(
            "signName is empty, but messages to mainland China numbers need an approved signature",
        ));
    }
    let template = template_for(&config.templates, data)?;
    let body = SendSmsBody {
        phone_number_set: [to.e164()],
        sms_sdk_app_id: &config.sdk_app_id,
        sign_name: &config.sign_name,
        template_id: template.template_code.for_number(mainland),
        template_param_set: template_params(&template.params, &data.payload)?,
    };
    let body = serde_json::to_vec(&body)
        .map_err(|e| ConnectorError::general("could not encode the SendSms body").with_source(e))?;
    let endpoint = &config.http.endpoint;
    let host = endpoint.authority();
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
        url: endpoint.url("/"),
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
    use proptest::prelude::*;

    fn normalize_phone(to: &str) -> Result<String, ConnectorError> {
        phone::parse(to, PHONE_RULES).map(|n| n.e164().to_owned())
    }

    fn is_mainland(normalized: &str) -> bool {
        phone::parse(normalized, PHONE_RULES).is_ok_and(|n| n.is_mainland_china())
    }

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

    #[test]
    fn scalar_payload_values_are_sent_as_text() {
        let mut payload = SendMessagePayload::with_code("123456");
        payload.extra.insert("minutes".into(), serde_json::json!(5));
        payload
            .extra
            .insert("urgent".into(), serde_json::json!(true));
        let params = ["code", "minutes", "urgent"].map(String::from);
        assert_eq!(
            template_params(&params, &payload).unwrap(),
            ["123456", "5", "true"]
        );
    }

    proptest! {
        /// Moved from `tests/no_panic.rs`, which can no longer reach the parser.
        #[test]
        fn normalized_numbers_are_e164(to in "\\PC{0,20}|[+0-9]{0,18}") {
            if let Ok(number) = normalize_phone(&to) {
                prop_assert!(number.starts_with('+'));
                prop_assert!(number[1..].bytes().all(|b| b.is_ascii_digit()));
                prop_assert!((8..=16).contains(&number.len()));
                prop_assert_eq!(normalize_phone(&number).unwrap(), number.clone());
                if number.starts_with("+86") {
                    prop_assert!(is_mainland(&number));
                }
            }
        }
    }
}
