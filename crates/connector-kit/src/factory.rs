//! Factories and the registry: how a host turns stored config JSON into connectors.
//!
//! [`ConnectorFactory`] describes a connector (metadata, schema, error table) and creates
//! instances from config JSON; [`ProviderFactory`] is the factory of any [`Provider`];
//! [`Registry`] looks factories up by id or target.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;

use serde_json::Value;

use crate::checker::parse_config;
use crate::connector::{Provider, SmsConnector};
use crate::error::{ConnectorError, ErrorMapping};
use crate::metadata::{ConnectorMetadata, ConnectorType, LocalizedText, form_items_from_schema};
use crate::pipeline::Connector;
use crate::schema::{SchemaView, schema_for};

/// Describes a connector and creates instances of it from config JSON. Object-safe.
pub trait ConnectorFactory: Send + Sync + fmt::Debug {
    /// The connector type.
    fn connector_type(&self) -> ConnectorType;

    /// The metadata, form items included.
    fn metadata(&self) -> &ConnectorMetadata;

    /// The config JSON Schema (draft 2020-12).
    fn config_schema(&self) -> &Value;

    /// Checks a config, reporting every problem (as `invalid_config` with the problems in
    /// its details).
    fn validate_config(&self, config: &Value) -> Result<(), ConnectorError>;

    /// Creates a connector from a config, validating it first.
    fn create(&self, config: &Value) -> Result<Box<dyn SmsConnector>, ConnectorError>;

    /// The provider error codes the connector maps, for documentation.
    fn error_mappings(&self) -> &'static [ErrorMapping] {
        &[]
    }

    /// How requests are authenticated, in a few words, for documentation.
    fn signing(&self) -> &'static str {
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
        let schema = schema_for::<P::Config>();
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

    /// Parses a config into the provider's typed config, or `invalid_config` with every
    /// problem.
    pub fn parse(&self, config: &Value) -> Result<P::Config, ConnectorError> {
        parse_config::<P::Config>(&self.schema, config)
            .map_err(ConnectorError::invalid_config_problems)
    }

    /// A typed connector from config JSON, validated first.
    pub fn connector(&self, config: &Value) -> Result<Connector<P>, ConnectorError> {
        let typed = self.parse(config)?;
        let secrets = SchemaView::root(&self.schema).secret_values(config);
        Connector::assemble(typed, secrets, Arc::clone(&self.metadata))
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

    fn validate_config(&self, config: &Value) -> Result<(), ConnectorError> {
        self.parse(config).map(drop)
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

    /// The factory for `name`, or a `general` error listing the known connectors.
    pub fn require(&self, name: &str) -> Result<&dyn ConnectorFactory, ConnectorError> {
        self.get(name).ok_or_else(|| {
            let known: Vec<String> = self
                .iter()
                .map(|f| format!("{} ({})", f.target(), f.id()))
                .collect();
            ConnectorError::general(format!(
                "unknown connector {name:?}; known connectors: {}",
                known.join(", ")
            ))
        })
    }

    /// Every factory, in registration order.
    pub fn iter(&self) -> impl Iterator<Item = &dyn ConnectorFactory> {
        self.factories.iter().map(|f| f.as_ref())
    }
}
