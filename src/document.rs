//! The neutral document `{"connections": [...]}`: the file format of `export`, `plan` and
//! `apply`, in JSON or (for paths ending in `.yaml`/`.yml`) YAML.
//!
//! Reading reports the file and the JSON/YAML path of a bad field
//! (`acme.yaml: connections[2].kind: unknown variant ...`), and refuses duplicate names, since
//! a name is the key a plan matches on.

use std::collections::HashMap;
use std::fmt;
use std::io::Write;
use std::path::Path;

use idconn_core::{Connection, reveal_secrets, with_reference_base};
use serde::{Deserialize, Serialize};

/// A file's serialization format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// JSON (the default).
    Json,
    /// YAML.
    Yaml,
}

impl Format {
    /// YAML when the path ends in `.yaml` or `.yml` (any case), JSON otherwise.
    pub fn from_path(path: &Path) -> Format {
        match path.extension().and_then(|e| e.to_str()) {
            Some(ext) if ext.eq_ignore_ascii_case("yaml") || ext.eq_ignore_ascii_case("yml") => {
                Format::Yaml
            }
            _ => Format::Json,
        }
    }
}

/// Bounds on an input document, checked while it is read, before it is parsed: a file that is
/// too large or too deeply nested fails fast with an error naming it, whatever it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InputLimits {
    /// The largest file read, in bytes. Default 16 MiB (a document of ten thousand connections
    /// is a few MiB).
    pub max_bytes: u64,
    /// The deepest nesting of lists and maps. Default 64 (a connection's deepest extras are
    /// about ten levels down).
    pub max_depth: usize,
}

impl Default for InputLimits {
    fn default() -> Self {
        InputLimits {
            max_bytes: 16 * 1024 * 1024,
            max_depth: 64,
        }
    }
}

impl InputLimits {
    /// The default limits with `max_bytes` set.
    pub fn with_max_bytes(self, max_bytes: u64) -> Self {
        InputLimits { max_bytes, ..self }
    }
}

/// A set of neutral connections, as kept in a file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Document {
    /// The connections, each with a unique name.
    pub connections: Vec<Connection>,
}

/// Why a document or a secrets file could not be read or written.
///
/// `Display` is one sentence naming the file (and the field, where one is at fault); it never
/// contains a secret's value.
#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    /// The file could not be opened or read.
    #[error("cannot read {file}: {message}")]
    Read {
        /// The file.
        file: String,
        /// The operating system's reason.
        message: String,
    },
    /// The file is not a valid document: bad syntax, an unknown field or a wrong type.
    #[error("{file}: {}{message}", path_prefix(.path))]
    Invalid {
        /// The file.
        file: String,
        /// The JSON/YAML path of the bad field (`connections[2].settings.scopes`), empty when the
        /// fault is not in one field (syntax errors).
        path: String,
        /// What is wrong there.
        message: String,
    },
    /// Two connections share a name.
    #[error(
        "{file}: connections[{second}].name: \"{name}\" is already the name of connections[{first}]; names must be unique"
    )]
    DuplicateName {
        /// The file.
        file: String,
        /// The repeated name.
        name: String,
        /// The index of the first connection with the name.
        first: usize,
        /// The index of the repeat.
        second: usize,
    },
    /// The file is larger than [`InputLimits::max_bytes`].
    #[error(
        "{file}: larger than the {limit}-byte input limit; not read further (raise it with --max-input-bytes or IDCONN_MAX_INPUT_BYTES if the file is right)"
    )]
    TooLarge {
        /// The file.
        file: String,
        /// The limit in bytes.
        limit: u64,
    },
    /// The file nests lists and maps deeper than [`InputLimits::max_depth`].
    #[error("{file}: line {line}: nested more than {limit} levels deep; no connection document is")]
    TooDeep {
        /// The file.
        file: String,
        /// The line where the limit was passed.
        line: usize,
        /// The limit.
        limit: usize,
    },
    /// The file could not be written, or the document not serialized.
    #[error("cannot write {file}: {message}")]
    Write {
        /// The file (`-` for standard output).
        file: String,
        /// The reason.
        message: String,
    },
}

fn path_prefix(path: &str) -> String {
    if path.is_empty() {
        String::new()
    } else {
        format!("{path}: ")
    }
}

impl Document {
    /// Reads a document from `path`, in the format its extension names, within the default
    /// [`InputLimits`].
    pub fn read(path: &Path) -> Result<Document, DocumentError> {
        Document::read_within(path, InputLimits::default())
    }

    /// Reads a document from `path` within `limits`. Secret references (`{file: PATH}`) are
    /// relative to the document's folder.
    pub fn read_within(path: &Path, limits: InputLimits) -> Result<Document, DocumentError> {
        let file = path.display().to_string();
        let text = read_text(path, limits)?;
        let folder = path.parent().unwrap_or(Path::new(""));
        with_reference_base(folder, || {
            Document::parse_within(&text, Format::from_path(path), &file, limits)
        })
    }

    /// Parses a document within the default nesting limit, reading its secret references
    /// (`{env: NAME}`, `{file: PATH}`, see [`SecretRef`](idconn_core::SecretRef)). `file` names
    /// the source in errors; an error in a connection also names the connection.
    pub fn parse(text: &str, format: Format, file: &str) -> Result<Document, DocumentError> {
        Document::parse_within(text, format, file, InputLimits::default())
    }

    /// [`parse`](Self::parse), for a document whose nesting is within `limits`.
    pub fn parse_within(
        text: &str,
        format: Format,
        file: &str,
        limits: InputLimits,
    ) -> Result<Document, DocumentError> {
        check_nesting(text, format, file, limits)?;
        let document: Document =
            parse_value(text, format, file).map_err(|e| with_connection_name(e, text, format))?;
        document.check_unique_names(file)?;
        Ok(document)
    }

    /// Refuses two connections with the same name.
    pub fn check_unique_names(&self, file: &str) -> Result<(), DocumentError> {
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (index, connection) in self.connections.iter().enumerate() {
            if let Some(first) = seen.insert(connection.name.as_str(), index) {
                return Err(DocumentError::DuplicateName {
                    file: file.to_string(),
                    name: connection.name.clone(),
                    first,
                    second: index,
                });
            }
        }
        Ok(())
    }

    /// Serializes the document. Known client secrets are written as their values only when
    /// `include_secrets` is set; otherwise as `{"masked": true}`.
    pub fn render(&self, format: Format, include_secrets: bool) -> Result<String, DocumentError> {
        let render = || render_value(self, format, "-");
        if include_secrets {
            reveal_secrets(render)
        } else {
            render()
        }
    }

    /// Writes the document to `path`, in the format its extension names. A new file is
    /// readable by its owner only ([`write_private`]): it may hold secrets.
    pub fn write(&self, path: &Path, include_secrets: bool) -> Result<(), DocumentError> {
        let text = self.render(Format::from_path(path), include_secrets)?;
        write_private(path, text.as_bytes()).map_err(|e| DocumentError::Write {
            file: path.display().to_string(),
            message: e.to_string(),
        })
    }
}

/// Adds the connection's name to an error inside `connections[N]`, when the text has one.
fn with_connection_name(error: DocumentError, text: &str, format: Format) -> DocumentError {
    let DocumentError::Invalid {
        file,
        path,
        message,
    } = error
    else {
        return error;
    };
    let index = path
        .strip_prefix("connections[")
        .and_then(|rest| rest.split_once(']'))
        .and_then(|(index, _)| index.parse::<usize>().ok());
    let untyped: Option<serde_json::Value> = match format {
        Format::Json => serde_json::from_str(text).ok(),
        Format::Yaml => serde_yaml_ng::from_str(text).ok(),
    };
    let name = index.and_then(|index| {
        untyped?
            .get("connections")?
            .get(index)?
            .get("name")?
            .as_str()
            .map(str::to_string)
    });
    let message = match name {
        Some(name) => format!("connection \"{name}\": {message}"),
        None => message,
    };
    DocumentError::Invalid {
        file,
        path,
        message,
    }
}

/// Writes a document one connection at a time, so that a long export holds one page in
/// memory, not the whole set. The output is what [`Document::render`] gives for the same
/// connections, and reads back with [`Document::read`].
pub struct DocumentWriter<W: Write> {
    out: W,
    format: Format,
    include_secrets: bool,
    written: usize,
}

impl<W: Write> DocumentWriter<W> {
    /// A writer of `format` into `out`. Known client secrets are written as their values only
    /// when `include_secrets` is set; otherwise as `{"masked": true}`.
    pub fn new(out: W, format: Format, include_secrets: bool) -> Self {
        DocumentWriter {
            out,
            format,
            include_secrets,
            written: 0,
        }
    }

    /// Appends one connection.
    pub fn write(&mut self, connection: &Connection) -> std::io::Result<()> {
        let render = || match self.format {
            Format::Json => serde_json::to_string_pretty(connection).map_err(std::io::Error::other),
            Format::Yaml => serde_yaml_ng::to_string(std::slice::from_ref(connection))
                .map_err(std::io::Error::other),
        };
        let text = if self.include_secrets {
            reveal_secrets(render)?
        } else {
            render()?
        };
        match self.format {
            Format::Json => {
                let open = if self.written == 0 {
                    "{\n  \"connections\": [\n"
                } else {
                    ",\n"
                };
                self.out.write_all(open.as_bytes())?;
                for (index, line) in text.lines().enumerate() {
                    if index > 0 {
                        self.out.write_all(b"\n")?;
                    }
                    write!(self.out, "    {line}")?;
                }
            }
            Format::Yaml => {
                if self.written == 0 {
                    self.out.write_all(b"connections:\n")?;
                }
                self.out.write_all(text.as_bytes())?;
            }
        }
        self.written += 1;
        Ok(())
    }

    /// Ends the document and returns how many connections it holds.
    pub fn finish(mut self) -> std::io::Result<usize> {
        let close = match (self.format, self.written) {
            (Format::Json, 0) => "{\n  \"connections\": []\n}\n",
            (Format::Json, _) => "\n  ]\n}\n",
            (Format::Yaml, 0) => "connections: []\n",
            (Format::Yaml, _) => "",
        };
        self.out.write_all(close.as_bytes())?;
        self.out.flush()?;
        Ok(self.written)
    }
}

/// Writes `bytes` to `path`, replacing its content. A file this creates has mode 0600 (owner
/// only) on Unix, since what idconn writes to files (exports, reports) may hold secrets or
/// name them; an existing file keeps its mode, never widened.
pub fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = create_private(path)?;
    file.write_all(bytes)?;
    file.flush()
}

/// Opens `path` for writing from the start, as [`write_private`] does: a file this creates
/// has mode 0600 on Unix, and an existing file keeps its mode. For writers that stream
/// ([`DocumentWriter`]).
pub fn create_private(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

/// Refuses `text` when it nests deeper than `limits.max_depth`, before any parser sees it.
pub(crate) fn check_nesting(
    text: &str,
    format: Format,
    file: &str,
    limits: InputLimits,
) -> Result<(), DocumentError> {
    crate::nesting::check(text, format, limits.max_depth).map_err(|line| DocumentError::TooDeep {
        file: file.to_string(),
        line,
        limit: limits.max_depth,
    })
}

/// Reads `path` as UTF-8 text, at most `limits.max_bytes` of it: a longer file (or an endless
/// one such as `/dev/zero`) fails as soon as the limit is passed.
pub(crate) fn read_text(path: &Path, limits: InputLimits) -> Result<String, DocumentError> {
    use std::io::Read;
    let file = path.display().to_string();
    let failed = |e: std::io::Error| DocumentError::Read {
        file: file.clone(),
        message: e.to_string(),
    };
    let opened = std::fs::File::open(path).map_err(failed)?;
    let mut bytes = Vec::new();
    opened
        .take(limits.max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(failed)?;
    if bytes.len() as u64 > limits.max_bytes {
        return Err(DocumentError::TooLarge {
            file,
            limit: limits.max_bytes,
        });
    }
    String::from_utf8(bytes).map_err(|e| DocumentError::Read {
        file: file.clone(),
        message: format!(
            "not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        ),
    })
}

/// Deserializes `text` as `T`, reporting the path of the bad field.
pub(crate) fn parse_value<T: for<'de> Deserialize<'de>>(
    text: &str,
    format: Format,
    file: &str,
) -> Result<T, DocumentError> {
    let invalid = |path: String, message: String| DocumentError::Invalid {
        file: file.to_string(),
        path,
        message,
    };
    match format {
        Format::Json => {
            let mut de = serde_json::Deserializer::from_str(text);
            let value: T = serde_path_to_error::deserialize(&mut de).map_err(|e| {
                let (path, message) =
                    with_nested_path(field_path(e.path()), e.into_inner().to_string());
                invalid(path, message)
            })?;
            de.end()
                .map_err(|e| invalid(String::new(), e.to_string()))?;
            Ok(value)
        }
        Format::Yaml => {
            let de = serde_yaml_ng::Deserializer::from_str(text);
            serde_path_to_error::deserialize(de).map_err(|e| {
                let path = field_path(e.path());
                let message = without_yaml_path(&path, e.into_inner().to_string());
                let (path, message) = with_nested_path(path, message);
                invalid(path, message)
            })
        }
    }
}

/// Serializes `value` in `format`. `file` names the destination in errors.
pub(crate) fn render_value<T: Serialize>(
    value: &T,
    format: Format,
    file: &str,
) -> Result<String, DocumentError> {
    let result = match format {
        Format::Json => serde_json::to_string_pretty(value)
            .map(|mut s| {
                s.push('\n');
                s
            })
            .map_err(|e| e.to_string()),
        Format::Yaml => serde_yaml_ng::to_string(value).map_err(|e| e.to_string()),
    };
    result.map_err(|message| DocumentError::Write {
        file: file.to_string(),
        message,
    })
}

/// serde_yaml_ng starts its messages with its own (shorter) path, `connections[0]: ...`; the
/// error already names the full one.
fn without_yaml_path(path: &str, message: String) -> String {
    match message.split_once(": ") {
        Some((head, rest)) if !head.contains(' ') && path.starts_with(head) => rest.to_string(),
        _ => message,
    }
}

/// Moves the path of a field inside a value serde read whole (a connection's `settings`) from
/// the message onto the path: `settings` + `at `scopes`: ...` is `settings.scopes`.
fn with_nested_path(path: String, message: String) -> (String, String) {
    let (inner, rest) = match idconn_core::json::split_nested(&message) {
        Some((inner, rest)) => (inner.to_owned(), rest.to_owned()),
        None => return (path, message),
    };
    let joined = match (path.is_empty(), inner.as_str()) {
        (_, "" | ".") => path,
        (true, _) => inner,
        (false, _) if inner.starts_with('[') => format!("{path}{inner}"),
        (false, _) => format!("{path}.{inner}"),
    };
    (joined, rest)
}

/// serde_path_to_error prints the root as `.`; an error at the root names no field.
fn field_path(path: &serde_path_to_error::Path) -> String {
    let rendered = path.to_string();
    if rendered == "." {
        String::new()
    } else {
        rendered
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::Json => "json",
            Format::Yaml => "yaml",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_error_names_file_and_field_path() {
        let text =
            r#"{"connections": [{"name": "a", "kind": "oidc"}, {"name": "b", "kind": "nope"}]}"#;
        let err = Document::parse(text, Format::Json, "conns.json").unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.starts_with("conns.json: connections[1].kind: "),
            "{msg}"
        );
        assert!(msg.contains("nope"), "{msg}");
    }

    #[test]
    fn yaml_unknown_field_is_named() {
        let text = "connections:\n  - name: a\n    kind: oidc\n    colour: blue\n";
        let err = Document::parse(text, Format::Yaml, "c.yaml").unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.starts_with(
                "c.yaml: connections[0].colour: connection \"a\": unknown field `colour`"
            ),
            "{msg}"
        );
        assert!(msg.contains("line 4"), "{msg}");
    }

    #[test]
    fn syntax_error_names_file_and_line() {
        let err = Document::parse("{\"connections\": [", Format::Json, "x.json").unwrap_err();
        let msg = err.to_string();
        assert!(msg.starts_with("x.json: "), "{msg}");
        assert!(msg.contains("line 1"), "{msg}");
        let err = Document::parse("{} trailing", Format::Json, "x.json").unwrap_err();
        assert!(err.to_string().starts_with("x.json: "), "{err}");
    }

    #[test]
    fn duplicate_names_are_refused() {
        let text =
            r#"{"connections": [{"name": "a", "kind": "oidc"}, {"name": "a", "kind": "saml"}]}"#;
        let err = Document::parse(text, Format::Json, "d.json").unwrap_err();
        assert!(
            matches!(
                err,
                DocumentError::DuplicateName {
                    first: 0,
                    second: 1,
                    ..
                }
            ),
            "{err}"
        );
        assert!(err.to_string().contains("connections[1].name"), "{err}");
    }

    #[test]
    fn render_hides_secrets_unless_asked_and_round_trips() {
        let text = r#"{"connections": [{"name": "a", "kind": "oidc",
            "settings": {"protocol": "oauth", "client_id": "id", "client_secret": "hunter2-value"}}]}"#;
        let doc = Document::parse(text, Format::Json, "s.json").unwrap();
        for format in [Format::Json, Format::Yaml] {
            let hidden = doc.render(format, false).unwrap();
            assert!(!hidden.contains("hunter2-value"), "{hidden}");
            let shown = doc.render(format, true).unwrap();
            assert!(shown.contains("hunter2-value"), "{shown}");
            assert_eq!(Document::parse(&shown, format, "s").unwrap(), doc);
        }
    }

    #[test]
    fn the_streaming_writer_reads_back_as_the_same_document() {
        let text = r#"{"connections": [
            {"name": "a", "kind": "oidc", "settings": {"protocol": "oauth", "client_id": "id", "client_secret": "hunter2-value"}},
            {"name": "b", "kind": "saml", "settings": {"protocol": "saml", "sign_in_url": "https://idp.example/sso"}}]}"#;
        let document = Document::parse(text, Format::Json, "d.json").unwrap();
        for format in [Format::Json, Format::Yaml] {
            for count in [0, 1, 2] {
                for include_secrets in [false, true] {
                    let mut out = Vec::new();
                    let mut writer = DocumentWriter::new(&mut out, format, include_secrets);
                    for connection in &document.connections[..count] {
                        writer.write(connection).unwrap();
                    }
                    assert_eq!(writer.finish().unwrap(), count);
                    let written = String::from_utf8(out).unwrap();
                    let expected = Document {
                        connections: document.connections[..count].to_vec(),
                    };
                    assert_eq!(
                        written,
                        expected.render(format, include_secrets).unwrap(),
                        "{format} {count} {include_secrets}"
                    );
                }
            }
        }
    }

    #[test]
    fn format_follows_the_extension() {
        assert_eq!(Format::from_path(Path::new("a/b.YML")), Format::Yaml);
        assert_eq!(Format::from_path(Path::new("b.yaml")), Format::Yaml);
        assert_eq!(Format::from_path(Path::new("b.json")), Format::Json);
        assert_eq!(Format::from_path(Path::new("b")), Format::Json);
    }
}
