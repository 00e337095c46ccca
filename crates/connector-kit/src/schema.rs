//! Config schemas: how the kit generates them, and [`SchemaView`], the one way the kit (the
//! checker, the console form items) and the docs generator read them.
//!
//! A connector's config is a Rust struct deriving `Deserialize` and `JsonSchema`. Its
//! generated JSON Schema (draft-07) is the single source of truth; rules a console must
//! also enforce, such as the required usage types, live in the schema itself.

use schemars::generate::SchemaSettings;
use schemars::transform::{RecursiveTransform, RestrictFormats};
use schemars::{JsonSchema, Schema};
use serde_json::{Map, Value};

use crate::message::TemplateType;

/// The dialect of every schema the kit publishes: JSON Schema draft-07.
pub const DIALECT: &str = "http://json-schema.org/draft-07/schema#";

/// The JSON Schema (draft-07) of a config type, as the kit publishes it.
pub fn schema_for<C: JsonSchema>() -> Value {
    let mut formats = RestrictFormats::default();
    // Formats such as `uint64` mean nothing to a JavaScript validator; bounds are expressed
    // with `minimum`/`maximum` instead.
    formats.infer_from_meta_schema = false;
    // `password`, on secrets, is the one format kept: rjsf renders it as a password input,
    // and ajv-formats knows it (it validates nothing).
    formats.allowed_formats.insert("password".into());
    // Draft-07, the dialect form libraries validate with by default (rjsf's
    // `@rjsf/validator-ajv8` and JSON Forms' `createAjv` both build a draft-07 `Ajv`).
    let mut settings = SchemaSettings::draft2020_12();
    settings.definitions_path = "/definitions".into();
    settings.meta_schema = Some(DIALECT.into());
    let generator = settings
        .with_transform(formats)
        .with_transform(RecursiveTransform(plain_text))
        .into_generator();
    generator.into_root_schema_for::<C>().to_value()
}

/// Titles and descriptions as a console shows them: plain text. Doc comments wrap at source
/// width (a console wraps by itself), so single line breaks become spaces while paragraph
/// breaks stay; Markdown code marks (backticks) are dropped.
fn plain_text(schema: &mut Schema) {
    for key in ["title", "description"] {
        if let Some(Value::String(text)) = schema.get_mut(key) {
            if text.contains('\n') {
                *text = text
                    .split("\n\n")
                    .map(|paragraph| {
                        paragraph
                            .split('\n')
                            .map(str::trim)
                            .collect::<Vec<_>>()
                            .join(" ")
                    })
                    .collect::<Vec<_>>()
                    .join("\n\n");
            }
            if text.contains('`') {
                *text = text.replace('`', "");
            }
        }
    }
}

/// The pattern of a value an operator must fill in (a credential, a sign name, a template
/// code): something other than whitespace, and not an unfilled `<placeholder>` (its first
/// non-blank character is not `<`, or its last is not `>`). Written without look-arounds so
/// that every validator (this kit's, ajv's) reads it the same.
pub const FILLED_PATTERN: &str = r"^\s*[^\s<]|[^\s>]\s*$";

/// [`FILLED_PATTERN`] for a value that may also be left empty.
pub const FILLED_OR_EMPTY_PATTERN: &str = r"^$|^\s*[^\s<]|[^\s>]\s*$";

/// Makes a string field one the operator must fill in: not empty, not only whitespace, not
/// an unfilled `<placeholder>`, with the same words in every connector. Use as
/// `#[schemars(transform = filled)]` on a field without a stricter pattern of its own.
pub fn filled(schema: &mut Schema) {
    schema.remove("minLength");
    schema.insert("pattern".to_owned(), FILLED_PATTERN.into());
}

/// Like [`filled`], but the field may be left empty.
pub fn filled_or_empty(schema: &mut Schema) {
    schema.remove("minLength");
    schema.insert("pattern".to_owned(), FILLED_OR_EMPTY_PATTERN.into());
}

/// A closed set of values, each with a human title, as form libraries render a select with
/// labels (rjsf and JSON Forms both read `oneOf` of `const`s with `title`s): `values` are
/// `(value, title)` pairs. The kit's checker words a value outside the set as it words an
/// `enum` ("unknown {title} ...; expected one of ...").
pub fn choices(
    title: &str,
    description: &str,
    json_type: &str,
    values: impl IntoIterator<Item = (Value, String)>,
) -> Schema {
    let branches: Vec<Value> = values
        .into_iter()
        .map(|(value, label)| serde_json::json!({ "const": value, "title": label }))
        .collect();
    let mut schema = serde_json::json!({
        "title": title,
        "type": json_type,
        "oneOf": branches,
    });
    if !description.is_empty() {
        schema["description"] = Value::String(description.to_owned());
    }
    match schema {
        Value::Object(map) => Schema::from(map),
        _ => Schema::default(),
    }
}

/// The UI schema JSON Forms needs beside a config schema: a vertical layout with one control
/// per top-level property, in schema order, labelled with the field's title, and secrets
/// (`writeOnly`) rendered as password inputs (JSON Forms reads that from the UI schema's
/// `options.format`, not from the schema). rjsf needs none: it reads `format: password`.
pub fn json_forms_ui_schema(schema: &Value) -> Value {
    let root = SchemaView::root(schema);
    let elements: Vec<Value> = root
        .properties()
        .map(|(key, field)| {
            let mut control = serde_json::json!({
                "type": "Control",
                "scope": format!("#/properties/{key}"),
            });
            if let Some(title) = field.get("title").and_then(Value::as_str) {
                control["label"] = Value::String(title.to_owned());
            }
            if field.is_secret() {
                control["options"] = serde_json::json!({ "format": "password" });
            }
            control
        })
        .collect();
    serde_json::json!({ "type": "VerticalLayout", "elements": elements })
}

/// What a console pre-fills in `templates`, as Logto's console does: one template per
/// required usage type, each `{"usageType": ...}` plus `fields` (say `{"templateCode": ""}`,
/// left for the operator to fill in). Use as `extend("default" = ...)` on the field.
pub fn required_templates(fields: &Value) -> Value {
    let templates = TemplateType::REQUIRED
        .iter()
        .map(|t| {
            let mut template = serde_json::json!({ "usageType": t.as_str() });
            if let (Value::Object(template), Value::Object(fields)) = (&mut template, fields) {
                template.extend(fields.clone());
            }
            template
        })
        .collect();
    Value::Array(templates)
}

/// The pattern of a template's `locale`: a BCP 47 language tag such as `en`, `zh-CN` or
/// `zh-Hant-TW`.
pub const LOCALE_PATTERN: &str = r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$";

/// Adds the rule "templates must include Register, SignIn, ForgotPassword and Generic", among
/// the templates without a `locale` (the ones every language may fall back to), to a
/// templates array schema. Use as `#[schemars(transform = require_usage_types)]`.
///
/// Each required type becomes one `contains` clause whose `title` and `description` name it,
/// so both this kit's checker and any JavaScript validator reject a config that lacks it, and
/// rjsf's error list names the missing type (it prefixes an error with its schema's title).
pub fn require_usage_types(schema: &mut Schema) {
    let clauses: Vec<Value> = TemplateType::REQUIRED
        .iter()
        .map(|t| {
            serde_json::json!({
                "title": format!("a template with usageType {t}"),
                "contains": {
                    "description": format!("a template with usageType {t}"),
                    "type": "object",
                    "properties": { "usageType": { "const": t.as_str() }, "locale": false },
                    "required": ["usageType"],
                }
            })
        })
        .collect();
    schema.insert("allOf".to_owned(), Value::Array(clauses));
}

/// One node of a schema, with the root it belongs to so that `$ref`s resolve.
///
/// The generated schemas use `$ref`s of the form `#/definitions/Name` only (`#/$defs/Name`
/// is read too). Annotations written on
/// a field (title, description, default, examples) sit beside its `$ref`, while the type
/// lives behind it: [`SchemaView::annotation`] reads the field first, then its target.
#[derive(Debug, Clone, Copy)]
pub struct SchemaView<'a> {
    root: &'a Value,
    node: &'a Value,
}

impl<'a> SchemaView<'a> {
    /// The root of a schema.
    pub fn root(root: &'a Value) -> Self {
        Self { root, node: root }
    }

    /// Another node of the same schema.
    pub fn at(self, node: &'a Value) -> Self {
        Self {
            root: self.root,
            node,
        }
    }

    /// The node as written.
    pub fn value(self) -> &'a Value {
        self.node
    }

    /// The name of the definition this node refers to (`Name` of `#/definitions/Name`).
    pub fn ref_name(self) -> Option<&'a str> {
        let reference = self.node.get("$ref").and_then(Value::as_str)?;
        reference
            .strip_prefix("#/definitions/")
            .or_else(|| reference.strip_prefix("#/$defs/"))
    }

    /// The definition called `name`.
    pub fn definition(self, name: &str) -> Option<Self> {
        self.root
            .get("definitions")
            .or_else(|| self.root.get("$defs"))
            .and_then(|defs| defs.get(name))
            .map(|node| self.at(node))
    }

    /// The node behind this node's `$ref` chain (the node itself when it has none, or when
    /// a reference does not resolve).
    pub fn resolved(self) -> Self {
        let mut current = self.node;
        // A bound, so that a schema whose references loop cannot hang the reader.
        for _ in 0..16 {
            let target = current
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix('#'))
                .and_then(|pointer| self.root.pointer(pointer));
            match target {
                Some(next) => current = next,
                None => break,
            }
        }
        self.at(current)
    }

    /// A keyword of this node as written.
    pub fn get(self, keyword: &str) -> Option<&'a Value> {
        self.node.get(keyword)
    }

    /// A keyword of the node, else of the node behind its `$ref`.
    pub fn annotation(self, keyword: &str) -> Option<&'a Value> {
        self.get(keyword).or_else(|| self.resolved().get(keyword))
    }

    /// A string annotation (`title`, `description`).
    pub fn text(self, keyword: &str) -> Option<&'a str> {
        self.annotation(keyword).and_then(Value::as_str)
    }

    /// The object's properties in schema order (the order of the config struct's fields).
    pub fn properties(self) -> impl Iterator<Item = (&'a str, SchemaView<'a>)> {
        let target = self.resolved();
        target
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flat_map(Map::iter)
            .map(move |(name, node)| (name.as_str(), target.at(node)))
    }

    /// The names the object requires.
    pub fn required(self) -> Vec<&'a str> {
        self.resolved()
            .get("required")
            .and_then(Value::as_array)
            .map(|names| names.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default()
    }

    /// The types the node allows (`type` as a string or an array), behind any `$ref`.
    pub fn types(self) -> Vec<&'a str> {
        match self.resolved().get("type") {
            Some(Value::String(t)) => vec![t.as_str()],
            Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        }
    }

    /// The first type the node allows that is not `null`.
    pub fn first_type(self) -> Option<&'a str> {
        self.types().into_iter().find(|t| *t != "null")
    }

    /// The allowed values of an `enum`, behind any `$ref`.
    pub fn enum_values(self) -> Option<&'a [Value]> {
        self.resolved()
            .get("enum")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
    }

    /// The closed set of values the node allows, each with its title: an `enum` (titled by
    /// the value itself), or a `oneOf`/`anyOf` of `const`s (titled by their `title`), behind
    /// any `$ref`.
    pub fn choices(self) -> Option<Vec<(&'a Value, String)>> {
        let text = |value: &Value| match value {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let target = self.resolved();
        if let Some(values) = target.enum_values() {
            return Some(values.iter().map(|v| (v, text(v))).collect());
        }
        let branches = target
            .get("oneOf")
            .or_else(|| target.get("anyOf"))
            .and_then(Value::as_array)
            .filter(|b| !b.is_empty())?;
        branches
            .iter()
            .map(|branch| {
                let value = branch.get("const")?;
                let title = branch
                    .get("title")
                    .and_then(Value::as_str)
                    .map_or_else(|| text(value), str::to_owned);
                Some((value, title))
            })
            .collect()
    }

    /// The schema of an array's items.
    pub fn items(self) -> Option<Self> {
        self.resolved().get("items").map(|node| self.at(node))
    }

    /// Every string in `value` that this schema marks secret (`writeOnly`), at any depth:
    /// what must never appear in an error or a log line.
    pub fn secret_values(self, value: &Value) -> Vec<String> {
        self.secrets(value).into_iter().map(|(_, v)| v).collect()
    }

    /// The JSON pointer and value of every secret string in `value`: what a console must
    /// never send back to a browser.
    pub fn secrets(self, value: &Value) -> Vec<(String, String)> {
        let mut found = Vec::new();
        self.collect_secrets(value, &mut String::new(), &mut found, 0);
        found.sort();
        found.dedup();
        found
    }

    fn collect_secrets(
        self,
        value: &Value,
        path: &mut String,
        found: &mut Vec<(String, String)>,
        depth: usize,
    ) {
        if depth > 32 {
            return;
        }
        if self.is_secret() {
            if let Value::String(secret) = value {
                found.push((path.clone(), secret.clone()));
            }
            return;
        }
        let target = self.resolved();
        match value {
            Value::Object(object) => {
                let properties = target.get("properties").and_then(Value::as_object);
                for (name, item) in object {
                    let schema = properties
                        .and_then(|p| p.get(name))
                        .or_else(|| target.get("additionalProperties"));
                    if let Some(schema) = schema {
                        let len = path.len();
                        path.push('/');
                        path.push_str(&name.replace('~', "~0").replace('/', "~1"));
                        self.at(schema)
                            .collect_secrets(item, path, found, depth + 1);
                        path.truncate(len);
                    }
                }
            }
            Value::Array(items) => {
                if let Some(schema) = target.get("items") {
                    for (i, item) in items.iter().enumerate() {
                        let len = path.len();
                        path.push('/');
                        path.push_str(&i.to_string());
                        self.at(schema)
                            .collect_secrets(item, path, found, depth + 1);
                        path.truncate(len);
                    }
                }
            }
            _ => {}
        }
        for keyword in ["anyOf", "oneOf", "allOf"] {
            for branch in target
                .get(keyword)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                self.at(branch)
                    .collect_secrets(value, path, found, depth + 1);
            }
        }
        // `if`/`then`/`else`: the branch the condition picks for this value (a routing
        // config's member schema depends on its target).
        if let Some(condition) = target.get("if") {
            let branch = if crate::checker::accepts(self.root, condition, value) {
                target.get("then")
            } else {
                target.get("else")
            };
            if let Some(branch) = branch {
                self.at(branch)
                    .collect_secrets(value, path, found, depth + 1);
            }
        }
    }

    /// Whether the value is a secret (`writeOnly`), which consoles mask.
    pub fn is_secret(self) -> bool {
        self.annotation("writeOnly")
            .and_then(Value::as_bool)
            .unwrap_or(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn views_follow_references_and_keep_field_annotations() {
        let schema = json!({
            "type": "object",
            "properties": {
                "region": {"$ref": "#/$defs/Region", "description": "Where"},
                "token": {"type": "string", "writeOnly": true},
            },
            "required": ["token"],
            "$defs": {"Region": {"title": "region", "type": "string", "enum": ["a", "b"]}},
        });
        let root = SchemaView::root(&schema);
        let fields: Vec<(&str, SchemaView<'_>)> = root.properties().collect();
        assert_eq!(fields[0].0, "region");
        assert_eq!(fields[0].1.ref_name(), Some("Region"));
        assert_eq!(fields[0].1.text("description"), Some("Where"));
        assert_eq!(fields[0].1.text("title"), Some("region"));
        assert_eq!(fields[0].1.first_type(), Some("string"));
        assert_eq!(fields[0].1.enum_values().map(<[Value]>::len), Some(2));
        assert!(fields[1].1.is_secret());
        assert_eq!(root.required(), ["token"]);
        assert!(root.definition("Region").is_some());
    }

    #[test]
    fn secret_values_are_found_at_any_depth() {
        let schema = json!({
            "type": "object",
            "properties": {
                "token": {"type": "string", "writeOnly": true},
                "headers": {"type": "object", "additionalProperties": {"$ref": "#/$defs/S"}},
                "name": {"type": "string"},
            },
            "$defs": {"S": {"type": "string", "writeOnly": true}},
        });
        let config = json!({"token": "t0k", "headers": {"X-Key": "k3y"}, "name": "plain"});
        let mut found = SchemaView::root(&schema).secret_values(&config);
        found.sort();
        assert_eq!(found, ["k3y", "t0k"]);
        assert_eq!(
            SchemaView::root(&schema).secrets(&config),
            [
                ("/headers/X-Key".to_owned(), "k3y".to_owned()),
                ("/token".to_owned(), "t0k".to_owned())
            ]
        );
    }

    #[test]
    fn secrets_behind_a_condition_follow_the_branch_it_picks() {
        let schema = json!({
            "type": "object",
            "properties": {"kind": {"type": "string"}, "key": {}},
            "if": {"properties": {"kind": {"const": "secret"}}},
            "then": {"properties": {"key": {"type": "string", "writeOnly": true}}},
        });
        let view = SchemaView::root(&schema);
        assert_eq!(
            view.secret_values(&json!({"kind": "secret", "key": "k3y"})),
            ["k3y"]
        );
        assert!(
            view.secret_values(&json!({"kind": "plain", "key": "k3y"}))
                .is_empty()
        );
    }

    #[test]
    fn looping_references_end() {
        let schema = json!({"$defs": {"A": {"$ref": "#/$defs/A"}}, "$ref": "#/$defs/A"});
        let view = SchemaView::root(&schema).resolved();
        assert!(view.get("$ref").is_some());
    }
}
