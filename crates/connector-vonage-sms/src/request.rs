//! The pure request builder: config, message and clock in, the signed HTTP request out.
//!
//! The parameters travel as an `application/x-www-form-urlencoded` body, which Vonage's
//! SMS API documents beside JSON and which its official SDKs send: every value is a string,
//! exactly what the signature covers (a JSON body would leave open how a number such as the
//! `timestamp` is written).

use connector_kit::{
    ConnectorError, HttpHeader, HttpMethod, HttpRequest, PhoneRules, RequestContext,
    SendMessageData, phone, render, template_for,
};

use crate::config::VonageConfig;
use crate::sign::sign;

/// The send path of the SMS API.
pub(crate) const SMS_PATH: &str = "/sms/json";

/// How Vonage reads numbers: always with the country code, written without `+`; a number
/// given without `+` is taken to start with its country code.
pub(crate) const PHONE_RULES: PhoneRules = PhoneRules::STRICT.with_bare_international(true);

/// Whether every character of `text` is in the GSM-7 alphabet (basic or extension table),
/// so Vonage can send it as `type=text`; anything else must go as `type=unicode` (UCS-2).
pub fn is_gsm7(text: &str) -> bool {
    connector_kit::segments::segments(text).encoding == connector_kit::Encoding::Gsm7
}

/// The text the recipient reads: the template for the message's language and usage type,
/// rendered.
pub(crate) fn rendered_text(
    config: &VonageConfig,
    data: &SendMessageData,
) -> Result<String, ConnectorError> {
    let template = template_for(&config.templates, data)?;
    Ok(render(&template.content, &data.payload))
}

/// Form fields whose values a printed request shows as `<redacted>`.
const SENSITIVE_FIELDS: &[&str] = &["api_secret", "sig"];

/// Builds the request that sends one message.
pub(crate) fn build_request(
    config: &VonageConfig,
    data: &SendMessageData,
    context: &RequestContext,
) -> Result<HttpRequest, ConnectorError> {
    let to = phone::parse(&data.to, PHONE_RULES)?;
    let text = rendered_text(config, data)?;
    let kind = if is_gsm7(&text) { "text" } else { "unicode" };
    let from = config.from.strip_prefix('+').unwrap_or(&config.from);
    let mut params: Vec<(&str, &str)> = vec![
        ("api_key", &config.api_key),
        ("from", from),
        ("to", to.digits()),
        ("text", &text),
        ("type", kind),
    ];
    let timestamp;
    let signature;
    match (&config.signature_secret, &config.api_secret) {
        (Some(secret), _) => {
            timestamp = context.unix_time.to_string();
            params.push(("timestamp", &timestamp));
            signature = sign(
                config.signature_method,
                params.iter().copied(),
                secret.expose(),
            )
            .signature;
            params.push(("sig", signature.as_str()));
        }
        (None, Some(secret)) => params.push(("api_secret", secret.expose())),
        (None, None) => {
            return Err(ConnectorError::invalid_config(
                "the config has neither apiSecret nor signatureSecret",
            ));
        }
    }
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(params)
        .finish();
    Ok(HttpRequest {
        method: HttpMethod::Post,
        url: config.http.endpoint.url(SMS_PATH),
        headers: vec![
            HttpHeader::new("Content-Type", "application/x-www-form-urlencoded"),
            HttpHeader::new("Accept", "application/json"),
        ],
        body: body.into_bytes(),
        sensitive_form_fields: SENSITIVE_FIELDS,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gsm7_detection() {
        assert!(is_gsm7("Your code is 123456. Über? Ja: ÄÖÑÜ äöñüà €[]{}"));
        assert!(is_gsm7("@£$¥ 100% & <ok> _"));
        assert!(!is_gsm7("验证码 123456"));
        assert!(!is_gsm7("code 😀"));
        assert!(!is_gsm7("back`tick"));
        assert!(!is_gsm7("ç lower-case c cedilla is not GSM-7 (only Ç is)"));
        assert!(!is_gsm7("naïve: ï is not GSM-7"));
        assert!(is_gsm7(""));
    }

    #[test]
    fn numbers_are_digits_with_the_country_code() {
        let digits = |to| phone::parse(to, PHONE_RULES).map(|n| n.digits().to_owned());
        assert_eq!(digits("+447700900000").unwrap(), "447700900000");
        assert_eq!(digits("447700900000").unwrap(), "447700900000");
        assert!(digits("+44 7700").is_err());
    }
}
