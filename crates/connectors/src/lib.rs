#![doc = include_str!("../README.md")]
#![doc(test(attr(deny(warnings))))]
#![deny(missing_docs)]

use connector_kit::{ConnectorFactory, Registry};
use serde_json::{Map, Value, json};

pub use connector_aliyun_sms as aliyun;
pub use connector_aws_sns as aws_sns;
pub use connector_http_sms as http;
pub use connector_router_sms as router;
pub use connector_tencent_sms as tencent;
pub use connector_twilio_sms as twilio;
pub use connector_vonage_sms as vonage;

/// A registry of every built-in connector: Twilio, Aliyun, Tencent Cloud, Vonage, AWS SNS,
/// HTTP, in that order (the order `sms-connector list` prints and `cargo xtask docs` documents them in),
/// then the router, whose members can be any of the providers before it.
pub fn registry() -> Registry {
    let providers: Vec<Box<dyn ConnectorFactory>> = vec![
        Box::new(twilio::factory()),
        Box::new(aliyun::factory()),
        Box::new(tencent::factory()),
        Box::new(vonage::factory()),
        Box::new(aws_sns::factory()),
        Box::new(http::factory()),
    ];
    let mut registry = Registry::new(providers);
    registry.register(Box::new(router::factory(members())));
    registry
}

/// The connectors a router may send through: every built-in provider, in registry order.
pub fn members() -> Vec<Box<dyn ConnectorFactory>> {
    vec![
        Box::new(twilio::factory()),
        Box::new(aliyun::factory()),
        Box::new(tencent::factory()),
        Box::new(vonage::factory()),
        Box::new(aws_sns::factory()),
        Box::new(http::factory()),
    ]
}

/// The folder of a built-in connector's crate in the repository, e.g.
/// `crates/connector-twilio-sms`.
pub fn crate_dir(factory: &dyn ConnectorFactory) -> String {
    // The crates not named `connector-<target>`.
    const NAMED_OTHERWISE: &[(&str, &str)] = &[("aws-sns-sms", "connector-aws-sns")];
    match NAMED_OTHERWISE
        .iter()
        .find(|(target, _)| *target == factory.target())
    {
        Some((_, name)) => format!("crates/{name}"),
        None => format!("crates/connector-{}", factory.target()),
    }
}

/// The path of a built-in connector's generated JSON Schema in the repository, e.g.
/// `schemas/twilio-short-message-service.schema.json`.
pub fn schema_path(factory: &dyn ConnectorFactory) -> String {
    format!("schemas/{}.schema.json", factory.id())
}

/// The path of a built-in connector's generated JSON Forms UI schema in the repository, e.g.
/// `schemas/twilio-short-message-service.uischema.json`.
pub fn ui_schema_path(factory: &dyn ConnectorFactory) -> String {
    format!("schemas/{}.uischema.json", factory.id())
}

/// One connector as the catalog describes it: its metadata in Logto's shape with `type`
/// after `target`, the `logo`, `logoDark` and `readme` paths from the repository root, and
/// the paths of its schema and of its JSON Forms UI schema. `schemas/index.json` and `sms-connector list --json` list exactly
/// these entries.
pub fn catalog_entry(factory: &dyn ConnectorFactory) -> Value {
    let dir = crate_dir(factory);
    let metadata = serde_json::to_value(factory.metadata()).unwrap_or(Value::Null);
    let mut entry = Map::new();
    if let Value::Object(fields) = metadata {
        for (key, value) in fields {
            let value = match (key.as_str(), value) {
                ("logo" | "logoDark" | "readme", Value::String(path)) => {
                    Value::String(format!("{dir}/{}", path.trim_start_matches("./")))
                }
                (_, value) => value,
            };
            let is_target = key == "target";
            entry.insert(key, value);
            if is_target {
                entry.insert("type".into(), json!(factory.connector_type()));
            }
        }
    }
    entry.insert("schema".into(), Value::String(schema_path(factory)));
    entry.insert("uiSchema".into(), Value::String(ui_schema_path(factory)));
    Value::Object(entry)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalog_entries_name_repository_paths() {
        let registry = registry();
        let entry = catalog_entry(registry.require("twilio-sms").unwrap());
        assert_eq!(entry["logo"], "crates/connector-twilio-sms/logo.svg");
        assert_eq!(entry["readme"], "crates/connector-twilio-sms/README.md");
        assert_eq!(entry["type"], "Sms");
        assert_eq!(
            entry["schema"],
            "schemas/twilio-short-message-service.schema.json"
        );
        let keys: Vec<&str> = entry
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(&keys[..3], ["id", "target", "type"]);
    }
}
