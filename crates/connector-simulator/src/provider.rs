//! Which provider APIs the simulator serves: [`ProviderApi`] names one, and
//! [`ProviderModule`] is what its module gives the simulator.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use crate::PROVIDERS;
use crate::http::Api;

/// One simulated provider API, served on its own port.
///
/// Each provider module declares its constant ([`ProviderApi::TWILIO`],
/// [`ProviderApi::ALIYUN`], [`ProviderApi::TENCENT`]); [`ProviderApi::ALL`] lists them in port
/// order. The constants can be matched on. Serialized as its name, e.g. `"twilio"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ProviderApi {
    name: &'static str,
}

impl ProviderApi {
    /// Every simulated provider, in port order: the first on the base port, each next one on
    /// the port after.
    pub const ALL: [ProviderApi; PROVIDERS.len()] = {
        let mut all = [PROVIDERS[0].api; PROVIDERS.len()];
        let mut i = 1;
        while i < all.len() {
            all[i] = PROVIDERS[i].api;
            i += 1;
        }
        all
    };

    /// The constant of a provider module.
    pub(crate) const fn named(name: &'static str) -> Self {
        Self { name }
    }

    /// The lower-case name: the provider's key in a credentials file, and the `provider` of
    /// the messages it accepts.
    pub const fn as_str(self) -> &'static str {
        self.name
    }

    /// The position of the provider's port after the base port.
    pub fn index(self) -> usize {
        // A ProviderApi is only ever one of the modules' constants, and an unlisted module
        // would leave its `MODULE` unused, which the lints reject.
        PROVIDERS
            .iter()
            .position(|module| module.api == self)
            .expect("every provider module is listed in PROVIDERS")
    }

    /// The provider's send endpoint in one line, e.g.
    /// `POST /2010-04-01/Accounts/{AccountSid}/Messages.json`.
    pub fn route(self) -> &'static str {
        self.module().route
    }

    /// The provider's module.
    pub(crate) fn module(self) -> &'static ProviderModule {
        &PROVIDERS[self.index()]
    }
}

impl fmt::Display for ProviderApi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

impl FromStr for ProviderApi {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|api| api.name == s)
            .ok_or_else(|| {
                let names: Vec<&str> = Self::ALL.iter().map(|api| api.name).collect();
                format!(
                    "unknown provider {s:?}; expected one of {}",
                    names.join(", ")
                )
            })
    }
}

impl Serialize for ProviderApi {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name)
    }
}

impl<'de> Deserialize<'de> for ProviderApi {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        name.parse().map_err(serde::de::Error::custom)
    }
}

/// What a provider module gives the simulator: every module has one, `MODULE`, and
/// [`PROVIDERS`] lists them.
#[derive(Debug)]
pub(crate) struct ProviderModule {
    /// Which provider this is.
    pub(crate) api: ProviderApi,
    /// The send endpoint in one line, for [`ProviderApi::route`].
    pub(crate) route: &'static str,
    /// Makes the provider's API from its part of the credentials, in which every field is
    /// optional (`None`: all the defaults); an unknown or mistyped field is an error.
    pub(crate) build: fn(Option<&Value>) -> serde_json::Result<Box<dyn Api>>,
}
