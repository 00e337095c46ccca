//! Injected faults: what can go wrong, the magic phone numbers that trigger each fault, and
//! the queue of faults set through the admin endpoint.

use std::collections::VecDeque;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Something the simulator can do instead of accepting a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fault {
    /// The provider's own rate-limit answer (Twilio 429 / 20429, Aliyun
    /// `isv.BUSINESS_LIMIT_CONTROL`, Tencent `LimitExceeded.PhoneNumberDailyLimit`).
    RateLimited,
    /// The provider's balance or quota answer (Twilio 63038, Aliyun `isv.AMOUNT_NOT_ENOUGH`,
    /// Tencent `FailedOperation.InsufficientBalanceInSmsPackage`).
    QuotaExceeded,
    /// The provider's invalid-number answer (Twilio 21211, Aliyun `isv.MOBILE_NUMBER_ILLEGAL`,
    /// Tencent `InvalidParameterValue.IncorrectPhoneNumber`).
    InvalidNumber,
    /// HTTP 500 with an HTML body, as a broken gateway answers.
    ServerError,
    /// The success status with a truncated JSON body.
    MalformedBody,
    /// No answer for the configured slow delay (30 s by default), then a 504 HTML page.
    Slow,
    /// The whole request is read, then the connection is closed without an answer.
    DropAfterRead,
    /// The connection is closed as soon as the request line and headers arrive, before the
    /// body is read and without an answer. Admin endpoint only: a phone number is in the
    /// body, so no number can select it.
    DropBeforeRead,
}

impl Fault {
    /// Every fault.
    pub const ALL: [Fault; 8] = [
        Self::RateLimited,
        Self::QuotaExceeded,
        Self::InvalidNumber,
        Self::ServerError,
        Self::MalformedBody,
        Self::Slow,
        Self::DropAfterRead,
        Self::DropBeforeRead,
    ];

    /// The snake_case name used by the admin endpoint.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::RateLimited => "rate_limited",
            Self::QuotaExceeded => "quota_exceeded",
            Self::InvalidNumber => "invalid_number",
            Self::ServerError => "server_error",
            Self::MalformedBody => "malformed_body",
            Self::Slow => "slow",
            Self::DropAfterRead => "drop_after_read",
            Self::DropBeforeRead => "drop_before_read",
        }
    }

    /// Whether the provider answers this fault with its own business error body (per number
    /// where the provider reports per number), rather than a transport-level failure.
    pub const fn is_business(self) -> bool {
        matches!(
            self,
            Self::RateLimited | Self::QuotaExceeded | Self::InvalidNumber
        )
    }

    /// The magic suffix that selects this fault, if any.
    pub fn magic_suffix(self) -> Option<&'static str> {
        MAGIC_NUMBERS
            .iter()
            .find(|(_, f)| *f == self)
            .map(|(suffix, _)| *suffix)
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Fault {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|f| f.as_str() == s)
            .ok_or_else(|| {
                let names: Vec<&str> = Self::ALL.iter().map(|f| f.as_str()).collect();
                format!("unknown fault {s:?}; expected one of {}", names.join(", "))
            })
    }
}

/// Phone numbers whose last four digits select a fault, for every provider. Any other
/// number is accepted (when the request is valid).
pub const MAGIC_NUMBERS: [(&str, Fault); 7] = [
    ("0429", Fault::RateLimited),
    ("0402", Fault::QuotaExceeded),
    ("0400", Fault::InvalidNumber),
    ("0500", Fault::ServerError),
    ("0502", Fault::MalformedBody),
    ("0408", Fault::Slow),
    ("0499", Fault::DropAfterRead),
];

/// The fault a phone number selects: by its last four digits (anything but digits ignored).
pub fn fault_for_number(number: &str) -> Option<Fault> {
    let digits: Vec<u8> = number.bytes().filter(u8::is_ascii_digit).collect();
    let tail = digits.get(digits.len().checked_sub(4)?..)?;
    MAGIC_NUMBERS
        .iter()
        .find(|(suffix, _)| suffix.as_bytes() == tail)
        .map(|(_, fault)| *fault)
}

/// One entry of the admin fault queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PendingFault {
    /// The fault.
    pub fault: Fault,
    /// How many more requests it applies to.
    pub count: u32,
}

/// Faults set through the admin endpoint, applied in order to the next provider requests.
#[derive(Debug, Default)]
pub(crate) struct FaultQueue {
    queue: VecDeque<PendingFault>,
}

impl FaultQueue {
    /// Appends `count` requests' worth of `fault`.
    pub(crate) fn push(&mut self, fault: Fault, count: u32) {
        if count > 0 {
            self.queue.push_back(PendingFault { fault, count });
        }
    }

    /// Takes the next fault, if any.
    pub(crate) fn pop(&mut self) -> Option<Fault> {
        let front = self.queue.front_mut()?;
        let fault = front.fault;
        front.count -= 1;
        if front.count == 0 {
            self.queue.pop_front();
        }
        Some(fault)
    }

    /// Takes the next fault only if it is `fault`.
    pub(crate) fn pop_if(&mut self, fault: Fault) -> bool {
        if self.queue.front().is_some_and(|p| p.fault == fault) {
            self.pop();
            true
        } else {
            false
        }
    }

    /// The pending faults, in order.
    pub(crate) fn pending(&self) -> Vec<PendingFault> {
        self.queue.iter().copied().collect()
    }

    /// Forgets every pending fault.
    pub(crate) fn clear(&mut self) {
        self.queue.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn magic_numbers_are_read_from_the_last_four_digits() {
        assert_eq!(fault_for_number("+14155550429"), Some(Fault::RateLimited));
        assert_eq!(fault_for_number("13800130402"), Some(Fault::QuotaExceeded));
        assert_eq!(
            fault_for_number("+86 138-0013-0499"),
            Some(Fault::DropAfterRead)
        );
        assert_eq!(fault_for_number("+14155550100"), None);
        assert_eq!(fault_for_number("429"), None);
        assert_eq!(fault_for_number(""), None);
        for (suffix, fault) in MAGIC_NUMBERS {
            assert_eq!(fault.magic_suffix(), Some(suffix));
            assert!(fault != Fault::DropBeforeRead);
        }
    }

    #[test]
    fn the_queue_applies_faults_in_order_and_counts_down() {
        let mut queue = FaultQueue::default();
        queue.push(Fault::Slow, 2);
        queue.push(Fault::ServerError, 1);
        queue.push(Fault::RateLimited, 0);
        assert!(!queue.pop_if(Fault::ServerError));
        assert_eq!(queue.pop(), Some(Fault::Slow));
        assert_eq!(queue.pending()[0].count, 1);
        assert_eq!(queue.pop(), Some(Fault::Slow));
        assert!(queue.pop_if(Fault::ServerError));
        assert_eq!(queue.pop(), None);
    }

    #[test]
    fn names_round_trip() {
        for fault in Fault::ALL {
            assert_eq!(fault.as_str().parse::<Fault>(), Ok(fault));
        }
        assert!("nope".parse::<Fault>().is_err());
    }
}
