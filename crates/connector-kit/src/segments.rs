//! How an SMS text is encoded and into how many segments it is split, as carriers bill it.
//!
//! A text whose every character is in the GSM 03.38 default alphabet (3GPP TS 23.038) or its
//! extension table is sent as GSM-7: one septet per character, two for the extension
//! characters (`^ { } \ [ ~ ] | €` and form feed), 160 septets in a single message and 153 per
//! segment once it is split (the rest of each segment carries the concatenation header). Any
//! other character makes the whole text UCS-2: one UTF-16 code unit per character (two for
//! characters outside the Basic Multilingual Plane, such as emoji), 70 units in a single
//! message and 67 per segment. A character is never split across two segments: an extension
//! character's escape stays with it, and so does a surrogate pair.
//!
//! These are the rules Twilio publishes for its segment counts; every carrier bills by them.
//! The GSM-7 tables are short and fixed by the standard, so they are written out here rather
//! than taken from a crate (the crates that carry them are young, single-author mappers).

use std::fmt;

use serde::Serialize;

/// How a text is encoded on the air.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Encoding {
    /// The GSM 03.38 7-bit default alphabet, with its extension table.
    #[serde(rename = "GSM-7")]
    Gsm7,
    /// UCS-2 (UTF-16 code units).
    #[serde(rename = "UCS-2")]
    Ucs2,
}

impl Encoding {
    /// The units a single-segment message holds.
    pub const fn single_limit(self) -> usize {
        match self {
            Self::Gsm7 => 160,
            Self::Ucs2 => 70,
        }
    }

    /// The units each segment of a split message holds.
    pub const fn segment_limit(self) -> usize {
        match self {
            Self::Gsm7 => 153,
            Self::Ucs2 => 67,
        }
    }

    /// The name, `GSM-7` or `UCS-2`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Gsm7 => "GSM-7",
            Self::Ucs2 => "UCS-2",
        }
    }
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A text's encoding and segments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Segments {
    /// The encoding the text needs.
    pub encoding: Encoding,
    /// Its length in the encoding's units: septets for GSM-7, UTF-16 code units for UCS-2.
    pub units: usize,
    /// The number of segments it is sent (and billed) as; at least 1.
    pub count: usize,
    /// The characters that make it UCS-2, each once, in order of appearance (at most 10).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub non_gsm: Vec<char>,
}

impl fmt::Display for Segments {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unit = match self.encoding {
            Encoding::Gsm7 => "septet",
            Encoding::Ucs2 => "UTF-16 unit",
        };
        let plural = |n: usize, word: &str| {
            if n == 1 {
                format!("1 {word}")
            } else {
                format!("{n} {word}s")
            }
        };
        write!(
            f,
            "{}, {}, {}",
            self.encoding,
            plural(self.units, unit),
            plural(self.count, "segment")
        )
    }
}

/// The GSM 03.38 default alphabet, in code order (escape at 0x1B is left out: it is not a
/// character of its own).
const GSM7_BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

/// The characters of the GSM 03.38 extension table, each sent as escape plus one septet.
const GSM7_EXTENSION: &str = "\u{0C}^{}\\[~]|€";

/// Septets a character takes in GSM-7, or `None` when GSM-7 cannot carry it.
fn gsm7_septets(c: char) -> Option<usize> {
    if c.is_ascii_alphanumeric() || c == ' ' {
        return Some(1);
    }
    if GSM7_BASIC.contains(c) {
        Some(1)
    } else if GSM7_EXTENSION.contains(c) {
        Some(2)
    } else {
        None
    }
}

/// The encoding and segments of `text`.
pub fn segments(text: &str) -> Segments {
    let mut non_gsm = Vec::new();
    for c in text.chars() {
        if gsm7_septets(c).is_none() && !non_gsm.contains(&c) && non_gsm.len() < 10 {
            non_gsm.push(c);
        }
    }
    let (encoding, weights): (Encoding, Vec<usize>) = if non_gsm.is_empty() {
        (
            Encoding::Gsm7,
            text.chars().map(|c| gsm7_septets(c).unwrap_or(1)).collect(),
        )
    } else {
        (Encoding::Ucs2, text.chars().map(char::len_utf16).collect())
    };
    let units: usize = weights.iter().sum();
    let count = if units <= encoding.single_limit() {
        1
    } else {
        // Fill segments in order; a character that does not fit whole starts the next one.
        let limit = encoding.segment_limit();
        let mut count = 1;
        let mut used = 0;
        for weight in weights {
            if used + weight > limit {
                count += 1;
                used = 0;
            }
            used += weight;
        }
        count
    };
    Segments {
        encoding,
        units,
        count,
        non_gsm,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(text: &str) -> (Encoding, usize, usize) {
        let s = segments(text);
        (s.encoding, s.units, s.count)
    }

    #[test]
    fn gsm7_holds_160_alone_and_153_per_segment() {
        assert_eq!(count(""), (Encoding::Gsm7, 0, 1));
        assert_eq!(count(&"a".repeat(160)), (Encoding::Gsm7, 160, 1));
        assert_eq!(count(&"a".repeat(161)), (Encoding::Gsm7, 161, 2));
        assert_eq!(count(&"a".repeat(306)), (Encoding::Gsm7, 306, 2));
        assert_eq!(count(&"a".repeat(307)), (Encoding::Gsm7, 307, 3));
        assert_eq!(count(&"a".repeat(1530)), (Encoding::Gsm7, 1530, 10));
    }

    #[test]
    fn extension_characters_take_two_septets_and_are_never_split() {
        assert_eq!(count("{}"), (Encoding::Gsm7, 4, 1));
        assert_eq!(count(&"€".repeat(80)), (Encoding::Gsm7, 160, 1));
        // 81 euro signs: 162 septets; 76 fit in a 153-septet segment (152), the rest follow.
        assert_eq!(count(&"€".repeat(81)), (Encoding::Gsm7, 162, 2));
        // 152 letters then a euro sign: the escape pair does not straddle the boundary.
        let text = format!("{}€{}", "a".repeat(152), "a".repeat(5));
        assert_eq!(count(&text), (Encoding::Gsm7, 159, 1));
        let text = format!("{}€{}", "a".repeat(152), "a".repeat(7));
        assert_eq!(count(&text), (Encoding::Gsm7, 161, 2));
    }

    #[test]
    fn the_gsm7_alphabet_is_recognised() {
        let every = "@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ!\"#¤%&'()*+,-./:;<=>?¡ÄÖÑÜ§¿äöñüà \n\r";
        assert_eq!(segments(every).encoding, Encoding::Gsm7);
        for c in ['ç', 'á', 'ê', '中', '😀', '`', '\t', '«'] {
            assert_eq!(segments(&c.to_string()).encoding, Encoding::Ucs2, "{c:?}");
        }
    }

    #[test]
    fn ucs2_holds_70_alone_and_67_per_segment_without_splitting_pairs() {
        assert_eq!(count(&"中".repeat(70)), (Encoding::Ucs2, 70, 1));
        assert_eq!(count(&"中".repeat(71)), (Encoding::Ucs2, 71, 2));
        assert_eq!(count(&"中".repeat(134)), (Encoding::Ucs2, 134, 2));
        assert_eq!(count(&"中".repeat(135)), (Encoding::Ucs2, 135, 3));
        assert_eq!(count(&"😀".repeat(35)), (Encoding::Ucs2, 70, 1));
        // 36 emoji: 72 units; 33 pairs fill a 67-unit segment (66), the rest follow.
        assert_eq!(count(&"😀".repeat(36)), (Encoding::Ucs2, 72, 2));
        // One non-GSM character makes the whole text UCS-2.
        let s = segments("Your code is 123456 ç");
        assert_eq!((s.encoding, s.units, s.count), (Encoding::Ucs2, 21, 1));
        assert_eq!(s.non_gsm, ['ç']);
        assert_eq!(s.to_string(), "UCS-2, 21 UTF-16 units, 1 segment");
    }
}
