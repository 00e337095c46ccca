//! A loopback HTTP server for provider tests.
//!
//! It records each request (method, path, headers, body) and answers with a scripted
//! response, so a test can check the exact request a connector sent and how it reads the
//! answer. HTTP/1.1 with `Content-Length` bodies only, which is all the connectors send.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// One request the server received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedRequest {
    /// The method.
    pub method: String,
    /// The path and query.
    pub path: String,
    /// Headers, names in lower case, in arrival order.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl RecordedRequest {
    /// The first header with this (lower-case) name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body as form fields, in order.
    pub fn form(&self) -> Vec<(String, String)> {
        form_pairs(&self.body)
    }
}

/// Decodes an `application/x-www-form-urlencoded` body.
pub fn form_pairs(body: &[u8]) -> Vec<(String, String)> {
    fn decode(s: &str) -> String {
        let bytes = s.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'+' => out.push(b' '),
                b'%' if i + 2 < bytes.len() => {
                    match std::str::from_utf8(&bytes[i + 1..i + 3])
                        .ok()
                        .and_then(|h| u8::from_str_radix(h, 16).ok())
                    {
                        Some(b) => {
                            out.push(b);
                            i += 2;
                        }
                        None => out.push(b'%'),
                    }
                }
                b => out.push(b),
            }
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    }
    String::from_utf8_lossy(body)
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(k), decode(v))
        })
        .collect()
}

/// A scripted answer.
#[derive(Debug, Clone)]
pub struct CannedResponse {
    /// Status code.
    pub status: u16,
    /// Extra headers.
    pub headers: Vec<(String, String)>,
    /// Body.
    pub body: String,
    /// How long to wait after reading the request before answering.
    pub delay: Duration,
    /// Close the connection after reading the request, without answering.
    pub drop_connection: bool,
}

impl CannedResponse {
    /// A JSON answer.
    pub fn json(status: u16, body: impl Into<String>) -> Self {
        Self {
            status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: body.into(),
            delay: Duration::ZERO,
            drop_connection: false,
        }
    }

    /// An XML answer, as AWS's Query APIs give.
    pub fn xml(status: u16, body: impl Into<String>) -> Self {
        Self {
            headers: vec![("Content-Type".into(), "text/xml".into())],
            ..Self::json(status, body)
        }
    }

    /// An HTML answer, as a proxy in front of a provider gives.
    pub fn html(status: u16, body: impl Into<String>) -> Self {
        Self {
            headers: vec![("Content-Type".into(), "text/html".into())],
            ..Self::json(status, body)
        }
    }

    /// No answer: the connection closes once the request has been read.
    pub fn dropped() -> Self {
        Self {
            drop_connection: true,
            ..Self::json(200, "")
        }
    }

    /// The same answer, given after `delay`.
    pub fn after(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }
}

/// The server; dropping it stops accepting connections.
#[derive(Debug)]
pub struct CaptureServer {
    origin: String,
    requests: Arc<Mutex<Vec<RecordedRequest>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for CaptureServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl CaptureServer {
    /// Starts a server on 127.0.0.1 with a random port that answers every request with
    /// `response`.
    pub async fn start(response: CannedResponse) -> std::io::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let origin = format!("http://{}", listener.local_addr()?);
        let requests = Arc::new(Mutex::new(Vec::new()));
        let recorded = Arc::clone(&requests);
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let recorded = Arc::clone(&recorded);
                let response = response.clone();
                tokio::spawn(async move {
                    let _ = serve(stream, response, recorded).await;
                });
            }
        });
        Ok(Self {
            origin,
            requests,
            task,
        })
    }

    /// `http://127.0.0.1:<port>`.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The requests received so far.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.requests.lock().map(|r| r.clone()).unwrap_or_default()
    }
}

async fn serve(
    mut stream: TcpStream,
    response: CannedResponse,
    recorded: Arc<Mutex<Vec<RecordedRequest>>>,
) -> std::io::Result<()> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let head_end = buffer.windows(4).position(|w| w == b"\r\n\r\n");
        if let Some(end) = head_end {
            let head = String::from_utf8_lossy(&buffer[..end]).into_owned();
            let mut lines = head.split("\r\n");
            let mut first = lines.next().unwrap_or_default().split(' ');
            let method = first.next().unwrap_or_default().to_owned();
            let path = first.next().unwrap_or_default().to_owned();
            let headers: Vec<(String, String)> = lines
                .filter_map(|l| l.split_once(':'))
                .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
                .collect();
            let length: usize = headers
                .iter()
                .find(|(n, _)| n == "content-length")
                .and_then(|(_, v)| v.parse().ok())
                .unwrap_or(0);
            let body_start = end + 4;
            while buffer.len() < body_start + length {
                let n = stream.read(&mut chunk).await?;
                if n == 0 {
                    return Ok(());
                }
                buffer.extend_from_slice(&chunk[..n]);
            }
            let body = buffer[body_start..body_start + length].to_vec();
            buffer.drain(..body_start + length);
            if let Ok(mut all) = recorded.lock() {
                all.push(RecordedRequest {
                    method,
                    path,
                    headers,
                    body,
                });
            }
            if !response.delay.is_zero() {
                tokio::time::sleep(response.delay).await;
            }
            if response.drop_connection {
                return Ok(());
            }
            let mut reply = format!(
                "HTTP/1.1 {} Canned\r\nContent-Length: {}\r\n",
                response.status,
                response.body.len()
            );
            for (name, value) in &response.headers {
                reply.push_str(&format!("{name}: {value}\r\n"));
            }
            reply.push_str("\r\n");
            reply.push_str(&response.body);
            stream.write_all(reply.as_bytes()).await?;
            continue;
        }
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(());
        }
        buffer.extend_from_slice(&chunk[..n]);
    }
}
