//! Aliyun RPC signature vectors, checked stage by stage.
//!
//! Each case lives in `tests/vectors/<case>/`: `input.json` (`method`, `secret`, `params`),
//! and the expected `canonical-query.txt`, `string-to-sign.txt` and `signature.txt`.
//! `tests/vectors/SOURCE.md` says where each came from. Every assertion names its stage, so a
//! failure says which step diverged.
#![allow(clippy::unwrap_used, reason = "test helpers fail loudly")]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use connector_aliyun_sms::sign::{CanonicalQuery, Signature, StringToSign, percent_encode};
use connector_kit::HttpMethod;
use serde_json::Value;

/// Every case directory; `every_vector_directory_has_a_test` keeps this list honest.
const CASES: [&str; 4] = [
    "documented-single-send-mail",
    "sdk-sendsms-chinese-sign-name",
    "sdk-sendsms-special-characters",
    "sdk-v2-sendsms-special-characters",
];

fn vectors() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors")
}

/// An expected stage text. The files have no trailing newline; one added by an editor is
/// forgiven, since no stage text ends with one.
fn expected(case: &str, file: &str) -> String {
    let path = vectors().join(case).join(file);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{case}: cannot read {}: {e}", path.display()));
    text.strip_suffix('\n').unwrap_or(&text).to_owned()
}

fn run_case(case: &str) {
    let input: Value = serde_json::from_str(&expected(case, "input.json"))
        .unwrap_or_else(|e| panic!("{case}: input.json is not JSON: {e}"));
    let method = match input["method"].as_str() {
        Some("POST") => HttpMethod::Post,
        Some("GET") => HttpMethod::Get,
        other => panic!("{case}: unsupported method {other:?}"),
    };
    let secret = input["secret"].as_str().unwrap();
    let params: Vec<(String, String)> = input["params"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
        .collect();
    assert!(
        params.iter().all(|(k, _)| k != "Signature"),
        "{case}: input.json must not hold the Signature parameter"
    );

    // Stage 1: each name and value percent-encoded, compared as an unordered set of pairs.
    let expected_query = expected(case, "canonical-query.txt");
    let encoded: BTreeSet<String> = params
        .iter()
        .map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v)))
        .collect();
    let expected_pairs: BTreeSet<String> = expected_query.split('&').map(str::to_owned).collect();
    assert_eq!(
        encoded, expected_pairs,
        "{case}: stage 1 (percent-encoding of names and values)"
    );

    // Stage 2: sorted by encoded name and joined.
    let query = CanonicalQuery::new(params.iter().map(|(k, v)| (k, v)));
    assert_eq!(
        query.to_string(),
        expected_query,
        "{case}: stage 2 (canonical query)"
    );

    // Stage 3: METHOD&%2F&encode(canonical query).
    let string_to_sign = StringToSign::new(method, &query);
    assert_eq!(
        string_to_sign.to_string(),
        expected(case, "string-to-sign.txt"),
        "{case}: stage 3 (string to sign)"
    );

    // Stage 4: base64(HMAC-SHA1(secret + "&", string to sign)).
    let signature = Signature::compute(&string_to_sign, secret);
    assert_eq!(
        signature.to_string(),
        expected(case, "signature.txt"),
        "{case}: stage 4 (signature)"
    );
}

#[test]
fn documented_single_send_mail() {
    run_case("documented-single-send-mail");
    // The published value, independent of the vector files.
    assert_eq!(
        expected("documented-single-send-mail", "signature.txt"),
        "llJfXJjBW3OacrVgxxsITgYaYm0="
    );
}

#[test]
fn sdk_sendsms_chinese_sign_name() {
    run_case("sdk-sendsms-chinese-sign-name");
}

#[test]
fn sdk_sendsms_special_characters() {
    run_case("sdk-sendsms-special-characters");
}

#[test]
fn sdk_v2_sendsms_special_characters() {
    run_case("sdk-v2-sendsms-special-characters");
}

#[test]
fn every_vector_directory_has_a_test() {
    let mut found: Vec<String> = std::fs::read_dir(vectors())
        .unwrap()
        .map(|entry| entry.unwrap())
        .filter(|entry| entry.file_type().unwrap().is_dir())
        .map(|entry| entry.file_name().into_string().unwrap())
        .collect();
    found.sort();
    assert_eq!(found, CASES);
    let sources = std::fs::read_to_string(vectors().join("SOURCE.md")).unwrap();
    for case in CASES {
        assert!(
            sources.contains(&format!("## {case}")),
            "SOURCE.md has no section for {case}"
        );
    }
}

/// The documented example's timestamp is what the kit's clock prints for its Unix time, so
/// a request built from a `RequestContext` signs the same text.
#[test]
fn documented_timestamp_comes_from_the_request_context() {
    let context = connector_kit::RequestContext::fixed(1_476_944_876, "n");
    assert_eq!(context.utc().to_string(), "2016-10-20T06:27:56Z");
}

/// Aliyun V3 (`ACS3-HMAC-SHA256`) vectors, checked stage by stage.
///
/// Each case lives in `tests/vectors-v3/<case>/`: `input.json` (`method`, `path`, `query`,
/// `headers` (the signed ones), `payloadHash`, `accessKeyId`, `secret`) and the expected
/// `canonical-request.txt`, `string-to-sign.txt`, `signature.txt` and `authorization.txt`.
/// `tests/vectors-v3/SOURCE.md` says how the official SDK produced them.
mod v3 {
    use std::path::{Path, PathBuf};

    use connector_aliyun_sms::sign::v3::{
        Authorization, CanonicalRequest, Signature, StringToSign,
    };
    use connector_kit::HttpMethod;
    use serde_json::Value;

    const CASES: [&str; 3] = [
        "sdk-v3-connector-headers",
        "sdk-v3-sendsms-chinese-sign-name",
        "sdk-v3-sendsms-special-characters",
    ];

    fn vectors() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors-v3")
    }

    fn expected(case: &str, file: &str) -> String {
        let path = vectors().join(case).join(file);
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{case}: cannot read {}: {e}", path.display()));
        text.strip_suffix('\n').unwrap_or(&text).to_owned()
    }

    fn pairs(value: &Value) -> Vec<(String, String)> {
        value
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
            .collect()
    }

    fn run_case(case: &str) {
        let input: Value = serde_json::from_str(&expected(case, "input.json"))
            .unwrap_or_else(|e| panic!("{case}: input.json is not JSON: {e}"));
        let method = match input["method"].as_str() {
            Some("POST") => HttpMethod::Post,
            Some("GET") => HttpMethod::Get,
            other => panic!("{case}: unsupported method {other:?}"),
        };
        let text = |key: &str| input[key].as_str().unwrap();

        // Stage 1: the canonical request.
        let canonical = CanonicalRequest::new(
            method,
            text("path"),
            pairs(&input["query"]),
            pairs(&input["headers"]),
            text("payloadHash"),
        );
        assert_eq!(
            canonical.to_string(),
            expected(case, "canonical-request.txt"),
            "{case}: stage 1 (canonical request)"
        );

        // Stage 2: ACS3-HMAC-SHA256 + hex SHA-256 of the canonical request.
        let string_to_sign = StringToSign::new(&canonical);
        assert_eq!(
            string_to_sign.to_string(),
            expected(case, "string-to-sign.txt"),
            "{case}: stage 2 (string to sign)"
        );

        // Stage 3: hex HMAC-SHA256 keyed with the secret.
        let signature = Signature::compute(&string_to_sign, text("secret"));
        assert_eq!(
            signature.to_string(),
            expected(case, "signature.txt"),
            "{case}: stage 3 (signature)"
        );

        // Stage 4: the Authorization header.
        let authorization = Authorization::new(text("accessKeyId"), &canonical, &signature);
        assert_eq!(
            authorization.to_string(),
            expected(case, "authorization.txt"),
            "{case}: stage 4 (Authorization header)"
        );
    }

    #[test]
    fn sdk_v3_connector_headers() {
        run_case("sdk-v3-connector-headers");
    }

    #[test]
    fn sdk_v3_sendsms_chinese_sign_name() {
        run_case("sdk-v3-sendsms-chinese-sign-name");
    }

    #[test]
    fn sdk_v3_sendsms_special_characters() {
        run_case("sdk-v3-sendsms-special-characters");
    }

    #[test]
    fn every_vector_directory_has_a_test() {
        let mut found: Vec<String> = std::fs::read_dir(vectors())
            .unwrap()
            .map(|entry| entry.unwrap())
            .filter(|entry| entry.file_type().unwrap().is_dir())
            .map(|entry| entry.file_name().into_string().unwrap())
            .collect();
        found.sort();
        assert_eq!(found, CASES);
        let sources = std::fs::read_to_string(vectors().join("SOURCE.md")).unwrap();
        for case in CASES {
            assert!(
                sources.contains(&format!("## {case}")),
                "SOURCE.md has no section for {case}"
            );
        }
    }
}
