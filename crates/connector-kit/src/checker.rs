//! The schema checker: validation that reports every problem at once, each with its JSON
//! pointer, and warns about what Logto would accept silently.
//!
//! [`parse_config`] first checks config JSON against the connector's schema, then applies
//! the kit's template rules (deprecated, unknown and duplicate usage types, texts without
//! `{{code}}`), and only then deserializes, so a config the
//! schema accepts is a config the parser accepts, and the reverse.
//!
//! A key the schema does not list is a warning, not an error: Logto's connectors drop
//! unknown keys, so a config moved from Logto keeps working while a typo is still pointed
//! out, with the closest known key. An object whose schema says `additionalProperties: false`
//! still rejects them.
//!
//! The checker understands the subset of JSON Schema (draft-07) the connectors' schemas
//! use; [`unsupported_keywords`] lists anything outside it, and the contract suite checks that
//! the list is empty for every connector.

use std::borrow::Cow;

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::error::{ConfigProblem, ConfigWarning, WarningKind};
use crate::schema::SchemaView;
use crate::suggest;

/// A config that passed validation, with what validation noticed.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Validated<C> {
    /// The typed config.
    pub config: C,
    /// What validation noticed, in document order: unknown keys, deprecated or unknown usage
    /// types, duplicate templates, texts without `{{code}}`.
    pub warnings: Vec<ConfigWarning>,
}

/// Every problem and every warning the checker found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Report {
    /// What makes the config invalid.
    pub problems: Vec<ConfigProblem>,
    /// What the checker noticed in values it accepts.
    pub warnings: Vec<ConfigWarning>,
}

/// Checks `value` against `schema`, applies the kit's template rules, and then deserializes
/// it.
///
/// An invalid config gives every problem at once, with the warnings, which often explain a
/// problem (a template for `signin` is why the `SignIn` template is missing).
pub fn parse_config<C: DeserializeOwned>(
    schema: &Value,
    value: &Value,
) -> Result<Validated<C>, Report> {
    let mut report = check(schema, value);
    let texts = SchemaView::root(schema)
        .properties()
        .find(|(name, _)| *name == "templates")
        .and_then(|(_, templates)| templates.items())
        .is_some_and(|item| item.properties().any(|(name, _)| name == "content"));
    let value = crate::lint::templates(value, texts, &mut report.warnings);
    if !report.problems.is_empty() {
        return Err(report);
    }
    match serde_json::from_value(value.into_owned()) {
        Ok(config) => Ok(Validated {
            config,
            warnings: report.warnings,
        }),
        Err(e) => {
            // Reaching this means the schema and the type disagree: a kit bug, reported
            // rather than hidden.
            report.problems.push(ConfigProblem {
                path: String::new(),
                message: format!(
                    "accepted by the schema but not by the parser (please report): {e}"
                ),
            });
            Err(report)
        }
    }
}

/// Whether `node`, a subschema of `root` (its `$ref`s resolve against `root`), accepts
/// `value`: how a reader of schemas decides an `if`.
pub(crate) fn accepts(root: &Value, node: &Value, value: &Value) -> bool {
    let mut checker = Checker {
        root,
        report: Report::default(),
    };
    checker.check(node, value, &mut String::new());
    checker.report.problems.is_empty()
}

/// Every problem `schema` finds in `value`, in document order (warnings left out).
pub fn validate(schema: &Value, value: &Value) -> Vec<ConfigProblem> {
    check(schema, value).problems
}

/// Every problem and warning `schema` finds in `value`, in document order.
pub fn check(schema: &Value, value: &Value) -> Report {
    let mut checker = Checker {
        root: schema,
        report: Report::default(),
    };
    checker.check(schema, value, &mut String::new());
    checker.report
}

/// Keywords the checker understands. Annotations are listed too; they never fail a value.
const KNOWN_KEYWORDS: &[&str] = &[
    "$schema",
    "$id",
    "$ref",
    "$defs",
    "definitions",
    "$comment",
    "title",
    "description",
    "default",
    "examples",
    "writeOnly",
    "readOnly",
    "deprecated",
    "type",
    "enum",
    "const",
    "properties",
    "required",
    "dependentRequired",
    "dependencies",
    "additionalProperties",
    "propertyNames",
    "maxProperties",
    "items",
    "minItems",
    "maxItems",
    "contains",
    "minLength",
    "maxLength",
    "pattern",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "anyOf",
    "oneOf",
    "allOf",
    "if",
    "then",
    "else",
];

/// Keywords in `schema` (anywhere) that the checker does not understand, with their pointers.
pub fn unsupported_keywords(schema: &Value) -> Vec<String> {
    fn walk(schema: &Value, path: &str, out: &mut Vec<String>) {
        let Some(object) = schema.as_object() else {
            return;
        };
        for (key, value) in object {
            let here = format!("{path}/{key}");
            if !KNOWN_KEYWORDS.contains(&key.as_str()) {
                out.push(here.clone());
            }
            match key.as_str() {
                "properties" | "$defs" | "definitions" => {
                    for (name, sub) in value.as_object().into_iter().flatten() {
                        walk(sub, &format!("{here}/{name}"), out);
                    }
                }
                "items"
                | "contains"
                | "additionalProperties"
                | "propertyNames"
                | "if"
                | "then"
                | "else" => walk(value, &here, out),
                "anyOf" | "oneOf" | "allOf" => {
                    for (i, sub) in value.as_array().into_iter().flatten().enumerate() {
                        walk(sub, &format!("{here}/{i}"), out);
                    }
                }
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    walk(schema, "", &mut out);
    // `format` is understood only as `password`, a hint for consoles that validates nothing.
    out.retain(|pointer| {
        !(pointer.ends_with("/format")
            && schema.pointer(pointer).and_then(Value::as_str) == Some("password"))
    });
    out
}

struct Checker<'s> {
    root: &'s Value,
    report: Report,
}

/// JSON Schema equality: numbers are equal by value (`2` equals `2.0`), arrays and objects
/// element by element.
fn json_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64()) {
            (Some(i), Some(j)) => i == j,
            _ => match (x.as_u64(), y.as_u64()) {
                (Some(i), Some(j)) => i == j,
                _ => x.as_f64() == y.as_f64(),
            },
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| json_equal(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_equal(v, w)))
        }
        _ => a == b,
    }
}

/// The values of a `oneOf` (or `anyOf`) whose every branch is a `const`: a closed set of
/// titled choices, checked and worded as an `enum`.
fn const_choices(keywords: &Map<String, Value>) -> Option<Vec<&Value>> {
    let branches = keywords
        .get("oneOf")
        .or_else(|| keywords.get("anyOf"))?
        .as_array()?;
    if branches.is_empty() {
        return None;
    }
    branches.iter().map(|b| b.get("const")).collect()
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(n) if n.as_f64().is_some_and(|f| f.fract() == 0.0) => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn type_matches(expected: &str, value: &Value) -> bool {
    let actual = json_type(value);
    expected == actual || (expected == "number" && actual == "integer")
}

fn with_article(ty: &str) -> String {
    match ty {
        "integer" | "array" | "object" => format!("an {ty}"),
        "null" => "null".to_owned(),
        _ => format!("a {ty}"),
    }
}

fn describe(value: &Value) -> String {
    match value {
        Value::String(s) if s.chars().count() > 60 => {
            format!("a string of {} characters", s.chars().count())
        }
        Value::String(s) => format!("{s:?}"),
        Value::Array(_) | Value::Object(_) => with_article(json_type(value)),
        other => other.to_string(),
    }
}

fn list(values: &[Value]) -> String {
    values
        .iter()
        .map(|v| match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// `a`, `a or b`, `a, b or c`.
fn or_list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [only] => (*only).to_owned(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// A key as one segment of a JSON pointer (RFC 6901): `~` as `~0`, `/` as `~1`.
pub fn escape_pointer(segment: &str) -> Cow<'_, str> {
    if segment.contains(['~', '/']) {
        Cow::Owned(segment.replace('~', "~0").replace('/', "~1"))
    } else {
        Cow::Borrowed(segment)
    }
}

impl<'s> Checker<'s> {
    fn report(&mut self, path: &str, message: String) {
        self.report.problems.push(ConfigProblem {
            path: path.to_owned(),
            message,
        });
    }

    fn resolve(&self, schema: &'s Value) -> &'s Value {
        SchemaView::root(self.root).at(schema).resolved().value()
    }

    /// What `schema` finds in `value`, without recording it.
    fn probe(&self, schema: &'s Value, value: &Value, path: &str) -> Report {
        let mut checker = Checker {
            root: self.root,
            report: Report::default(),
        };
        checker.check(schema, value, &mut path.to_owned());
        checker.report
    }

    fn check(&mut self, schema: &'s Value, value: &Value, path: &mut String) {
        let schema = self.resolve(schema);
        let Some(keywords) = schema.as_object() else {
            if schema == &Value::Bool(false) {
                self.report(path, "no value is allowed here".to_owned());
            }
            return;
        };

        if let Some(expected) = keywords.get("type") {
            let types: Vec<&str> = match expected {
                Value::String(t) => vec![t.as_str()],
                Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
                _ => Vec::new(),
            };
            if !types.is_empty() && !types.iter().any(|t| type_matches(t, value)) {
                let expected = types
                    .iter()
                    .map(|t| with_article(t))
                    .collect::<Vec<_>>()
                    .join(" or ");
                self.report(
                    path,
                    format!(
                        "expected {expected}, found {}",
                        with_article(json_type(value))
                    ),
                );
                return;
            }
        }

        if let Some(Value::Array(allowed)) = keywords.get("enum") {
            if !allowed.iter().any(|a| json_equal(a, value)) {
                let what = keywords
                    .get("title")
                    .and_then(Value::as_str)
                    .unwrap_or("value");
                self.report(
                    path,
                    format!(
                        "unknown {what} {}; expected one of {}",
                        describe(value),
                        list(allowed)
                    ),
                );
                return;
            }
        }
        if let Some(allowed) = const_choices(keywords) {
            if !allowed.iter().any(|a| json_equal(a, value)) {
                let what = keywords
                    .get("title")
                    .and_then(Value::as_str)
                    .unwrap_or("value");
                let allowed: Vec<Value> = allowed.into_iter().cloned().collect();
                self.report(
                    path,
                    format!(
                        "unknown {what} {}; expected one of {}",
                        describe(value),
                        list(&allowed)
                    ),
                );
            }
            return;
        }
        if let Some(expected) = keywords.get("const") {
            if !json_equal(expected, value) {
                self.report(
                    path,
                    format!("expected {}, found {}", describe(expected), describe(value)),
                );
                return;
            }
        }

        match value {
            Value::String(s) => self.check_string(keywords, s, path),
            Value::Number(_) => self.check_number(keywords, value, path),
            Value::Array(items) => self.check_array(keywords, items, path),
            Value::Object(object) => self.check_object(keywords, object, path),
            _ => {}
        }

        if let Some(Value::Array(all)) = keywords.get("allOf") {
            for sub in all {
                self.check(sub, value, path);
            }
        }
        if let Some(Value::Array(any)) = keywords.get("anyOf") {
            self.check_alternatives(any, value, path, false);
        }
        if let Some(Value::Array(one)) = keywords.get("oneOf") {
            self.check_alternatives(one, value, path, true);
        }
        if let Some(condition) = keywords.get("if") {
            let branch = if self.probe(condition, value, path).problems.is_empty() {
                keywords.get("then")
            } else {
                keywords.get("else")
            };
            if let Some(branch) = branch {
                self.check(branch, value, path);
            }
        }
    }

    fn check_alternatives(
        &mut self,
        branches: &'s [Value],
        value: &Value,
        path: &str,
        exactly_one: bool,
    ) {
        let results: Vec<Report> = branches
            .iter()
            .map(|b| self.probe(b, value, path))
            .collect();
        let passing = results.iter().filter(|r| r.problems.is_empty()).count();
        let required_keys = self.required_one_of(branches);
        if required_keys.is_some() && passing >= 1 && !exactly_one {
            // Such a branch only says which key must be there; the schema around it checks
            // the keys and notices unknown ones.
            return;
        }
        if passing == 1 || (passing > 1 && !exactly_one) {
            // The first branch that accepts the value says what it noticed.
            if let Some(first) = results.into_iter().find(|r| r.problems.is_empty()) {
                self.report.warnings.extend(first.warnings);
            }
            return;
        }
        // Branches that only require keys ("this key, or those keys") read as the choice
        // they are, by their titles.
        let choices: Option<Vec<&str>> = branches
            .iter()
            .map(|b| {
                let b = self.resolve(b).as_object()?;
                // `properties` may only name keys (`true`), as strict validators want every
                // required key named.
                let only_required = b.iter().all(|(k, v)| match k.as_str() {
                    "title" | "description" | "required" => true,
                    "properties" => v
                        .as_object()
                        .is_some_and(|p| p.values().all(|s| s == &Value::Bool(true))),
                    "additionalProperties" => v == &Value::Bool(true),
                    _ => false,
                });
                b.get("title")
                    .and_then(Value::as_str)
                    .filter(|_| only_required && value.is_object())
            })
            .collect();
        if passing > 1 {
            let message = match choices {
                Some(titles) => {
                    let matched: Vec<&str> = titles
                        .iter()
                        .zip(&results)
                        .filter(|(_, r)| r.problems.is_empty())
                        .map(|(t, _)| *t)
                        .collect();
                    if let [first, second] = matched[..] {
                        format!("takes {first} or {second}, not both")
                    } else {
                        format!("takes only one of {}", or_list(&matched))
                    }
                }
                None => "matches more than one of the allowed shapes".to_owned(),
            };
            self.report(path, message);
            return;
        }
        if let Some(titles) = choices {
            self.report(path, format!("needs {}", or_list(&titles)));
            return;
        }
        // No branch passed. Branches that only require one key each ("apiSecret or
        // signatureSecret") name the first key as missing and the others as the way out.
        if let Some(names) = required_keys.filter(|_| value.is_object()) {
            let others: Vec<&str> = names[1..].to_vec();
            let here = format!("{path}/{}", escape_pointer(names[0]));
            self.report(
                &here,
                format!(
                    "required field is missing (or set {} instead)",
                    others.join(" or ")
                ),
            );
            return;
        }
        // When exactly one branch accepts the value's type, its problems are the helpful
        // ones; otherwise name the shapes that are allowed.
        let same_type: Vec<usize> = branches
            .iter()
            .enumerate()
            .filter(|(_, b)| {
                let b = self.resolve(b);
                match b.get("type") {
                    Some(Value::String(t)) => type_matches(t, value),
                    Some(Value::Array(ts)) => ts
                        .iter()
                        .filter_map(Value::as_str)
                        .any(|t| type_matches(t, value)),
                    _ => false,
                }
            })
            .map(|(i, _)| i)
            .collect();
        if let [only] = same_type[..] {
            if let Some(report) = results.into_iter().nth(only) {
                self.report.problems.extend(report.problems);
                self.report.warnings.extend(report.warnings);
            }
            return;
        }
        let shapes: Vec<String> = branches
            .iter()
            .map(|b| {
                let b = self.resolve(b);
                b.get("title")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
                    .or_else(|| b.get("type").and_then(Value::as_str).map(with_article))
                    .unwrap_or_else(|| "another shape".to_owned())
            })
            .collect();
        self.report(
            path,
            format!(
                "expected {}, found {}",
                shapes.join(" or "),
                with_article(json_type(value))
            ),
        );
    }

    /// The key each branch requires, when every branch (two or more) is nothing but
    /// `required` with one key, beside annotations and a `properties` that declares only
    /// that key (which strict JSON Schema validators such as ajv ask for).
    fn required_one_of(&self, branches: &'s [Value]) -> Option<Vec<&'s str>> {
        if branches.len() < 2 {
            return None;
        }
        branches
            .iter()
            .map(|branch| {
                let keywords = self.resolve(branch).as_object()?;
                let Some(Value::Array(names)) = keywords.get("required") else {
                    return None;
                };
                let [Value::String(name)] = names.as_slice() else {
                    return None;
                };
                let declared_only_it = keywords
                    .get("properties")
                    .and_then(Value::as_object)
                    .is_none_or(|p| p.keys().all(|k| k == name));
                let only_required = keywords.keys().all(|k| {
                    matches!(
                        k.as_str(),
                        "required" | "properties" | "title" | "description"
                    )
                });
                (only_required && declared_only_it).then_some(name.as_str())
            })
            .collect()
    }

    fn check_string(&mut self, keywords: &Map<String, Value>, s: &str, path: &str) {
        let length = s.chars().count() as u64;
        if let Some(min) = keywords.get("minLength").and_then(Value::as_u64) {
            if length < min {
                let message = if min == 1 {
                    "must not be empty".to_owned()
                } else {
                    format!("must be at least {min} characters long")
                };
                self.report(path, message);
                // An empty value also fails any pattern; one message says it.
                return;
            }
        }
        if let Some(max) = keywords.get("maxLength").and_then(Value::as_u64) {
            if length > max {
                self.report(path, format!("must be at most {max} characters long"));
            }
        }
        if let Some(pattern) = keywords.get("pattern").and_then(Value::as_str) {
            match cached_regex(pattern).map(|re| re.is_match(s)) {
                Some(true) => {}
                Some(false) => {
                    let title = keywords.get("title").and_then(Value::as_str);
                    let secret = keywords.get("writeOnly") == Some(&Value::Bool(true));
                    self.report(path, pattern_message(pattern, title, s, secret));
                }
                None => self.report(path, format!("the schema's pattern {pattern} is invalid")),
            }
        }
    }

    fn check_number(&mut self, keywords: &Map<String, Value>, value: &Value, path: &str) {
        let Some(n) = value.as_f64() else { return };
        let bound = |k: &str| keywords.get(k).and_then(Value::as_f64);
        if let Some(min) = bound("minimum") {
            if n < min {
                self.report(path, format!("must be at least {}", keywords["minimum"]));
            }
        }
        if let Some(max) = bound("maximum") {
            if n > max {
                self.report(path, format!("must be at most {}", keywords["maximum"]));
            }
        }
        if let Some(min) = bound("exclusiveMinimum") {
            if n <= min {
                self.report(
                    path,
                    format!("must be greater than {}", keywords["exclusiveMinimum"]),
                );
            }
        }
        if let Some(max) = bound("exclusiveMaximum") {
            if n >= max {
                self.report(
                    path,
                    format!("must be less than {}", keywords["exclusiveMaximum"]),
                );
            }
        }
    }

    fn check_array(
        &mut self,
        keywords: &'s Map<String, Value>,
        items: &[Value],
        path: &mut String,
    ) {
        let count = items.len() as u64;
        if let Some(min) = keywords.get("minItems").and_then(Value::as_u64) {
            if count < min {
                let noun = if min == 1 { "item" } else { "items" };
                self.report(path, format!("must have at least {min} {noun}"));
            }
        }
        if let Some(max) = keywords.get("maxItems").and_then(Value::as_u64) {
            if count > max {
                self.report(path, format!("must have at most {max} items"));
            }
        }
        if let Some(item_schema) = keywords.get("items") {
            for (i, item) in items.iter().enumerate() {
                let len = path.len();
                path.push('/');
                path.push_str(&i.to_string());
                self.check(item_schema, item, path);
                path.truncate(len);
            }
        }
        if let Some(contains) = keywords.get("contains") {
            let found = items
                .iter()
                .any(|item| self.probe(contains, item, path).problems.is_empty());
            if !found {
                let what = self
                    .resolve(contains)
                    .get("description")
                    .and_then(Value::as_str)
                    .unwrap_or("an item matching the required shape");
                self.report(path, format!("missing {what}"));
            }
        }
    }

    fn check_object(
        &mut self,
        keywords: &'s Map<String, Value>,
        object: &Map<String, Value>,
        path: &mut String,
    ) {
        let properties = keywords.get("properties").and_then(Value::as_object);
        let known = || {
            properties
                .into_iter()
                .flat_map(|p| p.keys().map(String::as_str))
        };
        if let Some(Value::Array(required)) = keywords.get("required") {
            for name in required.iter().filter_map(Value::as_str) {
                if !object.contains_key(name) {
                    let here = format!("{path}/{}", escape_pointer(name));
                    // A key the schema does not know that is closest to this one is probably
                    // this one mistyped.
                    let typo = object.keys().find(|key| {
                        properties.is_none_or(|p| !p.contains_key(key.as_str()))
                            && suggest::closest(key, known()) == Some(name)
                    });
                    let message = match typo {
                        Some(key) => format!("required field is missing (is {key:?} a typo?)"),
                        None => "required field is missing".to_owned(),
                    };
                    self.report(&here, message);
                }
            }
        }
        // `dependentRequired` (2019-09) and draft-07's array form of `dependencies` say the
        // same thing: when one key is present, these others must be too.
        let dependents = ["dependentRequired", "dependencies"]
            .into_iter()
            .filter_map(|k| keywords.get(k).and_then(Value::as_object))
            .flatten();
        for (present, needed) in dependents {
            {
                if !object.contains_key(present) || !needed.is_array() {
                    continue;
                }
                for name in needed
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                {
                    if !object.contains_key(name) {
                        let here = format!("{path}/{}", escape_pointer(name));
                        self.report(&here, format!("required with {present}, which is set"));
                    }
                }
            }
        }
        if let Some(max) = keywords.get("maxProperties").and_then(Value::as_u64) {
            if object.len() as u64 > max {
                let noun = if max == 1 { "key" } else { "keys" };
                self.report(path, format!("must have at most {max} {noun}"));
            }
        }
        for (name, value) in object {
            let len = path.len();
            path.push('/');
            path.push_str(&escape_pointer(name));
            if let Some(names) = keywords.get("propertyNames") {
                // The name is checked as a string; its problems are said of the key.
                let found = self.probe(names, &Value::String(name.clone()), path);
                for problem in found.problems {
                    self.report(path, format!("the key {name:?} {}", problem.message));
                }
            }
            match properties.and_then(|p| p.get(name)) {
                Some(sub) => self.check(sub, value, path),
                None => match keywords.get("additionalProperties") {
                    Some(Value::Bool(false)) => {
                        let list = known().collect::<Vec<_>>().join(", ");
                        let message = if list.is_empty() {
                            "unknown field".to_owned()
                        } else {
                            format!(
                                "unknown field{}; expected one of {list}",
                                suggest::did_you_mean(name, known())
                            )
                        };
                        self.report(path, message);
                    }
                    Some(sub @ Value::Object(_)) => self.check(sub, value, path),
                    // Said outright: any other key is welcome here (a branch of alternatives
                    // that only names the keys it requires).
                    Some(Value::Bool(true)) => {}
                    _ if properties.is_some() => {
                        let message = match suggest::closest(name, known()) {
                            Some(close) => {
                                format!("unknown field {name:?} (did you mean {close:?}?)")
                            }
                            None => format!("unknown field {name:?} is ignored"),
                        };
                        self.report.warnings.push(ConfigWarning::new(
                            path.as_str(),
                            WarningKind::UnknownField,
                            message,
                        ));
                    }
                    _ => {}
                },
            }
            path.truncate(len);
        }
    }
}

/// Compiled schema patterns, kept for the life of the process: a connector's schema has a
/// handful, and compiling one costs far more than matching it.
pub(crate) fn cached_regex(pattern: &str) -> Option<std::sync::Arc<regex_lite::Regex>> {
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex, OnceLock};
    static CACHE: OnceLock<Mutex<HashMap<String, Option<Arc<regex_lite::Regex>>>>> =
        OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Ok(map) = cache.lock() {
        if let Some(hit) = map.get(pattern) {
            return hit.clone();
        }
    }
    let compiled = regex_lite::Regex::new(pattern).ok().map(Arc::new);
    if let Ok(mut map) = cache.lock() {
        if map.len() < 256 {
            map.insert(pattern.to_owned(), compiled.clone());
        }
    }
    compiled
}

/// Whether `s` is an unfilled placeholder such as `<template-code>`: what a console or a
/// README shows before the operator writes the real value.
pub(crate) fn is_placeholder(s: &str) -> bool {
    let trimmed = s.trim();
    trimmed.len() >= 2 && trimmed.starts_with('<') && trimmed.ends_with('>')
}

/// The message for a string `s` that does not match `pattern`. Blank values and unfilled
/// placeholders get the same words whatever the field's pattern, so the same mistake reads
/// the same in every connector.
/// A secret's value (`writeOnly`) is never quoted, even when it looks like a placeholder.
fn pattern_message(pattern: &str, title: Option<&str>, s: &str, secret: bool) -> String {
    if s.is_empty() {
        return "must not be empty".to_owned();
    }
    if s.trim().is_empty() {
        return "must not be only whitespace".to_owned();
    }
    if is_placeholder(s) {
        if secret {
            return "is an unfilled <placeholder>; replace it with the real value".to_owned();
        }
        return format!("{s:?} is a placeholder; replace it with the real value");
    }
    if pattern == crate::http::ENDPOINT_PATTERN {
        return "must be an https:// origin such as https://api.example.com (no path); plain http:// is accepted only for localhost, 127.x.x.x and [::1]".to_owned();
    }
    match title {
        Some(title) => format!("is not a valid {title}: expected to match {pattern}"),
        None => format!("does not match the pattern {pattern}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn messages(schema: &Value, value: Value) -> Vec<String> {
        validate(schema, &value)
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn checks_key_names_and_their_count() {
        let schema = json!({
            "type": "object",
            "properties": {"headers": {
                "type": "object",
                "maxProperties": 2,
                "propertyNames": {"pattern": "^[A-Za-z-]+$"},
                "additionalProperties": {"type": "string"},
            }},
        });
        assert_eq!(
            messages(
                &schema,
                json!({"headers": {"X-A": "1", "B C": "2", "D": 3}})
            ),
            [
                "/headers: must have at most 2 keys",
                "/headers/B C: the key \"B C\" does not match the pattern ^[A-Za-z-]+$",
                "/headers/D: expected a string, found an integer",
            ]
        );
        assert!(messages(&schema, json!({"headers": {"X-A": "1"}})).is_empty());
    }

    #[test]
    fn reports_every_problem_with_its_pointer() {
        let schema = json!({
            "type": "object",
            "properties": {
                "name": {"type": "string", "minLength": 1},
                "count": {"type": "integer", "minimum": 1, "maximum": 5},
                "list": {"type": "array", "items": {"$ref": "#/$defs/Kind"}},
            },
            "required": ["name", "count", "token"],
            "additionalProperties": false,
            "$defs": {"Kind": {"title": "kind", "enum": ["a", "b"]}},
        });
        let got = messages(
            &schema,
            json!({"name": "", "count": 9, "list": ["a", "c"], "extra": 1}),
        );
        assert_eq!(
            got,
            [
                "/token: required field is missing",
                "/name: must not be empty",
                "/count: must be at most 5",
                "/list/1: unknown kind \"c\"; expected one of a, b",
                "/extra: unknown field; expected one of name, count, list",
            ]
        );
    }

    #[test]
    fn unknown_keys_are_warnings_naming_the_closest_known_key() {
        let schema = json!({
            "type": "object",
            "properties": {
                "accountSID": {"type": "string"},
                "templates": {"type": "array", "items": {
                    "type": "object",
                    "properties": {"usageType": {"type": "string"}},
                }},
            },
            "required": ["accountSID"],
        });
        let report = check(
            &schema,
            &json!({"acountSID": "x", "name": "n", "templates": [{"usageType": "a", "description": "d"}]}),
        );
        let problems: Vec<String> = report.problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            problems,
            ["/accountSID: required field is missing (is \"acountSID\" a typo?)"]
        );
        let warnings: Vec<String> = report.warnings.iter().map(ToString::to_string).collect();
        assert_eq!(
            warnings,
            [
                "/acountSID: unknown field \"acountSID\" (did you mean \"accountSID\"?)",
                "/name: unknown field \"name\" is ignored",
                "/templates/0/description: unknown field \"description\" is ignored",
            ]
        );
        assert!(
            report
                .warnings
                .iter()
                .all(|w| w.kind == WarningKind::UnknownField)
        );
    }

    #[test]
    fn blank_values_and_placeholders_read_the_same_under_any_pattern() {
        for pattern in [crate::schema::FILLED_PATTERN, "^[0-9]+$"] {
            let schema = json!({"type": "string", "pattern": pattern});
            assert_eq!(messages(&schema, json!("")), ["/: must not be empty"]);
            assert_eq!(
                messages(&schema, json!(" \t")),
                ["/: must not be only whitespace"]
            );
            assert_eq!(
                messages(&schema, json!("<template-code>")),
                ["/: \"<template-code>\" is a placeholder; replace it with the real value"]
            );
        }
        let secret =
            json!({"type": "string", "pattern": crate::schema::FILLED_PATTERN, "writeOnly": true});
        assert_eq!(
            messages(&secret, json!("<s3cret>")),
            ["/: is an unfilled <placeholder>; replace it with the real value"]
        );
        let filled = json!({"type": "string", "pattern": crate::schema::FILLED_PATTERN});
        for ok in ["SMS_1", " a ", "<", "a<b>", "<b>x", "x</b>"] {
            assert!(messages(&filled, json!(ok)).is_empty(), "{ok:?}");
        }
        let optional = json!({"type": "string", "pattern": crate::schema::FILLED_OR_EMPTY_PATTERN});
        assert!(messages(&optional, json!("")).is_empty());
        assert_eq!(messages(&optional, json!("<sign>")).len(), 1);
        assert_eq!(messages(&optional, json!("  ")).len(), 1);
    }

    #[test]
    fn enum_and_const_compare_numbers_by_value() {
        let schema = json!({"enum": [0, 2, 6]});
        assert!(messages(&schema, json!(2.0)).is_empty());
        assert_eq!(
            messages(&schema, json!(2.5)),
            ["/: unknown value 2.5; expected one of 0, 2, 6"]
        );
        assert!(messages(&json!({"const": {"a": [1]}}), json!({"a": [1.0]})).is_empty());
    }

    #[test]
    fn type_errors_name_both_types() {
        let schema = json!({"type": "object", "properties": {"a": {"type": "string"}}});
        assert_eq!(
            messages(&schema, json!({"a": 1})),
            ["/a: expected a string, found an integer"]
        );
        assert_eq!(
            messages(&schema, json!([])),
            ["/: expected an object, found an array"]
        );
    }

    #[test]
    fn any_of_reports_the_branch_of_the_same_type() {
        let schema = json!({"anyOf": [
            {"type": "string", "minLength": 1},
            {"type": "object", "properties": {"x": {"type": "string"}}, "required": ["x"]},
        ]});
        assert_eq!(
            messages(&schema, json!({})),
            ["/x: required field is missing"]
        );
        assert_eq!(messages(&schema, json!("")), ["/: must not be empty"]);
        assert_eq!(
            messages(&schema, json!(3)),
            ["/: expected a string or an object, found an integer"]
        );
    }

    #[test]
    fn alternatives_of_required_keys_read_as_a_choice() {
        let schema = json!({
            "type": "object",
            "properties": {"a": {"type": "string"}, "b": {"type": "string"}, "c": {"type": "string"}},
            "anyOf": [
                {"title": "an a (a)", "properties": {"a": true}, "additionalProperties": true, "required": ["a"]},
                {"title": "a b and c (b and c)", "required": ["b", "c"]},
            ],
            "oneOf": [
                {"title": "an a (a)", "required": ["a"]},
                {"title": "a b (b)", "required": ["b"]},
            ],
            "dependentRequired": {"b": ["c"], "c": ["b"]},
        });
        assert_eq!(
            messages(&schema, json!({})),
            [
                "/: needs an a (a) or a b and c (b and c)",
                "/: needs an a (a) or a b (b)"
            ]
        );
        assert_eq!(
            messages(&schema, json!({"a": "1", "b": "2", "c": "3"})),
            ["/: takes an a (a) or a b (b), not both"]
        );
        assert_eq!(
            messages(&schema, json!({"a": "1", "c": "3"})),
            ["/b: required with c, which is set"]
        );
        assert!(messages(&schema, json!({"b": "2", "c": "3"})).is_empty());
        // A branch that names its keys warns about no other key.
        let report = check(&schema, &json!({"a": "1", "d": "4"}));
        assert!(report.problems.is_empty());
        assert_eq!(report.warnings.len(), 1, "{:?}", report.warnings);
        assert!(unsupported_keywords(&schema).is_empty());
    }

    #[test]
    fn any_of_required_keys_names_the_alternatives() {
        let schema = json!({
            "type": "object",
            "properties": {"a": {"type": "string"}, "b": {"type": "string"}, "c": {"type": "string"}},
            "anyOf": [
                {"required": ["a"]},
                {"title": "with b", "required": ["b"], "properties": {"b": true}},
                {"required": ["c"], "properties": {"c": true}},
            ],
        });
        assert_eq!(
            messages(&schema, json!({})),
            ["/a: required field is missing (or set b or c instead)"]
        );
        assert!(messages(&schema, json!({"c": "x"})).is_empty());
        let report = check(&schema, &json!({"c": "x", "d": 1}));
        assert_eq!(report.warnings.len(), 1, "{:?}", report.warnings);
        assert_eq!(
            messages(&schema, json!({"b": 1})),
            ["/b: expected a string, found an integer"]
        );
    }

    #[test]
    fn required_usage_types_are_named() {
        let mut schema =
            schemars::Schema::from(json!({"type": "array"}).as_object().unwrap().clone());
        crate::schema::require_usage_types(&mut schema);
        let schema = schema.to_value();
        let got = messages(
            &schema,
            json!([{"usageType": "SignIn"}, {"usageType": "Generic"}]),
        );
        assert_eq!(
            got,
            [
                "/: missing a template with usageType Register",
                "/: missing a template with usageType ForgotPassword",
            ]
        );
    }

    #[test]
    fn if_then_else_checks_the_branch_the_condition_picks() {
        let schema = json!({
            "type": "object",
            "properties": {"kind": {"type": "string"}, "size": {}},
            "if": {"properties": {"kind": {"const": "n"}}, "required": ["kind"]},
            "then": {"properties": {"kind": {}, "size": {"type": "integer"}}},
            "else": {"properties": {"kind": {}, "size": {"type": "string"}}},
        });
        assert!(messages(&schema, json!({"kind": "n", "size": 3})).is_empty());
        assert_eq!(
            messages(&schema, json!({"kind": "n", "size": "3"})),
            ["/size: expected an integer, found a string"]
        );
        assert!(messages(&schema, json!({"kind": "s", "size": "3"})).is_empty());
        assert!(unsupported_keywords(&schema).is_empty());
    }

    #[test]
    fn unknown_keywords_are_listed() {
        let schema = json!({"type": "object", "properties": {"a": {"format": "uri"}}, "not": {}});
        assert_eq!(
            unsupported_keywords(&schema),
            ["/properties/a/format", "/not"]
        );
    }
}
