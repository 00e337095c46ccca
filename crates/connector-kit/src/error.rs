//! Error codes and the one error type every connector returns.
//!
//! The string form of each [`ConnectorErrorCode`] is the one Logto's connector kit uses, so a
//! host that already maps Logto's codes to user-facing messages keeps working. The kit adds one
//! code of its own, [`ConnectorErrorCode::Timeout`], which [`ConnectorErrorCode::logto_code`]
//! folds into `general` for hosts that only know Logto's set.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A stable, machine-readable error code.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConnectorErrorCode {
    /// Anything that has no better code.
    General,
    /// The connector's metadata is malformed.
    InvalidMetadata,
    /// A value had an unexpected type.
    UnexpectedType,
    /// The config guard (schema) itself is invalid.
    InvalidConfigGuard,
    /// The message or its parameters were rejected: a bad phone number, a missing template
    /// parameter, a number the provider will not deliver to.
    InvalidRequestParameters,
    /// A parameter the send needs is missing.
    InsufficientRequestParameters,
    /// The config is invalid, or the provider rejected its credentials, signature or template.
    InvalidConfig,
    /// A certificate is invalid.
    InvalidCertificate,
    /// The provider answered with something that could not be understood.
    InvalidResponse,
    /// No template for the usage type, and no `Generic` template to fall back to.
    TemplateNotFound,
    /// The template exists but cannot be used for this message.
    TemplateNotSupported,
    /// The provider throttled the request or the recipient.
    RateLimitExceeded,
    /// The account is out of balance or quota.
    UsageLimitExceeded,
    /// The operation is not implemented by this connector.
    NotImplemented,
    /// Social connectors: the authorization code is invalid.
    SocialAuthCodeInvalid,
    /// Social connectors: the access token is invalid.
    SocialInvalidAccessToken,
    /// Social connectors: the ID token is invalid.
    SocialInvalidIdToken,
    /// Authorization failed.
    AuthorizationFailed,
    /// The provider did not answer within the configured timeout. Kit-specific; Logto hosts
    /// see it as `general` through [`ConnectorErrorCode::logto_code`].
    Timeout,
}

impl ConnectorErrorCode {
    /// Every code, in declaration order.
    pub const ALL: [ConnectorErrorCode; 19] = [
        Self::General,
        Self::InvalidMetadata,
        Self::UnexpectedType,
        Self::InvalidConfigGuard,
        Self::InvalidRequestParameters,
        Self::InsufficientRequestParameters,
        Self::InvalidConfig,
        Self::InvalidCertificate,
        Self::InvalidResponse,
        Self::TemplateNotFound,
        Self::TemplateNotSupported,
        Self::RateLimitExceeded,
        Self::UsageLimitExceeded,
        Self::NotImplemented,
        Self::SocialAuthCodeInvalid,
        Self::SocialInvalidAccessToken,
        Self::SocialInvalidIdToken,
        Self::AuthorizationFailed,
        Self::Timeout,
    ];

    /// The stable snake_case name, e.g. `rate_limit_exceeded`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::General => "general",
            Self::InvalidMetadata => "invalid_metadata",
            Self::UnexpectedType => "unexpected_type",
            Self::InvalidConfigGuard => "invalid_config_guard",
            Self::InvalidRequestParameters => "invalid_request_parameters",
            Self::InsufficientRequestParameters => "insufficient_request_parameters",
            Self::InvalidConfig => "invalid_config",
            Self::InvalidCertificate => "invalid_certificate",
            Self::InvalidResponse => "invalid_response",
            Self::TemplateNotFound => "template_not_found",
            Self::TemplateNotSupported => "template_not_supported",
            Self::RateLimitExceeded => "rate_limit_exceeded",
            Self::UsageLimitExceeded => "usage_limit_exceeded",
            Self::NotImplemented => "not_implemented",
            Self::SocialAuthCodeInvalid => "social_auth_code_invalid",
            Self::SocialInvalidAccessToken => "social_invalid_access_token",
            Self::SocialInvalidIdToken => "social_invalid_id_token",
            Self::AuthorizationFailed => "authorization_failed",
            Self::Timeout => "timeout",
        }
    }

    /// The code a Logto host knows: the same code, except `timeout`, which becomes `general`.
    pub const fn logto_code(self) -> &'static str {
        match self {
            Self::Timeout => Self::General.as_str(),
            other => other.as_str(),
        }
    }
}

impl fmt::Display for ConnectorErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether a failed send may have reached the provider.
///
/// A verification SMS costs money and lands on a person's phone, so a host must know whether
/// retrying could send it twice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Delivery {
    /// The request never left this process, or provably never reached the provider.
    #[default]
    NotSent,
    /// The provider received the request and answered; its answer says what happened.
    Answered,
    /// The request may have reached the provider, but no answer came back: the message may
    /// have been sent.
    MaybeSent,
}

/// One problem found in a config, located by its JSON pointer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConfigProblem {
    /// JSON pointer to the offending value, e.g. `/templates/2/usageType`; empty for the root.
    pub path: String,
    /// What is wrong, in one sentence.
    pub message: String,
}

impl fmt::Display for ConfigProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = if self.path.is_empty() {
            "/"
        } else {
            &self.path
        };
        write!(f, "{path}: {}", self.message)
    }
}

/// What validation noticed in a config it accepts: something that is probably a mistake but
/// that Logto's connectors accept too, so a config moved from Logto keeps working.
///
/// A host shows warnings to the operator; [`ConnectorError::from_warnings`] turns them into
/// errors for a strict check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConfigWarning {
    /// JSON pointer to the value, e.g. `/templates/4/usageType`; empty for the root.
    pub path: String,
    /// What kind of warning it is, a stable name.
    pub kind: WarningKind,
    /// What was noticed, in one sentence.
    pub message: String,
}

impl ConfigWarning {
    /// A warning at `path`.
    pub fn new(path: impl Into<String>, kind: WarningKind, message: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            kind,
            message: message.into(),
        }
    }

    /// The warning as a problem, for a strict check.
    pub fn to_problem(&self) -> ConfigProblem {
        ConfigProblem {
            path: self.path.clone(),
            message: self.message.clone(),
        }
    }
}

impl fmt::Display for ConfigWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.to_problem().fmt(f)
    }
}

/// The kinds of [`ConfigWarning`], each a stable snake_case name.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WarningKind {
    /// A key the connector does not know; it is ignored, as Logto ignores it.
    UnknownField,
    /// A template whose usage type no message ever has; it is never used.
    UnknownUsageType,
    /// A template for a usage type Logto has deprecated (`Test`, `Continue`); it is still used.
    DeprecatedUsageType,
    /// A second template for one usage type; the first one is used.
    DuplicateTemplate,
    /// A message text without `{{code}}`: the code would never reach the user.
    MissingCode,
    /// A message text that takes more than one SMS segment with a six-digit code: it costs
    /// more and may arrive in pieces.
    MultiSegment,
    /// A country code no phone number belongs to (`UK` for `GB`): a rule naming it never
    /// applies.
    UnknownCountry,
}

impl WarningKind {
    /// The stable snake_case name, e.g. `unknown_field`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::UnknownField => "unknown_field",
            Self::UnknownUsageType => "unknown_usage_type",
            Self::DeprecatedUsageType => "deprecated_usage_type",
            Self::DuplicateTemplate => "duplicate_template",
            Self::MissingCode => "missing_code",
            Self::MultiSegment => "multi_segment",
            Self::UnknownCountry => "unknown_country",
        }
    }
}

impl fmt::Display for WarningKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Structured facts about a failure, for logs and for hosts that branch on provider codes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ErrorDetails {
    /// The provider's own error code (`20003`, `isv.BUSINESS_LIMIT_CONTROL`, `AuthFailure.SignatureFailure`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provider_code: Option<String>,
    /// The provider's own error message, with any known secret removed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provider_message: Option<String>,
    /// The provider's request id, for support tickets.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// The HTTP status the provider answered with.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http_status: Option<u16>,
    /// Every config problem, for `invalid_config` errors raised by validation.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<ConfigProblem>,
    /// What validation noticed beside the problems, for `invalid_config` errors: a warning
    /// often explains a problem (a template for `signin` is why `SignIn` is missing).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<ConfigWarning>,
    /// The field of the message the error is about (`to`, `code`, `templateType`), when it
    /// is about one: a command can then show the operator what they typed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// How many seconds the provider asked to wait before sending again, from its
    /// `Retry-After` header, for `rate_limit_exceeded` errors.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_after_secs: Option<u64>,
    /// Whether the message may have been sent.
    pub delivery: Delivery,
    /// Each member a routing connector tried, in order, the last one being the one whose
    /// error this is; empty for a provider's own error.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub attempts: Vec<crate::connector::Attempt>,
}

/// The error every connector operation returns.
///
/// It carries a stable [`ConnectorErrorCode`], a human message, [`ErrorDetails`] and an
/// optional source. Neither its `Display` nor its `Debug` output ever holds a credential: the
/// messages are written by the kit and the connectors, and provider messages are scrubbed of
/// the config's secrets before they are stored.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct ConnectorError {
    code: ConnectorErrorCode,
    message: String,
    details: Box<ErrorDetails>,
    retryable: bool,
    #[source]
    source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
}

macro_rules! constructors {
    ($($(#[$doc:meta])* $name:ident => $code:ident;)*) => {
        $(
            $(#[$doc])*
            pub fn $name(message: impl Into<String>) -> Self {
                Self::new(ConnectorErrorCode::$code, message)
            }
        )*
    };
}

impl ConnectorError {
    /// An error with the given code and message, no details and no source.
    pub fn new(code: ConnectorErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            details: Box::default(),
            retryable: false,
            source: None,
        }
    }

    constructors! {
        /// `general`: anything without a better code.
        general => General;
        /// `invalid_config`: a bad config, or credentials the provider rejected.
        invalid_config => InvalidConfig;
        /// `invalid_request_parameters`: a bad phone number or message parameter.
        invalid_request_parameters => InvalidRequestParameters;
        /// `invalid_response`: a provider answer that could not be understood.
        invalid_response => InvalidResponse;
        /// `template_not_found`: no template for the usage type and none to fall back to.
        template_not_found => TemplateNotFound;
        /// `rate_limit_exceeded`: the provider throttled the send.
        rate_limit_exceeded => RateLimitExceeded;
        /// `usage_limit_exceeded`: out of balance or quota.
        usage_limit_exceeded => UsageLimitExceeded;
        /// `timeout`: no answer within the configured timeout.
        timeout => Timeout;
    }

    /// `invalid_config` carrying every problem found by validation.
    pub fn invalid_config_problems(problems: Vec<ConfigProblem>) -> Self {
        let mut message = String::from("invalid config");
        for problem in &problems {
            message.push_str("\n  ");
            message.push_str(&problem.to_string());
        }
        let mut error = Self::new(ConnectorErrorCode::InvalidConfig, message);
        error.details.problems = problems;
        error
    }

    /// `invalid_config` with every problem, and the warnings validation gave beside them.
    pub fn invalid_config_report(report: crate::checker::Report) -> Self {
        let mut error = Self::invalid_config_problems(report.problems);
        error.details.warnings = report.warnings;
        error
    }

    /// `invalid_config` for a strict check: each warning becomes a problem.
    pub fn from_warnings(warnings: &[ConfigWarning]) -> Self {
        Self::invalid_config_problems(warnings.iter().map(ConfigWarning::to_problem).collect())
    }

    /// The stable code.
    pub fn code(&self) -> ConnectorErrorCode {
        self.code
    }

    /// The human message (the same as `Display`).
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The structured details.
    pub fn details(&self) -> &ErrorDetails {
        &self.details
    }

    /// Whether the host may safely send again: true only when the request provably never
    /// reached the provider, or the provider said so (a throttle with no send).
    pub fn is_retryable(&self) -> bool {
        self.retryable
    }

    /// Whether the message may have been sent despite the error.
    pub fn may_have_been_sent(&self) -> bool {
        self.details.delivery == Delivery::MaybeSent
    }

    /// Whether this is a timeout.
    pub fn is_timeout(&self) -> bool {
        self.code == ConnectorErrorCode::Timeout
    }

    /// Sets the provider's error code.
    pub fn with_provider_code(mut self, code: impl Into<String>) -> Self {
        self.details.provider_code = Some(code.into());
        self
    }

    /// Sets the provider's error message.
    pub fn with_provider_message(mut self, message: impl Into<String>) -> Self {
        self.details.provider_message = Some(message.into());
        self
    }

    /// Sets the provider's request id.
    pub fn with_request_id(mut self, request_id: Option<String>) -> Self {
        self.details.request_id = request_id;
        self
    }

    /// Sets the HTTP status.
    pub fn with_http_status(mut self, status: u16) -> Self {
        self.details.http_status = Some(status);
        self
    }

    /// Sets how many seconds the provider asked to wait before sending again.
    pub fn with_retry_after(mut self, seconds: u64) -> Self {
        self.details.retry_after_secs = Some(seconds);
        self
    }

    /// Names the message field the error is about (`to`, `code`).
    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.details.field = Some(field.into());
        self
    }

    /// Sets the delivery state.
    pub fn with_delivery(mut self, delivery: Delivery) -> Self {
        self.details.delivery = delivery;
        self
    }

    /// Records the members a routing connector tried before giving this error.
    pub fn with_attempts(mut self, attempts: Vec<crate::connector::Attempt>) -> Self {
        self.details.attempts = attempts;
        self
    }

    /// Marks the error as safe (or not) to retry.
    pub fn with_retryable(mut self, retryable: bool) -> Self {
        self.retryable = retryable;
        self
    }

    /// Attaches the underlying cause.
    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.source = Some(Box::new(source));
        self
    }

    /// Attaches an underlying cause that is already boxed.
    pub(crate) fn with_boxed_source(
        mut self,
        source: Box<dyn std::error::Error + Send + Sync>,
    ) -> Self {
        self.source = Some(source);
        self
    }

    /// Removes every occurrence of each secret from the message and provider message, for
    /// providers that echo parts of a request back in an error body.
    pub fn scrub(self, secrets: &[&str]) -> Self {
        let pairs: Vec<(&str, &str)> = secrets.iter().map(|s| (*s, "<redacted>")).collect();
        self.scrub_with(&pairs)
    }

    /// Replaces every occurrence of each needle (four characters or longer) in the message
    /// and provider message with its replacement: secrets, and personal data a provider may
    /// echo back (the verification code, the phone number).
    pub fn scrub_with(mut self, pairs: &[(&str, &str)]) -> Self {
        for (needle, replacement) in pairs.iter().filter(|(n, _)| n.len() >= 4) {
            if self.message.contains(needle) {
                self.message = self.message.replace(needle, replacement);
            }
            if let Some(text) = &mut self.details.provider_message {
                if text.contains(needle) {
                    *text = text.replace(needle, replacement);
                }
            }
        }
        self
    }
}

/// One row of a provider's error table: a provider code, the kit code it becomes, and whether
/// a host may send again.
///
/// Every provider writes its table the same way, one `ErrorMapping::new` (or
/// [`ErrorMapping::retryable`]) per row, and hands it to [`ProviderFailure::into_error`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorMapping {
    /// The provider's code; a trailing `*` matches any code with that prefix.
    pub provider_code: &'static str,
    /// The kit code it maps to.
    pub code: ConnectorErrorCode,
    /// Whether the provider refused the message without sending it, so that the host may
    /// safely send again later (throttles).
    pub retryable: bool,
    /// What it means, in a few words.
    pub meaning: &'static str,
}

impl ErrorMapping {
    /// A row whose error is final: sending again will fail the same way.
    pub const fn new(
        provider_code: &'static str,
        code: ConnectorErrorCode,
        meaning: &'static str,
    ) -> Self {
        Self {
            provider_code,
            code,
            retryable: false,
            meaning,
        }
    }

    /// A row whose error says the message was not sent and may be sent again later.
    pub const fn retryable(
        provider_code: &'static str,
        code: ConnectorErrorCode,
        meaning: &'static str,
    ) -> Self {
        Self {
            retryable: true,
            ..Self::new(provider_code, code, meaning)
        }
    }

    /// Whether this row matches a provider code.
    pub fn matches(&self, provider_code: &str) -> bool {
        match self.provider_code.strip_suffix('*') {
            Some(prefix) => provider_code.starts_with(prefix),
            None => self.provider_code == provider_code,
        }
    }

    /// The first row of `table` that matches a provider code.
    pub fn find<'t>(table: &'t [ErrorMapping], provider_code: &str) -> Option<&'t ErrorMapping> {
        table.iter().find(|m| m.matches(provider_code))
    }

    /// The kit code for a provider code: the first matching row, else `general`.
    pub fn lookup(table: &[ErrorMapping], provider_code: &str) -> ConnectorErrorCode {
        Self::find(table, provider_code).map_or(ConnectorErrorCode::General, |m| m.code)
    }
}

/// A provider's refusal, as its answer states it: what every provider's response parser
/// hands to the kit, which maps it through the provider's error table.
#[derive(Debug, Clone, Default)]
pub struct ProviderFailure<'a> {
    /// What happened, as the start of the error message: "Twilio rejected the message".
    pub summary: &'a str,
    /// The provider's own code.
    pub code: &'a str,
    /// The provider's own message, when it gave one.
    pub message: Option<&'a str>,
    /// A link the provider gives for more information.
    pub link: Option<&'a str>,
    /// The provider's request id.
    pub request_id: Option<&'a str>,
    /// The HTTP status of the answer.
    pub http_status: Option<u16>,
}

impl ProviderFailure<'_> {
    /// The mapped error: the first matching row of `table` gives the kit code and the
    /// retryable flag (no row: `general`, not retryable; an HTTP 429 is always a retryable
    /// `rate_limit_exceeded`). The message reads `<summary>: <message> (code <code>)`, or
    /// `<summary> with code <code>` when the provider gave no message (and leaves out what it
    /// did not give), then `; see <link>`.
    /// The details keep the provider's code, message, request id and status.
    pub fn into_error(self, table: &[ErrorMapping]) -> ConnectorError {
        let row = ErrorMapping::find(table, self.code);
        let (mut code, mut retryable) = row.map_or((ConnectorErrorCode::General, false), |r| {
            (r.code, r.retryable)
        });
        if self.http_status == Some(429) {
            (code, retryable) = (ConnectorErrorCode::RateLimitExceeded, true);
        }
        let provider_message = self.message.filter(|m| !m.is_empty()).unwrap_or_default();
        let mut text = match (provider_message.is_empty(), self.code.is_empty()) {
            (true, true) => self.summary.to_owned(),
            (true, false) => format!("{} with code {}", self.summary, self.code),
            (false, true) => format!("{}: {provider_message}", self.summary),
            (false, false) => format!("{}: {provider_message} (code {})", self.summary, self.code),
        };
        if let Some(link) = self.link.filter(|l| !l.is_empty()) {
            text.push_str("; see ");
            text.push_str(link);
        }
        let mut error = ConnectorError::new(code, text)
            .with_provider_code(self.code)
            .with_provider_message(provider_message)
            .with_request_id(self.request_id.map(str::to_owned))
            .with_retryable(retryable);
        if let Some(status) = self.http_status {
            error = error.with_http_status(status);
        }
        error
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_through_serde() {
        for code in ConnectorErrorCode::ALL {
            let json = serde_json::to_value(code).unwrap();
            assert_eq!(json, serde_json::Value::String(code.as_str().into()));
            let back: ConnectorErrorCode = serde_json::from_value(json).unwrap();
            assert_eq!(back, code);
        }
    }

    #[test]
    fn timeout_folds_into_general_for_logto() {
        assert_eq!(ConnectorErrorCode::Timeout.logto_code(), "general");
        assert_eq!(
            ConnectorErrorCode::RateLimitExceeded.logto_code(),
            "rate_limit_exceeded"
        );
    }

    #[test]
    fn scrub_removes_secrets_from_every_text() {
        let error = ConnectorError::invalid_config("bad token tok-SECRET-1234")
            .with_provider_message("echo: tok-SECRET-1234")
            .scrub(&["tok-SECRET-1234"]);
        assert!(!error.to_string().contains("SECRET"));
        assert!(!format!("{error:?}").contains("SECRET"));
    }

    #[test]
    fn provider_failures_map_through_the_table() {
        const TABLE: &[ErrorMapping] = &[
            ErrorMapping::retryable(
                "Throttling*",
                ConnectorErrorCode::RateLimitExceeded,
                "throttled",
            ),
            ErrorMapping::new("Bad.Key", ConnectorErrorCode::InvalidConfig, "bad key"),
        ];
        let failure = |code, message| ProviderFailure {
            summary: "Acme rejected the message",
            code,
            message,
            request_id: Some("R1"),
            http_status: Some(400),
            ..ProviderFailure::default()
        };
        let throttled = failure("Throttling.User", Some("slow down")).into_error(TABLE);
        assert_eq!(throttled.code(), ConnectorErrorCode::RateLimitExceeded);
        assert!(throttled.is_retryable());
        assert_eq!(
            throttled.to_string(),
            "Acme rejected the message: slow down (code Throttling.User)"
        );
        assert_eq!(throttled.details().request_id.as_deref(), Some("R1"));
        assert_eq!(throttled.details().http_status, Some(400));

        let bad = failure("Bad.Key", None).into_error(TABLE);
        assert_eq!(bad.code(), ConnectorErrorCode::InvalidConfig);
        assert!(!bad.is_retryable());
        assert_eq!(
            bad.to_string(),
            "Acme rejected the message with code Bad.Key"
        );

        let unknown = ProviderFailure {
            link: Some("https://example.com/e/1"),
            ..failure("Other", Some("m"))
        }
        .into_error(TABLE);
        assert_eq!(unknown.code(), ConnectorErrorCode::General);
        assert!(
            unknown
                .to_string()
                .ends_with("; see https://example.com/e/1")
        );

        let too_many = ProviderFailure {
            http_status: Some(429),
            ..failure("Other", None)
        }
        .into_error(TABLE);
        assert_eq!(too_many.code(), ConnectorErrorCode::RateLimitExceeded);
        assert!(too_many.is_retryable());
    }

    #[test]
    fn problems_are_listed_in_the_message() {
        let error = ConnectorError::invalid_config_problems(vec![ConfigProblem {
            path: "/templates/0/content".into(),
            message: "expected a string".into(),
        }]);
        assert_eq!(error.code(), ConnectorErrorCode::InvalidConfig);
        assert!(
            error
                .to_string()
                .contains("/templates/0/content: expected a string")
        );
        assert_eq!(error.details().problems.len(), 1);
    }
}
