//! The built-in connectors.

use connector_kit::Registry;

/// A registry of every built-in connector, in the order `list` prints them.
pub fn registry() -> Registry {
    Registry::new(vec![
        Box::new(connector_twilio_sms::factory()),
        Box::new(connector_aliyun_sms::factory()),
        Box::new(connector_tencent_sms::factory()),
    ])
}
