//! The Aliyun connector's metadata.

use connector_kit::{ConnectorMetadata, LocalizedText};

use crate::{ID, TARGET};

/// The metadata, without form items (the kit derives them from the config schema).
pub fn metadata() -> ConnectorMetadata {
    ConnectorMetadata {
        id: ID.to_owned(),
        target: TARGET.to_owned(),
        platform: None,
        name: LocalizedText::new(
            "Aliyun Short Message Service",
            [("zh-CN", "阿里云短信服务"), ("zh-TW", "阿里雲簡訊服務")],
        ),
        description: LocalizedText::new(
            "Sends verification codes by SMS through Aliyun (Alibaba Cloud) Short Message Service, to mainland China and overseas numbers.",
            [
                (
                    "zh-CN",
                    "通过阿里云短信服务向中国内地及海外手机号发送短信验证码。",
                ),
                (
                    "zh-TW",
                    "透過阿里雲簡訊服務向中國內地及海外手機號碼發送簡訊驗證碼。",
                ),
            ],
        ),
        logo: "./logo.svg".to_owned(),
        logo_dark: None,
        readme: "./README.md".to_owned(),
        form_items: Vec::new(),
    }
}
