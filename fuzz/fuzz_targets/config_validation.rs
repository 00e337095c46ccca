//! Config validation from arbitrary JSON never panics, and the schema and the parser agree:
//! a config the schema accepts is always one the parser accepts.
#![no_main]

use connector_kit::ConnectorFactory;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) else { return };
    let factories: Vec<Box<dyn ConnectorFactory>> = vec![
        Box::new(connector_twilio_sms::factory()),
        Box::new(connector_aliyun_sms::factory()),
        Box::new(connector_tencent_sms::factory()),
    ];
    for factory in &factories {
        if let Err(error) = factory.validate_config(&value) {
            // The kit reports a schema/parser disagreement as one problem at the root.
            let disagreement = error
                .details()
                .problems
                .iter()
                .any(|p| p.path.is_empty() && p.message.starts_with("accepted by the schema but not by the parser"));
            assert!(!disagreement, "{}: schema and parser disagree: {error}", factory.id());
        }
    }
});
