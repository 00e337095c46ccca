//! The kit's template rules, applied to config JSON the schema has accepted, before it is
//! typed: what Logto's connectors accept silently but an operator should hear about.
//!
//! For each entry of the top-level `templates` array:
//! - a deprecated usage type (`Test`, `Continue`) is a warning; the template is used for
//!   messages of that type, as in Logto;
//! - an unknown usage type is a warning naming the closest known one, and the template is
//!   dropped: no message can ever use it (Logto keeps it, unused);
//! - a second template for one usage type (in one language) is a warning naming the one that
//!   is used (the first, as in Logto);
//! - a `content` text without `{{code}}` is a warning, since the code would never reach the
//!   user (organization invitations, which carry a link, are exempt);
//! - a `content` text that takes more than one SMS segment with a six-digit code is a warning
//!   naming its encoding and length.

use std::borrow::Cow;

use serde_json::Value;

use crate::error::{ConfigWarning, WarningKind};
use crate::message::{SendMessagePayload, TemplateType};
use crate::suggest;

/// A value no template text contains, standing in for the code to see whether it appears.
const CODE_PROBE: &str = "\u{1}code\u{1}";

/// Applies the template rules to `config`, adding what they notice to `warnings`; returns
/// the config without the templates no message can use. `texts` says whether the connector's
/// templates carry their own `content` text (a `content` key elsewhere is an unknown key,
/// ignored, and not checked).
pub(crate) fn templates<'v>(
    config: &'v Value,
    texts: bool,
    warnings: &mut Vec<ConfigWarning>,
) -> Cow<'v, Value> {
    let Some(templates) = config.get("templates").and_then(Value::as_array) else {
        return Cow::Borrowed(config);
    };
    let probe = SendMessagePayload::with_code(CODE_PROBE);
    let mut first_of: Vec<(TemplateType, Option<String>, usize)> = Vec::new();
    let mut unusable: Vec<usize> = Vec::new();
    for (i, template) in templates.iter().enumerate() {
        let Some(name) = template.get("usageType").and_then(Value::as_str) else {
            continue;
        };
        let here = format!("/templates/{i}");
        let Some(usage) = TemplateType::from_name(name) else {
            warnings.push(ConfigWarning::new(
                format!("{here}/usageType"),
                WarningKind::UnknownUsageType,
                format!(
                    "unknown usage type {name:?}{}; no message uses this template",
                    suggest::did_you_mean(name, TemplateType::names())
                ),
            ));
            unusable.push(i);
            continue;
        };
        if usage.is_deprecated() {
            warnings.push(ConfigWarning::new(
                format!("{here}/usageType"),
                WarningKind::DeprecatedUsageType,
                format!(
                    "usage type {name:?} is deprecated by Logto; messages of this type still use this template"
                ),
            ));
        }
        let locale = template
            .get("locale")
            .and_then(Value::as_str)
            .map(str::to_ascii_lowercase);
        match first_of
            .iter()
            .find(|(t, l, _)| *t == usage && *l == locale)
        {
            Some((_, _, first)) => {
                let which = match template.get("locale").and_then(Value::as_str) {
                    Some(tag) => format!("{usage} in {tag}"),
                    None => usage.to_string(),
                };
                warnings.push(ConfigWarning::new(
                    here.clone(),
                    WarningKind::DuplicateTemplate,
                    format!(
                        "a second template for {which}; the first one, /templates/{first}, is used"
                    ),
                ));
            }
            None => first_of.push((usage, locale, i)),
        }
        if let Some(content) = template
            .get("content")
            .and_then(Value::as_str)
            .filter(|_| texts)
        {
            let sends_code = usage != TemplateType::OrganizationInvitation;
            if sends_code && !crate::template::render(content, &probe).contains(CODE_PROBE) {
                warnings.push(ConfigWarning::new(
                    format!("{here}/content"),
                    WarningKind::MissingCode,
                    "the text has no {{code}}, so the verification code would never reach the user",
                ));
            }
            let sample = crate::template::render(content, &SendMessagePayload::with_code("123456"));
            let parts = crate::segments::segments(&sample);
            if parts.count > 1 {
                warnings.push(ConfigWarning::new(
                    format!("{here}/content"),
                    WarningKind::MultiSegment,
                    format!(
                        "with a six-digit code the text takes {} SMS segments ({} {} {}; one segment holds {})",
                        parts.count,
                        parts.units,
                        parts.encoding,
                        match parts.encoding {
                            crate::segments::Encoding::Gsm7 => "septets",
                            crate::segments::Encoding::Ucs2 => "UTF-16 units",
                        },
                        parts.encoding.single_limit(),
                    ),
                ));
            }
        }
    }
    if unusable.is_empty() {
        return Cow::Borrowed(config);
    }
    let mut config = config.clone();
    if let Some(Value::Array(list)) = config.get_mut("templates") {
        let mut index = 0;
        list.retain(|_| {
            let keep = !unusable.contains(&index);
            index += 1;
            keep
        });
    }
    Cow::Owned(config)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(config: Value) -> (Value, Vec<String>) {
        let mut warnings = Vec::new();
        let out = templates(&config, true, &mut warnings).into_owned();
        (
            out,
            warnings.iter().map(|w| format!("{} {w}", w.kind)).collect(),
        )
    }

    #[test]
    fn logto_usage_types_are_kept_and_unknown_ones_dropped() {
        let (out, warnings) = run(json!({"templates": [
            {"usageType": "SignIn", "content": "{{code}}"},
            {"usageType": "Test", "content": "{{ code }}"},
            {"usageType": "signin", "content": "{{code}}"},
            {"usageType": "Continue", "content": "{{code}}"},
        ]}));
        assert_eq!(
            out["templates"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t["usageType"].as_str().unwrap())
                .collect::<Vec<_>>(),
            ["SignIn", "Test", "Continue"]
        );
        assert_eq!(
            warnings,
            [
                "deprecated_usage_type /templates/1/usageType: usage type \"Test\" is deprecated by Logto; messages of this type still use this template",
                "unknown_usage_type /templates/2/usageType: unknown usage type \"signin\" (did you mean \"SignIn\"?); no message uses this template",
                "deprecated_usage_type /templates/3/usageType: usage type \"Continue\" is deprecated by Logto; messages of this type still use this template",
            ]
        );
    }

    #[test]
    fn duplicates_name_the_template_used() {
        let (_, warnings) = run(json!({"templates": [
            {"usageType": "Generic", "templateCode": "1"},
            {"usageType": "SignIn", "templateCode": "2"},
            {"usageType": "SignIn", "templateCode": "3"},
        ]}));
        assert_eq!(
            warnings,
            [
                "duplicate_template /templates/2: a second template for SignIn; the first one, /templates/1, is used"
            ]
        );
    }

    #[test]
    fn one_usage_type_in_several_languages_is_no_duplicate() {
        let (_, warnings) = run(json!({"templates": [
            {"usageType": "SignIn", "templateCode": "1"},
            {"usageType": "SignIn", "templateCode": "2", "locale": "zh-CN"},
            {"usageType": "SignIn", "templateCode": "3", "locale": "zh-cn"},
        ]}));
        assert_eq!(
            warnings,
            [
                "duplicate_template /templates/2: a second template for SignIn in zh-cn; the first one, /templates/1, is used"
            ]
        );
    }

    #[test]
    fn texts_without_the_code_are_pointed_out() {
        let (_, warnings) = run(json!({"templates": [
            {"usageType": "SignIn", "content": "Welcome back!"},
            {"usageType": "Register", "content": "{{code}} is your code"},
            {"usageType": "OrganizationInvitation", "content": "Join us: {{link}}"},
            {"usageType": "Generic", "content": "Your code: {{codes}}"},
        ]}));
        assert_eq!(
            warnings,
            [
                "missing_code /templates/0/content: the text has no {{code}}, so the verification code would never reach the user",
                "missing_code /templates/3/content: the text has no {{code}}, so the verification code would never reach the user",
            ]
        );
    }

    #[test]
    fn texts_over_one_segment_are_pointed_out() {
        let long = format!("Your code is {{{{code}}}}. {}", "x".repeat(140));
        let (_, warnings) = run(json!({"templates": [
            {"usageType": "SignIn", "content": long},
            {"usageType": "Register", "content": "您的验证码是 {{code}}"},
        ]}));
        assert_eq!(
            warnings,
            [
                "multi_segment /templates/0/content: with a six-digit code the text takes 2 SMS segments (161 GSM-7 septets; one segment holds 160)"
            ]
        );
    }

    #[test]
    fn configs_without_templates_pass_through() {
        let config = json!({"templates": "not an array"});
        let mut warnings = Vec::new();
        assert!(matches!(
            templates(&config, true, &mut warnings),
            Cow::Borrowed(_)
        ));
        assert!(warnings.is_empty());
    }
}
