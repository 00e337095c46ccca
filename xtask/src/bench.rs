//! `cargo xtask bench [--quick]`: runs the criterion benches and the load benchmark, then
//! regenerates `docs/benchmarks.md` and `docs/benchmarks.svg` from what they measured.
//!
//! - Criterion: every `crates/*/benches/*.rs` but the load benchmark, with short settings;
//!   the mean of each benchmark is read back from `target/criterion/<id>/new/estimates.json`
//!   (only those this run wrote).
//! - Load: the `load` bench of `connector-cli`, with `--json target/bench/load.json`.
//! - All of them are built by one `cargo bench --no-run` and then run as `cargo bench` runs
//!   them (from their package folder, with `--bench`), so that nothing is rebuilt between
//!   them.
//! - The page and the chart are laid out deterministically: the same numbers give the same
//!   bytes. The numbers are whatever this machine measured, so the files change with every
//!   run; they are never edited by hand.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Instant, SystemTime};

use serde_json::Value;

use crate::docs::root;

/// The command that regenerates the page, named in it.
const COMMAND: &str = "cargo xtask bench";
/// The per-request build-and-sign target, in nanoseconds.
const BUILD_SIGN_TARGET_NS: f64 = 10_000.0;
/// The throughput target: connector at least this share of the floor.
const RATIO_TARGET: f64 = 0.80;
/// The CPU target: a connector's CPU per message at most this multiple of the floor's.
const CPU_RATIO_TARGET: f64 = 1.15;
/// The peak memory target of a connector's sending process, in MiB.
const RSS_TARGET_MIB: f64 = 30.0;
/// What the router may add to its member's cost per message, in nanoseconds.
const ROUTER_ADDED_TARGET_NS: f64 = 2_000.0;
/// How the router's bench names its pairs: `router/member alone, <case>` and
/// `router/through the router, <case>`.
const ROUTER_ALONE: &str = "router/member alone, ";
const ROUTER_THROUGH: &str = "router/through the router, ";

/// One criterion benchmark's result.
struct Criterion {
    id: String,
    mean_ns: f64,
}

/// What the machine is.
struct Machine {
    cpu: String,
    cores: usize,
    memory_gib: f64,
    kernel: String,
    rustc: String,
}

/// Runs everything and rewrites the page and the chart.
pub(crate) fn run(quick: bool) -> Result<Vec<String>, String> {
    let root = root();
    let started = Instant::now();
    let mut lines = Vec::new();

    // One build of every bench target: separate `cargo bench` invocations would unify
    // features differently and rebuild part of the workspace each time.
    let mut targets = criterion_targets(&root)?;
    targets.push(("connector-cli".to_owned(), "load".to_owned()));
    let benches = build(&root, &targets)?;
    lines.push(format!(
        "built {} bench targets in {:.0} s",
        benches.len(),
        started.elapsed().as_secs_f64()
    ));

    let criterion_started = SystemTime::now();
    let criterion_clock = Instant::now();
    let timing: &[&str] = if quick {
        &["--warm-up-time", "0.5", "--measurement-time", "1"]
    } else {
        &["--warm-up-time", "1", "--measurement-time", "3"]
    };
    for bench in benches.iter().filter(|b| b.name != "load") {
        execute(bench, timing)?;
    }
    let criterion = read_criterion(&target_dir(&root), criterion_started)?;
    lines.push(format!(
        "criterion: {} benchmarks in {:.0} s",
        criterion.len(),
        criterion_clock.elapsed().as_secs_f64()
    ));

    let load_clock = Instant::now();
    let load_json = target_dir(&root).join("bench").join("load.json");
    if let Some(parent) = load_json.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    let load_bench = benches
        .iter()
        .find(|b| b.name == "load")
        .ok_or("cargo built no load benchmark")?;
    let json = load_json.to_string_lossy().into_owned();
    let mut load_args = vec!["--json", json.as_str()];
    if quick {
        load_args.extend(["--n", "5000", "--rounds", "1"]);
    }
    execute(load_bench, &load_args)?;
    let text = std::fs::read_to_string(&load_json)
        .map_err(|e| format!("cannot read {}: {e}", load_json.display()))?;
    let load: Value = serde_json::from_str(&text)
        .map_err(|e| format!("{} is not JSON: {e}", load_json.display()))?;
    lines.push(format!("load: {:.0} s", load_clock.elapsed().as_secs_f64()));

    let machine = machine();
    let page = page(&machine, &criterion, &load, quick);
    let chart = chart(&load);
    for (path, contents) in [("docs/benchmarks.md", page), ("docs/benchmarks.svg", chart)] {
        std::fs::write(root.join(path), contents)
            .map_err(|e| format!("cannot write {path}: {e}"))?;
        lines.push(format!("updated {path}"));
    }
    lines.push(format!(
        "{COMMAND} took {:.0} s",
        started.elapsed().as_secs_f64()
    ));
    Ok(lines)
}

/// A built bench executable.
struct Bench {
    name: String,
    executable: PathBuf,
    /// The package folder, where `cargo bench` would run it.
    package_dir: PathBuf,
}

fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"))
}

/// The criterion bench targets: `(package, bench)` for every `crates/<package>/benches/*.rs`
/// except the load benchmark.
fn criterion_targets(root: &Path) -> Result<Vec<(String, String)>, String> {
    let crates = std::fs::read_dir(root.join("crates")).map_err(|e| e.to_string())?;
    let mut targets = Vec::new();
    for entry in crates {
        let dir = entry.map_err(|e| e.to_string())?.path();
        let Ok(benches) = std::fs::read_dir(dir.join("benches")) else {
            continue;
        };
        let package = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        for bench in benches {
            let path = bench.map_err(|e| e.to_string())?.path();
            if path.extension().is_some_and(|e| e == "rs") {
                let name = path
                    .file_stem()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                if name != "load" {
                    targets.push((package.clone(), name));
                }
            }
        }
    }
    targets.sort();
    Ok(targets)
}

/// `cargo bench --no-run` of the given targets (named one by one: `--benches` would also
/// build each library's libtest harness); the executables from cargo's JSON messages.
fn build(root: &Path, targets: &[(String, String)]) -> Result<Vec<Bench>, String> {
    let mut command = cargo();
    command.current_dir(root).args([
        "bench",
        "--no-run",
        "--message-format=json-render-diagnostics",
    ]);
    for (package, bench) in targets {
        command.args(["-p", package, "--bench", bench]);
    }
    let output = command
        .stderr(std::process::Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run cargo bench --no-run: {e}"))?;
    if !output.status.success() {
        return Err(format!("building the benches failed ({})", output.status));
    }
    let mut benches = Vec::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(message) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        let is_bench = message["target"]["kind"]
            .as_array()
            .is_some_and(|kinds| kinds.iter().any(|k| k == "bench"));
        let (Some(executable), Some(manifest)) = (
            message["executable"].as_str(),
            message["manifest_path"].as_str(),
        ) else {
            continue;
        };
        if message["reason"] == "compiler-artifact" && is_bench {
            benches.push(Bench {
                name: message["target"]["name"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
                executable: PathBuf::from(executable),
                package_dir: Path::new(manifest)
                    .parent()
                    .map(Path::to_path_buf)
                    .unwrap_or_default(),
            });
        }
    }
    benches.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(benches)
}

/// Runs a bench executable as `cargo bench` does: from its package folder, with `--bench`.
fn execute(bench: &Bench, args: &[&str]) -> Result<(), String> {
    println!("running {} {}", bench.name, args.join(" "));
    let status = Command::new(&bench.executable)
        .current_dir(&bench.package_dir)
        .arg("--bench")
        .args(args)
        .status()
        .map_err(|e| format!("cannot run {}: {e}", bench.executable.display()))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("the {} bench failed ({status})", bench.name))
    }
}

/// Every criterion benchmark whose `new/estimates.json` was written since `since`, by id:
/// a lone benchmark's results are in `criterion/<id>/new/`, a group's (such as the router's
/// `router/through the router, …`) one folder deeper, in `criterion/<group>/<id>/new/`.
fn read_criterion(target: &Path, since: SystemTime) -> Result<Vec<Criterion>, String> {
    let dir = target.join("criterion");
    let mut folders = Vec::new();
    for entry in
        std::fs::read_dir(&dir).map_err(|e| format!("cannot list {}: {e}", dir.display()))?
    {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.join("new").is_dir() || !path.is_dir() {
            folders.push(path);
            continue;
        }
        // A group: its benchmarks are the folders inside it (criterion's own `report`
        // folder, when it writes one, has no `new/`).
        for inner in std::fs::read_dir(&path).map_err(|e| format!("{}: {e}", path.display()))? {
            folders.push(inner.map_err(|e| e.to_string())?.path());
        }
    }
    let mut results = Vec::new();
    for folder in folders {
        let new = folder.join("new");
        let estimates = new.join("estimates.json");
        let fresh = std::fs::metadata(&estimates)
            .and_then(|m| m.modified())
            .is_ok_and(|modified| modified >= since);
        if !fresh {
            continue;
        }
        let read = |path: &Path| -> Result<Value, String> {
            let text = std::fs::read_to_string(path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
        };
        let benchmark = read(&new.join("benchmark.json"))?;
        let estimates = read(&estimates)?;
        let id = benchmark["full_id"].as_str().unwrap_or_default().to_owned();
        let mean_ns = estimates["mean"]["point_estimate"]
            .as_f64()
            .ok_or_else(|| format!("no mean for {id}"))?;
        results.push(Criterion { id, mean_ns });
    }
    if results.is_empty() {
        return Err("the criterion benches wrote no results".into());
    }
    results.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(results)
}

fn machine() -> Machine {
    let read = |path: &str| std::fs::read_to_string(path).unwrap_or_default();
    let cpuinfo = read("/proc/cpuinfo");
    let cpu = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .and_then(|l| l.split_once(':'))
        .map_or("unknown".to_owned(), |(_, v)| v.trim().to_owned());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let memory_gib = read("/proc/meminfo")
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kib| kib / (1024.0 * 1024.0));
    let kernel = read("/proc/sys/kernel/osrelease").trim().to_owned();
    let rustc = Command::new("rustc")
        .arg("-V")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    Machine {
        cpu,
        cores,
        memory_gib,
        kernel,
        rustc,
    }
}

/// A duration in nanoseconds, in the unit that reads best.
fn duration(ns: f64) -> String {
    if ns < 1_000.0 {
        format!("{ns:.0} ns")
    } else {
        format!("{:.2} µs", ns / 1_000.0)
    }
}

fn met(ok: bool) -> &'static str {
    if ok { "met" } else { "**missed**" }
}

fn f64_at(value: &Value, key: &str) -> f64 {
    value[key].as_f64().unwrap_or(0.0)
}

fn u64_at(value: &Value, key: &str) -> u64 {
    value[key].as_u64().unwrap_or(0)
}

/// A connector's CPU per message over its floor's (the floor sends requests signed before
/// its clock starts, so the difference is what the connector does per message): the load
/// benchmark's median of the per-round ratios, or else the ratio of the two phases' figures.
fn cpu_ratio(provider: &Value) -> f64 {
    if let Some(paired) = provider["cpuRatio"].as_f64() {
        return paired;
    }
    let floor = f64_at(&provider["floor"], "cpuUsPerMessage");
    if floor > 0.0 {
        f64_at(&provider["connector"], "cpuUsPerMessage") / floor
    } else {
        f64::INFINITY
    }
}

fn providers(load: &Value) -> &[Value] {
    load["providers"].as_array().map_or(&[], Vec::as_slice)
}

/// `docs/benchmarks.md`.
fn page(machine: &Machine, criterion: &[Criterion], load: &Value, quick: bool) -> String {
    let n = u64_at(load, "n");
    let concurrency = u64_at(load, "concurrency");
    let rounds = u64_at(load, "rounds");
    let mut out = String::new();
    let w = &mut out;
    let _ = writeln!(
        w,
        "<!-- Generated by `{COMMAND}`; do not edit by hand: run it again. -->\n"
    );
    let _ = writeln!(w, "# Benchmarks\n");
    let _ = writeln!(
        w,
        "What the connectors cost per message, and how they hold up under a burst, measured on \
         one machine by `{COMMAND}`{}.\n",
        if quick {
            " with `--quick` (short criterion runs, one small load round: indicative only)"
        } else {
            ""
        }
    );

    let _ = writeln!(w, "## How to run\n");
    let _ = writeln!(w, "```sh");
    let _ = writeln!(
        w,
        "cargo xtask bench          # criterion benches + load benchmark; rewrites this page and benchmarks.svg"
    );
    let _ = writeln!(
        w,
        "cargo xtask bench --quick  # shorter criterion runs, N = 5000 and one round: a smoke test"
    );
    let _ = writeln!(
        w,
        "cargo bench -p connector-cli --bench load -- [--n 20000] [--c 64] [--rounds 5] [--provider aliyun] [--json out.json]"
    );
    let _ = writeln!(w, "```\n");
    let _ = writeln!(
        w,
        "The load benchmark starts the simulator (`sms-connector simulate`) as its own process. \
         For each connector it runs rounds of two phases, each in a fresh child process so that \
         its CPU time and peak memory are its own, alternating which goes first:\n"
    );
    let _ = writeln!(
        w,
        "- **connector**: N messages through `SmsConnector::send_message` (template, rendering, \
         signing, the kit's HTTP client with its timeouts, response parsing), created from \
         `examples/<provider>.json` pointed at the simulator. The kit's client is the pooled \
         hyper client that reqwest is built on, used directly: a connector never follows \
         redirects, so it skips the layers reqwest adds per request (the URL parsed again for \
         redirects, the proxy list checked, default headers merged);"
    );
    let _ = writeln!(
        w,
        "- **floor**: the same N requests, built and signed by the provider's pure builder \
         *before* the clock starts, posted by one bare `reqwest::Client` that only checks the \
         status: the cost of HTTP alone through the usual Rust client. A connector can use less \
         CPU than this floor: its own work (template, signing, parsing) costs less than what its \
         client saves.\n"
    );
    let _ = writeln!(
        w,
        "Both send from C tasks on a tokio runtime with one worker thread (with two, the floor's CPU \
         per message swung between rounds with its thread placement), to distinct recipients that are \
         never one of the simulator's fault numbers. Before each phase the simulator is reset; \
         after it, its counters give the TCP connections opened and the messages accepted, and \
         its JSON-lines log must hold exactly N new messages, one per recipient. CPU time is the \
         sending process's own (its threads' `schedstat`) over the send loop; peak memory is its \
         `VmHWM`. Sender and simulator share the machine's cores, so a sender that uses more CPU \
         also leaves less for the simulator.\n"
    );

    let _ = writeln!(w, "## Machine\n");
    let _ = writeln!(w, "| | |\n| --- | --- |");
    let _ = writeln!(w, "| CPU | {} |", machine.cpu);
    let _ = writeln!(w, "| cores | {} |", machine.cores);
    let _ = writeln!(w, "| memory | {:.1} GiB |", machine.memory_gib);
    let _ = writeln!(w, "| kernel | Linux {} |", machine.kernel);
    let _ = writeln!(w, "| compiler | {} |", machine.rustc);
    let _ = writeln!(w);

    let _ = writeln!(w, "## Per-operation cost (criterion)\n");
    if !router_added(criterion).is_empty() {
        let _ = writeln!(
            w,
            "The router's rows send through an in-process member that answers at once, alone \
             and through the router: the difference is what routing adds (the recipient's \
             country, the route, the receipt and its span). `router country` times the country \
             lookup alone, the full `phonenumber::parse` beside the router's own.\n"
        );
    }
    let _ = writeln!(
        w,
        "| operation | mean time | target |\n| --- | ---: | --- |"
    );
    let router = router_added(criterion);
    for bench in criterion {
        let added = bench
            .id
            .strip_prefix(ROUTER_THROUGH)
            .and_then(|case| router.iter().find(|(c, _)| c == case));
        let target = if bench.id.contains("build+sign") {
            format!("< 10 µs: {}", met(bench.mean_ns < BUILD_SIGN_TARGET_NS))
        } else if let Some((_, added)) = added {
            format!(
                "adds {} to the member alone; < 2 µs: {}",
                duration(*added),
                met(*added < ROUTER_ADDED_TARGET_NS)
            )
        } else {
            String::new()
        };
        let _ = writeln!(
            w,
            "| {} | {} | {target} |",
            bench.id,
            duration(bench.mean_ns)
        );
    }
    let _ = writeln!(w);

    let _ = writeln!(w, "## Load: N = {n} messages, concurrency {concurrency}\n");
    let _ = writeln!(
        w,
        "![Messages per second of each connector beside its floor](benchmarks.svg)\n"
    );
    let _ = writeln!(
        w,
        "The median of {rounds} round{} by throughput; peak memory and connections are the \
         largest of any round, and every round must deliver exactly N messages. *CPU vs floor* \
         is the median over rounds of the connector's CPU per message over the floor's in the \
         same round (the two run back to back, so a machine that speeds up or slows down \
         between rounds moves both).\n",
        if rounds == 1 { "" } else { "s" }
    );
    let _ = writeln!(
        w,
        "| connector | client | messages/s | p50 | p99 | CPU per message | peak RSS | connections opened | accepted | of the floor | CPU vs floor |"
    );
    let _ = writeln!(
        w,
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    );
    for provider in providers(load) {
        let name = provider["provider"].as_str().unwrap_or_default();
        for (client, key) in [
            ("connector", "connector"),
            ("bare reqwest (floor)", "floor"),
        ] {
            let phase = &provider[key];
            let (ratio, cpu) = if key == "connector" {
                (
                    format!("{:.1}%", f64_at(provider, "ratio") * 100.0),
                    format!("{:.2}×", cpu_ratio(provider)),
                )
            } else {
                (String::new(), String::new())
            };
            let _ = writeln!(
                w,
                "| {} | {client} | {:.0} | {:.2} ms | {:.2} ms | {:.1} µs | {:.1} MiB | {} | {} / {n}{} | {ratio} | {cpu} |",
                if key == "connector" { name } else { "" },
                f64_at(phase, "messagesPerSecond"),
                f64_at(phase, "p50Ms"),
                f64_at(phase, "p99Ms"),
                f64_at(phase, "cpuUsPerMessage"),
                f64_at(phase, "peakRssMib"),
                u64_at(phase, "connections"),
                u64_at(phase, "accepted"),
                if phase["exact"].as_bool() == Some(true) {
                    ""
                } else {
                    " **(not exact)**"
                },
            );
        }
    }
    let _ = writeln!(w);
    let _ = writeln!(
        w,
        "The floor's peak memory includes its N pre-built requests, held before sending.\n"
    );

    let _ = writeln!(w, "## Targets\n");
    let _ = writeln!(w, "| target | measured | |\n| --- | --- | --- |");
    let build_sign: Vec<&Criterion> = criterion
        .iter()
        .filter(|c| c.id.contains("build+sign"))
        .collect();
    let _ = writeln!(
        w,
        "| build and sign one request in under 10 µs, each provider | {} | {} |",
        build_sign
            .iter()
            .map(|c| format!(
                "{} {}",
                c.id.split(' ').next().unwrap_or_default(),
                duration(c.mean_ns)
            ))
            .collect::<Vec<_>>()
            .join(", "),
        met(!build_sign.is_empty() && build_sign.iter().all(|c| c.mean_ns < BUILD_SIGN_TARGET_NS))
    );
    if !router.is_empty() {
        let _ = writeln!(
            w,
            "| the router adds under 2 µs per message on every success path | {} | {} |",
            router
                .iter()
                .map(|(case, added)| format!("{case}: {}", duration(*added)))
                .collect::<Vec<_>>()
                .join(", "),
            met(router
                .iter()
                .all(|(_, added)| *added < ROUTER_ADDED_TARGET_NS))
        );
    }
    for provider in providers(load) {
        let ratio = f64_at(provider, "ratio");
        let _ = writeln!(
            w,
            "| {} throughput at least 80% of the floor's | {:.1}% | {} |",
            provider["provider"].as_str().unwrap_or_default(),
            ratio * 100.0,
            met(ratio >= RATIO_TARGET)
        );
    }
    for provider in providers(load) {
        let ratio = cpu_ratio(provider);
        let _ = writeln!(
            w,
            "| {} CPU per message at most {CPU_RATIO_TARGET}× the floor's | {ratio:.2}× | {} |",
            provider["provider"].as_str().unwrap_or_default(),
            met(ratio <= CPU_RATIO_TARGET)
        );
    }
    let rss: Vec<(String, f64)> = providers(load)
        .iter()
        .map(|p| {
            (
                p["provider"].as_str().unwrap_or_default().to_owned(),
                f64_at(&p["connector"], "peakRssMib"),
            )
        })
        .collect();
    let _ = writeln!(
        w,
        "| peak memory of the sending process under 30 MiB | {} | {} |",
        rss.iter()
            .map(|(p, mib)| format!("{p} {mib:.1} MiB"))
            .collect::<Vec<_>>()
            .join(", "),
        met(!rss.is_empty() && rss.iter().all(|(_, mib)| *mib < RSS_TARGET_MIB))
    );
    let exact = load["exact"].as_bool() == Some(true);
    let _ = writeln!(
        w,
        "| no message lost or duplicated: exactly N accepted and logged, once per recipient, every round | {} | {} |",
        if exact {
            format!("{n} of {n} in every round of every phase")
        } else {
            "see the table".to_owned()
        },
        met(exact)
    );
    let most = providers(load)
        .iter()
        .map(|p| u64_at(&p["connector"], "connections"))
        .max()
        .unwrap_or(0);
    let _ = writeln!(
        w,
        "| connection reuse: far fewer connections than messages (at most one per ten) | at most {most} for {n} messages | {} |",
        met(most * 10 <= n)
    );
    out
}

/// What the router adds per message in each case its bench measures: the mean through the
/// router less the mean of the same member alone, in the order of the page.
fn router_added(criterion: &[Criterion]) -> Vec<(String, f64)> {
    criterion
        .iter()
        .filter_map(|through| {
            let case = through.id.strip_prefix(ROUTER_THROUGH)?;
            let alone = criterion
                .iter()
                .find(|c| c.id.strip_prefix(ROUTER_ALONE) == Some(case))?;
            Some((case.to_owned(), through.mean_ns - alone.mean_ns))
        })
        .collect()
}

/// `docs/benchmarks.svg`: messages per second of each connector beside its floor.
fn chart(load: &Value) -> String {
    const WIDTH: f64 = 720.0;
    const HEIGHT: f64 = 400.0;
    const LEFT: f64 = 80.0;
    const RIGHT: f64 = 20.0;
    const TOP: f64 = 60.0;
    const BOTTOM: f64 = 80.0;
    const CONNECTOR: &str = "#4c78a8";
    const FLOOR: &str = "#b8b8b8";
    let providers = providers(load);
    let max = providers
        .iter()
        .flat_map(|p| {
            [
                f64_at(&p["connector"], "messagesPerSecond"),
                f64_at(&p["floor"], "messagesPerSecond"),
            ]
        })
        .fold(1.0, f64::max);
    let step = nice_step(max / 5.0);
    // Headroom above the tallest bar for its label.
    let top_value = (max * 1.08 / step).ceil() * step;
    let plot_height = HEIGHT - TOP - BOTTOM;
    let plot_width = WIDTH - LEFT - RIGHT;
    let y = |v: f64| TOP + plot_height * (1.0 - v / top_value);

    let mut svg = String::new();
    let s = &mut svg;
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="12">"#
    );
    let _ = writeln!(
        s,
        "<!-- Generated by `{COMMAND}`; do not edit by hand: run it again. -->"
    );
    let _ = writeln!(
        s,
        r#"<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>"#
    );
    let _ = writeln!(
        s,
        r#"<text x="{}" y="24" text-anchor="middle" font-size="15" font-weight="bold">Messages per second: each connector beside the bare-client floor</text>"#,
        WIDTH / 2.0
    );
    let _ = writeln!(
        s,
        r##"<text x="{}" y="42" text-anchor="middle" fill="#555">N = {} per run, concurrency {}, median of {} rounds; higher is better</text>"##,
        WIDTH / 2.0,
        u64_at(load, "n"),
        u64_at(load, "concurrency"),
        u64_at(load, "rounds")
    );
    let mut tick = 0.0;
    while tick <= top_value + step / 2.0 {
        let ty = y(tick);
        let _ = writeln!(
            s,
            r##"<line x1="{LEFT}" y1="{ty:.1}" x2="{:.1}" y2="{ty:.1}" stroke="#e4e4e4"/>"##,
            WIDTH - RIGHT
        );
        let _ = writeln!(
            s,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"#,
            LEFT - 8.0,
            ty + 4.0,
            thousands(tick)
        );
        tick += step;
    }
    let _ = writeln!(
        s,
        r#"<text x="18" y="{:.1}" text-anchor="middle" transform="rotate(-90 18 {:.1})">messages per second</text>"#,
        TOP + plot_height / 2.0,
        TOP + plot_height / 2.0
    );
    let group = plot_width / providers.len().max(1) as f64;
    let bar = (group / 4.0).min(70.0);
    for (i, provider) in providers.iter().enumerate() {
        let center = LEFT + group * (i as f64 + 0.5);
        for (j, (key, color)) in [("connector", CONNECTOR), ("floor", FLOOR)]
            .into_iter()
            .enumerate()
        {
            let value = f64_at(&provider[key], "messagesPerSecond");
            let x = center - bar - 4.0 + j as f64 * (bar + 8.0);
            let top = y(value);
            let _ = writeln!(
                s,
                r#"<rect x="{x:.1}" y="{top:.1}" width="{bar:.1}" height="{:.1}" fill="{color}"><title>{} {key}: {:.0} messages/s</title></rect>"#,
                TOP + plot_height - top,
                provider["provider"].as_str().unwrap_or_default(),
                value
            );
            let _ = writeln!(
                s,
                r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
                x + bar / 2.0,
                top - 5.0,
                thousands(value)
            );
        }
        let _ = writeln!(
            s,
            r#"<text x="{center:.1}" y="{:.1}" text-anchor="middle" font-weight="bold">{}</text>"#,
            TOP + plot_height + 20.0,
            provider["provider"].as_str().unwrap_or_default()
        );
        let _ = writeln!(
            s,
            r##"<text x="{center:.1}" y="{:.1}" text-anchor="middle" fill="#555">{:.1}% of the floor</text>"##,
            TOP + plot_height + 38.0,
            f64_at(provider, "ratio") * 100.0
        );
    }
    let _ = writeln!(
        s,
        r##"<line x1="{LEFT}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="#333"/>"##,
        TOP + plot_height,
        WIDTH - RIGHT,
        TOP + plot_height
    );
    let legend_y = HEIGHT - 12.0;
    for (k, (label, color)) in [
        ("connector (SmsConnector::send_message)", CONNECTOR),
        ("floor (bare reqwest, pre-built requests)", FLOOR),
    ]
    .into_iter()
    .enumerate()
    {
        let x = LEFT + k as f64 * 300.0;
        let _ = writeln!(
            s,
            r#"<rect x="{x:.1}" y="{:.1}" width="12" height="12" fill="{color}"/>"#,
            legend_y - 10.0
        );
        let _ = writeln!(
            s,
            r#"<text x="{:.1}" y="{legend_y:.1}">{label}</text>"#,
            x + 18.0
        );
    }
    let _ = writeln!(s, "</svg>");
    svg
}

/// The smallest of 1, 2, 2.5 and 5 times a power of ten that is at least `raw`.
fn nice_step(raw: f64) -> f64 {
    let magnitude = 10f64.powf(raw.max(1.0).log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .map(|m| m * magnitude)
        .find(|&step| step >= raw)
        .unwrap_or(10.0 * magnitude)
}

/// A whole number with thin-space thousands separators, e.g. `42 500`.
fn thousands(value: f64) -> String {
    let digits = format!("{:.0}", value.max(0.0));
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push('\u{2009}');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cpu_ratio_is_the_connectors_over_the_floors() {
        let provider = serde_json::json!({
            "connector": {"cpuUsPerMessage": 23.0},
            "floor": {"cpuUsPerMessage": 20.0},
        });
        assert!((cpu_ratio(&provider) - 1.15).abs() < 1e-9);
        assert!(cpu_ratio(&serde_json::json!({})).is_infinite());
        let paired = serde_json::json!({"cpuRatio": 1.05, "connector": {"cpuUsPerMessage": 30.0}, "floor": {"cpuUsPerMessage": 20.0}});
        assert!((cpu_ratio(&paired) - 1.05).abs() < 1e-9);
    }

    #[test]
    fn steps_are_round() {
        assert_eq!(nice_step(9_000.0), 10_000.0);
        assert_eq!(nice_step(12_000.0), 20_000.0);
        assert_eq!(nice_step(2_100.0), 2_500.0);
        assert_eq!(thousands(42_947.4), "42\u{2009}947");
        assert_eq!(thousands(950.0), "950");
    }

    fn criterion(id: &str, mean_ns: f64) -> Criterion {
        Criterion {
            id: id.to_owned(),
            mean_ns,
        }
    }

    fn machine() -> Machine {
        Machine {
            cpu: "test".into(),
            cores: 2,
            memory_gib: 1.0,
            kernel: "6".into(),
            rustc: "rustc".into(),
        }
    }

    /// The router's pairs give its added cost in the table and a target row; the page
    /// without router numbers has neither.
    #[test]
    fn the_page_shows_what_the_router_adds() {
        let load = serde_json::json!({"n": 10, "concurrency": 1, "rounds": 1, "exact": true, "providers": []});
        let results = [
            criterion("aliyun build+sign request", 4_000.0),
            criterion("router country/+1 US, from the metadata", 210.0),
            criterion("router/member alone, CN +86 (one country per code)", 250.0),
            criterion("router/member alone, US +1 (shared code)", 250.0),
            criterion(
                "router/through the router, CN +86 (one country per code)",
                550.0,
            ),
            criterion("router/through the router, US +1 (shared code)", 2_750.0),
        ];
        let page = page(&machine(), &results, &load, false);
        assert_eq!(page, super::page(&machine(), &results, &load, false));
        for line in [
            "| router/through the router, CN +86 (one country per code) | 550 ns | adds 300 ns to the member alone; < 2 µs: met |",
            "| router/through the router, US +1 (shared code) | 2.75 µs | adds 2.50 µs to the member alone; < 2 µs: **missed** |",
            "| router/member alone, US +1 (shared code) | 250 ns |  |",
            "| router country/+1 US, from the metadata | 210 ns |  |",
            "| the router adds under 2 µs per message on every success path | CN +86 (one country per code): 300 ns, US +1 (shared code): 2.50 µs | **missed** |",
        ] {
            assert!(page.contains(line), "{line}\n{page}");
        }
        let without = page_without_router(&load);
        assert!(!without.contains("router"), "{without}");
    }

    fn page_without_router(load: &Value) -> String {
        page(
            &machine(),
            &[criterion("aliyun build+sign request", 4_000.0)],
            load,
            false,
        )
    }

    /// Lone benchmarks and a group's benchmarks (the router's) are both read; stale ones
    /// are not.
    #[test]
    fn criterion_results_are_read_from_groups_too() {
        let root = std::env::temp_dir().join(format!("xtask-bench-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let write = |folder: &str, id: &str, mean: f64| {
            let new = root.join("criterion").join(folder).join("new");
            std::fs::create_dir_all(&new).unwrap();
            std::fs::write(
                new.join("benchmark.json"),
                serde_json::json!({"full_id": id}).to_string(),
            )
            .unwrap();
            std::fs::write(
                new.join("estimates.json"),
                serde_json::json!({"mean": {"point_estimate": mean}}).to_string(),
            )
            .unwrap();
        };
        write("render template", "render template", 183.0);
        write(
            "router/member alone, CN +86",
            "router/member alone, CN +86",
            250.0,
        );
        write(
            "router/through the router, CN +86",
            "router/through the router, CN +86",
            550.0,
        );
        std::fs::create_dir_all(root.join("criterion").join("router").join("report")).unwrap();
        let read = read_criterion(&root, SystemTime::UNIX_EPOCH).unwrap();
        let ids: Vec<(&str, f64)> = read.iter().map(|c| (c.id.as_str(), c.mean_ns)).collect();
        assert_eq!(
            ids,
            [
                ("render template", 183.0),
                ("router/member alone, CN +86", 250.0),
                ("router/through the router, CN +86", 550.0),
            ]
        );
        let later = SystemTime::now() + std::time::Duration::from_secs(3600);
        assert!(read_criterion(&root, later).is_err());
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn the_chart_is_deterministic_and_well_formed() {
        let load = serde_json::json!({
            "n": 100, "concurrency": 8, "rounds": 1, "exact": true,
            "providers": [{
                "provider": "twilio", "ratio": 0.5,
                "connector": {"messagesPerSecond": 1000.0},
                "floor": {"messagesPerSecond": 2000.0}
            }]
        });
        let svg = chart(&load);
        assert_eq!(svg, chart(&load));
        assert!(svg.starts_with("<svg ") && svg.ends_with("</svg>\n"));
        assert!(svg.contains("50.0% of the floor"));
    }
}
