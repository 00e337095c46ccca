//! The router's config: named member connectors, routes by country, the default route and
//! the country rules.

use std::collections::BTreeMap;

use connector_kit::config::TIMEOUT_RANGE_MS;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// How a router sends: through which member connectors, for which recipient countries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(title = "SMS router config")]
pub struct RouterConfig {
    /// The connectors messages can go through, each under a name of your choice (the name
    /// routes and default refer to): the connector's target and its own config, checked as
    /// that connector checks it.
    #[schemars(title = "members", example = example_members())]
    pub members: BTreeMap<String, Member>,
    /// Routes by the recipient's country, tried in order; the first route naming the
    /// country decides which members to try.
    #[serde(default)]
    #[schemars(title = "routes")]
    pub routes: Vec<Route>,
    /// The members to try, in order, for a recipient no route names.
    #[schemars(title = "default route", length(min = 1), example = ["twilio"])]
    pub default: Vec<MemberName>,
    /// When set, only recipients in these countries (ISO 3166 alpha-2, such as US or CN)
    /// get messages; any other recipient, and a number whose country is unknown, is refused
    /// before any request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(title = "allowed countries", with = "Vec<CountryCode>")]
    pub allow_countries: Option<Vec<CountryCode>>,
    /// Recipients in these countries (ISO 3166 alpha-2) are refused before any request,
    /// whatever the other rules say.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(title = "denied countries")]
    pub deny_countries: Vec<CountryCode>,
    /// How long one send may take in all, across every member it tries; each member's own
    /// timeoutMs still bounds its own request. When it is spent, no further member is tried
    /// (timeout, nothing sent), and a member's request still under way is cut off: timeout,
    /// the message may have been sent, never failed over. Leave it out and a send may take
    /// the sum of its members' timeouts.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "optional_u64"
    )]
    #[schemars(
        title = "Timeout (ms)",
        with = "u64",
        range(min = TIMEOUT_RANGE_MS.0, max = TIMEOUT_RANGE_MS.1),
        example = 10000
    )]
    pub timeout_ms: Option<u64>,
}

/// `timeoutMs` as every connector reads it (`5000` and `5000.0` alike), when present.
fn optional_u64<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<u64>, D::Error> {
    connector_kit::config::deserialize_u64(deserializer).map(Some)
}

/// One member connector.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(title = "member")]
pub struct Member {
    /// The member connector's target, such as twilio-sms or aliyun-sms.
    #[schemars(title = "connector")]
    pub target: String,
    /// The member connector's own config, exactly as that connector takes it.
    #[schemars(title = "config")]
    pub config: serde_json::Map<String, Value>,
}

/// One route: the recipient countries it applies to and the members to try, in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(title = "route")]
pub struct Route {
    /// The recipient countries (ISO 3166 alpha-2) this route applies to.
    #[schemars(title = "countries", length(min = 1))]
    pub countries: Vec<CountryCode>,
    /// The members to try, in order: the next one only when the one before provably did
    /// not send.
    #[schemars(title = "via", length(min = 1))]
    pub via: Vec<MemberName>,
}

/// The name of a member, as written under members.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(transparent)]
#[schemars(title = "member name")]
pub struct MemberName(#[schemars(transform = connector_kit::filled)] pub String);

/// A country as ISO 3166 alpha-2, in capitals: US, CN, HK, GB.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(transparent)]
#[schemars(
    title = "country",
    description = "A country as ISO 3166 alpha-2, in capitals: US, CN, HK, GB."
)]
pub struct CountryCode(#[schemars(regex(pattern = r"^[A-Z]{2}$"))] pub String);

fn example_members() -> Value {
    serde_json::json!({
        "twilio": {
            "target": "twilio-sms",
            "config": {
                "accountSID": "AC00000000000000000000000000000001",
                "authToken": "your-twilio-auth-token",
                "fromMessagingServiceSID": "MG00000000000000000000000000000001",
                "templates": [
                    {"usageType": "Register", "content": "Your sign-up code is {{code}}"},
                    {"usageType": "SignIn", "content": "Your sign-in code is {{code}}"},
                    {"usageType": "ForgotPassword", "content": "Your reset code is {{code}}"},
                    {"usageType": "Generic", "content": "Your code is {{code}}"}
                ]
            }
        }
    })
}
