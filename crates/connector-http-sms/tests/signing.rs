//! The Standard Webhooks signer, stage by stage, against the specification's vector and
//! vectors made with its official Python library (see `vectors/standard-webhooks/SOURCE.md`).
#![allow(clippy::unwrap_used, reason = "test helpers fail loudly")]

use connector_http_sms::sign::{key_of_secret, sign, signature, signed_content};
use serde_json::Value;

fn vectors() -> Vec<Value> {
    let text = include_str!("vectors/standard-webhooks/vectors.json");
    let file: Value = serde_json::from_str(text).expect("vectors.json is JSON");
    file["vectors"].as_array().expect("a vectors array").clone()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn every_vector_passes_stage_by_stage() {
    let vectors = vectors();
    assert!(vectors.len() >= 4);
    for v in vectors {
        let name = v["name"].as_str().unwrap();
        let secret = v["secret"].as_str().unwrap();
        let id = v["id"].as_str().unwrap();
        let timestamp = v["timestamp"].as_u64().unwrap();
        let body = v["body"].as_str().unwrap().as_bytes();

        let key = key_of_secret(secret).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(hex(&key), v["keyHex"].as_str().unwrap(), "{name}: key");

        let content = signed_content(id, timestamp, body);
        assert_eq!(
            String::from_utf8(content.clone()).unwrap(),
            v["signedContent"].as_str().unwrap(),
            "{name}: signed content"
        );

        let expected = v["signature"].as_str().unwrap();
        assert_eq!(signature(&key, &content), expected, "{name}: signature");
        assert_eq!(sign(&key, id, timestamp, body), expected, "{name}: sign");
    }
}

#[test]
fn the_specification_vector_is_among_them() {
    let spec = vectors().into_iter().find(|v| v["name"] == "spec").unwrap();
    assert_eq!(
        spec["signature"],
        "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    );
}

#[test]
fn a_changed_byte_changes_the_signature() {
    let key = key_of_secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
    let base = sign(&key, "msg_1", 1, b"{}");
    assert_ne!(sign(&key, "msg_2", 1, b"{}"), base);
    assert_ne!(sign(&key, "msg_1", 2, b"{}"), base);
    assert_ne!(sign(&key, "msg_1", 1, b"{ }"), base);
    let other = key_of_secret("whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYX").unwrap();
    assert_ne!(sign(&other, "msg_1", 1, b"{}"), base);
}
