//! An offline simulator of the providers' SMS APIs, strict enough that the providers'
//! official SDKs and the kit's connectors work against it unchanged: a library for a host's
//! tests, and what `sms-connector simulate` and `sms-connector demo` run.
//!
//! One [`Simulator`] serves each provider on its own port (Twilio, Aliyun, Tencent, Vonage and
//! AWS SNS on five consecutive ports; 4010 to 4014 by default), with the provider's real paths:
//!
//! | provider | endpoint | verification |
//! | --- | --- | --- |
//! | Twilio | `POST /2010-04-01/Accounts/{AccountSid}/Messages.json` | HTTP Basic auth, required form fields |
//! | Aliyun | `POST /` (form or query) and `GET /?...`, `Action=SendSms`, `Version=2017-05-25` | RPC HMAC-SHA1 signature (or ACS3-HMAC-SHA256), 15-minute timestamp window, single-use nonce |
//! | Tencent | `POST /` with a JSON body, `X-TC-Action: SendSms`, `X-TC-Version: 2021-01-11` | TC3-HMAC-SHA256 over the headers the client signed, 5-minute timestamp window, region |
//! | Vonage | `POST /sms/json`, form (or JSON) parameters | `api_key` with `api_secret` (or HTTP Basic auth), or `sig` in the account's signature method (MD5 hash or HMAC-MD5/SHA-1/SHA-256/SHA-512), 5-minute timestamp window |
//! | AWS SNS | `POST /` with a form body, `Action=Publish`, `Version=2010-03-31`, to a `PhoneNumber` | AWS Signature Version 4 over the headers the client signed (`host` and `x-amz-date` among them), 5-minute `X-Amz-Date` window, credential scope region and service `sns`, session token when the credentials have one |
//! | HTTP gateway | `POST` to any path, a JSON body | Standard Webhooks signature (`webhook-signature`, 5-minute timestamp window) and, when configured, a bearer token |
//!
//! Every accepted message is kept in memory ([`Simulator::messages`]), appended as a JSON line
//! to an optional log file and, with [`SimulatorConfig::echo`], printed as one readable line.
//! Faults are injected per phone number ([`MAGIC_NUMBERS`]) or through the admin endpoints
//! under `/__admin/` on every port ([`Simulator::inject`] in process).
//!
//! The verifiers are written independently of the connector crates' signers (this crate does
//! not depend on them), so that a bug shared by a signer and its verifier cannot pass itself.
//!
//! ## In a host's tests
//!
//! Instead of mocking HTTP, start a simulator in process on free loopback ports, point a
//! connector's `endpoint` at it with the simulator's credentials, send, and look at what
//! arrived:
//!
//! ```
//! use connector_kit::{ConnectorFactory, SendMessageData, SmsConnector, TemplateType};
//! use connector_simulator::{ProviderApi, Simulator, SimulatorConfig};
//! use serde_json::json;
//!
//! // A host's test, e.g. a `#[tokio::test]`.
//! async fn a_code_arrives() -> Result<(), Box<dyn std::error::Error>> {
//!     let simulator = Simulator::start(SimulatorConfig::ephemeral()).await?;
//!     let twilio = simulator.credentials(ProviderApi::TWILIO);
//!     // The Twilio connector requires a template for each of these usage types.
//!     let templates = ["SignIn", "Register", "ForgotPassword", "Generic"]
//!         .map(|usage| json!({ "usageType": usage, "content": "Your code is {{code}}." }));
//!     let config = json!({
//!         "accountSID": twilio["accountSid"],
//!         "authToken": twilio["authToken"],
//!         "fromMessagingServiceSID": "MG00000000000000000000000000000001",
//!         "templates": templates,
//!         "endpoint": simulator.endpoint(ProviderApi::TWILIO),
//!     });
//!     let connector: Box<dyn SmsConnector> = connector_twilio_sms::factory().create(&config)?;
//!
//!     let message = SendMessageData::code("+14155550100", TemplateType::SignIn, "123456");
//!     let receipt = connector.send_message(&message).await?;
//!
//!     let accepted = simulator.messages();
//!     assert_eq!(accepted.len(), 1);
//!     assert_eq!(accepted[0].provider, ProviderApi::TWILIO);
//!     assert_eq!(accepted[0].to, "+14155550100");
//!     assert_eq!(accepted[0].body.as_deref(), Some("Your code is 123456."));
//!     assert_eq!(accepted[0].message_id, receipt.message_id);
//!     simulator.shutdown();
//!     Ok(())
//! }
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! #     tokio::runtime::Builder::new_current_thread()
//! #         .enable_all()
//! #         .build()?
//! #         .block_on(a_code_arrives())
//! # }
//! ```
//!
//! ## Adding a provider
//!
//! A provider is one module: its [`ProviderApi`] constant, its credentials type (with its
//! defaults, parsed from its part of the credentials JSON), its verifier and its answers,
//! handed to the simulator as one `MODULE`. Listing that module in `PROVIDERS` in `lib.rs`
//! gives it the next port, its part of the credentials file, the admin endpoints, the log and
//! the `simulate` banner.
//!
//! The rest of this page is `SIMULATOR.md`, the simulator's user guide.
//!
#![doc = include_str!("../SIMULATOR.md")]
#![doc(test(attr(deny(warnings))))]
#![deny(missing_docs)]

mod admin;
mod aliyun;
mod aws_sns;
mod codec;
mod credentials;
mod faults;
mod gateway;
mod http;
mod log;
mod provider;
mod tencent;
mod twilio;
mod vonage;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::Serialize;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub use credentials::Credentials;
pub use faults::{Fault, MAGIC_NUMBERS, PendingFault, fault_for_number};
pub use log::AcceptedMessage;
pub use provider::ProviderApi;

use faults::FaultQueue;
use http::Api;
use provider::ProviderModule;

/// The simulated providers, in port order. A provider is its module (its [`ProviderApi`]
/// constant, its credentials, its verifier and answers) plus its line here.
const PROVIDERS: &[ProviderModule] = &[
    twilio::MODULE,
    aliyun::MODULE,
    tencent::MODULE,
    vonage::MODULE,
    aws_sns::MODULE,
    gateway::MODULE,
];

/// The default port of the first provider (Twilio: 4010; Aliyun, Tencent, Vonage and AWS SNS
/// follow on 4011 to 4014).
pub const DEFAULT_BASE_PORT: u16 = 4010;

/// How to run a [`Simulator`].
#[derive(Debug, Clone)]
pub struct SimulatorConfig {
    /// The address to listen on.
    pub host: IpAddr,
    /// The first provider's port (Twilio's); each next provider of [`ProviderApi::ALL`] takes
    /// the port after (Aliyun's, Tencent's, Vonage's, then AWS SNS's). 0 picks a free port for each.
    pub base_port: u16,
    /// The credentials requests must be signed with.
    pub credentials: Credentials,
    /// A file each accepted message is appended to, as one JSON line.
    pub log_file: Option<PathBuf>,
    /// Print one line per accepted message on stdout.
    pub echo: bool,
    /// With `echo`, print each message as one JSON line (the log file's shape) instead of a
    /// readable line.
    pub echo_json: bool,
    /// How long the `slow` fault waits before answering.
    pub slow_delay: Duration,
}

impl Default for SimulatorConfig {
    fn default() -> Self {
        Self {
            host: IpAddr::V4(Ipv4Addr::LOCALHOST),
            base_port: DEFAULT_BASE_PORT,
            credentials: Credentials::default(),
            log_file: None,
            echo: false,
            echo_json: false,
            slow_delay: Duration::from_secs(30),
        }
    }
}

impl SimulatorConfig {
    /// Loopback, a free port for each provider, default credentials, quiet: for tests.
    pub fn ephemeral() -> Self {
        Self {
            base_port: 0,
            ..Self::default()
        }
    }

    /// The ports to bind, one per provider in [`ProviderApi::ALL`] order.
    pub fn ports(&self) -> std::io::Result<Vec<u16>> {
        let count = ProviderApi::ALL.len() as u16;
        if self.base_port == 0 {
            return Ok(vec![0; usize::from(count)]);
        }
        match self.base_port.checked_add(count - 1) {
            Some(_) => Ok((0..count).map(|i| self.base_port + i).collect()),
            None => Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!(
                    "port {} leaves no room for the {} ports after it",
                    self.base_port,
                    count - 1
                ),
            )),
        }
    }
}

/// Counters of one provider port.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Stats {
    /// TCP connections accepted (admin requests included).
    pub connections: u64,
    /// Requests to the provider's send endpoint.
    pub requests: u64,
    /// Messages accepted (one per recipient).
    pub accepted: u64,
    /// Requests rejected by verification or validation, as the provider would reject them.
    pub rejected: u64,
    /// Requests answered with an injected fault.
    pub faulted: u64,
}

#[derive(Debug, Default)]
struct Counters {
    connections: AtomicU64,
    requests: AtomicU64,
    accepted: AtomicU64,
    rejected: AtomicU64,
    faulted: AtomicU64,
}

impl Counters {
    fn add(counter: &AtomicU64, n: u64) {
        counter.fetch_add(n, Ordering::Relaxed);
    }

    fn snapshot(&self) -> Stats {
        Stats {
            connections: self.connections.load(Ordering::Relaxed),
            requests: self.requests.load(Ordering::Relaxed),
            accepted: self.accepted.load(Ordering::Relaxed),
            rejected: self.rejected.load(Ordering::Relaxed),
            faulted: self.faulted.load(Ordering::Relaxed),
        }
    }

    fn reset(&self) {
        for counter in [
            &self.connections,
            &self.requests,
            &self.accepted,
            &self.rejected,
            &self.faulted,
        ] {
            counter.store(0, Ordering::Relaxed);
        }
    }
}

/// The state of one provider port.
#[derive(Debug)]
struct ProviderState {
    api: Box<dyn Api>,
    faults: Mutex<FaultQueue>,
    counters: Counters,
}

impl ProviderState {
    fn with_faults<T>(&self, f: impl FnOnce(&mut FaultQueue) -> T) -> Option<T> {
        self.faults.lock().ok().map(|mut q| f(&mut q))
    }
}

/// Everything the connections of every port share.
#[derive(Debug)]
struct Shared {
    /// In [`ProviderApi::ALL`] order.
    providers: Vec<ProviderState>,
    log: log::MessageLog,
    slow_delay: Duration,
}

impl Shared {
    fn state(&self, provider: ProviderApi) -> &ProviderState {
        &self.providers[provider.index()]
    }

    fn reset(&self, provider: ProviderApi) {
        let state = self.state(provider);
        state.with_faults(FaultQueue::clear);
        state.counters.reset();
        state.api.reset();
        self.log.clear(provider);
    }
}

/// A running simulator. Dropping it (or [`Simulator::shutdown`]) stops every port and closes
/// every connection.
#[derive(Debug)]
pub struct Simulator {
    shared: Arc<Shared>,
    /// In [`ProviderApi::ALL`] order.
    addrs: Vec<SocketAddr>,
    shutdown: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl Simulator {
    /// Binds a port for each provider and starts serving on the current tokio runtime.
    pub async fn start(config: SimulatorConfig) -> std::io::Result<Self> {
        let ports = config.ports()?;
        let mut providers = Vec::with_capacity(ports.len());
        for provider in ProviderApi::ALL {
            let api =
                (provider.module().build)(config.credentials.part(provider)).map_err(|e| {
                    std::io::Error::new(
                        std::io::ErrorKind::InvalidInput,
                        format!("invalid {provider} credentials: {e}"),
                    )
                })?;
            providers.push(ProviderState {
                api,
                faults: Mutex::default(),
                counters: Counters::default(),
            });
        }
        let mut listeners = Vec::with_capacity(ports.len());
        for (provider, port) in ProviderApi::ALL.into_iter().zip(ports) {
            let listener = TcpListener::bind((config.host, port)).await.map_err(|e| {
                std::io::Error::new(
                    e.kind(),
                    format!(
                        "cannot listen on {}:{port} for {provider}: {e}",
                        config.host
                    ),
                )
            })?;
            listeners.push(listener);
        }
        let log = log::MessageLog::new(config.log_file.as_deref(), config.echo, config.echo_json)
            .map_err(|e| {
            std::io::Error::new(
                e.kind(),
                format!(
                    "cannot open the message log {}: {e}",
                    config
                        .log_file
                        .as_deref()
                        .map(Path::display)
                        .map(|d| d.to_string())
                        .unwrap_or_default()
                ),
            )
        })?;
        let shared = Arc::new(Shared {
            providers,
            log,
            slow_delay: config.slow_delay,
        });
        let (shutdown, watcher) = watch::channel(false);
        let mut addrs = Vec::with_capacity(listeners.len());
        let mut tasks = Vec::with_capacity(listeners.len());
        for (provider, listener) in ProviderApi::ALL.into_iter().zip(listeners) {
            addrs.push(listener.local_addr()?);
            tasks.push(tokio::spawn(http::accept_loop(
                listener,
                Arc::clone(&shared),
                provider,
                watcher.clone(),
            )));
        }
        Ok(Self {
            shared,
            addrs,
            shutdown,
            tasks,
        })
    }

    /// The address a provider is served on.
    pub fn addr(&self, provider: ProviderApi) -> SocketAddr {
        self.addrs[provider.index()]
    }

    /// The base URL of a provider, e.g. `http://127.0.0.1:4010`, for a config's `endpoint`.
    pub fn endpoint(&self, provider: ProviderApi) -> String {
        let addr = self.addr(provider);
        let host = match addr.ip() {
            IpAddr::V4(ip) if ip.is_unspecified() => "127.0.0.1".to_owned(),
            IpAddr::V6(ip) if ip.is_unspecified() => "[::1]".to_owned(),
            IpAddr::V4(ip) => ip.to_string(),
            IpAddr::V6(ip) => format!("[{ip}]"),
        };
        format!("http://{host}:{}", addr.port())
    }

    /// The credentials a provider accepts, every field filled in, as a credentials file spells
    /// them: e.g. `{"accountSid": "AC…", "authToken": "…"}` for Twilio. For the connector
    /// configs of a test.
    pub fn credentials(&self, provider: ProviderApi) -> serde_json::Value {
        self.shared.state(provider).api.credentials()
    }

    /// Every accepted message, oldest first.
    pub fn messages(&self) -> Vec<AcceptedMessage> {
        self.shared.log.all()
    }

    /// The messages one provider accepted, oldest first.
    pub fn messages_for(&self, provider: ProviderApi) -> Vec<AcceptedMessage> {
        let mut all = self.messages();
        all.retain(|m| m.provider == provider);
        all
    }

    /// The counters of one provider port.
    pub fn stats(&self, provider: ProviderApi) -> Stats {
        self.shared.state(provider).counters.snapshot()
    }

    /// Applies `fault` to the next `count` requests to `provider` (after any faults already
    /// queued), as `POST /__admin/faults` does.
    pub fn inject(&self, provider: ProviderApi, fault: Fault, count: u32) {
        self.shared
            .state(provider)
            .with_faults(|q| q.push(fault, count));
    }

    /// The faults still queued for `provider`.
    pub fn pending_faults(&self, provider: ProviderApi) -> Vec<PendingFault> {
        self.shared
            .state(provider)
            .with_faults(|q| q.pending())
            .unwrap_or_default()
    }

    /// Forgets messages, queued faults, counters and used nonces of every provider.
    pub fn reset(&self) {
        for provider in ProviderApi::ALL {
            self.shared.reset(provider);
        }
    }

    /// Stops accepting and closes every connection.
    pub fn shutdown(self) {
        drop(self);
    }
}

impl Drop for Simulator {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
        for task in &self.tasks {
            task.abort();
        }
    }
}

/// A send request that passed verification, in provider-neutral form.
#[derive(Debug, Clone, Default)]
struct SendRequest {
    /// The recipients, as the provider echoes them.
    numbers: Vec<String>,
    /// Twilio's rendered body.
    body: Option<String>,
    /// The template code or id.
    template: Option<String>,
    /// The template parameters.
    params: serde_json::Value,
    /// The signature name.
    sign_name: Option<String>,
    /// The sender.
    sender: Option<String>,
    /// Tencent's `SessionContext`, echoed back.
    session_context: String,
}

impl SendRequest {
    fn accepted(
        &self,
        provider: ProviderApi,
        to: &str,
        now: u64,
        message_id: String,
        request_id: &str,
    ) -> AcceptedMessage {
        AcceptedMessage {
            provider,
            to: to.to_owned(),
            body: self.body.clone(),
            template: self.template.clone(),
            params: self.params.clone(),
            sign_name: self.sign_name.clone(),
            sender: self.sender.clone(),
            time: codec::iso8601(now),
            message_id,
            request_id: request_id.to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The credentials `provider` accepts, every field filled in.
    fn accepted(credentials: &Credentials, provider: ProviderApi) -> serde_json::Value {
        (provider.module().build)(credentials.part(provider))
            .unwrap()
            .credentials()
    }

    #[test]
    fn credentials_files_may_override_any_part() {
        let credentials: Credentials =
            serde_json::from_str(r#"{"aliyun": {"accessKeySecret": "other"}}"#).unwrap();
        let aliyun = accepted(&credentials, ProviderApi::ALIYUN);
        assert_eq!(aliyun["accessKeySecret"], "other");
        assert_eq!(aliyun["accessKeyId"], "LTAI5tSimulatorKeyId0001");
        assert_eq!(
            accepted(&credentials, ProviderApi::TENCENT)["sdkAppId"],
            "1400000001"
        );
        assert!(serde_json::from_str::<Credentials>(r#"{"twilio": {"token": "x"}}"#).is_err());
        assert!(serde_json::from_str::<Credentials>(r#"{"sinch": {}}"#).is_err());
        let debug = format!("{credentials:?}");
        assert!(!debug.contains("other") && !debug.contains("simulator-twilio-auth-token"));
    }

    #[test]
    fn providers_are_named_in_port_order() {
        let names: Vec<String> = ProviderApi::ALL.iter().map(|p| p.to_string()).collect();
        assert_eq!(
            names,
            ["twilio", "aliyun", "tencent", "vonage", "aws-sns", "http"]
        );
        for (index, provider) in ProviderApi::ALL.into_iter().enumerate() {
            assert_eq!(provider.index(), index);
            assert_eq!(provider.as_str().parse::<ProviderApi>(), Ok(provider));
            let json = serde_json::to_value(provider).unwrap();
            assert_eq!(json, provider.as_str());
            assert_eq!(
                serde_json::from_value::<ProviderApi>(json).unwrap(),
                provider
            );
        }
        assert!("sinch".parse::<ProviderApi>().is_err());
    }

    #[test]
    fn ports_follow_the_base_port() {
        // One port per provider, from the base port up.
        let n = ProviderApi::ALL.len() as u16;
        let config = SimulatorConfig::default();
        assert_eq!(
            config.ports().unwrap(),
            (4010..4010 + n).collect::<Vec<_>>()
        );
        assert_eq!(
            SimulatorConfig::ephemeral().ports().unwrap(),
            vec![0; usize::from(n)]
        );
        let high = SimulatorConfig {
            base_port: 65_535 - n + 2,
            ..SimulatorConfig::default()
        };
        assert!(high.ports().is_err());
        let highest = SimulatorConfig {
            base_port: 65_535 - n + 1,
            ..SimulatorConfig::default()
        };
        assert_eq!(highest.ports().unwrap().last(), Some(&65_535));
    }
}
