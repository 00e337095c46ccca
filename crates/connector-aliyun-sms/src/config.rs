//! The Aliyun connector's config.

use std::borrow::Cow;

use connector_kit::{
    CodeWording, HttpSettings, RegionalCode, Secret, TemplateType, UsageTemplate, filled,
    require_usage_types,
};
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::Aliyun;

/// The default `RegionId`, that of the default endpoint (China (Hangzhou)).
pub(crate) const DEFAULT_REGION_ID: &str = "cn-hangzhou";

/// # Aliyun SMS connector config
///
/// Field names match Logto's Aliyun SMS connector, so an existing config works unchanged;
/// `endpoint`, `regionId`, `signatureVersion`, `timeoutMs` and `connectTimeoutMs` are
/// optional additions.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct AliyunConfig {
    /// # AccessKey ID
    ///
    /// The AccessKey ID of a RAM user allowed to send SMS (for example with the
    /// AliyunDysmsFullAccess policy), from the AccessKey page of the Aliyun console.
    #[schemars(transform = filled, example = &"LTAI5tExampleAccessKeyId")]
    pub access_key_id: String,

    /// # AccessKey secret
    ///
    /// The secret paired with the AccessKey ID. It signs every request and is never sent,
    /// logged or displayed.
    #[schemars(example = &"your-aliyun-access-key-secret")]
    pub access_key_secret: Secret,

    /// # Signature name
    ///
    /// The approved SMS signature (签名) that heads every message, exactly as it appears in
    /// the console's signature list, without the 【】 brackets.
    #[schemars(transform = filled, example = &"阿里云短信测试")]
    pub sign_name: String,

    /// # Templates
    ///
    /// One approved Aliyun template per usage type. Must include Register, SignIn,
    /// ForgotPassword and Generic; any other usage type without a template uses Generic.
    #[schemars(transform = require_usage_types, example = example_templates(), extend("default" = default_templates()))]
    pub templates: Vec<AliyunTemplate>,

    /// # Strict phone region check
    ///
    /// When on, a number counts as mainland China only with an explicit `+86`, `0086` or `86`
    /// prefix; a bare 11-digit number is then rejected instead of being taken for a mainland
    /// number. When off, a bare 11-digit number starting with 1 is a mainland number.
    #[serde(default)]
    pub strict_phone_region_number_check: bool,

    /// # Region ID
    ///
    /// The `RegionId` sent with every `v1` request; it should match the endpoint's region
    /// (`cn-hangzhou` for the default endpoint, `ap-southeast-1` for Singapore). `v3`
    /// requests carry no region; the endpoint alone says it.
    #[serde(default = "default_region_id")]
    #[schemars(length(min = 1, max = 64), pattern(r"^[a-z0-9-]+$"))]
    pub region_id: String,

    /// # Signature version
    ///
    /// How requests are signed: `v1`, the RPC signature (HMAC-SHA1 over the sorted parameters,
    /// `SignatureVersion=1.0`, what Logto's connector sends), or `v3`, the `ACS3-HMAC-SHA256`
    /// signature in an `Authorization` header that Aliyun's current SDKs use. Both reach the
    /// same SendSms API; defaults to `v1`.
    #[serde(default)]
    pub signature_version: SignatureVersion,

    /// Endpoint and timeouts.
    #[serde(flatten)]
    pub http: HttpSettings<Aliyun>,
}

/// How Aliyun requests are signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[non_exhaustive]
pub enum SignatureVersion {
    /// `v1`: the RPC signature, HMAC-SHA1 over the sorted parameters (`SignatureMethod=HMAC-SHA1`,
    /// `SignatureVersion=1.0`), sent as the `Signature` parameter. The default, as in Logto.
    #[default]
    #[serde(rename = "v1")]
    V1,
    /// `v3`: `ACS3-HMAC-SHA256`, a signed canonical request in an `Authorization` header, the
    /// parameters in the query string and `x-acs-*` headers.
    #[serde(rename = "v3")]
    V3,
}

impl JsonSchema for SignatureVersion {
    fn schema_name() -> Cow<'static, str> {
        "SignatureVersion".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "title": "signature version",
            "type": "string",
            "enum": ["v1", "v3"],
        })
    }
}

impl AliyunConfig {
    /// A config with the credentials, the signature and the templates, every other field at
    /// its default. `Connector::new` checks it by the rules config JSON is checked by.
    pub fn new(
        access_key_id: impl Into<String>,
        access_key_secret: impl Into<String>,
        sign_name: impl Into<String>,
        templates: Vec<AliyunTemplate>,
    ) -> Self {
        Self {
            access_key_id: access_key_id.into(),
            access_key_secret: Secret::new(access_key_secret),
            sign_name: sign_name.into(),
            templates,
            strict_phone_region_number_check: false,
            region_id: default_region_id(),
            signature_version: SignatureVersion::default(),
            http: HttpSettings::default(),
        }
    }

    /// Signs with this signature version (`v1` by default).
    #[must_use]
    pub fn with_signature_version(mut self, version: SignatureVersion) -> Self {
        self.signature_version = version;
        self
    }
}

/// # Aliyun template
///
/// The approved Aliyun template sent for one usage type.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct AliyunTemplate {
    /// # Usage type
    ///
    /// What the message is for.
    pub usage_type: TemplateType,

    /// # Template code
    ///
    /// The template's code from the console (`SMS_` followed by digits). Either one code, or
    /// `{ "china": ..., "overseas": ... }`: mainland China numbers use the `china` code
    /// (a 国内消息 template) and every other number the `overseas` code (a 国际/港澳台消息
    /// template).
    pub template_code: TemplateCode,

    /// # Template type
    ///
    /// The template's type in the Aliyun console, for reference: 0 notification (短信通知),
    /// 1 promotion (推广短信), 2 verification code (验证码), 6 international or Hong Kong,
    /// Macao and Taiwan message (国际/港澳台消息), 7 digits only (数字短信). Defaults to 2. It is
    /// not sent; Aliyun knows each template's type from its code.
    #[serde(rename = "type", default)]
    pub template_type: AliyunTemplateType,

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

impl AliyunTemplate {
    /// The approved template for one usage type, its `type` at the default (2, verification
    /// code).
    pub fn new(usage_type: TemplateType, template_code: impl Into<TemplateCode>) -> Self {
        Self {
            usage_type,
            template_code: template_code.into(),
            template_type: AliyunTemplateType::default(),
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

impl UsageTemplate for AliyunTemplate {
    fn usage_type(&self) -> TemplateType {
        self.usage_type
    }

    fn locale(&self) -> Option<&str> {
        self.locale.as_deref()
    }
}

/// A template code: one for every number, or `{ "china": ..., "overseas": ... }`, the
/// `china` code (a 国内消息 template) for mainland China numbers and the `overseas` code (a
/// 国际/港澳台消息 template) for every other number.
pub type TemplateCode = RegionalCode<TemplateCodeWording>;

/// How Aliyun's schema words its template codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TemplateCodeWording;

impl CodeWording for TemplateCodeWording {
    const SCHEMA_NAME: &'static str = "TemplateCode";
    const SINGLE_TITLE: &'static str = "one template code for every number";
    const CHINA_DESCRIPTION: &'static str = "The template code for mainland China numbers.";
    const OVERSEAS_DESCRIPTION: &'static str = "The template code for every other number.";
}

/// The type of an Aliyun SMS template, as the console shows it (and Logto's config stores
/// it): a JSON integer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AliyunTemplateType {
    /// `0`: notification (短信通知).
    Notification,
    /// `1`: promotion (推广短信).
    Promotion,
    /// `2`: verification code (验证码), the default.
    #[default]
    VerificationCode,
    /// `6`: international or Hong Kong, Macao and Taiwan message (国际/港澳台消息).
    International,
    /// `7`: digits-only message (数字短信).
    PureNumber,
}

impl AliyunTemplateType {
    /// Every type, in numeric order.
    pub const ALL: [Self; 5] = [
        Self::Notification,
        Self::Promotion,
        Self::VerificationCode,
        Self::International,
        Self::PureNumber,
    ];

    /// The type as the console lists it: its number, then its name.
    pub const fn label(self) -> &'static str {
        match self {
            Self::Notification => "0: notification (短信通知)",
            Self::Promotion => "1: promotion (推广短信)",
            Self::VerificationCode => "2: verification code (验证码)",
            Self::International => {
                "6: international or Hong Kong, Macao and Taiwan (国际/港澳台消息)"
            }
            Self::PureNumber => "7: digits only (数字短信)",
        }
    }

    /// The number Aliyun and Logto use.
    pub const fn as_u8(self) -> u8 {
        match self {
            Self::Notification => 0,
            Self::Promotion => 1,
            Self::VerificationCode => 2,
            Self::International => 6,
            Self::PureNumber => 7,
        }
    }

    /// The type with this number.
    pub fn from_u64(value: u64) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|t| u64::from(t.as_u8()) == value)
    }
}

impl Serialize for AliyunTemplateType {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u8(self.as_u8())
    }
}

impl<'de> Deserialize<'de> for AliyunTemplateType {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // `2.0` is the integer 2 to JSON Schema (and to consoles), so it is here too.
        let value = connector_kit::config::deserialize_u64(deserializer)?;
        Self::from_u64(value).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "unknown template type {value}; expected one of 0, 1, 2, 6, 7"
            ))
        })
    }
}

impl JsonSchema for AliyunTemplateType {
    fn schema_name() -> Cow<'static, str> {
        "AliyunTemplateType".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        connector_kit::choices(
            "template type",
            "",
            "integer",
            Self::ALL
                .iter()
                .map(|t| (t.as_u8().into(), t.label().to_owned())),
        )
    }
}

fn default_region_id() -> String {
    DEFAULT_REGION_ID.to_owned()
}

fn example_templates() -> serde_json::Value {
    serde_json::json!([
        { "usageType": "SignIn", "templateCode": "SMS_154950909", "type": 2 },
        { "usageType": "Register", "templateCode": "SMS_154950910", "type": 2 },
        { "usageType": "ForgotPassword", "templateCode": "SMS_154950911", "type": 2 },
        {
            "usageType": "Generic",
            "templateCode": { "china": "SMS_154950912", "overseas": "SMS_465890001" },
        },
    ])
}

/// What a console pre-fills: one template per required usage type, as Logto's console does,
/// with the template codes left for the operator to fill in.
fn default_templates() -> serde_json::Value {
    connector_kit::schema::required_templates(&serde_json::json!({ "templateCode": "" }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_config_built_in_rust_serializes_to_its_config_json() {
        let config = AliyunConfig::new(
            "LTAI5tExampleAccessKeyId",
            "example-secret",
            "Acme",
            vec![
                AliyunTemplate::new(TemplateType::SignIn, "SMS_1"),
                AliyunTemplate::new(
                    TemplateType::Generic,
                    TemplateCode::regional("SMS_2", "SMS_3"),
                ),
            ],
        );
        assert_eq!(
            serde_json::to_value(&config).unwrap(),
            serde_json::json!({
                "accessKeyId": "LTAI5tExampleAccessKeyId",
                "accessKeySecret": "example-secret",
                "signName": "Acme",
                "templates": [
                    {"usageType": "SignIn", "templateCode": "SMS_1", "type": 2},
                    {"usageType": "Generic", "templateCode": {"china": "SMS_2", "overseas": "SMS_3"}, "type": 2},
                ],
                "strictPhoneRegionNumberCheck": false,
                "regionId": "cn-hangzhou",
                "signatureVersion": "v1",
                "endpoint": "https://dysmsapi.aliyuncs.com",
                "timeoutMs": 10000,
                "connectTimeoutMs": 3000,
            })
        );
    }

    #[test]
    fn template_types_round_trip_as_integers() {
        for t in AliyunTemplateType::ALL {
            let json = serde_json::to_value(t).unwrap();
            assert!(json.is_u64());
            assert_eq!(
                serde_json::from_value::<AliyunTemplateType>(json).unwrap(),
                t
            );
        }
        for bad in [
            serde_json::json!(3),
            serde_json::json!("2"),
            serde_json::json!(-1),
        ] {
            assert!(serde_json::from_value::<AliyunTemplateType>(bad).is_err());
        }
    }
}
