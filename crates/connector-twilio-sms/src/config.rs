//! The Twilio connector's config.

use connector_kit::{HttpSettings, Secret, TemplateType, UsageTemplate, require_usage_types};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::Twilio;

/// # Twilio SMS connector config
///
/// Field names match Logto's Twilio connector, so an existing config works unchanged.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TwilioConfig {
    /// # Account SID
    ///
    /// Your Twilio Account SID (`AC` followed by 32 hexadecimal characters), from the Account
    /// Info panel of the Twilio Console.
    #[serde(rename = "accountSID")]
    #[schemars(pattern(r"^AC[0-9a-fA-F]{32}$"), example = &"AC0123456789abcdef0123456789abcdef")]
    pub account_sid: String,

    /// # Auth token
    ///
    /// The Auth Token paired with the Account SID. Kept secret: never logged or displayed.
    #[schemars(example = &"your-twilio-auth-token")]
    pub auth_token: Secret,

    /// # Messaging service SID
    ///
    /// The SID of the Messaging Service that sends the messages (`MG` followed by 32
    /// hexadecimal characters); its sender pool decides the "from" number.
    #[serde(rename = "fromMessagingServiceSID")]
    #[schemars(pattern(r"^MG[0-9a-fA-F]{32}$"), example = &"MG0123456789abcdef0123456789abcdef")]
    pub from_messaging_service_sid: String,

    /// # Disable risk check
    ///
    /// Sends `RiskCheck=disable`, turning off Twilio's SMS pumping protection for these
    /// messages. Leave off unless Twilio blocks legitimate verification traffic.
    #[serde(default)]
    pub disable_risk_check: bool,

    /// # Templates
    ///
    /// One message body per usage type. Must include Register, SignIn, ForgotPassword and
    /// Generic; any other usage type without a template uses Generic.
    #[schemars(transform = require_usage_types, example = example_templates(), extend("default" = default_templates()))]
    pub templates: Vec<TwilioTemplate>,

    /// Endpoint and timeouts.
    #[serde(flatten)]
    pub http: HttpSettings<Twilio>,
}

impl TwilioConfig {
    /// A config with the credentials, the sender and the templates, every other field at its
    /// default. `Connector::new` checks it by the rules config JSON is checked by.
    pub fn new(
        account_sid: impl Into<String>,
        auth_token: impl Into<String>,
        from_messaging_service_sid: impl Into<String>,
        templates: Vec<TwilioTemplate>,
    ) -> Self {
        Self {
            account_sid: account_sid.into(),
            auth_token: Secret::new(auth_token),
            from_messaging_service_sid: from_messaging_service_sid.into(),
            disable_risk_check: false,
            templates,
            http: HttpSettings::default(),
        }
    }
}

/// # Twilio template
///
/// The message body sent for one usage type.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TwilioTemplate {
    /// # Usage type
    ///
    /// What the message is for.
    pub usage_type: TemplateType,

    /// # Content
    ///
    /// The message body. `{{code}}` is replaced by the verification code; other payload keys
    /// work the same way (`{{link}}`, `{{org.name}}`).
    #[schemars(length(min = 1, max = 1600))]
    pub content: String,

    /// # Locale
    ///
    /// The language of this template, a BCP 47 tag such as `en`, `zh-CN` or `zh-Hant-TW`;
    /// leave it out for a template every language may use. A message's `payload.locale`, then
    /// its `uiLocales`, pick the language (`zh-Hant-TW`, then `zh-Hant`, then `zh`, then the
    /// templates without a locale), and within a language the usage type falls back to
    /// `Generic`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = connector_kit::schema::LOCALE_PATTERN), example = &"zh-CN")]
    pub locale: Option<String>,
}

impl TwilioTemplate {
    /// The message body for one usage type.
    pub fn new(usage_type: TemplateType, content: impl Into<String>) -> Self {
        Self {
            usage_type,
            content: content.into(),
            locale: None,
        }
    }

    /// The same template for one language (a BCP 47 tag such as `zh-CN`).
    #[must_use]
    pub fn with_locale(mut self, locale: impl Into<String>) -> Self {
        self.locale = Some(locale.into());
        self
    }
}

impl UsageTemplate for TwilioTemplate {
    fn usage_type(&self) -> TemplateType {
        self.usage_type
    }

    fn locale(&self) -> Option<&str> {
        self.locale.as_deref()
    }
}

fn example_templates() -> serde_json::Value {
    serde_json::json!([
        { "usageType": "SignIn", "content": "Your sign-in code is {{code}}. It expires in 10 minutes." },
        { "usageType": "Register", "content": "Your code to create your account is {{code}}." },
        { "usageType": "ForgotPassword", "content": "Your password reset code is {{code}}." },
        { "usageType": "Generic", "content": "Your verification code is {{code}}." },
    ])
}

/// What a console pre-fills: one template per required usage type, as Logto's console does.
fn default_templates() -> serde_json::Value {
    example_templates()
}
