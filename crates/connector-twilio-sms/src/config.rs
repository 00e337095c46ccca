//! The Twilio connector's config.

use connector_kit::{HttpSettings, Secret, TextTemplate, TextWording, require_usage_types};
use schemars::{JsonSchema, Schema};
use serde::{Deserialize, Serialize};

use crate::Twilio;

/// # Twilio SMS connector config
///
/// Field names match Logto's Twilio connector, so an existing config works unchanged.
/// Credentials are the auth token or an API key (`apiKeySID` and `apiKeySecret`); the sender
/// is a Messaging Service (`fromMessagingServiceSID`) or a number or sender ID (`from`).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(transform = alternatives)]
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
    /// Not needed when an API key (`apiKeySID` and `apiKeySecret`) is set, which is then
    /// used instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Secret", example = &"your-twilio-auth-token")]
    pub auth_token: Option<Secret>,

    /// # API key SID
    ///
    /// The SID of a Twilio API key (`SK` followed by 32 hexadecimal characters), created under
    /// Account → API keys & tokens, used with `apiKeySecret` instead of the Auth Token.
    #[serde(rename = "apiKeySID", default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String", pattern(r"^SK[0-9a-fA-F]{32}$"), example = &"SK0123456789abcdef0123456789abcdef")]
    pub api_key_sid: Option<String>,

    /// # API key secret
    ///
    /// The secret of the API key, shown once when the key is created. Kept secret: never
    /// logged or displayed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Secret", example = &"your-twilio-api-key-secret")]
    pub api_key_secret: Option<Secret>,

    /// # Messaging service SID
    ///
    /// The SID of the Messaging Service that sends the messages (`MG` followed by 32
    /// hexadecimal characters); its sender pool decides the "from" number. Set this or
    /// `from`, not both.
    #[serde(
        rename = "fromMessagingServiceSID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "String", pattern(r"^MG[0-9a-fA-F]{32}$"), example = &"MG0123456789abcdef0123456789abcdef")]
    pub from_messaging_service_sid: Option<String>,

    /// # Sender
    ///
    /// The sender, when no Messaging Service is used: a Twilio number in E.164 form
    /// (`+14155550123`), a short code, or an alphanumeric sender ID (up to 11 letters, digits
    /// and spaces, where the destination country allows them). Set this or
    /// `fromMessagingServiceSID`, not both.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(
        with = "String",
        pattern(r"^(\+[1-9][0-9]{6,14}|[A-Za-z0-9][A-Za-z0-9 ]{0,10})$"),
        example = &"+14155550123"
    )]
    pub from: Option<String>,

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
            auth_token: Some(Secret::new(auth_token)),
            api_key_sid: None,
            api_key_secret: None,
            from_messaging_service_sid: Some(from_messaging_service_sid.into()),
            from: None,
            disable_risk_check: false,
            templates,
            http: HttpSettings::default(),
        }
    }

    /// Authenticates with an API key instead of the auth token, which is dropped.
    #[must_use]
    pub fn with_api_key(
        mut self,
        api_key_sid: impl Into<String>,
        api_key_secret: impl Into<String>,
    ) -> Self {
        self.auth_token = None;
        self.api_key_sid = Some(api_key_sid.into());
        self.api_key_secret = Some(Secret::new(api_key_secret));
        self
    }

    /// Sends from a number, short code or alphanumeric sender ID instead of a Messaging
    /// Service, which is dropped.
    #[must_use]
    pub fn with_from(mut self, from: impl Into<String>) -> Self {
        self.from_messaging_service_sid = None;
        self.from = Some(from.into());
        self
    }

    /// Sends through a Messaging Service instead of `from`, which is dropped.
    #[must_use]
    pub fn with_messaging_service(mut self, sid: impl Into<String>) -> Self {
        self.from = None;
        self.from_messaging_service_sid = Some(sid.into());
        self
    }

    /// The credentials requests are signed with: the API key when one is set, otherwise the
    /// auth token. `None` only for a config the schema rejects.
    pub fn credentials(&self) -> Option<Credentials<'_>> {
        match (&self.api_key_sid, &self.api_key_secret, &self.auth_token) {
            (Some(sid), Some(secret), _) => Some(Credentials::ApiKey { sid, secret }),
            (_, _, Some(token)) => Some(Credentials::AuthToken(token)),
            _ => None,
        }
    }

    /// The sender. `None` only for a config the schema rejects.
    pub fn sender(&self) -> Option<Sender<'_>> {
        match (&self.from_messaging_service_sid, &self.from) {
            (Some(sid), None) => Some(Sender::MessagingService(sid)),
            (None, Some(from)) => Some(Sender::From(from)),
            _ => None,
        }
    }
}

/// What a Twilio request is authenticated with.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub enum Credentials<'a> {
    /// The account's Auth Token, with the Account SID as user.
    AuthToken(&'a Secret),
    /// An API key: its SID as user and its secret as password.
    ApiKey {
        /// `SK…`.
        sid: &'a str,
        /// The key's secret.
        secret: &'a Secret,
    },
}

/// Who a Twilio message is sent from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Sender<'a> {
    /// A Messaging Service SID (`MessagingServiceSid`).
    MessagingService(&'a str),
    /// A number, short code or alphanumeric sender ID (`From`).
    From(&'a str),
}

/// The alternatives the properties alone cannot say: the auth token or a whole API key; a
/// Messaging Service or `from`, exactly one. Each branch is titled, so a validator's message
/// names what is missing, and names the keys it requires (as strict validators want).
fn alternatives(schema: &mut Schema) {
    fn branch(title: &str, keys: &[&str]) -> serde_json::Value {
        let named: serde_json::Map<String, serde_json::Value> = keys
            .iter()
            .map(|k| ((*k).to_owned(), serde_json::Value::Bool(true)))
            .collect();
        serde_json::json!({
            "title": title,
            "properties": named,
            "additionalProperties": true,
            "required": keys,
        })
    }
    schema.insert(
        "anyOf".to_owned(),
        serde_json::json!([
            branch("an auth token (authToken)", &["authToken"]),
            branch(
                "an API key (apiKeySID and apiKeySecret)",
                &["apiKeySID", "apiKeySecret"]
            ),
        ]),
    );
    schema.insert(
        "oneOf".to_owned(),
        serde_json::json!([
            branch(
                "a Messaging Service (fromMessagingServiceSID)",
                &["fromMessagingServiceSID"]
            ),
            branch("a sender (from)", &["from"]),
        ]),
    );
    // Draft-07's spelling of dependentRequired: the array form of `dependencies`.
    schema.insert(
        "dependencies".to_owned(),
        serde_json::json!({ "apiKeySID": ["apiKeySecret"], "apiKeySecret": ["apiKeySID"] }),
    );
}

/// # Twilio template
///
/// The message body sent for one usage type. A [`TextTemplate`] worded for this connector.
pub type TwilioTemplate = TextTemplate<TwilioTemplateWording>;

/// How this connector's schema words its templates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TwilioTemplateWording;

impl TextWording for TwilioTemplateWording {
    const SCHEMA_NAME: &'static str = "TwilioTemplate";
    const TITLE: &'static str = "Twilio template";
    const DESCRIPTION: &'static str = "The message body sent for one usage type.";
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
