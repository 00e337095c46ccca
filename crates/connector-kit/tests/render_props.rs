//! Property tests of placeholder rendering: it never panics, and inserted values are never
//! rendered again, so a payload value can never create a placeholder.
#![allow(clippy::unwrap_used, reason = "tests")]

use connector_kit::{SendMessagePayload, render};
use proptest::prelude::*;
use serde_json::{Map, Value};

fn payload(code: String, extra: Vec<(String, String)>) -> SendMessagePayload {
    let mut map = Map::new();
    for (k, v) in extra {
        map.insert(k, Value::String(v));
    }
    SendMessagePayload {
        code: Some(code),
        extra: map,
        ..SendMessagePayload::default()
    }
}

/// Text that may contain braces, placeholders, dots and multi-byte characters.
fn tricky_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just("{{".to_owned()),
            Just("}}".to_owned()),
            Just("{{code}}".to_owned()),
            Just("{{ link }}".to_owned()),
            Just("{{a.b}}".to_owned()),
            Just("{".to_owned()),
            Just(" ".to_owned()),
            Just("验证码".to_owned()),
            "[a-z.]{0,3}",
            any::<char>().prop_map(String::from),
        ],
        0..16,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #[test]
    fn rendering_never_panics(template in tricky_text(), code in tricky_text(), key in "[a-z]{1,3}", value in tricky_text()) {
        let out = render(&template, &payload(code.clone(), vec![(key, value.clone())]));
        // Output grows by at most one value per placeholder.
        prop_assert!(out.len() <= template.len() * (1 + code.len().max(value.len())) + 1);
    }

    #[test]
    fn a_value_is_inserted_verbatim_and_never_rendered(prefix in "[^{}]{0,20}", suffix in "[^{}]{0,20}", code in tricky_text()) {
        let template = format!("{prefix}{{{{code}}}}{suffix}");
        let out = render(&template, &payload(code.clone(), vec![("link".into(), "LINK".into())]));
        prop_assert_eq!(out, format!("{prefix}{code}{suffix}"));
    }

    #[test]
    fn text_without_placeholders_is_unchanged(text in "[^{]{0,64}", code in tricky_text()) {
        prop_assert_eq!(render(&text, &payload(code, vec![])), text);
    }

    #[test]
    fn placeholders_in_the_output_come_only_from_the_template_or_the_values(template in tricky_text(), code in tricky_text()) {
        // Render with a value that holds no braces: any placeholder left in the output must
        // have been in the template already.
        let plain = render(&template, &payload("0".into(), vec![]));
        let count = |s: &str| s.matches("{{").count();
        prop_assert!(count(&plain) <= count(&template));
        // Rendering with any value adds at most the value's own braces, once per insertion.
        let with_code = render(&template, &payload(code.clone(), vec![]));
        let insertions = template.matches("{{code}}").count() + template.matches("{{ code }}").count() + 1;
        prop_assert!(count(&with_code) <= count(&template) + count(&code) * insertions + insertions);
    }
}
