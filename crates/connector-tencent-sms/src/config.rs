//! The Tencent Cloud SMS connector's config.

use std::borrow::Cow;
use std::fmt;

use connector_kit::{
    CodeWording, HttpSettings, RegionalCode, Secret, TemplateType, UsageTemplate, filled_or_empty,
    require_usage_types,
};
use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::{Deserialize, Serialize};

use crate::Tencent;

/// The template parameters used when a template names none: the verification code alone.
pub(crate) const DEFAULT_PARAMS: &[&str] = &["code"];

/// # Tencent Cloud SMS connector config
///
/// Field names match Logto's Tencent SMS connector, so an existing config works unchanged.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TencentConfig {
    /// # SecretId
    ///
    /// The SecretId of a Tencent Cloud API key (访问管理 > API密钥), usually `AKID` followed by
    /// letters and digits. Prefer the key of a sub-user that may only use SMS.
    #[schemars(
        length(min = 1),
        pattern(r"^[A-Za-z0-9]+$"),
        example = &"AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE"
    )]
    pub access_key_id: String,

    /// # SecretKey
    ///
    /// The SecretKey paired with the SecretId. Kept secret: never logged or displayed.
    #[schemars(example = &"your-tencent-cloud-secret-key")]
    pub access_key_secret: Secret,

    /// # Signature
    ///
    /// The approved SMS signature (签名) printed in brackets before every message, such as
    /// `腾讯云`. Required for mainland China numbers; may be empty if you only send to numbers
    /// outside the mainland.
    #[schemars(transform = filled_or_empty, example = &"腾讯云")]
    pub sign_name: String,

    /// # SDK AppID
    ///
    /// The SmsSdkAppId of the SMS application that sends the messages (短信 > 应用管理 in the
    /// console), such as `1400006666`.
    #[schemars(pattern(r"^[0-9]+$"), example = &"1400006666")]
    pub sdk_app_id: String,

    /// # Region
    ///
    /// The region whose SMS service handles the requests (`X-TC-Region`).
    #[schemars(example = &"ap-guangzhou")]
    pub region: Region,

    /// # Templates
    ///
    /// One SMS template per usage type. Must include Register, SignIn, ForgotPassword and
    /// Generic; any other usage type without a template uses Generic.
    #[schemars(transform = require_usage_types, example = example_templates(), extend("default" = default_templates()))]
    pub templates: Vec<TencentTemplate>,

    /// Endpoint and timeouts.
    #[serde(flatten)]
    pub http: HttpSettings<Tencent>,
}

impl TencentConfig {
    /// A config with the credentials, the signature, the SMS application, the region and the
    /// templates, every other field at its default. `Connector::new` checks it by the rules
    /// config JSON is checked by.
    pub fn new(
        access_key_id: impl Into<String>,
        access_key_secret: impl Into<String>,
        sign_name: impl Into<String>,
        sdk_app_id: impl Into<String>,
        region: Region,
        templates: Vec<TencentTemplate>,
    ) -> Self {
        Self {
            access_key_id: access_key_id.into(),
            access_key_secret: Secret::new(access_key_secret),
            sign_name: sign_name.into(),
            sdk_app_id: sdk_app_id.into(),
            region,
            templates,
            http: HttpSettings::default(),
        }
    }
}

/// # Tencent Cloud SMS template
///
/// The approved template sent for one usage type, and the payload keys that fill it.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TencentTemplate {
    /// # Usage type
    ///
    /// What the message is for.
    pub usage_type: TemplateType,

    /// # Template ID
    ///
    /// The ID of an approved body template (正文模板). Either one ID, or an object with a
    /// domestic template for mainland China numbers (`china`) and an international/Hong Kong,
    /// Macao and Taiwan template for all other numbers (`overseas`).
    pub template_code: TemplateCode,

    /// # Template parameters
    ///
    /// The payload keys whose values fill the template's `{1}`, `{2}`, ... placeholders, in
    /// that order. Values are sent as text; a missing key fails the send.
    #[serde(default = "default_params")]
    #[schemars(inner(length(min = 1)), example = example_params())]
    pub params: Vec<String>,

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

impl TencentTemplate {
    /// The template for one usage type, filled with the verification code alone
    /// (`params` is `["code"]`).
    pub fn new(usage_type: TemplateType, template_code: TemplateCode) -> Self {
        Self {
            usage_type,
            template_code,
            params: default_params(),
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

impl UsageTemplate for TencentTemplate {
    fn usage_type(&self) -> TemplateType {
        self.usage_type
    }

    fn locale(&self) -> Option<&str> {
        self.locale.as_deref()
    }
}

/// A template ID: one for every number, or `{ "china": ..., "overseas": ... }`, the domestic
/// template for `+86` mobile numbers and the international/Hong Kong, Macao and Taiwan
/// template for every other number.
pub type TemplateCode = RegionalCode<TemplateCodeWording>;

/// How Tencent's schema words its template IDs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TemplateCodeWording;

impl CodeWording for TemplateCodeWording {
    const SCHEMA_NAME: &'static str = "TemplateCode";
    const SINGLE_TITLE: &'static str = "one template ID for every number";
    const CHINA_DESCRIPTION: &'static str = "The domestic template ID, for mainland China numbers.";
    const OVERSEAS_DESCRIPTION: &'static str =
        "The international/Hong Kong, Macao and Taiwan template ID, for all other numbers.";
}

/// A region that serves the SMS API, as Tencent Cloud lists them for SendSms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Region {
    /// North China (Beijing), 华北地区(北京).
    #[serde(rename = "ap-beijing")]
    Beijing,
    /// South China (Guangzhou), 华南地区(广州).
    #[serde(rename = "ap-guangzhou")]
    Guangzhou,
    /// East China (Nanjing), 华东地区(南京).
    #[serde(rename = "ap-nanjing")]
    Nanjing,
    /// Southeast Asia (Singapore), 亚太东南(新加坡), for accounts on the international site.
    #[serde(rename = "ap-singapore")]
    Singapore,
}

impl Region {
    /// Every region, in the order the schema lists them.
    pub const ALL: [Region; 4] = [
        Self::Beijing,
        Self::Guangzhou,
        Self::Nanjing,
        Self::Singapore,
    ];

    /// The region as the console lists it: its id, then where it is.
    pub const fn label(self) -> &'static str {
        match self {
            Self::Beijing => "ap-beijing: Beijing (Chinese site)",
            Self::Guangzhou => "ap-guangzhou: Guangzhou (Chinese site)",
            Self::Nanjing => "ap-nanjing: Nanjing (Chinese site)",
            Self::Singapore => "ap-singapore: Singapore (international site)",
        }
    }

    /// The region id, as the API and configs write it.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Beijing => "ap-beijing",
            Self::Guangzhou => "ap-guangzhou",
            Self::Nanjing => "ap-nanjing",
            Self::Singapore => "ap-singapore",
        }
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A plain string `enum` titled "region", so the checker says "unknown region ...; expected
/// one of ..." and consoles render a select.
impl JsonSchema for Region {
    fn schema_name() -> Cow<'static, str> {
        "Region".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        connector_kit::choices(
            "region",
            "A Tencent Cloud region that serves SendSms: ap-beijing, ap-guangzhou and ap-nanjing on the Chinese site, ap-singapore on the international site.",
            "string",
            Self::ALL
                .iter()
                .map(|r| (r.as_str().into(), r.label().to_owned())),
        )
    }
}

fn default_params() -> Vec<String> {
    DEFAULT_PARAMS.iter().map(|&p| p.to_owned()).collect()
}

fn example_params() -> serde_json::Value {
    serde_json::json!(["code", "minutes"])
}

fn example_templates() -> serde_json::Value {
    serde_json::json!([
        { "usageType": "SignIn", "templateCode": "1110" },
        { "usageType": "Register", "templateCode": "1111" },
        { "usageType": "ForgotPassword", "templateCode": "1112" },
        {
            "usageType": "Generic",
            "templateCode": { "china": "1113", "overseas": "2113" },
            "params": ["code", "minutes"],
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
    fn template_codes_pick_by_recipient() {
        let single = TemplateCode::single("1");
        assert_eq!(single.for_number(true), "1");
        assert_eq!(single.for_number(false), "1");
        let regional = TemplateCode::regional("c", "o");
        assert_eq!(regional.for_number(true), "c");
        assert_eq!(regional.for_number(false), "o");
    }

    #[test]
    fn regions_serialize_as_their_ids() {
        for region in Region::ALL {
            assert_eq!(
                serde_json::to_value(region).unwrap(),
                serde_json::json!(region.as_str())
            );
        }
    }
}
