//! The Twilio connector's metadata.

use connector_kit::{ConnectorMetadata, LocalizedText};

use crate::{ID, TARGET};

/// The metadata, without form items (the kit derives them from the config schema).
pub fn metadata() -> ConnectorMetadata {
    ConnectorMetadata {
        id: ID.to_owned(),
        target: TARGET.to_owned(),
        platform: None,
        name: LocalizedText::new(
            "Twilio SMS",
            [("zh-CN", "Twilio 短信"), ("zh-TW", "Twilio 簡訊")],
        ),
        description: LocalizedText::new(
            "Sends verification codes by SMS through Twilio Programmable Messaging, worldwide.",
            [
                (
                    "zh-CN",
                    "通过 Twilio Programmable Messaging 向全球手机号发送短信验证码。",
                ),
                (
                    "zh-TW",
                    "透過 Twilio Programmable Messaging 向全球手機號碼發送簡訊驗證碼。",
                ),
            ],
        ),
        logo: "./logo.svg".to_owned(),
        logo_dark: None,
        readme: "./README.md".to_owned(),
        form_items: Vec::new(),
    }
}
