//! The recipient's country, from libphonenumber's metadata (the `phonenumber` crate).
//!
//! Most calling codes belong to one country (`+86` is CN, `+852` HK), and are looked up
//! directly. A code several countries share (`+1` US, CA and the Caribbean, `+7` RU and KZ,
//! `+44` GB, GG, JE and IM) needs the number's own digits: the `phonenumber` crate reads them
//! against each country's number patterns, which costs a few microseconds, so the router
//! only asks when the answer could change where the message goes ([`crate::router`]).

use phonenumber::metadata::DATABASE;

/// The countries (ISO 3166 alpha-2) a calling code belongs to, main country first; empty
/// for a code no country has (`001` non-geographic codes included).
pub(crate) fn countries_of_code(code: u16) -> Vec<&'static str> {
    DATABASE
        .region(&code)
        .unwrap_or_default()
        .into_iter()
        .filter(|id| id.len() == 2 && *id != "001")
        .collect()
}

/// The calling code an E.164 number's digits start with, and where the national number
/// starts: the first 1, 2 or 3 digits that are a known code (codes are prefix-free).
pub(crate) fn calling_code(digits: &str) -> Option<u16> {
    (1..=3).find_map(|len| {
        let code: u16 = digits.get(..len)?.parse().ok()?;
        DATABASE.region(&code).map(|_| code)
    })
}

/// The country of a number in E.164 form (`+` and digits) whose calling code is shared,
/// read from its digits; `None` when no country's patterns match it.
pub(crate) fn country_of_shared(e164: &str) -> Option<String> {
    let number = phonenumber::parse(None, e164).ok()?;
    number.country().id().map(|id| id.as_ref().to_owned())
}

/// Whether libphonenumber knows `country` (ISO 3166 alpha-2).
pub(crate) fn is_known(country: &str) -> bool {
    country != "001" && DATABASE.by_id(country).is_some()
}

/// Every country libphonenumber knows, for suggestions.
pub(crate) fn known() -> Vec<&'static str> {
    let mut ids: Vec<&'static str> = DATABASE
        .iter()
        .map(|m| m.id())
        .filter(|id| id.len() == 2 && *id != "001")
        .collect();
    ids.sort_unstable();
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_of_one_country_and_shared_codes() {
        assert_eq!(countries_of_code(86), ["CN"]);
        assert_eq!(countries_of_code(852), ["HK"]);
        assert!(countries_of_code(1).contains(&"US"));
        assert!(countries_of_code(1).contains(&"CA"));
        assert_eq!(calling_code("8613800138000"), Some(86));
        assert_eq!(calling_code("85251234567"), Some(852));
        assert_eq!(calling_code("14155550100"), Some(1));
        assert_eq!(calling_code("99912345"), None);
    }

    #[test]
    fn shared_codes_are_told_apart_by_the_number() {
        assert_eq!(country_of_shared("+14155550100").as_deref(), Some("US"));
        assert_eq!(country_of_shared("+16135550123").as_deref(), Some("CA"));
        assert_eq!(country_of_shared("+12425551234").as_deref(), Some("BS"));
        assert_eq!(country_of_shared("+447400123456").as_deref(), Some("GB"));
    }

    #[test]
    fn known_countries() {
        assert!(is_known("GB") && is_known("CN"));
        assert!(!is_known("UK") && !is_known("001"));
        assert!(known().contains(&"HK"));
    }
}
