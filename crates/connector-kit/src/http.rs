//! HTTP plumbing shared by every provider: endpoints, the request a connector builds, and the
//! one client per connector instance.
//!
//! A provider's request builder is pure: it returns an [`HttpRequest`] value (method, URL,
//! headers, body) that can be printed for a dry run, snapshotted in tests, and sent by
//! [`HttpClient`] unchanged.

use std::borrow::Cow;
use std::fmt;
use std::time::Duration;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use http_body_util::{BodyExt as _, Full, LengthLimitError, Limited};
use hyper::body::Bytes;

use crate::error::{ConnectorError, Delivery};
use crate::transport::{self, BoxError, Pool};

/// The user agent every connector sends.
pub const USER_AGENT: &str = concat!("sms-connector-kit/", env!("CARGO_PKG_VERSION"));

/// Default connect timeout.
pub const DEFAULT_CONNECT_TIMEOUT_MS: u64 = 3_000;
/// Default total timeout of one send, from connecting to the last byte of the answer.
pub const DEFAULT_TIMEOUT_MS: u64 = 10_000;

/// The scheme, host and port part of both patterns, as a literal for `concat!`.
macro_rules! origin_pattern {
    () => {
        concat!(
            "^(https://[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*",
            "|http://(localhost|127(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}|\\[::1\\]))",
            "(:(6553[0-5]|655[0-2][0-9]|65[0-4][0-9][0-9]|6[0-4][0-9][0-9][0-9]|[1-5][0-9][0-9][0-9][0-9]|[1-9][0-9]{0,3}))?",
        )
    };
}

/// The pattern an endpoint must match: an `https://` origin, or an `http://` origin on a
/// loopback host. Written in the subset of regular expressions that both Rust and
/// JavaScript validators read the same way.
pub const ENDPOINT_PATTERN: &str = concat!(origin_pattern!(), "/?$");

/// The pattern of an endpoint that is a whole URL ([`Endpoint::parse_url`]): an origin as in
/// [`ENDPOINT_PATTERN`], then optionally a path and a query, without spaces or a fragment.
pub const URL_PATTERN: &str = concat!(origin_pattern!(), "([/?][^\\s#]*)?$");

/// Whether `input` matches `pattern`, compiled once per process by the checker's cache
/// (compiling costs tens of microseconds).
fn matches(pattern: &str, input: &str) -> bool {
    crate::checker::cached_regex(pattern).is_some_and(|re| re.is_match(input))
}

/// A provider base URL: `https://`, or plain `http://` only on a loopback host, so tests and
/// the simulator work and credentials never cross a network in the clear. An endpoint that
/// is a whole URL ([`Endpoint::parse_url`], the HTTP connector's) also keeps its path and
/// query.
#[derive(Clone, PartialEq, Eq)]
pub struct Endpoint {
    origin: String,
    authority: String,
    /// The path and query of a whole-URL endpoint (`/v1/sms?tenant=a`); empty for an origin.
    path: String,
}

impl Endpoint {
    /// Parses and checks an endpoint.
    pub fn parse(input: &str) -> Result<Self, ConnectorError> {
        let pattern_ok = matches(ENDPOINT_PATTERN, input);
        let url = url::Url::parse(input).ok().filter(|_| pattern_ok).ok_or_else(|| {
            ConnectorError::invalid_config(format!(
                "endpoint {input:?} must be an https:// origin such as https://api.example.com (no path); \
                 plain http:// is accepted only for localhost, 127.x.x.x and [::1]"
            ))
        })?;
        Ok(Self::from_url(&url, String::new()))
    }

    /// The `https://` origin of a host built from trusted parts (AWS's `sns.<region>.amazonaws.com`
    /// from a region the schema checked), without a pattern match or a URL parse: each
    /// dot-separated label must be letters, digits and inner hyphens.
    pub fn https(host: &str) -> Result<Self, ConnectorError> {
        let label_ok = |label: &str| {
            !label.is_empty()
                && label.len() <= 63
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        };
        if host.len() > 253 || !host.split('.').all(label_ok) {
            return Err(ConnectorError::invalid_config(format!(
                "{host:?} is not a host name"
            )));
        }
        let authority = host.to_ascii_lowercase();
        Ok(Self {
            origin: format!("https://{authority}"),
            authority,
            path: String::new(),
        })
    }

    /// Parses and checks an endpoint that is a whole URL: an origin as [`Endpoint::parse`]
    /// takes it, then optionally a path and a query (no fragment, no user name or password).
    pub fn parse_url(input: &str) -> Result<Self, ConnectorError> {
        let pattern_ok = matches(URL_PATTERN, input);
        let url = url::Url::parse(input).ok().filter(|_| pattern_ok).ok_or_else(|| {
            ConnectorError::invalid_config(format!(
                "endpoint {input:?} must be an https:// URL such as https://sms.example.com/send; \
                 plain http:// is accepted only for localhost, 127.x.x.x and [::1]"
            ))
        })?;
        let mut path = url.path().to_owned();
        if let Some(query) = url.query() {
            path.push('?');
            path.push_str(query);
        }
        if path == "/" {
            path.clear();
        }
        Ok(Self::from_url(&url, path))
    }

    fn from_url(url: &url::Url, path: String) -> Self {
        let host = url.host_str().unwrap_or_default();
        let authority = match url.port() {
            Some(port) => format!("{host}:{port}"),
            None => host.to_owned(),
        };
        Self {
            origin: format!("{}://{authority}", url.scheme()),
            authority,
            path,
        }
    }

    /// The whole URL of an endpoint parsed by [`Endpoint::parse_url`]: the origin, then its
    /// path and query, or `/` when it has none.
    pub fn whole_url(&self) -> String {
        if self.path.is_empty() {
            format!("{}/", self.origin)
        } else {
            format!("{}{}", self.origin, self.path)
        }
    }

    /// The origin without a trailing slash, e.g. `https://api.twilio.com`.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// Host and, when not the scheme's default, port: the value of a `Host` header.
    pub fn authority(&self) -> &str {
        &self.authority
    }

    /// The URL of `path` (which starts with `/`) on this endpoint.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.origin)
    }
}

impl fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.origin, self.path)
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.origin, self.path)
    }
}

/// Reads an origin, or a whole URL: which of the two a config may hold is its schema's
/// pattern to say ([`ENDPOINT_PATTERN`] or [`URL_PATTERN`]), checked before serde runs.
impl<'de> Deserialize<'de> for Endpoint {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        Endpoint::parse_url(&raw).map_err(serde::de::Error::custom)
    }
}

impl Serialize for Endpoint {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl JsonSchema for Endpoint {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        "Endpoint".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": ENDPOINT_PATTERN,
        })
    }
}

/// Endpoint and timeouts of one connector instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpOptions {
    /// Where requests go.
    pub endpoint: Endpoint,
    /// How long connecting may take.
    pub connect_timeout: Duration,
    /// How long one send may take in all.
    pub timeout: Duration,
}

/// An HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HttpMethod {
    /// GET.
    Get,
    /// POST.
    Post,
}

impl HttpMethod {
    /// The method's name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
        }
    }
}

/// One request header.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpHeader {
    /// The header name.
    pub name: Cow<'static, str>,
    /// The header value.
    pub value: String,
    /// Whether the value holds a credential and must be redacted when printed.
    pub sensitive: bool,
}

impl HttpHeader {
    /// A header whose value may be printed.
    pub fn new(name: impl Into<Cow<'static, str>>, value: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            value: value.into(),
            sensitive: false,
        }
    }

    /// A header whose value holds a credential.
    pub fn sensitive(name: impl Into<Cow<'static, str>>, value: impl Into<String>) -> Self {
        Self {
            sensitive: true,
            ..Self::new(name, value)
        }
    }

    /// The value as printable. A sensitive value keeps its scheme word and, for signature
    /// schemes, its non-secret parameters: only what follows `Signature=` is redacted, so a
    /// printed request can be compared with a provider's tools but not replayed. Any other
    /// sensitive value prints as `<scheme> <redacted>`.
    pub fn display_value(&self) -> Cow<'_, str> {
        if !self.sensitive {
            return Cow::Borrowed(&self.value);
        }
        if let Some(at) = self.value.find("Signature=") {
            let start = at + "Signature=".len();
            let end = self.value[start..]
                .find([',', ' '])
                .map_or(self.value.len(), |i| start + i);
            return Cow::Owned(format!(
                "{}<redacted>{}",
                &self.value[..start],
                &self.value[end..]
            ));
        }
        match self.value.split_once(' ') {
            Some((scheme, _)) => Cow::Owned(format!("{scheme} <redacted>")),
            None => Cow::Borrowed("<redacted>"),
        }
    }
}

impl fmt::Debug for HttpHeader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.name, self.display_value())
    }
}

/// A fully built, signed request.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// The method.
    pub method: HttpMethod,
    /// The absolute URL.
    pub url: String,
    /// Headers in the order they are sent.
    pub headers: Vec<HttpHeader>,
    /// The body bytes.
    pub body: Vec<u8>,
    /// Form fields of the body whose values are printed as `<redacted>`: a request signature
    /// that could be replayed if a printed (dry-run) request were copied.
    pub sensitive_form_fields: &'static [&'static str],
}

impl HttpRequest {
    /// The body as printable text, with the values of [`Self::sensitive_form_fields`]
    /// redacted.
    pub fn display_body(&self) -> Cow<'_, str> {
        let text = String::from_utf8_lossy(&self.body);
        if self.sensitive_form_fields.is_empty() {
            return text;
        }
        let redacted: Vec<String> = text
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some((name, _)) if self.sensitive_form_fields.contains(&name) => {
                    format!("{name}=<redacted>")
                }
                _ => pair.to_owned(),
            })
            .collect();
        Cow::Owned(redacted.join("&"))
    }

    /// The first header with this name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| h.value.as_str())
    }
}

/// Prints the request as a person reads it, with sensitive header values redacted.
impl fmt::Display for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} {}", self.method.as_str(), self.url)?;
        for header in &self.headers {
            writeln!(f, "{}: {}", header.name, header.display_value())?;
        }
        writeln!(f)?;
        f.write_str(&self.display_body())
    }
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &self.headers)
            .field("body", &self.display_body())
            .finish()
    }
}

/// A provider's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// The status code.
    pub status: u16,
    /// Response headers, names in lower case.
    pub headers: Vec<(String, String)>,
    /// The body bytes.
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// An answer with this status and body, and no headers.
    pub fn new(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: body.into(),
        }
    }

    /// The same answer with one more header (its name is stored in lower case).
    pub fn with_header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.to_ascii_lowercase(), value.into()));
        self
    }

    /// The first header with this name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The start of the body as text, for error messages about bodies that could not be
    /// parsed.
    pub fn body_excerpt(&self) -> String {
        let text = String::from_utf8_lossy(&self.body);
        let mut excerpt: String = text.chars().take(120).collect();
        excerpt.retain(|c| !c.is_control() || c == ' ');
        if text.chars().count() > 120 {
            excerpt.push('…');
        }
        excerpt
    }
}

/// The wait a `Retry-After` header asks for, in whole seconds from `now`: its delay in
/// seconds, or the time until its HTTP date (0 when that date has passed). `None` when the
/// value is neither. Delays are capped at a day: a larger one is a broken header.
pub fn retry_after_secs(value: &str, now: std::time::SystemTime) -> Option<u64> {
    const DAY: u64 = 86_400;
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(seconds.min(DAY));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).map_or(0, |d| d.as_secs().min(DAY)))
}

/// The largest answer the client reads, in bytes: a provider's answer is a few hundred bytes,
/// and a larger one (a misconfigured endpoint, an endless stream) is refused, not buffered.
pub const MAX_ANSWER_BYTES: u64 = 1024 * 1024;

/// Why one exchange failed.
enum Failed {
    Http(BoxError),
    TooLarge,
}

/// The HTTP client of one connector instance: one connection pool, reused by every send.
#[derive(Clone)]
pub struct HttpClient {
    pool: Pool,
    options: HttpOptions,
    /// The answer headers to keep (lower case); `None` keeps every one.
    keep_headers: Option<&'static [&'static str]>,
}

impl fmt::Debug for HttpClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpClient")
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl HttpClient {
    /// Builds the client: hyper's pooled HTTP/1.1 client, rustls with Mozilla's roots, the
    /// kit's user agent, the connect and total timeouts, no redirects followed.
    ///
    /// Proxies come from the environment, read once here as curl reads them: an `https://`
    /// request to a host that `HTTPS_PROXY` (or `ALL_PROXY`) covers and `NO_PROXY` does not
    /// goes through an HTTP `CONNECT` tunnel to that proxy, with the proxy URL's user and
    /// password as `Proxy-Authorization`; TLS runs end to end inside the tunnel. Loopback
    /// endpoints are never proxied.
    pub fn new(options: HttpOptions) -> Result<Self, ConnectorError> {
        let pool = transport::pool(options.connect_timeout).map_err(|e| {
            ConnectorError::general("could not set up TLS for the HTTP client").with_source(e)
        })?;
        Ok(Self {
            pool,
            options,
            keep_headers: None,
        })
    }

    /// [`HttpClient::new`] with these proxies rather than the environment's.
    #[cfg(test)]
    fn with_proxies(
        options: HttpOptions,
        proxies: hyper_util::client::proxy::matcher::Matcher,
    ) -> Self {
        Self {
            pool: transport::pool_with(options.connect_timeout, proxies).unwrap(),
            options,
            keep_headers: None,
        }
    }

    /// The same client keeping only these answer headers (lower-case names) and
    /// `retry-after`, which the send pipeline reads.
    #[must_use]
    pub fn keeping_headers(mut self, names: &'static [&'static str]) -> Self {
        self.keep_headers = Some(names);
        self
    }

    fn keeps(&self, name: &str) -> bool {
        self.keep_headers
            .is_none_or(|names| name == "retry-after" || names.contains(&name))
    }

    /// The options the client was built with.
    pub fn options(&self) -> &HttpOptions {
        &self.options
    }

    /// The request as hyper sends it: the URL, the headers (with `user-agent` and `accept`
    /// unless the provider set them; `host` is derived from the URL, whose value a signed
    /// `host` header always equals), sensitive values marked so, and the body without a copy.
    fn to_hyper(request: HttpRequest) -> Result<hyper::Request<Full<Bytes>>, ConnectorError> {
        use hyper::header::{ACCEPT, HeaderName, HeaderValue, USER_AGENT as USER_AGENT_HEADER};
        let invalid =
            |what: &str| ConnectorError::general(format!("the request has an invalid {what}"));
        // A URL with a character to escape (possible in a whole-URL endpoint's query) is
        // first written as a browser would send it; hyper's parser only takes it escaped.
        let plain = request
            .url
            .bytes()
            .all(|b| b.is_ascii_graphic() && !b"\"<>\\^`{|}".contains(&b));
        let uri = if plain {
            hyper::Uri::try_from(request.url)
        } else {
            let escaped = url::Url::parse(&request.url).map_err(|_| invalid("URL"))?;
            hyper::Uri::try_from(String::from(escaped))
        }
        .map_err(|_| invalid("URL"))?;
        let mut built = hyper::Request::new(Full::new(Bytes::from(request.body)));
        *built.method_mut() = match request.method {
            HttpMethod::Get => hyper::Method::GET,
            HttpMethod::Post => hyper::Method::POST,
        };
        *built.uri_mut() = uri;
        let headers = built.headers_mut();
        headers.reserve(request.headers.len() + 2);
        for header in request.headers {
            if header.name.eq_ignore_ascii_case("host") {
                continue;
            }
            let name = HeaderName::from_bytes(header.name.as_bytes())
                .map_err(|_| invalid("header name"))?;
            let mut value = HeaderValue::try_from(header.value)
                .map_err(|_| invalid(&format!("value of header {name}")))?;
            value.set_sensitive(header.sensitive);
            headers.append(name, value);
        }
        if !headers.contains_key(USER_AGENT_HEADER) {
            headers.insert(USER_AGENT_HEADER, HeaderValue::from_static(USER_AGENT));
        }
        if !headers.contains_key(ACCEPT) {
            headers.insert(ACCEPT, HeaderValue::from_static("*/*"));
        }
        Ok(built)
    }

    /// Sends a request once and reads the whole answer, within the total timeout.
    ///
    /// Failures say whether the request may have reached the provider: a refused or failed
    /// connection is `NotSent` and retryable; a timeout or a connection lost after sending is
    /// `MaybeSent` and not retryable.
    pub async fn execute(&self, request: HttpRequest) -> Result<HttpResponse, ConnectorError> {
        let request = Self::to_hyper(request)?;
        let call = async {
            let response = self
                .pool
                .request(request)
                .await
                .map_err(|e| Failed::Http(e.into()))?;
            let status = response.status().as_u16();
            let headers = response
                .headers()
                .iter()
                .filter(|(n, _)| self.keeps(n.as_str()))
                .map(|(n, v)| {
                    (
                        n.as_str().to_owned(),
                        String::from_utf8_lossy(v.as_bytes()).into_owned(),
                    )
                })
                .collect();
            let declared = response
                .headers()
                .get(hyper::header::CONTENT_LENGTH)
                .and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
            if declared.is_some_and(|length| length > MAX_ANSWER_BYTES) {
                return Err(Failed::TooLarge);
            }
            // Read up to the limit, whatever the declared length said (chunked answers
            // declare none); one chunk, the usual answer, is kept without a copy.
            let body = Limited::new(response.into_body(), MAX_ANSWER_BYTES as usize)
                .collect()
                .await
                .map_err(|e| {
                    if e.is::<LengthLimitError>() {
                        Failed::TooLarge
                    } else {
                        Failed::Http(e)
                    }
                })?
                .to_bytes();
            let body = Vec::from(body);
            Ok(HttpResponse {
                status,
                headers,
                body,
            })
        };
        match tokio::time::timeout(self.options.timeout, call).await {
            Ok(Ok(response)) => Ok(response),
            Ok(Err(Failed::Http(error))) => Err(self.transport_error(error)),
            Ok(Err(Failed::TooLarge)) => Err(ConnectorError::invalid_response(format!(
                "the answer from {} is larger than {} KiB, more than any provider sends; the message may have been sent",
                self.options.endpoint,
                MAX_ANSWER_BYTES / 1024
            ))
            .with_delivery(Delivery::MaybeSent)),
            Err(_) => Err(self.timeout_error()),
        }
    }

    fn timeout_error(&self) -> ConnectorError {
        ConnectorError::timeout(format!(
            "no answer from {} within {} ms; the message may have been sent",
            self.options.endpoint,
            self.options.timeout.as_millis()
        ))
        .with_delivery(Delivery::MaybeSent)
    }

    fn transport_error(&self, error: BoxError) -> ConnectorError {
        let endpoint = &self.options.endpoint;
        let connect = error
            .downcast_ref::<hyper_util::client::legacy::Error>()
            .is_some_and(hyper_util::client::legacy::Error::is_connect);
        if connect {
            let what = if transport::is_timed_out(&*error) {
                "timed out connecting to"
            } else {
                "could not connect to"
            };
            return ConnectorError::general(format!("{what} {endpoint}; the message was not sent"))
                .with_delivery(Delivery::NotSent)
                .with_retryable(true)
                .with_boxed_source(error);
        }
        ConnectorError::general(format!(
            "the connection to {endpoint} failed after the request was sent; the message may have been sent"
        ))
        .with_delivery(Delivery::MaybeSent)
        .with_boxed_source(error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ConnectorErrorCode;

    /// A server that answers every request with an endless chunked body, or with a declared
    /// length over the limit (and no body).
    async fn oversized_server(declared: bool) -> String {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let origin = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                tokio::spawn(async move {
                    let mut buf = [0u8; 4096];
                    let _ = stream.read(&mut buf).await;
                    if declared {
                        let head = "HTTP/1.1 200 OK\r\nContent-Length: 5000000\r\n\r\n";
                        let _ = stream.write_all(head.as_bytes()).await;
                        return;
                    }
                    let head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
                    if stream.write_all(head.as_bytes()).await.is_err() {
                        return;
                    }
                    let chunk = format!("10000\r\n{}\r\n", "x".repeat(0x10000));
                    // Endless: the client must stop reading.
                    while stream.write_all(chunk.as_bytes()).await.is_ok() {}
                });
            }
        });
        origin
    }

    #[tokio::test]
    async fn answers_over_the_limit_are_refused_not_buffered() {
        for declared in [true, false] {
            let origin = oversized_server(declared).await;
            let client = HttpClient::new(HttpOptions {
                endpoint: Endpoint::parse(&origin).unwrap(),
                connect_timeout: Duration::from_secs(2),
                timeout: Duration::from_secs(10),
            })
            .unwrap();
            let request = HttpRequest {
                method: HttpMethod::Post,
                url: format!("{origin}/send"),
                headers: Vec::new(),
                body: b"{}".to_vec(),
                sensitive_form_fields: &[],
            };
            let error = client.execute(request).await.unwrap_err();
            assert_eq!(error.code(), ConnectorErrorCode::InvalidResponse, "{error}");
            assert_eq!(error.details().delivery, Delivery::MaybeSent);
            assert!(error.message().contains("larger than 1024 KiB"), "{error}");
        }
    }

    fn options(endpoint: &str) -> HttpOptions {
        HttpOptions {
            endpoint: Endpoint::parse(endpoint).unwrap(),
            connect_timeout: Duration::from_secs(2),
            timeout: Duration::from_secs(10),
        }
    }

    fn post(url: &str) -> HttpRequest {
        HttpRequest {
            method: HttpMethod::Post,
            url: url.to_owned(),
            headers: vec![HttpHeader::sensitive("authorization", "Basic c2VjcmV0")],
            body: b"{}".to_vec(),
            sensitive_form_fields: &[],
        }
    }

    /// Reads what a client sends until `enough` says the bytes so far suffice (or the client
    /// stops sending).
    async fn read_until(
        stream: &mut tokio::net::TcpStream,
        enough: impl Fn(&[u8]) -> bool,
    ) -> Vec<u8> {
        use tokio::io::AsyncReadExt;
        let mut seen = Vec::new();
        let mut buf = [0u8; 4096];
        while !enough(&seen) {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => seen.extend_from_slice(&buf[..n]),
            }
        }
        seen
    }

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack.windows(needle.len()).any(|w| w == needle)
    }

    /// A TLS ClientHello: a handshake record (0x16) naming the server (SNI).
    fn is_client_hello_for(bytes: &[u8], host: &str) -> bool {
        bytes.first() == Some(&0x16) && contains(bytes, host.as_bytes())
    }

    /// A server that reads a TLS ClientHello, hands it back, then hangs up (it has no
    /// certificate).
    async fn tls_listener() -> (u16, tokio::task::JoinHandle<Vec<u8>>) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let seen = tokio::spawn(async move {
            let (mut stream, _) = listener.accept().await.unwrap();
            read_until(&mut stream, |b| is_client_hello_for(b, "localhost")).await
        });
        (port, seen)
    }

    #[test]
    fn requests_are_converted_whole_and_urls_escaped_when_they_must_be() {
        let mut request = post("http://127.0.0.1:9/send?tenant=a|b&name=Zoë");
        request.headers.push(HttpHeader::new("Host", "127.0.0.1:9"));
        request.headers.push(HttpHeader::new("X-Trace", "t1"));
        let built = HttpClient::to_hyper(request).unwrap();
        assert_eq!(
            built.uri().to_string(),
            "http://127.0.0.1:9/send?tenant=a|b&name=Zo%C3%AB"
        );
        let headers = built.headers();
        assert!(headers["authorization"].is_sensitive());
        assert_eq!(headers["x-trace"], "t1");
        assert_eq!(headers["user-agent"], USER_AGENT);
        // hyper writes Host from the URL.
        assert!(!headers.contains_key("host"));
        let mut bad = post("http://127.0.0.1:9/send");
        bad.headers.push(HttpHeader::new("X-Bad", "line\nbreak"));
        let error = HttpClient::to_hyper(bad).unwrap_err();
        assert!(error.message().contains("x-bad"), "{error}");
    }

    /// A request over TLS to a loopback server holding a certificate for `localhost` from
    /// the test authority of `tests/tls/` (see its `gen.sh`): the client trusts that
    /// authority, the server reads the request and answers it.
    #[tokio::test]
    async fn https_requests_make_the_whole_round_trip() {
        use rustls::pki_types::{CertificateDer, PrivateKeyDer};
        use tokio::io::AsyncWriteExt;
        let ca = CertificateDer::from(&include_bytes!("../tests/tls/ca.der")[..]);
        let leaf = CertificateDer::from(&include_bytes!("../tests/tls/localhost.der")[..]);
        let key = PrivateKeyDer::try_from(&include_bytes!("../tests/tls/localhost.key.der")[..])
            .unwrap()
            .clone_key();
        let provider = || std::sync::Arc::new(rustls::crypto::ring::default_provider());
        let server = rustls::ServerConfig::builder_with_provider(provider())
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(vec![leaf.into_owned()], key)
            .unwrap();
        let acceptor = tokio_rustls::TlsAcceptor::from(std::sync::Arc::new(server));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let served = tokio::spawn(async move {
            let (tcp, _) = listener.accept().await.unwrap();
            let mut tls = acceptor.accept(tcp).await.unwrap();
            let mut seen = Vec::new();
            let mut buf = [0u8; 4096];
            while !contains(&seen, b"\r\n\r\n{\"to\":1}") {
                use tokio::io::AsyncReadExt;
                match tls.read(&mut buf).await.unwrap() {
                    0 => break,
                    n => seen.extend_from_slice(&buf[..n]),
                }
            }
            let answer = "HTTP/1.1 201 Created\r\ncontent-type: application/json\r\ncontent-length: 11\r\n\r\n{\"id\":\"m1\"}";
            tls.write_all(answer.as_bytes()).await.unwrap();
            tls.flush().await.unwrap();
            String::from_utf8_lossy(&seen).into_owned()
        });
        let mut roots = rustls::RootCertStore::empty();
        roots.add(ca).unwrap();
        let tls = rustls::ClientConfig::builder_with_provider(provider())
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_root_certificates(roots)
            .with_no_client_auth();
        let origin = format!("https://localhost:{port}");
        let options = options(&origin);
        let client = HttpClient {
            pool: transport::pool_with_tls(
                options.connect_timeout,
                hyper_util::client::proxy::matcher::Matcher::builder().build(),
                tls,
            ),
            options,
            keep_headers: None,
        };
        let mut request = post(&format!("{origin}/v1/send?x=1"));
        request.body = br#"{"to":1}"#.to_vec();
        let response = client.execute(request).await.unwrap();
        assert_eq!(response.status, 201);
        assert_eq!(response.body, br#"{"id":"m1"}"#);
        assert_eq!(response.header("content-type"), Some("application/json"));
        let seen = served.await.unwrap();
        assert!(seen.starts_with("POST /v1/send?x=1 HTTP/1.1\r\n"), "{seen}");
        let lower = seen.to_ascii_lowercase();
        for header in [
            format!("host: localhost:{port}\r\n"),
            "authorization: basic c2VjcmV0\r\n".to_owned(),
            "content-length: 8\r\n".to_owned(),
            format!("user-agent: {}\r\n", USER_AGENT.to_ascii_lowercase()),
        ] {
            assert!(
                lower.contains(&header.to_ascii_lowercase()),
                "{header:?} in {seen}"
            );
        }
    }

    #[tokio::test]
    async fn https_endpoints_speak_tls_naming_the_host() {
        let (port, seen) = tls_listener().await;
        let origin = format!("https://localhost:{port}");
        let client = HttpClient::new(options(&origin)).unwrap();
        let error = client
            .execute(post(&format!("{origin}/send")))
            .await
            .unwrap_err();
        let hello = seen.await.unwrap();
        assert!(is_client_hello_for(&hello, "localhost"), "{hello:?}");
        // A failed handshake is a failed connection: nothing was sent, so it may be retried.
        assert_eq!(error.details().delivery, Delivery::NotSent, "{error}");
        assert!(error.is_retryable());
        assert!(error.message().contains("could not connect to"), "{error}");
    }

    #[tokio::test]
    async fn https_goes_through_the_proxy_by_connect_and_loopback_does_not() {
        use tokio::io::AsyncWriteExt;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let proxy = listener.local_addr().unwrap();
        let proxied = tokio::spawn(async move {
            let (mut stream, _) = listener.accept().await.unwrap();
            let head = read_until(&mut stream, |b| contains(b, b"\r\n\r\n")).await;
            stream
                .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
                .await
                .unwrap();
            let hello =
                read_until(&mut stream, |b| is_client_hello_for(b, "api.example.com")).await;
            (String::from_utf8_lossy(&head).into_owned(), hello)
        });
        let proxies = || {
            hyper_util::client::proxy::matcher::Matcher::builder()
                .https(format!("http://user:proxy-password@{proxy}"))
                .build()
        };
        let client = HttpClient::with_proxies(options("https://api.example.com"), proxies());
        let error = client
            .execute(post("https://api.example.com/send"))
            .await
            .unwrap_err();
        let (head, hello) = proxied.await.unwrap();
        assert!(
            head.starts_with("CONNECT api.example.com:443 HTTP/1.1\r\n"),
            "{head}"
        );
        // user:proxy-password, in Basic form.
        assert!(
            head.to_ascii_lowercase()
                .contains("proxy-authorization: basic dxnlcjpwcm94es1wyxnzd29yza==\r\n"),
            "{head}"
        );
        // TLS runs end to end inside the tunnel, naming the provider's host.
        assert!(is_client_hello_for(&hello, "api.example.com"), "{hello:?}");
        assert_eq!(error.details().delivery, Delivery::NotSent, "{error}");
        for printed in [
            error.to_string(),
            format!("{error:?}"),
            format!("{client:?}"),
        ] {
            assert!(!printed.contains("proxy-password"), "{printed}");
        }

        // A loopback endpoint is dialled directly even when a proxy is set.
        let (port, seen) = tls_listener().await;
        let origin = format!("https://localhost:{port}");
        let client = HttpClient::with_proxies(options(&origin), proxies());
        let _ = client.execute(post(&format!("{origin}/send"))).await;
        assert!(is_client_hello_for(&seen.await.unwrap(), "localhost"));
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let now = std::time::UNIX_EPOCH + Duration::from_secs(1_445_412_480);
        assert_eq!(retry_after_secs("120", now), Some(120));
        assert_eq!(retry_after_secs(" 0 ", now), Some(0));
        assert_eq!(retry_after_secs("99999999", now), Some(86_400));
        // RFC 9110's example date is 1445412480 + 0 s; ten seconds later is 10.
        assert_eq!(
            retry_after_secs("Wed, 21 Oct 2015 07:28:10 GMT", now),
            Some(10)
        );
        assert_eq!(
            retry_after_secs("Wed, 21 Oct 2015 07:27:00 GMT", now),
            Some(0)
        );
        for bad in ["", "-1", "soon", "1.5", "Wed, 32 Oct 2015 07:28:00 GMT"] {
            assert_eq!(retry_after_secs(bad, now), None, "{bad}");
        }
    }

    #[test]
    fn https_hosts_are_checked_label_by_label() {
        let built = Endpoint::https("sns.us-east-1.amazonaws.com").unwrap();
        assert_eq!(
            built,
            Endpoint::parse("https://sns.us-east-1.amazonaws.com").unwrap()
        );
        assert_eq!(built.authority(), "sns.us-east-1.amazonaws.com");
        for bad in ["", "a..b", "-a.b", "a-.b", "a b", "a/b", "a:1", "ünï.com"] {
            assert!(Endpoint::https(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn whole_url_endpoints_keep_path_and_query() {
        let url = Endpoint::parse_url("https://sms.example.com/v1/send?tenant=a").unwrap();
        assert_eq!(url.origin(), "https://sms.example.com");
        assert_eq!(url.whole_url(), "https://sms.example.com/v1/send?tenant=a");
        assert_eq!(url.to_string(), "https://sms.example.com/v1/send?tenant=a");
        let bare = Endpoint::parse_url("http://127.0.0.1:4015").unwrap();
        assert_eq!(bare.whole_url(), "http://127.0.0.1:4015/");
        assert_eq!(bare, Endpoint::parse("http://127.0.0.1:4015/").unwrap());
        for bad in [
            "http://sms.example.com/send",
            "https://x.com/a b",
            "https://x.com/a#frag",
            "https://user:pw@x.com/send",
            "ftp://x.com/send",
        ] {
            assert!(Endpoint::parse_url(bad).is_err(), "{bad}");
        }
        // An origin-only endpoint still refuses a path.
        assert!(Endpoint::parse("https://sms.example.com/send").is_err());
    }

    #[test]
    fn https_and_loopback_http_are_accepted() {
        for ok in [
            "https://api.twilio.com",
            "https://dysmsapi.ap-southeast-1.aliyuncs.com/",
            "http://127.0.0.1:4010",
            "http://localhost:8080",
            "http://[::1]:9000",
            "https://example.com:8443",
        ] {
            assert!(Endpoint::parse(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn plain_http_elsewhere_and_paths_are_rejected() {
        for bad in [
            "http://api.twilio.com",
            "http://10.0.0.1",
            "ftp://x.com",
            "https://x.com/path",
            "https://x.com?q=1",
            "https://user:pw@x.com",
            "api.twilio.com",
            "https://x.com:70000",
            "http://127.999.0.1",
            "",
        ] {
            let error = Endpoint::parse(bad).unwrap_err();
            assert_eq!(error.code(), ConnectorErrorCode::InvalidConfig, "{bad}");
        }
    }

    #[test]
    fn authority_keeps_non_default_ports() {
        assert_eq!(
            Endpoint::parse("https://sms.tencentcloudapi.com")
                .unwrap()
                .authority(),
            "sms.tencentcloudapi.com"
        );
        assert_eq!(
            Endpoint::parse("http://127.0.0.1:4012/")
                .unwrap()
                .authority(),
            "127.0.0.1:4012"
        );
        assert_eq!(
            Endpoint::parse("http://127.0.0.1:4012/").unwrap().url("/x"),
            "http://127.0.0.1:4012/x"
        );
    }

    #[test]
    fn sensitive_headers_are_redacted_when_printed() {
        let request = HttpRequest {
            method: HttpMethod::Post,
            url: "https://x.com/".into(),
            headers: vec![
                HttpHeader::sensitive("Authorization", "Basic c2VjcmV0"),
                HttpHeader::new("Content-Type", "text/plain"),
            ],
            body: b"To=%2B1&Signature=abc%2B%3D&Body=hi".to_vec(),
            sensitive_form_fields: &["Signature"],
        };
        let printed = format!("{request}\n{request:?}");
        assert!(!printed.contains("c2VjcmV0"));
        assert!(printed.contains("Authorization: Basic <redacted>"));
        assert!(
            printed.contains("To=%2B1&Signature=<redacted>&Body=hi"),
            "{printed}"
        );
        assert!(!printed.contains("abc"));
    }

    #[test]
    fn signature_schemes_keep_their_public_parts() {
        let header = HttpHeader::sensitive(
            "Authorization",
            "TC3-HMAC-SHA256 Credential=AKID/2019-02-25/sms/tc3_request, SignedHeaders=content-type;host, Signature=abc123",
        );
        assert_eq!(
            header.display_value(),
            "TC3-HMAC-SHA256 Credential=AKID/2019-02-25/sms/tc3_request, SignedHeaders=content-type;host, Signature=<redacted>"
        );
    }
}
