//! Markdown rendered from a config JSON Schema: config tables, the example config, the usage
//! type list and the error table.

use connector_kit::{ConnectorFactory, SchemaView, TemplateType};
use serde_json::{Map, Value};

/// Escapes a table cell: pipes are escaped, line breaks become `<br>`.
fn cell(text: &str) -> String {
    text.replace('|', "\\|")
        .replace("\n\n", "<br><br>")
        .replace('\n', " ")
}

/// Plain text from a schema (titles and descriptions are plain text, for consoles) made safe
/// as Markdown: URLs become code spans (rustdoc and GitHub would otherwise link or mangle
/// them), and a `<` elsewhere is escaped so that it is never read as HTML.
fn prose(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for (i, word) in text.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        if let Some(start) = word.find("http://").or_else(|| word.find("https://")) {
            let url_end = word[start..]
                .trim_end_matches(['.', ',', ';', ')', ':'])
                .len()
                + start;
            out.push_str(&word[..start].replace('<', "&lt;"));
            out.push('`');
            out.push_str(&word[start..url_end]);
            out.push('`');
            out.push_str(&word[url_end..]);
        } else {
            out.push_str(&word.replace('<', "&lt;"));
        }
    }
    out
}

/// A GitHub heading anchor.
pub(crate) fn anchor(heading: &str) -> String {
    heading
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

fn inline_json(value: &Value) -> String {
    format!("`{}`", value)
}

/// Renders config tables: one for the top level, then one for each named type it uses, in
/// order of first use.
pub(crate) struct ConfigTables<'a> {
    root: SchemaView<'a>,
    queue: Vec<String>,
    out: String,
}

impl<'a> ConfigTables<'a> {
    pub(crate) fn render(root: &'a Value) -> String {
        let root = SchemaView::root(root);
        let mut tables = Self {
            root,
            queue: Vec::new(),
            out: String::new(),
        };
        tables.object_table(root);
        let mut done = 0;
        while done < tables.queue.len() {
            let name = tables.queue[done].clone();
            done += 1;
            let Some(view) = root.definition(&name) else {
                continue;
            };
            let def = view.value();
            let title = def
                .get("title")
                .and_then(Value::as_str)
                .map_or_else(|| humanize(&name), str::to_owned);
            tables
                .out
                .push_str(&format!("\n### {}\n\n", sentence_case(&title)));
            if let Some(description) = def.get("description").and_then(Value::as_str) {
                tables.out.push_str(&prose(description));
                tables.out.push_str("\n\n");
            }
            if def.get("properties").is_some() {
                tables.object_table(view);
            } else if view.choices().is_some() {
                let ty = tables.type_name(def);
                tables.out.push_str(&format!("Type: {ty}.\n"));
            } else if let Some(Value::Array(branches)) =
                def.get("anyOf").or_else(|| def.get("oneOf"))
            {
                tables.out.push_str("One of:\n\n");
                let mut objects = Vec::new();
                for branch in branches {
                    let what = branch
                        .get("title")
                        .and_then(Value::as_str)
                        .map(str::to_owned);
                    let ty = tables.type_name(branch);
                    let description = prose(
                        branch
                            .get("description")
                            .and_then(Value::as_str)
                            .unwrap_or(""),
                    );
                    let line = match what {
                        Some(title) => format!("- **{}** ({ty}). {description}", title),
                        None => format!("- {ty}. {description}"),
                    };
                    tables.out.push_str(line.trim_end());
                    tables.out.push('\n');
                    if branch.get("properties").is_some() {
                        objects.push(branch);
                    }
                }
                for object in objects {
                    let title = object
                        .get("title")
                        .and_then(Value::as_str)
                        .unwrap_or("object form");
                    tables.out.push_str(&format!("\nFields of {title}:\n\n"));
                    tables.object_table(root.at(object));
                }
            } else {
                let ty = tables.type_name(def);
                tables.out.push_str(&format!("Type: {ty}.\n"));
            }
        }
        tables.out
    }

    fn link_for(&mut self, name: &str) -> String {
        if name == "TemplateType" {
            return "[usage type](#usage-types)".to_owned();
        }
        let title = self
            .root
            .definition(name)
            .and_then(|d| d.get("title"))
            .and_then(Value::as_str)
            .map_or_else(|| humanize(name), str::to_owned);
        let title = title.as_str();
        if !self.queue.iter().any(|n| n == name) {
            self.queue.push(name.to_owned());
        }
        format!(
            "[{}](#{})",
            title.to_lowercase(),
            anchor(&sentence_case(title))
        )
    }

    fn type_name(&mut self, schema: &Value) -> String {
        if let Some(name) = self.root.at(schema).ref_name() {
            return self.link_for(name);
        }
        if schema.get("enum").is_none() {
            if let Some(choices) = self.root.at(schema).choices() {
                let base = schema
                    .get("type")
                    .and_then(Value::as_str)
                    .unwrap_or("value");
                let list: Vec<String> = choices
                    .iter()
                    .map(|(value, title)| {
                        let value = inline_json(value);
                        if title.starts_with(value.trim_matches('`').trim_matches('"')) {
                            format!(
                                "{value} ({})",
                                title
                                    .split_once(": ")
                                    .map_or(title.as_str(), |(_, rest)| rest)
                            )
                        } else {
                            format!("{value} ({title})")
                        }
                    })
                    .collect();
                return format!("{base}, one of {}", list.join(", "));
            }
        }
        if let Some(Value::Array(branches)) = schema.get("anyOf").or_else(|| schema.get("oneOf")) {
            return branches
                .iter()
                .map(|b| self.type_name(b))
                .collect::<Vec<_>>()
                .join(" or ");
        }
        let base = match schema.get("type") {
            Some(Value::String(t)) => t.clone(),
            Some(Value::Array(ts)) => ts
                .iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join(" or "),
            _ => "any".to_owned(),
        };
        if base == "array" {
            if let Some(items) = schema.get("items") {
                return format!("array of {}", self.type_name(items));
            }
        }
        if let Some(Value::Array(values)) = schema.get("enum") {
            let list: Vec<String> = values.iter().map(inline_json).collect();
            return format!("{base}, one of {}", list.join(", "));
        }
        if base == "object" && schema.get("properties").is_some() {
            let keys: Vec<String> = schema["properties"]
                .as_object()
                .map(|p| p.keys().map(|k| format!("`{k}`")).collect())
                .unwrap_or_default();
            return format!("object with {}", keys.join(", "));
        }
        base
    }

    fn object_table(&mut self, schema: SchemaView<'a>) {
        let required = schema.required();
        self.out
            .push_str("| Field | Type | Required | Default | Description |\n");
        self.out.push_str("| --- | --- | --- | --- | --- |\n");
        for (key, view) in schema.properties() {
            let field = view.value();
            let ty = self.type_name(field);
            let mut ty = ty;
            if field.get("writeOnly").and_then(Value::as_bool) == Some(true) {
                ty.push_str(" (secret)");
            }
            let mut constraints = Vec::new();
            if let Some(min) = field.get("minimum") {
                constraints.push(format!("at least {min}"));
            }
            if let Some(max) = field.get("maximum") {
                constraints.push(format!("at most {max}"));
            }
            if let Some(max) = field.get("maxLength") {
                constraints.push(format!("at most {max} characters"));
            }
            if field.get("minLength").and_then(Value::as_u64) == Some(1) {
                constraints.push("not empty".to_owned());
            }
            if let Some(pattern) = field.get("pattern").and_then(Value::as_str) {
                use connector_kit::schema::{FILLED_OR_EMPTY_PATTERN, FILLED_PATTERN};
                constraints.push(match pattern {
                    p if p == connector_kit::http::ENDPOINT_PATTERN => {
                        "`https://` origin; `http://` only for loopback hosts".to_owned()
                    }
                    p if p == FILLED_PATTERN => {
                        "filled in (not blank, not a `<placeholder>`)".to_owned()
                    }
                    p if p == FILLED_OR_EMPTY_PATTERN => {
                        "empty or filled in (not blank, not a `<placeholder>`)".to_owned()
                    }
                    p => format!("matches `{p}`"),
                });
            }
            if field.get("allOf").is_some() {
                let types: Vec<&str> = TemplateType::REQUIRED.iter().map(|t| t.as_str()).collect();
                constraints.push(format!("must include {}", types.join(", ")));
            }
            if !constraints.is_empty() {
                ty.push_str(&format!("; {}", constraints.join(", ")));
            }
            let title = field.get("title").and_then(Value::as_str);
            let description = prose(
                field
                    .get("description")
                    .and_then(Value::as_str)
                    .unwrap_or(""),
            );
            let description = match title {
                Some(title) => format!("**{title}.** {description}"),
                None => description.to_owned(),
            };
            let default = field.get("default").map(inline_json).unwrap_or_default();
            let is_required = if required.contains(&key) { "yes" } else { "no" };
            self.out.push_str(&format!(
                "| `{key}` | {} | {is_required} | {} | {} |\n",
                cell(&ty),
                cell(&default),
                cell(&description)
            ));
        }
    }
}

/// `TemplateCode` as words: `Template code`.
fn humanize(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            out.push(' ');
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

fn sentence_case(title: &str) -> String {
    let mut chars = title.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A complete example config: every required field and every field with an example, each set
/// to its first example. Fails when a required field has no example.
pub(crate) fn example_config(schema: &Value) -> Result<Value, String> {
    let root = SchemaView::root(schema);
    let required = root.required();
    // Of alternatives ("this key, or those keys"), the example takes the first.
    let mut later_alternatives: Vec<&str> = Vec::new();
    for keyword in ["anyOf", "oneOf"] {
        let branches = schema.get(keyword).and_then(Value::as_array);
        let required_of = |branch: &'_ Value| -> Vec<String> {
            branch
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        };
        if let Some([first, rest @ ..]) = branches.map(Vec::as_slice) {
            let chosen = required_of(first);
            for branch in rest {
                for key in branch
                    .get("required")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    if let Some(key) = key.as_str().filter(|k| !chosen.iter().any(|c| c == k)) {
                        later_alternatives.push(key);
                    }
                }
            }
        }
    }
    let mut example = Map::new();
    for (key, field) in root.properties() {
        if later_alternatives.contains(&key) {
            continue;
        }
        let first = field
            .get("examples")
            .and_then(Value::as_array)
            .and_then(|e| e.first());
        match first {
            Some(value) => {
                example.insert(key.to_owned(), value.clone());
            }
            None if required.contains(&key) => {
                return Err(format!(
                    "required field `{key}` has no example; add `#[schemars(example = ...)]`"
                ));
            }
            None => {}
        }
    }
    Ok(Value::Object(example))
}

/// The usage type list, with the Generic fallback and Logto's compatibility rules explained.
pub(crate) fn usage_types() -> String {
    let mut out = String::from(
        "Each template serves one usage type. A message whose usage type has no template of its own is sent \
         with the `Generic` template; with neither, the send fails with `template_not_found`. \
         The config must have templates for `Register`, `SignIn`, `ForgotPassword` and `Generic`. \
         When two templates serve one usage type, the first is used and validation warns about the second.\n\n\
         | Usage type | Required | What it is for |\n| --- | --- | --- |\n",
    );
    for t in TemplateType::ALL
        .into_iter()
        .chain(TemplateType::DEPRECATED)
    {
        let required = if TemplateType::REQUIRED.contains(&t) {
            "yes"
        } else {
            "no"
        };
        out.push_str(&format!(
            "| `{}` | {required} | {} |\n",
            t.as_str(),
            cell(t.description())
        ));
    }
    out.push_str(
        "\nTemplates per language: a template may carry a `locale` (a BCP 47 tag such as `zh-CN`). A message's \
         `payload.locale`, then each of its `uiLocales`, names the languages it wants, each tried from the longest \
         tag to the shortest (`zh-Hant-TW`, `zh-Hant`, `zh`), then the templates without a locale. The language \
         comes first: within the first language that has a template of the message's usage type, or a `Generic` \
         one, that template is used. The required usage types must have templates without a locale, so every \
         message has a template whatever its language.\n",
    );
    out.push_str(
        "\nConfigs written for Logto's connector work unchanged. What Logto accepts silently is accepted \
         here with a warning (`sms-connector validate` prints them; `--strict` makes them errors): a key the \
         connector does not know is ignored, and named with the closest known key when there is one; a template \
         of a deprecated usage type (`Continue`, `Test`) is used for messages of that type; a template of any \
         other usage type is never used, and the closest known usage type is named.\n",
    );
    out
}

/// The provider error table.
pub(crate) fn errors(factory: &dyn ConnectorFactory) -> String {
    if factory.error_mappings().is_empty() {
        return String::from(
            "The connector calls no provider itself: a send's error is the error of the member \
             connector that gave it, with that connector's code, details and retryable flag (see its \
             README), plus `attempts` in the details naming every member tried. A recipient refused \
             by the country rules is `invalid_request_parameters` before any request.\n",
        );
    }
    let mut out = String::from(
        "Provider error codes the connector maps to kit error codes; any other provider code becomes `general`. \
         The provider's code, message and request id are kept in the error's details. A trailing `*` matches \
         every code with that prefix. A retryable error means the provider refused the message without sending it, so the \
         host may send again later.\n\n| Provider code | Kit code | Retryable | Meaning |\n| --- | --- | --- | --- |\n",
    );
    for mapping in factory.error_mappings() {
        out.push_str(&format!(
            "| `{}` | `{}` | {} | {} |\n",
            mapping.provider_code,
            mapping.code.as_str(),
            if mapping.retryable { "yes" } else { "no" },
            cell(mapping.meaning)
        ));
    }
    out.push_str(
        "\nWhatever the provider says, an answer that cannot be parsed is `invalid_response`, no answer within \
         `timeoutMs` is `timeout`, and a connection that could not be made is `general` and safe to retry.\n",
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn prose_quotes_urls_and_escapes_angle_brackets() {
        assert_eq!(
            prose("use https://sms.<region>.example.com (or http://x.y), a <b> tag."),
            "use `https://sms.<region>.example.com` (or `http://x.y`), a &lt;b> tag."
        );
    }

    #[test]
    fn anchors_follow_github() {
        assert_eq!(anchor("Twilio template"), "twilio-template");
        assert_eq!(
            anchor("Template code (China / overseas)"),
            "template-code-china--overseas"
        );
    }

    #[test]
    fn tables_list_fields_in_schema_order_with_links_to_nested_types() {
        let schema = json!({
            "type": "object",
            "properties": {
                "b": {"type": "string", "title": "B", "description": "The b | c.", "writeOnly": true, "minLength": 1},
                "a": {"type": "array", "items": {"$ref": "#/$defs/Item"}, "default": []},
            },
            "required": ["b"],
            "$defs": {"Item": {"title": "Item entry", "type": "object", "properties": {"x": {"type": "integer", "enum": [0, 2]}}}},
        });
        let text = ConfigTables::render(&schema);
        let expected = "| Field | Type | Required | Default | Description |\n| --- | --- | --- | --- | --- |\n\
| `b` | string (secret); not empty | yes |  | **B.** The b \\| c. |\n\
| `a` | array of [item entry](#item-entry) | no | `[]` |  |\n\
\n### Item entry\n\n| Field | Type | Required | Default | Description |\n| --- | --- | --- | --- | --- |\n\
| `x` | integer, one of `0`, `2` | no |  |  |\n";
        assert_eq!(text, expected);
    }

    #[test]
    fn example_config_takes_the_first_of_alternatives() {
        let schema = json!({
            "properties": {"a": {"examples": [1]}, "b": {"examples": [2]}, "c": {"examples": [3]}},
            "oneOf": [{"required": ["a"]}, {"required": ["b"]}],
        });
        assert_eq!(example_config(&schema).unwrap(), json!({"a": 1, "c": 3}));
    }

    #[test]
    fn example_config_needs_an_example_for_every_required_field() {
        let schema =
            json!({"properties": {"a": {"examples": [1]}, "b": {}}, "required": ["a", "b"]});
        assert!(example_config(&schema).unwrap_err().contains("`b`"));
    }
}
