//! End to end: each connector against the provider simulator, over real HTTP on loopback.
//!
//! The simulator runs in process on free ports and verifies every request as the provider
//! would (credentials, signatures, timestamps, nonces, required fields); faults are chosen by
//! magic phone numbers or queued through the simulator's admin API.
#![allow(clippy::unwrap_used, reason = "tests fail loudly")]

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use connector_kit::{
    ConnectorError, ConnectorErrorCode, SendMessageData, SendReceipt, SmsConnector, TemplateType,
};
use connector_simulator::{Fault, ProviderApi, Simulator, SimulatorConfig};
use connectors::registry;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

fn target(provider: ProviderApi) -> &'static str {
    match provider {
        ProviderApi::TWILIO => "twilio-sms",
        ProviderApi::ALIYUN => "aliyun-sms",
        ProviderApi::TENCENT => "tencent-sms",
        ProviderApi::VONAGE => "vonage-sms",
        ProviderApi::AWS_SNS => "aws-sns-sms",
        ProviderApi::HTTP => "http-sms",
        other => unreachable!("no connector for {other}"),
    }
}

/// A recipient of `provider` whose number ends in `last4`.
fn number(provider: ProviderApi, last4: &str) -> String {
    match provider {
        ProviderApi::TWILIO => format!("+1415555{last4}"),
        ProviderApi::ALIYUN => format!("1380013{last4}"),
        ProviderApi::TENCENT => format!("+861380013{last4}"),
        ProviderApi::VONAGE => format!("+4477009{last4}"),
        ProviderApi::AWS_SNS => format!("+1206555{last4}"),
        ProviderApi::HTTP => format!("+1415555{last4}"),
        other => unreachable!("no recipients for {other}"),
    }
}

fn example(provider: ProviderApi) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(format!("{provider}.json"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The example config of `provider`, pointed at `simulator`, with a short timeout.
fn config(simulator: &Simulator, provider: ProviderApi) -> Value {
    let mut config = example(provider);
    config["endpoint"] = json!(simulator.endpoint(provider));
    config["timeoutMs"] = json!(3_000);
    config
}

fn connector(config: &Value, provider: ProviderApi) -> Box<dyn SmsConnector> {
    registry()
        .require(target(provider))
        .unwrap()
        .create(config)
        .unwrap()
}

async fn start() -> Simulator {
    Simulator::start(SimulatorConfig::ephemeral())
        .await
        .unwrap()
}

async fn send(
    connector: &dyn SmsConnector,
    to: &str,
    usage: TemplateType,
) -> Result<SendReceipt, ConnectorError> {
    connector
        .send_message(&SendMessageData::code(to, usage, "123456"))
        .await
}

/// What the simulator should record for a usage type, from the example config: the rendered
/// body of Twilio, Vonage and SNS, or the mainland template code of Aliyun and Tencent.
fn expected_content(provider: ProviderApi, usage: TemplateType) -> String {
    let example = example(provider);
    let templates = example["templates"].as_array().unwrap();
    let template = templates
        .iter()
        .find(|t| t["usageType"] == usage.as_str())
        .or_else(|| templates.iter().find(|t| t["usageType"] == "Generic"))
        .unwrap();
    match provider {
        ProviderApi::TWILIO | ProviderApi::VONAGE | ProviderApi::AWS_SNS | ProviderApi::HTTP => {
            template["content"]
                .as_str()
                .unwrap()
                .replace("{{code}}", "123456")
        }
        _ => match &template["templateCode"] {
            Value::String(code) => code.clone(),
            regional => regional["china"].as_str().unwrap().to_owned(),
        },
    }
}

#[tokio::test]
async fn every_usage_type_arrives_with_its_template_or_the_generic_one() {
    let simulator = start().await;
    for provider in ProviderApi::ALL {
        let config = config(&simulator, provider);
        // The examples have templates for the four required usage types only, so the other
        // five exercise the Generic fallback.
        assert_eq!(config["templates"].as_array().unwrap().len(), 4);
        let connector = connector(&config, provider);
        let to = number(provider, "0100");
        for usage in TemplateType::ALL {
            let receipt = send(connector.as_ref(), &to, usage).await.unwrap();
            let received = simulator
                .messages_for(provider)
                .into_iter()
                .find(|m| m.message_id == receipt.message_id)
                .unwrap_or_else(|| panic!("{provider} {usage}: not received"));
            let content = match provider {
                ProviderApi::TWILIO
                | ProviderApi::VONAGE
                | ProviderApi::AWS_SNS
                | ProviderApi::HTTP => received.body.clone().unwrap(),
                _ => received.template.clone().unwrap(),
            };
            assert_eq!(
                content,
                expected_content(provider, usage),
                "{provider} {usage}"
            );
            match provider {
                ProviderApi::TWILIO => {}
                ProviderApi::ALIYUN => assert_eq!(received.params, json!({"code": "123456"})),
                ProviderApi::TENCENT => assert_eq!(received.params, json!(["123456"])),
                ProviderApi::VONAGE => assert_eq!(received.params, json!({"type": "text"})),
                ProviderApi::AWS_SNS => {
                    assert_eq!(
                        received.params,
                        json!({
                            "AWS.SNS.SMS.SMSType": "Transactional",
                            "AWS.SNS.SMS.SenderID": "AcmeCorp",
                        })
                    );
                    assert_eq!(received.sender.as_deref(), Some("AcmeCorp"));
                }
                // The gateway keeps the whole body: the default shape.
                ProviderApi::HTTP => {
                    assert_eq!(received.params["type"], usage.as_str());
                    assert_eq!(received.params["payload"], json!({"code": "123456"}));
                }
                other => unreachable!("no connector for {other}"),
            }
        }
        let stats = simulator.stats(provider);
        assert_eq!(stats.accepted, 9, "{provider}");
        assert_eq!(stats.requests, 9, "{provider}");
        // One connector, one pooled connection: every send reused it.
        assert_eq!(stats.connections, 1, "{provider}");
    }
    assert_eq!(simulator.messages().len(), ProviderApi::ALL.len() * 9);
}

/// The kit code each answered fault must become, for every connector.
const ANSWERED_FAULTS: [(Fault, ConnectorErrorCode); 5] = [
    (Fault::RateLimited, ConnectorErrorCode::RateLimitExceeded),
    (Fault::QuotaExceeded, ConnectorErrorCode::UsageLimitExceeded),
    (
        Fault::InvalidNumber,
        ConnectorErrorCode::InvalidRequestParameters,
    ),
    (Fault::ServerError, ConnectorErrorCode::InvalidResponse),
    (Fault::MalformedBody, ConnectorErrorCode::InvalidResponse),
];

#[tokio::test]
async fn injected_faults_map_to_kit_error_codes() {
    let simulator = start().await;
    let mut successes = 0;
    for provider in ProviderApi::ALL {
        let connector = connector(&config(&simulator, provider), provider);
        for (fault, expected) in ANSWERED_FAULTS {
            // Chosen by the phone number...
            let to = number(provider, fault.magic_suffix().unwrap());
            let error = send(connector.as_ref(), &to, TemplateType::SignIn)
                .await
                .unwrap_err();
            assert_eq!(
                error.code(),
                expected,
                "{provider} {fault} by number: {error}"
            );
            // ...and queued through the admin API, for an ordinary number.
            simulator.inject(provider, fault, 1);
            let error = send(
                connector.as_ref(),
                &number(provider, "0100"),
                TemplateType::SignIn,
            )
            .await
            .unwrap_err();
            assert_eq!(
                error.code(),
                expected,
                "{provider} {fault} by admin: {error}"
            );
            if matches!(fault, Fault::ServerError | Fault::MalformedBody) {
                assert!(error.may_have_been_sent(), "{provider} {fault}: {error:?}");
            }
            // Whatever the provider echoed, the code and the full number stay out of the error.
            let text = format!("{error} {:?}", error.details());
            assert!(!text.contains("123456"), "{provider} {fault}: {text}");
            assert!(
                !text.contains(&to[to.len() - 8..]),
                "{provider} {fault}: {text}"
            );
            if fault == Fault::RateLimited {
                assert!(error.is_retryable(), "{provider}: a throttle is retryable");
                assert!(error.details().provider_code.is_some());
            }
        }
        // The queue is empty again: the next send goes through.
        send(
            connector.as_ref(),
            &number(provider, "0100"),
            TemplateType::SignIn,
        )
        .await
        .unwrap();
        successes += 1;
        let stats = simulator.stats(provider);
        assert_eq!(stats.faulted, 10, "{provider}");
        assert_eq!(stats.requests, 11, "{provider}: no fault was retried");
    }
    // Faulted requests are never accepted: exactly the successes arrived.
    assert_eq!(simulator.messages().len(), successes);
}

#[tokio::test]
async fn a_slow_provider_times_out_within_the_configured_timeout() {
    let simulator = start().await;
    for provider in ProviderApi::ALL {
        let mut config = config(&simulator, provider);
        config["timeoutMs"] = json!(500);
        let connector = connector(&config, provider);
        for by_admin in [false, true] {
            let to = if by_admin {
                simulator.inject(provider, Fault::Slow, 1);
                number(provider, "0100")
            } else {
                number(provider, "0408")
            };
            let started = Instant::now();
            let error = send(connector.as_ref(), &to, TemplateType::SignIn)
                .await
                .unwrap_err();
            let elapsed = started.elapsed();
            assert_eq!(
                error.code(),
                ConnectorErrorCode::Timeout,
                "{provider}: {error}"
            );
            assert!(error.may_have_been_sent() && !error.is_retryable());
            assert!(
                elapsed < Duration::from_millis(1_300),
                "{provider}: took {elapsed:?}"
            );
        }
        // The sleeping requests do not hold up anyone else.
        send(
            connector.as_ref(),
            &number(provider, "0100"),
            TemplateType::SignIn,
        )
        .await
        .unwrap();
        assert_eq!(simulator.stats(provider).requests, 3, "{provider}");
    }
    assert_eq!(simulator.messages().len(), ProviderApi::ALL.len());
}

#[tokio::test]
async fn dropped_connections_are_errors_and_are_never_sent_twice() {
    let simulator = start().await;
    for provider in ProviderApi::ALL {
        let connector = connector(&config(&simulator, provider), provider);
        // Warm the pool, so that the drops below also happen on a reused connection.
        send(
            connector.as_ref(),
            &number(provider, "0100"),
            TemplateType::SignIn,
        )
        .await
        .unwrap();
        let cases = [
            (Fault::DropAfterRead, false),
            (Fault::DropAfterRead, true),
            (Fault::DropBeforeRead, true),
        ];
        for (fault, by_admin) in cases {
            let before = simulator.stats(provider).requests;
            let to = if by_admin {
                simulator.inject(provider, fault, 1);
                number(provider, "0100")
            } else {
                number(provider, fault.magic_suffix().unwrap())
            };
            let started = Instant::now();
            let error = send(connector.as_ref(), &to, TemplateType::SignIn)
                .await
                .unwrap_err();
            assert!(
                started.elapsed() < Duration::from_secs(3),
                "{provider} {fault}"
            );
            // The request reached the simulator, so the kit must not repeat it, and must say
            // that the message may have been sent.
            assert!(error.may_have_been_sent(), "{provider} {fault}: {error:?}");
            assert!(!error.is_retryable(), "{provider} {fault}");
            assert_eq!(
                simulator.stats(provider).requests,
                before + 1,
                "{provider} {fault}: the request was repeated"
            );
        }
        // Fresh connections work afterwards.
        send(
            connector.as_ref(),
            &number(provider, "0100"),
            TemplateType::SignIn,
        )
        .await
        .unwrap();
        assert_eq!(simulator.messages_for(provider).len(), 2, "{provider}");
    }
}

#[tokio::test]
async fn wrong_credentials_are_rejected_as_the_provider_would() {
    let simulator = start().await;
    let cases = [
        (ProviderApi::TWILIO, "authToken", "20003"),
        (ProviderApi::TWILIO, "accountSID", "20003"),
        (
            ProviderApi::ALIYUN,
            "accessKeySecret",
            "SignatureDoesNotMatch",
        ),
        (
            ProviderApi::ALIYUN,
            "accessKeyId",
            "InvalidAccessKeyId.NotFound",
        ),
        (
            ProviderApi::TENCENT,
            "accessKeySecret",
            "AuthFailure.SignatureFailure",
        ),
        (
            ProviderApi::TENCENT,
            "accessKeyId",
            "AuthFailure.SecretIdNotFound",
        ),
        (ProviderApi::VONAGE, "signatureSecret", "14"),
        (ProviderApi::VONAGE, "apiKey", "4"),
        (
            ProviderApi::AWS_SNS,
            "secretAccessKey",
            "SignatureDoesNotMatch",
        ),
        (ProviderApi::AWS_SNS, "accessKeyId", "InvalidClientTokenId"),
        // Two wrong keys: the gateway answers 401 to any signature it cannot match.
        (ProviderApi::HTTP, "signingSecret", "401"),
        (ProviderApi::HTTP, "signingSecret", "401"),
    ];
    for (provider, field, provider_code) in cases {
        let mut config = config(&simulator, provider);
        let wrong = match field {
            "accountSID" => "AC0000000000000000000000000000000f",
            "accessKeyId" => "LTAIWrongKeyIdForTests0",
            // A Standard Webhooks secret: the base64 of "recognisable-WRONG-secret-value".
            "signingSecret" => "whsec_cmVjb2duaXNhYmxlLVdST05HLXNlY3JldC12YWx1ZQ==",
            _ => "recognisable-WRONG-secret-value",
        };
        config[field] = json!(wrong);
        let connector = connector(&config, provider);
        let error = send(
            connector.as_ref(),
            &number(provider, "0100"),
            TemplateType::SignIn,
        )
        .await
        .unwrap_err();
        assert_eq!(
            error.code(),
            ConnectorErrorCode::InvalidConfig,
            "{provider} {field}"
        );
        assert_eq!(
            error.details().provider_code.as_deref(),
            Some(provider_code),
            "{provider} {field}"
        );
        let rendered = format!("{error} {error:?} {}", json!(error.details()));
        assert!(!rendered.contains("recognisable-WRONG"), "{rendered}");
        assert!(!rendered.contains("simulator-"), "{rendered}");
    }
    assert!(simulator.messages().is_empty());
    for provider in ProviderApi::ALL {
        assert_eq!(simulator.stats(provider).rejected, 2, "{provider}");
    }
}

#[tokio::test]
async fn concurrent_sends_with_faults_arrive_exactly_once() {
    let simulator = start().await;
    let mut tasks = tokio::task::JoinSet::new();
    for provider in ProviderApi::ALL {
        let connector: std::sync::Arc<dyn SmsConnector> =
            connector(&config(&simulator, provider), provider).into();
        for i in 0..40u32 {
            let last4 = match i % 10 {
                0 => "0429".to_owned(),
                1 => "0500".to_owned(),
                2 => "0499".to_owned(),
                _ => format!("{:04}", 1_000 + i),
            };
            let to = number(provider, &last4);
            let connector = std::sync::Arc::clone(&connector);
            tasks.spawn(async move {
                (
                    provider,
                    send(connector.as_ref(), &to, TemplateType::MfaVerification)
                        .await
                        .is_ok(),
                )
            });
        }
    }
    let mut successes = 0;
    while let Some(result) = tasks.join_next().await {
        let (_, ok) = result.unwrap();
        successes += usize::from(ok);
    }
    assert_eq!(successes, ProviderApi::ALL.len() * 28);
    assert_eq!(simulator.messages().len(), successes);
    for provider in ProviderApi::ALL {
        let stats = simulator.stats(provider);
        assert_eq!(stats.requests, 40, "{provider}: nothing was retried");
        assert_eq!(stats.accepted, 28, "{provider}");
        assert_eq!(stats.faulted, 12, "{provider}");
    }
}

/// Sends raw bytes and returns whatever comes back before the server closes or `wait` ends.
async fn raw(addr: SocketAddr, request: &[u8], wait: Duration) -> Vec<u8> {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let _ = stream.write_all(request).await;
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(wait, stream.read_to_end(&mut answer)).await;
    answer
}

/// A one-shot HTTP/1.1 request; the status and the body.
async fn http(addr: SocketAddr, method: &str, path: &str, body: &str) -> (u16, Value) {
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let answer = raw(addr, request.as_bytes(), Duration::from_secs(5)).await;
    let text = String::from_utf8(answer).unwrap();
    let status = text[9..12].parse().unwrap();
    let body = text.split_once("\r\n\r\n").unwrap().1;
    (status, serde_json::from_str(body).unwrap_or(Value::Null))
}

#[tokio::test]
async fn the_admin_api_queues_faults_and_shows_messages_and_stats() {
    let simulator = start().await;
    let provider = ProviderApi::ALIYUN;
    let addr = simulator.addr(provider);
    let connector = connector(&config(&simulator, provider), provider);

    let (status, body) = http(
        addr,
        "POST",
        "/__admin/faults",
        r#"{"fault": "rate_limited", "count": 2}"#,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        body["pending"],
        json!([{"fault": "rate_limited", "count": 2}])
    );
    for _ in 0..2 {
        let error = send(
            connector.as_ref(),
            &number(provider, "0100"),
            TemplateType::SignIn,
        )
        .await
        .unwrap_err();
        assert_eq!(error.code(), ConnectorErrorCode::RateLimitExceeded);
    }
    let receipt = send(
        connector.as_ref(),
        &number(provider, "0100"),
        TemplateType::SignIn,
    )
    .await
    .unwrap();

    let (status, messages) = http(addr, "GET", "/__admin/messages", "").await;
    assert_eq!(status, 200);
    assert_eq!(messages.as_array().unwrap().len(), 1);
    assert_eq!(messages[0]["messageId"], json!(receipt.message_id));
    assert_eq!(messages[0]["provider"], "aliyun");
    assert_eq!(messages[0]["to"], "13800130100");
    let (_, stats) = http(addr, "GET", "/__admin/stats", "").await;
    assert_eq!(
        (&stats["requests"], &stats["accepted"], &stats["faulted"]),
        (&json!(3), &json!(1), &json!(2))
    );
    let (_, faults) = http(addr, "GET", "/__admin/faults", "").await;
    assert_eq!(faults["pending"], json!([]));
    assert_eq!(faults["magicNumbers"].as_array().unwrap().len(), 7);

    // Bad admin requests are answered, not fatal.
    let (status, body) = http(addr, "POST", "/__admin/faults", r#"{"fault": "meteor"}"#).await;
    assert_eq!(status, 400);
    assert!(body["error"].as_str().unwrap().contains("unknown fault"));
    assert_eq!(http(addr, "POST", "/__admin/faults", "{").await.0, 400);
    assert_eq!(http(addr, "GET", "/__admin/nothing", "").await.0, 404);
    assert_eq!(http(addr, "PUT", "/__admin/reset", "").await.0, 405);

    // Each port acts on its own provider; reset forgets everything.
    let (_, twilio) = http(
        simulator.addr(ProviderApi::TWILIO),
        "GET",
        "/__admin/messages",
        "",
    )
    .await;
    assert_eq!(twilio, json!([]));
    assert_eq!(http(addr, "POST", "/__admin/reset", "").await.0, 200);
    assert!(simulator.messages().is_empty());
    assert_eq!(simulator.stats(provider).requests, 0);
}

#[tokio::test]
async fn accepted_messages_are_appended_to_the_log_file() {
    let path = std::env::temp_dir().join(format!("sms-simulator-e2e-{}.jsonl", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let simulator = Simulator::start(SimulatorConfig {
        log_file: Some(path.clone()),
        ..SimulatorConfig::ephemeral()
    })
    .await
    .unwrap();
    for provider in ProviderApi::ALL {
        let connector = connector(&config(&simulator, provider), provider);
        send(
            connector.as_ref(),
            &number(provider, "0100"),
            TemplateType::Register,
        )
        .await
        .unwrap();
        // Not logged: faulted.
        let _ = send(
            connector.as_ref(),
            &number(provider, "0429"),
            TemplateType::Register,
        )
        .await;
    }
    let text = std::fs::read_to_string(&path).unwrap();
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), ProviderApi::ALL.len());
    assert_eq!(lines[0]["provider"], "twilio");
    assert_eq!(
        lines[0]["body"],
        "Welcome! Your code to create your account is 123456."
    );
    assert_eq!(lines[1]["template"], "SMS_100000002");
    assert_eq!(lines[1]["params"], json!({"code": "123456"}));
    assert_eq!(lines[2]["to"], "+8613800130100");
    for line in &lines {
        assert!(line["time"].as_str().unwrap().ends_with('Z'));
        assert!(!line["messageId"].as_str().unwrap().is_empty());
    }
    let _ = std::fs::remove_file(&path);
}

#[tokio::test]
async fn garbage_never_takes_the_simulator_down() {
    let simulator = start().await;
    let short = Duration::from_millis(150);
    let huge_header = format!(
        "POST / HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\n\r\n",
        "a".repeat(200_000)
    );
    let garbage: Vec<Vec<u8>> = vec![
        b"\x00\xff\xfe garbage \r\n\r\n".to_vec(),
        b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nshort".to_vec(),
        b"POST /2010-04-01/Accounts/AC00000000000000000000000000000001/Messages.json HTTP/1.1\r\nHost: x\r\nAuthorization: Basic !!!%%%\r\nContent-Length: 3\r\n\r\nTo=".to_vec(),
        b"POST / HTTP/1.1\r\nHost: x\r\nAuthorization: TC3-HMAC-SHA256 \xff\xfe\r\nX-TC-Action: SendSms\r\nX-TC-Version: 2021-01-11\r\nX-TC-Timestamp: 99999999999999999999\r\nContent-Length: 4\r\n\r\n\xff\xfe\xfd{".to_vec(),
        b"POST /?Action=SendSms&Version=2017-05-25&Timestamp=%FF&Signature=%%% HTTP/1.1\r\nHost: x\r\nAuthorization: ACS3-HMAC-SHA256 ,,,===\r\nContent-Length: 0\r\n\r\n".to_vec(),
        b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n".to_vec(),
        b"GET /__admin/messages HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\n".to_vec(),
        huge_header.into_bytes(),
        b"POST /__admin/faults HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\n\xff\xff\xff".to_vec(),
        b"POST".to_vec(),
        b"POST / HTTP/1.1\r\nHost: x\r\nAuthorization: AWS4-HMAC-SHA256 Credential=\xff/\xfe, SignedHeaders=;;, Signature=\r\nX-Amz-Date: 99999999T999999Z\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 9\r\n\r\nAction=%%".to_vec(),
    ];
    for provider in ProviderApi::ALL {
        for request in &garbage {
            raw(simulator.addr(provider), request, short).await;
        }
        // A body over the limit is refused, not read into memory.
        let path = match provider {
            ProviderApi::TWILIO => {
                "/2010-04-01/Accounts/AC00000000000000000000000000000001/Messages.json"
            }
            ProviderApi::VONAGE => "/sms/json",
            _ => "/",
        };
        let big = format!(
            "POST {path} HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            2 * 1024 * 1024
        );
        let mut stream = TcpStream::connect(simulator.addr(provider)).await.unwrap();
        stream.write_all(big.as_bytes()).await.unwrap();
        let _ = stream.write_all(&vec![b'a'; 1024 * 1024 + 10]).await;
        let mut answer = Vec::new();
        let _ = tokio::time::timeout(short * 5, stream.read_to_end(&mut answer)).await;
        if !answer.is_empty() {
            assert!(answer.starts_with(b"HTTP/1.1 413"), "{provider}");
        }
        // And it still works.
        let connector = connector(&config(&simulator, provider), provider);
        send(
            connector.as_ref(),
            &number(provider, "0100"),
            TemplateType::SignIn,
        )
        .await
        .unwrap();
    }
    assert_eq!(simulator.messages().len(), ProviderApi::ALL.len());
}

/// Aliyun's V3 signature and Twilio's API keys and `from`: accepted with the simulator's
/// credentials, rejected with the provider's own code for a wrong secret.
#[tokio::test]
async fn aliyun_v3_and_twilio_api_keys_are_verified_like_v1_and_auth_tokens() {
    let simulator = start().await;

    let mut aliyun = config(&simulator, ProviderApi::ALIYUN);
    aliyun["signatureVersion"] = json!("v3");
    let receipt = send(
        connector(&aliyun, ProviderApi::ALIYUN).as_ref(),
        "+8613800138000",
        TemplateType::SignIn,
    )
    .await
    .unwrap();
    let messages = simulator.messages_for(ProviderApi::ALIYUN);
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0].message_id, receipt.message_id);
    assert_eq!(messages[0].params, json!({"code": "123456"}));

    let mut twilio = config(&simulator, ProviderApi::TWILIO);
    let object = twilio.as_object_mut().unwrap();
    object.remove("authToken");
    object.remove("fromMessagingServiceSID");
    object.insert(
        "apiKeySID".into(),
        json!("SK00000000000000000000000000000001"),
    );
    object.insert(
        "apiKeySecret".into(),
        json!("simulator-twilio-api-key-secret"),
    );
    object.insert("from".into(), json!("+15017122661"));
    send(
        connector(&twilio, ProviderApi::TWILIO).as_ref(),
        "+14155550100",
        TemplateType::SignIn,
    )
    .await
    .unwrap();
    let messages = simulator.messages_for(ProviderApi::TWILIO);
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0].sender.as_deref(), Some("+15017122661"));

    for (provider, mut config, field, provider_code) in [
        (
            ProviderApi::ALIYUN,
            aliyun,
            "accessKeySecret",
            "SignatureDoesNotMatch",
        ),
        (ProviderApi::TWILIO, twilio, "apiKeySecret", "20003"),
    ] {
        config[field] = json!("recognisable-WRONG-secret-value");
        let error = send(
            connector(&config, provider).as_ref(),
            &number(provider, "0100"),
            TemplateType::SignIn,
        )
        .await
        .unwrap_err();
        assert_eq!(
            error.code(),
            ConnectorErrorCode::InvalidConfig,
            "{provider}"
        );
        assert_eq!(
            error.details().provider_code.as_deref(),
            Some(provider_code),
            "{provider}"
        );
        let rendered = format!("{error} {error:?} {}", json!(error.details()));
        assert!(!rendered.contains("recognisable-WRONG"), "{rendered}");
        assert!(!rendered.contains("simulator-"), "{rendered}");
    }
}

/// SNS with temporary credentials: a simulator whose credentials have a session token accepts
/// the connector's requests that carry it (signed), and refuses them without it or with
/// another; one without a token refuses a token. A config for another region is refused too.
#[tokio::test]
async fn sns_session_tokens_and_regions_are_verified() {
    let token = "IQoJb3JpZ2luX2VjEXAMPLE//token+with/slashes==";
    let credentials = connector_simulator::Credentials::from_json(json!({
        "aws-sns": {"accessKeyId": "ASIASIMULATOR0000001", "sessionToken": token}
    }))
    .unwrap();
    let temporary = Simulator::start(SimulatorConfig {
        credentials,
        ..SimulatorConfig::ephemeral()
    })
    .await
    .unwrap();
    let provider = ProviderApi::AWS_SNS;
    assert_eq!(temporary.credentials(provider)["sessionToken"], token);
    let mut config = config(&temporary, provider);
    config["accessKeyId"] = json!("ASIASIMULATOR0000001");
    config["sessionToken"] = json!(token);
    let receipt = send(
        connector(&config, provider).as_ref(),
        &number(provider, "0100"),
        TemplateType::SignIn,
    )
    .await
    .unwrap();
    let accepted = temporary.messages_for(provider);
    assert_eq!(accepted.len(), 1);
    assert_eq!(accepted[0].message_id, receipt.message_id);
    assert_eq!(accepted[0].to, "+12065550100");

    let without = {
        let mut c = config.clone();
        c.as_object_mut().unwrap().remove("sessionToken");
        c
    };
    let mut other = config.clone();
    other["sessionToken"] = json!("recognisable-WRONG-token-value");
    let long_term = start().await;
    let mut with_token = self::config(&long_term, provider);
    with_token["sessionToken"] = json!(token);
    let mut other_region = self::config(&long_term, provider);
    other_region["region"] = json!("eu-west-1");
    for (config, provider_code) in [
        (without, "InvalidClientTokenId"),
        (other, "InvalidClientTokenId"),
        (with_token, "InvalidClientTokenId"),
        (other_region, "SignatureDoesNotMatch"),
    ] {
        let error = send(
            connector(&config, provider).as_ref(),
            &number(provider, "0100"),
            TemplateType::SignIn,
        )
        .await
        .unwrap_err();
        assert_eq!(error.code(), ConnectorErrorCode::InvalidConfig, "{config}");
        assert_eq!(
            error.details().provider_code.as_deref(),
            Some(provider_code),
            "{config}"
        );
        let rendered = format!("{error} {error:?} {}", json!(error.details()));
        assert!(!rendered.contains("recognisable-WRONG"), "{rendered}");
        assert!(!rendered.contains("IQoJ"), "{rendered}");
    }
    assert_eq!(temporary.messages().len(), 1);
    assert!(long_term.messages().is_empty());
    assert_eq!(temporary.stats(provider).rejected, 2);
    assert_eq!(long_term.stats(provider).rejected, 2);
}
