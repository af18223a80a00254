//! The config file of named tenants (TOML): each tenant is a vendor and the settings its
//! environment variables would give, so two tenants of one vendor can be used in one run.
//!
//! ```toml
//! [tenants.prod]
//! vendor = "auth0"
//! domain = "acme.eu.auth0.com"
//! client_id = "AbC123"
//! client_secret = { env = "PROD_AUTH0_CLIENT_SECRET" }
//! ```
//!
//! A tenant's keys are its vendor's variable names without the prefix, lower-cased
//! (`AUTH0_BASE_URL` is `base_url`). The resolved keys become the vendor's variables and the
//! backend reads them exactly as it reads the environment, so its checks and messages serve
//! both; this module only renames a variable in an error back to the tenant's key.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use idconn::{AnyProvider, Setting, Vendor};
use serde::Deserialize;

use crate::error::CliError;

/// Where the file is looked for when neither `--config` nor `IDCONN_CONFIG` names one.
pub const DEFAULT_FILE: &str = "idconn.toml";

/// The config file as written: tenant name to its keys.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    tenants: BTreeMap<String, toml::Table>,
}

/// A setting's value: a literal, or where to read it from.
#[derive(Debug)]
enum Value {
    Literal(String),
    Env(String),
    File(PathBuf),
}

/// One tenant, checked: its vendor and each setting with the variable it stands for.
#[derive(Debug)]
struct Spec {
    vendor: Vendor,
    settings: Vec<(Setting, Value)>,
}

/// The loaded config file.
#[derive(Debug)]
pub struct TenantsFile {
    path: PathBuf,
    tenants: BTreeMap<String, Spec>,
}

impl TenantsFile {
    /// Reads the file `explicit` names (from `--config` or `IDCONN_CONFIG`), else
    /// `./idconn.toml`, and checks every tenant's vendor and keys. References are resolved
    /// only for the tenant used, by [`TenantsFile::connect`].
    pub fn load(explicit: Option<&Path>) -> Result<TenantsFile, CliError> {
        let path = explicit.map_or_else(|| PathBuf::from(DEFAULT_FILE), Path::to_path_buf);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            let hint = if explicit.is_none() {
                " (name one with --config FILE or IDCONN_CONFIG)"
            } else {
                ""
            };
            let message = format!("cannot read the config file {}: {e}{hint}", path.display());
            // A tenant was named but there is no file to hold it: the command line asks for
            // something that does not exist.
            if e.kind() == std::io::ErrorKind::NotFound {
                CliError::usage(message)
            } else {
                CliError::failure(message)
            }
        })?;
        let raw: RawFile = toml::from_str(&text)
            .map_err(|e| CliError::failure(format!("{}: {}", path.display(), e.message())))?;
        let mut file = TenantsFile {
            path,
            tenants: BTreeMap::new(),
        };
        for (name, table) in raw.tenants {
            let spec = file.check(&name, table)?;
            file.tenants.insert(name, spec);
        }
        Ok(file)
    }

    /// A provider for the tenant named `name` (an unknown name is a usage error). A setting
    /// the backend refuses is named by the tenant's key, not the variable it stands for.
    pub fn connect(&self, name: &str) -> Result<(Vendor, AnyProvider), CliError> {
        let spec = self.require(name)?;
        let vendor = spec.vendor;
        let vars = self.resolve(name, spec)?;
        match AnyProvider::from_vars(vendor, &vars) {
            Ok(provider) => Ok((vendor, provider)),
            Err(idconn::Error::InvalidInput { field, mut reason }) => {
                // Longest first, so that EZTO_TOKEN does not rename part of EZTO_TOKEN_REALM.
                let mut settings = AnyProvider::settings(vendor)?;
                settings.sort_by_key(|setting| std::cmp::Reverse(setting.env_name.len()));
                for setting in settings {
                    reason = reason.replace(setting.env_name, &key_of(setting.env_name));
                }
                Err(self.error(name, &key_of(&field), &reason))
            }
            Err(other) => Err(other.into()),
        }
    }

    /// The vendor of the tenant named `name`; an unknown name is a usage error.
    pub fn vendor_of(&self, name: &str) -> Result<Vendor, CliError> {
        Ok(self.require(name)?.vendor)
    }

    /// The tenant named `name`; an unknown name is a usage error listing the known ones.
    fn require(&self, name: &str) -> Result<&Spec, CliError> {
        self.tenants.get(name).ok_or_else(|| {
            let known: Vec<&str> = self.tenants.keys().map(String::as_str).collect();
            CliError::usage(format!(
                "{}: no tenant is named \"{name}\" (and it is not a vendor: {}); its tenants \
                 are: {}",
                self.path.display(),
                vendor_names(),
                if known.is_empty() {
                    "(none)".to_string()
                } else {
                    known.join(", ")
                }
            ))
        })
    }

    /// The vendor's variables from the tenant's settings, references read.
    fn resolve(&self, name: &str, spec: &Spec) -> Result<Vec<(String, String)>, CliError> {
        let mut vars = Vec::new();
        for (variable, value) in &spec.settings {
            let key = key_of(variable.env_name);
            let resolved = match value {
                Value::Literal(text) => {
                    if variable.secret {
                        self.warn_if_shared(name, &key);
                    }
                    text.clone()
                }
                Value::Env(var) => std::env::var(var).map_err(|e| {
                    let problem = match e {
                        std::env::VarError::NotPresent => "is not set",
                        std::env::VarError::NotUnicode(_) => "is not valid UTF-8",
                    };
                    self.error(
                        name,
                        &key,
                        &format!("the environment variable {var} {problem}"),
                    )
                })?,
                Value::File(file) => {
                    let full = self.relative(file);
                    let text = std::fs::read_to_string(&full).map_err(|e| {
                        self.error(name, &key, &format!("cannot read {}: {e}", full.display()))
                    })?;
                    text.trim_end_matches(['\n', '\r']).to_string()
                }
            };
            vars.push((variable.env_name.to_string(), resolved));
        }
        Ok(vars)
    }

    /// The tenant's vendor and settings, every key checked against the vendor's variables.
    fn check(&self, name: &str, mut table: toml::Table) -> Result<Spec, CliError> {
        let names = vendor_names();
        let vendor = match table.remove("vendor") {
            Some(toml::Value::String(text)) => text.parse::<Vendor>().map_err(|_| {
                self.error(
                    name,
                    "vendor",
                    &format!("unknown vendor \"{text}\"; expected one of {names}"),
                )
            })?,
            Some(_) => {
                return Err(self.error(name, "vendor", &format!("must be one of {names}")));
            }
            None => {
                return Err(self.error(name, "vendor", &format!("is not set; one of {names}")));
            }
        };
        let variables = AnyProvider::settings(vendor)?;
        let mut settings = Vec::new();
        for (key, value) in table {
            let Some(variable) = variables.iter().find(|v| key_of(v.env_name) == key) else {
                let known: Vec<String> = variables.iter().map(|v| key_of(v.env_name)).collect();
                return Err(self.error(
                    name,
                    &key,
                    &format!(
                        "unknown key for {vendor}; expected vendor, {}",
                        known.join(", ")
                    ),
                ));
            };
            let value = value_of(value).ok_or_else(|| {
                self.error(
                    name,
                    &key,
                    "expected a string, a number, true/false, { env = \"NAME\" } or { file = \"PATH\" }",
                )
            })?;
            settings.push((*variable, value));
        }
        Ok(Spec { vendor, settings })
    }

    /// `path` as written in the file: relative paths start at the file's folder.
    fn relative(&self, path: &Path) -> PathBuf {
        match self.path.parent() {
            Some(folder) if path.is_relative() => folder.join(path),
            _ => path.to_path_buf(),
        }
    }

    /// One line naming the file, the tenant and the key.
    fn error(&self, tenant: &str, key: &str, message: &str) -> CliError {
        CliError::failure(format!(
            "{}: tenant \"{tenant}\": {key}: {message}",
            self.path.display()
        ))
    }

    /// A literal secret belongs in a file only its owner can read.
    fn warn_if_shared(&self, tenant: &str, key: &str) {
        if readable_by_others(&self.path) {
            eprintln!(
                "warning: {}: tenant \"{tenant}\": {key}: a literal secret in a file other users \
                 can read; use {{ env = \"NAME\" }} or {{ file = \"PATH\" }}, or make the file \
                 private (chmod 600)",
                self.path.display()
            );
        }
    }
}

fn vendor_names() -> String {
    Vendor::ALL.map(Vendor::as_str).join(", ")
}

/// A literal, `{ env = "NAME" }` or `{ file = "PATH" }`; `None` for anything else.
fn value_of(value: toml::Value) -> Option<Value> {
    match value {
        toml::Value::String(text) => Some(Value::Literal(text)),
        toml::Value::Integer(number) => Some(Value::Literal(number.to_string())),
        toml::Value::Boolean(flag) => Some(Value::Literal(flag.to_string())),
        toml::Value::Table(table) if table.len() == 1 => match table.into_iter().next() {
            Some((kind, toml::Value::String(target))) if kind == "env" => Some(Value::Env(target)),
            Some((kind, toml::Value::String(target))) if kind == "file" => {
                Some(Value::File(PathBuf::from(target)))
            }
            _ => None,
        },
        _ => None,
    }
}

/// `AUTH0_BASE_URL` is `base_url`: the variable without the vendor's prefix, lower-cased.
fn key_of(variable: &str) -> String {
    variable
        .split_once('_')
        .map_or(variable, |(_, tail)| tail)
        .to_ascii_lowercase()
}

#[cfg(unix)]
fn readable_by_others(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o044 != 0)
}

#[cfg(not(unix))]
fn readable_by_others(_path: &Path) -> bool {
    false
}
