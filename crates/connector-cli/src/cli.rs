//! Argument parsing and the commands.

use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use connector_kit::{
    ConnectorError, ConnectorFactory, SendMessageData, SendMessagePayload, TemplateType,
};
use connector_simulator::{
    Credentials, DEFAULT_BASE_PORT, ProviderApi, Simulator, SimulatorConfig,
};
use connectors::registry;
use serde_json::{Value, json};

use crate::exit::{EXIT_INVALID, EXIT_SEND_FAILED, Failure};
use crate::input::read_json;

/// Send one-time codes by SMS through Twilio, Aliyun and Tencent Cloud.
#[derive(Debug, Parser)]
#[command(name = "sms-connector", version, about)]
pub struct Cli {
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the built-in connectors.
    List {
        /// Print the metadata of each connector as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Print a connector's config JSON Schema.
    Schema {
        /// Connector id or target, e.g. `twilio-sms`.
        connector: String,
    },
    /// Check a config file and print every problem.
    Validate {
        /// Connector id or target.
        connector: String,
        /// The config JSON file.
        config: PathBuf,
    },
    /// Send one message, or print the request with `--dry-run`.
    Send(SendArgs),
    /// Run the offline provider simulator (Twilio, Aliyun, Tencent) until Ctrl-C.
    Simulate(SimulateArgs),
    /// Send one verification code through each connector to an in-process simulator, with
    /// the example configs, and show each message arrive. Needs no account and no network.
    Demo,
}

/// Arguments of `simulate`.
#[derive(Debug, clap::Args)]
pub struct SimulateArgs {
    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: std::net::IpAddr,
    /// Twilio's port; Aliyun and Tencent use the next two. 0 picks free ports.
    #[arg(long, default_value_t = DEFAULT_BASE_PORT)]
    pub port: u16,
    /// A JSON file of credentials to accept instead of the defaults (see SIMULATOR.md).
    #[arg(long, value_name = "FILE")]
    pub credentials: Option<PathBuf>,
    /// Append each accepted message to this file, as one JSON line.
    #[arg(long, value_name = "FILE")]
    pub log: Option<PathBuf>,
    /// Do not print a line per accepted message.
    #[arg(long)]
    pub quiet: bool,
    /// How long the `slow` fault waits before answering, in milliseconds.
    #[arg(long, default_value_t = 30_000, value_name = "MS")]
    pub slow_ms: u64,
}

/// Arguments of `send`.
#[derive(Debug, clap::Args)]
pub struct SendArgs {
    /// Connector id or target.
    pub connector: String,
    /// The config JSON file.
    #[arg(long)]
    pub config: PathBuf,
    /// The recipient's phone number.
    #[arg(long)]
    pub to: String,
    /// The usage type, which picks the template.
    #[arg(long = "type", default_value = "Generic")]
    pub usage_type: String,
    /// The verification code; a random six-digit code when omitted.
    #[arg(long)]
    pub code: Option<String>,
    /// Extra payload values, as `key=value`; repeatable.
    #[arg(long = "payload", value_name = "KEY=VALUE")]
    pub payload: Vec<String>,
    /// Overrides the config's endpoint.
    #[arg(long)]
    pub endpoint: Option<String>,
    /// Print the signed request (secrets redacted) instead of sending it.
    #[arg(long)]
    pub dry_run: bool,
    /// Print the receipt or error as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Parses the arguments and runs the command, printing to stdout and stderr.
pub fn main(args: impl IntoIterator<Item = OsString>) -> ExitCode {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { EXIT_INVALID } else { 0 });
        }
    };
    // Not locked for the whole run: the simulator prints from its own threads meanwhile.
    let mut stdout = std::io::stdout();
    match run(cli.command, &mut stdout) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("{}", failure.message);
            ExitCode::from(failure.exit)
        }
    }
}

/// Runs a command, writing its output to `out`.
pub fn run(command: Command, out: &mut dyn Write) -> Result<(), Failure> {
    let registry = registry();
    let find = |name: &str| {
        registry
            .require(name)
            .map_err(|e| Failure::invalid(format!("error: {e}")))
    };
    let written = match command {
        Command::List { json } => {
            if json {
                let all: Vec<Value> = registry
                    .iter()
                    .map(|f| serde_json::to_value(f.metadata()).unwrap_or(Value::Null))
                    .collect();
                writeln!(out, "{}", pretty(&Value::Array(all)))
            } else {
                let rows: Vec<[String; 3]> = registry
                    .iter()
                    .map(|f| {
                        [
                            f.id().to_owned(),
                            f.target().to_owned(),
                            f.metadata().name.en.clone(),
                        ]
                    })
                    .collect();
                write_table(out, ["ID", "TARGET", "NAME"], &rows)
            }
        }
        Command::Schema { connector } => {
            writeln!(out, "{}", pretty(find(&connector)?.config_schema()))
        }
        Command::Validate { connector, config } => {
            let factory = find(&connector)?;
            let value = read_json(&config)?;
            factory
                .validate_config(&value)
                .map_err(|e| invalid_config(&config, &e))?;
            writeln!(out, "valid")
        }
        Command::Send(args) => {
            let factory = find(&args.connector)?;
            return send(factory, args, out);
        }
        Command::Simulate(args) => return simulate(args, out),
        Command::Demo => return crate::demo::run(&registry, out),
    };
    written.map_err(|e| Failure::invalid(format!("error: could not write the output: {e}")))
}

fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}

fn write_table<const N: usize>(
    out: &mut dyn Write,
    head: [&str; N],
    rows: &[[String; N]],
) -> std::io::Result<()> {
    let mut widths = head.map(str::len);
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        cells
            .iter()
            .zip(widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect::<Vec<_>>()
            .join("  ")
            .trim_end()
            .to_owned()
    };
    writeln!(out, "{}", line(head.to_vec()))?;
    for row in rows {
        writeln!(out, "{}", line(row.iter().map(String::as_str).collect()))?;
    }
    Ok(())
}

fn invalid_config(path: &Path, error: &ConnectorError) -> Failure {
    let problems = &error.details().problems;
    if problems.is_empty() {
        return Failure::invalid(format!("error[{}]: {error}", error.code()));
    }
    let mut message = format!(
        "{} is not a valid config ({} problems):",
        path.display(),
        problems.len()
    );
    for problem in problems {
        message.push('\n');
        message.push_str(&problem.to_string());
    }
    Failure::invalid(message)
}

fn random_code() -> String {
    format!("{:06}", uuid::Uuid::new_v4().as_u128() % 1_000_000)
}

fn build_message(args: &SendArgs) -> Result<SendMessageData, Failure> {
    let template_type: TemplateType = args
        .usage_type
        .parse()
        .map_err(|e: ConnectorError| Failure::invalid(format!("error: --type: {e}")))?;
    let mut payload = SendMessagePayload::with_code(args.code.clone().unwrap_or_else(random_code));
    for pair in &args.payload {
        let (key, value) = pair
            .split_once('=')
            .filter(|(k, _)| !k.is_empty())
            .ok_or_else(|| {
                Failure::invalid(format!("error: --payload {pair:?} is not key=value"))
            })?;
        let value = value.to_owned();
        match key {
            "code" => payload.code = Some(value),
            "link" => payload.link = Some(value),
            "locale" => payload.locale = Some(value),
            "uiLocales" => payload.ui_locales = Some(value),
            other => {
                payload.extra.insert(other.to_owned(), Value::String(value));
            }
        }
    }
    Ok(SendMessageData {
        to: args.to.clone(),
        template_type,
        payload,
        ip: None,
    })
}

fn send(
    factory: &dyn ConnectorFactory,
    args: SendArgs,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let mut config = read_json(&args.config)?;
    if let Some(endpoint) = &args.endpoint {
        match config.as_object_mut() {
            Some(object) => {
                object.insert("endpoint".to_owned(), Value::String(endpoint.clone()));
            }
            None => {
                return Err(Failure::invalid(format!(
                    "error: {} is not a JSON object",
                    args.config.display()
                )));
            }
        }
    }
    let connector = factory
        .create(&config)
        .map_err(|e| invalid_config(&args.config, &e))?;
    let data = build_message(&args)?;
    let io =
        |e: std::io::Error| Failure::invalid(format!("error: could not write the output: {e}"));

    let fail = |error: ConnectorError| -> Failure {
        let message = if args.json {
            pretty(&json!({
                "ok": false,
                "code": error.code(),
                "message": error.message(),
                "details": error.details(),
                "retryable": error.is_retryable(),
            }))
        } else {
            let mut text = format!("error[{}]: {error}", error.code());
            let details = error.details();
            if let Some(code) = &details.provider_code {
                text.push_str(&format!("\n  provider code: {code}"));
            }
            if let Some(id) = &details.request_id {
                text.push_str(&format!("\n  request id: {id}"));
            }
            text
        };
        Failure {
            exit: EXIT_SEND_FAILED,
            message,
        }
    };

    if args.dry_run {
        let request = connector.prepare(&data).map_err(fail)?;
        if args.json {
            let headers: Vec<Value> = request
                .headers
                .iter()
                .map(|h| json!({"name": h.name, "value": h.display_value()}))
                .collect();
            let body = request.display_body();
            let value = json!({"method": request.method.as_str(), "url": request.url, "headers": headers, "body": body});
            writeln!(out, "{}", pretty(&value)).map_err(io)?;
        } else {
            writeln!(out, "{request}").map_err(io)?;
        }
        return Ok(());
    }

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::invalid(format!("error: cannot start the async runtime: {e}")))?;
    let receipt = runtime
        .block_on(connector.send_message(&data))
        .map_err(fail)?;
    if args.json {
        let value = json!({"ok": true, "connector": factory.target(), "messageId": receipt.message_id, "requestId": receipt.request_id});
        writeln!(out, "{}", pretty(&value)).map_err(io)?;
    } else {
        write!(
            out,
            "sent via {}: message id {}",
            factory.target(),
            receipt.message_id
        )
        .map_err(io)?;
        if let Some(id) = &receipt.request_id {
            write!(out, ", request id {id}").map_err(io)?;
        }
        writeln!(out).map_err(io)?;
    }
    Ok(())
}

fn simulate(args: SimulateArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let credentials = match &args.credentials {
        Some(path) => {
            Credentials::from_file(path).map_err(|e| Failure::invalid(format!("error: {e}")))?
        }
        None => Credentials::default(),
    };
    let config = SimulatorConfig {
        host: args.host,
        base_port: args.port,
        credentials,
        log_file: args.log.clone(),
        echo: !args.quiet,
        slow_delay: std::time::Duration::from_millis(args.slow_ms),
    };
    let io =
        |e: std::io::Error| Failure::invalid(format!("error: could not write the output: {e}"));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::invalid(format!("error: cannot start the async runtime: {e}")))?;
    runtime.block_on(async {
        let simulator = Simulator::start(config)
            .await
            .map_err(|e| Failure::invalid(format!("error: {e}")))?;
        writeln!(out, "sms-connector provider simulator").map_err(io)?;
        for provider in ProviderApi::ALL {
            writeln!(
                out,
                "  {:<8} {:<24} {}",
                provider.as_str(),
                simulator.endpoint(provider),
                provider.route()
            )
            .map_err(io)?;
        }
        match &args.credentials {
            Some(path) => writeln!(out, "credentials: from {}", path.display()),
            None => writeln!(out, "credentials: the defaults, as in examples/*.json"),
        }
        .map_err(io)?;
        if let Some(path) = &args.log {
            writeln!(out, "log: appending accepted messages to {}", path.display()).map_err(io)?;
        }
        writeln!(
            out,
            "admin (on each port): GET /__admin/messages, GET /__admin/stats, GET|POST|DELETE /__admin/faults, POST /__admin/reset"
        )
        .map_err(io)?;
        writeln!(out, "Press Ctrl-C to stop.").map_err(io)?;
        out.flush().map_err(io)?;
        tokio::signal::ctrl_c()
            .await
            .map_err(|e| Failure::invalid(format!("error: cannot wait for Ctrl-C: {e}")))?;
        simulator.shutdown();
        Ok(())
    })
}
