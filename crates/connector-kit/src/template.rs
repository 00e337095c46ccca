//! `{{code}}`-style placeholder rendering, with Logto's semantics.
//!
//! - `{{code}}` and `{{ code }}` are the same placeholder; a name is letters, digits, `_` and
//!   `.`-separated segments.
//! - `{{org.name}}` walks into nested payload objects.
//! - A placeholder whose root key is not in the payload stays exactly as written.
//! - A present root with a missing nested key renders as empty.
//! - Rendering is one pass: inserted values are never rendered again, so a code that
//!   contains `{{link}}` stays literal.

use serde_json::Value;

use crate::message::{PayloadValue, SendMessagePayload};

/// Renders every placeholder of `template` from `payload`.
pub fn render(template: &str, payload: &SendMessagePayload) -> String {
    render_with(template, |name| lookup(payload, name))
}

/// Renders every placeholder of `template` with the text `value` gives for its name (a
/// placeholder `value` answers `None` for stays exactly as written), in one pass, with the
/// syntax of [`render`]: for texts whose placeholders are not all payload keys (the HTTP
/// connector's body, which also has `{{to}}` and `{{text}}`).
pub fn render_with(template: &str, mut value: impl FnMut(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find("{{") {
        out.push_str(&rest[..open]);
        let after_open = &rest[open + 2..];
        match parse_placeholder(after_open) {
            Some((name, consumed)) => {
                let whole = &rest[open..open + 2 + consumed];
                match value(name) {
                    Some(text) => out.push_str(&text),
                    None => out.push_str(whole),
                }
                rest = &after_open[consumed..];
            }
            None => {
                // Not a placeholder: keep one brace and look again from the next character,
                // so that `{{{code}}` still finds `{{code}}`.
                out.push('{');
                rest = &rest[open + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The names of the placeholders in `template`, in order (`{{ org.name }}` gives
/// `org.name`), as [`render`] finds them.
pub fn placeholders(template: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find("{{") {
        let after_open = &rest[open + 2..];
        match parse_placeholder(after_open) {
            Some((name, consumed)) => {
                names.push(name);
                rest = &after_open[consumed..];
            }
            None => rest = &rest[open + 1..],
        }
    }
    names
}

/// Parses `  name.path  }}` at the start of `s`; returns the name and the bytes consumed,
/// closing braces included.
fn parse_placeholder(s: &str) -> Option<(&str, usize)> {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() && bytes[i].is_ascii_whitespace() {
        i += 1;
    }
    let start = i;
    while i < bytes.len()
        && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_' || bytes[i] == b'.')
    {
        i += 1;
    }
    let end = i;
    while i < bytes.len() && bytes[i].is_ascii_whitespace() {
        i += 1;
    }
    if end > start && s[i..].starts_with("}}") {
        Some((&s[start..end], i + 2))
    } else {
        None
    }
}

/// The text of the payload value a placeholder names (`code`, `org.name`), or `None` when
/// the payload has no such root key (a present root with a missing nested key is empty).
pub fn lookup(payload: &SendMessagePayload, name: &str) -> Option<String> {
    let mut segments = name.split('.');
    let root = segments.next()?;
    let value = payload.get(root)?;
    let mut current = match value {
        PayloadValue::Str(s) => {
            // A typed string field has no nested keys.
            return Some(if name.contains('.') {
                String::new()
            } else {
                s.to_owned()
            });
        }
        PayloadValue::Json(v) => v,
    };
    for segment in segments {
        current = match current {
            Value::Object(map) => match map.get(segment) {
                Some(v) => v,
                None => return Some(String::new()),
            },
            Value::Array(items) => match segment.parse::<usize>().ok().and_then(|i| items.get(i)) {
                Some(v) => v,
                None => return Some(String::new()),
            },
            _ => return Some(String::new()),
        };
    }
    Some(PayloadValue::Json(current).to_text())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn payload(value: Value) -> SendMessagePayload {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn renders_with_and_without_spaces() {
        let p = payload(json!({"code": "123456"}));
        assert_eq!(
            render("Code {{code}} / {{ code }} / {{  code\t}}", &p),
            "Code 123456 / 123456 / 123456"
        );
    }

    #[test]
    fn absent_root_stays_as_written() {
        let p = payload(json!({"code": "1"}));
        assert_eq!(
            render("{{ link }} and {{org.name}}", &p),
            "{{ link }} and {{org.name}}"
        );
    }

    #[test]
    fn nested_paths_render_and_missing_nested_keys_are_empty() {
        let p = payload(json!({"org": {"name": "Acme", "tags": ["a", "b"]}}));
        assert_eq!(
            render(
                "{{org.name}}|{{org.missing}}|{{org.tags.1}}|{{org.name.x}}",
                &p
            ),
            "Acme||b|"
        );
    }

    #[test]
    fn values_are_inserted_once_and_never_rendered_again() {
        let p = payload(json!({"code": "{{link}}", "link": "https://evil"}));
        assert_eq!(render("{{code}}", &p), "{{link}}");
    }

    #[test]
    fn placeholders_are_listed_as_rendering_finds_them() {
        assert_eq!(
            placeholders("{{ to }}: {{code}} {{{org.name}}} {{ bad name }} {{text"),
            ["to", "code", "org.name"]
        );
        let rendered = render_with("{{to}} {{x}}", |name| (name == "to").then(|| "+1".into()));
        assert_eq!(rendered, "+1 {{x}}");
    }

    #[test]
    fn scalars_are_stringified() {
        let p = payload(json!({"minutes": 5, "ok": true, "none": null}));
        assert_eq!(render("{{minutes}} {{ok}} [{{none}}]", &p), "5 true []");
    }

    #[test]
    fn malformed_braces_are_kept() {
        let p = payload(json!({"code": "9"}));
        assert_eq!(
            render("{{ code } {{}} {{{code}}} {{code", &p),
            "{{ code } {{}} {9} {{code"
        );
        assert_eq!(render("多语言 {{code}} ✓", &p), "多语言 9 ✓");
    }
}
