//! The Twilio connector's config.

use connector_kit::{Endpoint, Secret, TemplateType, UsageTemplate, require_usage_types};
use schemars::JsonSchema;
use serde::Deserialize;

/// The default Twilio API origin.
pub const DEFAULT_ENDPOINT: &str = "https://api.twilio.com";

/// # Twilio SMS connector config
///
/// Field names match Logto's Twilio connector, so an existing config works unchanged.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
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
    #[schemars(transform = require_usage_types, example = example_templates())]
    pub templates: Vec<TwilioTemplate>,

    /// # Endpoint
    ///
    /// The Twilio API origin. Change it only for a Twilio edge location or a local
    /// simulator; plain `http://` is accepted only for loopback hosts.
    #[serde(default = "default_endpoint")]
    pub endpoint: Endpoint,

    /// # Timeout (ms)
    ///
    /// How long one send may take in all, from connecting to the end of Twilio's answer.
    #[serde(
        default = "connector_kit::http::default_timeout_ms",
        deserialize_with = "connector_kit::config::deserialize_u64"
    )]
    #[schemars(range(min = 100, max = 120000))]
    pub timeout_ms: u64,

    /// # Connect timeout (ms)
    ///
    /// How long connecting to Twilio may take.
    #[serde(
        default = "connector_kit::http::default_connect_timeout_ms",
        deserialize_with = "connector_kit::config::deserialize_u64"
    )]
    #[schemars(range(min = 100, max = 60000))]
    pub connect_timeout_ms: u64,
}

/// # Twilio template
///
/// The message body sent for one usage type.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
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
}

impl UsageTemplate for TwilioTemplate {
    fn usage_type(&self) -> TemplateType {
        self.usage_type
    }
}

fn default_endpoint() -> Endpoint {
    #[expect(clippy::unwrap_used, reason = "a constant that the tests parse")]
    Endpoint::parse(DEFAULT_ENDPOINT).unwrap()
}

fn example_templates() -> serde_json::Value {
    serde_json::json!([
        { "usageType": "SignIn", "content": "Your sign-in code is {{code}}. It expires in 10 minutes." },
        { "usageType": "Register", "content": "Your code to create your account is {{code}}." },
        { "usageType": "ForgotPassword", "content": "Your password reset code is {{code}}." },
        { "usageType": "Generic", "content": "Your verification code is {{code}}." },
    ])
}
