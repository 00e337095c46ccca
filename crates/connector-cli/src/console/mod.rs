//! `sms-connector console`: a local web console for operators, and the reference for hosts
//! building their own.
//!
//! The flow is Logto's: choose an SMS connector, read its README beside a form generated from
//! its schema, fix what validation points out as you type, send a test message with the
//! `Generic` template, then save; one SMS connector is active at a time, and the others'
//! saved configs stay. The page is plain HTML, CSS and JavaScript embedded in the binary (no
//! build step, no CDN, no network); it talks to the JSON API in [`api`].
//!
//! It handles secrets, so it binds to loopback unless `--host` says otherwise, answers only
//! requests addressed to the host it listens on (a page elsewhere cannot reach it through DNS
//! rebinding, nor post to it from another origin), and never sends a saved secret back.

pub mod api;
pub mod store;

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Bytes;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

use crate::exit::{EXIT_INVALID, EXIT_SEND_FAILED, Failure};
use crate::output::Output;
use api::Console;
use store::Store;

/// The largest request body the console reads.
const MAX_BODY: usize = 1024 * 1024;

/// Arguments of `console`.
#[derive(Debug, clap::Args)]
pub struct ConsoleArgs {
    /// The address to listen on. The console handles secrets: keep it on loopback unless
    /// the network between you and it is yours.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: IpAddr,
    /// The port to listen on; 0 picks a free one.
    #[arg(long, default_value_t = 4000)]
    pub port: u16,
    /// Where saved configs go: `<dir>/<connector-id>.json`, and `active.json`.
    #[arg(long, value_name = "DIR", default_value = "sms-connector-console")]
    pub config_dir: PathBuf,
    /// Send tests to a built-in provider simulator instead of the real providers, and start
    /// unsaved connectors from the example configs.
    #[arg(long)]
    pub simulator: bool,
    /// Print one JSON line on start (the URL, the config folder, the simulator's endpoints).
    #[arg(long)]
    pub json: bool,
}

/// Runs the console until Ctrl-C.
pub fn run(args: ConsoleArgs, output: &mut Output<'_>) -> Result<(), Failure> {
    let store = Store::open(&args.config_dir).map_err(|e| {
        Failure::invalid(
            "unreadable_input",
            format!(
                "cannot use {} as the config folder: {e}",
                args.config_dir.display()
            ),
        )
    })?;
    let runtime = crate::exit::runtime(2)?;
    runtime.block_on(async {
        let simulator = if args.simulator {
            Some(
                connector_simulator::Simulator::start(
                    connector_simulator::SimulatorConfig::ephemeral(),
                )
                .await
                .map_err(|e| {
                    Failure::new(
                        EXIT_SEND_FAILED,
                        "io",
                        format!("cannot start the simulator: {e}"),
                    )
                })?,
            )
        } else {
            None
        };
        let listener = TcpListener::bind(SocketAddr::new(args.host, args.port))
            .await
            .map_err(|e| {
                Failure::new(
                    EXIT_INVALID,
                    "io",
                    format!("cannot listen on {}:{}: {e}", args.host, args.port),
                )
            })?;
        let address = listener
            .local_addr()
            .map_err(|e| Failure::new(EXIT_SEND_FAILED, "io", e.to_string()))?;
        let console = Arc::new(Console::new(connectors::registry(), store, simulator));
        announce(&console, address, &args, output)?;
        let allowed = Arc::new(allowed_hosts(address));
        loop {
            let (stream, _) = tokio::select! {
                accepted = listener.accept() => match accepted {
                    Ok(accepted) => accepted,
                    Err(_) => continue,
                },
                _ = tokio::signal::ctrl_c() => break,
            };
            let console = Arc::clone(&console);
            let allowed = Arc::clone(&allowed);
            tokio::spawn(async move {
                let service = service_fn(move |request| {
                    let console = Arc::clone(&console);
                    let allowed = Arc::clone(&allowed);
                    async move {
                        Ok::<_, std::convert::Infallible>(serve(&console, &allowed, request).await)
                    }
                });
                let _ = http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
        Ok(())
    })
}

fn announce(
    console: &Console,
    address: SocketAddr,
    args: &ConsoleArgs,
    output: &mut Output<'_>,
) -> Result<(), Failure> {
    let url = format!("http://{address}/");
    if output.json {
        let simulator: serde_json::Map<String, serde_json::Value> = console
            .simulator()
            .map(|simulator| {
                connector_simulator::ProviderApi::ALL
                    .iter()
                    .map(|p| (p.as_str().to_owned(), simulator.endpoint(*p).into()))
                    .collect()
            })
            .unwrap_or_default();
        let line = serde_json::json!({
            "ok": true,
            "url": url,
            "configDir": args.config_dir.display().to_string(),
            "simulator": simulator,
        });
        output.line(&line.to_string())?;
    } else {
        output.success("console", &format!(" listening on {url}"))?;
        output.line(&format!("configs: {}", args.config_dir.display()))?;
        if console.simulator().is_some() {
            output.line("test sends go to the built-in provider simulator")?;
        }
        if !address.ip().is_loopback() {
            output.line("warning: listening beyond loopback; the console handles secrets")?;
        }
        output.line("Press Ctrl-C to stop.")?;
    }
    std::io::Write::flush(output.out).map_err(Failure::io)
}

/// The `Host` values the console answers to: its own address, and `localhost` on its port.
fn allowed_hosts(address: SocketAddr) -> Vec<String> {
    let port = address.port();
    let mut hosts = vec![address.to_string(), format!("localhost:{port}")];
    if address.ip().is_loopback() {
        hosts.push(format!("127.0.0.1:{port}"));
        hosts.push(format!("[::1]:{port}"));
    }
    hosts
}

/// Whether a request is addressed to the console itself, from its own page: the `Host` is
/// one it listens on, and an `Origin`, when present, is that host too.
fn addressed_to_us(allowed: &[String], host: Option<&str>, origin: Option<&str>) -> bool {
    let Some(host) = host.filter(|h| allowed.iter().any(|a| a.eq_ignore_ascii_case(h))) else {
        return false;
    };
    origin.is_none_or(|origin| origin.eq_ignore_ascii_case(&format!("http://{host}")))
}

async fn serve(
    console: &Console,
    allowed: &[String],
    request: Request<hyper::body::Incoming>,
) -> Response<Full<Bytes>> {
    let header = |name: &str| {
        request
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let reply = if !addressed_to_us(
        allowed,
        header("host").as_deref(),
        header("origin").as_deref(),
    ) {
        api::Reply {
            status: 403,
            content_type: "application/json; charset=utf-8",
            body: br#"{"ok":false,"code":"forbidden","message":"the console answers only requests addressed to it from its own page"}"#.to_vec(),
        }
    } else {
        let method = request.method().as_str().to_owned();
        let path = request.uri().path().to_owned();
        match Limited::new(request.into_body(), MAX_BODY).collect().await {
            Ok(body) => console.handle(&method, &path, &body.to_bytes()).await,
            Err(_) => api::Reply {
                status: 413,
                content_type: "application/json; charset=utf-8",
                body: br#"{"ok":false,"code":"too_large","message":"the request body is larger than 1 MiB"}"#.to_vec(),
            },
        }
    };
    let mut response = Response::new(Full::new(Bytes::from(reply.body)));
    *response.status_mut() =
        hyper::StatusCode::from_u16(reply.status).unwrap_or(hyper::StatusCode::OK);
    let headers = response.headers_mut();
    let pairs = [
        ("content-type", reply.content_type),
        ("cache-control", "no-store"),
        ("x-content-type-options", "nosniff"),
        ("referrer-policy", "no-referrer"),
        (
            "content-security-policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'",
        ),
    ];
    for (name, value) in pairs {
        if let Ok(value) = hyper::header::HeaderValue::from_str(value) {
            headers.insert(name, value);
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_requests_addressed_to_the_console_are_answered() {
        let allowed = allowed_hosts("127.0.0.1:4000".parse().unwrap());
        assert!(addressed_to_us(&allowed, Some("127.0.0.1:4000"), None));
        assert!(addressed_to_us(
            &allowed,
            Some("localhost:4000"),
            Some("http://localhost:4000")
        ));
        assert!(!addressed_to_us(&allowed, Some("evil.example:4000"), None));
        assert!(!addressed_to_us(&allowed, None, None));
        assert!(!addressed_to_us(
            &allowed,
            Some("127.0.0.1:4000"),
            Some("http://evil.example")
        ));
    }
}
