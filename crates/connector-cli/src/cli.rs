//! Argument parsing and the commands.

use std::ffi::OsString;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use connector_kit::{ConnectorError, ConnectorFactory, Registry, TemplateType};
use connector_simulator::{
    Credentials, DEFAULT_BASE_PORT, ProviderApi, Simulator, SimulatorConfig,
};
use connectors::{catalog_entry, registry};
use serde_json::{Map, Value, json};

use crate::exit::{EXIT_CODES_HELP, EXIT_INVALID, EXIT_USAGE, Failure};
use crate::input::{read_json, source_name};
use crate::output::{Output, count, terminal_colours};

/// Send one-time codes by SMS through Twilio, Aliyun and Tencent Cloud.
#[derive(Debug, Parser)]
#[command(name = "sms-connector", version, about, after_help = EXIT_CODES_HELP)]
pub struct Cli {
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// The help of `--type`: every usage type (a test checks that the list is complete).
pub const USAGE_TYPE_HELP: &str = "The usage type, which picks the template: SignIn, Register, \
ForgotPassword, OrganizationInvitation, Generic, UserPermissionValidation, BindNewIdentifier, \
MfaVerification, BindMfa, or the deprecated Continue and Test. A usage type without a template \
of its own uses Generic.";

/// The commands. With `--json`, each answers one JSON document on stdout, success or failure:
/// `{"ok": true, ...}` or `{"ok": false, "exit", "code", "message", "problems", "warnings"}`.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the built-in connectors.
    List {
        /// Answer in JSON: the connectors as schemas/index.json describes them.
        #[arg(long)]
        json: bool,
    },
    /// Print a connector's config JSON Schema.
    Schema {
        /// Connector id or target, e.g. `twilio-sms`.
        connector: String,
        /// Answer in JSON: `{"ok": true, "connector": ..., "schema": ...}`.
        #[arg(long)]
        json: bool,
    },
    /// Check a config and print every problem and warning; exits 0 when it is valid, even
    /// with warnings (unknown keys, deprecated usage types), unless `--strict`.
    #[command(after_help = EXIT_CODES_HELP)]
    Validate {
        /// Connector id or target.
        connector: String,
        /// The config JSON file, or `-` for standard input.
        config: PathBuf,
        /// Treat warnings as errors.
        #[arg(long)]
        strict: bool,
        /// Answer in JSON.
        #[arg(long)]
        json: bool,
    },
    /// Send one message, or print the request with `--dry-run`.
    #[command(after_help = EXIT_CODES_HELP)]
    Send(SendArgs),
    /// Show what a message would be: the rendered text, its encoding (GSM-7 or UCS-2) and SMS
    /// segments, and the request. Sends nothing.
    #[command(after_help = EXIT_CODES_HELP)]
    Preview(PreviewArgs),
    /// Run the offline provider simulator (Twilio, Aliyun, Tencent) until Ctrl-C.
    Simulate(SimulateArgs),
    /// Run a local web console: choose a connector, read its README, fill its form, send a
    /// test message and save; one SMS connector is active at a time.
    Console(crate::console::ConsoleArgs),
    /// Send one verification code through each connector to an in-process simulator, with
    /// the example configs, and show each message arrive. Needs no account and no network.
    Demo {
        /// Answer in JSON.
        #[arg(long)]
        json: bool,
    },
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
    /// A JSON file of credentials to accept instead of the defaults, e.g.
    /// {"twilio": {"accountSid": "AC...", "authToken": "..."}}.
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
    /// Print JSON lines: one with the endpoints, then one per accepted message.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `send`.
#[derive(Debug, clap::Args)]
pub struct SendArgs {
    /// Connector id or target.
    pub connector: String,
    /// The config JSON file, or `-` for standard input.
    #[arg(long)]
    pub config: PathBuf,
    /// The recipient's phone number, e.g. +14155550100.
    #[arg(long)]
    pub to: String,
    /// The usage type (its help is [`USAGE_TYPE_HELP`]).
    #[arg(long = "type", value_name = "TYPE", default_value = "Generic", value_parser = parse_usage_type, help = USAGE_TYPE_HELP)]
    pub usage_type: TemplateType,
    /// The verification code; a random six-digit code when omitted.
    #[arg(long)]
    pub code: Option<String>,
    /// Extra payload values, as `key=value`; repeatable. The code is set with `--code`.
    #[arg(long = "payload", value_name = "KEY=VALUE")]
    pub payload: Vec<String>,
    /// Overrides the config's endpoint.
    #[arg(long)]
    pub endpoint: Option<String>,
    /// Print the signed request (secrets redacted) instead of sending it.
    #[arg(long)]
    pub dry_run: bool,
    /// Answer in JSON: the receipt, the request or the error.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `preview`.
#[derive(Debug, clap::Args)]
pub struct PreviewArgs {
    /// Connector id or target.
    pub connector: String,
    /// The config JSON file, or `-` for standard input.
    #[arg(long)]
    pub config: PathBuf,
    /// The usage type (its help is [`USAGE_TYPE_HELP`]).
    #[arg(long = "type", value_name = "TYPE", default_value = "Generic", value_parser = parse_usage_type, help = USAGE_TYPE_HELP)]
    pub usage_type: TemplateType,
    /// The locale of the message (`payload.locale`), e.g. zh-CN.
    #[arg(long)]
    pub locale: Option<String>,
    /// The verification code to render.
    #[arg(long, default_value = "123456")]
    pub code: String,
    /// The recipient, which decides the template for connectors with mainland China and
    /// overseas templates.
    #[arg(long, default_value = "+14155550100")]
    pub to: String,
    /// Answer in JSON.
    #[arg(long)]
    pub json: bool,
}

/// `--type`: a usage type, current or deprecated, or a usage error naming the closest.
fn parse_usage_type(text: &str) -> Result<TemplateType, String> {
    text.parse::<TemplateType>()
        .map_err(|e: ConnectorError| e.message().to_owned())
}

/// Parses the arguments and runs the command, printing to stdout and stderr.
pub fn main(args: impl IntoIterator<Item = OsString>) -> ExitCode {
    let args: Vec<OsString> = args.into_iter().collect();
    let json = args.iter().skip(1).any(|a| a == "--json");
    let (colour_out, colour_err) = terminal_colours();
    // Not locked for the whole run: the simulator prints from its own threads meanwhile.
    let mut stdout = std::io::stdout();
    let mut stderr = std::io::stderr();
    let mut output = Output {
        out: &mut stdout,
        err: &mut stderr,
        json,
        colour_out,
        colour_err,
    };
    let cli = match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => {
            // --help and --version.
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            if json {
                let text = e.to_string();
                let first = text.lines().next().unwrap_or_default();
                output.failure(&Failure::usage(
                    first.strip_prefix("error: ").unwrap_or(first),
                ));
            } else {
                let _ = e.print();
            }
            return ExitCode::from(EXIT_USAGE);
        }
    };
    match run(cli.command, &mut output) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            if !failure.reported {
                output.failure(&failure);
            }
            ExitCode::from(failure.exit)
        }
    }
}

/// The factory of `name`, or a usage error naming the closest connector.
pub fn find<'r>(registry: &'r Registry, name: &str) -> Result<&'r dyn ConnectorFactory, Failure> {
    registry
        .require(name)
        .map_err(|e| Failure::new(EXIT_USAGE, "unknown_connector", e.message()))
}

/// Runs a command, writing its answer to `output`. A failure is returned, not printed.
pub fn run(command: Command, output: &mut Output<'_>) -> Result<(), Failure> {
    let registry = registry();
    match command {
        Command::List { .. } => list(&registry, output),
        Command::Schema { connector, .. } => {
            let factory = find(&registry, &connector)?;
            if output.json {
                output.document(&json!({
                    "ok": true,
                    "connector": factory.target(),
                    "schema": factory.config_schema(),
                }))
            } else {
                output.document(factory.config_schema())
            }
        }
        Command::Validate {
            connector,
            config,
            strict,
            ..
        } => validate(find(&registry, &connector)?, &config, strict, output),
        Command::Send(args) => crate::send::run(find(&registry, &args.connector)?, args, output),
        Command::Preview(args) => {
            crate::send::preview(find(&registry, &args.connector)?, args, output)
        }
        Command::Simulate(args) => simulate(args, output),
        Command::Console(args) => crate::console::run(args, output),
        Command::Demo { .. } => crate::demo::run(&registry, output),
    }
}

fn list(registry: &Registry, output: &mut Output<'_>) -> Result<(), Failure> {
    if output.json {
        let connectors: Vec<Value> = registry.iter().map(catalog_entry).collect();
        return output.document(&json!({"ok": true, "connectors": connectors}));
    }
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
    write_table(output.out, ["ID", "TARGET", "NAME"], &rows).map_err(Failure::io)
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

/// The failure of a config that does not validate, headed by where it came from.
pub fn invalid_config(source: &str, error: &ConnectorError) -> Failure {
    let mut failure = Failure::connector(EXIT_INVALID, error);
    if !failure.problems.is_empty() {
        failure.message = format!(
            "{source} is not a valid config ({}):",
            count(failure.problems.len(), "problem")
        );
    }
    failure
}

fn validate(
    factory: &dyn ConnectorFactory,
    path: &std::path::Path,
    strict: bool,
    output: &mut Output<'_>,
) -> Result<(), Failure> {
    let source = source_name(path);
    let config = read_json(path)?;
    let warnings = factory
        .validate_config(&config)
        .map_err(|e| invalid_config(&source, &e))?;
    if strict && !warnings.is_empty() {
        let mut failure = invalid_config(&source, &ConnectorError::from_warnings(&warnings));
        failure.message = format!(
            "{source} is not a valid config with --strict ({}):",
            count(warnings.len(), "problem")
        );
        return Err(failure);
    }
    if output.json {
        return output.document(&json!({
            "ok": true,
            "connector": factory.target(),
            "valid": true,
            "warnings": warnings,
        }));
    }
    output.warnings(&warnings)?;
    if warnings.is_empty() {
        output.success("valid", "")
    } else {
        output.success("valid", &format!(" ({})", count(warnings.len(), "warning")))
    }
}

fn simulate(args: SimulateArgs, output: &mut Output<'_>) -> Result<(), Failure> {
    let credentials = match &args.credentials {
        Some(path) => {
            // Read as configs are read: bounded, byte order mark skipped.
            let value = read_json(path)?;
            Credentials::from_json(value).map_err(|e| {
                Failure::invalid(
                    "invalid_input",
                    format!("{} is not a valid credentials file: {e}", source_name(path)),
                )
            })?
        }
        None => Credentials::default(),
    };
    let config = SimulatorConfig {
        host: args.host,
        base_port: args.port,
        credentials,
        log_file: args.log.clone(),
        echo: !args.quiet,
        echo_json: args.json,
        slow_delay: std::time::Duration::from_millis(args.slow_ms),
    };
    let runtime = crate::exit::runtime(2)?;
    runtime.block_on(async {
        let simulator = Simulator::start(config)
            .await
            .map_err(|e| Failure::new(1, "io", e.to_string()))?;
        if args.json {
            let endpoints: Map<String, Value> = ProviderApi::ALL
                .iter()
                .map(|p| (p.as_str().to_owned(), Value::String(simulator.endpoint(*p))))
                .collect();
            let line = json!({"ok": true, "simulator": endpoints});
            writeln!(output.out, "{line}").map_err(Failure::io)?;
        } else {
            output.line("sms-connector provider simulator")?;
            for provider in ProviderApi::ALL {
                output.line(&format!(
                    "  {:<8} {:<24} {}",
                    provider.as_str(),
                    simulator.endpoint(provider),
                    provider.route()
                ))?;
            }
            match &args.credentials {
                Some(path) => output.line(&format!("credentials: from {}", path.display()))?,
                None => output.line("credentials: the defaults, as in examples/*.json")?,
            }
            if let Some(path) = &args.log {
                output.line(&format!(
                    "log: appending accepted messages to {}",
                    path.display()
                ))?;
            }
            output.line("admin (on each port): GET /__admin/messages, GET /__admin/stats, GET|POST|DELETE /__admin/faults, POST /__admin/reset")?;
            output.line("Press Ctrl-C to stop.")?;
        }
        output.out.flush().map_err(Failure::io)?;
        tokio::signal::ctrl_c()
            .await
            .map_err(|e| Failure::new(1, "io", format!("cannot wait for Ctrl-C: {e}")))?;
        simulator.shutdown();
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_type_help_lists_every_usage_type() {
        for t in TemplateType::ALL
            .into_iter()
            .chain(TemplateType::DEPRECATED)
        {
            assert!(USAGE_TYPE_HELP.contains(t.as_str()), "{t}");
        }
    }

    #[test]
    fn usage_types_suggest_the_closest() {
        assert_eq!(parse_usage_type("SignIn"), Ok(TemplateType::SignIn));
        let error = parse_usage_type("signin").unwrap_err();
        assert!(error.contains("(did you mean \"SignIn\"?)"), "{error}");
    }

    #[test]
    fn the_command_is_well_formed() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
