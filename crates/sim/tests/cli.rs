//! The `idconn-sim` binary's command line: help, and one-line errors with exit code 2.

use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_idconn-sim"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn help_documents_the_fault_spec() {
    let output = run(&["--help"]);
    assert!(output.status.success());
    let help = String::from_utf8(output.stdout).unwrap();
    for needle in [
        "auth0",
        "genauth",
        "eztoauth",
        "keycloak",
        "--rate-limit <BURST/PER_SEC>",
        "--faults <SPEC>",
        "--seed",
        "error_before=SHARE",
        "error_after=SHARE",
        "drop_after=SHARE",
        "rate_limited=SHARE",
        "latency_ms=MS",
        "KEY=VALUE",
    ] {
        assert!(help.contains(needle), "--help lacks {needle:?}:\n{help}");
    }
}

#[test]
fn bad_arguments_get_one_line_naming_the_flag_and_exit_2() {
    let cases: [(&[&str], &str); 7] = [
        (&[], "<VENDOR>"),
        (&["okta"], "<VENDOR>"),
        (&["auth0", "--port", "http"], "--port"),
        (&["auth0", "--rate-limit", "10"], "--rate-limit"),
        (&["auth0", "--rate-limit", "10/0"], "--rate-limit"),
        (
            &["auth0", "--faults", "error_before=0.7,error_after=0.7"],
            "--faults",
        ),
        (&["auth0", "--seed=-1"], "--seed"),
    ];
    for (args, flag) in cases {
        let output = run(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(output.stdout.is_empty(), "{args:?}");
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
        assert!(stderr.starts_with("idconn-sim: "), "{args:?}: {stderr}");
        assert!(stderr.contains(flag), "{args:?}: {stderr}");
    }
}

/// A running `idconn-sim`, with the environment it printed.
struct Running {
    child: std::process::Child,
    env: std::collections::HashMap<String, String>,
    /// The rest of standard output, kept open until closed on purpose.
    stdout: Option<std::io::Lines<std::io::BufReader<std::process::ChildStdout>>>,
}

fn start(args: &[&str], keys: &[&str]) -> Running {
    use std::io::BufRead;
    let mut child = Command::new(env!("CARGO_BIN_EXE_idconn-sim"))
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let mut env = std::collections::HashMap::new();
    while !keys.iter().all(|key| env.contains_key(*key)) {
        let line = lines
            .next()
            .expect("idconn-sim ended before printing its environment")
            .unwrap();
        let (key, value) = line.split_once('=').expect("a KEY=VALUE line");
        env.insert(key.to_string(), value.to_string());
    }
    Running {
        child,
        env,
        stdout: Some(lines),
    }
}

impl Running {
    /// Closes the read end of standard output, as a reader that has what it wanted might.
    fn close_stdout(&mut self) {
        self.stdout = None;
    }

    /// SIGTERM, then the exit status.
    fn terminate(mut self) -> std::process::ExitStatus {
        let killed = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(killed.success());
        self.child.wait().unwrap()
    }
}

#[tokio::test]
async fn each_vendor_prints_its_environment_serves_and_stops_on_sigterm() {
    // A client per server: a port freed by one may be handed to the next, and a pooled
    // connection to the stopped one must not be reused.
    let http = reqwest::Client::new();

    let auth0 = start(
        &["auth0", "--port", "0"],
        &["AUTH0_BASE_URL", "AUTH0_DOMAIN"],
    );
    let base = &auth0.env["AUTH0_BASE_URL"];
    assert!(base.starts_with("http://127.0.0.1:"), "{base}");
    let unauthorized = http
        .get(format!("{base}/api/v2/connections"))
        .send()
        .await
        .unwrap();
    assert_eq!(unauthorized.status(), 401);
    assert!(unauthorized.headers().contains_key("x-ratelimit-reset"));
    assert!(auth0.terminate().success());

    let genauth = start(&["genauth"], &["GENAUTH_HOST", "GENAUTH_ACCESS_KEY_SECRET"]);
    let http = reqwest::Client::new();
    let token = http
        .post(format!(
            "{}/api/v3/get-management-token",
            genauth.env["GENAUTH_HOST"]
        ))
        .json(&serde_json::json!({
            "accessKeyId": genauth.env["GENAUTH_ACCESS_KEY_ID"],
            "accessKeySecret": genauth.env["GENAUTH_ACCESS_KEY_SECRET"],
        }))
        .send()
        .await
        .unwrap();
    let body: serde_json::Value = token.json().await.unwrap();
    assert_eq!(body["statusCode"], 200, "{body}");
    assert!(genauth.terminate().success());

    // EZTO_HOST and EZTO_WORKSPACE come first; the reader closes the pipe before the rest is
    // written, and the server serves all the same.
    let mut ezto = start(&["eztoauth"], &["EZTO_HOST", "EZTO_WORKSPACE"]);
    ezto.close_stdout();
    let http = reqwest::Client::new();
    let list = http
        .get(format!(
            "{}/auth/admin/realms/{}/identity-provider/instances",
            ezto.env["EZTO_HOST"], ezto.env["EZTO_WORKSPACE"]
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(list.status(), 401, "no token");
    assert!(ezto.terminate().success());

    // A plain Keycloak: the admin API at the root, admin tokens from `master`.
    let keycloak = start(
        &["keycloak"],
        &["KEYCLOAK_URL", "KEYCLOAK_REALM", "KEYCLOAK_CLIENT_SECRET"],
    );
    assert!(!keycloak.env.contains_key("KEYCLOAK_BASE_PATH"));
    let http = reqwest::Client::new();
    let base = &keycloak.env["KEYCLOAK_URL"];
    let token: serde_json::Value = http
        .post(format!(
            "{base}/realms/master/protocol/openid-connect/token"
        ))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", keycloak.env["KEYCLOAK_CLIENT_ID"].as_str()),
            (
                "client_secret",
                keycloak.env["KEYCLOAK_CLIENT_SECRET"].as_str(),
            ),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let access = token["access_token"].as_str().expect("a token from master");
    let list = http
        .get(format!(
            "{base}/admin/realms/{}/identity-provider/instances",
            keycloak.env["KEYCLOAK_REALM"]
        ))
        .bearer_auth(access)
        .send()
        .await
        .unwrap();
    assert_eq!(list.status(), 200);
    assert!(keycloak.terminate().success());
}

#[tokio::test]
async fn the_knob_flags_reach_the_server() {
    let http = reqwest::Client::new();
    let limited = start(
        &["auth0", "--rate-limit", "2/0.5", "--seed", "3"],
        &["AUTH0_BASE_URL"],
    );
    let url = format!("{}/api/v2/connections", limited.env["AUTH0_BASE_URL"]);
    let mut statuses = Vec::new();
    for _ in 0..3 {
        let response = http.get(&url).send().await.unwrap();
        assert_eq!(response.headers()["x-ratelimit-limit"], "2");
        statuses.push(response.status().as_u16());
    }
    assert_eq!(statuses, [401, 401, 429]);
    assert!(limited.terminate().success());

    let http = reqwest::Client::new();
    let faulty = start(
        &["auth0", "--faults", "error_before=1,latency_ms=50"],
        &["AUTH0_BASE_URL"],
    );
    let started = std::time::Instant::now();
    let response = http
        .get(format!(
            "{}/api/v2/connections",
            faulty.env["AUTH0_BASE_URL"]
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 500);
    assert!(started.elapsed() >= std::time::Duration::from_millis(50));
    assert!(faulty.terminate().success());
}

#[tokio::test]
async fn upstream_serves_discovery_jwks_and_metadata_until_sigterm() {
    let http = reqwest::Client::new();
    let upstream = start(
        &["upstream"],
        &[
            "IDCONN_UPSTREAM_ISSUER",
            "IDCONN_UPSTREAM_SAML_METADATA_URL",
        ],
    );
    let issuer = &upstream.env["IDCONN_UPSTREAM_ISSUER"];
    assert!(issuer.starts_with("http://127.0.0.1:"), "{issuer}");
    let get_json = |url: String| {
        let request = http.get(url).send();
        async move {
            request
                .await
                .unwrap()
                .json::<serde_json::Value>()
                .await
                .unwrap()
        }
    };
    let discovery = get_json(format!("{issuer}/.well-known/openid-configuration")).await;
    assert_eq!(discovery["issuer"], issuer.as_str());
    let jwks = get_json(discovery["jwks_uri"].as_str().unwrap().to_owned()).await;
    let key = &jwks["keys"][0];
    assert_eq!(key["kty"], "EC");
    // 32-byte coordinates, base64url without padding.
    assert_eq!(key["x"].as_str().unwrap().len(), 43);
    assert_eq!(key["y"].as_str().unwrap().len(), 43);
    let metadata = http
        .get(&upstream.env["IDCONN_UPSTREAM_SAML_METADATA_URL"])
        .send()
        .await
        .unwrap();
    assert_eq!(
        metadata.headers()["content-type"],
        "application/samlmetadata+xml"
    );
    let xml = metadata.text().await.unwrap();
    let certificate = key["x5c"][0].as_str().unwrap();
    assert!(xml.contains(&format!(
        "<ds:X509Certificate>{certificate}</ds:X509Certificate>"
    )));
    assert!(upstream.terminate().success());
}
