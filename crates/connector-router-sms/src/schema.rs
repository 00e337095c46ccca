//! The router's published schema: its own config, with each possible member's schema
//! embedded, so that a console validating with ajv (rjsf, JSON Forms) checks a member's
//! config as that member checks it.
//!
//! Each member factory's schema becomes the definition named after its target
//! (`twilio-sms`), its own definitions renamed `<target>.<Name>` so that two connectors'
//! `TemplateType` never collide, and the `Member` definition gets one
//! `if target is X then config is X's schema` clause per target.

use connector_kit::ConnectorFactory;
use serde_json::{Map, Value, json};

use crate::config::RouterConfig;

/// The router's own schema, members' configs left as any object: what the router checks
/// before handing each member's config to that member's factory.
pub(crate) fn shell() -> Value {
    connector_kit::schema_for::<RouterConfig>()
}

/// The published schema: [`shell`] with the member targets as titled choices and each
/// member's schema embedded.
pub(crate) fn published(shell: &Value, members: &[Box<dyn ConnectorFactory>]) -> Value {
    let mut schema = shell.clone();
    let targets = members.iter().map(|factory| {
        (
            Value::String(factory.target().to_owned()),
            format!("{} ({})", factory.metadata().name.en, factory.target()),
        )
    });
    let choices = connector_kit::choices(
        "connector",
        "The member connector's target.",
        "string",
        targets,
    );
    let clauses: Vec<Value> = members
        .iter()
        .map(|factory| {
            let target = factory.target();
            json!({
                "if": {
                    "type": "object",
                    "properties": { "target": { "const": target } },
                    "required": ["target"],
                },
                "then": {
                    "type": "object",
                    "properties": {
                        "target": {},
                        "config": { "$ref": format!("#/definitions/{target}") },
                    },
                },
            })
        })
        .collect();
    let mut embedded = Map::new();
    for factory in members {
        embed(factory.target(), factory.config_schema(), &mut embedded);
    }
    if let Some(definitions) = schema.get_mut("definitions").and_then(Value::as_object_mut) {
        if let Some(member) = definitions.get_mut("Member").and_then(Value::as_object_mut) {
            if let Some(Value::Object(properties)) = member.get_mut("properties") {
                properties.insert("target".into(), choices.to_value());
            }
            member.insert("allOf".into(), Value::Array(clauses));
        }
        definitions.extend(embedded);
    }
    schema
}

/// Adds a member's schema to `definitions` as `<target>`, with its definitions as
/// `<target>.<Name>` and every reference rewritten to match.
fn embed(target: &str, schema: &Value, definitions: &mut Map<String, Value>) {
    let mut root = schema.clone();
    let own = root
        .as_object_mut()
        .and_then(|object| {
            object.remove("$schema");
            object.remove("definitions")
        })
        .and_then(|d| match d {
            Value::Object(map) => Some(map),
            _ => None,
        })
        .unwrap_or_default();
    rename_refs(&mut root, target);
    definitions.insert(target.to_owned(), root);
    for (name, mut definition) in own {
        rename_refs(&mut definition, target);
        definitions.insert(format!("{target}.{name}"), definition);
    }
}

fn rename_refs(value: &mut Value, target: &str) {
    match value {
        Value::Object(object) => {
            for (key, item) in object.iter_mut() {
                match (key.as_str(), item) {
                    ("$ref", Value::String(reference)) => {
                        if let Some(name) = reference.strip_prefix("#/definitions/") {
                            *reference = format!("#/definitions/{target}.{name}");
                        }
                    }
                    (_, item) => rename_refs(item, target),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| rename_refs(item, target)),
        _ => {}
    }
}
