//! The credentials the simulated providers accept, as a credentials file gives them.

use std::fmt;
use std::path::Path;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

use crate::ProviderApi;

/// The credentials the simulated providers accept. The defaults equal `examples/*.json`.
///
/// As JSON (the `simulate --credentials` file), an object with an optional member per
/// provider, named as [`ProviderApi::as_str`], holding that provider's fields, each optional:
/// `{"twilio": {"accountSid", "authToken"}, "aliyun": {"accessKeyId", "accessKeySecret"},
/// "tencent": {"secretId", "secretKey", "sdkAppId"}, "aws-sns": {"accessKeyId",
/// "secretAccessKey", "sessionToken", "region"}}` (and Vonage's, see the guide). Unknown
/// providers and fields are rejected. [`Simulator::credentials`](crate::Simulator::credentials)
/// gives a running simulator's, every field filled in.
#[derive(Clone, Default)]
pub struct Credentials {
    /// The part of each provider the JSON names, checked against that provider's fields.
    parts: Map<String, Value>,
}

impl Credentials {
    /// Credentials from JSON in the credentials file's shape.
    pub fn from_json(value: Value) -> Result<Self, String> {
        let Value::Object(parts) = value else {
            return Err("expected an object with a member per provider".to_owned());
        };
        for (name, part) in &parts {
            let api: ProviderApi = name.parse()?;
            (api.module().build)(Some(part)).map_err(|e| format!("{name}: {e}"))?;
        }
        Ok(Self { parts })
    }

    /// Reads a credentials file.
    pub fn from_file(path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        serde_json::from_str(&text)
            .map_err(|e| e.to_string())
            .and_then(Self::from_json)
            .map_err(|e| format!("{} is not a valid credentials file: {e}", path.display()))
    }

    /// The part of `api`, if the JSON has one.
    pub(crate) fn part(&self, api: ProviderApi) -> Option<&Value> {
        self.parts.get(api.as_str())
    }
}

impl<'de> Deserialize<'de> for Credentials {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Self::from_json(Value::deserialize(deserializer)?).map_err(serde::de::Error::custom)
    }
}

/// Names the fields given for each provider, never their values.
impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("Credentials");
        for (name, part) in &self.parts {
            let fields: Vec<&str> = part
                .as_object()
                .map(|fields| fields.keys().map(String::as_str).collect())
                .unwrap_or_default();
            debug.field(name, &fields);
        }
        debug.finish()
    }
}

/// A provider's part of the credentials as the provider's own type: its defaults for the
/// fields the part leaves out (all of them for `None`), an error for a field it does not know.
pub(crate) fn parse_part<T: Default + DeserializeOwned>(
    part: Option<&Value>,
) -> Result<T, serde_json::Error> {
    part.map_or_else(|| Ok(T::default()), T::deserialize)
}
