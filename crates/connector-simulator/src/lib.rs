//! An offline simulator of the three providers' SMS APIs, strict enough that the providers'
//! official SDKs and the kit's connectors work against it unchanged.
//!
//! One [`Simulator`] serves each provider on its own port (Twilio, Aliyun, Tencent on three
//! consecutive ports; 4010, 4011 and 4012 by default), with the provider's real paths:
//!
//! | provider | endpoint | verification |
//! | --- | --- | --- |
//! | Twilio | `POST /2010-04-01/Accounts/{AccountSid}/Messages.json` | HTTP Basic auth, required form fields |
//! | Aliyun | `POST /` (form or query) and `GET /?...`, `Action=SendSms`, `Version=2017-05-25` | RPC HMAC-SHA1 signature (or ACS3-HMAC-SHA256), 15-minute timestamp window, single-use nonce |
//! | Tencent | `POST /` with a JSON body, `X-TC-Action: SendSms`, `X-TC-Version: 2021-01-11` | TC3-HMAC-SHA256 over the headers the client signed, 5-minute timestamp window, region |
//!
//! Every accepted message is kept in memory ([`Simulator::messages`]), appended as a JSON line
//! to an optional log file and, with [`SimulatorConfig::echo`], printed as one readable line.
//! Faults are injected per phone number ([`MAGIC_NUMBERS`]) or through the admin endpoints
//! under `/__admin/` on every port ([`Simulator::inject`] in process).
//!
//! The rest of this page is `SIMULATOR.md`, the simulator's user guide.
//!
//!
//! The verifiers are written independently of the connector crates' signers, so that a bug
//! shared by a signer and its verifier cannot pass itself.
#![doc = include_str!("../SIMULATOR.md")]

mod admin;
mod aliyun;
mod codec;
mod faults;
mod http;
mod log;
mod tencent;
mod twilio;

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub use faults::{Fault, MAGIC_NUMBERS, PendingFault, fault_for_number};
pub use log::AcceptedMessage;

use faults::FaultQueue;
use http::Api;

/// The first of the three default ports (Twilio; Aliyun and Tencent follow).
pub const DEFAULT_BASE_PORT: u16 = 4010;

/// A simulated provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    /// Twilio Programmable Messaging.
    Twilio,
    /// Aliyun (Alibaba Cloud) dysmsapi.
    Aliyun,
    /// Tencent Cloud SMS.
    Tencent,
}

impl Provider {
    /// The three providers, in port order.
    pub const ALL: [Provider; 3] = [Self::Twilio, Self::Aliyun, Self::Tencent];

    /// The lower-case name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Twilio => "twilio",
            Self::Aliyun => "aliyun",
            Self::Tencent => "tencent",
        }
    }

    /// The position of the provider's port after the base port.
    pub const fn index(self) -> usize {
        match self {
            Self::Twilio => 0,
            Self::Aliyun => 1,
            Self::Tencent => 2,
        }
    }
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Twilio credentials the simulator accepts.
#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct TwilioCredentials {
    /// The Account SID (Basic auth user, and the account in the path).
    pub account_sid: String,
    /// The Auth Token (Basic auth password).
    pub auth_token: String,
}

impl Default for TwilioCredentials {
    fn default() -> Self {
        Self {
            account_sid: "AC00000000000000000000000000000001".into(),
            auth_token: "simulator-twilio-auth-token".into(),
        }
    }
}

/// Aliyun credentials the simulator accepts.
#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct AliyunCredentials {
    /// The AccessKey ID.
    pub access_key_id: String,
    /// The AccessKey secret.
    pub access_key_secret: String,
}

impl Default for AliyunCredentials {
    fn default() -> Self {
        Self {
            access_key_id: "LTAI5tSimulatorKeyId0001".into(),
            access_key_secret: "simulator-aliyun-access-key-secret".into(),
        }
    }
}

/// Tencent Cloud credentials the simulator accepts.
#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct TencentCredentials {
    /// The SecretId.
    pub secret_id: String,
    /// The SecretKey.
    pub secret_key: String,
    /// The SMS application id (`SmsSdkAppId`).
    pub sdk_app_id: String,
}

impl Default for TencentCredentials {
    fn default() -> Self {
        Self {
            secret_id: "AKIDSimulatorSecretId000000000000001".into(),
            secret_key: "simulator-tencent-secret-key".into(),
            sdk_app_id: "1400000001".into(),
        }
    }
}

/// Shows the ids, never the secrets.
impl fmt::Debug for TwilioCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TwilioCredentials")
            .field("account_sid", &self.account_sid)
            .finish_non_exhaustive()
    }
}

/// Shows the id, never the secret.
impl fmt::Debug for AliyunCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AliyunCredentials")
            .field("access_key_id", &self.access_key_id)
            .finish_non_exhaustive()
    }
}

/// Shows the ids, never the secret.
impl fmt::Debug for TencentCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TencentCredentials")
            .field("secret_id", &self.secret_id)
            .field("sdk_app_id", &self.sdk_app_id)
            .finish_non_exhaustive()
    }
}

/// The credentials of all three providers. The defaults equal `examples/*.json`.
///
/// As a file (`--credentials`), every part is optional:
/// `{"twilio": {"accountSid", "authToken"}, "aliyun": {"accessKeyId", "accessKeySecret"},
/// "tencent": {"secretId", "secretKey", "sdkAppId"}}`.
#[derive(Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Credentials {
    /// Twilio's.
    pub twilio: TwilioCredentials,
    /// Aliyun's.
    pub aliyun: AliyunCredentials,
    /// Tencent's.
    pub tencent: TencentCredentials,
}

/// Shows the ids, never the secrets.
impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("twilio", &self.twilio)
            .field("aliyun", &self.aliyun)
            .field("tencent", &self.tencent)
            .finish()
    }
}

impl Credentials {
    /// Reads a credentials file.
    pub fn from_file(path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        serde_json::from_str(&text)
            .map_err(|e| format!("{} is not a valid credentials file: {e}", path.display()))
    }
}

/// How to run a [`Simulator`].
#[derive(Debug, Clone)]
pub struct SimulatorConfig {
    /// The address to listen on.
    pub host: IpAddr,
    /// Twilio's port; Aliyun's and Tencent's are the next two. 0 picks a free port for each.
    pub base_port: u16,
    /// The credentials requests must be signed with.
    pub credentials: Credentials,
    /// A file each accepted message is appended to, as one JSON line.
    pub log_file: Option<PathBuf>,
    /// Print one readable line per accepted message on stdout.
    pub echo: bool,
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

    /// The three ports to bind, in [`Provider::ALL`] order.
    pub fn ports(&self) -> std::io::Result<[u16; 3]> {
        if self.base_port == 0 {
            return Ok([0; 3]);
        }
        match self.base_port.checked_add(2) {
            Some(_) => Ok([self.base_port, self.base_port + 1, self.base_port + 2]),
            None => Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!(
                    "port {} leaves no room for the two ports after it",
                    self.base_port
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

/// Everything the connections of all three ports share.
#[derive(Debug)]
struct Shared {
    providers: [ProviderState; 3],
    log: log::MessageLog,
    slow_delay: Duration,
}

impl Shared {
    fn state(&self, provider: Provider) -> &ProviderState {
        &self.providers[provider.index()]
    }

    fn reset(&self, provider: Provider) {
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
    addrs: [SocketAddr; 3],
    shutdown: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl Simulator {
    /// Binds the three ports and starts serving on the current tokio runtime.
    pub async fn start(config: SimulatorConfig) -> std::io::Result<Self> {
        let ports = config.ports()?;
        let mut listeners = Vec::with_capacity(3);
        for (provider, port) in Provider::ALL.into_iter().zip(ports) {
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
        let log = log::MessageLog::new(config.log_file.as_deref(), config.echo).map_err(|e| {
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
        let credentials = config.credentials;
        let state = |api: Box<dyn Api>| ProviderState {
            api,
            faults: Mutex::default(),
            counters: Counters::default(),
        };
        let shared = Arc::new(Shared {
            providers: [
                state(Box::new(twilio::TwilioApi::new(credentials.twilio))),
                state(Box::new(aliyun::AliyunApi::new(credentials.aliyun))),
                state(Box::new(tencent::TencentApi::new(credentials.tencent))),
            ],
            log,
            slow_delay: config.slow_delay,
        });
        let (shutdown, watcher) = watch::channel(false);
        let mut addrs = [SocketAddr::from(([127, 0, 0, 1], 0)); 3];
        let mut tasks = Vec::with_capacity(3);
        for (provider, listener) in Provider::ALL.into_iter().zip(listeners) {
            addrs[provider.index()] = listener.local_addr()?;
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
    pub fn addr(&self, provider: Provider) -> SocketAddr {
        self.addrs[provider.index()]
    }

    /// The base URL of a provider, e.g. `http://127.0.0.1:4010`, for a config's `endpoint`.
    pub fn endpoint(&self, provider: Provider) -> String {
        let addr = self.addr(provider);
        let host = match addr.ip() {
            IpAddr::V4(ip) if ip.is_unspecified() => "127.0.0.1".to_owned(),
            IpAddr::V6(ip) if ip.is_unspecified() => "[::1]".to_owned(),
            IpAddr::V4(ip) => ip.to_string(),
            IpAddr::V6(ip) => format!("[{ip}]"),
        };
        format!("http://{host}:{}", addr.port())
    }

    /// Every accepted message, oldest first.
    pub fn messages(&self) -> Vec<AcceptedMessage> {
        self.shared.log.all()
    }

    /// The messages one provider accepted, oldest first.
    pub fn messages_for(&self, provider: Provider) -> Vec<AcceptedMessage> {
        let mut all = self.messages();
        all.retain(|m| m.provider == provider);
        all
    }

    /// The counters of one provider port.
    pub fn stats(&self, provider: Provider) -> Stats {
        self.shared.state(provider).counters.snapshot()
    }

    /// Applies `fault` to the next `count` requests to `provider` (after any faults already
    /// queued), as `POST /__admin/faults` does.
    pub fn inject(&self, provider: Provider, fault: Fault, count: u32) {
        self.shared
            .state(provider)
            .with_faults(|q| q.push(fault, count));
    }

    /// The faults still queued for `provider`.
    pub fn pending_faults(&self, provider: Provider) -> Vec<PendingFault> {
        self.shared
            .state(provider)
            .with_faults(|q| q.pending())
            .unwrap_or_default()
    }

    /// Forgets messages, queued faults, counters and used nonces of every provider.
    pub fn reset(&self) {
        for provider in Provider::ALL {
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
        provider: Provider,
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

    #[test]
    fn credentials_files_may_override_any_part() {
        let credentials: Credentials =
            serde_json::from_str(r#"{"aliyun": {"accessKeySecret": "other"}}"#).unwrap();
        assert_eq!(credentials.aliyun.access_key_secret, "other");
        assert_eq!(credentials.aliyun.access_key_id, "LTAI5tSimulatorKeyId0001");
        assert_eq!(credentials.tencent.sdk_app_id, "1400000001");
        assert!(serde_json::from_str::<Credentials>(r#"{"twilio": {"token": "x"}}"#).is_err());
        let debug = format!("{credentials:?}");
        assert!(!debug.contains("other") && !debug.contains("simulator-twilio-auth-token"));
    }

    #[test]
    fn ports_follow_the_base_port() {
        let config = SimulatorConfig::default();
        assert_eq!(config.ports().unwrap(), [4010, 4011, 4012]);
        assert_eq!(SimulatorConfig::ephemeral().ports().unwrap(), [0, 0, 0]);
        let high = SimulatorConfig {
            base_port: 65_534,
            ..SimulatorConfig::default()
        };
        assert!(high.ports().is_err());
    }
}
