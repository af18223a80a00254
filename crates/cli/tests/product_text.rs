//! Product text speaks to users: the CLI's help (every subcommand), the translation reasons of
//! every backend, rustdoc and READMEs cite no file a user does not have (the project's internal
//! notes and design document, section marks into them, the development checkout's shared folder).

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use support::{idconn, temp_dir, write};

/// Text that points at files users do not have.
const INTERNAL: &[&str] = &["reference/", ".md §", "DESIGN.md", "../shared"];

/// The lines of `text` that cite an internal file, or a section mark that is not a public
/// standard's (RFCs and OpenID specifications are documents users can read).
fn offending(text: &str) -> Vec<String> {
    text.lines()
        .filter(|line| {
            INTERNAL.iter().any(|bad| line.contains(bad))
                || (line.contains('§') && !line.contains("RFC ") && !line.contains("OpenID "))
        })
        .map(|line| line.trim().to_string())
        .collect()
}

fn run(binary: &str, args: &[&str]) -> String {
    let output = Command::new(binary)
        .args(args)
        .env_clear()
        .output()
        .expect("the binary runs");
    assert!(output.status.success(), "{binary} {args:?}: {output:?}");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The subcommand names a `--help` lists under `Commands:`.
fn subcommands(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|line| !line.starts_with("Commands:"))
        .skip(1)
        .take_while(|line| !line.trim().is_empty())
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_string)
        .collect()
}

#[test]
fn help_cites_no_internal_file() {
    let idconn = env!("CARGO_BIN_EXE_idconn");
    let top = run(idconn, &["--help"]);
    let commands = subcommands(&top);
    assert!(
        commands.len() >= 8,
        "subcommands found: {commands:?}\n{top}"
    );
    let mut bad = offending(&top);
    for command in &commands {
        bad.extend(offending(&run(idconn, &[command, "--help"])));
    }
    assert!(bad.is_empty(), "help cites internal files: {bad:#?}");
}

/// Connections of every kind with every setting, so that each backend gives every reason it has.
const EVERYTHING: &str = r#"{"connections": [
  {"name": "oidc", "kind": "oidc", "display_name": "OIDC", "enabled": true, "show_on_login": true,
   "domains": ["corp.example.com"], "logo_url": "https://cdn.example.com/logo.png",
   "purpose": {"sign_in": false, "link": true, "store_tokens": true},
   "settings": {"protocol": "oauth", "client_id": "id", "client_secret": {"masked": true},
     "scopes": ["openid", "email"], "issuer": "https://idp.example.com",
     "discovery_url": "https://idp.example.com/other/.well-known/openid-configuration",
     "authorization_url": "https://idp.example.com/authorize", "token_url": "https://idp.example.com/token",
     "userinfo_url": "https://idp.example.com/userinfo", "jwks_url": "https://idp.example.com/jwks",
     "client_auth_method": "private_key_jwt", "pkce": true, "tenant": "corp"}},
  {"name": "oauth2", "kind": "oauth2", "settings": {"protocol": "oauth", "client_id": "id",
     "issuer": "https://idp.example.com", "userinfo_url": "https://idp.example.com/userinfo",
     "authorization_url": "https://idp.example.com/authorize", "token_url": "https://idp.example.com/token"}},
  {"name": "azure", "kind": "azure_ad", "settings": {"protocol": "oauth", "client_id": "id",
     "client_secret": "s", "tenant": "corp.onmicrosoft.com", "scopes": ["openid"]}},
  {"name": "saml", "kind": "saml", "settings": {"protocol": "saml",
     "sign_in_url": "https://idp.example.com/sso", "sign_out_url": "https://idp.example.com/slo",
     "idp_entity_id": "urn:idp", "sp_entity_id": "urn:sp", "sign_requests": true,
     "name_id_format": "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"}},
  {"name": "google", "kind": {"social": "google"}, "settings": {"protocol": "oauth",
     "client_id": "id", "scopes": ["email"]}},
  {"name": "github", "kind": {"social": "github"}, "settings": {"protocol": "oauth",
     "client_id": "id", "client_secret": "s", "scopes": ["read:user"]}}
]}"#;

#[tokio::test(flavor = "multi_thread")]
async fn translation_reasons_cite_no_internal_file() {
    let dir = temp_dir("product-text");
    let file = write(&dir, "everything.json", EVERYTHING);
    for vendor in ["auth0", "genauth", "eztoauth"] {
        let run = idconn(
            &[
                "translate",
                "-f",
                &file,
                "--to",
                vendor,
                "--lenient",
                "--output",
                "json",
            ],
            &[],
        )
        .await;
        assert!(run.code == 0 || run.code == 3, "{vendor}: {run:?}");
        let translated: serde_json::Value = serde_json::from_str(&run.stdout)
            .unwrap_or_else(|e| panic!("{vendor}: {e}\n{}", run.stdout));
        let mut reasons = Vec::new();
        for item in translated.as_array().unwrap() {
            for key in ["losses", "notes"] {
                for entry in item[key].as_array().into_iter().flatten() {
                    reasons.push(entry["reason"].as_str().unwrap_or_default().to_string());
                }
            }
        }
        assert!(reasons.len() > 5, "{vendor}: {reasons:?}");
        let bad = offending(&reasons.join("\n"));
        assert!(
            bad.is_empty(),
            "{vendor} reasons cite internal files: {bad:#?}"
        );
        assert!(
            offending(&run.stderr).is_empty(),
            "{vendor}: {}",
            run.stderr
        );
    }
}

/// The workspace root (this crate is `crates/cli`).
fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Rustdoc (`///`, `//!`) and code lines (strings: errors, reasons, help) of every library and
/// binary source, and every README. Plain `//` comments are notes for maintainers.
#[test]
fn rustdoc_errors_and_readmes_cite_no_internal_file() {
    let root = workspace();
    let mut sources = Vec::new();
    rust_files(&root.join("src"), &mut sources);
    for entry in std::fs::read_dir(root.join("crates")).unwrap().flatten() {
        rust_files(&entry.path().join("src"), &mut sources);
    }
    assert!(sources.len() > 50, "{} sources found", sources.len());
    let mut bad = Vec::new();
    for path in &sources {
        let text = std::fs::read_to_string(path).unwrap();
        let product: String = text
            .lines()
            .filter(|line| {
                let line = line.trim_start();
                !line.starts_with("//") || line.starts_with("///") || line.starts_with("//!")
            })
            .collect::<Vec<_>>()
            .join("\n");
        bad.extend(
            offending(&product)
                .into_iter()
                .map(|line| format!("{}: {line}", path.display())),
        );
    }
    let mut readmes = vec![root.join("README.md")];
    for entry in std::fs::read_dir(root.join("crates")).unwrap().flatten() {
        readmes.push(entry.path().join("README.md"));
    }
    for path in readmes.iter().filter(|p| p.exists()) {
        let text = std::fs::read_to_string(path).unwrap();
        bad.extend(
            offending(&text)
                .into_iter()
                .map(|line| format!("{}: {line}", path.display())),
        );
    }
    assert!(
        bad.is_empty(),
        "product text cites internal files: {bad:#?}"
    );
}
