//! The HTTP/1.1 server (hyper): accepting and counting connections, reading requests within
//! limits, applying faults, and handing verified requests to the provider modules.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::body::Bytes;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::{TokioIo, TokioTimer};
use serde_json::Value;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

use super::faults::{Fault, fault_for_number};
use super::{AcceptedMessage, Counters, ProviderApi, SendRequest, Shared, admin, codec};

/// The largest request body read, in bytes.
const MAX_BODY: usize = 1024 * 1024;
/// The largest request head (request line and headers) read, in bytes.
const MAX_HEAD: usize = 64 * 1024;
/// How long a client may take to send a request head; also how long an idle keep-alive
/// connection is kept. Longer than the kit's 60 s pool idle timeout, so that the simulator never
/// closes a pooled connection just as a client reuses it.
const HEAD_TIMEOUT: Duration = Duration::from_secs(90);

/// One request, fully read.
#[derive(Debug, Clone)]
pub(crate) struct Incoming {
    /// The method, e.g. `POST`.
    pub(crate) method: String,
    /// The path, still percent-encoded.
    pub(crate) path: String,
    /// The raw query string, without `?`.
    pub(crate) query: String,
    /// The headers in arrival order, names in lower case, values decoded lossily.
    pub(crate) headers: Vec<(String, String)>,
    /// The body.
    pub(crate) body: Bytes,
}

impl Incoming {
    /// The first value of a header (`name` in lower case).
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// An answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Reply {
    /// The status code.
    pub(crate) status: u16,
    /// Headers, `Content-Type` included.
    pub(crate) headers: Vec<(&'static str, String)>,
    /// The body.
    pub(crate) body: Vec<u8>,
}

impl Reply {
    /// A JSON answer with the given `Content-Type`.
    pub(crate) fn json_as(status: u16, content_type: &str, value: &Value) -> Self {
        Self {
            status,
            headers: vec![("content-type", content_type.to_owned())],
            body: serde_json::to_vec(value).unwrap_or_default(),
        }
    }

    /// A JSON answer, `application/json; charset=utf-8`.
    pub(crate) fn json(status: u16, value: &Value) -> Self {
        Self::json_as(status, "application/json; charset=utf-8", value)
    }

    /// An HTML page, as a proxy or a crashed gateway answers.
    pub(crate) fn html(status: u16, title: &str) -> Self {
        Self {
            status,
            headers: vec![("content-type", "text/html".to_owned())],
            body: format!(
                "<html>\r\n<head><title>{status} {title}</title></head>\r\n<body>\r\n<center><h1>{status} {title}</h1></center>\r\n<hr><center>sms-connector simulator</center>\r\n</body>\r\n</html>\r\n"
            )
            .into_bytes(),
        }
    }

    /// A body cut in the middle, with the given status and a JSON `Content-Type`.
    pub(crate) fn truncated(status: u16, content_type: &str, value: &Value) -> Self {
        let mut body = serde_json::to_vec(value).unwrap_or_default();
        body.truncate(body.len() / 2);
        Self {
            status,
            headers: vec![("content-type", content_type.to_owned())],
            body,
        }
    }

    /// Adds a header.
    pub(crate) fn with_header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    fn into_response(self) -> Response<Full<Bytes>> {
        let mut response = Response::new(Full::new(Bytes::from(self.body)));
        *response.status_mut() = hyper::StatusCode::from_u16(self.status)
            .unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
        for (name, value) in self.headers {
            if let Ok(value) = hyper::header::HeaderValue::from_str(&value) {
                response.headers_mut().append(name, value);
            }
        }
        response
    }
}

/// What a provider module implements.
pub(crate) trait Api: Send + Sync + fmt::Debug {
    /// `Ok` when `method` and `path` name the provider's send endpoint; otherwise the
    /// provider's answer to an unknown path or method.
    fn route(&self, method: &str, path: &str) -> Result<(), Reply>;

    /// Verifies credentials, signature, freshness and required fields as the provider does.
    fn verify(&self, request: &Incoming, now: u64) -> Result<SendRequest, Reply>;

    /// The answer to a verified request, given the business fault (if any) of each
    /// recipient, and the messages accepted.
    fn answer(
        &self,
        send: &SendRequest,
        faults: &[Option<Fault>],
        now: u64,
    ) -> (Reply, Vec<AcceptedMessage>);

    /// The success answer, cut in the middle.
    fn malformed(&self, send: &SendRequest, now: u64) -> Reply;

    /// Forgets per-request state (used nonces).
    fn reset(&self) {}

    /// The credentials it accepts, every field filled in, as a credentials file spells them.
    fn credentials(&self) -> Value;
}

/// The error a service returns to make hyper close the connection without an answer.
#[derive(Debug)]
struct Dropped;

impl fmt::Display for Dropped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("connection dropped by an injected fault")
    }
}

impl std::error::Error for Dropped {}

/// Accepts connections on one provider port until shutdown.
pub(crate) async fn accept_loop(
    listener: TcpListener,
    shared: Arc<Shared>,
    provider: ProviderApi,
    mut shutdown: watch::Receiver<bool>,
) {
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = shutdown.changed() => return,
        };
        match accepted {
            Ok((stream, _)) => {
                Counters::add(&shared.state(provider).counters.connections, 1);
                tokio::spawn(serve_connection(
                    stream,
                    Arc::clone(&shared),
                    provider,
                    shutdown.clone(),
                ));
            }
            // Out of file descriptors, or a connection reset before it was accepted: wait a
            // little rather than spin.
            Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
        }
    }
}

async fn serve_connection(
    stream: TcpStream,
    shared: Arc<Shared>,
    provider: ProviderApi,
    mut shutdown: watch::Receiver<bool>,
) {
    let _ = stream.set_nodelay(true);
    let service = service_fn(move |request| {
        let shared = Arc::clone(&shared);
        async move { handle(request, &shared, provider).await }
    });
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(HEAD_TIMEOUT)
        .max_buf_size(MAX_HEAD)
        .keep_alive(true);
    let connection = builder.serve_connection(TokioIo::new(stream), service);
    tokio::select! {
        _ = connection => {}
        _ = shutdown.changed() => {}
    }
}

async fn read_body(body: hyper::body::Incoming) -> Result<Result<Bytes, Reply>, Dropped> {
    match Limited::new(body, MAX_BODY).collect().await {
        Ok(collected) => Ok(Ok(collected.to_bytes())),
        Err(e) if e.downcast_ref::<LengthLimitError>().is_some() => {
            Ok(Err(Reply::html(413, "Request Entity Too Large")))
        }
        // The client went away or sent a broken body: nothing to answer.
        Err(_) => Err(Dropped),
    }
}

async fn handle(
    request: Request<hyper::body::Incoming>,
    shared: &Shared,
    provider: ProviderApi,
) -> Result<Response<Full<Bytes>>, Dropped> {
    let state = shared.state(provider);
    let (parts, body) = request.into_parts();
    let path = parts.uri.path().to_owned();
    let method = parts.method.as_str().to_owned();
    let incoming = |body: Bytes| Incoming {
        method: method.clone(),
        path: path.clone(),
        query: parts.uri.query().unwrap_or_default().to_owned(),
        headers: parts
            .headers
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_owned(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect(),
        body,
    };

    if path == "/__admin" || path.starts_with("/__admin/") {
        let reply = match read_body(body).await? {
            Ok(bytes) => admin::handle(shared, provider, &incoming(bytes)),
            Err(reply) => reply,
        };
        return Ok(reply.into_response());
    }
    if let Err(reply) = state.api.route(&method, &path) {
        return Ok(reply.into_response());
    }
    let counters = &state.counters;
    Counters::add(&counters.requests, 1);
    if state
        .with_faults(|q| q.pop_if(Fault::DropBeforeRead))
        .unwrap_or(false)
    {
        Counters::add(&counters.faulted, 1);
        return Err(Dropped);
    }
    let request = match read_body(body).await? {
        Ok(bytes) => incoming(bytes),
        Err(reply) => {
            Counters::add(&counters.rejected, 1);
            return Ok(reply.into_response());
        }
    };
    let now = codec::now_unix();
    let send = match state.api.verify(&request, now) {
        Ok(send) => send,
        Err(reply) => {
            Counters::add(&counters.rejected, 1);
            return Ok(reply.into_response());
        }
    };

    // A queued admin fault applies to every recipient; otherwise each number's own.
    let queued = state.with_faults(|q| q.pop()).flatten();
    let faults: Vec<Option<Fault>> = send
        .numbers
        .iter()
        .map(|n| queued.or_else(|| fault_for_number(n)))
        .collect();
    if let Some(fault) = faults.iter().flatten().find(|f| !f.is_business()) {
        Counters::add(&counters.faulted, 1);
        let reply = match fault {
            Fault::ServerError => Reply::html(500, "Internal Server Error"),
            Fault::MalformedBody => state.api.malformed(&send, now),
            Fault::Slow => {
                tokio::time::sleep(shared.slow_delay).await;
                Reply::html(504, "Gateway Time-out")
            }
            // The drops (business faults were filtered out above): close without answering.
            _ => return Err(Dropped),
        };
        return Ok(reply.into_response());
    }

    let (reply, accepted) = state.api.answer(&send, &faults, now);
    if faults.iter().any(Option::is_some) {
        Counters::add(&counters.faulted, 1);
    } else if accepted.is_empty() {
        Counters::add(&counters.rejected, 1);
    }
    Counters::add(&counters.accepted, accepted.len() as u64);
    shared.log.record(accepted);
    Ok(reply.into_response())
}
