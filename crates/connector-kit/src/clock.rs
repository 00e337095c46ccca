//! Time and nonce inputs of request signing, kept explicit so that signing stays pure.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

/// The per-request inputs a signer needs besides credentials and the message: the time, and
/// a nonce unique to this request. "Now and random unless testing."
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestContext {
    /// Seconds since the Unix epoch.
    pub unix_time: u64,
    /// A value unique to this request.
    pub nonce: String,
}

impl RequestContext {
    /// The current time and a fresh random nonce.
    pub fn now() -> Self {
        let unix_time = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Self {
            unix_time,
            nonce: fresh_nonce(),
        }
    }

    /// A fixed context, for tests and vectors.
    pub fn fixed(unix_time: u64, nonce: impl Into<String>) -> Self {
        Self {
            unix_time,
            nonce: nonce.into(),
        }
    }

    /// The time as a UTC calendar date and time.
    pub fn utc(&self) -> UtcDateTime {
        UtcDateTime::from_unix(self.unix_time)
    }
}

/// A version-4 UUID for a nonce, without a system call per request: 128 bits hashed from a
/// process-wide counter with two randomly keyed SipHash states (std seeds them from the OS
/// once per thread), so nonces are as unlikely to repeat as random v4 UUIDs (and cannot repeat within a process unless SipHash collides) and cannot be predicted.
fn fresh_nonce() -> String {
    use std::hash::BuildHasher;
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    thread_local! {
        static KEYS: (std::hash::RandomState, std::hash::RandomState) =
            (std::hash::RandomState::new(), std::hash::RandomState::new());
    }
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let bits = KEYS.with(|(a, b)| (u128::from(a.hash_one(n)) << 64) | u128::from(b.hash_one(n)));
    uuid::Builder::from_random_bytes(bits.to_be_bytes())
        .into_uuid()
        .to_string()
}

/// A UTC calendar date and time, to the second.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct UtcDateTime {
    /// The year.
    pub year: i64,
    /// The month, 1 to 12.
    pub month: u32,
    /// The day of the month, 1 to 31.
    pub day: u32,
    /// The hour, 0 to 23.
    pub hour: u32,
    /// The minute, 0 to 59.
    pub minute: u32,
    /// The second, 0 to 59.
    pub second: u32,
}

impl UtcDateTime {
    /// The calendar time of a Unix timestamp.
    pub fn from_unix(secs: u64) -> Self {
        let days = (secs / 86_400) as i64;
        let rem = secs % 86_400;
        // Civil-from-days over 400-year eras of 146,097 days (proleptic Gregorian calendar).
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = yoe + era * 400 + i64::from(month <= 2);
        Self {
            year,
            month,
            day,
            hour: (rem / 3_600) as u32,
            minute: (rem % 3_600 / 60) as u32,
            second: (rem % 60) as u32,
        }
    }

    /// The Unix timestamp of this calendar time.
    pub fn to_unix(self) -> i64 {
        let y = self.year - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y.rem_euclid(400);
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        let days = era * 146_097 + doe - 719_468;
        days * 86_400
            + i64::from(self.hour) * 3_600
            + i64::from(self.minute) * 60
            + i64::from(self.second)
    }

    /// `YYYY-MM-DD`.
    pub fn date(self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// Parses `YYYY-MM-DDThh:mm:ssZ`.
    pub fn parse_iso8601(text: &str) -> Option<Self> {
        let b = text.as_bytes();
        if b.len() != 20
            || b[4] != b'-'
            || b[7] != b'-'
            || b[10] != b'T'
            || b[13] != b':'
            || b[16] != b':'
            || b[19] != b'Z'
        {
            return None;
        }
        let num = |r: std::ops::Range<usize>| text.get(r)?.parse::<u32>().ok();
        let value = Self {
            year: i64::from(num(0..4)?),
            month: num(5..7)?,
            day: num(8..10)?,
            hour: num(11..13)?,
            minute: num(14..16)?,
            second: num(17..19)?,
        };
        let valid = (1..=12).contains(&value.month)
            && (1..=31).contains(&value.day)
            && value.hour < 24
            && value.minute < 60
            && value.second < 60;
        valid.then_some(value)
    }
}

/// `YYYY-MM-DDThh:mm:ssZ`.
impl fmt::Display for UtcDateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_timestamps() {
        assert_eq!(
            UtcDateTime::from_unix(0).to_string(),
            "1970-01-01T00:00:00Z"
        );
        assert_eq!(
            UtcDateTime::from_unix(1_551_113_065).to_string(),
            "2019-02-25T16:44:25Z"
        );
        assert_eq!(
            UtcDateTime::from_unix(1_476_944_876).to_string(),
            "2016-10-20T06:27:56Z"
        );
        assert_eq!(UtcDateTime::from_unix(951_782_400).date(), "2000-02-29");
    }

    #[test]
    fn round_trips_through_text() {
        for secs in [0, 951_782_400, 1_551_113_065, 4_102_444_799] {
            let t = UtcDateTime::from_unix(secs);
            let parsed = UtcDateTime::parse_iso8601(&t.to_string()).unwrap();
            assert_eq!(parsed.to_unix(), secs as i64);
        }
        assert!(UtcDateTime::parse_iso8601("2016-13-20T06:27:56Z").is_none());
        assert!(UtcDateTime::parse_iso8601("2016-10-20 06:27:56").is_none());
    }

    #[test]
    fn nonces_are_unique() {
        assert_ne!(RequestContext::now().nonce, RequestContext::now().nonce);
    }
}
