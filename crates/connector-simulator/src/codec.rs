//! Small encoding, hashing and time helpers shared by the three provider verifiers.
//!
//! Written for the simulator alone: the verifiers must not share code with the connectors'
//! signers, or a bug common to both would pass itself.

use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use connector_kit::UtcDateTime;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

/// Seconds since the Unix epoch, now.
pub(crate) fn now_unix() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// RFC 3986 percent-encoding as Aliyun's signatures use it: every byte but the unreserved
/// `A-Z a-z 0-9 - _ . ~` becomes `%XX` (upper-case hex), so a space is `%20`, `*` is `%2A` and
/// `~` stays as it is.
pub(crate) fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Decodes an `application/x-www-form-urlencoded` string (also used for query strings):
/// `+` is a space, `%XX` a byte; invalid UTF-8 is replaced, never a panic.
pub(crate) fn form_pairs(input: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(input)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// The first value of `name` in decoded pairs.
pub(crate) fn first<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// Lower-case hex SHA-256 of `data`.
pub(crate) fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

/// HMAC-SHA256 of `data` under `key`.
pub(crate) fn hmac_sha256(key: &[u8], data: &[u8]) -> Vec<u8> {
    // HMAC accepts keys of any length, so this never fails.
    match Hmac::<Sha256>::new_from_slice(key) {
        Ok(mut mac) => {
            mac.update(data);
            mac.finalize().into_bytes().to_vec()
        }
        Err(_) => Vec::new(),
    }
}

/// Base64 of HMAC-SHA1 of `data` under `key`.
pub(crate) fn hmac_sha1_base64(key: &[u8], data: &[u8]) -> String {
    match Hmac::<sha1::Sha1>::new_from_slice(key) {
        Ok(mut mac) => {
            mac.update(data);
            STANDARD.encode(mac.finalize().into_bytes())
        }
        Err(_) => String::new(),
    }
}

/// Compares two strings in time independent of where they first differ.
pub(crate) fn constant_time_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// `n` random lower-case hex digits (n <= 32).
pub(crate) fn random_hex(n: usize) -> String {
    let mut text = uuid::Uuid::new_v4().simple().to_string();
    text.truncate(n);
    text
}

/// `n` random decimal digits.
pub(crate) fn random_digits(n: usize) -> String {
    let mut out = String::with_capacity(n);
    while out.len() < n {
        out.push_str(&format!("{:038}", uuid::Uuid::new_v4().as_u128()));
    }
    // The leading digits of a zero-padded u128 are biased towards small values; use the tail.
    out.split_off(out.len() - n)
}

/// A random upper-case UUID, as Aliyun writes request ids.
pub(crate) fn uuid_upper() -> String {
    uuid::Uuid::new_v4().to_string().to_uppercase()
}

/// A random lower-case UUID, as Tencent writes request ids.
pub(crate) fn uuid_lower() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// `YYYY-MM-DDThh:mm:ssZ`.
pub(crate) fn iso8601(unix: u64) -> String {
    UtcDateTime::from_unix(unix).to_string()
}

/// Parses `YYYY-MM-DDThh:mm:ssZ` into Unix seconds.
pub(crate) fn parse_iso8601(text: &str) -> Option<i64> {
    UtcDateTime::parse_iso8601(text).map(UtcDateTime::to_unix)
}

/// `YYYY-MM-DD` of a Unix time, in UTC.
pub(crate) fn utc_date(unix: u64) -> String {
    UtcDateTime::from_unix(unix).date()
}

/// RFC 2822 date, as Twilio writes `date_created`: `Mon, 20 May 2024 08:30:00 +0000`.
pub(crate) fn rfc2822(unix: u64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let t = UtcDateTime::from_unix(unix);
    let weekday = DAYS[((unix / 86_400) % 7) as usize];
    let month = MONTHS
        .get((t.month as usize).saturating_sub(1))
        .copied()
        .unwrap_or("Jan");
    format!(
        "{weekday}, {:02} {month} {:04} {:02}:{:02}:{:02} +0000",
        t.day, t.year, t.hour, t.minute, t.second
    )
}

/// The absolute difference between a client's clock and ours, in seconds.
pub(crate) fn skew(client: i64, now: u64) -> u64 {
    (i128::from(client) - i128::from(now))
        .unsigned_abs()
        .try_into()
        .unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_encoding_keeps_only_unreserved_characters() {
        assert_eq!(percent_encode("a b*c~d"), "a%20b%2Ac~d");
        assert_eq!(percent_encode("+/=:"), "%2B%2F%3D%3A");
        assert_eq!(percent_encode("阿"), "%E9%98%BF");
    }

    #[test]
    fn forms_decode_plus_and_bad_bytes_without_panicking() {
        let pairs = form_pairs(b"a=1+2&b=%E9%98%BF&c=%FF%&d");
        assert_eq!(first(&pairs, "a"), Some("1 2"));
        assert_eq!(first(&pairs, "b"), Some("阿"));
        assert_eq!(first(&pairs, "c"), Some("\u{FFFD}%"));
        assert_eq!(first(&pairs, "d"), Some(""));
    }

    #[test]
    fn dates() {
        assert_eq!(rfc2822(1_716_193_800), "Mon, 20 May 2024 08:30:00 +0000");
        assert_eq!(iso8601(1_476_944_876), "2016-10-20T06:27:56Z");
        assert_eq!(parse_iso8601("2016-10-20T06:27:56Z"), Some(1_476_944_876));
        assert_eq!(utc_date(1_551_113_065), "2019-02-25");
        assert_eq!(skew(10, 4), 6);
        assert_eq!(skew(-5, 4), 9);
    }

    #[test]
    fn random_ids_have_their_lengths() {
        assert_eq!(random_hex(32).len(), 32);
        assert_eq!(random_digits(40).len(), 40);
        assert!(random_digits(15).bytes().all(|b| b.is_ascii_digit()));
    }
}
