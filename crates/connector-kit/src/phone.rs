//! Phone numbers: one parser to E.164 for every provider, the mainland China mobile test, and
//! the masking every log line and error message uses.
//!
//! Providers differ only in what a number written without `+` means, which they state as
//! [`PhoneRules`]; the rest (digits only, the country code first, 15 digits at most, a `+86`
//! number must be a mainland mobile number) is the same everywhere, and so are the messages.

use crate::error::ConnectorError;

/// How a provider reads a number written without `+` or `00`, and how short a number may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct PhoneRules {
    /// A bare 11-digit number starting with 1 is a mainland China mobile number (`+86`).
    pub bare_mainland: bool,
    /// Any other bare number already starts with its country code (`14155550100`).
    pub bare_international: bool,
    /// The fewest digits a number may have, country code included (E.164 allows 15 at most).
    pub min_digits: usize,
}

impl PhoneRules {
    /// Only `+` (or `00`) and the country code: nothing is guessed.
    pub const STRICT: Self = Self {
        bare_mainland: false,
        bare_international: false,
        min_digits: 7,
    };

    /// Rules with a bare mainland China mobile number taken for `+86`.
    pub const fn with_bare_mainland(mut self, on: bool) -> Self {
        self.bare_mainland = on;
        self
    }

    /// Rules with any other bare number taken to start with its country code.
    pub const fn with_bare_international(mut self, on: bool) -> Self {
        self.bare_international = on;
        self
    }

    /// Rules with another shortest length.
    pub const fn with_min_digits(mut self, min_digits: usize) -> Self {
        self.min_digits = min_digits;
        self
    }
}

/// A phone number in E.164 form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneNumber {
    /// `+` and the digits.
    e164: String,
}

impl PhoneNumber {
    /// `+` and the digits: `+8613800138000`.
    pub fn e164(&self) -> &str {
        &self.e164
    }

    /// The digits without `+`: `8613800138000`.
    pub fn digits(&self) -> &str {
        &self.e164[1..]
    }

    /// The national number of a mainland China mobile number (`13800138000`), else `None`.
    pub fn mainland_china(&self) -> Option<&str> {
        self.digits()
            .strip_prefix("86")
            .filter(|national| is_mainland_mobile(national))
    }

    /// Whether the number is a mainland China mobile number.
    pub fn is_mainland_china(&self) -> bool {
        self.mainland_china().is_some()
    }
}

/// Whether `digits` is a mainland China mobile number without its country code: 11 digits
/// starting with 1.
pub fn is_mainland_mobile(digits: &str) -> bool {
    digits.len() == 11 && digits.starts_with('1') && digits.bytes().all(|b| b.is_ascii_digit())
}

/// Parses a recipient's number under a provider's rules.
///
/// `+` or `00` start an international number; a bare number is read by the [`PhoneRules`].
/// The result has a country code that does not start with 0 and `min_digits` to 15 digits; a
/// `+86` number must be a mainland mobile number. Anything else (spaces, dashes, letters) is
/// `invalid_request_parameters` with the field `to`, and the message shows the number
/// masked as logs mask it (separators stay visible, so a number written with spaces shows
/// them).
pub fn parse(to: &str, rules: PhoneRules) -> Result<PhoneNumber, ConnectorError> {
    let invalid = |why: &str| {
        ConnectorError::invalid_request_parameters(format!(
            "phone number {:?} is not usable: {why}",
            mask(to)
        ))
        .with_field("to")
    };
    if to.is_empty() {
        return Err(invalid("it is empty"));
    }
    if to.chars().any(is_separator) {
        return Err(invalid(
            "it contains spaces, dashes, dots or brackets; write + and digits only, such as +14155550100",
        ));
    }
    let (international, rest) = match to.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => match to.strip_prefix("00") {
            Some(rest) => (true, rest),
            None => (false, to),
        },
    };
    if rest.is_empty() || !rest.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid(
            "expected + and digits only, such as +8613800138000 or +14155550100",
        ));
    }
    let digits = if international || rest.strip_prefix("86").is_some_and(is_mainland_mobile) {
        rest.to_owned()
    } else if rules.bare_mainland && is_mainland_mobile(rest) {
        format!("86{rest}")
    } else if rules.bare_international {
        rest.to_owned()
    } else {
        return Err(invalid(
            "a number outside mainland China must start with + and its country code",
        ));
    };
    if digits.starts_with('0') || !(rules.min_digits..=15).contains(&digits.len()) {
        return Err(invalid(&format!(
            "expected + and the country code, then the number: {} to 15 digits in all (E.164)",
            rules.min_digits
        )));
    }
    if let Some(national) = digits.strip_prefix("86") {
        if !is_mainland_mobile(national) {
            return Err(invalid(
                "a mainland China number must be a mobile number: 11 digits starting with 1",
            ));
        }
    }
    Ok(PhoneNumber {
        e164: format!("+{digits}"),
    })
}

/// What people write between the digits of a number: spaces, dashes, dots, brackets.
fn is_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, '-' | '.' | '(' | ')' | '/')
}

/// The phone number with every digit but the last four masked, for logs and error messages.
/// `+` and separators (spaces, dashes, dots, brackets) stay, every other character becomes
/// `*`, so the shape of a mistyped number stays visible without the number.
pub fn mask(phone: &str) -> String {
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    let mut seen = 0;
    phone
        .chars()
        .map(|c| {
            if c.is_ascii_digit() {
                seen += 1;
                if seen + 4 <= digits { '*' } else { c }
            } else if matches!(c, '+' | ' ' | '-' | '.' | '(' | ')' | '/') {
                c
            } else {
                '*'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ConnectorErrorCode;

    const LENIENT: PhoneRules = PhoneRules::STRICT
        .with_bare_mainland(true)
        .with_bare_international(false);

    #[test]
    fn phone_numbers_are_masked_but_for_the_last_four_digits() {
        assert_eq!(mask("+8613800138000"), "+*********8000");
        assert_eq!(mask("13800138000"), "*******8000");
        assert_eq!(mask("123"), "123");
        assert_eq!(mask("+1 (415) 555-0100"), "+* (***) ***-0100");
        assert_eq!(mask("+1 415 555 0100"), "+* *** *** 0100");
        assert_eq!(mask("+1\n415x"), "+1*415*");
    }

    #[test]
    fn international_forms_are_kept() {
        for (input, expected) in [
            ("+14155550100", "+14155550100"),
            ("0014155550100", "+14155550100"),
            ("+8613800138000", "+8613800138000"),
            ("008613800138000", "+8613800138000"),
            ("8613800138000", "+8613800138000"),
        ] {
            let number = parse(input, PhoneRules::STRICT).unwrap();
            assert_eq!(number.e164(), expected, "{input}");
        }
    }

    #[test]
    fn bare_numbers_follow_the_rules() {
        assert_eq!(
            parse("13800138000", LENIENT).unwrap().e164(),
            "+8613800138000"
        );
        assert!(parse("13800138000", PhoneRules::STRICT).is_err());
        let twilio_like = PhoneRules::STRICT.with_bare_international(true);
        assert_eq!(
            parse("14155550100", twilio_like).unwrap().e164(),
            "+14155550100"
        );
        assert!(parse("4155550100", LENIENT).is_err());
    }

    #[test]
    fn mainland_china_is_recognised() {
        let number = parse("+8613800138000", PhoneRules::STRICT).unwrap();
        assert_eq!(number.mainland_china(), Some("13800138000"));
        assert!(
            !parse("+85261234567", PhoneRules::STRICT)
                .unwrap()
                .is_mainland_china()
        );
        assert!(is_mainland_mobile("13800138000"));
        assert!(!is_mainland_mobile("23800138000"));
    }

    #[test]
    fn malformed_numbers_are_invalid_request_parameters_and_masked() {
        for bad in [
            "",
            "+",
            "00",
            "+123456",
            "+1234567890123456",
            "+1 415 555 0100",
            "+1-415-555-0100",
            "+0123456789",
            "+861012345678",
            "+86138001380000",
            "+８６13800138000",
            "phone",
        ] {
            let error = parse(bad, LENIENT).unwrap_err();
            assert_eq!(
                error.code(),
                ConnectorErrorCode::InvalidRequestParameters,
                "{bad:?}"
            );
        }
        let error = parse("+8613912345678x", LENIENT).unwrap_err();
        assert!(!error.to_string().contains("13912345678"), "{error}");
        assert_eq!(error.details().field.as_deref(), Some("to"));
        let error = parse("+1 415 555 0100", LENIENT).unwrap_err();
        assert_eq!(
            error.to_string(),
            "phone number \"+* *** *** 0100\" is not usable: it contains spaces, dashes, dots or brackets; write + and digits only, such as +14155550100"
        );
    }
}
