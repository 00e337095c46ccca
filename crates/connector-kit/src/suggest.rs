//! "Did you mean": the known name closest to a mistyped one, for config keys, usage types and
//! connector names.

/// The candidate `input` most likely stands for, if one is close enough.
///
/// A candidate equal to `input` but for case wins outright (`signin` for `SignIn`); otherwise
/// the one with the fewest edits (insertions, deletions, substitutions, swaps of neighbours,
/// ignoring case), when that is at most a third of the candidate's length (and at least one):
/// `acountSID` finds `accountSID`, `fromNumber` finds nothing among Twilio's keys.
pub fn closest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wanted = input.to_lowercase();
    let mut best: Option<(usize, &'a str)> = None;
    for candidate in candidates {
        let lower = candidate.to_lowercase();
        if lower == wanted {
            return Some(candidate);
        }
        let distance = strsim::damerau_levenshtein(&wanted, &lower);
        let allowed = (candidate.chars().count() / 3).max(1);
        if distance <= allowed && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

/// ` (did you mean "X"?)` when a candidate is close to `input`, else nothing: the tail of a
/// message about an unknown name.
pub fn did_you_mean<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    closest(input, candidates)
        .map(|name| format!(" (did you mean {name:?}?)"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TWILIO: [&str; 6] = [
        "accountSID",
        "authToken",
        "fromMessagingServiceSID",
        "templates",
        "disableRiskCheck",
        "endpoint",
    ];

    #[test]
    fn typos_find_their_key() {
        assert_eq!(closest("acountSID", TWILIO), Some("accountSID"));
        assert_eq!(closest("accountSid", TWILIO), Some("accountSID"));
        assert_eq!(closest("authtoken", TWILIO), Some("authToken"));
        assert_eq!(closest("tempaltes", TWILIO), Some("templates"));
        assert_eq!(closest("signin", ["SignIn", "Register"]), Some("SignIn"));
        assert_eq!(closest("twilio", ["twilio-sms", "aliyun-sms"]), None);
    }

    #[test]
    fn unrelated_names_find_nothing() {
        assert_eq!(closest("fromNumber", TWILIO), None);
        assert_eq!(closest("name", TWILIO), None);
        assert_eq!(closest("", TWILIO), None);
        assert_eq!(did_you_mean("host", TWILIO), "");
        assert_eq!(
            did_you_mean("endpont", TWILIO),
            " (did you mean \"endpoint\"?)"
        );
    }
}
