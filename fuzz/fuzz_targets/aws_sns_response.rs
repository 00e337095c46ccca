//! SNS's response parser (XML) never panics: any status, any body.
#![no_main]

use connector_kit::HttpResponse;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (status, body) = match data {
        [a, b, rest @ ..] => (100 + u16::from_be_bytes([*a, *b]) % 500, rest),
        _ => (200, data),
    };
    let response = HttpResponse {
        status,
        headers: Vec::new(),
        body: body.to_vec(),
    };
    let _ = <connector_aws_sns::Sns as connector_kit::Provider>::parse_response(&response);
});
