//! The pure request builder: config and message in, the signed HTTP request out.

use connector_kit::{
    ConnectorError, HttpHeader, HttpMethod, HttpRequest, PhoneRules, SendMessageData, phone,
    render, template_for,
};

use crate::config::{Credentials, Sender, TwilioConfig};
use crate::sign::basic_auth;

/// The longest body Twilio accepts, in characters.
pub(crate) const MAX_BODY_CHARS: usize = 1_600;

/// How Twilio reads numbers: a number without `+` already starts with its country code. The
/// length rule is the kit's, as for every connector.
pub(crate) const PHONE_RULES: PhoneRules = PhoneRules::STRICT.with_bare_international(true);

/// The Messages resource path of an account.
pub(crate) fn messages_path(account_sid: &str) -> String {
    format!("/2010-04-01/Accounts/{account_sid}/Messages.json")
}

/// The text the recipient reads: the usage type's template (or `Generic`) rendered with the
/// payload, refused before any request when it is over Twilio's limit.
pub(crate) fn rendered_text(
    config: &TwilioConfig,
    data: &SendMessageData,
) -> Result<String, ConnectorError> {
    let template = template_for(&config.templates, data)?;
    let body = render(&template.content, &data.payload);
    let length = body.chars().count();
    if length > MAX_BODY_CHARS {
        let parts = connector_kit::segments::segments(&body);
        return Err(ConnectorError::invalid_request_parameters(format!(
            "the rendered message is {length} characters ({} segments of {}), over Twilio's limit of {MAX_BODY_CHARS} characters",
            parts.count, parts.encoding
        )));
    }
    Ok(body)
}

/// Builds the request that sends one message.
pub(crate) fn build_request(
    config: &TwilioConfig,
    data: &SendMessageData,
) -> Result<HttpRequest, ConnectorError> {
    let to = phone::parse(&data.to, PHONE_RULES)?;
    let body = rendered_text(config, data)?;
    // The schema guarantees both; a config built in Rust around it is refused here.
    let sender = config.sender().ok_or_else(|| {
        ConnectorError::invalid_config(
            "set exactly one of fromMessagingServiceSID and from".to_owned(),
        )
    })?;
    let authorization = match config.credentials() {
        Some(Credentials::ApiKey { sid, secret }) => basic_auth(sid, secret.expose()),
        Some(Credentials::AuthToken(token)) => basic_auth(&config.account_sid, token.expose()),
        None => {
            return Err(ConnectorError::invalid_config(
                "set authToken, or apiKeySID and apiKeySecret".to_owned(),
            ));
        }
    };
    let (sender_field, sender_value) = match sender {
        Sender::MessagingService(sid) => ("MessagingServiceSid", sid),
        Sender::From(from) => ("From", from),
    };
    let form = form_urlencoded::Serializer::new(String::new())
        .append_pair("To", to.e164())
        .append_pair(sender_field, sender_value)
        .append_pair("Body", &body)
        .append_pair(
            "RiskCheck",
            if config.disable_risk_check {
                "disable"
            } else {
                "enable"
            },
        )
        .finish();
    Ok(HttpRequest {
        method: HttpMethod::Post,
        url: config
            .http
            .endpoint
            .url(&messages_path(&config.account_sid)),
        headers: vec![
            HttpHeader::sensitive("Authorization", authorization),
            HttpHeader::new("Content-Type", "application/x-www-form-urlencoded"),
            HttpHeader::new("Accept", "application/json"),
        ],
        body: form.into_bytes(),
        sensitive_form_fields: &[],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use connector_kit::ConnectorErrorCode;

    #[test]
    fn phone_numbers_are_normalized_to_e164() {
        let normalize_phone = |to| phone::parse(to, PHONE_RULES).map(|n| n.e164().to_owned());
        assert_eq!(normalize_phone("+14155550100").unwrap(), "+14155550100");
        assert_eq!(normalize_phone("14155550100").unwrap(), "+14155550100");
        assert_eq!(normalize_phone("+8613800138000").unwrap(), "+8613800138000");
        for bad in [
            "",
            "+",
            "+123456",
            "+1234567890123456",
            "+1 415 555 0100",
            "00861380013800",
            "+1-415",
            "phone",
        ] {
            let error = normalize_phone(bad).unwrap_err();
            assert_eq!(
                error.code(),
                ConnectorErrorCode::InvalidRequestParameters,
                "{bad}"
            );
        }
    }
}
