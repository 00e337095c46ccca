//! The AWS SNS connector's config.

use connector_kit::{
    ConnectorError, Endpoint, HttpSettings, Secret, TextTemplate, TextWording, require_usage_types,
};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::Sns;

/// The pattern of an AWS region name: `us-east-1`, `eu-central-1`, `us-gov-west-1`,
/// `cn-north-1`.
pub(crate) const REGION_PATTERN: &str = r"^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$";

/// # AWS SNS SMS connector config
///
/// Sends each code with Amazon SNS `Publish` to a phone number.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct SnsConfig {
    /// # Access key ID
    ///
    /// The access key ID of an IAM user or role allowed `sns:Publish` (`AKIA...` for a
    /// long-term key, `ASIA...` for a temporary one).
    #[schemars(transform = connector_kit::filled, example = &"AKIAIOSFODNN7EXAMPLE")]
    pub access_key_id: String,

    /// # Secret access key
    ///
    /// The secret access key paired with the access key ID. Kept secret: never logged or
    /// displayed.
    #[schemars(example = &"your-aws-secret-access-key")]
    pub secret_access_key: Secret,

    /// # Session token
    ///
    /// The session token of temporary credentials (from AWS STS), sent as
    /// `X-Amz-Security-Token`. Leave it out for a long-term access key. Kept secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Secret")]
    pub session_token: Option<Secret>,

    /// # Region
    ///
    /// The AWS region whose SNS endpoint sends the messages, e.g. `us-east-1`. It names the
    /// credential scope of every signature, and the endpoint
    /// (`https://sns.<region>.amazonaws.com`) unless `endpoint` is set.
    #[schemars(pattern(REGION_PATTERN), example = &"us-east-1")]
    pub region: String,

    /// # SMS type
    ///
    /// `Transactional` (the default) for messages such as one-time codes, which SNS delivers
    /// with the highest reliability; `Promotional` for marketing messages, at a lower cost.
    #[serde(default)]
    pub sms_type: SmsType,

    /// # Sender ID
    ///
    /// An alphanumeric sender ID (1 to 11 letters and digits, at least one letter) shown as
    /// the sender where the destination country supports it and it is registered; sent as
    /// `AWS.SNS.SMS.SenderID`. Leave it out to use the account's default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(
        pattern(r"^[0-9]{0,10}[A-Za-z][A-Za-z0-9]{0,10}$"),
        length(max = 11),
        example = &"Acme"
    )]
    pub sender_id: Option<String>,

    /// # Origination number
    ///
    /// A phone number of your account, in E.164 form (`+` and the country code), to send
    /// from; sent as `AWS.MM.SMS.OriginationNumber`. Leave it out to let SNS choose.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(pattern(r"^\+[1-9][0-9]{6,14}$"), example = &"+18005550100")]
    pub origination_number: Option<String>,

    /// # Templates
    ///
    /// One message text per usage type. Must include Register, SignIn, ForgotPassword and
    /// Generic; any other usage type without a template uses Generic.
    #[schemars(transform = require_usage_types, example = example_templates(), extend("default" = example_templates()))]
    pub templates: Vec<SnsTemplate>,

    /// Endpoint and timeouts.
    #[serde(flatten)]
    pub http: HttpSettings<Sns>,

    /// The day's signing key, kept between requests (not part of the JSON).
    #[serde(skip)]
    #[schemars(skip)]
    pub(crate) signing_key: crate::request::KeyCache,
}

impl SnsConfig {
    /// A config with the credentials, the region and the templates, every other field at its
    /// default. `Connector::new` checks it by the rules config JSON is checked by.
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        region: impl Into<String>,
        templates: Vec<SnsTemplate>,
    ) -> Self {
        Self {
            access_key_id: access_key_id.into(),
            secret_access_key: Secret::new(secret_access_key),
            session_token: None,
            region: region.into(),
            sms_type: SmsType::default(),
            sender_id: None,
            origination_number: None,
            templates,
            http: HttpSettings::default(),
            signing_key: crate::request::KeyCache::default(),
        }
    }

    /// The SNS endpoint of the region: `https://sns.<region>.amazonaws.com`, or
    /// `.amazonaws.com.cn` for the China regions.
    pub fn regional_endpoint(&self) -> Result<Endpoint, ConnectorError> {
        let suffix = if self.region.starts_with("cn-") {
            "amazonaws.com.cn"
        } else {
            "amazonaws.com"
        };
        Endpoint::https(&format!("sns.{}.{suffix}", self.region)).map_err(|_| {
            ConnectorError::invalid_config(format!(
                "region {:?} is not an AWS region name such as us-east-1",
                self.region
            ))
        })
    }

    /// Where requests go: `endpoint` when the config sets it, else the region's endpoint.
    pub fn endpoint(&self) -> Result<Endpoint, ConnectorError> {
        match self.http.explicit_endpoint() {
            Some(endpoint) => Ok(endpoint.clone()),
            None => self.regional_endpoint(),
        }
    }
}

/// How SNS treats the message (`AWS.SNS.SMS.SMSType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[non_exhaustive]
pub enum SmsType {
    /// Critical messages such as one-time codes: highest reliability.
    #[default]
    Transactional,
    /// Marketing messages: lowest cost.
    Promotional,
}

impl SmsType {
    /// The attribute value.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Transactional => "Transactional",
            Self::Promotional => "Promotional",
        }
    }
}

/// A plain `enum` of the two names, so that a console offers a choice.
impl JsonSchema for SmsType {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        "SmsType".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "enum": [Self::Transactional.as_str(), Self::Promotional.as_str()],
        })
    }
}

/// # SNS template
///
/// The message text sent for one usage type. A [`TextTemplate`] worded for this connector.
pub type SnsTemplate = TextTemplate<SnsTemplateWording>;

/// How this connector's schema words its templates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SnsTemplateWording;

impl TextWording for SnsTemplateWording {
    const SCHEMA_NAME: &'static str = "SnsTemplate";
    const TITLE: &'static str = "SNS template";
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

#[cfg(test)]
mod tests {
    use super::*;

    fn config(json: serde_json::Value) -> SnsConfig {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn the_endpoint_follows_the_region_unless_set() {
        let base = serde_json::json!({
            "accessKeyId": "AKIAIOSFODNN7EXAMPLE",
            "secretAccessKey": "s",
            "region": "eu-west-1",
            "templates": [],
        });
        assert_eq!(
            config(base.clone()).endpoint().unwrap().origin(),
            "https://sns.eu-west-1.amazonaws.com"
        );
        let mut china = base.clone();
        china["region"] = "cn-north-1".into();
        assert_eq!(
            config(china).endpoint().unwrap().origin(),
            "https://sns.cn-north-1.amazonaws.com.cn"
        );
        let mut set = base.clone();
        set["endpoint"] = "http://127.0.0.1:4013".into();
        let set = config(set);
        assert_eq!(set.endpoint().unwrap().origin(), "http://127.0.0.1:4013");
        // The derived endpoint is not written back, so the JSON derives it again; one the
        // config names is.
        assert!(
            serde_json::to_value(config(base))
                .unwrap()
                .get("endpoint")
                .is_none()
        );
        assert_eq!(
            serde_json::to_value(set).unwrap()["endpoint"],
            "http://127.0.0.1:4013"
        );
        let mut bad = SnsConfig::new("AKIA", "s", "not a region", vec![]);
        assert!(bad.endpoint().is_err());
        bad.region = "us-east-1".into();
        assert!(bad.endpoint().is_ok());
    }

    #[test]
    fn debug_never_shows_the_secrets() {
        let mut config = SnsConfig::new(
            "AKIAIOSFODNN7EXAMPLE",
            "the-secret-key",
            "us-east-1",
            vec![],
        );
        config.session_token = Some(Secret::new("the-session-token"));
        let printed = format!("{config:?}");
        assert!(!printed.contains("the-secret-key"), "{printed}");
        assert!(!printed.contains("the-session-token"), "{printed}");
    }
}
