//! Placeholder rendering never panics, whatever the template and payload.
#![no_main]

use connector_kit::{SendMessagePayload, render};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (template, payload) = text.split_once('\u{1}').unwrap_or((&text, "{}"));
    let payload: SendMessagePayload = serde_json::from_str(payload).unwrap_or_default();
    let _ = render(template, &payload);
});
