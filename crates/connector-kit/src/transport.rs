//! The connection layer under [`crate::http::HttpClient`]: hyper's pooled HTTP/1.1 client,
//! rustls with Mozilla's roots, and the proxies of the environment.
//!
//! The kit sends with hyper directly rather than through reqwest (which wraps the same hyper
//! client): per request, reqwest also reparses the URL for its redirect layer, checks its
//! proxy list and merges default headers. That was about 3.5 µs of CPU per request (16.0 µs
//! against 12.6 µs for the same requests, measured once beside the load benchmark's reqwest
//! floor), work that a connector, which never follows redirects, does not need.
//!
//! Proxies: `HTTPS_PROXY`, `ALL_PROXY` and `NO_PROXY` (and their lower-case forms) are read
//! once per client, as curl reads them. An `https://` request to a host they intercept goes
//! through an HTTP `CONNECT` tunnel to the proxy (with the proxy URL's user and password as
//! `Proxy-Authorization`), and TLS runs end to end inside it. Plain `http://` is only ever a
//! loopback endpoint (the simulator, a test), which is never proxied.

use std::error::Error as StdError;
use std::future::Future;
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::{Arc, OnceLock};
use std::task::{Context, Poll};
use std::time::Duration;

use http_body_util::Full;
use hyper::Uri;
use hyper::body::Bytes;
use hyper_rustls::{HttpsConnector, HttpsConnectorBuilder};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::connect::proxy::Tunnel;
use hyper_util::client::proxy::matcher::Matcher;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use tokio::net::TcpStream;

pub(crate) type BoxError = Box<dyn StdError + Send + Sync>;

/// The pooled client every request of one connector goes through.
pub(crate) type Pool = Client<HttpsConnector<Dial>, Full<Bytes>>;

/// How long an idle pooled connection is kept.
const POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(60);
/// TCP keepalive: the idle time before the first probe, and between probes.
const TCP_KEEPALIVE: Duration = Duration::from_secs(15);
/// How long sent data may stay unacknowledged before the kernel drops the connection.
#[cfg(any(target_os = "android", target_os = "fuchsia", target_os = "linux"))]
const TCP_USER_TIMEOUT: Duration = Duration::from_secs(30);

/// Builds the pooled client: connect timeout, `TCP_NODELAY`, rustls for `https://` (plain
/// `http://` is passed through: the endpoint check allows it only on loopback hosts), the
/// environment's proxies.
pub(crate) fn pool(connect_timeout: Duration) -> Result<Pool, rustls::Error> {
    pool_with(connect_timeout, Matcher::from_env())
}

/// The TLS settings every connector shares, built once per process: rustls's safe defaults
/// with its ring provider named explicitly (a host whose build enables a second provider and
/// installs no process default would otherwise make rustls panic), and Mozilla's roots.
fn tls_config() -> Result<rustls::ClientConfig, rustls::Error> {
    static CONFIG: OnceLock<Result<rustls::ClientConfig, rustls::Error>> = OnceLock::new();
    CONFIG
        .get_or_init(|| {
            let roots = rustls::RootCertStore {
                roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
            };
            Ok(rustls::ClientConfig::builder_with_provider(Arc::new(
                rustls::crypto::ring::default_provider(),
            ))
            .with_safe_default_protocol_versions()?
            .with_root_certificates(roots)
            .with_no_client_auth())
        })
        .clone()
}

/// [`pool`] with the proxies given rather than read from the environment (for tests).
pub(crate) fn pool_with(
    connect_timeout: Duration,
    proxies: Matcher,
) -> Result<Pool, rustls::Error> {
    Ok(pool_with_tls(connect_timeout, proxies, tls_config()?))
}

/// [`pool_with`] with these TLS settings (for tests, which trust a test authority).
pub(crate) fn pool_with_tls(
    connect_timeout: Duration,
    proxies: Matcher,
    tls: rustls::ClientConfig,
) -> Pool {
    let mut direct = HttpConnector::new();
    direct.set_connect_timeout(Some(connect_timeout));
    direct.set_nodelay(true);
    // A pooled connection whose peer is gone (a NAT that forgot it) is found by TCP
    // keepalive before a request is written into it, as reqwest's defaults did.
    direct.set_keepalive(Some(TCP_KEEPALIVE));
    direct.set_keepalive_interval(Some(TCP_KEEPALIVE));
    direct.set_keepalive_retries(Some(3));
    #[cfg(any(target_os = "android", target_os = "fuchsia", target_os = "linux"))]
    direct.set_tcp_user_timeout(Some(TCP_USER_TIMEOUT));
    // The TLS layer above decides the scheme; this one only dials.
    direct.enforce_http(false);
    let dial = Dial {
        direct,
        proxies: Arc::new(proxies),
    };
    let tls = HttpsConnectorBuilder::new()
        .with_tls_config(tls)
        .https_or_http()
        .enable_http1()
        .wrap_connector(dial);
    Client::builder(TokioExecutor::new())
        .pool_idle_timeout(POOL_IDLE_TIMEOUT)
        .pool_timer(TokioTimer::new())
        .build(tls)
}

/// Dials a TCP connection to the destination, or through a `CONNECT` tunnel when the
/// environment's proxies intercept it.
#[derive(Clone)]
pub(crate) struct Dial {
    direct: HttpConnector,
    proxies: Arc<Matcher>,
}

type Dialing = Pin<Box<dyn Future<Output = Result<TokioIo<TcpStream>, BoxError>> + Send>>;

impl tower_service::Service<Uri> for Dial {
    type Response = TokioIo<TcpStream>;
    type Error = BoxError;
    type Future = Dialing;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        // HttpConnector is always ready; a tunnel is made per call.
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, dst: Uri) -> Self::Future {
        let tunnel = (dst.scheme_str() == Some("https") && !is_loopback(&dst))
            .then(|| self.proxies.intercept(&dst))
            .flatten();
        match tunnel {
            Some(proxy) => {
                let mut tunnel = Tunnel::new(proxy.uri().clone(), self.direct.clone());
                if let Some(auth) = proxy.basic_auth() {
                    tunnel = tunnel.with_auth(auth.clone());
                }
                Box::pin(async move { tunnel.call(dst).await.map_err(BoxError::from) })
            }
            None => {
                let dialing = self.direct.call(dst);
                Box::pin(async move { dialing.await.map_err(BoxError::from) })
            }
        }
    }
}

fn is_loopback(uri: &Uri) -> bool {
    let host = uri.host().unwrap_or_default();
    let host = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// Whether an error, or any error it wraps, is an I/O timeout (a connect timeout).
pub(crate) fn is_timed_out(error: &(dyn StdError + 'static)) -> bool {
    let mut current = Some(error);
    while let Some(e) = current {
        if e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::TimedOut)
        {
            return true;
        }
        current = e.source();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts_are_recognised() {
        for uri in [
            "https://localhost:8443/",
            "https://127.0.0.1/",
            "https://127.8.9.10:1/",
            "https://[::1]:4000/",
        ] {
            assert!(is_loopback(&uri.parse().unwrap()), "{uri}");
        }
        for uri in [
            "https://api.twilio.com/",
            "https://10.0.0.1/",
            "https://localhost.example/",
        ] {
            assert!(!is_loopback(&uri.parse().unwrap()), "{uri}");
        }
    }

    #[test]
    fn timeouts_are_found_anywhere_in_the_chain() {
        #[derive(Debug)]
        struct Wrapper(std::io::Error);
        impl std::fmt::Display for Wrapper {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("tcp connect error")
            }
        }
        impl StdError for Wrapper {
            fn source(&self) -> Option<&(dyn StdError + 'static)> {
                Some(&self.0)
            }
        }
        let io = |kind| std::io::Error::new(kind, "x");
        assert!(is_timed_out(&Wrapper(io(std::io::ErrorKind::TimedOut))));
        assert!(is_timed_out(&io(std::io::ErrorKind::TimedOut)));
        assert!(!is_timed_out(&Wrapper(io(
            std::io::ErrorKind::ConnectionRefused
        ))));
    }
}
