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
    let rows: Vec<Vec<String>> = stdout(&output)
        .lines()
        .skip(1)
        .map(|l| l.split_whitespace().take(2).map(str::to_owned).collect())
        .collect();
    assert_eq!(
        rows,
        [
            ["twilio-short-message-service", "twilio-sms"],
            ["aliyun-short-message-service", "aliyun-sms"],
            ["tencent-short-message-service", "tencent-sms"],
        ]
    );
    let json: Value = serde_json::from_slice(&run(&["list", "--json"]).stdout).unwrap();
    assert_eq!(json[0]["id"], "twilio-short-message-service");
    assert_eq!(json.as_array().unwrap().len(), 3);
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
fn the_example_configs_are_valid() {
    for (connector, file) in [
        ("twilio-sms", "twilio.json"),
        ("aliyun-sms", "aliyun.json"),
        ("tencent-sms", "tencent.json"),
    ] {
        let output = run(&["validate", connector, example(file).to_str().unwrap()]);
        assert_eq!(stdout(&output), "valid\n", "{file}: {}", stderr(&output));
        assert!(output.status.success());
    }
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

#[test]
fn demo_sends_one_code_through_each_connector_and_shows_it_arrive() {
    let output = run(&["demo"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("3 of 3 messages arrived"), "{text}");
    for line in [
        "[twilio] +14155550100 <- \"Your sign-in code is ",
        "[aliyun] 13800138000 <- template \"SMS_100000001\" {\"code\":\"",
        "[tencent] +8613800138000 <- template \"1000001\" [\"",
    ] {
        assert!(text.contains(line), "{line} in {text}");
    }
    assert_eq!(text.matches("  receipt:  message id ").count(), 3);
}

/// Reads lines from a child's stdout on a thread, so that a test can wait with a deadline.
fn lines(stdout: std::process::ChildStdout) -> std::sync::mpsc::Receiver<String> {
    use std::io::BufRead;
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if sender.send(line).is_err() {
                break;
            }
        }
    });
    receiver
}

#[test]
fn simulate_accepts_sends_with_the_example_configs_and_logs_them() {
    let dir = std::env::temp_dir().join(format!("sms-connector-cli-tests-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let log = dir.join("simulate.jsonl");
    let _ = std::fs::remove_file(&log);
    let mut child = bin()
        .args(["simulate", "--port", "0", "--log", log.to_str().unwrap()])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let output = lines(child.stdout.take().unwrap());
    let wait = std::time::Duration::from_secs(20);
    let mut endpoints = std::collections::HashMap::new();
    loop {
        let line = output.recv_timeout(wait).unwrap();
        if line.starts_with("Press Ctrl-C") {
            break;
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        if let ["twilio" | "aliyun" | "tencent", endpoint, ..] = words.as_slice() {
            endpoints.insert(words[0].to_owned(), (*endpoint).to_owned());
        }
    }
    let sends = [
        ("twilio", "+14155550100"),
        ("aliyun", "13800138000"),
        ("tencent", "+8613800138000"),
    ];
    for (provider, to) in sends {
        let config = example(&format!("{provider}.json"));
        let result = run(&[
            "send",
            &format!("{provider}-sms"),
            "--config",
            config.to_str().unwrap(),
            "--to",
            to,
            "--code",
            "424242",
            "--endpoint",
            &endpoints[provider],
        ]);
        assert!(result.status.success(), "{provider}: {}", stderr(&result));
        let echoed = output.recv_timeout(wait).unwrap();
        assert!(
            echoed.starts_with(&format!("[{provider}] {to} <- ")),
            "{echoed}"
        );
    }
    let _ = child.kill();
    let _ = child.wait();
    let logged: Vec<Value> = std::fs::read_to_string(&log)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(logged.len(), 3);
    assert_eq!(logged[0]["body"], "Your verification code is 424242.");
    assert_eq!(logged[1]["params"], json!({"code": "424242"}));
    assert_eq!(logged[2]["params"], json!(["424242"]));
}

#[test]
fn simulate_reports_a_bad_credentials_file() {
    let path = write_config("bad-credentials.json", &json!({"twilio": {"token": "x"}}));
    let output = run(&[
        "simulate",
        "--port",
        "0",
        "--credentials",
        path.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("not a valid credentials file"),
        "{}",
        stderr(&output)
    );
}
