//! Twilio authenticates with HTTP Basic auth: the Account SID as user, the Auth Token as
//! password. Pure.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// The `Authorization` header value for an account SID and auth token.
pub fn basic_auth(account_sid: &str, auth_token: &str) -> String {
    let credentials = format!("{account_sid}:{auth_token}");
    format!("Basic {}", STANDARD.encode(credentials))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_rfc_7617_example() {
        // RFC 7617 section 2: user "Aladdin", password "open sesame".
        assert_eq!(
            basic_auth("Aladdin", "open sesame"),
            "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
        );
    }
}
