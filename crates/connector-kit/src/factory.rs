//! Factories and the registry: how a host turns stored config JSON into connectors.
//!
//! [`ConnectorFactory`] describes a connector (metadata, schema, error table) and creates
//! instances from config JSON; [`ProviderFactory`] is the factory of any [`Provider`];
//! [`Registry`] looks factories up by id or target.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;

use serde_json::Value;

use crate::checker::{Validated, parse_config};
use crate::connector::{Provider, SmsConnector};
use crate::error::{ConfigWarning, ConnectorError, ErrorMapping};
use crate::metadata::{ConnectorMetadata, ConnectorType, LocalizedText, form_items_from_schema};
use crate::pipeline::Connector;
use crate::schema::{SchemaView, schema_for};

/// Describes a connector and creates instances of it from config JSON. Object-safe.
pub trait ConnectorFactory: Send + Sync + fmt::Debug {
    /// The connector type.
    fn connector_type(&self) -> ConnectorType;

    /// The metadata, form items included.
    fn metadata(&self) -> &ConnectorMetadata;

    /// The config JSON Schema (draft-07).
    fn config_schema(&self) -> &Value;

    /// Checks a config, reporting every problem (as `invalid_config` with the problems in
    /// its details); a config it accepts comes with what it noticed (unknown keys,
    /// deprecated usage types, ...), which Logto's connectors accept silently.
    fn validate_config(&self, config: &Value) -> Result<Vec<ConfigWarning>, ConnectorError>;

    /// [`ConnectorFactory::validate_config`] with every warning an error: for hosts and
    /// operators who want a config with no unknown key and nothing deprecated.
    fn validate_config_strict(&self, config: &Value) -> Result<(), ConnectorError> {
        let warnings = self.validate_config(config)?;
        if warnings.is_empty() {
            Ok(())
        } else {
            Err(ConnectorError::from_warnings(&warnings))
        }
    }

    /// Creates a connector from a config, validating it first. What validation noticed is
    /// logged at `warn` level (target `connector_kit::config`), one event per warning.
    fn create(&self, config: &Value) -> Result<Box<dyn SmsConnector>, ConnectorError>;

    /// The provider error codes the connector maps, for documentation.
    fn error_mappings(&self) -> &'static [ErrorMapping] {
        &[]
    }

    /// How requests are authenticated, in a few words, for documentation.
    fn signing(&self) -> &'static str {
        ""
    }

    /// The connector's README (Markdown), empty when it ships none.
    fn readme(&self) -> &'static str {
        ""
    }

    /// The connector's logo as SVG text, empty when it ships none.
    fn logo_svg(&self) -> &'static str {
        ""
    }

    /// The connector id.
    fn id(&self) -> &str {
        &self.metadata().id
    }

    /// The connector target.
    fn target(&self) -> &str {
        &self.metadata().target
    }
}

/// The [`ConnectorFactory`] of a [`Provider`]: its schema and metadata, built once.
pub struct ProviderFactory<P: Provider> {
    metadata: Arc<ConnectorMetadata>,
    schema: Value,
    provider: PhantomData<fn() -> P>,
}

impl<P: Provider> fmt::Debug for ProviderFactory<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProviderFactory")
            .field("id", &P::ID)
            .finish_non_exhaustive()
    }
}

impl<P: Provider> Default for ProviderFactory<P> {
    fn default() -> Self {
        Self::new()
    }
}

impl<P: Provider> ProviderFactory<P> {
    /// Builds the schema and the metadata (with form items derived from the schema).
    pub fn new() -> Self {
        let mut schema = schema_for::<P::Config>();
        if P::ENDPOINT_IS_URL {
            // The URL is what such a connector is about: first in the form, not after the
            // provider's own keys where the shared settings are flattened.
            if let Some(properties) = schema.get_mut("properties").and_then(Value::as_object_mut) {
                if let Some(endpoint) = properties.shift_remove("endpoint") {
                    properties.shift_insert(0, "endpoint".to_owned(), endpoint);
                }
            }
        }
        let metadata = ConnectorMetadata {
            id: P::ID.to_owned(),
            target: P::TARGET.to_owned(),
            platform: None,
            name: LocalizedText::from_phrases(P::INFO.name),
            description: LocalizedText::from_phrases(P::INFO.description),
            logo: P::INFO.logo.to_owned(),
            logo_dark: None,
            readme: "./README.md".to_owned(),
            form_items: form_items_from_schema(&schema),
        };
        Self {
            metadata: Arc::new(metadata),
            schema,
            provider: PhantomData,
        }
    }

    /// Parses a config into the provider's typed config with what validation noticed, or
    /// `invalid_config` with every problem.
    pub fn parse(&self, config: &Value) -> Result<Validated<P::Config>, ConnectorError> {
        let validated = parse_config::<P::Config>(&self.schema, config)
            .map_err(ConnectorError::invalid_config_report)?;
        let problems = P::check_config(&validated.config);
        if problems.is_empty() {
            return Ok(validated);
        }
        Err(ConnectorError::invalid_config_report(
            crate::checker::Report {
                problems,
                warnings: validated.warnings,
            },
        ))
    }

    /// A typed connector from config JSON, validated first; what validation noticed is
    /// logged at `warn` level.
    pub fn connector(&self, config: &Value) -> Result<Connector<P>, ConnectorError> {
        let validated = self.parse(config)?;
        for warning in &validated.warnings {
            tracing::warn!(
                target: "connector_kit::config",
                connector = P::ID,
                path = %warning.path,
                kind = warning.kind.as_str(),
                "{}",
                warning.message
            );
        }
        let secrets = SchemaView::root(&self.schema).secret_values(config);
        Connector::assemble(validated.config, secrets, Arc::clone(&self.metadata))
    }
}

impl<P: Provider> ConnectorFactory for ProviderFactory<P> {
    fn connector_type(&self) -> ConnectorType {
        ConnectorType::Sms
    }

    fn metadata(&self) -> &ConnectorMetadata {
        &self.metadata
    }

    fn config_schema(&self) -> &Value {
        &self.schema
    }

    fn validate_config(&self, config: &Value) -> Result<Vec<ConfigWarning>, ConnectorError> {
        self.parse(config).map(|validated| validated.warnings)
    }

    fn create(&self, config: &Value) -> Result<Box<dyn SmsConnector>, ConnectorError> {
        Ok(Box::new(self.connector(config)?))
    }

    fn error_mappings(&self) -> &'static [ErrorMapping] {
        P::ERROR_MAPPINGS
    }

    fn signing(&self) -> &'static str {
        P::SIGNING
    }

    fn readme(&self) -> &'static str {
        P::README
    }

    fn logo_svg(&self) -> &'static str {
        P::LOGO_SVG
    }
}

/// A set of connector factories, looked up by id or target.
#[derive(Debug, Default)]
pub struct Registry {
    factories: Vec<Box<dyn ConnectorFactory>>,
}

impl Registry {
    /// A registry of the given factories.
    pub fn new(factories: Vec<Box<dyn ConnectorFactory>>) -> Self {
        Self { factories }
    }

    /// Adds a factory.
    pub fn register(&mut self, factory: Box<dyn ConnectorFactory>) {
        self.factories.push(factory);
    }

    /// The factory whose id or target is `name`.
    pub fn get(&self, name: &str) -> Option<&dyn ConnectorFactory> {
        self.factories
            .iter()
            .find(|f| f.id() == name || f.target() == name)
            .map(|f| f.as_ref())
    }

    /// The factory for `name`, or a `general` error naming the closest connector and
    /// listing the known ones.
    pub fn require(&self, name: &str) -> Result<&dyn ConnectorFactory, ConnectorError> {
        self.get(name).ok_or_else(|| {
            let known: Vec<String> = self
                .iter()
                .map(|f| format!("{} ({})", f.target(), f.id()))
                .collect();
            let hint = self
                .suggest(name)
                .map(|target| format!(" (did you mean {target:?}?)"))
                .unwrap_or_default();
            ConnectorError::general(format!(
                "unknown connector {name:?}{hint}; known connectors: {}",
                known.join(", ")
            ))
        })
    }

    /// The target of the connector `name` most likely stands for: a near miss of an id or
    /// target (`twillio-sms`), or the one connector whose target or id starts with it
    /// (`twilio` for `twilio-sms`).
    pub fn suggest(&self, name: &str) -> Option<&str> {
        let names = self.iter().flat_map(|f| [f.target(), f.id()]);
        if let Some(close) = crate::suggest::closest(name, names) {
            return self.get(close).map(|f| f.target());
        }
        let wanted = name.to_lowercase();
        let mut starting = self.iter().filter(|f| {
            !wanted.is_empty()
                && (f.target().starts_with(wanted.as_str()) || f.id().starts_with(wanted.as_str()))
        });
        match (starting.next(), starting.next()) {
            (Some(only), None) => Some(only.target()),
            _ => None,
        }
    }

    /// Every factory, in registration order.
    pub fn iter(&self) -> impl Iterator<Item = &dyn ConnectorFactory> {
        self.factories.iter().map(|f| f.as_ref())
    }
}
