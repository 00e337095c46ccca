//! The record of accepted messages: in memory, as JSON lines in a file, and as one readable
//! line per message on stdout.

use std::fmt;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::Path;
use std::sync::Mutex;

use serde::Serialize;
use serde_json::Value;

use super::ProviderApi;

/// One message the simulator accepted, as the provider received it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AcceptedMessage {
    /// Which provider API accepted it.
    pub provider: ProviderApi,
    /// The recipient, as the provider reports it.
    pub to: String,
    /// The message text (Twilio, which receives the rendered body).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// The template code or id (Aliyun, Tencent, which render on their side).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub template: Option<String>,
    /// The template parameters: Aliyun's `TemplateParam` object, Tencent's
    /// `TemplateParamSet` array.
    #[serde(skip_serializing_if = "Value::is_null")]
    pub params: Value,
    /// The signature name (Aliyun `SignName`, Tencent `SignName`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sign_name: Option<String>,
    /// The sender: Twilio `From` or `MessagingServiceSid`, Tencent `SmsSdkAppId`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sender: Option<String>,
    /// When it was accepted, `YYYY-MM-DDThh:mm:ssZ`.
    pub time: String,
    /// The provider's id of the message (Twilio `sid`, Aliyun `BizId`, Tencent `SerialNo`).
    pub message_id: String,
    /// The provider's id of the request.
    pub request_id: String,
}

/// The readable line: `[twilio] +14155550100 <- "Your sign-in code is 123456."`.
impl fmt::Display for AcceptedMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}] {} <- ", self.provider, self.to)?;
        if let Some(body) = &self.body {
            write!(f, "{body:?}")?;
        }
        if let Some(template) = &self.template {
            write!(f, "template {template:?}")?;
        }
        if !self.params.is_null() {
            write!(f, " {}", self.params)?;
        }
        if let Some(sign) = &self.sign_name {
            write!(f, " (sign {sign:?})")?;
        }
        Ok(())
    }
}

/// Where accepted messages go.
#[derive(Debug)]
pub(crate) struct MessageLog {
    messages: Mutex<Vec<AcceptedMessage>>,
    file: Option<Mutex<File>>,
    echo: bool,
    echo_json: bool,
}

impl MessageLog {
    /// A log kept in memory, appended to `path` when given, printed when `echo` (as JSON
    /// lines with `echo_json`).
    pub(crate) fn new(path: Option<&Path>, echo: bool, echo_json: bool) -> std::io::Result<Self> {
        let file = match path {
            Some(path) => Some(Mutex::new(
                OpenOptions::new().create(true).append(true).open(path)?,
            )),
            None => None,
        };
        Ok(Self {
            messages: Mutex::new(Vec::new()),
            file,
            echo,
            echo_json,
        })
    }

    /// Records accepted messages.
    pub(crate) fn record(&self, accepted: Vec<AcceptedMessage>) {
        if accepted.is_empty() {
            return;
        }
        if let Some(file) = &self.file {
            let mut text = String::new();
            for message in &accepted {
                if let Ok(line) = serde_json::to_string(message) {
                    text.push_str(&line);
                    text.push('\n');
                }
            }
            if let Ok(mut file) = file.lock() {
                if let Err(e) = file.write_all(text.as_bytes()) {
                    eprintln!("simulator: cannot append to the message log: {e}");
                }
            }
        }
        if self.echo {
            let mut out = std::io::stdout().lock();
            for message in &accepted {
                if self.echo_json {
                    if let Ok(line) = serde_json::to_string(message) {
                        let _ = writeln!(out, "{line}");
                    }
                } else {
                    let _ = writeln!(out, "{message}");
                }
            }
            let _ = out.flush();
        }
        if let Ok(mut messages) = self.messages.lock() {
            messages.extend(accepted);
        }
    }

    /// Every accepted message, oldest first.
    pub(crate) fn all(&self) -> Vec<AcceptedMessage> {
        self.messages.lock().map(|m| m.clone()).unwrap_or_default()
    }

    /// The number of messages `provider` accepted.
    pub(crate) fn count(&self, provider: ProviderApi) -> usize {
        self.messages
            .lock()
            .map(|m| m.iter().filter(|a| a.provider == provider).count())
            .unwrap_or_default()
    }

    /// Forgets the messages of `provider` (the file is left alone).
    pub(crate) fn clear(&self, provider: ProviderApi) {
        if let Ok(mut messages) = self.messages.lock() {
            messages.retain(|m| m.provider != provider);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn message(provider: ProviderApi) -> AcceptedMessage {
        AcceptedMessage {
            provider,
            to: "+14155550100".into(),
            body: None,
            template: None,
            params: Value::Null,
            sign_name: None,
            sender: None,
            time: "2024-05-20T08:30:00Z".into(),
            message_id: "m".into(),
            request_id: "r".into(),
        }
    }

    #[test]
    fn readable_lines() {
        let twilio = AcceptedMessage {
            body: Some("Your code is 123456.\nBye".into()),
            ..message(ProviderApi::TWILIO)
        };
        assert_eq!(
            twilio.to_string(),
            r#"[twilio] +14155550100 <- "Your code is 123456.\nBye""#
        );
        let aliyun = AcceptedMessage {
            to: "13800138000".into(),
            template: Some("SMS_1".into()),
            params: json!({"code": "123456"}),
            sign_name: Some("阿里云".into()),
            ..message(ProviderApi::ALIYUN)
        };
        assert_eq!(
            aliyun.to_string(),
            r#"[aliyun] 13800138000 <- template "SMS_1" {"code":"123456"} (sign "阿里云")"#
        );
    }

    #[test]
    fn json_lines_skip_what_the_provider_does_not_have() {
        let line = serde_json::to_value(message(ProviderApi::TENCENT)).unwrap();
        assert_eq!(
            line,
            json!({"provider": "tencent", "to": "+14155550100", "time": "2024-05-20T08:30:00Z", "messageId": "m", "requestId": "r"})
        );
    }

    #[test]
    fn the_file_gets_one_line_per_message() {
        let path = std::env::temp_dir().join(format!("sim-log-{}.jsonl", uuid::Uuid::new_v4()));
        let log = MessageLog::new(Some(&path), false, false).unwrap();
        log.record(vec![
            message(ProviderApi::TWILIO),
            message(ProviderApi::ALIYUN),
        ]);
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text.lines().count(), 2);
        assert_eq!(log.count(ProviderApi::TWILIO), 1);
        log.clear(ProviderApi::TWILIO);
        assert_eq!(log.all().len(), 1);
        let _ = std::fs::remove_file(path);
    }
}
