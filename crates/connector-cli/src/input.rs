//! Reading the JSON files a command is given.

use std::path::Path;

use serde_json::Value;

use crate::exit::Failure;

/// Reads and parses a JSON file, with one clear line on failure.
pub fn read_json(path: &Path) -> Result<Value, Failure> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure::invalid(format!("error: cannot read {}: {e}", path.display())))?;
    read_json_str(&text, &path.display().to_string())
}

/// Parses JSON text read from `name`, with one clear line on failure.
pub fn read_json_str(text: &str, name: &str) -> Result<Value, Failure> {
    serde_json::from_str(text)
        .map_err(|e| Failure::invalid(format!("error: {name} is not valid JSON: {e}")))
}
