//! The message a host asks a connector to send, and the template usage types.

use std::fmt;
use std::str::FromStr;

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::error::ConnectorError;

/// What a message is for. Each connector config maps usage types to provider templates.
///
/// Spelled as Logto spells them, so existing config JSON works unchanged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TemplateType {
    /// Signing in with a one-time code.
    SignIn,
    /// Registering a new account.
    Register,
    /// Resetting a forgotten password.
    ForgotPassword,
    /// Inviting someone to an organization.
    OrganizationInvitation,
    /// The fallback for every usage type that has no template of its own.
    Generic,
    /// Re-verifying the user before a sensitive change.
    UserPermissionValidation,
    /// Binding a new phone number or email to an account.
    BindNewIdentifier,
    /// A multi-factor authentication code.
    MfaVerification,
    /// Binding a new multi-factor authentication factor.
    BindMfa,
    /// Deprecated by Logto: continuing a sign-in flow. Configs saved by older consoles carry
    /// it; a message of this type uses its template, else `Generic`.
    Continue,
    /// Deprecated by Logto: the console's test message. A message of this type uses its
    /// template, else `Generic`.
    Test,
}

impl TemplateType {
    /// All nine usage types, in Logto's order.
    pub const ALL: [TemplateType; 9] = [
        Self::SignIn,
        Self::Register,
        Self::ForgotPassword,
        Self::OrganizationInvitation,
        Self::Generic,
        Self::UserPermissionValidation,
        Self::BindNewIdentifier,
        Self::MfaVerification,
        Self::BindMfa,
    ];

    /// The usage types Logto has deprecated but still accepts in configs.
    pub const DEPRECATED: [TemplateType; 2] = [Self::Continue, Self::Test];

    /// The usage types every SMS config must have a template for (Logto's rule for its
    /// built-in SMS connectors).
    pub const REQUIRED: [TemplateType; 4] = [
        Self::Register,
        Self::SignIn,
        Self::ForgotPassword,
        Self::Generic,
    ];

    /// What the usage type is for, in a few words.
    pub const fn description(self) -> &'static str {
        match self {
            Self::SignIn => "signing in with a one-time code",
            Self::Register => "creating a new account",
            Self::ForgotPassword => "resetting a forgotten password",
            Self::OrganizationInvitation => "inviting someone to an organization",
            Self::Generic => "the fallback for every usage type without a template of its own",
            Self::UserPermissionValidation => "re-verifying the user before a sensitive change",
            Self::BindNewIdentifier => "binding a new phone number or email to an account",
            Self::MfaVerification => "a multi-factor authentication code",
            Self::BindMfa => "binding a new multi-factor authentication factor",
            Self::Continue => "continuing a sign-in flow (deprecated)",
            Self::Test => "the console's test message (deprecated)",
        }
    }

    /// The name as written in config JSON.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::SignIn => "SignIn",
            Self::Register => "Register",
            Self::ForgotPassword => "ForgotPassword",
            Self::OrganizationInvitation => "OrganizationInvitation",
            Self::Generic => "Generic",
            Self::UserPermissionValidation => "UserPermissionValidation",
            Self::BindNewIdentifier => "BindNewIdentifier",
            Self::MfaVerification => "MfaVerification",
            Self::BindMfa => "BindMfa",
            Self::Continue => "Continue",
            Self::Test => "Test",
        }
    }

    /// Whether Logto has deprecated the usage type (`Continue`, `Test`).
    pub const fn is_deprecated(self) -> bool {
        matches!(self, Self::Continue | Self::Test)
    }

    /// The usage type written `name` in config JSON, current or deprecated.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .chain(Self::DEPRECATED)
            .find(|t| t.as_str() == name)
    }

    /// The names of the current usage types, for messages and suggestions.
    pub fn names() -> impl Iterator<Item = &'static str> {
        Self::ALL.into_iter().map(Self::as_str)
    }
}

/// Any string, with the current usage types as `examples`: Logto accepts a template of any
/// usage type, so a config from Logto stays valid. The kit warns about a deprecated or
/// unknown usage type (with the closest known one) and ignores a template of an unknown one,
/// which no message can use.
impl JsonSchema for TemplateType {
    fn schema_name() -> Cow<'static, str> {
        "TemplateType".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let names: Vec<&str> = Self::names().collect();
        json_schema!({
            "title": "usage type",
            "description": format!(
                "What a message is for: one of {}. A usage type without a template of its own uses the Generic template.",
                names.join(", ")
            ),
            "type": "string",
            "examples": names,
        })
    }
}

impl fmt::Display for TemplateType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for TemplateType {
    type Err = ConnectorError;

    /// A current or deprecated usage type; an unknown one is `invalid_request_parameters`
    /// naming the closest known type and every current one.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::from_name(s).ok_or_else(|| {
            let names: Vec<&str> = Self::names().collect();
            ConnectorError::invalid_request_parameters(format!(
                "unknown usage type {s:?}{}; expected one of {}",
                crate::suggest::did_you_mean(s, Self::names()),
                names.join(", ")
            ))
            .with_field("type")
        })
    }
}

/// The values a template can use.
///
/// `code`, `link`, `locale` and `uiLocales` are typed; any other key is kept in `extra`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SendMessagePayload {
    /// The verification code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// A magic link, for usage types that send one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    /// The locale the message should be written in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// The user's UI locales, as the OIDC `ui_locales` parameter gives them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ui_locales: Option<String>,
    /// Every other key.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A borrowed view of one payload value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PayloadValue<'a> {
    /// One of the typed string fields.
    Str(&'a str),
    /// A value from `extra`.
    Json(&'a Value),
}

impl<'a> PayloadValue<'a> {
    /// The value as text: strings as they are, numbers and booleans in JSON form, null as
    /// empty, arrays and objects as compact JSON.
    pub fn to_text(self) -> String {
        match self {
            Self::Str(s) => s.to_owned(),
            Self::Json(Value::String(s)) => s.clone(),
            Self::Json(Value::Null) => String::new(),
            Self::Json(other) => other.to_string(),
        }
    }

    /// Whether the value is a string, number or boolean.
    pub fn is_scalar(self) -> bool {
        match self {
            Self::Str(_) => true,
            Self::Json(v) => matches!(v, Value::String(_) | Value::Number(_) | Value::Bool(_)),
        }
    }
}

impl SendMessagePayload {
    /// A payload with just a code.
    pub fn with_code(code: impl Into<String>) -> Self {
        Self {
            code: Some(code.into()),
            ..Self::default()
        }
    }

    /// Looks up a top-level key, typed fields first.
    pub fn get(&self, key: &str) -> Option<PayloadValue<'_>> {
        let typed = match key {
            "code" => self.code.as_deref(),
            "link" => self.link.as_deref(),
            "locale" => self.locale.as_deref(),
            "uiLocales" => self.ui_locales.as_deref(),
            _ => return self.extra.get(key).map(PayloadValue::Json),
        };
        typed.map(PayloadValue::Str)
    }

    /// Every top-level key with its value, typed fields first, then `extra` in its order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, PayloadValue<'_>)> {
        let typed = [
            ("code", self.code.as_deref()),
            ("link", self.link.as_deref()),
            ("locale", self.locale.as_deref()),
            ("uiLocales", self.ui_locales.as_deref()),
        ];
        typed
            .into_iter()
            .filter_map(|(k, v)| v.map(|v| (k, PayloadValue::Str(v))))
            .chain(
                self.extra
                    .iter()
                    .map(|(k, v)| (k.as_str(), PayloadValue::Json(v))),
            )
    }
}

/// What a host asks a connector to send.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SendMessageData {
    /// The recipient's phone number.
    pub to: String,
    /// The usage type, which picks the template.
    #[serde(rename = "type")]
    pub template_type: TemplateType,
    /// The values the template can use.
    #[serde(default)]
    pub payload: SendMessagePayload,
    /// The end user's IP address, when the host knows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip: Option<String>,
}

impl SendMessageData {
    /// A message of the given usage type carrying just a verification code.
    pub fn code(
        to: impl Into<String>,
        template_type: TemplateType,
        code: impl Into<String>,
    ) -> Self {
        Self {
            to: to.into(),
            template_type,
            payload: SendMessagePayload::with_code(code),
            ip: None,
        }
    }
}

/// The longest phone number the kit accepts before any provider-specific check.
pub const MAX_PHONE_LENGTH: usize = 32;
/// The longest payload string value the kit accepts.
pub const MAX_VALUE_LENGTH: usize = 1_024;

fn check_text(what: &str, value: &str, max: usize) -> Result<(), ConnectorError> {
    if value.chars().any(char::is_control) {
        return Err(ConnectorError::invalid_request_parameters(format!(
            "{what} contains a control character (such as CR, LF or NUL)"
        )));
    }
    if value.chars().count() > max {
        return Err(ConnectorError::invalid_request_parameters(format!(
            "{what} is longer than {max} characters"
        )));
    }
    Ok(())
}

impl SendMessageData {
    /// Rejects a message no provider should see: a phone number or payload string with a
    /// control character, or of absurd length, or an empty verification code (which would
    /// send "Your code is ."). Connectors run this before building a request.
    pub fn check(&self) -> Result<(), ConnectorError> {
        check_text("the phone number", &self.to, MAX_PHONE_LENGTH)
            .map_err(|e| e.with_field("to"))?;
        if self
            .payload
            .code
            .as_deref()
            .is_some_and(|c| c.trim().is_empty())
        {
            return Err(ConnectorError::invalid_request_parameters(
                "the verification code is empty",
            )
            .with_field("code"));
        }
        fn walk(key: &str, value: &Value) -> Result<(), ConnectorError> {
            match value {
                Value::String(s) => {
                    check_text(&format!("payload value {key:?}"), s, MAX_VALUE_LENGTH)
                }
                Value::Array(items) => items.iter().try_for_each(|v| walk(key, v)),
                Value::Object(map) => map
                    .iter()
                    .try_for_each(|(k, v)| walk(&format!("{key}.{k}"), v)),
                _ => Ok(()),
            }
        }
        for (key, value) in self.payload.iter() {
            match value {
                PayloadValue::Str(s) => {
                    check_text(&format!("payload value {key:?}"), s, MAX_VALUE_LENGTH)?
                }
                PayloadValue::Json(v) => walk(key, v)?,
            }
        }
        Ok(())
    }
}

/// A config template entry that serves one usage type, in one language or in any.
pub trait UsageTemplate {
    /// The usage type this template serves.
    fn usage_type(&self) -> TemplateType;

    /// The language the template is written in (a BCP 47 tag such as `zh-Hant-TW`), or
    /// `None` for the templates that serve every language.
    fn locale(&self) -> Option<&str> {
        None
    }
}

/// The languages a message asks for, best first: `payload.locale`, then each of
/// `payload.uiLocales` (space-separated, as OIDC's `ui_locales`), each followed by its
/// shorter forms (`zh-Hant-TW`, `zh-Hant`, `zh`), without repeats.
pub fn locale_chain(payload: &SendMessagePayload) -> Vec<String> {
    let mut chain: Vec<String> = Vec::new();
    let tags = payload
        .locale
        .iter()
        .flat_map(|l| l.split_whitespace())
        .chain(payload.ui_locales.iter().flat_map(|l| l.split_whitespace()));
    for tag in tags {
        let tag = tag.replace('_', "-");
        let mut current = tag.as_str();
        loop {
            if !current.is_empty() && !chain.iter().any(|c| c.eq_ignore_ascii_case(current)) {
                chain.push(current.to_owned());
            }
            match current.rfind('-') {
                Some(end) => current = &current[..end],
                None => break,
            }
        }
    }
    chain
}

/// Picks the template for a message: by language first, then by usage type.
///
/// For each language of the message's [`locale_chain`] in turn, then for the templates
/// without a locale, the template of the message's usage type is used, else the `Generic`
/// template of that language; only when a language has neither does the next one get a
/// chance. So a message is in the reader's language whenever a template exists in it, even a
/// `Generic` one, and the templates without a locale (where the required usage types live)
/// are the last resort. Within one language and usage type, the first template wins.
///
/// Fails with `template_not_found`, naming the usage type, when nothing matches.
pub fn template_for<'t, T: UsageTemplate>(
    templates: &'t [T],
    data: &SendMessageData,
) -> Result<&'t T, ConnectorError> {
    let usage = data.template_type;
    let in_language = |locale: Option<&str>, wanted: TemplateType| {
        templates.iter().find(|t| {
            t.usage_type() == wanted
                && match (t.locale(), locale) {
                    (None, None) => true,
                    (Some(have), Some(want)) => have.eq_ignore_ascii_case(want),
                    _ => false,
                }
        })
    };
    let chain = locale_chain(&data.payload);
    let languages = chain.iter().map(|l| Some(l.as_str())).chain([None]);
    for locale in languages {
        if let Some(found) =
            in_language(locale, usage).or_else(|| in_language(locale, TemplateType::Generic))
        {
            return Ok(found);
        }
    }
    Err(ConnectorError::template_not_found(format!(
        "no template for usage type {usage}, and no Generic template to fall back to"
    )))
}

/// Picks the template for a usage type, falling back to the `Generic` template, among the
/// templates without a locale (see [`template_for`] for a message's languages).
///
/// Fails with `template_not_found`, naming the usage type, when neither exists.
pub fn find_template<T: UsageTemplate>(
    templates: &[T],
    usage: TemplateType,
) -> Result<&T, ConnectorError> {
    templates
        .iter()
        .find(|t| t.usage_type() == usage && t.locale().is_none())
        .or_else(|| {
            templates
                .iter()
                .find(|t| t.usage_type() == TemplateType::Generic && t.locale().is_none())
        })
        .ok_or_else(|| {
            ConnectorError::template_not_found(format!(
                "no template for usage type {usage}, and no Generic template to fall back to"
            ))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ConnectorErrorCode;

    #[derive(Debug)]
    struct T(TemplateType, &'static str);
    impl UsageTemplate for T {
        fn usage_type(&self) -> TemplateType {
            self.0
        }
    }

    #[test]
    fn exact_usage_type_wins_over_generic() {
        let templates = [T(TemplateType::Generic, "g"), T(TemplateType::SignIn, "s")];
        assert_eq!(
            find_template(&templates, TemplateType::SignIn).unwrap().1,
            "s"
        );
    }

    #[test]
    fn missing_usage_type_falls_back_to_generic() {
        let templates = [T(TemplateType::SignIn, "s"), T(TemplateType::Generic, "g")];
        assert_eq!(
            find_template(&templates, TemplateType::BindMfa).unwrap().1,
            "g"
        );
    }

    #[test]
    fn neither_is_template_not_found_naming_the_type() {
        let templates = [T(TemplateType::SignIn, "s")];
        let error = find_template(&templates, TemplateType::MfaVerification).unwrap_err();
        assert_eq!(error.code(), ConnectorErrorCode::TemplateNotFound);
        assert!(error.to_string().contains("MfaVerification"));
    }

    #[derive(Debug)]
    struct L(TemplateType, Option<&'static str>, &'static str);
    impl UsageTemplate for L {
        fn usage_type(&self) -> TemplateType {
            self.0
        }
        fn locale(&self) -> Option<&str> {
            self.1
        }
    }

    fn pick(
        templates: &[L],
        usage: TemplateType,
        locale: Option<&str>,
        ui: Option<&str>,
    ) -> &'static str {
        let mut data = SendMessageData::code("+15550001111", usage, "1");
        data.payload.locale = locale.map(str::to_owned);
        data.payload.ui_locales = ui.map(str::to_owned);
        template_for(templates, &data).unwrap().2
    }

    #[test]
    fn locales_fall_back_from_the_longest_tag_to_the_templates_without_one() {
        let payload = SendMessagePayload {
            locale: Some("zh-Hant-TW".into()),
            ui_locales: Some("fr-CA en zh".into()),
            ..SendMessagePayload::default()
        };
        assert_eq!(
            locale_chain(&payload),
            ["zh-Hant-TW", "zh-Hant", "zh", "fr-CA", "fr", "en"]
        );
        let templates = [
            L(TemplateType::SignIn, None, "sign-in"),
            L(TemplateType::Generic, None, "generic"),
            L(TemplateType::SignIn, Some("zh"), "zh sign-in"),
            L(TemplateType::Generic, Some("zh-Hant"), "zh-Hant generic"),
            L(TemplateType::SignIn, Some("fr"), "fr sign-in"),
        ];
        // The reader's language first: a Generic template in zh-Hant beats zh's SignIn.
        assert_eq!(
            pick(&templates, TemplateType::SignIn, Some("zh-Hant-TW"), None),
            "zh-Hant generic"
        );
        assert_eq!(
            pick(&templates, TemplateType::SignIn, Some("zh-CN"), None),
            "zh sign-in"
        );
        assert_eq!(
            pick(&templates, TemplateType::Register, Some("zh-CN"), None),
            "generic"
        );
        assert_eq!(
            pick(
                &templates,
                TemplateType::SignIn,
                Some("de"),
                Some("fr-CA de")
            ),
            "fr sign-in"
        );
        assert_eq!(
            pick(&templates, TemplateType::SignIn, None, None),
            "sign-in"
        );
        assert_eq!(
            pick(&templates, TemplateType::SignIn, Some("ZH"), None),
            "zh sign-in"
        );
        // Without a language, localized templates are never used.
        assert_eq!(
            find_template(&templates, TemplateType::SignIn).unwrap().2,
            "sign-in"
        );
    }

    #[test]
    fn payload_keeps_typed_and_extra_keys() {
        let data: SendMessageData = serde_json::from_value(serde_json::json!({
            "to": "+15550001111",
            "type": "SignIn",
            "payload": {"code": "123456", "uiLocales": "en", "minutes": 5, "org": {"name": "Acme"}},
        }))
        .unwrap();
        assert_eq!(data.payload.code.as_deref(), Some("123456"));
        assert_eq!(data.payload.ui_locales.as_deref(), Some("en"));
        assert_eq!(data.payload.get("minutes").unwrap().to_text(), "5");
        let keys: Vec<&str> = data.payload.iter().map(|(k, _)| k).collect();
        assert_eq!(keys, ["code", "uiLocales", "minutes", "org"]);
    }

    #[test]
    fn control_characters_and_absurd_lengths_are_rejected() {
        let ok = SendMessageData::code("+15550001111", TemplateType::SignIn, "123456");
        assert!(ok.check().is_ok());
        for bad_to in ["+1555\r\n0001111", "+1555\u{0}1", &"1".repeat(40)] {
            let data = SendMessageData {
                to: bad_to.to_owned(),
                ..ok.clone()
            };
            assert_eq!(
                data.check().unwrap_err().code(),
                ConnectorErrorCode::InvalidRequestParameters
            );
        }
        let mut data = ok.clone();
        data.payload
            .extra
            .insert("org".into(), serde_json::json!({"name": "a\nb"}));
        let error = data.check().unwrap_err();
        assert!(error.to_string().contains("org.name"), "{error}");
        let long = SendMessageData::code("+15550001111", TemplateType::SignIn, "9".repeat(2000));
        assert_eq!(
            long.check().unwrap_err().code(),
            ConnectorErrorCode::InvalidRequestParameters
        );
    }

    #[test]
    fn usage_types_parse_and_reject_misspellings() {
        assert_eq!(
            "BindMfa".parse::<TemplateType>().unwrap(),
            TemplateType::BindMfa
        );
        let error = "Signin".parse::<TemplateType>().unwrap_err();
        assert!(error.to_string().contains("SignIn, Register"));
        assert!(
            error.to_string().contains("(did you mean \"SignIn\"?)"),
            "{error}"
        );
        assert_eq!("Test".parse::<TemplateType>().unwrap(), TemplateType::Test);
        assert!(TemplateType::Continue.is_deprecated());
        assert!(!TemplateType::ALL.iter().any(|t| t.is_deprecated()));
    }

    #[test]
    fn an_empty_code_is_rejected() {
        for code in ["", "  "] {
            let data = SendMessageData::code("+15550001111", TemplateType::SignIn, code);
            let error = data.check().unwrap_err();
            assert_eq!(error.code(), ConnectorErrorCode::InvalidRequestParameters);
            assert_eq!(error.details().field.as_deref(), Some("code"));
        }
    }
}
