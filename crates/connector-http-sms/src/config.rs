//! The HTTP connector's config, and the rules its schema cannot say.

use std::collections::BTreeMap;

use connector_kit::checker::escape_pointer;
use connector_kit::{
    ConfigProblem, HttpSettings, Secret, TextTemplate, TextWording, require_usage_types,
};
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::Http;
use crate::request::{PLACEHOLDERS, placeholder_problem};
use crate::sign::key_of_secret;

/// The most extra headers a config may set.
pub const MAX_HEADERS: usize = 32;

/// The longest body template, in bytes of compact JSON.
pub const MAX_BODY_TEMPLATE_BYTES: usize = 16 * 1024;

/// Headers the connector sets itself, which `headers` may not set (compared without case).
pub const RESERVED_HEADERS: &[&str] = &[
    "content-type",
    "content-length",
    "host",
    "transfer-encoding",
    "connection",
    "user-agent",
    "webhook-id",
    "webhook-timestamp",
    "webhook-signature",
];

/// # HTTP SMS connector config
///
/// POSTs each message as JSON to your own service (`endpoint`), which sends the text. The
/// request can carry extra headers and a Standard Webhooks signature; its body is a
/// documented default shape, or your own JSON with `{{...}}` placeholders.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct HttpConfig {
    /// # Headers
    ///
    /// Extra request headers, such as `Authorization: Bearer ...` or an API key header.
    /// Every value is kept secret: redacted when a request is printed, removed from errors,
    /// never logged. The headers the connector sets itself (`Content-Type`, `Host`,
    /// `User-Agent`, `webhook-*`, ...) cannot be set here.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[schemars(schema_with = "headers_schema")]
    pub headers: BTreeMap<String, Secret>,

    /// # Signing secret
    ///
    /// A Standard Webhooks secret (`whsec_` and a base64 key of 24 to 64 bytes). When set,
    /// every request carries a `webhook-signature` your service can verify with any Standard
    /// Webhooks library. Kept secret: never logged or displayed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(
        with = "Secret",
        pattern(r"^whsec_[A-Za-z0-9+/]{32,88}={0,2}$"),
        example = &"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    )]
    pub signing_secret: Option<Secret>,

    /// # Body template
    ///
    /// The JSON to send instead of the default body. In its strings, `{{to}}` (the number in
    /// E.164), `{{type}}` (the usage type), `{{text}}` (the rendered template), `{{code}}`,
    /// `{{locale}}`, `{{link}}`, `{{ip}}` and `{{payload.<key>}}` are replaced, their values
    /// JSON-escaped; a value the message does not have is empty. Leave it out for the
    /// default body: `to`, `type`, `text` (with templates), `payload` and `ip` (when known).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "body_schema")]
    pub body: Option<Map<String, Value>>,

    /// # Message id pointer
    ///
    /// Where your service's JSON answer holds the message id, as a JSON pointer such as
    /// `/id` or `/data/messageId`. Leave it out to use the request's `webhook-id` as the
    /// message id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String", pattern(r"^(/([^~]|~[01])*)+$"), example = &"/data/messageId")]
    pub message_id_pointer: Option<String>,

    /// # Templates
    ///
    /// Message texts, for a service that sends the text it is given (`{{text}}`, or `text`
    /// in the default body). Optional; when given, must include Register, SignIn,
    /// ForgotPassword and Generic, and any other usage type without a template uses
    /// Generic.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(transform = require_usage_types, example = example_templates())]
    pub templates: Vec<HttpTemplate>,

    /// Endpoint and timeouts.
    #[serde(flatten)]
    pub http: HttpSettings<Http>,
}

impl HttpConfig {
    /// A config that POSTs the default body to `endpoint`, unsigned, without templates or
    /// extra headers. `Connector::new` checks it by the rules config JSON is checked by.
    pub fn new(endpoint: connector_kit::Endpoint) -> Self {
        let mut http = HttpSettings::default();
        http.endpoint = endpoint;
        Self {
            headers: BTreeMap::new(),
            signing_secret: None,
            body: None,
            message_id_pointer: None,
            templates: Vec::new(),
            http,
        }
    }

    /// The same config signing its requests with a Standard Webhooks secret.
    #[must_use]
    pub fn signed_with(mut self, secret: impl Into<String>) -> Self {
        self.signing_secret = Some(Secret::new(secret));
        self
    }

    /// The same config with one more header (its value kept secret).
    #[must_use]
    pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.insert(name.into(), Secret::new(value));
        self
    }

    /// The same config with these templates.
    #[must_use]
    pub fn with_templates(mut self, templates: Vec<HttpTemplate>) -> Self {
        self.templates = templates;
        self
    }

    /// The same config sending `body` (with placeholders) instead of the default body.
    #[must_use]
    pub fn with_body(mut self, body: Map<String, Value>) -> Self {
        self.body = Some(body);
        self
    }

    /// The same config reading the message id at `pointer` in the answer.
    #[must_use]
    pub fn with_message_id_pointer(mut self, pointer: impl Into<String>) -> Self {
        self.message_id_pointer = Some(pointer.into());
        self
    }
}

/// What the schema cannot say: reserved or clashing header names, control characters in
/// header values, the secret's key, and the body template's placeholders.
pub(crate) fn problems(config: &HttpConfig) -> Vec<ConfigProblem> {
    let mut problems = Vec::new();
    let mut report = |path: String, message: String| problems.push(ConfigProblem { path, message });
    let mut seen: Vec<String> = Vec::new();
    for (name, value) in &config.headers {
        let path = format!("/headers/{}", escape_pointer(name));
        let lower = name.to_ascii_lowercase();
        if RESERVED_HEADERS.contains(&lower.as_str()) {
            report(
                path.clone(),
                format!("the connector sets {name} itself; remove it from headers"),
            );
        }
        if seen.contains(&lower) {
            report(
                path.clone(),
                format!("{name} is set twice (header names are compared without case)"),
            );
        }
        seen.push(lower);
        if value.expose().chars().any(char::is_control) {
            report(
                path,
                "the value contains a control character (such as CR or LF)".to_owned(),
            );
        }
    }
    if let Some(secret) = &config.signing_secret {
        if let Err(why) = key_of_secret(secret.expose()) {
            report("/signingSecret".to_owned(), why);
        }
    }
    if let Some(body) = &config.body {
        let size = serde_json::to_vec(body).map_or(usize::MAX, |b| b.len());
        if size > MAX_BODY_TEMPLATE_BYTES {
            report(
                "/body".to_owned(),
                format!(
                    "the body template is {size} bytes of JSON; at most {MAX_BODY_TEMPLATE_BYTES} are allowed"
                ),
            );
        }
        let mut strings = Vec::new();
        field_leaves(body, &mut String::from("/body"), &mut strings);
        for (path, text) in strings {
            for name in connector_kit::placeholders(text) {
                if let Some(message) = placeholder_problem(name, !config.templates.is_empty()) {
                    report(path.clone(), message);
                }
            }
        }
    }
    problems
}

/// Every string value in `value`, with its JSON pointer.
fn leaves<'v>(value: &'v Value, path: &mut String, out: &mut Vec<(String, &'v str)>) {
    match value {
        Value::String(text) => out.push((path.clone(), text)),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let len = path.len();
                path.push('/');
                path.push_str(&i.to_string());
                leaves(item, path, out);
                path.truncate(len);
            }
        }
        Value::Object(fields) => field_leaves(fields, path, out),
        _ => {}
    }
}

/// [`leaves`] of each value of an object (the body template itself is one).
fn field_leaves<'v>(
    fields: &'v Map<String, Value>,
    path: &mut String,
    out: &mut Vec<(String, &'v str)>,
) {
    for (key, item) in fields {
        let len = path.len();
        path.push('/');
        path.push_str(&escape_pointer(key));
        leaves(item, path, out);
        path.truncate(len);
    }
}

fn headers_schema(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "type": "object",
        "maxProperties": MAX_HEADERS,
        "propertyNames": {
            "title": "Header name",
            "pattern": "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$",
        },
        "additionalProperties": {
            "title": "Header value",
            "type": "string",
            "pattern": connector_kit::schema::FILLED_PATTERN,
            "writeOnly": true,
            "format": "password",
        },
        "examples": [{ "Authorization": "Bearer your-service-token" }],
    })
}

fn body_schema(_: &mut SchemaGenerator) -> Schema {
    let known: Vec<String> = PLACEHOLDERS
        .iter()
        .map(|p| format!("{{{{{p}}}}}"))
        .collect();
    json_schema!({
        "type": "object",
        "examples": [{
            "phone": "{{to}}",
            "message": "{{text}}",
            "otp": "{{code}}",
            "meta": { "purpose": "{{type}}", "lang": "{{locale}}" },
        }],
        "$comment": format!("Placeholders: {}, and {{{{payload.<key>}}}}.", known.join(", ")),
    })
}

/// # HTTP template
///
/// The message text for one usage type. A [`TextTemplate`] worded for this connector.
pub type HttpTemplate = TextTemplate<HttpTemplateWording>;

/// How this connector's schema words its templates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HttpTemplateWording;

impl TextWording for HttpTemplateWording {
    const SCHEMA_NAME: &'static str = "HttpTemplate";
    const TITLE: &'static str = "HTTP template";
    const DESCRIPTION: &'static str =
        "The message text for one usage type, sent as text (or {{text}} in the body template).";
}

fn example_templates() -> Value {
    serde_json::json!([
        { "usageType": "SignIn", "content": "Your sign-in code is {{code}}. It expires in 10 minutes." },
        { "usageType": "Register", "content": "Your code to create your account is {{code}}." },
        { "usageType": "ForgotPassword", "content": "Your password reset code is {{code}}." },
        { "usageType": "Generic", "content": "Your verification code is {{code}}." },
    ])
}
