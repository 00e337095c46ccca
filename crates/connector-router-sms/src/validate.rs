//! Checking a router config: its own shape, each member's config as that member checks it
//! (problems and warnings at their path inside the router config), and the names and
//! countries it refers to.

use connector_kit::{
    ConfigProblem, ConfigWarning, ConnectorError, ConnectorFactory, Report, WarningKind,
};
use serde_json::Value;

use crate::config::RouterConfig;
use crate::country;

/// Everything wrong with a router config and everything noticed, in document order.
pub(crate) fn check(
    shell: &Value,
    members: &[Box<dyn ConnectorFactory>],
    config: &Value,
) -> Result<(RouterConfig, Vec<ConfigWarning>), ConnectorError> {
    let mut report = connector_kit::check(shell, config);
    check_members(members, config, &mut report);
    check_names(config, &mut report);
    check_countries(config, &mut report);
    if !report.problems.is_empty() {
        return Err(ConnectorError::invalid_config_report(report));
    }
    match serde_json::from_value::<RouterConfig>(config.clone()) {
        Ok(parsed) => Ok((parsed, report.warnings)),
        Err(e) => {
            report.problems.push(ConfigProblem {
                path: String::new(),
                message: format!(
                    "accepted by the schema but not by the parser (please report): {e}"
                ),
            });
            Err(ConnectorError::invalid_config_report(report))
        }
    }
}

fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

fn problem(report: &mut Report, path: String, message: String) {
    report.problems.push(ConfigProblem { path, message });
}

/// Each member's target must be a known connector, and its config valid for it.
fn check_members(members: &[Box<dyn ConnectorFactory>], config: &Value, report: &mut Report) {
    let Some(entries) = config.get("members").and_then(Value::as_object) else {
        return;
    };
    if entries.is_empty() {
        problem(
            report,
            "/members".into(),
            "no member: name at least one connector to send through".into(),
        );
    }
    for (name, member) in entries {
        let base = format!("/members/{}", escape(name));
        let Some(target) = member.get("target").and_then(Value::as_str) else {
            continue;
        };
        let Some(factory) = members
            .iter()
            .find(|f| f.target() == target || f.id() == target)
        else {
            let targets: Vec<&str> = members.iter().map(|f| f.target()).collect();
            let message = if target == crate::TARGET || target == crate::ID {
                "a router cannot be a member of a router".to_owned()
            } else {
                format!(
                    "unknown connector {target:?}{}; members can be {}",
                    connector_kit::suggest::did_you_mean(target, targets.iter().copied()),
                    targets.join(", ")
                )
            };
            problem(report, format!("{base}/target"), message);
            continue;
        };
        if factory.id() == target && factory.target() != target {
            problem(
                report,
                format!("{base}/target"),
                format!(
                    "expected the connector's target {:?}, found its id",
                    factory.target()
                ),
            );
            continue;
        }
        let Some(member_config) = member.get("config").filter(|c| c.is_object()) else {
            continue;
        };
        let inner = format!("{base}/config");
        let at = |path: &str| format!("{inner}{path}");
        match factory.validate_config(member_config) {
            Ok(warnings) => report.warnings.extend(
                warnings
                    .into_iter()
                    .map(|w| ConfigWarning::new(at(&w.path), w.kind, w.message)),
            ),
            Err(error) => {
                let details = error.details();
                if details.problems.is_empty() {
                    problem(report, inner.clone(), error.to_string());
                }
                for p in &details.problems {
                    problem(report, at(&p.path), p.message.clone());
                }
                for w in &details.warnings {
                    report.warnings.push(ConfigWarning::new(
                        at(&w.path),
                        w.kind,
                        w.message.clone(),
                    ));
                }
            }
        }
    }
}

/// Every name in `routes[].via` and `default` must be a member.
fn check_names(config: &Value, report: &mut Report) {
    let names: Vec<&str> = config
        .get("members")
        .and_then(Value::as_object)
        .map(|m| m.keys().map(String::as_str).collect())
        .unwrap_or_default();
    let mut lists: Vec<(String, &Vec<Value>)> = Vec::new();
    for (i, route) in config
        .get("routes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        if let Some(via) = route.get("via").and_then(Value::as_array) {
            lists.push((format!("/routes/{i}/via"), via));
        }
    }
    if let Some(default) = config.get("default").and_then(Value::as_array) {
        lists.push(("/default".into(), default));
    }
    for (path, list) in lists {
        for (j, name) in list.iter().enumerate() {
            let Some(name) = name.as_str() else { continue };
            if name.trim().is_empty() || names.contains(&name) {
                continue;
            }
            problem(
                report,
                format!("{path}/{j}"),
                format!(
                    "unknown member {name:?}{}; members are {}",
                    connector_kit::suggest::did_you_mean(name, names.iter().copied()),
                    if names.is_empty() {
                        "none".to_owned()
                    } else {
                        names.join(", ")
                    }
                ),
            );
        }
    }
}

/// A country code libphonenumber does not know never matches a number: a warning naming the
/// closest known one (`UK` is `GB`).
fn check_countries(config: &Value, report: &mut Report) {
    let mut lists: Vec<(String, &Vec<Value>)> = Vec::new();
    for (i, route) in config
        .get("routes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        if let Some(countries) = route.get("countries").and_then(Value::as_array) {
            lists.push((format!("/routes/{i}/countries"), countries));
        }
    }
    for key in ["allowCountries", "denyCountries"] {
        if let Some(list) = config.get(key).and_then(Value::as_array) {
            lists.push((format!("/{key}"), list));
        }
    }
    let known = country::known();
    for (path, list) in lists {
        for (j, code) in list.iter().enumerate() {
            let Some(code) = code.as_str() else { continue };
            let well_formed = code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase());
            if !well_formed || country::is_known(code) {
                continue;
            }
            let hint = if code == "UK" {
                " (did you mean \"GB\"?)".to_owned()
            } else {
                connector_kit::suggest::did_you_mean(code, known.iter().copied())
            };
            report.warnings.push(ConfigWarning::new(
                format!("{path}/{j}"),
                WarningKind::UnknownCountry,
                format!("unknown country {code:?}{hint}; no phone number will ever match it"),
            ));
        }
    }
}
