//! Where the console keeps configs: `<dir>/<connector-id>.json` per connector, and
//! `<dir>/active.json` naming the one active SMS connector.
//!
//! Every write is atomic: the new text goes to a temporary file in the same folder, is
//! flushed to disk, and then renamed over the old file, so a failed save leaves the previous
//! file whole. Files are created readable by their owner only, since they hold secrets.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use connector_kit::SchemaView;
use serde_json::{Value, json};

/// The config folder.
#[derive(Debug)]
pub struct Store {
    dir: PathBuf,
}

/// The name of the file that says which connector is active.
const ACTIVE_FILE: &str = "active.json";

impl Store {
    /// A store in `dir`, created when missing.
    pub fn open(dir: &Path) -> std::io::Result<Self> {
        std::fs::create_dir_all(dir)?;
        Ok(Self {
            dir: dir.to_owned(),
        })
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn path(&self, id: &str) -> PathBuf {
        self.dir.join(format!("{id}.json"))
    }

    /// The saved config of connector `id`, if any (an unreadable or malformed file counts as
    /// none, with the reason).
    pub fn load(&self, id: &str) -> Result<Option<Value>, String> {
        let path = self.path(id);
        if !path.exists() {
            return Ok(None);
        }
        let file = File::open(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let bytes = crate::input::read_bounded(file, &path.display().to_string())
            .map_err(|f| f.message.clone())?;
        crate::input::parse_json(&bytes, &path.display().to_string())
            .map(Some)
            .map_err(|f| f.message.clone())
    }

    /// Saves the config of connector `id`, atomically.
    pub fn save(&self, id: &str, config: &Value) -> std::io::Result<()> {
        let text = serde_json::to_string_pretty(config).map_err(std::io::Error::other)?;
        write_atomically(&self.path(id), text.as_bytes())
    }

    /// The id of the active connector, if one was activated.
    pub fn active(&self) -> Option<String> {
        let text = std::fs::read_to_string(self.dir.join(ACTIVE_FILE)).ok()?;
        let value: Value = serde_json::from_str(&text).ok()?;
        value.get("sms")?.as_str().map(str::to_owned)
    }

    /// Makes connector `id` the active SMS connector; the other saved configs stay.
    pub fn activate(&self, id: &str) -> std::io::Result<()> {
        let text =
            serde_json::to_string_pretty(&json!({ "sms": id })).map_err(std::io::Error::other)?;
        write_atomically(&self.dir.join(ACTIVE_FILE), text.as_bytes())
    }
}

static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// Writes `bytes` to `path` through a temporary file in the same folder and a rename.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(
        ".{name}.{}.{}.tmp",
        std::process::id(),
        TEMP_COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let result = (|| {
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options.open(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

/// The config with every secret emptied, and the pointers of the secrets that were set: what
/// the console may show a browser.
pub fn without_secrets(schema: &Value, config: &Value) -> (Value, Vec<String>) {
    let mut shown = config.clone();
    let mut set = Vec::new();
    for (pointer, value) in SchemaView::root(schema).secrets(config) {
        if let Some(slot) = shown.pointer_mut(&pointer) {
            *slot = Value::String(String::new());
        }
        if !value.is_empty() {
            set.push(pointer);
        }
    }
    (shown, set)
}

/// The config a browser sent, with each secret it left empty (or left out) taken from the
/// saved config: leaving a secret field empty keeps the saved secret.
pub fn with_saved_secrets(schema: &Value, incoming: &Value, saved: Option<&Value>) -> Value {
    let mut merged = incoming.clone();
    let Some(saved) = saved else {
        return merged;
    };
    for (pointer, value) in SchemaView::root(schema).secrets(saved) {
        let empty = match merged.pointer(&pointer) {
            None => true,
            Some(Value::String(s)) => s.is_empty(),
            Some(_) => false,
        };
        if empty {
            set_pointer(&mut merged, &pointer, Value::String(value));
        }
    }
    merged
}

/// Sets the value at a JSON pointer, creating object members along the way (not array
/// items: a pointer into an array that is too short is left alone).
fn set_pointer(root: &mut Value, pointer: &str, value: Value) {
    let mut current = root;
    let segments: Vec<String> = pointer
        .split('/')
        .skip(1)
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .collect();
    let Some((last, parents)) = segments.split_last() else {
        return;
    };
    for segment in parents {
        current = match current {
            Value::Object(map) => map
                .entry(segment.clone())
                .or_insert_with(|| Value::Object(Default::default())),
            Value::Array(items) => {
                match segment.parse::<usize>().ok().and_then(|i| items.get_mut(i)) {
                    Some(item) => item,
                    None => return,
                }
            }
            _ => return,
        };
    }
    match current {
        Value::Object(map) => {
            map.insert(last.clone(), value);
        }
        Value::Array(items) => {
            if let Some(slot) = last.parse::<usize>().ok().and_then(|i| items.get_mut(i)) {
                *slot = value;
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema() -> Value {
        json!({
            "type": "object",
            "properties": {
                "token": {"type": "string", "writeOnly": true},
                "name": {"type": "string"},
            },
        })
    }

    #[test]
    fn secrets_are_never_shown_and_kept_when_left_empty() {
        let saved = json!({"token": "s3cret", "name": "a"});
        let (shown, set) = without_secrets(&schema(), &saved);
        assert_eq!(shown, json!({"token": "", "name": "a"}));
        assert_eq!(set, ["/token"]);
        let edited = json!({"token": "", "name": "b"});
        assert_eq!(
            with_saved_secrets(&schema(), &edited, Some(&saved)),
            json!({"token": "s3cret", "name": "b"})
        );
        let left_out = json!({"name": "b"});
        assert_eq!(
            with_saved_secrets(&schema(), &left_out, Some(&saved))["token"],
            "s3cret"
        );
        let replaced = json!({"token": "new", "name": "b"});
        assert_eq!(
            with_saved_secrets(&schema(), &replaced, Some(&saved))["token"],
            "new"
        );
    }

    #[test]
    fn saves_are_atomic_and_private() {
        let dir = std::env::temp_dir().join(format!("sms-console-store-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let store = Store::open(&dir).unwrap();
        assert_eq!(store.load("x").unwrap(), None);
        store.save("x", &json!({"a": 1})).unwrap();
        store.save("x", &json!({"a": 2})).unwrap();
        assert_eq!(store.load("x").unwrap(), Some(json!({"a": 2})));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.join("x.json"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        // A save that cannot complete leaves the previous file whole.
        let blocked = dir.join("blocked.json");
        std::fs::create_dir_all(blocked.join("inside")).unwrap();
        assert!(write_atomically(&blocked, b"{}").is_err());
        assert!(blocked.is_dir());
        assert_eq!(store.load("x").unwrap(), Some(json!({"a": 2})));
        let leftovers: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty());
        assert_eq!(store.active(), None);
        store.activate("x").unwrap();
        store.activate("y").unwrap();
        assert_eq!(store.active().as_deref(), Some("y"));
        assert_eq!(store.load("x").unwrap(), Some(json!({"a": 2})));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
