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
            ["vonage-short-message-service", "vonage-sms"],
            ["aws-sns-short-message-service", "aws-sns-sms"],
            ["http-short-message-service", "http-sms"],
            ["router-short-message-service", "router-sms"],
        ]
    );
    let json: Value = serde_json::from_slice(&run(&["list", "--json"]).stdout).unwrap();
    assert_eq!(json["ok"], true);
    let connectors = &json["connectors"];
    assert_eq!(connectors[0]["id"], "twilio-short-message-service");
    assert_eq!(connectors.as_array().unwrap().len(), 7);
    assert_eq!(connectors[0]["formItems"][1]["isConfidential"], true);
}

#[test]
fn list_json_describes_connectors_as_the_schema_index_does() {
    let json: Value = serde_json::from_slice(&run(&["list", "--json"]).stdout).unwrap();
    let index: Value = serde_json::from_str(
        &std::fs::read_to_string(
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../schemas/index.json"),
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(json["connectors"], index["connectors"]);
    assert_eq!(
        json["connectors"][0]["logo"],
        "crates/connector-twilio-sms/logo.svg"
    );
}

#[test]
fn schema_by_id_or_target() {
    let by_target: Value = serde_json::from_slice(&run(&["schema", "twilio-sms"]).stdout).unwrap();
    let by_id: Value =
        serde_json::from_slice(&run(&["schema", "twilio-short-message-service"]).stdout).unwrap();
    assert_eq!(by_target, by_id);
    assert_eq!(
        by_target["$schema"],
        "http://json-schema.org/draft-07/schema#"
    );
}

#[test]
fn the_example_configs_are_valid() {
    for (connector, file) in [
        ("twilio-sms", "twilio.json"),
        ("aliyun-sms", "aliyun.json"),
        ("tencent-sms", "tencent.json"),
        ("vonage-sms", "vonage.json"),
        ("aws-sns-sms", "aws-sns.json"),
        ("http-sms", "http.json"),
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
    assert_eq!(output.status.code(), Some(3));
    assert!(
        stderr(&output).contains("is not a valid config (1 problem):"),
        "{}",
        stderr(&output)
    );
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
    assert_eq!(output.status.code(), Some(3));
    assert!(stderr(&output).contains("/templates/0/content: expected a string, found an array"));
}

#[test]
fn unknown_connectors_are_usage_errors_and_unreadable_or_malformed_files_invalid_input() {
    let unknown = run(&[
        "validate",
        "nexmo-sms",
        example("twilio.json").to_str().unwrap(),
    ]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(stderr(&unknown).starts_with(
        "error[unknown_connector]: unknown connector \"nexmo-sms\"; known connectors: twilio-sms"
    ));

    let missing = run(&["validate", "twilio-sms", "/nonexistent/config.json"]);
    assert_eq!(missing.status.code(), Some(3));
    assert!(
        stderr(&missing)
            .starts_with("error[unreadable_input]: cannot read /nonexistent/config.json")
    );

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
    assert_eq!(malformed.status.code(), Some(3));
    assert!(stderr(&malformed).contains("is not valid JSON"));
    assert_eq!(stderr(&malformed).lines().count(), 1);
}

#[test]
fn connector_names_suggest_the_closest() {
    for (typed, meant) in [("twilio", "twilio-sms"), ("aliyun-smss", "aliyun-sms")] {
        let output = run(&["schema", typed]);
        assert_eq!(output.status.code(), Some(2));
        assert!(
            stderr(&output).contains(&format!("(did you mean \"{meant}\"?)")),
            "{}",
            stderr(&output)
        );
    }
}

/// A Logto config as an older console saved it: a top-level name, a mistyped key beside the
/// right one, Twilio's `fromNumber`, template names and a `Test` template.
fn logto_twilio_config() -> Value {
    let mut config = twilio_example();
    config["name"] = json!("Twilio");
    config["fromNumber"] = json!("+15550001111");
    config["acountSID"] = config["accountSID"].clone();
    config["templates"][0]["name"] = json!("sign-in");
    let mut test = json!({"content": config["templates"][0]["content"].clone()});
    test["usageType"] = json!("Test");
    config["templates"].as_array_mut().unwrap().push(test);
    config
}

#[test]
fn logto_configs_are_valid_with_warnings_and_strict_rejects_them() {
    let path = write_config("logto.json", &logto_twilio_config());
    let path = path.to_str().unwrap();
    let output = run(&["validate", "twilio-sms", path]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stdout(&output), "valid (5 warnings)\n");
    let warnings = stderr(&output);
    for line in [
        "warning[unknown_field]: /name: unknown field \"name\" is ignored",
        "warning[unknown_field]: /fromNumber: unknown field \"fromNumber\" is ignored",
        "warning[unknown_field]: /acountSID: unknown field \"acountSID\" (did you mean \"accountSID\"?)",
        "warning[unknown_field]: /templates/0/name: unknown field \"name\" is ignored",
        "warning[deprecated_usage_type]: /templates/4/usageType: usage type \"Test\" is deprecated by Logto",
    ] {
        assert!(warnings.contains(line), "{line} in {warnings}");
    }

    let strict = run(&["validate", "twilio-sms", path, "--strict"]);
    assert_eq!(strict.status.code(), Some(3));
    assert!(stderr(&strict).contains("is not a valid config with --strict (5 problems):"));

    let json: Value =
        serde_json::from_slice(&run(&["validate", "twilio-sms", path, "--json"]).stdout).unwrap();
    assert_eq!(json["ok"], true);
    assert_eq!(json["warnings"].as_array().unwrap().len(), 5);
    assert_eq!(json["warnings"][2]["kind"], "unknown_field");

    // The send uses the deprecated type's own template.
    let dry = run(&[
        "send",
        "twilio-sms",
        "--config",
        path,
        "--to",
        "+14155550100",
        "--type",
        "Test",
        "--code",
        "777777",
        "--dry-run",
    ]);
    assert!(dry.status.success(), "{}", stderr(&dry));
    assert!(
        stdout(&dry).contains("Body=Your+sign-in+code+is+777777."),
        "{}",
        stdout(&dry)
    );
}

#[test]
fn the_whole_warning_corpus_is_valid_and_strict_rejects_it() {
    let corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/configs");
    let mut checked = 0;
    for target in [
        "twilio-sms",
        "aliyun-sms",
        "tencent-sms",
        "vonage-sms",
        "aws-sns-sms",
        "http-sms",
    ] {
        for entry in std::fs::read_dir(corpus.join(target).join("warning")).unwrap() {
            let path = entry.unwrap().path();
            let path = path.to_str().unwrap();
            let lenient = run(&["validate", target, path]);
            assert_eq!(
                lenient.status.code(),
                Some(0),
                "{path}: {}",
                stderr(&lenient)
            );
            assert!(stderr(&lenient).starts_with("warning["), "{path}");
            let strict = run(&["validate", target, path, "--strict"]);
            assert_eq!(strict.status.code(), Some(3), "{path}");
            checked += 1;
        }
    }
    assert!(checked >= 6);
}

#[test]
fn checks_that_catch_real_mistakes() {
    // A template without {{code}}, and two SignIn templates.
    let mut config = twilio_example();
    config["templates"][1]["content"] = json!("Welcome aboard!");
    let mut second = config["templates"][0].clone();
    second["content"] = json!("Another {{code}}");
    config["templates"].as_array_mut().unwrap().push(second);
    let path = write_config("mistakes.json", &config);
    let output = run(&["validate", "twilio-sms", path.to_str().unwrap()]);
    assert!(output.status.success());
    let warnings = stderr(&output);
    assert!(
        warnings.contains("warning[missing_code]: /templates/1/content: the text has no {{code}}"),
        "{warnings}"
    );
    assert!(warnings.contains("warning[duplicate_template]: /templates/4: a second template for SignIn; the first one, /templates/0, is used"), "{warnings}");

    let example = example("twilio.json");
    let example = example.to_str().unwrap();
    let base = [
        "send",
        "twilio-sms",
        "--config",
        example,
        "--to",
        "+14155550100",
        "--dry-run",
    ];
    let empty_code = run(&[&base[..], &["--code", ""]].concat());
    assert_eq!(empty_code.status.code(), Some(3));
    assert!(stderr(&empty_code).starts_with("error[invalid_input]: --code is empty"));
    let both = run(&[&base[..], &["--code", "111", "--payload", "code=999"]].concat());
    assert_eq!(both.status.code(), Some(2));
    assert!(
        stderr(&both).contains("set the code with --code"),
        "{}",
        stderr(&both)
    );

    // Blank secrets and unfilled placeholders can never send.
    let mut blank = twilio_example();
    blank["authToken"] = json!("   ");
    let path = write_config("blank.json", &blank);
    let output = run(&["validate", "twilio-sms", path.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(3));
    assert!(stderr(&output).contains("/authToken: must not be only whitespace"));
    let mut aliyun: Value =
        serde_json::from_str(&std::fs::read_to_string(example_path("aliyun.json")).unwrap())
            .unwrap();
    aliyun["templates"][0]["templateCode"] = json!("<template-code>");
    let path = write_config("placeholder.json", &aliyun);
    let output = run(&["validate", "aliyun-sms", path.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(3));
    assert!(
        stderr(&output).contains("/templates/0/templateCode: \"<template-code>\" is a placeholder; replace it with the real value"),
        "{}",
        stderr(&output)
    );
}

fn example_path(name: &str) -> PathBuf {
    example(name)
}

#[test]
fn the_operators_input_is_shown_as_typed_and_flags_are_named() {
    let example = example("twilio.json");
    let example = example.to_str().unwrap();
    let spaced = run(&[
        "send",
        "twilio-sms",
        "--config",
        example,
        "--to",
        "+1 415 555 0100",
        "--dry-run",
    ]);
    assert_eq!(spaced.status.code(), Some(3));
    assert_eq!(
        stderr(&spaced),
        "error[invalid_request_parameters]: --to \"+1 415 555 0100\" is not usable: it contains spaces, dashes, dots or brackets; write + and digits only, such as +14155550100\n"
    );
    let endpoint = run(&[
        "send",
        "twilio-sms",
        "--config",
        example,
        "--to",
        "+14155550100",
        "--endpoint",
        "http://example.com",
        "--dry-run",
    ]);
    assert_eq!(endpoint.status.code(), Some(3));
    let text = stderr(&endpoint);
    assert!(
        text.starts_with(
            "error[invalid_input]: --endpoint \"http://example.com\" must be an https:// origin"
        ),
        "{text}"
    );
    assert!(!text.contains("twilio.json"), "{text}");
}

/// A router has no endpoint of its own and its members send to different providers' APIs:
/// `--endpoint` is a usage error that says so and names the members and the way to point
/// each at an endpoint, before any request (and before the URL itself is checked).
#[test]
fn send_refuses_one_endpoint_for_a_router() {
    let example = example("router.json");
    for endpoint in ["http://127.0.0.1:9", "not a url"] {
        let refused = run(&[
            "send",
            "router-sms",
            "--config",
            example.to_str().unwrap(),
            "--to",
            "+8613800138000",
            "--endpoint",
            endpoint,
            "--dry-run",
        ]);
        assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
        let text = stderr(&refused);
        assert!(
            text.starts_with("error[usage]: --endpoint cannot be used with router-sms: it has no endpoint of its own"),
            "{text}"
        );
        for part in [
            "aliyun: aliyun-sms",
            "twilio: twilio-sms",
            "members.<name>.config.endpoint",
        ] {
            assert!(text.contains(part), "{part} in {text}");
        }
        assert!(stdout(&refused).is_empty(), "{}", stdout(&refused));
    }
}

#[test]
fn json_answers_every_outcome() {
    let example = example("twilio.json");
    let example = example.to_str().unwrap();
    let mut invalid = twilio_example();
    invalid["authToken"] = json!("");
    invalid["extra"] = json!(1);
    let path = write_config("invalid-json.json", &invalid);
    for args in [
        vec![
            "send",
            "twilio-sms",
            "--config",
            path.to_str().unwrap(),
            "--to",
            "+14155550100",
            "--json",
        ],
        vec!["validate", "twilio-sms", path.to_str().unwrap(), "--json"],
    ] {
        let output = run(&args);
        assert_eq!(output.status.code(), Some(3));
        assert_eq!(stderr(&output), "");
        let answer: Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(answer["ok"], false);
        assert_eq!(answer["exit"], 3);
        assert_eq!(answer["code"], "invalid_config");
        assert_eq!(
            answer["problems"],
            json!([{"path": "/authToken", "message": "must not be empty"}])
        );
        assert_eq!(answer["warnings"][0]["path"], "/extra");
    }
    for (args, exit, code) in [
        (
            vec!["schema", "twillio-sms", "--json"],
            2,
            "unknown_connector",
        ),
        (vec!["send", "twilio-sms", "--json"], 2, "usage"),
        (
            vec!["validate", "twilio-sms", "/nonexistent.json", "--json"],
            3,
            "unreadable_input",
        ),
        (
            vec![
                "send",
                "twilio-sms",
                "--config",
                example,
                "--to",
                "+1415",
                "--dry-run",
                "--json",
            ],
            3,
            "invalid_request_parameters",
        ),
    ] {
        let output = run(&args);
        assert_eq!(output.status.code(), Some(exit), "{args:?}");
        assert_eq!(stderr(&output), "", "{args:?}");
        let answer: Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(
            (answer["ok"].clone(), answer["code"].clone()),
            (json!(false), json!(code)),
            "{args:?}"
        );
    }
    let schema: Value =
        serde_json::from_slice(&run(&["schema", "tencent-sms", "--json"]).stdout).unwrap();
    assert_eq!(schema["ok"], true);
    assert_eq!(schema["schema"]["type"], "object");
    let dry: Value = serde_json::from_slice(
        &run(&[
            "send",
            "twilio-sms",
            "--config",
            example,
            "--to",
            "+14155550100",
            "--dry-run",
            "--json",
        ])
        .stdout,
    )
    .unwrap();
    assert_eq!(dry["request"]["method"], "POST");
}

#[test]
fn endless_bom_and_stdin_inputs() {
    let endless = run(&["validate", "twilio-sms", "/dev/zero"]);
    assert_eq!(endless.status.code(), Some(3));
    assert!(
        stderr(&endless).contains("larger than 1 MiB"),
        "{}",
        stderr(&endless)
    );

    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend(std::fs::read(example("twilio.json")).unwrap());
    let path = std::env::temp_dir().join(format!("sms-connector-bom-{}.json", std::process::id()));
    std::fs::write(&path, &bom).unwrap();
    let output = run(&["validate", "twilio-sms", path.to_str().unwrap()]);
    assert_eq!(stdout(&output), "valid\n", "{}", stderr(&output));

    use std::io::Write;
    let mut child = bin()
        .args(["validate", "twilio-sms", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&bom).unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(stdout(&output), "valid\n", "{}", stderr(&output));
}

#[test]
fn colour_on_request_and_never_with_no_color() {
    let mut config = twilio_example();
    config["extra"] = json!(1);
    let path = write_config("colour.json", &config);
    let path = path.to_str().unwrap();
    let plain = run(&["validate", "twilio-sms", path]);
    assert!(!stderr(&plain).contains('\u{1b}') && !stdout(&plain).contains('\u{1b}'));
    let forced = bin()
        .args(["validate", "twilio-sms", path])
        .env("CLICOLOR_FORCE", "1")
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    assert!(
        stderr(&forced).starts_with("\u{1b}["),
        "{:?}",
        stderr(&forced)
    );
    assert!(
        stdout(&forced).starts_with("\u{1b}["),
        "{:?}",
        stdout(&forced)
    );
    let refused = bin()
        .args(["validate", "twilio-sms", path])
        .env("CLICOLOR_FORCE", "1")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(!stderr(&refused).contains('\u{1b}'));
}

#[test]
fn help_lists_usage_types_and_exit_codes() {
    let help = stdout(&run(&["send", "--help"]));
    for t in ["SignIn", "MfaVerification", "BindMfa", "Test"] {
        assert!(help.contains(t), "{t} in {help}");
    }
    assert!(help.contains("Exit codes: 0 success; 1"), "{help}");
    let top = stdout(&run(&["--help"]));
    assert!(top.contains("3 invalid config or input"), "{top}");
}

#[test]
fn the_readme_shows_how_to_install_and_every_subcommand() {
    let readme =
        std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../README.md"))
            .unwrap();
    assert!(readme.contains("cargo install --path crates/connector-cli"));
    use clap::CommandFactory;
    for sub in connector_cli::cli::Cli::command().get_subcommands() {
        let name = sub.get_name();
        assert!(
            readme.contains(&format!("sms-connector {name}")),
            "README.md shows `sms-connector {name}`"
        );
    }
    for code in ["0", "1", "2", "3"] {
        assert!(
            readme.contains(&format!("| {code} |")),
            "README.md documents exit code {code}"
        );
    }
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
    assert!(stderr(&output).contains("unknown usage type \"Signin\" (did you mean \"SignIn\"?)"));
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
    assert_eq!(output.status.code(), Some(3));
    assert!(
        stderr(&output)
            .starts_with("error[invalid_request_parameters]: --to \"+1415\" is not usable"),
        "{}",
        stderr(&output)
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
    assert_eq!(
        stdout(&output),
        "sent via twilio-sms: message id SM42 (GSM-7, 33 septets, 1 segment)\n"
    );
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
    let error: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(error["ok"], false);
    assert_eq!(error["code"], "invalid_config");
    assert_eq!(error["details"]["providerCode"], "20003");
}

#[test]
fn demo_sends_one_code_through_each_connector_and_shows_it_arrive() {
    let output = run(&["demo"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("7 of 7 messages arrived"), "{text}");
    for line in [
        "[twilio] +14155550100 <- \"Your sign-in code is ",
        "[aliyun] 13800138000 <- template \"SMS_100000001\" {\"code\":\"",
        "[tencent] +8613800138000 <- template \"1000001\" [\"",
        "[vonage] 447700900000 <- \"Your sign-in code is ",
        "[aws-sns] +12065550100 <- \"Your sign-in code is ",
        "[http] +14155550123 <- \"Your sign-in code is ",
    ] {
        assert!(text.contains(line), "{line} in {text}");
    }
    assert_eq!(text.matches("  receipt:  message id ").count(), 7);
    // The router's example routes a mainland China number through its aliyun member.
    assert!(text.contains(", via aliyun"), "{text}");
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
        if let [
            "twilio" | "aliyun" | "tencent" | "vonage" | "aws-sns" | "http",
            endpoint,
            ..,
        ] = words.as_slice()
        {
            endpoints.insert(words[0].to_owned(), (*endpoint).to_owned());
        }
    }
    let sends = [
        ("twilio", "+14155550100"),
        ("aliyun", "13800138000"),
        ("tencent", "+8613800138000"),
        // Vonage echoes the number without `+`, as its API writes it.
        ("vonage", "447700900000"),
        ("aws-sns", "+12065550100"),
        ("http", "+14155550123"),
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
    assert_eq!(logged.len(), 6);
    assert_eq!(logged[0]["body"], "Your verification code is 424242.");
    assert_eq!(logged[1]["params"], json!({"code": "424242"}));
    assert_eq!(logged[2]["params"], json!(["424242"]));
    assert_eq!(logged[3]["body"], "Your verification code is 424242.");
    assert_eq!(logged[4]["body"], "Your verification code is 424242.");
    assert_eq!(logged[4]["sender"], "AcmeCorp");
    assert_eq!(logged[5]["body"], "Your verification code is 424242.");
    assert_eq!(logged[5]["params"]["payload"]["code"], "424242");
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
    assert_eq!(output.status.code(), Some(3));
    assert!(
        stderr(&output).contains("not a valid credentials file"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn preview_shows_the_text_its_encoding_and_segments() {
    let mut config = twilio_example();
    config["templates"][3]["content"] = json!("您的验证码是 {{code}}");
    config["templates"][0]["content"] =
        json!(format!("Your code is {{{{code}}}}. {}", "x".repeat(150)));
    let path = write_config("preview.json", &config);
    let path = path.to_str().unwrap();
    let output = run(&[
        "preview",
        "twilio-sms",
        "--config",
        path,
        "--code",
        "424242",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.starts_with("text: 您的验证码是 424242\nencoding: UCS-2, 13 UTF-16 units, 1 segment\nUCS-2 because of: 您的验证码是\n"), "{text}");
    assert!(text.contains("Body=%E6%82%A8"), "{text}");

    let long = run(&[
        "preview",
        "twilio-sms",
        "--config",
        path,
        "--type",
        "SignIn",
        "--json",
    ]);
    let answer: Value = serde_json::from_slice(&long.stdout).unwrap();
    assert_eq!(answer["segments"]["encoding"], "GSM-7");
    assert_eq!(answer["segments"]["count"], 2);
    assert_eq!(answer["warnings"][0]["kind"], "multi_segment");

    let validate = run(&["validate", "twilio-sms", path]);
    assert!(
        stderr(&validate).contains("warning[multi_segment]: /templates/0/content: with a six-digit code the text takes 2 SMS segments (171 GSM-7 septets; one segment holds 160)"),
        "{}",
        stderr(&validate)
    );

    let aliyun = run(&[
        "preview",
        "aliyun-sms",
        "--config",
        example("aliyun.json").to_str().unwrap(),
        "--to",
        "+8613800138000",
    ]);
    assert!(aliyun.status.success(), "{}", stderr(&aliyun));
    assert!(
        stdout(&aliyun).starts_with(
            "text: rendered by Aliyun Short Message Service from its approved template"
        )
    );

    let too_long = {
        let mut config = twilio_example();
        config["templates"][3]["content"] = json!("x".repeat(1590) + "{{code}}");
        write_config("too-long.json", &config)
    };
    let refused = run(&[
        "preview",
        "twilio-sms",
        "--config",
        too_long.to_str().unwrap(),
        "--code",
        "123456789012",
    ]);
    assert_eq!(refused.status.code(), Some(3));
    assert!(
        stderr(&refused).contains("the rendered message is 1602 characters (11 segments of GSM-7), over Twilio's limit of 1600 characters"),
        "{}",
        stderr(&refused)
    );
}
