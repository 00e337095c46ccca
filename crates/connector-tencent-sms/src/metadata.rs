//! The Tencent Cloud SMS connector's metadata.

use connector_kit::{ConnectorMetadata, LocalizedText};

use crate::{ID, TARGET};

/// The metadata, without form items (the kit derives them from the config schema).
pub fn metadata() -> ConnectorMetadata {
    ConnectorMetadata {
        id: ID.to_owned(),
        target: TARGET.to_owned(),
        platform: None,
        name: LocalizedText::new(
            "Tencent Cloud SMS",
            [("zh-CN", "腾讯云短信"), ("zh-TW", "騰訊雲簡訊")],
        ),
        description: LocalizedText::new(
            "Sends verification codes by SMS through Tencent Cloud SMS, to mainland China and international numbers.",
            [
                (
                    "zh-CN",
                    "通过腾讯云短信向中国大陆及境外手机号发送短信验证码。",
                ),
                (
                    "zh-TW",
                    "透過騰訊雲簡訊向中國大陸及境外手機號碼發送簡訊驗證碼。",
                ),
            ],
        ),
        logo: "./logo.svg".to_owned(),
        logo_dark: None,
        readme: "./README.md".to_owned(),
        form_items: Vec::new(),
    }
}
