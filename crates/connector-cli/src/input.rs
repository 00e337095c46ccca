//! Reading the config a command is given: a file, or standard input for `-`.
//!
//! Reads are bounded: a config is a few kilobytes, so anything over [`MAX_CONFIG_BYTES`] is
//! refused after reading one byte past the limit, never read whole (`/dev/zero` and endless
//! pipes included). A UTF-8 byte order mark, which some editors write, is skipped.

use std::io::Read;
use std::path::Path;

use serde_json::Value;

use crate::exit::Failure;

/// The largest config accepted: 1 MiB.
pub const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

/// Where a config comes from, as messages name it.
pub fn source_name(path: &Path) -> String {
    if is_stdin(path) {
        "standard input".to_owned()
    } else {
        path.display().to_string()
    }
}

fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// Reads and parses the config at `path` (`-` for standard input), with one clear line on
/// failure.
pub fn read_json(path: &Path) -> Result<Value, Failure> {
    let name = source_name(path);
    let bytes = if is_stdin(path) {
        read_bounded(std::io::stdin().lock(), &name)?
    } else {
        let file = std::fs::File::open(path).map_err(|e| unreadable(&name, &e))?;
        if file.metadata().is_ok_and(|m| m.is_dir()) {
            return Err(Failure::invalid(
                "unreadable_input",
                format!("cannot read {name}: it is a directory"),
            ));
        }
        read_bounded(file, &name)?
    };
    parse_json(&bytes, &name)
}

fn unreadable(name: &str, error: &std::io::Error) -> Failure {
    Failure::invalid("unreadable_input", format!("cannot read {name}: {error}"))
}

/// Reads at most [`MAX_CONFIG_BYTES`], refusing anything longer.
pub fn read_bounded(reader: impl Read, name: &str) -> Result<Vec<u8>, Failure> {
    let mut bytes = Vec::new();
    reader
        .take(MAX_CONFIG_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| unreadable(name, &e))?;
    if bytes.len() as u64 > MAX_CONFIG_BYTES {
        return Err(Failure::invalid(
            "unreadable_input",
            format!(
                "{name} is larger than 1 MiB, too large for a config; nothing was read past that"
            ),
        ));
    }
    Ok(bytes)
}

/// Parses JSON bytes read from `name` (a leading UTF-8 byte order mark is skipped).
pub fn parse_json(bytes: &[u8], name: &str) -> Result<Value, Failure> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Failure::invalid(
            "invalid_json",
            format!("{name} is empty; expected a JSON object"),
        ));
    }
    serde_json::from_slice(bytes)
        .map_err(|e| Failure::invalid("invalid_json", format!("{name} is not valid JSON: {e}")))
}

/// Parses JSON text compiled into the command (the demo's example configs).
pub fn read_json_str(text: &str, name: &str) -> Result<Value, Failure> {
    parse_json(text.as_bytes(), name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_byte_order_mark_is_skipped() {
        let value = parse_json(b"\xEF\xBB\xBF{\"a\": 1}", "f").unwrap();
        assert_eq!(value["a"], 1);
    }

    #[test]
    fn endless_input_is_refused_after_the_limit() {
        let endless = std::io::repeat(b' ');
        let failure = read_bounded(endless, "endless").unwrap_err();
        assert_eq!(failure.code, "unreadable_input");
        assert!(
            failure.message.contains("larger than 1 MiB"),
            "{}",
            failure.message
        );
    }

    #[test]
    fn empty_and_malformed_input_say_so() {
        assert!(
            parse_json(b"  \n", "f")
                .unwrap_err()
                .message
                .contains("f is empty")
        );
        let failure = parse_json(b"{\"a\": ", "f").unwrap_err();
        assert_eq!(failure.code, "invalid_json");
        assert!(failure.message.starts_with("f is not valid JSON: "));
    }
}
