//! Running the built `idconn` binary against in-process simulators.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

use idconn_sim::auth0::Auth0Sim;
use idconn_sim::ezto::EztoSim;
use idconn_sim::genauth::GenAuthSim;
use idconn_sim::{Knobs, Sim, SimHandle};

/// What one run of the binary did.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Asserts the exit code, showing everything when it differs.
    pub fn expect(self, code: i32) -> Run {
        assert_eq!(
            self.code, code,
            "exit code; stdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    /// Asserts that standard error is exactly one line starting with `error: `, with no
    /// backtrace or panic, and returns it.
    pub fn one_line_error(&self) -> &str {
        let lines: Vec<&str> = self.stderr.lines().collect();
        assert_eq!(lines.len(), 1, "one line on stderr, got:\n{}", self.stderr);
        assert!(lines[0].starts_with("error: "), "{}", self.stderr);
        for bad in ["panicked", "backtrace", "RUST_BACKTRACE"] {
            assert!(!self.stderr.contains(bad), "{}", self.stderr);
        }
        lines[0]
    }
}

/// Runs `idconn` with exactly these environment variables (nothing inherited) and standard
/// input closed, off the async runtime so that the simulators keep serving.
pub async fn idconn(args: &[&str], env: &[(String, String)]) -> Run {
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let env = env.to_vec();
    tokio::task::spawn_blocking(move || {
        let output = Command::new(env!("CARGO_BIN_EXE_idconn"))
            .args(&args)
            .env_clear()
            .env("RUST_BACKTRACE", "1")
            .envs(env)
            .stdin(Stdio::null())
            .output()
            .expect("the idconn binary runs");
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    })
    .await
    .expect("the runner thread")
}

pub async fn auth0() -> SimHandle {
    Sim::start(Auth0Sim::new(), Knobs::default(), 0)
        .await
        .unwrap()
}

pub async fn genauth() -> SimHandle {
    Sim::start(GenAuthSim::new(), Knobs::default(), 0)
        .await
        .unwrap()
}

pub async fn ezto() -> SimHandle {
    Sim::start(EztoSim::new(), Knobs::default(), 0)
        .await
        .unwrap()
}

/// A plain Keycloak 17+ simulator (no `/auth`, admin tokens from `master`).
pub async fn keycloak() -> SimHandle {
    Sim::start(EztoSim::keycloak(), Knobs::default(), 0)
        .await
        .unwrap()
}

/// The environment of several simulators at once.
pub fn env_of(sims: &[&SimHandle]) -> Vec<(String, String)> {
    sims.iter().flat_map(|s| s.env_vars()).collect()
}

/// A fresh directory under cargo's per-target temporary folder.
pub fn temp_dir(test: &str) -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "cli-{test}-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::SeqCst)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Writes `content` to `dir/name` and returns the path as a string.
pub fn write(dir: &std::path::Path, name: &str, content: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path.display().to_string()
}

/// Two neutral connections: an OIDC one and a SAML one.
pub const DESIRED_YAML: &str = r#"connections:
  - name: acme-oidc
    display_name: Acme SSO
    kind: oidc
    settings:
      protocol: oauth
      client_id: acme-client
      client_secret: acme-secret-value-7f3a
      scopes: [openid, profile, email]
      issuer: https://login.acme.example
      authorization_url: https://login.acme.example/authorize
      token_url: https://login.acme.example/oauth/token
      jwks_url: https://login.acme.example/jwks
  - name: acme-saml
    display_name: Acme SAML
    kind: saml
    settings:
      protocol: saml
      sign_in_url: https://idp.acme.example/sso
      signing_certificates:
        - MIIBmTCCAT+gAwIBAgIUc/Iz9crkcQiFMypz86pPYp+6h/QwCgYIKoZIzj0EAwIwIjEgMB4GA1UEAwwXaWRjb25uLXRlc3QuZXhhbXBsZS5jb20wHhcNMjYxMTIyMTkzMDE2WhcNMzYxMTE5MTkzMDE2WjAiMSAwHgYDVQQDDBdpZGNvbm4tdGVzdC5leGFtcGxlLmNvbTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABNjvDRUkrm8uSeBOE8l0IGoLaa7zonWu1yPQtJ4yEN+xUGrhmbOHaEOb4UT5jUi3Orhes7yX3iPi/0k9ef7JhHujUzBRMB0GA1UdDgQWBBRZirnicpXnssJg/Qdq92NRRvmr+TAfBgNVHSMEGDAWgBRZirnicpXnssJg/Qdq92NRRvmr+TAPBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0gAMEUCIQDYUPUAIBayGKLRDxUjsnQeeJK+Lunh0JBPUFZAcdeeUAIgWYijFAmxHUEUTcrVbI7Si6lwMHOiPS9BdxT0NhyFm0M=
"#;

/// The client secret in [`DESIRED_YAML`].
pub const SECRET: &str = "acme-secret-value-7f3a";

/// A `[tenants.NAME]` table for a simulator: its variables as the tenant's keys, with the
/// secret ones read from the environment variable `secret_env` (which the caller sets to the
/// value [`secret_of`] returns).
pub fn tenant_toml(name: &str, vendor: &str, sim: &SimHandle, secret_env: &str) -> String {
    let prefix = match vendor {
        "auth0" => "AUTH0_",
        "genauth" => "GENAUTH_",
        "keycloak" => "KEYCLOAK_",
        _ => "EZTO_",
    };
    let mut out = format!("[tenants.{name}]\nvendor = \"{vendor}\"\n");
    for (var, value) in sim.env_vars() {
        let key = var.trim_start_matches(prefix).to_ascii_lowercase();
        if key.contains("secret") {
            out.push_str(&format!("{key} = {{ env = \"{secret_env}\" }}\n"));
        } else {
            out.push_str(&format!("{key} = \"{value}\"\n"));
        }
    }
    out.push('\n');
    out
}

/// The simulator's one secret variable's value (what [`tenant_toml`] reads from the env).
pub fn secret_of(sim: &SimHandle) -> String {
    sim.env_vars()
        .into_iter()
        .find(|(var, _)| var.contains("SECRET"))
        .map(|(_, value)| value)
        .expect("a simulator has a secret")
}
