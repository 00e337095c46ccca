//! Config pieces the connectors share: [`HttpSettings`] (endpoint and timeouts), which each
//! provider config flattens; [`RegionalCode`], a code per mainland China or overseas
//! recipient; and integer parsing that agrees with JSON Schema.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;
use std::time::Duration;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use crate::connector::Provider;
use crate::http::{DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_TIMEOUT_MS, Endpoint, HttpOptions};
use crate::message::{TemplateType, UsageTemplate};

/// Deserializes a non-negative integer that JSON may spell `1500` or `1500.0`.
///
/// JSON Schema counts `1500.0` as an integer, and so do JavaScript validators; serde does not.
/// Use it on integer config fields (`#[serde(deserialize_with = "connector_kit::config::deserialize_u64")]`)
/// so that the schema and the parser agree.
pub fn deserialize_u64<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
    let value = serde_json::Number::deserialize(deserializer)?;
    if let Some(n) = value.as_u64() {
        return Ok(n);
    }
    match value.as_f64() {
        Some(f) if f.fract() == 0.0 && (0.0..=u64::MAX as f64).contains(&f) => Ok(f as u64),
        _ => Err(serde::de::Error::custom(format!(
            "expected a non-negative integer, found {value}"
        ))),
    }
}

/// Where a connector sends and how long it waits: the `endpoint`, `timeoutMs` and
/// `connectTimeoutMs` keys of every provider config, which flattens this struct
/// (`#[serde(flatten)] pub http: HttpSettings<MyProvider>`).
///
/// The provider type fills in the default endpoint and the wording of the descriptions, so
/// that each connector's schema speaks of its own provider. The settings remember whether the
/// config named an endpoint ([`HttpSettings::explicit_endpoint`]), so that a provider whose
/// origin follows from other keys (AWS: the region) can derive it, and so that its config
/// without `endpoint` serializes without it.
#[derive(Deserialize, Serialize)]
#[serde(bound = "", from = "HttpSettingsJson", into = "HttpSettingsJson")]
pub struct HttpSettings<P: Provider> {
    /// The API origin: the one the config names, else the provider's default.
    pub endpoint: Endpoint,
    /// How long one send may take in all, from connecting to the end of the answer.
    pub timeout_ms: u64,
    /// How long connecting may take.
    pub connect_timeout_ms: u64,
    endpoint_given: bool,
    provider: PhantomData<fn() -> P>,
}

/// [`HttpSettings`] as config JSON spells it.
#[derive(Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
struct HttpSettingsJson {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    endpoint: Option<Endpoint>,
    #[serde(default = "default_timeout_ms", deserialize_with = "deserialize_u64")]
    timeout_ms: u64,
    #[serde(
        default = "default_connect_timeout_ms",
        deserialize_with = "deserialize_u64"
    )]
    connect_timeout_ms: u64,
}

impl<P: Provider> From<HttpSettingsJson> for HttpSettings<P> {
    fn from(json: HttpSettingsJson) -> Self {
        Self {
            endpoint_given: json.endpoint.is_some(),
            endpoint: json.endpoint.unwrap_or_else(default_endpoint::<P>),
            timeout_ms: json.timeout_ms,
            connect_timeout_ms: json.connect_timeout_ms,
            provider: PhantomData,
        }
    }
}

impl<P: Provider> From<HttpSettings<P>> for HttpSettingsJson {
    fn from(settings: HttpSettings<P>) -> Self {
        Self {
            // A derived endpoint is left out, so that the config JSON derives it again.
            endpoint: (!P::ENDPOINT_DERIVED || settings.explicit_endpoint().is_some())
                .then_some(settings.endpoint),
            timeout_ms: settings.timeout_ms,
            connect_timeout_ms: settings.connect_timeout_ms,
        }
    }
}

/// The bounds of `timeoutMs`, in milliseconds.
pub const TIMEOUT_RANGE_MS: (u64, u64) = (100, 120_000);
/// The bounds of `connectTimeoutMs`, in milliseconds.
pub const CONNECT_TIMEOUT_RANGE_MS: (u64, u64) = (100, 60_000);

fn default_endpoint<P: Provider>() -> Endpoint {
    #[expect(
        clippy::unwrap_used,
        reason = "a provider constant, parsed by every provider's contract suite"
    )]
    Endpoint::parse_url(P::DEFAULT_ENDPOINT).unwrap()
}

fn default_timeout_ms() -> u64 {
    DEFAULT_TIMEOUT_MS
}

fn default_connect_timeout_ms() -> u64 {
    DEFAULT_CONNECT_TIMEOUT_MS
}

impl<P: Provider> HttpSettings<P> {
    /// The endpoint the config names, or `None` when the provider's default applies: the
    /// config had no `endpoint` key, and [`HttpSettings::endpoint`] was not changed from the
    /// default since.
    pub fn explicit_endpoint(&self) -> Option<&Endpoint> {
        // Compared as text: parsing the default again would cost a pattern match per send
        // for a provider that derives its endpoint.
        let default = P::DEFAULT_ENDPOINT.trim_end_matches('/');
        (self.endpoint_given || self.endpoint.to_string() != default).then_some(&self.endpoint)
    }

    /// The client options these settings give.
    pub fn options(&self) -> HttpOptions {
        HttpOptions {
            endpoint: self.endpoint.clone(),
            connect_timeout: Duration::from_millis(self.connect_timeout_ms),
            timeout: Duration::from_millis(self.timeout_ms),
        }
    }
}

impl<P: Provider> Default for HttpSettings<P> {
    fn default() -> Self {
        Self {
            endpoint: default_endpoint::<P>(),
            timeout_ms: DEFAULT_TIMEOUT_MS,
            connect_timeout_ms: DEFAULT_CONNECT_TIMEOUT_MS,
            endpoint_given: false,
            provider: PhantomData,
        }
    }
}

impl<P: Provider> Clone for HttpSettings<P> {
    fn clone(&self) -> Self {
        Self {
            endpoint: self.endpoint.clone(),
            timeout_ms: self.timeout_ms,
            connect_timeout_ms: self.connect_timeout_ms,
            endpoint_given: self.endpoint_given,
            provider: PhantomData,
        }
    }
}

impl<P: Provider> fmt::Debug for HttpSettings<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpSettings")
            .field("endpoint", &self.endpoint)
            .field("timeout_ms", &self.timeout_ms)
            .field("connect_timeout_ms", &self.connect_timeout_ms)
            .finish()
    }
}

/// The three properties, worded for the provider; a config that flattens the settings shows
/// them in its own `properties`.
impl<P: Provider> JsonSchema for HttpSettings<P> {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        format!("HttpSettings_{}", P::ID).into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let name = P::NAME;
        // A derived default depends on other keys, so the schema gives it as an example only:
        // a console would otherwise fill it in, and the config would no longer derive it.
        let endpoint_default = if P::ENDPOINT_DERIVED || P::ENDPOINT_IS_URL {
            ("examples", serde_json::json!([P::DEFAULT_ENDPOINT]))
        } else {
            ("default", serde_json::json!(P::DEFAULT_ENDPOINT))
        };
        let mut schema = json_schema!({
            "type": "object",
            "properties": {
                "endpoint": {
                    "type": "string",
                    "pattern": if P::ENDPOINT_IS_URL {
                        crate::http::URL_PATTERN
                    } else {
                        crate::http::ENDPOINT_PATTERN
                    },
                    "title": "Endpoint",
                    "description": P::ENDPOINT_DESCRIPTION,
                },
                "timeoutMs": {
                    "type": "integer",
                    "default": DEFAULT_TIMEOUT_MS,
                    "minimum": TIMEOUT_RANGE_MS.0,
                    "title": "Timeout (ms)",
                    "description": format!(
                        "How long one send may take in all, from connecting to the end of {name}'s answer."
                    ),
                    "maximum": TIMEOUT_RANGE_MS.1,
                },
                "connectTimeoutMs": {
                    "type": "integer",
                    "default": DEFAULT_CONNECT_TIMEOUT_MS,
                    "minimum": CONNECT_TIMEOUT_RANGE_MS.0,
                    "title": "Connect timeout (ms)",
                    "description": format!("How long connecting to {name} may take."),
                    "maximum": CONNECT_TIMEOUT_RANGE_MS.1,
                },
            },
        });
        if let Some(endpoint) = schema
            .get_mut("properties")
            .and_then(|properties| properties.get_mut("endpoint"))
            .and_then(serde_json::Value::as_object_mut)
        {
            let (keyword, value) = endpoint_default;
            endpoint.insert(keyword.into(), value);
        }
        if P::ENDPOINT_IS_URL {
            schema.insert("required".into(), serde_json::json!(["endpoint"]));
        }
        schema
    }
}

/// How a provider words its [`TextTemplate`] in its schema.
pub trait TextWording {
    /// The schema's name for the type, e.g. `TwilioTemplate`.
    const SCHEMA_NAME: &'static str;
    /// The title, e.g. "Twilio template".
    const TITLE: &'static str;
    /// What one template is, e.g. "The message body sent for one usage type."
    const DESCRIPTION: &'static str;
}

/// The longest template text, in characters: what Twilio, Vonage and SNS accept in one
/// request (ten segments of GSM-7).
pub const MAX_TEMPLATE_CHARS: u64 = 1_600;

/// A template of a connector that sends its own text (Twilio, Vonage, AWS SNS): the usage
/// type, the text with `{{...}}` placeholders, and the language, in Logto's shape
/// (`{"usageType", "content"}`) plus the optional `locale`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", bound = "")]
#[non_exhaustive]
pub struct TextTemplate<W: TextWording> {
    /// What the message is for.
    pub usage_type: TemplateType,
    /// The message text; `{{code}}` is replaced by the verification code.
    pub content: String,
    /// The language of the template (a BCP 47 tag), or `None` for every language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    #[serde(skip)]
    wording: PhantomData<fn() -> W>,
}

impl<W: TextWording> TextTemplate<W> {
    /// The text for one usage type, for every language.
    pub fn new(usage_type: TemplateType, content: impl Into<String>) -> Self {
        Self {
            usage_type,
            content: content.into(),
            locale: None,
            wording: PhantomData,
        }
    }

    /// The same template for one language (a BCP 47 tag such as `zh-CN`).
    #[must_use]
    pub fn with_locale(mut self, locale: impl Into<String>) -> Self {
        self.locale = Some(locale.into());
        self
    }
}

impl<W: TextWording> UsageTemplate for TextTemplate<W> {
    fn usage_type(&self) -> TemplateType {
        self.usage_type
    }

    fn locale(&self) -> Option<&str> {
        self.locale.as_deref()
    }
}

impl<W: TextWording> JsonSchema for TextTemplate<W> {
    fn schema_name() -> Cow<'static, str> {
        W::SCHEMA_NAME.into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let mut usage_type = generator.subschema_for::<TemplateType>().to_value();
        if let Value::Object(field) = &mut usage_type {
            field.insert("title".into(), "Usage type".into());
            field.insert("description".into(), "What the message is for.".into());
        }
        json_schema!({
            "title": W::TITLE,
            "description": W::DESCRIPTION,
            "type": "object",
            "properties": {
                "usageType": usage_type,
                "content": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": MAX_TEMPLATE_CHARS,
                    "title": "Content",
                    "description": "The message text. {{code}} is replaced by the verification code; other payload keys work the same way ({{link}}, {{org.name}}).",
                },
                "locale": {
                    "type": ["string", "null"],
                    "pattern": crate::schema::LOCALE_PATTERN,
                    "title": "Locale",
                    "description": "The language of this template, a BCP 47 tag such as en, zh-CN or zh-Hant-TW; leave it out for a template every language may use. A message's payload.locale, then its uiLocales, pick the language (zh-Hant-TW, then zh-Hant, then zh, then the templates without a locale), and within a language the usage type falls back to Generic.",
                    "examples": ["zh-CN"],
                },
            },
            "required": ["usageType", "content"],
        })
    }
}

/// How a provider words its [`RegionalCode`] in its schema.
pub trait CodeWording {
    /// The schema's name for the type, e.g. `TemplateCode`.
    const SCHEMA_NAME: &'static str;
    /// The title of the one-code form, e.g. "a template code".
    const SINGLE_TITLE: &'static str;
    /// The description of `china`.
    const CHINA_DESCRIPTION: &'static str;
    /// The description of `overseas`.
    const OVERSEAS_DESCRIPTION: &'static str;
}

/// A provider code (a template code, a template id) for every number, or one for mainland
/// China mobile numbers and one for every other number: what Aliyun and Tencent Cloud need,
/// since their domestic and international templates are approved separately.
///
/// In config JSON it is a string, or `{ "china": ..., "overseas": ... }`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(transparent, bound = "")]
pub struct RegionalCode<W: CodeWording> {
    codes: Codes,
    #[serde(skip)]
    wording: PhantomData<fn() -> W>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(untagged)]
enum Codes {
    Single(String),
    Regional { china: String, overseas: String },
}

impl<W: CodeWording> RegionalCode<W> {
    /// One code for every number.
    pub fn single(code: impl Into<String>) -> Self {
        Self::from_codes(Codes::Single(code.into()))
    }

    /// A code for mainland China numbers and one for every other number.
    pub fn regional(china: impl Into<String>, overseas: impl Into<String>) -> Self {
        Self::from_codes(Codes::Regional {
            china: china.into(),
            overseas: overseas.into(),
        })
    }

    fn from_codes(codes: Codes) -> Self {
        Self {
            codes,
            wording: PhantomData,
        }
    }

    /// The code for a recipient, a mainland China mobile number or not.
    pub fn for_number(&self, mainland_china: bool) -> &str {
        match &self.codes {
            Codes::Single(code) => code,
            Codes::Regional { china, .. } if mainland_china => china,
            Codes::Regional { overseas, .. } => overseas,
        }
    }
}

impl<W: CodeWording> From<&str> for RegionalCode<W> {
    fn from(code: &str) -> Self {
        Self::single(code)
    }
}

impl<W: CodeWording> From<String> for RegionalCode<W> {
    fn from(code: String) -> Self {
        Self::single(code)
    }
}

/// `anyOf` a filled-in string and an object with both codes, each branch titled so that a
/// validator names the shapes it expected.
impl<W: CodeWording> JsonSchema for RegionalCode<W> {
    fn schema_name() -> Cow<'static, str> {
        W::SCHEMA_NAME.into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "anyOf": [
                {
                    "title": W::SINGLE_TITLE,
                    "type": "string",
                    "pattern": crate::schema::FILLED_PATTERN,
                },
                {
                    "title": "separate codes for mainland China and other numbers",
                    "type": "object",
                    "properties": {
                        "china": {
                            "description": W::CHINA_DESCRIPTION,
                            "type": "string",
                            "pattern": crate::schema::FILLED_PATTERN,
                        },
                        "overseas": {
                            "description": W::OVERSEAS_DESCRIPTION,
                            "type": "string",
                            "pattern": crate::schema::FILLED_PATTERN,
                        },
                    },
                    "required": ["china", "overseas"],
                    "additionalProperties": false,
                },
            ],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    #[derive(Debug, Clone, PartialEq, Eq)]
    struct Words;
    impl CodeWording for Words {
        const SCHEMA_NAME: &'static str = "Code";
        const SINGLE_TITLE: &'static str = "a code";
        const CHINA_DESCRIPTION: &'static str = "China";
        const OVERSEAS_DESCRIPTION: &'static str = "overseas";
    }

    #[test]
    fn regional_codes_pick_by_recipient_and_keep_their_json() {
        let single: RegionalCode<Words> = serde_json::from_value(json!("1")).unwrap();
        assert_eq!(
            (single.for_number(true), single.for_number(false)),
            ("1", "1")
        );
        let regional: RegionalCode<Words> =
            serde_json::from_value(json!({"china": "c", "overseas": "o"})).unwrap();
        assert_eq!(
            (regional.for_number(true), regional.for_number(false)),
            ("c", "o")
        );
        assert_eq!(regional, RegionalCode::regional("c", "o"));
        assert_eq!(
            serde_json::to_value(&regional).unwrap(),
            json!({"china": "c", "overseas": "o"})
        );
        assert_eq!(
            serde_json::to_value(RegionalCode::<Words>::from("1")).unwrap(),
            json!("1")
        );
    }

    #[test]
    fn integers_may_be_written_with_a_zero_fraction() {
        #[derive(Deserialize)]
        struct T {
            #[serde(deserialize_with = "deserialize_u64")]
            n: u64,
        }
        let parse = |v: Value| serde_json::from_value::<T>(json!({ "n": v })).map(|t| t.n);
        assert_eq!(parse(json!(1500)).unwrap(), 1500);
        assert_eq!(parse(json!(1500.0)).unwrap(), 1500);
        assert!(parse(json!(1500.5)).is_err());
        assert!(parse(json!(-1)).is_err());
        assert!(parse(json!("1")).is_err());
    }
}
