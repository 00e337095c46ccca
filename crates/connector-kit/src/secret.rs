//! [`Secret`]: a config value that is never printed.

use std::borrow::Cow;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A secret config value (an auth token, an access key secret).
///
/// Its `Debug` and `Display` print `<redacted>`; the schema marks it `writeOnly` (consoles
/// derive `isConfidential` form items from it) and `format: password` (which rjsf renders as
/// a password input, and ajv-formats knows), and requires it filled in (not empty, not only
/// whitespace, not an unfilled `<placeholder>`).
///
/// It serializes to the secret itself, so that a config built in Rust turns into the config
/// JSON a host stores (and is checked by the same rules as config JSON); never serialize a
/// config into a log.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret itself, for signing. Never log or display it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Secret)
    }
}

impl Serialize for Secret {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl JsonSchema for Secret {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        "Secret".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": crate::schema::FILLED_PATTERN,
            "writeOnly": true,
            "format": "password",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn secret_is_redacted_and_write_only() {
        let secret: Secret = serde_json::from_value(json!("hunter2-secret")).unwrap();
        assert_eq!(format!("{secret:?} {secret}"), "<redacted> <redacted>");
        assert_eq!(secret.expose(), "hunter2-secret");
        let schema = crate::schema::schema_for::<Secret>();
        assert_eq!(schema["writeOnly"], json!(true));
        assert_eq!(
            serde_json::to_value(&secret).unwrap(),
            json!("hunter2-secret")
        );
    }
}
