//! Connector metadata and console form items, serialized as Logto serializes them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::schema::SchemaView;

/// The kind of connector.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ConnectorType {
    /// Sends email.
    Email,
    /// Sends SMS.
    Sms,
    /// Signs users in with another identity provider.
    Social,
}

/// The locales beside English every connector names and describes itself in: those Logto's
/// connector metadata carries (`zh-CN`, `tr-TR`, `ko`), and `zh-TW`.
pub const REQUIRED_LOCALES: &[&str] = &["zh-CN", "zh-TW", "tr-TR", "ko"];

/// A phrase in several languages: `en` is required, other keys are BCP-47 language tags.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalizedText {
    /// The English phrase.
    pub en: String,
    /// The phrase in other languages, by BCP-47 tag (`zh-CN`, `zh-TW`, `ja`, ...).
    #[serde(flatten)]
    pub others: BTreeMap<String, String>,
}

impl LocalizedText {
    /// An English phrase with translations.
    pub fn new<'a>(
        en: impl Into<String>,
        others: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Self {
        Self {
            en: en.into(),
            others: others
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect(),
        }
    }

    /// A phrase from `(tag, phrase)` pairs, as providers declare them: the `en` pair is the
    /// English phrase, the others its translations.
    pub fn from_phrases(phrases: &[(&str, &str)]) -> Self {
        let en = phrases
            .iter()
            .find(|(tag, _)| *tag == "en")
            .map_or("", |(_, phrase)| phrase);
        Self::new(en, phrases.iter().copied().filter(|(tag, _)| *tag != "en"))
    }

    /// The phrase for a language tag, falling back to English.
    pub fn get(&self, tag: &str) -> &str {
        self.others.get(tag).map_or(&self.en, String::as_str)
    }
}

/// The kind of input a console renders for a config field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FormItemType {
    /// One line of text.
    Text,
    /// A number.
    Number,
    /// Several lines of text.
    MultilineText,
    /// An on/off switch.
    Switch,
    /// One choice from a list.
    Select,
    /// Several choices from a list.
    MultiSelect,
    /// A JSON editor, for arrays and objects.
    Json,
}

/// One choice of a `Select` or `MultiSelect` form item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SelectItem {
    /// The value stored in the config.
    pub value: Value,
    /// What the console shows.
    pub title: String,
}

/// One field of a connector's config form, as Logto's console reads it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FormItem {
    /// The input kind.
    #[serde(rename = "type")]
    pub kind: FormItemType,
    /// The config key.
    pub key: String,
    /// The field label.
    pub label: String,
    /// Placeholder text, from the schema's first example.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub placeholder: Option<String>,
    /// Whether the field is required.
    #[serde(default)]
    pub required: bool,
    /// The default value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_value: Option<Value>,
    /// Help text under the field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// A tooltip beside the label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tooltip: Option<String>,
    /// Whether the value is a secret the console must mask.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub is_confidential: bool,
    /// The choices of a `Select` or `MultiSelect`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub select_items: Option<Vec<SelectItem>>,
}

/// What a connector tells a host and a console about itself, in Logto's shape.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConnectorMetadata {
    /// Unique id, e.g. `twilio-short-message-service`.
    pub id: String,
    /// The provider target, e.g. `twilio-sms`.
    pub target: String,
    /// The platform: always null for SMS connectors.
    pub platform: Option<String>,
    /// Display name.
    pub name: LocalizedText,
    /// What the connector does.
    pub description: LocalizedText,
    /// Logo path, relative to the connector's crate.
    pub logo: String,
    /// Logo for dark backgrounds, when it differs.
    pub logo_dark: Option<String>,
    /// README path, relative to the connector's crate.
    pub readme: String,
    /// Console form items, derived from the config schema.
    pub form_items: Vec<FormItem>,
}

fn select_items(choices: Vec<(&Value, String)>) -> Vec<SelectItem> {
    choices
        .into_iter()
        .map(|(value, title)| SelectItem {
            value: value.clone(),
            title,
        })
        .collect()
}

/// Derives the console form items from a config's JSON Schema, one per top-level property, in
/// schema order: title to label, description, default, first example to placeholder, enum (or
/// `oneOf` of titled `const`s) to `Select`, array of those to `MultiSelect`, boolean to `Switch`, number and integer to
/// `Number`, array, object and unions to `Json`, `writeOnly` to `isConfidential`.
pub fn form_items_from_schema(schema: &Value) -> Vec<FormItem> {
    let root = SchemaView::root(schema);
    let required = root.required();
    root.properties()
        .map(|(key, field)| {
            let item_enum = field.items().and_then(SchemaView::choices);
            let (kind, choices) = match (field.choices(), item_enum, field.first_type()) {
                (Some(values), _, _) => (FormItemType::Select, Some(select_items(values))),
                (None, Some(values), Some("array")) => {
                    (FormItemType::MultiSelect, Some(select_items(values)))
                }
                (_, _, Some("boolean")) => (FormItemType::Switch, None),
                (_, _, Some("integer" | "number")) => (FormItemType::Number, None),
                (_, _, Some("string")) => (FormItemType::Text, None),
                _ => (FormItemType::Json, None),
            };
            let placeholder = field
                .annotation("examples")
                .and_then(Value::as_array)
                .and_then(|e| e.first())
                .map(|example| match example {
                    Value::String(s) => s.clone(),
                    other if kind == FormItemType::Json => {
                        serde_json::to_string_pretty(other).unwrap_or_else(|_| other.to_string())
                    }
                    other => other.to_string(),
                });
            FormItem {
                kind,
                key: key.to_owned(),
                label: field.text("title").unwrap_or(key).to_owned(),
                placeholder,
                required: required.contains(&key),
                default_value: field.annotation("default").cloned(),
                description: field.text("description").map(str::to_owned),
                tooltip: None,
                is_confidential: field.is_secret(),
                select_items: choices,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn derives_each_kind_of_form_item() {
        let schema = json!({
            "type": "object",
            "properties": {
                "token": {"title": "Token", "type": "string", "writeOnly": true, "examples": ["abc"]},
                "flag": {"type": "boolean", "default": false},
                "count": {"type": "integer", "minimum": 1},
                "region": {"$ref": "#/$defs/Region", "description": "Where"},
                "tags": {"type": "array", "items": {"enum": ["a", "b"]}},
                "templates": {"type": "array", "examples": [[{"x": 1}]]},
            },
            "required": ["token"],
            "$defs": {"Region": {"type": "string", "enum": ["ap-guangzhou"]}},
        });
        let items = form_items_from_schema(&schema);
        let kinds: Vec<FormItemType> = items.iter().map(|i| i.kind).collect();
        assert_eq!(
            kinds,
            [
                FormItemType::Text,
                FormItemType::Switch,
                FormItemType::Number,
                FormItemType::Select,
                FormItemType::MultiSelect,
                FormItemType::Json
            ]
        );
        assert!(items[0].is_confidential && items[0].required);
        assert_eq!(items[0].label, "Token");
        assert_eq!(items[0].placeholder.as_deref(), Some("abc"));
        assert_eq!(items[1].default_value, Some(json!(false)));
        assert_eq!(items[3].description.as_deref(), Some("Where"));
        assert_eq!(
            items[5].placeholder.as_deref(),
            Some("[\n  {\n    \"x\": 1\n  }\n]")
        );
        let json = serde_json::to_value(&items[0]).unwrap();
        assert_eq!(json["isConfidential"], json!(true));
        assert_eq!(json["type"], json!("Text"));
    }

    #[test]
    fn localized_text_serializes_flat_with_en_first() {
        let text = LocalizedText::new("SMS", [("zh-CN", "短信")]);
        assert_eq!(
            serde_json::to_string(&text).unwrap(),
            r#"{"en":"SMS","zh-CN":"短信"}"#
        );
        assert_eq!(text.get("zh-CN"), "短信");
        assert_eq!(text.get("fr"), "SMS");
    }
}
