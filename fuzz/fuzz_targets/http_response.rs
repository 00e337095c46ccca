//! The HTTP connector's answer reader never panics: any status, any body, read with a
//! message id pointer taken from the input too.
#![no_main]

use connector_http_sms::{Http, factory};
use connector_kit::{HttpResponse, Provider, RequestContext};
use libfuzzer_sys::fuzz_target;
use serde_json::json;

fuzz_target!(|data: &[u8]| {
    let (status, pointer, body) = match data {
        [a, b, p, rest @ ..] => {
            let pointers = ["/id", "/data/id", "/a~1b/0", "/", "/messages/0/id"];
            (
                100 + u16::from_be_bytes([*a, *b]) % 500,
                pointers[usize::from(*p) % pointers.len()],
                rest,
            )
        }
        _ => (200, "/id", data),
    };
    let response = HttpResponse {
        status,
        headers: vec![("x-request-id".into(), "req".into())],
        body: body.to_vec(),
    };
    let _ = Http::parse_response(&response);
    let config = json!({"endpoint": "https://sms.example.com/send", "messageIdPointer": pointer});
    if let Ok(parsed) = factory().parse(&config) {
        let context = RequestContext::fixed(1, "n");
        let _ = Http::read_response(&parsed.config, &context, &response);
    }
});
