//! The router as an [`SmsConnector`]: the recipient's country picks the members to try, the
//! country rules refuse before any request, and the next member is tried only when the one
//! before provably did not send.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use connector_kit::phone::{self, PhoneRules};
use connector_kit::{
    Attempt, ConnectorError, ConnectorErrorCode, ConnectorMetadata, Delivery, HttpRequest,
    SendMessageData, SendReceipt, SmsConnector,
};
use tokio::time::Instant;

use crate::config::RouterConfig;
use crate::country;

/// How the router reads a recipient's number to find its country: `+` or `00` and the
/// country code, or a bare mainland China mobile number (as Aliyun and Tencent read it), or
/// a bare number starting with its country code. The member gets the number as written.
const RULES: PhoneRules = PhoneRules::STRICT
    .with_bare_mainland(true)
    .with_bare_international(true);

/// One member, created from its config.
#[derive(Debug)]
pub(crate) struct Member {
    pub(crate) name: String,
    pub(crate) connector: Box<dyn SmsConnector>,
}

/// Where a recipient's message goes: the members to try (indexes into the router's members),
/// or the rule that refuses it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Plan {
    Send(Arc<[usize]>),
    Refuse(Refusal),
}

/// Why a recipient is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// Its country is in `denyCountries`.
    Denied,
    /// `allowCountries` is set and does not name its country (or its country is unknown).
    NotAllowed,
}

impl Refusal {
    /// The stable name of the rule, the error's `providerCode`.
    pub(crate) const fn code(self) -> &'static str {
        match self {
            Self::Denied => "router.country_denied",
            Self::NotAllowed => "router.country_not_allowed",
        }
    }

    fn rule(self) -> &'static str {
        match self {
            Self::Denied => "denyCountries",
            Self::NotAllowed => "allowCountries",
        }
    }
}

/// The routing decision, computed once from the config.
#[derive(Debug)]
pub(crate) struct Routing {
    routes: Vec<(Vec<String>, Arc<[usize]>)>,
    default: Arc<[usize]>,
    allow: Option<Vec<String>>,
    deny: Vec<String>,
    /// For each calling code: the plan when every country of the code gets the same one,
    /// so that the number's own digits need not be read.
    by_code: HashMap<u16, Option<Plan>>,
}

impl Routing {
    pub(crate) fn new(config: &RouterConfig, names: &[String]) -> Self {
        let index = |list: &[crate::config::MemberName]| -> Arc<[usize]> {
            let mut out: Vec<usize> = Vec::new();
            for name in list {
                if let Some(i) = names.iter().position(|n| *n == name.0) {
                    if !out.contains(&i) {
                        out.push(i);
                    }
                }
            }
            out.into()
        };
        let mut routing = Self {
            routes: config
                .routes
                .iter()
                .map(|r| {
                    (
                        r.countries.iter().map(|c| c.0.clone()).collect(),
                        index(&r.via),
                    )
                })
                .collect(),
            default: index(&config.default),
            allow: config
                .allow_countries
                .as_ref()
                .map(|list| list.iter().map(|c| c.0.clone()).collect()),
            deny: config.deny_countries.iter().map(|c| c.0.clone()).collect(),
            by_code: HashMap::new(),
        };
        let mut by_code = HashMap::new();
        for code in 1..1000u16 {
            let countries = country::countries_of_code(code);
            if countries.is_empty() {
                continue;
            }
            let first = routing.plan_for(Some(countries[0]));
            let same = countries.iter().all(|c| routing.plan_for(Some(c)) == first);
            if !same {
                // This code's numbers will be read: compile its patterns now, not at the
                // first message.
                country::prepare(code);
            }
            by_code.insert(code, same.then_some(first));
        }
        routing.by_code = by_code;
        routing
    }

    /// The plan for a recipient in `country` (`None`: unknown).
    pub(crate) fn plan_for(&self, country: Option<&str>) -> Plan {
        if let Some(c) = country {
            if self.deny.iter().any(|d| d == c) {
                return Plan::Refuse(Refusal::Denied);
            }
        }
        if let Some(allow) = &self.allow {
            if !country.is_some_and(|c| allow.iter().any(|a| a == c)) {
                return Plan::Refuse(Refusal::NotAllowed);
            }
        }
        let via = country.and_then(|c| {
            self.routes
                .iter()
                .find(|(countries, _)| countries.iter().any(|r| r == c))
                .map(|(_, via)| Arc::clone(via))
        });
        Plan::Send(via.unwrap_or_else(|| Arc::clone(&self.default)))
    }

    /// The recipient's country (when it had to be read) and plan.
    pub(crate) fn route(&self, e164: &str) -> (Option<String>, Plan) {
        let digits = &e164[1..];
        let code = country::calling_code(digits);
        if let Some(Some(plan)) = code.and_then(|c| self.by_code.get(&c)) {
            return (None, plan.clone());
        }
        let country = match code.map(country::countries_of_code) {
            Some(countries) if countries.len() == 1 => Some(countries[0].to_owned()),
            Some(_) => country::country_of_shared(e164),
            None => None,
        };
        let plan = self.plan_for(country.as_deref());
        (country, plan)
    }

    /// The country of a number in E.164 form, read from its digits.
    pub(crate) fn country_of(e164: &str) -> Option<String> {
        let code = country::calling_code(e164.strip_prefix('+')?)?;
        match country::countries_of_code(code).as_slice() {
            [only] => Some((*only).to_owned()),
            _ => country::country_of_shared(e164),
        }
    }
}

/// Whether the next member may be tried after `error`: only when this member provably did
/// not send. A request that never reached the provider (no connection, DNS or TLS failure,
/// retryable and `not_sent`), or the provider's refusal of the sender rather than of the
/// message (a throttle, an exhausted quota, rejected credentials or config). Never after a
/// timeout, a 5xx, a dropped connection or an unreadable success (`maybe_sent`), and never
/// for an error about the message itself (a bad number, a missing template), which every
/// member would refuse alike.
pub fn fails_over(error: &ConnectorError) -> bool {
    match error.details().delivery {
        Delivery::MaybeSent => false,
        Delivery::NotSent if error.is_retryable() => true,
        Delivery::NotSent | Delivery::Answered => matches!(
            error.code(),
            ConnectorErrorCode::RateLimitExceeded
                | ConnectorErrorCode::UsageLimitExceeded
                | ConnectorErrorCode::InvalidConfig
                | ConnectorErrorCode::AuthorizationFailed
        ),
    }
}

/// The router: its metadata, its members and its routing.
#[derive(Debug)]
pub struct Router {
    pub(crate) metadata: Arc<ConnectorMetadata>,
    pub(crate) members: Vec<Member>,
    pub(crate) routing: Routing,
    /// `timeoutMs`: how long one send may take across every member it tries.
    pub(crate) budget: Option<Duration>,
}

impl Router {
    /// The members `data` would be sent through, in order, or the refusal.
    fn plan(&self, data: &SendMessageData) -> Result<Arc<[usize]>, ConnectorError> {
        let number = phone::parse(&data.to, RULES)?;
        match self.routing.route(number.e164()) {
            (_, Plan::Send(via)) => Ok(via),
            (country, Plan::Refuse(refusal)) => {
                let country = country.or_else(|| Routing::country_of(number.e164()));
                let named = country.as_deref().unwrap_or("unknown");
                let message = match (refusal, country.as_deref()) {
                    (Refusal::NotAllowed, None) => format!(
                        "the country of phone number {:?} is unknown, and allowCountries names only known countries; nothing was sent",
                        phone::mask(&data.to)
                    ),
                    (_, Some(c)) => format!(
                        "recipient country {c} is refused by {}; nothing was sent",
                        refusal.rule()
                    ),
                    (Refusal::Denied, None) => "refused by denyCountries".to_owned(),
                };
                Err(ConnectorError::invalid_request_parameters(message)
                    .with_field("to")
                    .with_provider_code(refusal.code())
                    .with_provider_message(format!("country {named}"))
                    .with_delivery(Delivery::NotSent))
            }
        }
    }
}

#[async_trait]
impl SmsConnector for Router {
    fn metadata(&self) -> &ConnectorMetadata {
        &self.metadata
    }

    /// The request the first member of the recipient's route would make.
    fn prepare(&self, data: &SendMessageData) -> Result<HttpRequest, ConnectorError> {
        let via = self.plan(data)?;
        let first = via
            .first()
            .and_then(|i| self.members.get(*i))
            .ok_or_else(|| {
                ConnectorError::invalid_config("the recipient's route names no member")
            })?;
        first.connector.prepare(data)
    }

    /// Sends through the members of the recipient's route, in order, trying the next only
    /// when the one before provably did not send ([`fails_over`]), and none once the
    /// router's `timeoutMs` is spent (a member still sending then is cut off: `timeout`,
    /// maybe sent). A `tracing` span
    /// `router_send` records the masked number, the member that sent (`member`), the members
    /// tried with their outcomes (`attempts`, such as `aliyun:rate_limit_exceeded,twilio:ok`)
    /// and the outcome; each member's own `sms_send` span nests inside it.
    async fn send_message(&self, data: &SendMessageData) -> Result<SendReceipt, ConnectorError> {
        use tracing::field::Empty;
        let span = tracing::info_span!(
            "router_send",
            connector = crate::ID,
            to = %phone::mask(&data.to),
            member = Empty,
            attempts = Empty,
            outcome = Empty,
        );
        let result = self.send_traced(data, &span).await;
        match &result {
            Ok(receipt) => {
                span.record("outcome", "ok");
                tracing::info!(parent: &span, via = receipt.via.as_deref(), "sms routed");
            }
            Err(error) => {
                span.record("outcome", error.code().as_str());
                tracing::warn!(parent: &span, error = %error, "sms routing failed");
            }
        }
        result
    }
}

impl Router {
    async fn send_traced(
        &self,
        data: &SendMessageData,
        span: &tracing::Span,
    ) -> Result<SendReceipt, ConnectorError> {
        use tracing::Instrument;
        let via = self.plan(data)?;
        let mut attempts: Vec<Attempt> = Vec::with_capacity(via.len());
        let record = |attempts: &[Attempt]| {
            let text: Vec<String> = attempts
                .iter()
                .map(|a| format!("{}:{}", a.member, a.code.map_or("ok", |c| c.as_str())))
                .collect();
            span.record("attempts", text.join(",").as_str());
        };
        let deadline = self.budget.map(|budget| Instant::now() + budget);
        let mut last_error: Option<ConnectorError> = None;
        for (position, &index) in via.iter().enumerate() {
            let Some(member) = self.members.get(index) else {
                continue;
            };
            let send = member.connector.send_message(data).instrument(span.clone());
            let outcome = match deadline {
                None => send.await,
                Some(deadline) => {
                    let left = deadline.saturating_duration_since(Instant::now());
                    if left.is_zero() {
                        // Spent by the members before, none of which sent: stop here.
                        record(&attempts);
                        return Err(self.spent_before(&member.name, last_error, attempts));
                    }
                    match tokio::time::timeout(left, send).await {
                        Ok(outcome) => outcome,
                        Err(_) => Err(self.cut_off(&member.name)),
                    }
                }
            };
            match outcome {
                Ok(mut receipt) => {
                    attempts.push(Attempt {
                        member: member.name.clone(),
                        code: None,
                    });
                    record(&attempts);
                    span.record("member", member.name.as_str());
                    receipt.via = Some(member.name.clone());
                    receipt.attempts = attempts;
                    return Ok(receipt);
                }
                Err(error) => {
                    attempts.push(Attempt {
                        member: member.name.clone(),
                        code: Some(error.code()),
                    });
                    let last = position + 1 == via.len();
                    if last || !fails_over(&error) {
                        record(&attempts);
                        span.record("member", member.name.as_str());
                        return Err(error.with_attempts(attempts));
                    }
                    last_error = Some(error);
                }
            }
        }
        record(&attempts);
        Err(last_error
            .unwrap_or_else(|| {
                ConnectorError::invalid_config("the recipient's route names no member")
            })
            .with_attempts(attempts))
    }

    fn budget_ms(&self) -> u128 {
        self.budget.unwrap_or_default().as_millis()
    }

    /// `timeoutMs` ran out while `member`'s request was under way: the kit's timeout, and the
    /// message may have been sent, so that nothing fails over from it.
    fn cut_off(&self, member: &str) -> ConnectorError {
        ConnectorError::timeout(format!(
            "the router's timeoutMs of {} ms ran out while member {member:?} was sending; the message may have been sent",
            self.budget_ms()
        ))
        .with_delivery(Delivery::MaybeSent)
    }

    /// `timeoutMs` was spent by members that provably did not send, before `member` could be
    /// tried: a timeout, and nothing was sent.
    fn spent_before(
        &self,
        member: &str,
        last_error: Option<ConnectorError>,
        attempts: Vec<Attempt>,
    ) -> ConnectorError {
        let mut error = ConnectorError::timeout(format!(
            "the router's timeoutMs of {} ms was spent before member {member:?} could be tried; the message was not sent",
            self.budget_ms()
        ))
        .with_delivery(Delivery::NotSent)
        .with_attempts(attempts);
        if let Some(last) = last_error {
            error = error.with_source(last);
        }
        error
    }
}
