//! The load benchmark: N messages through each connector at concurrency C against the provider
//! simulator, beside the same load through a bare reqwest client (the floor).
//!
//! ```sh
//! cargo bench -p connector-cli --bench load -- [--n 20000] [--c 64] [--rounds 5] [--provider aliyun] [--json out.json]
//! ```
//!
//! Processes:
//! - the simulator runs as its own process (`sms-connector simulate --port 0 --quiet --log F`),
//!   so that its work is not counted as the sender's;
//! - each phase (one connector, or its floor) runs in a fresh child of this binary
//!   (`--phase connector|floor --provider P --endpoint URL`), so that the CPU time and the
//!   peak resident memory it reports are that phase's own;
//! - this process only orchestrates: it resets the simulator before each phase, then reads
//!   its counters (`GET /__admin/stats`) and the new lines of its JSON-lines log, and fails
//!   unless exactly N messages arrived, one per recipient;
//! - each provider gets `--rounds` rounds of both phases, alternating which goes first; the
//!   report takes the median round by throughput (the largest peak memory and connection
//!   count of any round), because one run on a shared 2-core machine varies by ±10%.
//!
//! The connector phase sends through `SmsConnector::send_message` (validate, pick the
//! template, render, sign, send, parse, with the kit's timeouts and retry rule). The floor
//! builds and signs the same N requests with the provider's pure builder *before* its clock
//! starts, then posts them with one `reqwest::Client` at the same concurrency and only checks
//! the status: the cost of HTTP alone. Both use the same worker layout: C tasks on a tokio
//! runtime with one worker thread, task `w` sending messages `w`, `w + C`, `w + 2C`, ...
//! One worker, because with two the floor's CPU per message switched from round to round
//! between about 18 and 30 µs (whether its light tasks stayed on one thread or woke the
//! other), which drowned the difference being measured; with one, both phases are stable
//! within a few percent.
//!
//! Without `--bench` (as `cargo test --benches` runs it) it does a small smoke run.
#![allow(
    missing_docs,
    clippy::print_stdout,
    reason = "a benchmark harness prints its results"
)]

use std::collections::HashSet;
use std::fmt;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, ExitCode, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use connector_kit::{
    HttpMethod, HttpRequest, ProviderFactory, RequestContext, SendMessageData, SmsConnector,
    TemplateType,
};
use connector_simulator::ProviderApi;
use connectors::registry;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// Defaults of a real run (`cargo bench`).
const DEFAULT_N: usize = 20_000;
const DEFAULT_C: usize = 64;
/// Rounds of each phase; the report takes the median.
const DEFAULT_ROUNDS: usize = 5;
/// Defaults of a smoke run (no `--bench`, e.g. `cargo test --benches`).
const SMOKE_N: usize = 200;
const SMOKE_C: usize = 8;
/// Linux reports utime and stime in clock ticks of 1/100 s (`USER_HZ`).
const CLOCK_TICKS_PER_SECOND: f64 = 100.0;

type Result<T, E = String> = std::result::Result<T, E>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Connector,
    Floor,
}

impl Phase {
    const fn as_str(self) -> &'static str {
        match self {
            Self::Connector => "connector",
            Self::Floor => "floor",
        }
    }
}

#[derive(Debug)]
struct Args {
    n: usize,
    c: usize,
    rounds: usize,
    json: Option<PathBuf>,
    providers: Vec<ProviderApi>,
    /// Set in a phase child.
    phase: Option<Phase>,
    endpoint: Option<String>,
}

fn parse_provider(name: &str) -> Result<ProviderApi> {
    ProviderApi::ALL
        .into_iter()
        .find(|p| p.as_str() == name)
        .ok_or_else(|| {
            let names: Vec<&str> = ProviderApi::ALL.iter().map(|p| p.as_str()).collect();
            format!(
                "unknown provider {name:?}; expected one of {}",
                names.join(", ")
            )
        })
}

fn parse_args() -> Result<Args> {
    let raw: Vec<String> = std::env::args().skip(1).collect();
    // `cargo bench` passes `--bench`; `cargo test --benches` does not.
    let real = raw.iter().any(|a| a == "--bench");
    let mut args = Args {
        n: if real { DEFAULT_N } else { SMOKE_N },
        c: if real { DEFAULT_C } else { SMOKE_C },
        rounds: if real { DEFAULT_ROUNDS } else { 1 },
        json: None,
        providers: Vec::new(),
        phase: None,
        endpoint: None,
    };
    let mut iter = raw.iter().filter(|a| *a != "--bench");
    while let Some(flag) = iter.next() {
        let mut value = || {
            iter.next()
                .cloned()
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        let number = |v: String| {
            v.parse::<usize>()
                .ok()
                .filter(|&n| n > 0)
                .ok_or_else(|| format!("{flag} takes a positive number, not {v:?}"))
        };
        match flag.as_str() {
            "--n" => args.n = number(value()?)?,
            "--c" => args.c = number(value()?)?,
            "--rounds" => args.rounds = number(value()?)?,
            "--json" => args.json = Some(PathBuf::from(value()?)),
            "--provider" => args.providers.push(parse_provider(&value()?)?),
            "--endpoint" => args.endpoint = Some(value()?),
            "--phase" => {
                args.phase = Some(match value()?.as_str() {
                    "connector" => Phase::Connector,
                    "floor" => Phase::Floor,
                    other => return Err(format!("unknown phase {other:?}")),
                })
            }
            other => {
                return Err(format!(
                    "unknown argument {other:?}\nusage: load [--n N] [--c C] [--rounds R] [--provider twilio|aliyun|tencent|vonage|aws-sns|http]... [--json FILE]"
                ));
            }
        }
    }
    if args.n >= 1_000_000 {
        return Err("--n must be below 1000000 (recipients are numbered with 6 digits)".into());
    }
    if args.providers.is_empty() {
        args.providers = ProviderApi::ALL.to_vec();
    }
    Ok(args)
}

fn main() -> ExitCode {
    let result = parse_args().and_then(|args| match args.phase {
        Some(phase) => phase_child(&args, phase),
        None => orchestrate(&args),
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("load benchmark failed: {message}");
            ExitCode::FAILURE
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Recipients and configs, shared by both sides.

/// The recipient of message `i`: distinct for every `i`, and ending in 1, so that its last
/// four digits are never one of the simulator's magic fault numbers (which end in 0, 2, 8
/// or 9). Aliyun takes mainland numbers bare, Tencent, SNS and the HTTP gateway in E.164, Vonage
/// bare with the country code (it writes them without `+`); the simulator logs them as sent.
fn recipient(provider: ProviderApi, i: usize) -> String {
    let national = 10 * i + 1;
    match provider {
        ProviderApi::TWILIO => format!("+1415{national:07}"),
        ProviderApi::ALIYUN => format!("138{national:08}"),
        ProviderApi::TENCENT => format!("+86138{national:08}"),
        ProviderApi::VONAGE => format!("447700{national:06}"),
        ProviderApi::AWS_SNS => format!("+1206{national:07}"),
        ProviderApi::HTTP => format!("+1628{national:07}"),
        other => unreachable!("no recipients for {other}"),
    }
}

fn message(provider: ProviderApi, i: usize) -> SendMessageData {
    SendMessageData::code(recipient(provider, i), TemplateType::SignIn, "424242")
}

/// `examples/<provider>.json`, pointed at the simulator.
fn example_config(provider: ProviderApi, endpoint: &str) -> Result<Value> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(format!("{provider}.json"));
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut config: Value =
        serde_json::from_str(&text).map_err(|e| format!("{} is not JSON: {e}", path.display()))?;
    config["endpoint"] = json!(endpoint);
    Ok(config)
}

// ---------------------------------------------------------------------------------------------
// A phase, in its own process.

/// What a phase child measures, printed as one JSON line on its stdout.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Measured {
    sent: usize,
    failed: usize,
    first_error: Option<String>,
    wall_seconds: f64,
    messages_per_second: f64,
    p50_ms: f64,
    p99_ms: f64,
    cpu_seconds: f64,
    cpu_us_per_message: f64,
    peak_rss_kib: u64,
}

/// The CPU time of this process so far, in seconds: the sum of its threads' time on a CPU
/// (`/proc/self/task/*/schedstat`, in nanoseconds). A phase's threads (tokio's workers and
/// the main thread) all live from before its clock starts until after it stops, so none of
/// their time is lost. Falls back to utime + stime (`/proc/self/stat`, 10 ms ticks).
fn cpu_seconds() -> Result<f64> {
    match schedstat_seconds() {
        Some(seconds) => Ok(seconds),
        None => stat_seconds(),
    }
}

fn schedstat_seconds() -> Option<f64> {
    let mut nanos: u64 = 0;
    for task in std::fs::read_dir("/proc/self/task").ok()? {
        let path = task.ok()?.path().join("schedstat");
        // A thread may end between listing and reading: it has no time left to count.
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        nanos += text.split_whitespace().next()?.parse::<u64>().ok()?;
    }
    Some(nanos as f64 / 1e9)
}

fn stat_seconds() -> Result<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat")
        .map_err(|e| format!("cannot read /proc/self/stat: {e}"))?;
    // The command name (field 2) may hold spaces; the fields after its `)` start at field 3.
    let rest = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest)
        .ok_or("unexpected /proc/self/stat")?;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let field = |n: usize| -> Result<f64> {
        fields
            .get(n - 3)
            .and_then(|f| f.parse::<u64>().ok())
            .map(|ticks| ticks as f64 / CLOCK_TICKS_PER_SECOND)
            .ok_or_else(|| format!("no field {n} in /proc/self/stat"))
    };
    Ok(field(14)? + field(15)?)
}

/// The peak resident set size of this process (`VmHWM`), in KiB.
fn peak_rss_kib() -> Result<u64> {
    let status = std::fs::read_to_string("/proc/self/status")
        .map_err(|e| format!("cannot read /proc/self/status: {e}"))?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .ok_or_else(|| "no VmHWM in /proc/self/status".into())
}

fn phase_child(args: &Args, phase: Phase) -> Result<()> {
    let [provider] = args.providers[..] else {
        return Err("a phase takes exactly one --provider".into());
    };
    let endpoint = args.endpoint.as_deref().ok_or("a phase needs --endpoint")?;
    let config = example_config(provider, endpoint)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start tokio: {e}"))?;
    let measured = match phase {
        Phase::Connector => {
            let connector: Arc<dyn SmsConnector> = registry()
                .require(&format!("{provider}-sms"))
                .and_then(|factory| factory.create(&config))
                .map_err(|e| format!("cannot create the {provider} connector: {e}"))?
                .into();
            let items: Vec<usize> = (0..args.n).collect();
            runtime.block_on(drive(items, args.c, move |i| {
                let connector = Arc::clone(&connector);
                async move {
                    let data = message(provider, i);
                    connector
                        .send_message(&data)
                        .await
                        .map(drop)
                        .map_err(|e| e.to_string())
                }
            }))?
        }
        Phase::Floor => {
            // Built and signed before the clock starts: the floor measures HTTP alone.
            let built = match provider {
                ProviderApi::TWILIO => {
                    build_all::<connectors::twilio::Twilio>(provider, &config, args.n)
                }
                ProviderApi::ALIYUN => {
                    build_all::<connectors::aliyun::Aliyun>(provider, &config, args.n)
                }
                ProviderApi::TENCENT => {
                    build_all::<connectors::tencent::Tencent>(provider, &config, args.n)
                }
                ProviderApi::VONAGE => {
                    build_all::<connectors::vonage::Vonage>(provider, &config, args.n)
                }
                ProviderApi::AWS_SNS => {
                    build_all::<connectors::aws_sns::Sns>(provider, &config, args.n)
                }
                ProviderApi::HTTP => build_all::<connectors::http::Http>(provider, &config, args.n),
                other => Err(format!("no floor for {other}")),
            }?;
            #[expect(
                clippy::disallowed_methods,
                reason = "the floor is a bare client by design"
            )]
            let client = reqwest::Client::new();
            let requests = built
                .into_iter()
                .map(|request| to_reqwest(&client, request))
                .collect::<Result<Vec<_>>>()?;
            runtime.block_on(drive(requests, args.c, move |request| {
                let client = client.clone();
                async move {
                    let response = client.execute(request).await.map_err(|e| e.to_string())?;
                    let status = response.status();
                    let body = response.bytes().await.map_err(|e| e.to_string())?;
                    if status.is_success() {
                        Ok(())
                    } else {
                        Err(format!("HTTP {status}: {}", String::from_utf8_lossy(&body)))
                    }
                }
            }))?
        }
    };
    let line = serde_json::to_string(&measured).map_err(|e| e.to_string())?;
    println!("{line}");
    Ok(())
}

/// The N requests of the floor, built and signed by the provider's pure builder, each with
/// the current time and a fresh nonce.
fn build_all<P: connector_kit::Provider>(
    provider: ProviderApi,
    config: &Value,
    n: usize,
) -> Result<Vec<HttpRequest>> {
    let config = ProviderFactory::<P>::new()
        .parse(config)
        .map_err(|e| format!("invalid {provider} config: {e}"))?
        .config;
    (0..n)
        .map(|i| {
            P::build_request(&config, &message(provider, i), &RequestContext::now())
                .map_err(|e| format!("cannot build {provider} request {i}: {e}"))
        })
        .collect()
}

fn to_reqwest(client: &reqwest::Client, request: HttpRequest) -> Result<reqwest::Request> {
    let method = match request.method {
        HttpMethod::Get => reqwest::Method::GET,
        HttpMethod::Post => reqwest::Method::POST,
    };
    let mut builder = client.request(method, &request.url);
    for header in &request.headers {
        // reqwest derives Host from the URL, as the kit's client does.
        if !header.name.eq_ignore_ascii_case("host") {
            builder = builder.header(header.name.as_ref(), header.value.as_str());
        }
    }
    builder
        .body(request.body)
        .build()
        .map_err(|e| format!("cannot prepare a floor request: {e}"))
}

/// Sends every item through `send` from `c` tasks (task `w` takes items `w`, `w + c`, ...),
/// timing each send, and measures throughput, latency percentiles and this process's CPU
/// time over the whole run.
async fn drive<T, F, Fut>(items: Vec<T>, c: usize, send: F) -> Result<Measured>
where
    T: Send + 'static,
    F: Fn(T) -> Fut + Clone + Send + 'static,
    Fut: Future<Output = Result<()>> + Send,
{
    let n = items.len();
    let mut lanes: Vec<Vec<T>> = (0..c).map(|_| Vec::with_capacity(n / c + 1)).collect();
    for (i, item) in items.into_iter().enumerate() {
        lanes[i % c].push(item);
    }
    let cpu_before = cpu_seconds()?;
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for lane in lanes {
        let send = send.clone();
        tasks.spawn(async move {
            let mut latencies = Vec::with_capacity(lane.len());
            let mut errors = Vec::new();
            for item in lane {
                let sent = Instant::now();
                let result = send(item).await;
                latencies.push(sent.elapsed());
                if let Err(e) = result {
                    errors.push(e);
                }
            }
            (latencies, errors)
        });
    }
    let mut latencies = Vec::with_capacity(n);
    let mut errors = Vec::new();
    while let Some(joined) = tasks.join_next().await {
        let (lane_latencies, lane_errors) =
            joined.map_err(|e| format!("a sender panicked: {e}"))?;
        latencies.extend(lane_latencies);
        errors.extend(lane_errors);
    }
    let wall = started.elapsed();
    let cpu = cpu_seconds()? - cpu_before;
    latencies.sort_unstable();
    let percentile = |p: f64| -> f64 {
        let rank = ((p * n as f64).ceil() as usize).clamp(1, n.max(1)) - 1;
        latencies
            .get(rank)
            .map_or(0.0, |d| d.as_secs_f64() * 1_000.0)
    };
    Ok(Measured {
        sent: n,
        failed: errors.len(),
        first_error: errors.into_iter().next(),
        wall_seconds: wall.as_secs_f64(),
        messages_per_second: n as f64 / wall.as_secs_f64(),
        p50_ms: percentile(0.50),
        p99_ms: percentile(0.99),
        cpu_seconds: cpu,
        cpu_us_per_message: cpu * 1e6 / n as f64,
        peak_rss_kib: peak_rss_kib()?,
    })
}

// ---------------------------------------------------------------------------------------------
// The orchestrator.

/// The simulator process; killed (and its log removed) when dropped, also on error or panic.
struct SimulatorProcess {
    child: Child,
    stdout: BufReader<ChildStdout>,
    endpoints: [String; ProviderApi::ALL.len()],
    log: PathBuf,
}

impl SimulatorProcess {
    fn start() -> Result<Self> {
        let log =
            std::env::temp_dir().join(format!("sms-connector-load-{}.jsonl", std::process::id()));
        let _ = std::fs::remove_file(&log);
        let mut child = Command::new(env!("CARGO_BIN_EXE_sms-connector"))
            .args(["simulate", "--port", "0", "--quiet", "--log"])
            .arg(&log)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("cannot start the simulator: {e}"))?;
        let stdout = child.stdout.take().ok_or("no simulator stdout")?;
        let mut process = Self {
            child,
            stdout: BufReader::new(stdout),
            endpoints: Default::default(),
            log,
        };
        // The simulator prints each provider's endpoint once its port is bound, then
        // "Press Ctrl-C to stop." (`--port 0`: a free port each, so no port can be taken
        // between choosing and binding it).
        let mut line = String::new();
        loop {
            line.clear();
            let read = process
                .stdout
                .read_line(&mut line)
                .map_err(|e| format!("cannot read the simulator's output: {e}"))?;
            if read == 0 {
                return Err("the simulator exited before it was ready".into());
            }
            let mut words = line.split_whitespace();
            if let (Some(name), Some(url)) = (words.next(), words.next()) {
                if let Ok(provider) = parse_provider(name) {
                    process.endpoints[provider.index()] = url.to_owned();
                }
            }
            if line.starts_with("Press Ctrl-C") {
                break;
            }
        }
        if process.endpoints.iter().any(String::is_empty) {
            return Err("the simulator did not print every endpoint".into());
        }
        Ok(process)
    }

    fn endpoint(&self, provider: ProviderApi) -> &str {
        &self.endpoints[provider.index()]
    }
}

impl Drop for SimulatorProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.log);
    }
}

/// One admin request (`Connection: close`) over a plain socket; the answer's JSON body.
fn admin(endpoint: &str, method: &str, path: &str) -> Result<Value> {
    let authority = endpoint
        .strip_prefix("http://")
        .ok_or_else(|| format!("unexpected endpoint {endpoint}"))?;
    let fail = |e: std::io::Error| format!("{method} {endpoint}{path}: {e}");
    let mut stream = TcpStream::connect(authority).map_err(fail)?;
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .map_err(fail)?;
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
    )
    .map_err(fail)?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).map_err(fail)?;
    let answer = String::from_utf8_lossy(&answer);
    let (head, body) = answer
        .split_once("\r\n\r\n")
        .ok_or_else(|| format!("{method} {endpoint}{path}: no HTTP answer"))?;
    if !head.starts_with("HTTP/1.1 200") {
        return Err(format!("{method} {endpoint}{path}: {head}"));
    }
    serde_json::from_str(body).map_err(|e| format!("{method} {endpoint}{path}: {e}"))
}

/// What the simulator saw of one phase.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
struct Observed {
    /// TCP connections the sender opened (the simulator's count, less the stats request's
    /// own).
    connections: u64,
    /// Send requests received.
    requests: u64,
    /// Messages accepted.
    accepted: u64,
    /// Requests rejected or faulted (must be 0).
    rejected: u64,
    faulted: u64,
    /// Messages in the simulator's in-memory record (`GET /__admin/stats` `messages`).
    recorded: u64,
    /// Lines of this provider added to the JSON-lines log.
    logged: u64,
    /// Distinct expected recipients among them.
    distinct_recipients: u64,
    /// Logged recipients that were not sent to.
    unexpected_recipients: u64,
}

/// One run of one phase: what the sender measured and what the simulator saw.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    #[serde(flatten)]
    measured: Measured,
    peak_rss_mib: f64,
    #[serde(flatten)]
    observed: Observed,
    /// Every message arrived exactly once and no send failed.
    exact: bool,
}

/// One phase over its runs: the median run by throughput, with the largest peak memory and
/// connection count of any run.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct PhaseReport {
    messages_per_second: f64,
    p50_ms: f64,
    p99_ms: f64,
    cpu_us_per_message: f64,
    peak_rss_mib: f64,
    connections: u64,
    /// The smallest accepted count of any run.
    accepted: u64,
    /// Every run delivered exactly N messages, once each, and no send failed.
    exact: bool,
    runs: Vec<Run>,
}

impl PhaseReport {
    fn new(mut runs: Vec<Run>) -> Self {
        runs.sort_by(|a, b| {
            a.measured
                .messages_per_second
                .total_cmp(&b.measured.messages_per_second)
        });
        let median = runs[runs.len() / 2].clone();
        Self {
            messages_per_second: median.measured.messages_per_second,
            p50_ms: median.measured.p50_ms,
            p99_ms: median.measured.p99_ms,
            cpu_us_per_message: median.measured.cpu_us_per_message,
            peak_rss_mib: runs.iter().map(|r| r.peak_rss_mib).fold(0.0, f64::max),
            connections: runs
                .iter()
                .map(|r| r.observed.connections)
                .max()
                .unwrap_or(0),
            accepted: runs.iter().map(|r| r.observed.accepted).min().unwrap_or(0),
            exact: runs.iter().all(|r| r.exact),
            runs,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct ProviderReport {
    provider: ProviderApi,
    connector: PhaseReport,
    floor: PhaseReport,
    /// Connector throughput / floor throughput (medians).
    ratio: f64,
    /// The median over rounds of the connector's CPU per message over the floor's in the
    /// same round: the two phases of a round run back to back, so a machine that speeds up
    /// or slows down between rounds moves both.
    cpu_ratio: f64,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Report {
    n: usize,
    concurrency: usize,
    rounds: usize,
    /// Whether every run delivered exactly N messages, once each.
    exact: bool,
    providers: Vec<ProviderReport>,
}

fn orchestrate(args: &Args) -> Result<()> {
    let started = Instant::now();
    let simulator = SimulatorProcess::start()?;
    println!(
        "load: N = {} messages per run, concurrency {}, {} rounds of connector and floor per provider; simulator in process {}",
        args.n,
        args.c,
        args.rounds,
        simulator.child.id()
    );
    let mut reports = Vec::new();
    for &provider in &args.providers {
        let mut connector = Vec::new();
        let mut floor = Vec::new();
        for round in 0..args.rounds {
            // Alternate which goes first, so that neither always runs on a warmer simulator.
            let order = if round % 2 == 0 {
                [Phase::Connector, Phase::Floor]
            } else {
                [Phase::Floor, Phase::Connector]
            };
            for phase in order {
                let run = run_phase(args, &simulator, provider, phase)?;
                println!(
                    "  {provider:<8} {:<9} round {}: {:>7.0} msgs/s, p50 {:.2} ms, p99 {:.2} ms, {:.1} µs CPU/msg, {:.1} MiB, {} connections, {} accepted",
                    phase.as_str(),
                    round + 1,
                    run.measured.messages_per_second,
                    run.measured.p50_ms,
                    run.measured.p99_ms,
                    run.measured.cpu_us_per_message,
                    run.peak_rss_mib,
                    run.observed.connections,
                    run.observed.accepted,
                );
                match phase {
                    Phase::Connector => connector.push(run),
                    Phase::Floor => floor.push(run),
                }
            }
        }
        let mut paired: Vec<f64> = connector
            .iter()
            .zip(&floor)
            .map(|(c, f)| c.measured.cpu_us_per_message / f.measured.cpu_us_per_message)
            .filter(|ratio| ratio.is_finite())
            .collect();
        paired.sort_by(f64::total_cmp);
        let cpu_ratio = paired.get(paired.len() / 2).copied().unwrap_or(f64::NAN);
        let connector = PhaseReport::new(connector);
        let floor = PhaseReport::new(floor);
        let ratio = connector.messages_per_second / floor.messages_per_second;
        reports.push(ProviderReport {
            provider,
            connector,
            floor,
            ratio,
            cpu_ratio,
        });
    }
    drop(simulator);
    let report = Report {
        n: args.n,
        concurrency: args.c,
        rounds: args.rounds,
        exact: reports.iter().all(|r| r.connector.exact && r.floor.exact),
        providers: reports,
    };
    print!("{}", Table(&report));
    println!("load: done in {:.1} s", started.elapsed().as_secs_f64());
    if let Some(path) = &args.json {
        let text = serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?;
        std::fs::write(path, text + "\n")
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        println!("load: results written to {}", path.display());
    }
    if !report.exact {
        return Err(
            "messages were lost, duplicated or failed (see the table and the errors above)".into(),
        );
    }
    Ok(())
}

fn run_phase(
    args: &Args,
    simulator: &SimulatorProcess,
    provider: ProviderApi,
    phase: Phase,
) -> Result<Run> {
    let endpoint = simulator.endpoint(provider);
    admin(endpoint, "POST", "/__admin/reset")?;
    let log_start = std::fs::metadata(&simulator.log)
        .map(|m| m.len())
        .unwrap_or(0);
    let output = Command::new(
        std::env::current_exe().map_err(|e| format!("cannot find this benchmark: {e}"))?,
    )
    .args(["--phase", phase.as_str(), "--provider", provider.as_str()])
    .args(["--endpoint", endpoint])
    .args(["--n", &args.n.to_string(), "--c", &args.c.to_string()])
    .stdin(Stdio::null())
    .stderr(Stdio::inherit())
    .output()
    .map_err(|e| format!("cannot run the {provider} {} phase: {e}", phase.as_str()))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        return Err(format!(
            "the {provider} {} phase failed ({})",
            phase.as_str(),
            output.status
        ));
    }
    let measured: Measured = stdout
        .lines()
        .last()
        .and_then(|line| serde_json::from_str(line).ok())
        .ok_or_else(|| format!("the {provider} {} phase printed no result", phase.as_str()))?;

    let stats = admin(endpoint, "GET", "/__admin/stats")?;
    let count = |key: &str| stats.get(key).and_then(Value::as_u64).unwrap_or(0);
    let mut observed = Observed {
        // The stats request's own connection is counted before it is answered.
        connections: count("connections").saturating_sub(1),
        requests: count("requests"),
        accepted: count("accepted"),
        rejected: count("rejected"),
        faulted: count("faulted"),
        recorded: count("messages"),
        ..Observed::default()
    };
    check_log(&simulator.log, log_start, provider, args.n, &mut observed)?;
    let n = args.n as u64;
    let exact = measured.failed == 0
        && observed.accepted == n
        && observed.recorded == n
        && observed.logged == n
        && observed.distinct_recipients == n
        && observed.unexpected_recipients == 0
        && observed.rejected == 0
        && observed.faulted == 0;
    if !exact {
        eprintln!(
            "load: {provider} {}: NOT EXACT: {} of {} sends failed (first: {}); simulator accepted {}, recorded {}, logged {} ({} distinct recipients, {} unexpected), rejected {}, faulted {}",
            phase.as_str(),
            measured.failed,
            args.n,
            measured.first_error.as_deref().unwrap_or("none"),
            observed.accepted,
            observed.recorded,
            observed.logged,
            observed.distinct_recipients,
            observed.unexpected_recipients,
            observed.rejected,
            observed.faulted,
        );
    }
    Ok(Run {
        peak_rss_mib: measured.peak_rss_kib as f64 / 1024.0,
        measured,
        observed,
        exact,
    })
}

/// Reads the log lines written since `start` and counts this provider's, the distinct
/// expected recipients among them, and any recipient that was not sent to.
fn check_log(
    log: &Path,
    start: u64,
    provider: ProviderApi,
    n: usize,
    observed: &mut Observed,
) -> Result<()> {
    let mut file = std::fs::File::open(log)
        .map_err(|e| format!("cannot open the simulator log {}: {e}", log.display()))?;
    file.seek(SeekFrom::Start(start))
        .map_err(|e| format!("cannot read the simulator log: {e}"))?;
    let expected: HashSet<String> = (0..n).map(|i| recipient(provider, i)).collect();
    let mut seen = HashSet::with_capacity(n);
    for line in BufReader::new(file).lines() {
        let line = line.map_err(|e| format!("cannot read the simulator log: {e}"))?;
        let record: Value =
            serde_json::from_str(&line).map_err(|e| format!("a log line is not JSON: {e}"))?;
        if record["provider"] != provider.as_str() {
            continue;
        }
        observed.logged += 1;
        let to = record["to"].as_str().unwrap_or_default();
        if expected.contains(to) {
            seen.insert(to.to_owned());
        } else {
            observed.unexpected_recipients += 1;
        }
    }
    observed.distinct_recipients = seen.len() as u64;
    Ok(())
}

/// The results as a text table.
struct Table<'a>(&'a Report);

impl fmt::Display for Table<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "\nmedian of {} rounds (peak RSS and connections: the largest of any round)",
            self.0.rounds
        )?;
        writeln!(
            f,
            "{:<9} {:<10} {:>9} {:>8} {:>8} {:>11} {:>9} {:>6} {:>9} {:>6} {:>7}",
            "provider",
            "client",
            "msgs/s",
            "p50 ms",
            "p99 ms",
            "CPU µs/msg",
            "RSS MiB",
            "conns",
            "accepted",
            "exact",
            "ratio"
        )?;
        for report in &self.0.providers {
            for (client, phase) in [("connector", &report.connector), ("floor", &report.floor)] {
                let ratio = match client {
                    "connector" => format!("{:.1}%", report.ratio * 100.0),
                    _ => String::new(),
                };
                writeln!(
                    f,
                    "{:<9} {:<10} {:>9.0} {:>8.2} {:>8.2} {:>11.1} {:>9.1} {:>6} {:>9} {:>6} {:>7}",
                    report.provider.as_str(),
                    client,
                    phase.messages_per_second,
                    phase.p50_ms,
                    phase.p99_ms,
                    phase.cpu_us_per_message,
                    phase.peak_rss_mib,
                    phase.connections,
                    phase.accepted,
                    if phase.exact { "yes" } else { "NO" },
                    ratio
                )?;
            }
        }
        writeln!(f)
    }
}
