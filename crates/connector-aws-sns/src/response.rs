//! Parsing SNS's XML answers, and the mapping of AWS error codes to kit codes.

use connector_kit::ConnectorErrorCode::{
    InvalidConfig, InvalidRequestParameters, RateLimitExceeded, UsageLimitExceeded,
};
use connector_kit::{ConnectorError, ErrorMapping, HttpResponse, ProviderFailure, SendReceipt};
use quick_xml::Reader;
use quick_xml::events::Event;

/// The AWS error codes the connector maps; every other code becomes `general`.
pub(crate) const ERROR_MAPPINGS: &[ErrorMapping] = &[
    ErrorMapping::retryable(
        "Throttling",
        RateLimitExceeded,
        "the request rate is too high",
    ),
    ErrorMapping::retryable(
        "ThrottlingException",
        RateLimitExceeded,
        "the request rate is too high",
    ),
    ErrorMapping::retryable(
        "Throttled",
        RateLimitExceeded,
        "the rate of Publish requests exceeds the account's limit (ThrottledException)",
    ),
    ErrorMapping::retryable(
        "ThrottledException",
        RateLimitExceeded,
        "the rate of Publish requests exceeds the account's limit",
    ),
    ErrorMapping::retryable(
        "KMSThrottling",
        RateLimitExceeded,
        "AWS KMS throttled the request for the topic's key",
    ),
    ErrorMapping::new(
        "InvalidClientTokenId",
        InvalidConfig,
        "the access key ID does not exist",
    ),
    ErrorMapping::new(
        "SignatureDoesNotMatch",
        InvalidConfig,
        "the signature does not match: wrong secret access key",
    ),
    ErrorMapping::new(
        "IncompleteSignature",
        InvalidConfig,
        "the request signature is incomplete",
    ),
    ErrorMapping::new(
        "MissingAuthenticationToken",
        InvalidConfig,
        "the request carries no credentials",
    ),
    ErrorMapping::new(
        "ExpiredToken",
        InvalidConfig,
        "the session token has expired",
    ),
    ErrorMapping::new(
        "InvalidSecurity",
        InvalidConfig,
        "the credential signature is not valid",
    ),
    ErrorMapping::new(
        "AuthorizationError",
        InvalidConfig,
        "the credentials are not allowed sns:Publish",
    ),
    ErrorMapping::new(
        "InvalidParameter",
        InvalidRequestParameters,
        "a parameter is not valid, such as the phone number",
    ),
    ErrorMapping::new(
        "InvalidParameterValue",
        InvalidRequestParameters,
        "a parameter value is not valid",
    ),
    ErrorMapping::new(
        "ParameterValueInvalid",
        InvalidRequestParameters,
        "a parameter value is not valid (InvalidParameterValueException)",
    ),
    ErrorMapping::new(
        "ValidationException",
        InvalidRequestParameters,
        "a parameter is not valid",
    ),
    ErrorMapping::new(
        "OptedOut",
        InvalidRequestParameters,
        "the phone number has opted out of SMS from this account",
    ),
    ErrorMapping::new(
        "OptedOutException",
        InvalidRequestParameters,
        "the phone number has opted out of SMS from this account",
    ),
    ErrorMapping::new(
        "KMSAccessDenied",
        UsageLimitExceeded,
        "the KMS key is not accessible",
    ),
    ErrorMapping::new("KMSDisabled", UsageLimitExceeded, "the KMS key is disabled"),
    ErrorMapping::new(
        "KMSInvalidState",
        UsageLimitExceeded,
        "the KMS key is not in a usable state",
    ),
    ErrorMapping::new(
        "KMSNotFound",
        UsageLimitExceeded,
        "the KMS key was not found",
    ),
    ErrorMapping::new(
        "KMSOptInRequired",
        UsageLimitExceeded,
        "the account needs a KMS subscription",
    ),
];

/// The deepest element nesting the reader follows; SNS answers are four levels deep.
const MAX_DEPTH: usize = 16;

/// The texts of the elements at `paths` (local names from the root), the first of each;
/// `None` when the body is not well-formed XML.
fn read_texts<const N: usize>(body: &[u8], paths: [&[&str]; N]) -> Option<[Option<String>; N]> {
    let mut reader = Reader::from_reader(body);
    let mut stack: Vec<String> = Vec::new();
    let mut found: [Option<String>; N] = std::array::from_fn(|_| None);
    let mut current: Option<(usize, String)> = None;
    let mut seen_root = false;
    loop {
        match reader.read_event().ok()? {
            Event::Start(start) => {
                if stack.len() >= MAX_DEPTH || (stack.is_empty() && seen_root) {
                    return None;
                }
                seen_root = true;
                let name = std::str::from_utf8(start.local_name().into_inner()).ok()?;
                stack.push(name.to_owned());
                current = paths
                    .iter()
                    .position(|path| path.iter().eq(stack.iter()))
                    .filter(|&i| found[i].is_none())
                    .map(|i| (i, String::new()));
            }
            Event::Empty(_) => {
                if stack.is_empty() {
                    return None;
                }
            }
            Event::Text(text) => {
                if let Some((_, value)) = &mut current {
                    value.push_str(&text.xml_content().ok()?);
                }
            }
            Event::CData(data) => {
                if let Some((_, value)) = &mut current {
                    value.push_str(&data.decode().ok()?);
                }
            }
            Event::GeneralRef(reference) => {
                let resolved = match reference.resolve_char_ref().ok()? {
                    Some(c) => c.to_string(),
                    None => {
                        let name = reference.decode().ok()?;
                        quick_xml::escape::resolve_predefined_entity(&name)?.to_owned()
                    }
                };
                if let Some((_, value)) = &mut current {
                    value.push_str(&resolved);
                }
            }
            Event::End(_) => {
                if let Some((i, value)) = current.take() {
                    found[i] = Some(value.trim().to_owned());
                }
                stack.pop()?;
            }
            Event::Eof => {
                return (seen_root && stack.is_empty()).then_some(found);
            }
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) | Event::DocType(_) => {}
        }
    }
}

/// Turns SNS's answer into a receipt or a mapped error.
pub(crate) fn parse_response(response: &HttpResponse) -> Result<SendReceipt, ConnectorError> {
    let header_request_id = response.header("x-amzn-requestid").map(str::to_owned);
    if (200..300).contains(&response.status) {
        let texts = read_texts(
            &response.body,
            [
                &["PublishResponse", "PublishResult", "MessageId"],
                &["PublishResponse", "ResponseMetadata", "RequestId"],
            ],
        );
        let [message_id, request_id] = texts.unwrap_or_default();
        let request_id = request_id.filter(|id| !id.is_empty()).or(header_request_id);
        return match message_id.filter(|id| !id.is_empty()) {
            Some(message_id) => Ok(SendReceipt::new(message_id, request_id)),
            None => Err(ConnectorError::invalid_response(format!(
                "SNS answered {} with a body that is not a PublishResponse with a MessageId: {}",
                response.status,
                response.body_excerpt()
            ))
            .with_request_id(request_id)),
        };
    }

    let texts = read_texts(
        &response.body,
        [
            &["ErrorResponse", "Error", "Code"],
            &["ErrorResponse", "Error", "Message"],
            &["ErrorResponse", "RequestId"],
        ],
    );
    let [code, message, request_id] = texts.unwrap_or_default();
    let request_id = request_id.filter(|id| !id.is_empty()).or(header_request_id);
    let Some(code) = code.filter(|c| !c.is_empty()) else {
        if response.status == 429 {
            return Err(
                ConnectorError::rate_limit_exceeded("SNS answered 429 Too Many Requests")
                    .with_retryable(true)
                    .with_request_id(request_id),
            );
        }
        return Err(ConnectorError::invalid_response(format!(
            "SNS answered {} with a body that is not an AWS ErrorResponse: {}",
            response.status,
            response.body_excerpt()
        ))
        .with_request_id(request_id));
    };
    Err(ProviderFailure {
        summary: "SNS rejected the message",
        code: &code,
        message: Some(message.as_deref().unwrap_or_default()),
        link: None,
        request_id: request_id.as_deref(),
        http_status: Some(response.status),
    }
    .into_error(ERROR_MAPPINGS))
}

#[cfg(test)]
mod tests {
    use super::*;
    use connector_kit::ConnectorErrorCode;

    fn error_body(code: &str, message: &str) -> String {
        format!(
            r#"<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">
  <Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error>
  <RequestId>req-{code}</RequestId>
</ErrorResponse>"#
        )
    }

    #[test]
    fn success_gives_the_message_id_and_request_id() {
        let body = r#"<?xml version="1.0"?>
<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">
  <PublishResult>
    <MessageId>567910cd-659e-55d4-8ccb-5aaf14679dc0</MessageId>
  </PublishResult>
  <ResponseMetadata>
    <RequestId>d74b8436-ae13-5ab4-a9ff-ce54dfea72a0</RequestId>
  </ResponseMetadata>
</PublishResponse>"#;
        let receipt = parse_response(&HttpResponse::new(200, body)).unwrap();
        assert_eq!(receipt.message_id, "567910cd-659e-55d4-8ccb-5aaf14679dc0");
        assert_eq!(
            receipt.request_id.as_deref(),
            Some("d74b8436-ae13-5ab4-a9ff-ce54dfea72a0")
        );
    }

    #[test]
    fn documented_codes_are_mapped() {
        let cases = [
            (400, "Throttling", ConnectorErrorCode::RateLimitExceeded),
            (429, "Throttled", ConnectorErrorCode::RateLimitExceeded),
            (
                400,
                "ThrottlingException",
                ConnectorErrorCode::RateLimitExceeded,
            ),
            (
                403,
                "InvalidClientTokenId",
                ConnectorErrorCode::InvalidConfig,
            ),
            (
                403,
                "SignatureDoesNotMatch",
                ConnectorErrorCode::InvalidConfig,
            ),
            (403, "AuthorizationError", ConnectorErrorCode::InvalidConfig),
            (
                400,
                "IncompleteSignature",
                ConnectorErrorCode::InvalidConfig,
            ),
            (403, "ExpiredToken", ConnectorErrorCode::InvalidConfig),
            (
                400,
                "InvalidParameter",
                ConnectorErrorCode::InvalidRequestParameters,
            ),
            (
                400,
                "ParameterValueInvalid",
                ConnectorErrorCode::InvalidRequestParameters,
            ),
            (
                400,
                "OptedOut",
                ConnectorErrorCode::InvalidRequestParameters,
            ),
            (400, "KMSDisabled", ConnectorErrorCode::UsageLimitExceeded),
            (
                403,
                "KMSOptInRequired",
                ConnectorErrorCode::UsageLimitExceeded,
            ),
            (500, "InternalError", ConnectorErrorCode::General),
            (404, "NotFound", ConnectorErrorCode::General),
        ];
        for (status, code, expected) in cases {
            let error = parse_response(&HttpResponse::new(
                status,
                error_body(code, "went &lt;wrong&gt; &#x263A;"),
            ))
            .unwrap_err();
            assert_eq!(error.code(), expected, "{code}");
            assert_eq!(error.details().provider_code.as_deref(), Some(code));
            assert_eq!(
                error.details().provider_message.as_deref(),
                Some("went <wrong> \u{263A}")
            );
            assert_eq!(
                error.details().request_id.as_deref(),
                Some(format!("req-{code}").as_str())
            );
            assert_eq!(
                error.is_retryable(),
                expected == ConnectorErrorCode::RateLimitExceeded,
                "{code}"
            );
        }
    }

    #[test]
    fn garbage_is_invalid_response() {
        for (status, body) in [
            (500, "<html>oops</html>"),
            (200, "<PublishResponse><PublishResult><MessageId>"),
            (200, "<PublishResponse></PublishResponse>"),
            (
                200,
                "<PublishResponse><PublishResult><MessageId></MessageId></PublishResult></PublishResponse>",
            ),
            (
                200,
                "<Other><PublishResult><MessageId>x</MessageId></PublishResult></Other>",
            ),
            (200, "<a/><b/>"),
            (
                400,
                "<ErrorResponse><Error><Code>X</Code></Error></ErrorResponse><ErrorResponse>",
            ),
            (
                400,
                "<ErrorResponse><Error><Code>&bogus;</Code></Error></ErrorResponse>",
            ),
            (400, "{\"code\": 1}"),
            (200, ""),
        ] {
            let error = parse_response(&HttpResponse::new(status, body)).unwrap_err();
            assert_eq!(
                error.code(),
                ConnectorErrorCode::InvalidResponse,
                "{status} {body}"
            );
        }
        let error = parse_response(&HttpResponse::new(429, "slow down")).unwrap_err();
        assert_eq!(error.code(), ConnectorErrorCode::RateLimitExceeded);
    }

    #[test]
    fn deep_nesting_is_refused_without_recursion() {
        let body = "<a>".repeat(100_000);
        assert!(read_texts(body.as_bytes(), [&["a"]]).is_none());
    }

    #[test]
    fn the_request_id_header_stands_in_for_the_body() {
        let response = HttpResponse::new(
            200,
            "<PublishResponse><PublishResult><MessageId>m</MessageId></PublishResult></PublishResponse>",
        )
        .with_header("x-amzn-RequestId", "from-header");
        let receipt = parse_response(&response).unwrap();
        assert_eq!(receipt.request_id.as_deref(), Some("from-header"));
    }
}
