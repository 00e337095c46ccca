//! Tencent's response parser never panics: any status, any body, for a mainland and an
//! international recipient.
#![no_main]

use connector_kit::{HttpResponse, SendMessageData, TemplateType};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (status, body) = match data {
        [a, b, rest @ ..] => (100 + u16::from_be_bytes([*a, *b]) % 500, rest),
        _ => (200, data),
    };
    let response = HttpResponse {
        status,
        headers: vec![("content-type".into(), "application/json".into())],
        body: body.to_vec(),
    };
    for to in ["+8613800138000", "+14155550100"] {
        let message = SendMessageData::code(to, TemplateType::SignIn, "123456");
        let _ = connector_tencent_sms::response::parse_response(&message, &response);
    }
});
