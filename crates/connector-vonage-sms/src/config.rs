//! The Vonage connector's config.

use connector_kit::{HttpSettings, Secret, TextTemplate, TextWording, filled, require_usage_types};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::Vonage;

/// # Vonage SMS connector config
///
/// Authenticates with the API key and either the API secret or the signature secret (which
/// signs each request instead of sending a secret); at least one of the two must be set.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(extend("anyOf" = [
    { "title": "an API secret (apiSecret)", "required": ["apiSecret"], "properties": { "apiSecret": true } },
    { "title": "a signature secret (signatureSecret)", "required": ["signatureSecret"], "properties": { "signatureSecret": true } },
]))]
#[non_exhaustive]
pub struct VonageConfig {
    /// # API key
    ///
    /// The API key from the top of the Vonage API Dashboard.
    #[schemars(transform = filled, example = &"a1b2c3d4")]
    pub api_key: String,

    /// # API secret
    ///
    /// The API secret paired with the API key, sent with each request. Leave it out to sign
    /// requests with the signature secret instead. Kept secret: never logged or displayed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Secret", example = &"your-vonage-api-secret")]
    pub api_secret: Option<Secret>,

    /// # Signature secret
    ///
    /// The signature secret from the Dashboard's API settings. When set, every request is
    /// signed with it (and `signatureMethod`) and the API secret is not sent. Kept secret:
    /// never logged or displayed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Secret", example = &"your-vonage-signature-secret")]
    pub signature_secret: Option<Secret>,

    /// # Signature method
    ///
    /// The signing method chosen for the signature secret in the Dashboard: `md5hash` (MD5
    /// hash, Vonage's default), or HMAC with `md5`, `sha1`, `sha256` or `sha512`. Used only
    /// with a signature secret.
    #[serde(default)]
    pub signature_method: SignatureMethod,

    /// # Sender
    ///
    /// The sender shown on the phone: a Vonage number in international format (`+` optional,
    /// sent without it), or an alphanumeric sender ID of up to 11 letters, digits and spaces
    /// where the destination country allows one.
    #[schemars(
        pattern(r"^(?:\+?[1-9][0-9]{2,14}|[A-Za-z0-9][A-Za-z0-9 ]{0,10})$"),
        example = &"AcmeCorp"
    )]
    pub from: String,

    /// # Templates
    ///
    /// One message text per usage type. Must include Register, SignIn, ForgotPassword and
    /// Generic; any other usage type without a template uses Generic.
    #[schemars(transform = require_usage_types, example = example_templates(), extend("default" = example_templates()))]
    pub templates: Vec<VonageTemplate>,

    /// Endpoint and timeouts.
    #[serde(flatten)]
    pub http: HttpSettings<Vonage>,
}

impl VonageConfig {
    /// A config authenticated with the API key and secret, every other field at its default.
    /// `Connector::new` checks it by the rules config JSON is checked by.
    pub fn new(
        api_key: impl Into<String>,
        api_secret: impl Into<String>,
        from: impl Into<String>,
        templates: Vec<VonageTemplate>,
    ) -> Self {
        Self {
            api_key: api_key.into(),
            api_secret: Some(Secret::new(api_secret)),
            signature_secret: None,
            signature_method: SignatureMethod::default(),
            from: from.into(),
            templates,
            http: HttpSettings::default(),
        }
    }

    /// The same config signing its requests with a signature secret and method instead of
    /// sending the API secret.
    pub fn signed_with(mut self, secret: impl Into<String>, method: SignatureMethod) -> Self {
        self.signature_secret = Some(Secret::new(secret));
        self.signature_method = method;
        self
    }
}

/// # Signature method
///
/// How a signed request's `sig` is computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SignatureMethod {
    /// MD5 hash of the parameters with the secret appended (Vonage's default).
    #[default]
    #[serde(rename = "md5hash")]
    Md5Hash,
    /// HMAC-MD5 keyed with the secret.
    Md5,
    /// HMAC-SHA1 keyed with the secret.
    Sha1,
    /// HMAC-SHA256 keyed with the secret.
    Sha256,
    /// HMAC-SHA512 keyed with the secret.
    Sha512,
}

impl SignatureMethod {
    /// Every method, in the Dashboard's order.
    pub const ALL: [SignatureMethod; 5] = [
        Self::Md5Hash,
        Self::Md5,
        Self::Sha1,
        Self::Sha256,
        Self::Sha512,
    ];

    /// The config value: `md5hash`, `md5`, `sha1`, `sha256`, `sha512`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Md5Hash => "md5hash",
            Self::Md5 => "md5",
            Self::Sha1 => "sha1",
            Self::Sha256 => "sha256",
            Self::Sha512 => "sha512",
        }
    }
}

/// A plain `enum` of the five names, so a console renders a select and a wrong value is
/// answered with the list.
impl JsonSchema for SignatureMethod {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        "SignatureMethod".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let names: Vec<&str> = Self::ALL.iter().map(|m| m.as_str()).collect();
        schemars::json_schema!({
            "type": "string",
            "enum": names,
        })
    }
}

/// # Vonage template
///
/// The message text sent for one usage type. A [`TextTemplate`] worded for this connector.
pub type VonageTemplate = TextTemplate<VonageTemplateWording>;

/// How this connector's schema words its templates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VonageTemplateWording;

impl TextWording for VonageTemplateWording {
    const SCHEMA_NAME: &'static str = "VonageTemplate";
    const TITLE: &'static str = "Vonage template";
    const DESCRIPTION: &'static str = "The message text sent for one usage type.";
}

fn example_templates() -> serde_json::Value {
    serde_json::json!([
        { "usageType": "SignIn", "content": "Your sign-in code is {{code}}. It expires in 10 minutes." },
        { "usageType": "Register", "content": "Your code to create your account is {{code}}." },
        { "usageType": "ForgotPassword", "content": "Your password reset code is {{code}}." },
        { "usageType": "Generic", "content": "Your verification code is {{code}}." },
    ])
}
