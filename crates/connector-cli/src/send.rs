//! `sms-connector send`: one message through a connector, or its request with `--dry-run`.
//!
//! The operator's own input is shown back as typed: the library masks phone numbers for
//! logs, but a number refused here is the operator's, on their own terminal.

use connector_kit::{
    ConnectorError, ConnectorErrorCode, ConnectorFactory, Delivery, SendMessageData,
    SendMessagePayload, phone,
};
use serde_json::{Value, json};

use crate::cli::{PreviewArgs, SendArgs, invalid_config};
use crate::exit::{EXIT_INVALID, EXIT_SEND_FAILED, Failure};
use crate::input::{read_json, source_name};
use crate::output::Output;

/// Runs `send`.
pub fn run(
    factory: &dyn ConnectorFactory,
    args: SendArgs,
    output: &mut Output<'_>,
) -> Result<(), Failure> {
    let data = build_message(&args)?;
    let source = source_name(&args.config);
    let mut config = read_json(&args.config)?;
    if let Some(endpoint) = &args.endpoint {
        refuse_endpoint_of_members(factory, &config)?;
        check_endpoint(factory, endpoint)?;
        match config.as_object_mut() {
            Some(object) => {
                object.insert("endpoint".to_owned(), Value::String(endpoint.clone()));
            }
            None => {
                return Err(Failure::invalid(
                    "invalid_config",
                    format!("{source} is not a JSON object"),
                ));
            }
        }
    }
    let (connector, warnings) = connector_for(factory, &source, &config, output)?;
    let fail = |error: ConnectorError| {
        let mut failure = send_failure(&error, &args.to);
        failure.warnings.clone_from(&warnings);
        failure
    };

    if args.dry_run {
        let preview = connector.preview(&data).map_err(fail)?;
        if output.json {
            return output.document(&json!({
                "ok": true,
                "connector": factory.target(),
                "dryRun": true,
                "text": preview.text,
                "segments": preview.segments,
                "request": request_json(&preview.request),
                "warnings": warnings,
            }));
        }
        if let Some(segments) = &preview.segments {
            output.note(&format!("text: {segments}"))?;
        }
        return output.line(&preview.request.to_string());
    }

    let receipt = crate::exit::runtime(1)?
        .block_on(connector.send_message(&data))
        .map_err(fail)?;
    if output.json {
        return output.document(&json!({
            "ok": true,
            "connector": factory.target(),
            "messageId": receipt.message_id,
            "requestId": receipt.request_id,
            "via": receipt.via,
            "attempts": receipt.attempts,
            "segments": receipt.segments,
            "warnings": warnings,
        }));
    }
    let mut rest = format!(
        " via {}: message id {}",
        factory.target(),
        receipt.message_id
    );
    if let Some(id) = &receipt.request_id {
        rest.push_str(&format!(", request id {id}"));
    }
    if let Some(member) = &receipt.via {
        rest.push_str(&format!(", through {member}"));
    }
    if let Some(segments) = &receipt.segments {
        rest.push_str(&format!(" ({segments})"));
    }
    output.success("sent", &rest)
}

/// The connector a config makes, with the config's warnings (printed in text mode).
fn connector_for(
    factory: &dyn ConnectorFactory,
    source: &str,
    config: &Value,
    output: &mut Output<'_>,
) -> Result<
    (
        Box<dyn connector_kit::SmsConnector>,
        Vec<connector_kit::ConfigWarning>,
    ),
    Failure,
> {
    let warnings = factory
        .validate_config(config)
        .map_err(|e| invalid_config(source, &e))?;
    let connector = factory
        .create(config)
        .map_err(|e| invalid_config(source, &e))?;
    output.warnings(&warnings)?;
    Ok((connector, warnings))
}

fn request_json(request: &connector_kit::HttpRequest) -> Value {
    let headers: Vec<Value> = request
        .headers
        .iter()
        .map(|h| json!({"name": h.name, "value": h.display_value()}))
        .collect();
    json!({
        "method": request.method.as_str(),
        "url": request.url,
        "headers": headers,
        "body": request.display_body(),
    })
}

/// Runs `preview`: the rendered text, its encoding and segments, and the request.
pub fn preview(
    factory: &dyn ConnectorFactory,
    args: PreviewArgs,
    output: &mut Output<'_>,
) -> Result<(), Failure> {
    if args.code.trim().is_empty() {
        return Err(Failure::invalid(
            "invalid_input",
            "--code is empty; give the code to render",
        ));
    }
    let source = source_name(&args.config);
    let config = read_json(&args.config)?;
    let (connector, warnings) = connector_for(factory, &source, &config, output)?;
    let mut payload = SendMessagePayload::with_code(args.code.clone());
    payload.locale.clone_from(&args.locale);
    let data = SendMessageData {
        to: args.to.clone(),
        template_type: args.usage_type,
        payload,
        ip: None,
    };
    let preview = connector.preview(&data).map_err(|e| {
        let mut failure = send_failure(&e, &args.to);
        failure.warnings.clone_from(&warnings);
        failure
    })?;
    if output.json {
        return output.document(&json!({
            "ok": true,
            "connector": factory.target(),
            "type": args.usage_type,
            "text": preview.text,
            "segments": preview.segments,
            "request": request_json(&preview.request),
            "warnings": warnings,
        }));
    }
    match (&preview.text, &preview.segments) {
        (Some(text), Some(segments)) => {
            output.line(&format!("text: {text}"))?;
            output.line(&format!("encoding: {segments}"))?;
            if !segments.non_gsm.is_empty() {
                let chars: String = segments.non_gsm.iter().collect();
                output.line(&format!("UCS-2 because of: {chars}"))?;
            }
        }
        _ => output.line(&format!(
            "text: rendered by {} from its approved template; the request names the template and its parameters",
            factory.metadata().name.en
        ))?,
    }
    output.line("")?;
    output.line(&preview.request.to_string())
}

/// The message the flags describe, or a usage error for flags that contradict each other.
fn build_message(args: &SendArgs) -> Result<SendMessageData, Failure> {
    let code = match &args.code {
        Some(code) if code.trim().is_empty() => {
            return Err(Failure::invalid(
                "invalid_input",
                "--code is empty; give the code to send, or leave --code out for a random one",
            ));
        }
        Some(code) => code.clone(),
        None => random_code(),
    };
    let mut payload = SendMessagePayload::with_code(code);
    for pair in &args.payload {
        let (key, value) = pair
            .split_once('=')
            .filter(|(k, _)| !k.is_empty())
            .ok_or_else(|| Failure::usage(format!("--payload {pair:?} is not key=value")))?;
        let value = value.to_owned();
        match key {
            "code" => {
                return Err(Failure::usage(format!(
                    "--payload {pair:?}: set the code with --code, not --payload"
                )));
            }
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
        template_type: args.usage_type,
        payload,
        ip: None,
    })
}

fn random_code() -> String {
    format!("{:06}", uuid::Uuid::new_v4().as_u128() % 1_000_000)
}

/// Refuses `--endpoint` for a connector made of member connectors (the router): it has no
/// endpoint of its own, and its members send to different providers, each at its own origin
/// (the simulator too gives each provider its own port), so one endpoint for all of them
/// would send one provider's requests to another's API. Each member's config names its own.
fn refuse_endpoint_of_members(
    factory: &dyn ConnectorFactory,
    config: &Value,
) -> Result<(), Failure> {
    let schema = factory.config_schema();
    if schema.pointer("/properties/members").is_none()
        || schema.pointer("/properties/endpoint").is_some()
    {
        return Ok(());
    }
    let members: Vec<String> = config
        .get("members")
        .and_then(Value::as_object)
        .map(|members| {
            members
                .iter()
                .map(
                    |(name, member)| match member.get("target").and_then(Value::as_str) {
                        Some(target) => format!("{name}: {target}"),
                        None => name.clone(),
                    },
                )
                .collect()
        })
        .unwrap_or_default();
    let listed = if members.is_empty() {
        String::new()
    } else {
        format!(" ({})", members.join(", "))
    };
    Err(Failure::usage(format!(
        "--endpoint cannot be used with {}: it has no endpoint of its own, and its members{listed} \
         each send to their own provider's API, which one endpoint cannot stand for; set \
         \"endpoint\" in each member's config instead (members.<name>.config.endpoint)",
        factory.target()
    )))
}

/// Checks `--endpoint` alone against the connector's rule for `endpoint`, so that an error
/// names the flag rather than the config file.
fn check_endpoint(factory: &dyn ConnectorFactory, endpoint: &str) -> Result<(), Failure> {
    let Some(rule) = factory.config_schema().pointer("/properties/endpoint") else {
        return Err(Failure::usage(format!(
            "--endpoint: the {} connector has no endpoint to override",
            factory.target()
        )));
    };
    let problems = connector_kit::validate(rule, &Value::String(endpoint.to_owned()));
    match problems.first() {
        None => Ok(()),
        Some(problem) => Err(Failure::invalid(
            "invalid_input",
            format!("--endpoint {endpoint:?} {}", problem.message),
        )),
    }
}

/// A failed send: exit 3 when the connector refused the message before any request (a bad
/// number, no template), 1 when the send failed at or on the way to the provider.
fn send_failure(error: &ConnectorError, to: &str) -> Failure {
    let details = error.details();
    let before_request = details.http_status.is_none()
        && details.delivery == Delivery::NotSent
        && matches!(
            error.code(),
            ConnectorErrorCode::InvalidRequestParameters
                | ConnectorErrorCode::InsufficientRequestParameters
                | ConnectorErrorCode::TemplateNotFound
                | ConnectorErrorCode::TemplateNotSupported
                | ConnectorErrorCode::InvalidConfig
        );
    let exit = if before_request {
        EXIT_INVALID
    } else {
        EXIT_SEND_FAILED
    };
    let mut failure = Failure::connector(exit, error);
    if details.field.as_deref() == Some("to") {
        // The library masks the number for logs; the operator typed it, so show it.
        let masked = format!("phone number {:?}", phone::mask(to));
        failure.message = if failure.message.contains(&masked) {
            failure
                .message
                .replacen(&masked, &format!("--to {to:?}"), 1)
        } else {
            format!("--to {to:?}: {}", failure.message)
        };
    }
    failure
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_number_is_shown_as_typed() {
        let error = phone::parse("+1 415 555 0100", phone::PhoneRules::STRICT).unwrap_err();
        let failure = send_failure(&error, "+1 415 555 0100");
        assert_eq!(failure.exit, EXIT_INVALID);
        assert_eq!(
            failure.message,
            "--to \"+1 415 555 0100\" is not usable: it contains spaces, dashes, dots or brackets; write + and digits only, such as +14155550100"
        );
    }

    #[test]
    fn provider_failures_exit_1() {
        let error = ConnectorError::rate_limit_exceeded("slow down")
            .with_http_status(429)
            .with_delivery(Delivery::Answered);
        assert_eq!(send_failure(&error, "+14155550100").exit, EXIT_SEND_FAILED);
        let refused = ConnectorError::general("connection refused");
        assert_eq!(
            send_failure(&refused, "+14155550100").exit,
            EXIT_SEND_FAILED
        );
    }
}
