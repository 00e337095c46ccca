//! The recipient's country, from libphonenumber's metadata (the `phonenumber` crate).
//!
//! Most calling codes belong to one country (`+86` is CN, `+852` HK), and are looked up
//! directly. A code several countries share (`+1` US, CA and the Caribbean, `+7` RU and KZ,
//! `+44` GB, GG, JE and IM) needs the number's own digits. `phonenumber::parse` reads them,
//! but a full parse costs about 6 µs (a parser, then every pattern through the crate's
//! 100-entry regex cache behind one mutex), so [`country_of_shared`] answers from the
//! metadata directly: the regions of the code, main country first, each tested by its
//! leading digits or else by its number patterns, as the crate's own lookup does, with the
//! patterns compiled once per calling code. Whatever it is not sure of (a national prefix,
//! a leading zero, a pattern that did not compile) goes through the full parse, so that the
//! answer is always the one `phonenumber::parse` gives; a test compares the two on many
//! generated numbers. The router only asks when the answer could change where the message
//! goes ([`crate::router`]).

use std::collections::HashMap;
use std::sync::OnceLock;

use phonenumber::metadata::{DATABASE, Descriptor, Metadata};
use regex::{Regex, RegexBuilder};

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
/// read from its digits; `None` when no country's patterns match it. The same answer as
/// [`country_by_parsing`], mostly without parsing.
pub(crate) fn country_of_shared(e164: &str) -> Option<String> {
    match fast_country(e164) {
        Fast::Country(country) => country.map(str::to_owned),
        Fast::Unsure => country_by_parsing(e164),
    }
}

/// The country `phonenumber::parse` finds for a number: the reference, and the way for
/// numbers [`fast_country`] is not sure of.
pub(crate) fn country_by_parsing(e164: &str) -> Option<String> {
    let number = phonenumber::parse(None, e164).ok()?;
    number.country().id().map(|id| id.as_ref().to_owned())
}

/// What the metadata alone says about a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fast {
    /// The country the full parse would find (`None`: no country's patterns match).
    Country(Option<&'static str>),
    /// The full parse could read this number differently: ask it.
    Unsure,
}

/// The country of a shared-code number from the metadata, as `phonenumber` finds it once it
/// has parsed the number (its `validator::source_for`, which is not public): the first
/// region of the code, main country first, whose leading-digits pattern matches the start
/// of the national number, or, for a region without one (the main country), whose general
/// pattern and one of its number-type patterns match it.
///
/// The parse strips a national prefix (`1` in `+1`, `8` in `+7`) or a carrier code from the
/// national number before it asks, and counts leading zeros apart: numbers where that could
/// happen, and anything not plain E.164, are [`Fast::Unsure`].
pub(crate) fn fast_country(e164: &str) -> Fast {
    let Some(digits) = e164.strip_prefix('+') else {
        return Fast::Unsure;
    };
    if digits.starts_with('0') || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Fast::Unsure;
    }
    let Some(code) = calling_code(digits) else {
        return Fast::Unsure;
    };
    let national = &digits[code_len(code)..];
    // The parse's own bounds on a national number (more than 2 digits, at most 17), and a
    // leading zero, which it would count apart.
    if !(3..=16).contains(&national.len()) || national.starts_with('0') {
        return Fast::Unsure;
    }
    let Some(regions) = shared_regions(code) else {
        return Fast::Unsure;
    };
    match regions.iter().find(|r| r.claims(national)) {
        None => Fast::Country(None),
        Some(region) if region.may_strip(national) => Fast::Unsure,
        Some(region) => Fast::Country(Some(region.id)),
    }
}

/// The number of digits of a calling code.
fn code_len(code: u16) -> usize {
    match code {
        0..=9 => 1,
        10..=99 => 2,
        _ => 3,
    }
}

/// One region of a shared calling code, its patterns compiled.
#[derive(Debug)]
struct Region {
    id: &'static str,
    national_prefix: Option<&'static str>,
    prefix_for_parsing: Option<Regex>,
    leading_digits: Option<Regex>,
    general: Pattern,
    /// The number types whose match makes a number valid for the region, as in
    /// `phonenumber`'s `number_type` (not emergency, short codes and the like).
    types: Vec<Pattern>,
}

/// A descriptor's pattern: the possible lengths (none: any) and the pattern, anchored at
/// the start as `Descriptor::is_match` reads it.
#[derive(Debug)]
struct Pattern {
    lengths: &'static [u16],
    regex: Regex,
}

impl Pattern {
    fn new(descriptor: &'static Descriptor) -> Option<Self> {
        Some(Self {
            lengths: descriptor.possible_length(),
            regex: anchored(descriptor.national_number().as_str())?,
        })
    }

    fn is_match(&self, national: &str) -> bool {
        let length_ok = self.lengths.is_empty()
            || u16::try_from(national.len()).is_ok_and(|n| self.lengths.contains(&n));
        length_ok && self.regex.is_match(national)
    }
}

impl Region {
    fn new(meta: &'static Metadata) -> Option<Self> {
        // The parse turns the region's id into a `country::Id`; a region it cannot turn is
        // left to it.
        meta.id().parse::<phonenumber::country::Id>().ok()?;
        let d = meta.descriptors();
        let types = [
            d.premium_rate(),
            d.toll_free(),
            d.shared_cost(),
            d.voip(),
            d.personal_number(),
            d.pager(),
            d.uan(),
            d.voicemail(),
            d.fixed_line(),
            d.mobile(),
        ];
        Some(Self {
            id: meta.id(),
            national_prefix: meta.national_prefix(),
            prefix_for_parsing: match meta.national_prefix_for_parsing() {
                Some(re) => Some(anchored(re.as_str())?),
                None => None,
            },
            leading_digits: match meta.leading_digits() {
                Some(re) => Some(anchored(re.as_str())?),
                None => None,
            },
            general: Pattern::new(d.general())?,
            types: types
                .into_iter()
                .flatten()
                .map(Pattern::new)
                .collect::<Option<_>>()?,
        })
    }

    /// Whether the parse would give the number to this region.
    fn claims(&self, national: &str) -> bool {
        match &self.leading_digits {
            Some(leading) => leading.is_match(national),
            None => {
                self.general.is_match(national) && self.types.iter().any(|t| t.is_match(national))
            }
        }
    }

    /// Whether the parse could strip a national prefix or carrier code from the number once
    /// it knows the region (and then ask again).
    fn may_strip(&self, national: &str) -> bool {
        self.prefix_for_parsing
            .as_ref()
            .is_some_and(|re| re.is_match(national))
            || self
                .national_prefix
                .is_some_and(|prefix| national.starts_with(prefix))
    }
}

/// `pattern` as `phonenumber` compiles it (whitespace ignored), matching only at the start
/// of the text: `find(..).start() == 0` in the crate, which is the same question. Without
/// Unicode classes (`\d` is ASCII digits only: the same on the ASCII digits it is given),
/// which makes compiling `+1`'s 25 regions about six times faster (some 7 ms, once).
fn anchored(pattern: &str) -> Option<Regex> {
    RegexBuilder::new(&format!("^(?:{pattern}\n)"))
        .ignore_whitespace(true)
        .unicode(false)
        .build()
        .ok()
}

/// The regions of every shared calling code, each code's patterns compiled on first use
/// (or by [`prepare`]); `None` for a code of one region, and for a code whose patterns did
/// not all compile.
fn shared_regions(code: u16) -> Option<&'static [Region]> {
    static CODES: OnceLock<HashMap<u16, OnceLock<Option<Vec<Region>>>>> = OnceLock::new();
    let codes = CODES.get_or_init(|| {
        (1..1000u16)
            .filter(|code| DATABASE.region(code).is_some_and(|r| r.len() > 1))
            .map(|code| (code, OnceLock::new()))
            .collect()
    });
    codes
        .get(&code)?
        .get_or_init(|| {
            DATABASE
                .by_code(&code)?
                .into_iter()
                .map(Region::new)
                .collect::<Option<Vec<_>>>()
        })
        .as_deref()
}

/// Compiles the patterns of a shared calling code now rather than at its first number.
pub(crate) fn prepare(code: u16) {
    let _ = shared_regions(code);
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

    /// Numbers of every shared code the router is asked about: the fast answer, the full
    /// parse's answer and the expected country are one and the same.
    #[test]
    fn the_fast_path_agrees_with_the_full_parse() {
        let table: &[(&str, Option<&str>)] = &[
            // +1: the main country, Canada and the Caribbean by area code.
            ("+14155550100", Some("US")),
            ("+12025550123", Some("US")),
            ("+18005550123", Some("US")),
            ("+16135550123", Some("CA")),
            ("+14165550123", Some("CA")),
            ("+17875550123", Some("PR")),
            ("+19395550123", Some("PR")),
            ("+18765550123", Some("JM")),
            ("+18095550123", Some("DO")),
            ("+18295550123", Some("DO")),
            ("+12425551234", Some("BS")),
            ("+12465551234", Some("BB")),
            ("+16715551234", Some("GU")),
            ("+13405551234", Some("VI")),
            // +7: Russia and Kazakhstan.
            ("+74951234567", Some("RU")),
            ("+79123456789", Some("RU")),
            ("+77011234567", Some("KZ")),
            ("+77172123456", Some("KZ")),
            // +44: the United Kingdom and the Crown Dependencies.
            ("+447400123456", Some("GB")),
            ("+442079460000", Some("GB")),
            ("+447781123456", Some("GG")),
            ("+441481256789", Some("GG")),
            ("+447797123456", Some("JE")),
            ("+441534456789", Some("JE")),
            ("+447624123456", Some("IM")),
            ("+441624756789", Some("IM")),
            // +262: Réunion and Mayotte.
            ("+262262123456", Some("RE")),
            ("+262692123456", Some("RE")),
            ("+262269601234", Some("YT")),
            ("+262639012345", Some("YT")),
            // +590: Guadeloupe, Saint Barthélemy, Saint Martin.
            ("+590590123456", Some("GP")),
            ("+590690123456", Some("GP")),
            ("+590590271234", Some("BL")),
            // Saint Martin's numbers: libphonenumber gives BL and MF the same patterns, so
            // the parse (and the router) names the first of them, BL.
            ("+590590871234", Some("BL")),
            // +599: Curaçao and the Caribbean Netherlands.
            ("+59995181234", Some("CW")),
            ("+5997151234", Some("BQ")),
            ("+5993181234", Some("BQ")),
            // +47: Norway and Svalbard.
            ("+4722123456", Some("NO")),
            ("+4741234567", Some("NO")),
            ("+4779123456", Some("SJ")),
            // Digits no region of the code claims.
            ("+11234567890", None),
            ("+1555", None),
            ("+44123", None),
            ("+70000000000", None),
            ("+4700000000", None),
            ("+599000", None),
            // 17 national digits worth 2^56 or more: too long for the parse.
            ("+4772100000000000000", None),
        ];
        for (e164, expected) in table {
            let full = country_by_parsing(e164);
            assert_eq!(full.as_deref(), *expected, "{e164}: the full parse");
            assert_eq!(
                country_of_shared(e164).as_deref(),
                *expected,
                "{e164}: the router's answer"
            );
            if let Fast::Country(fast) = fast_country(e164) {
                assert_eq!(fast, *expected, "{e164}: the fast path");
            }
        }
        // The plain numbers above are answered without a parse.
        for e164 in [
            "+14155550100",
            "+16135550123",
            "+77011234567",
            "+447624123456",
        ] {
            assert!(
                matches!(fast_country(e164), Fast::Country(Some(_))),
                "{e164}"
            );
        }
    }

    /// Every calling code several regions share.
    fn shared_codes() -> Vec<u16> {
        (1..1000u16)
            .filter(|code| DATABASE.region(code).is_some_and(|r| r.len() > 1))
            .collect()
    }

    /// A deterministic sweep: for each shared code, many numbers of every length, the first
    /// digits drawn from each region's example numbers so that every region is reached.
    #[test]
    fn the_fast_path_agrees_with_the_full_parse_on_a_sweep() {
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            // xorshift64*: reproducible, no dependency.
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            state.wrapping_mul(0x2545_f491_4f6c_dd1d)
        };
        let (mut fast, mut total) = (0usize, 0usize);
        for code in shared_codes() {
            let examples: Vec<String> = DATABASE
                .by_code(&code)
                .unwrap_or_default()
                .into_iter()
                .flat_map(|m| {
                    let d = m.descriptors();
                    [d.general(), d.fixed_line().unwrap_or(d.general())]
                        .into_iter()
                        .chain(d.mobile())
                        .filter_map(|d| d.example().map(str::to_owned))
                        .collect::<Vec<_>>()
                })
                .collect();
            for i in 0..400usize {
                let mut national = String::new();
                if let Some(example) = examples.get(i % (examples.len() + 1)) {
                    let keep = (next() % (example.len() as u64 + 1)) as usize;
                    national.push_str(&example[..keep]);
                }
                let length = 3 + (next() % 13) as usize;
                while national.len() < length {
                    national.push(char::from(b'0' + (next() % 10) as u8));
                }
                let e164 = format!("+{code}{national}");
                let answer = fast_country(&e164);
                if matches!(answer, Fast::Country(_)) {
                    fast += 1;
                }
                total += 1;
                assert_eq!(
                    country_of_shared(&e164),
                    country_by_parsing(&e164),
                    "{e164}: {answer:?}"
                );
            }
        }
        // Most numbers are answered from the metadata alone.
        assert!(fast * 10 >= total * 8, "{fast} of {total} on the fast path");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

        /// Any digits after a shared code: the same country as the full parse.
        #[test]
        fn the_fast_path_agrees_with_the_full_parse_on_any_digits(
            code in proptest::sample::select(shared_codes()),
            national in "[0-9]{1,17}",
        ) {
            let e164 = format!("+{code}{national}");
            proptest::prop_assert_eq!(
                country_of_shared(&e164),
                country_by_parsing(&e164),
                "{} {:?}", e164, fast_country(&e164)
            );
        }
    }

    #[test]
    fn known_countries() {
        assert!(is_known("GB") && is_known("CN"));
        assert!(!is_known("UK") && !is_known("001"));
        assert!(known().contains(&"HK"));
    }
}
