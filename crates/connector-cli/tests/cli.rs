//! The `sms-connector` binary, run as a user runs it.
#![allow(clippy::unwrap_used, reason = "test helpers fail loudly")]

use std::path::PathBuf;
use std::process::{Command, Output};

use connector_kit::testing::{CannedResponse, CaptureServer};
use serde_json::{Value, json};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_sms-connector"))
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn example(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(name)
}

fn write_config(name: &str, value: &Value) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sms-connector-cli-tests-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_string_pretty(value).unwrap()).unwrap();
    path
}

fn twilio_example() -> Value {
    serde_json::from_str(&std::fs::read_to_string(example("twilio.json")).unwrap()).unwrap()
}

#[test]
fn list_prints_every_connector() {
    let output = run(&["list"]);
    assert!(output.status.success());
    assert!(stdout(&output).contains("twilio-short-message-service  twilio-sms"));
    let json: Value = serde_json::from_slice(&run(&["list", "--json"]).stdout).unwrap();
    assert_eq!(json[0]["id"], "twilio-short-message-service");
    assert_eq!(json[0]["formItems"][1]["isConfidential"], true);
}

#[test]
fn schema_by_id_or_target() {
    let by_target: Value = serde_json::from_slice(&run(&["schema", "twilio-sms"]).stdout).unwrap();
    let by_id: Value =
        serde_json::from_slice(&run(&["schema", "twilio-short-message-service"]).stdout).unwrap();
    assert_eq!(by_target, by_id);
    assert_eq!(
        by_target["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
}

#[test]
fn the_example_config_is_valid() {
    let output = run(&[
        "validate",
        "twilio-sms",
        example("twilio.json").to_str().unwrap(),
    ]);
    assert_eq!(stdout(&output), "valid\n");
    assert!(output.status.success());
}

#[test]
fn validate_names_a_missing_register_template() {
    let mut config = twilio_example();
    config["templates"]
        .as_array_mut()
        .unwrap()
        .retain(|t| t["usageType"] != "Register");
    let path = write_config("no-register.json", &config);
    let output = run(&["validate", "twilio-sms", path.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("/templates: missing a template with usageType Register"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn validate_names_the_path_of_a_wrong_type() {
    let mut config = twilio_example();
    config["templates"][0]["content"] = json!(["not", "a", "string"]);
    let path = write_config("wrong-type.json", &config);
    let output = run(&["validate", "twilio-sms", path.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("/templates/0/content: expected a string, found an array"));
}

#[test]
fn unknown_connector_unreadable_file_and_malformed_json_exit_2_with_one_line() {
    let unknown = run(&[
        "validate",
        "nexmo-sms",
        example("twilio.json").to_str().unwrap(),
    ]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        stderr(&unknown)
            .starts_with("error: unknown connector \"nexmo-sms\"; known connectors: twilio-sms")
    );

    let missing = run(&["validate", "twilio-sms", "/nonexistent/config.json"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).starts_with("error: cannot read /nonexistent/config.json"));

    let dir = std::env::temp_dir().join(format!("sms-connector-cli-tests-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let broken = dir.join("broken.json");
    std::fs::write(&broken, "{\"accountSID\": ").unwrap();
    let malformed = run(&[
        "send",
        "twilio-sms",
        "--config",
        broken.to_str().unwrap(),
        "--to",
        "+14155550100",
    ]);
    assert_eq!(malformed.status.code(), Some(2));
    assert!(stderr(&malformed).contains("is not valid JSON"));
    assert_eq!(stderr(&malformed).lines().count(), 1);
}

#[test]
fn dry_run_prints_the_request_without_the_secret() {
    let output = run(&[
        "send",
        "twilio-sms",
        "--config",
        example("twilio.json").to_str().unwrap(),
        "--to",
        "+14155550100",
        "--type",
        "SignIn",
        "--code",
        "424242",
        "--dry-run",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.starts_with("POST http://127.0.0.1:4010/2010-04-01/Accounts/AC00000000000000000000000000000001/Messages.json\n"));
    assert!(text.contains("Authorization: Basic <redacted>"));
    assert!(text.contains("Body=Your+sign-in+code+is+424242."));
    assert!(!text.contains("simulator-twilio-auth-token"));
}

#[test]
fn bad_usage_type_and_payload_are_rejected() {
    let config = example("twilio.json");
    let config = config.to_str().unwrap();
    let output = run(&[
        "send",
        "twilio-sms",
        "--config",
        config,
        "--to",
        "+1415",
        "--type",
        "Signin",
        "--dry-run",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("unknown usage type \"Signin\""));
    let output = run(&[
        "send",
        "twilio-sms",
        "--config",
        config,
        "--to",
        "+14155550100",
        "--payload",
        "novalue",
        "--dry-run",
    ]);
    assert_eq!(output.status.code(), Some(2));
    let output = run(&[
        "send",
        "twilio-sms",
        "--config",
        config,
        "--to",
        "+1415",
        "--dry-run",
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).starts_with("error[invalid_request_parameters]: phone number \"+1415\"")
    );
}

#[tokio::test]
async fn send_prints_the_receipt_and_errors_with_their_code() {
    let server = CaptureServer::start(CannedResponse::json(
        201,
        r#"{"sid":"SM42","status":"accepted"}"#,
    ))
    .await
    .unwrap();
    let config = example("twilio.json");
    let origin = server.origin().to_owned();
    let output = tokio::task::spawn_blocking(move || {
        run(&[
            "send",
            "twilio-sms",
            "--config",
            config.to_str().unwrap(),
            "--to",
            "+14155550100",
            "--endpoint",
            &origin,
        ])
    })
    .await
    .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(stdout(&output), "sent via twilio-sms: message id SM42\n");
    assert_eq!(server.requests().len(), 1);

    let failing = CaptureServer::start(CannedResponse::json(
        401,
        r#"{"code":20003,"message":"Authenticate","more_info":"https://www.twilio.com/docs/errors/20003","status":401}"#,
    ))
    .await
    .unwrap();
    let config = example("twilio.json");
    let origin = failing.origin().to_owned();
    let output = tokio::task::spawn_blocking(move || {
        run(&[
            "send",
            "twilio-sms",
            "--config",
            config.to_str().unwrap(),
            "--to",
            "+14155550100",
            "--endpoint",
            &origin,
            "--json",
        ])
    })
    .await
    .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let error: Value = serde_json::from_str(&stderr(&output)).unwrap();
    assert_eq!(error["code"], "invalid_config");
    assert_eq!(error["details"]["providerCode"], "20003");
}
