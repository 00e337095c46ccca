//! The pure request builder: config, message and clock in, the signed HTTP request out.
//!
//! The body is the default shape, or the config's body template with its placeholders
//! replaced in string values (so a value can never break out of its JSON string). Every
//! request carries `webhook-id` (`msg_` and the request's nonce) and `webhook-timestamp`, so
//! a service can recognise a repeated delivery; with a signing secret it also carries
//! `webhook-signature`.

use std::borrow::Cow;

use connector_kit::template::lookup;
use connector_kit::{
    ConnectorError, HttpHeader, HttpMethod, HttpRequest, PhoneNumber, PhoneRules, RequestContext,
    SendMessageData, phone, render, render_with, suggest, template_for,
};
use serde_json::{Map, Value};

use crate::config::HttpConfig;
use crate::sign::{key_of_secret, sign};

/// How the service receives numbers: E.164, with the kit's strict rules (a number without
/// `+` is refused, since its country cannot be known).
pub(crate) const PHONE_RULES: PhoneRules = PhoneRules::STRICT;

/// The placeholders a body template may use besides `{{payload.<key>}}`.
pub(crate) const PLACEHOLDERS: &[&str] = &[
    "to",
    "type",
    "text",
    "code",
    "locale",
    "link",
    "uiLocales",
    "ip",
    "payload",
];

/// What is wrong with a placeholder of the body template, if anything.
pub(crate) fn placeholder_problem(name: &str, has_templates: bool) -> Option<String> {
    let root = name.split('.').next().unwrap_or(name);
    if name == "text" && !has_templates {
        return Some(
            "{{text}} is the rendered template, but the config has no templates".to_owned(),
        );
    }
    if root == "payload" || (PLACEHOLDERS.contains(&name) && !name.contains('.')) {
        return None;
    }
    let hint = suggest::closest(name, PLACEHOLDERS.iter().copied())
        .map(|close| format!(" (did you mean {{{{{close}}}}}?)"))
        .unwrap_or_default();
    Some(format!(
        "unknown placeholder {{{{{name}}}}}{hint}; the body template knows {}, and {{{{payload.<key>}}}}",
        PLACEHOLDERS
            .iter()
            .map(|p| format!("{{{{{p}}}}}"))
            .collect::<Vec<_>>()
            .join(", ")
    ))
}

/// The text the recipient reads, when the config has templates.
pub(crate) fn rendered_text(
    config: &HttpConfig,
    data: &SendMessageData,
) -> Result<Option<String>, ConnectorError> {
    if config.templates.is_empty() {
        return Ok(None);
    }
    let template = template_for(&config.templates, data)?;
    Ok(Some(render(&template.content, &data.payload)))
}

/// The `webhook-id` of the request built with `context`, which is also the message id when
/// the config names no `messageIdPointer`.
pub(crate) fn message_id(context: &RequestContext) -> String {
    format!("msg_{}", context.nonce)
}

/// Builds the request that sends one message.
pub(crate) fn build_request(
    config: &HttpConfig,
    data: &SendMessageData,
    context: &RequestContext,
) -> Result<HttpRequest, ConnectorError> {
    let to = phone::parse(&data.to, PHONE_RULES)?;
    let text = rendered_text(config, data)?;
    let body = match &config.body {
        Some(template) => Value::Object(fill_fields(template, data, &to, text.as_deref())),
        None => default_body(data, &to, text),
    };
    let body = serde_json::to_vec(&body).map_err(|e| {
        ConnectorError::invalid_request_parameters("the body cannot be written as JSON")
            .with_source(e)
    })?;
    let id = message_id(context);
    let signature = match &config.signing_secret {
        Some(secret) => {
            let key = key_of_secret(secret.expose()).map_err(|why| {
                ConnectorError::invalid_config(format!("signingSecret is not usable: {why}"))
            })?;
            Some(sign(&key, &id, context.unix_time, &body))
        }
        None => None,
    };
    let mut headers = Vec::with_capacity(config.headers.len() + 5);
    headers.push(HttpHeader::new("Content-Type", "application/json"));
    headers.push(HttpHeader::new("Accept", "application/json"));
    headers.push(HttpHeader::new("webhook-id", id));
    headers.push(HttpHeader::new(
        "webhook-timestamp",
        context.unix_time.to_string(),
    ));
    if let Some(signature) = signature {
        headers.push(HttpHeader::sensitive("webhook-signature", signature));
    }
    for (name, value) in &config.headers {
        headers.push(HttpHeader::sensitive(name.clone(), value.expose()));
    }
    Ok(HttpRequest {
        method: HttpMethod::Post,
        url: config.http.endpoint.whole_url(),
        headers,
        body,
        sensitive_form_fields: &[],
    })
}

/// The default body: `to`, `type`, `text` (with templates), `payload`, `ip` (when known).
fn default_body(data: &SendMessageData, to: &PhoneNumber, text: Option<String>) -> Value {
    let mut body = Map::with_capacity(5);
    body.insert("to".into(), Value::String(to.e164().to_owned()));
    body.insert(
        "type".into(),
        Value::String(data.template_type.as_str().to_owned()),
    );
    if let Some(text) = text {
        body.insert("text".into(), Value::String(text));
    }
    body.insert(
        "payload".into(),
        serde_json::to_value(&data.payload).unwrap_or_else(|_| Value::Object(Map::new())),
    );
    if let Some(ip) = &data.ip {
        body.insert("ip".into(), Value::String(ip.clone()));
    }
    Value::Object(body)
}

/// The body template with every placeholder of its string values replaced.
fn fill(template: &Value, data: &SendMessageData, to: &PhoneNumber, text: Option<&str>) -> Value {
    match template {
        Value::String(s) if s.contains("{{") => Value::String(render_with(s, |name| {
            Some(value_of(name, data, to, text).into_owned())
        })),
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|item| fill(item, data, to, text))
                .collect(),
        ),
        Value::Object(fields) => Value::Object(fill_fields(fields, data, to, text)),
        other => other.clone(),
    }
}

/// [`fill`] for each value of an object (the template itself is one).
fn fill_fields(
    fields: &Map<String, Value>,
    data: &SendMessageData,
    to: &PhoneNumber,
    text: Option<&str>,
) -> Map<String, Value> {
    fields
        .iter()
        .map(|(key, item)| (key.clone(), fill(item, data, to, text)))
        .collect()
}

/// The text of one placeholder; empty when the message has no such value.
fn value_of<'a>(
    name: &str,
    data: &'a SendMessageData,
    to: &'a PhoneNumber,
    text: Option<&'a str>,
) -> Cow<'a, str> {
    match name {
        "to" => Cow::Borrowed(to.e164()),
        "type" => Cow::Borrowed(data.template_type.as_str()),
        "text" => Cow::Borrowed(text.unwrap_or_default()),
        "ip" => Cow::Borrowed(data.ip.as_deref().unwrap_or_default()),
        "payload" => Cow::Owned(serde_json::to_string(&data.payload).unwrap_or_default()),
        _ => {
            let path = name.strip_prefix("payload.").unwrap_or(name);
            Cow::Owned(lookup(&data.payload, path).unwrap_or_default())
        }
    }
}
