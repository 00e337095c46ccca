//! The pure request builder: config and message in, the signed `Publish` request out.

use connector_kit::{
    ConnectorError, HttpHeader, HttpMethod, HttpRequest, PhoneRules, RequestContext,
    SendMessageData, phone, render, template_for,
};

use crate::config::SnsConfig;
use std::fmt::Write as _;
use std::sync::Mutex;

use crate::sign::{CredentialScope, Credentials, SigningInput, SigningKey, amz_date, sign_with};

/// The SigV4 service name of SNS.
pub(crate) const SERVICE: &str = "sns";
/// The Query API version.
pub(crate) const VERSION: &str = "2010-03-31";
/// The body's type, as the AWS SDKs send it.
pub(crate) const CONTENT_TYPE: &str = "application/x-www-form-urlencoded; charset=utf-8";
/// The longest message text the connector sends, in characters; SNS splits a long text into
/// several SMS parts.
pub(crate) const MAX_MESSAGE_CHARS: usize = 1_600;

/// How SNS reads numbers: E.164; a number without `+` already starts with its country code.
pub(crate) const PHONE_RULES: PhoneRules = PhoneRules::STRICT.with_bare_international(true);

/// The form body of one `Publish` to a phone number, with the SMS attributes the config sets.
/// The signing key of the last scope a config signed for (one day, region and service), so
/// that the four HMACs deriving it run once a day rather than on every request, as AWS's SDKs
/// do. It is not part of the config's JSON, a clone starts empty, and it never prints.
#[derive(Default)]
pub(crate) struct KeyCache(Mutex<Option<(CredentialScope, String, SigningKey)>>);

impl KeyCache {
    /// The key of `secret` for `scope`: the kept one when both match, else derived and kept.
    fn key(&self, secret: &str, scope: &CredentialScope) -> SigningKey {
        let mut kept = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        match &*kept {
            Some((s, k, key)) if s == scope && k == secret => key.clone(),
            _ => {
                let key = SigningKey::derive(secret, scope);
                *kept = Some((scope.clone(), secret.to_owned(), key.clone()));
                key
            }
        }
    }
}

impl Clone for KeyCache {
    fn clone(&self) -> Self {
        Self::default()
    }
}

impl std::fmt::Debug for KeyCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("KeyCache")
    }
}

pub(crate) fn publish_form(config: &SnsConfig, to: &str, message: &str) -> String {
    let mut form = form_urlencoded::Serializer::new(String::new());
    form.append_pair("Action", "Publish")
        .append_pair("PhoneNumber", to)
        .append_pair("Message", message);
    let attributes = [
        ("AWS.SNS.SMS.SMSType", Some(config.sms_type.as_str())),
        ("AWS.SNS.SMS.SenderID", config.sender_id.as_deref()),
        (
            "AWS.MM.SMS.OriginationNumber",
            config.origination_number.as_deref(),
        ),
    ];
    let mut key = String::with_capacity(48);
    for (n, (name, value)) in attributes
        .iter()
        .filter_map(|(name, value)| value.map(|v| (*name, v)))
        .enumerate()
    {
        // Each field's name written into one reused buffer.
        for (field, field_value) in [
            ("Name", name),
            ("Value.DataType", "String"),
            ("Value.StringValue", value),
        ] {
            key.clear();
            let _ = write!(key, "MessageAttributes.entry.{}.{field}", n + 1);
            form.append_pair(&key, field_value);
        }
    }
    form.append_pair("Version", VERSION);
    form.finish()
}

/// The text the recipient reads: the template for the message's language and usage type,
/// rendered, refused before any request when it is over the limit.
pub(crate) fn rendered_text(
    config: &SnsConfig,
    data: &SendMessageData,
) -> Result<String, ConnectorError> {
    let template = template_for(&config.templates, data)?;
    let message = render(&template.content, &data.payload);
    let length = message.chars().count();
    if length > MAX_MESSAGE_CHARS {
        let parts = connector_kit::segments::segments(&message);
        return Err(ConnectorError::invalid_request_parameters(format!(
            "the rendered message is {length} characters ({} segments of {}), over the connector's limit of {MAX_MESSAGE_CHARS} characters",
            parts.count, parts.encoding
        )));
    }
    Ok(message)
}

/// Builds the request that sends one message: a form POST to `{endpoint}/`, signed with
/// SigV4 for the config's region and the `sns` service.
pub(crate) fn build_request(
    config: &SnsConfig,
    data: &SendMessageData,
    context: &RequestContext,
) -> Result<HttpRequest, ConnectorError> {
    let to = phone::parse(&data.to, PHONE_RULES)?;
    let message = rendered_text(config, data)?;
    let endpoint = config.endpoint()?;
    let body = publish_form(config, to.e164(), &message).into_bytes();
    let date = amz_date(context.unix_time);
    let host = endpoint.authority();
    let token = config.session_token.as_ref().map(|t| t.expose());
    let mut signed_headers = vec![
        ("Content-Type", CONTENT_TYPE),
        ("Host", host),
        ("X-Amz-Date", date.as_str()),
    ];
    if let Some(token) = token {
        signed_headers.push(("X-Amz-Security-Token", token));
    }
    let secret = config.secret_access_key.expose();
    let signed = sign_with(
        &Credentials::new(&config.access_key_id, secret),
        &SigningInput {
            method: "POST",
            path: "/",
            query: "",
            headers: &signed_headers,
            body: &body,
            unix_time: context.unix_time,
            region: &config.region,
            service: SERVICE,
        },
        |scope| config.signing_key.key(secret, scope),
    );
    let mut headers = vec![
        // The access key ID, the scope and a signature of this one request; never the secret.
        // Sensitive, so a printed (dry-run) request does not show a replayable signature.
        HttpHeader::sensitive("Authorization", signed.authorization.to_string()),
        HttpHeader::new("Content-Type", CONTENT_TYPE),
        HttpHeader::new("Host", host),
        HttpHeader::new("X-Amz-Date", date.clone()),
    ];
    if let Some(token) = token {
        headers.push(HttpHeader::sensitive("X-Amz-Security-Token", token));
    }
    Ok(HttpRequest {
        method: HttpMethod::Post,
        url: endpoint.url("/"),
        headers,
        body,
        sensitive_form_fields: &[],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::SmsType;

    #[test]
    fn the_kept_key_is_the_derived_key_of_its_scope_and_secret() {
        let cache = KeyCache::default();
        let day = |t| CredentialScope::new(t, "us-east-1", "sns");
        let derived = |secret, t| SigningKey::derive(secret, &day(t));
        let (monday, tuesday) = (1_440_938_160, 1_440_938_160 + 86_400);
        for (secret, t) in [
            ("a", monday),
            ("a", monday),  // kept
            ("b", monday),  // another secret
            ("b", tuesday), // another day
            ("a", tuesday),
        ] {
            assert_eq!(
                cache.key(secret, &day(t)),
                derived(secret, t),
                "{secret} {t}"
            );
        }
        let other_region = CredentialScope::new(monday, "eu-west-1", "sns");
        assert_eq!(
            cache.key("a", &other_region),
            SigningKey::derive("a", &other_region)
        );
        assert_eq!(format!("{cache:?}"), "KeyCache");
    }

    #[test]
    fn attributes_are_numbered_in_order_without_gaps() {
        let mut config = SnsConfig::new("AKIA", "s", "us-east-1", vec![]);
        let form = publish_form(&config, "+14155550100", "Code 1 & 2");
        assert_eq!(
            form,
            "Action=Publish&PhoneNumber=%2B14155550100&Message=Code+1+%26+2\
             &MessageAttributes.entry.1.Name=AWS.SNS.SMS.SMSType\
             &MessageAttributes.entry.1.Value.DataType=String\
             &MessageAttributes.entry.1.Value.StringValue=Transactional&Version=2010-03-31"
        );
        config.sms_type = SmsType::Promotional;
        config.origination_number = Some("+18005550100".into());
        let form = publish_form(&config, "+14155550100", "x");
        assert!(
            form.contains("entry.1.Value.StringValue=Promotional"),
            "{form}"
        );
        assert!(
            form.contains("entry.2.Name=AWS.MM.SMS.OriginationNumber"),
            "{form}"
        );
        config.sender_id = Some("Acme".into());
        let form = publish_form(&config, "+14155550100", "x");
        assert!(form.contains("entry.2.Name=AWS.SNS.SMS.SenderID"), "{form}");
        assert!(
            form.contains("entry.3.Value.StringValue=%2B18005550100"),
            "{form}"
        );
    }
}
