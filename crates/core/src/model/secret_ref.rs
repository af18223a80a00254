//! Secrets by reference in the file format: `{env: NAME}` or `{file: PATH}` where a secret's
//! value would go, so that a document can be kept in version control without its secrets.
//!
//! A reference is resolved while the document is read (so before anything is planned or
//! written), and only the value is kept: nothing ever writes a reference back. Relative file
//! paths start at the folder of the document being read ([`with_reference_base`]), or the
//! current folder when the text did not come from a file.

use std::cell::RefCell;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// Where a secret's value is read from.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "lowercase")]
pub enum SecretRef {
    /// An environment variable's value.
    Env(String),
    /// A file's content, without its final newline.
    File(PathBuf),
}

thread_local! {
    static BASE: RefCell<Option<PathBuf>> = const { RefCell::new(None) };
}

/// Runs `f` (a synchronous deserialization) with relative `{file: PATH}` references read from
/// `folder`. Scoped to this thread and reset even if `f` panics.
pub fn with_reference_base<T>(folder: &Path, f: impl FnOnce() -> T) -> T {
    struct Reset(Option<PathBuf>);
    impl Drop for Reset {
        fn drop(&mut self) {
            BASE.with(|base| *base.borrow_mut() = self.0.take());
        }
    }
    let _reset = Reset(BASE.with(|base| base.borrow_mut().replace(folder.to_path_buf())));
    f()
}

impl SecretRef {
    /// The value the reference points at. The error says what is missing, never a value.
    pub fn resolve(&self) -> Result<String, String> {
        let value = match self {
            SecretRef::Env(name) => std::env::var(name).map_err(|e| match e {
                std::env::VarError::NotPresent => {
                    format!("the environment variable {name} is not set")
                }
                std::env::VarError::NotUnicode(_) => {
                    format!("the environment variable {name} is not valid UTF-8")
                }
            })?,
            SecretRef::File(path) => {
                let full = match BASE.with(|base| base.borrow().clone()) {
                    Some(folder) if path.is_relative() => folder.join(path),
                    _ => path.clone(),
                };
                let text = std::fs::read_to_string(&full)
                    .map_err(|e| format!("cannot read {}: {e}", full.display()))?;
                text.trim_end_matches(['\n', '\r']).to_string()
            }
        };
        if value.trim().is_empty() {
            return Err(match self {
                SecretRef::Env(name) => format!("the environment variable {name} is empty"),
                SecretRef::File(path) => format!("{} is empty", path.display()),
            });
        }
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_reference_is_read_from_the_base_folder_without_its_newline() {
        let folder = std::env::temp_dir().join(format!("idconn-secret-ref-{}", std::process::id()));
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(folder.join("s"), "file-secret\n").unwrap();
        std::fs::write(folder.join("blank"), "\n").unwrap();
        let reference = SecretRef::File("s".into());
        let value = with_reference_base(&folder, || reference.resolve());
        assert_eq!(value.as_deref(), Ok("file-secret"));
        let blank = with_reference_base(&folder, || SecretRef::File("blank".into()).resolve());
        assert_eq!(blank, Err("blank is empty".to_string()));
        // Outside the scope the base is gone again.
        let error = reference.resolve().unwrap_err();
        assert!(error.starts_with("cannot read s:"), "{error}");
    }

    #[test]
    fn an_unset_variable_is_named() {
        let reference = SecretRef::Env("IDCONN_SECRET_REF_TEST_NEVER_SET".into());
        assert_eq!(
            reference.resolve(),
            Err("the environment variable IDCONN_SECRET_REF_TEST_NEVER_SET is not set".into())
        );
    }
}
