#![doc = include_str!("../README.md")]
#![doc(test(attr(deny(warnings))))]

mod config;
mod country;
mod router;
mod schema;
mod validate;

use std::fmt;
use std::sync::Arc;

use connector_kit::metadata::form_items_from_schema;
use connector_kit::{
    ConfigWarning, ConnectorError, ConnectorFactory, ConnectorMetadata, ConnectorType,
    LocalizedText, SchemaView, SmsConnector,
};
use serde_json::Value;

pub use config::{CountryCode, Member, MemberName, Route, RouterConfig};
pub use router::{Router, fails_over};

/// The router's connector id.
pub const ID: &str = "router-short-message-service";
/// The router's target.
pub const TARGET: &str = "router-sms";

/// The router's name, English first.
const NAME: connector_kit::connector::Phrases = &[
    ("en", "SMS router"),
    ("zh-CN", "短信路由"),
    ("zh-TW", "簡訊路由"),
    ("tr-TR", "SMS yönlendirici"),
    ("ko", "SMS 라우터"),
];

/// What the router does, English first.
const DESCRIPTION: connector_kit::connector::Phrases = &[
    (
        "en",
        "Sends each verification code through other SMS connectors, chosen by the recipient's country, and tries the next one only when a connector provably did not send.",
    ),
    (
        "zh-CN",
        "按收件人所在国家或地区选择其他短信连接器发送验证码；仅当某个连接器确定未发送时才改用下一个。",
    ),
    (
        "zh-TW",
        "依收件人所在國家或地區選擇其他簡訊連接器發送驗證碼；僅在某個連接器確定未發送時才改用下一個。",
    ),
    (
        "tr-TR",
        "Her doğrulama kodunu alıcının ülkesine göre seçilen diğer SMS bağlayıcıları üzerinden gönderir; bir sonrakini yalnızca bir bağlayıcının kesinlikle göndermediği durumda dener.",
    ),
    (
        "ko",
        "수신자의 국가에 따라 선택한 다른 SMS 커넥터로 인증 코드를 보내며, 커넥터가 확실히 보내지 않은 경우에만 다음 커넥터를 시도합니다.",
    ),
];

/// The recipient country the router reads from a number in E.164 form (`+` and digits), as
/// ISO 3166 alpha-2: `+8613800138000` is `CN`, `+14155550100` `US`, `+16135550123` `CA`;
/// `None` when no country's number patterns match it. The answer is the one
/// `phonenumber::parse` gives, found from libphonenumber's metadata without a full parse.
pub fn country_of(e164: &str) -> Option<String> {
    router::Routing::country_of(e164)
}

/// The router's factory over its possible members: `connectors::registry()` builds it over
/// the built-in providers.
pub fn factory(members: Vec<Box<dyn ConnectorFactory>>) -> RouterFactory {
    RouterFactory::new(members)
}

/// Describes the router and creates routers from config JSON. Its members are created by
/// the member factories it was built over; a router is never one of them.
pub struct RouterFactory {
    members: Vec<Box<dyn ConnectorFactory>>,
    shell: Value,
    schema: Value,
    metadata: Arc<ConnectorMetadata>,
}

impl fmt::Debug for RouterFactory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let targets: Vec<&str> = self.members.iter().map(|m| m.target()).collect();
        f.debug_struct("RouterFactory")
            .field("members", &targets)
            .finish_non_exhaustive()
    }
}

impl RouterFactory {
    /// A factory whose routers may use any of `members` (routers among them are left out:
    /// a router cannot be a member of a router).
    pub fn new(members: Vec<Box<dyn ConnectorFactory>>) -> Self {
        let members: Vec<Box<dyn ConnectorFactory>> = members
            .into_iter()
            .filter(|m| m.target() != TARGET)
            .collect();
        let shell = schema::shell();
        let schema = schema::published(&shell, &members);
        let metadata = ConnectorMetadata {
            id: ID.to_owned(),
            target: TARGET.to_owned(),
            platform: None,
            name: LocalizedText::from_phrases(NAME),
            description: LocalizedText::from_phrases(DESCRIPTION),
            logo: "./logo.svg".to_owned(),
            logo_dark: None,
            readme: "./README.md".to_owned(),
            form_items: form_items_from_schema(&schema),
        };
        Self {
            members,
            shell,
            schema,
            metadata: Arc::new(metadata),
        }
    }

    /// The member factories, in the order given.
    pub fn member_factories(&self) -> impl Iterator<Item = &dyn ConnectorFactory> {
        self.members.iter().map(|m| m.as_ref())
    }

    /// Parses a config, with what validation noticed, or `invalid_config` with every problem.
    pub fn parse(
        &self,
        config: &Value,
    ) -> Result<(RouterConfig, Vec<ConfigWarning>), ConnectorError> {
        validate::check(&self.shell, &self.members, config)
    }

    /// A router from config JSON, validated first (each member by its own factory); what
    /// validation noticed is logged at `warn` level.
    pub fn router(&self, config: &Value) -> Result<Router, ConnectorError> {
        let (parsed, warnings) = self.parse(config)?;
        for warning in &warnings {
            tracing::warn!(
                target: "connector_kit::config",
                connector = ID,
                path = %warning.path,
                kind = warning.kind.as_str(),
                "{}",
                warning.message
            );
        }
        let mut members = Vec::with_capacity(parsed.members.len());
        let mut names = Vec::with_capacity(parsed.members.len());
        for (name, member) in &parsed.members {
            let factory = self
                .members
                .iter()
                .find(|f| f.target() == member.target)
                .ok_or_else(|| {
                    ConnectorError::invalid_config(format!(
                        "member {name:?}: unknown connector {:?}",
                        member.target
                    ))
                })?;
            let connector = factory.create(&Value::Object(member.config.clone()))?;
            members.push(router::Member {
                name: name.clone(),
                connector,
            });
            names.push(name.clone());
        }
        Ok(Router {
            metadata: Arc::clone(&self.metadata),
            routing: router::Routing::new(&parsed, &names),
            members,
            budget: parsed.timeout_ms.map(std::time::Duration::from_millis),
        })
    }

    /// The secrets of a router config (every member's), for hosts that store or show it.
    pub fn secret_values(&self, config: &Value) -> Vec<String> {
        SchemaView::root(&self.schema).secret_values(config)
    }
}

impl ConnectorFactory for RouterFactory {
    fn connector_type(&self) -> ConnectorType {
        ConnectorType::Sms
    }

    fn metadata(&self) -> &ConnectorMetadata {
        &self.metadata
    }

    fn config_schema(&self) -> &Value {
        &self.schema
    }

    fn validate_config(&self, config: &Value) -> Result<Vec<ConfigWarning>, ConnectorError> {
        self.parse(config).map(|(_, warnings)| warnings)
    }

    fn create(&self, config: &Value) -> Result<Box<dyn SmsConnector>, ConnectorError> {
        Ok(Box::new(self.router(config)?))
    }

    fn signing(&self) -> &'static str {
        "none of its own: each member signs its requests as its connector does"
    }

    fn readme(&self) -> &'static str {
        include_str!("../README.md")
    }

    fn logo_svg(&self) -> &'static str {
        include_str!("../logo.svg")
    }
}
