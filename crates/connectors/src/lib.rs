#![doc = include_str!("../README.md")]
#![doc(test(attr(deny(warnings))))]
#![deny(missing_docs)]

use connector_kit::Registry;

pub use connector_aliyun_sms as aliyun;
pub use connector_tencent_sms as tencent;
pub use connector_twilio_sms as twilio;

/// A registry of every built-in connector: Twilio, Aliyun, Tencent Cloud, in that order (the
/// order `sms-connector list` prints and `cargo xtask docs` documents them in).
pub fn registry() -> Registry {
    Registry::new(vec![
        Box::new(twilio::factory()),
        Box::new(aliyun::factory()),
        Box::new(tencent::factory()),
    ])
}
