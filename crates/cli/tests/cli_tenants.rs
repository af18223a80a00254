//! Named tenants from a config file: two tenants of one vendor in one run, tenants across
//! vendors, and every config error as one line naming the tenant and key, before any request.
//! And documents kept without their secrets: `{env: NAME}` and `{file: PATH}` references.

mod support;

use idconn_sim::{FaultCounts, SimHandle};
use serde_json::Value;
use support::{
    DESIRED_YAML, SECRET, auth0, ezto, idconn, keycloak, secret_of, temp_dir, tenant_toml, write,
};

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

fn requests(sim: &SimHandle) -> u64 {
    FaultCounts::get(&sim.counts().requests)
}

fn outcomes(report: &Value) -> Vec<String> {
    report["connections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["outcome"].as_str().unwrap().to_string())
        .collect()
}

/// Writes a private config file holding these tenants and returns its path.
fn config(dir: &std::path::Path, tenants: &[String]) -> String {
    let path = write(dir, "idconn.toml", &tenants.concat());
    set_mode(&path, 0o600);
    path
}

fn set_mode(path: &str, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn two_auth0_tenants_migrate_exactly_then_a_rerun_writes_nothing() {
    let prod = auth0().await;
    let staging = auth0().await;
    let dir = temp_dir("two-tenants");
    let file = config(
        &dir,
        &[
            tenant_toml("prod", "auth0", &prod, "PROD_SECRET"),
            tenant_toml("staging", "auth0", &staging, "STAGING_SECRET"),
        ],
    );
    let env = vec![
        ("PROD_SECRET".to_string(), secret_of(&prod)),
        ("STAGING_SECRET".to_string(), secret_of(&staging)),
        ("IDCONN_CONFIG".to_string(), file.clone()),
    ];
    let desired = write(&dir, "desired.yaml", DESIRED_YAML);
    // Global options before the subcommand.
    idconn(
        &["--tenant", "prod", "apply", "-f", &desired, "--yes"],
        &env,
    )
    .await
    .expect(0);
    assert_eq!(prod.connections().len(), 2);
    assert!(staging.connections().is_empty());

    // And after it; --config on the command line wins over IDCONN_CONFIG.
    let run = idconn(
        &[
            "migrate", "--from", "prod", "--to", "staging", "--output", "json", "--config", &file,
        ],
        &env,
    )
    .await
    .expect(0);
    let report = json(&run.stdout);
    assert_eq!(outcomes(&report), vec!["created", "created"]);
    for connection in report["connections"].as_array().unwrap() {
        let losses = connection["losses"].as_array();
        assert!(losses.is_none_or(Vec::is_empty), "exact: {connection}");
    }
    let names = |sim: &SimHandle| {
        let mut names: Vec<String> = sim
            .connections()
            .iter()
            .map(|c| c["name"].as_str().unwrap().to_string())
            .collect();
        names.sort();
        names
    };
    assert_eq!(names(&staging), names(&prod));

    let staging_writes = FaultCounts::get(&staging.counts().writes);
    let run = idconn(
        &[
            "migrate", "--from", "prod", "--to", "staging", "--output", "json",
        ],
        &env,
    )
    .await
    .expect(0);
    assert_eq!(outcomes(&json(&run.stdout)), vec!["unchanged", "unchanged"]);
    assert_eq!(staging.connections().len(), 2);
    assert_eq!(
        FaultCounts::get(&staging.counts().writes),
        staging_writes,
        "a finished migration only reads the target"
    );

    let run = idconn(&["list", "--tenant", "staging", "--output", "json"], &env)
        .await
        .expect(0);
    assert_eq!(
        json(&run.stdout)["connections"].as_array().unwrap().len(),
        2
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn tenants_of_two_vendors_migrate_by_name() {
    let prod = auth0().await;
    let eu = ezto().await;
    let dir = temp_dir("cross-vendor");
    let file = config(
        &dir,
        &[
            tenant_toml("prod", "auth0", &prod, "PROD_SECRET"),
            tenant_toml("eu", "eztoauth", &eu, "EU_SECRET"),
        ],
    );
    let env = vec![
        ("PROD_SECRET".to_string(), secret_of(&prod)),
        ("EU_SECRET".to_string(), secret_of(&eu)),
    ];
    let desired = write(&dir, "desired.yaml", DESIRED_YAML);
    idconn(
        &[
            "apply", "--config", &file, "--tenant", "prod", "-f", &desired, "--yes",
        ],
        &env,
    )
    .await
    .expect(0);
    let run = idconn(
        &[
            "--config",
            &file,
            "migrate",
            "--from",
            "prod",
            "--to",
            "eu",
            "--lenient",
            "--allow-widening",
            "--output",
            "json",
        ],
        &env,
    )
    .await
    .expect(0);
    assert_eq!(outcomes(&json(&run.stdout)), vec!["created", "created"]);
    assert_eq!(eu.connections().len(), 2);
    // A vendor name still means that vendor's environment variables.
    let mut with_vars = env.clone();
    with_vars.extend(eu.env_vars());
    let run = idconn(
        &[
            "--config",
            &file,
            "migrate",
            "--from",
            "prod",
            "--to",
            "eztoauth",
            "--lenient",
            "--allow-widening",
            "--output",
            "json",
        ],
        &with_vars,
    )
    .await
    .expect(0);
    assert_eq!(outcomes(&json(&run.stdout)), vec!["unchanged", "unchanged"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_ezto_tenant_moves_to_a_plain_keycloak_exactly_under_the_strict_policy() {
    let eu = ezto().await;
    let kc = keycloak().await;
    let dir = temp_dir("ezto-to-keycloak");
    let file = config(
        &dir,
        &[
            tenant_toml("eu", "eztoauth", &eu, "EU_SECRET"),
            tenant_toml("kc", "keycloak", &kc, "KC_SECRET"),
        ],
    );
    // The Keycloak tenant's keys are KEYCLOAK_* without the prefix: url, realm, client_id...
    assert!(file.ends_with("idconn.toml"));
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.contains("[tenants.kc]\nvendor = \"keycloak\"\nurl = "),
        "{text}"
    );
    let env = vec![
        ("EU_SECRET".to_string(), secret_of(&eu)),
        ("KC_SECRET".to_string(), secret_of(&kc)),
        ("IDCONN_CONFIG".to_string(), file),
    ];
    let desired = write(&dir, "desired.yaml", DESIRED_YAML);
    idconn(&["apply", "--tenant", "eu", "-f", &desired, "--yes"], &env)
        .await
        .expect(0);
    // Keycloak masks client secrets on read, so the migration is given them; strict is the
    // default, and a loss would refuse the run with exit code 3.
    let secrets = write(&dir, "secrets.yaml", &format!("acme-oidc: {SECRET}\n"));
    let run = idconn(
        &[
            "migrate",
            "--from",
            "eu",
            "--to",
            "kc",
            "--secrets",
            &secrets,
            "--output",
            "json",
        ],
        &env,
    )
    .await
    .expect(0);
    let report = json(&run.stdout);
    assert_eq!(outcomes(&report), vec!["created", "created"], "{report}");
    for connection in report["connections"].as_array().unwrap() {
        let losses = connection["losses"].as_array();
        assert!(losses.is_none_or(Vec::is_empty), "exact: {connection}");
    }
    let mut aliases: Vec<String> = kc
        .connections()
        .iter()
        .map(|idp| idp["alias"].as_str().unwrap().to_string())
        .collect();
    aliases.sort();
    assert_eq!(aliases, ["acme-oidc", "acme-saml"]);
    let oidc = kc
        .connections()
        .into_iter()
        .find(|idp| idp["alias"] == "acme-oidc");
    assert_eq!(oidc.unwrap()["config"]["clientSecret"], SECRET);
    let run = idconn(
        &[
            "migrate",
            "--from",
            "eu",
            "--to",
            "kc",
            "--secrets",
            &secrets,
            "--output",
            "json",
        ],
        &env,
    )
    .await
    .expect(0);
    assert_eq!(outcomes(&json(&run.stdout)), vec!["unchanged", "unchanged"]);

    // Keycloak's settings by their tenant keys: a bad URL is named `url`.
    let broken = config(
        &dir,
        &[tenant_toml("kc", "keycloak", &kc, "KC_SECRET").replace(
            &format!("url = \"{}\"", kc.base_url()),
            "url = \"not a url\"",
        )],
    );
    let run = idconn(&["list", "--config", &broken, "--tenant", "kc"], &env)
        .await
        .expect(1);
    let line = run.one_line_error();
    assert!(line.contains("kc") && line.contains("url"), "{line}");
}

#[tokio::test(flavor = "multi_thread")]
async fn each_config_error_is_one_line_naming_tenant_and_key_and_sends_nothing() {
    let sim = auth0().await;
    let dir = temp_dir("config-errors");
    let good = tenant_toml("prod", "auth0", &sim, "PROD_SECRET");
    let secret = ("PROD_SECRET".to_string(), secret_of(&sim));
    // What is wrong, the file, its environment, the exit code, what the error line names.
    type Case<'a> = (&'a str, String, Vec<(String, String)>, i32, Vec<&'a str>);
    let cases: Vec<Case> = vec![
        (
            "unknown key",
            format!("{good}colour = \"blue\"\n"),
            vec![secret.clone()],
            1,
            vec!["tenant \"prod\"", "colour", "unknown key"],
        ),
        (
            "missing env",
            good.clone(),
            vec![],
            1,
            vec!["tenant \"prod\"", "client_secret", "PROD_SECRET is not set"],
        ),
        (
            "missing file",
            good.replace(
                "{ env = \"PROD_SECRET\" }",
                "{ file = \"secrets/prod-auth0\" }",
            ),
            vec![],
            1,
            vec!["tenant \"prod\"", "client_secret", "secrets/prod-auth0"],
        ),
        (
            "unknown vendor",
            good.replace("vendor = \"auth0\"", "vendor = \"okta\""),
            vec![secret.clone()],
            1,
            vec!["tenant \"prod\"", "vendor", "unknown vendor \"okta\""],
        ),
        (
            "a setting the backend refuses",
            good.replace(
                "[tenants.prod]\n",
                "[tenants.prod]\nbase_url = \"ftp://x\"\n",
            )
            .replacen("base_url = \"http", "# base_url = \"http", 1),
            vec![secret.clone()],
            1,
            vec!["tenant \"prod\"", "base_url"],
        ),
        (
            "a malformed rate limit",
            format!("{good}rate_limit = \"50\"\n"),
            vec![secret.clone()],
            1,
            vec![
                "tenant \"prod\"",
                "rate_limit",
                "\"50\" is not BURST/PER_SEC",
            ],
        ),
        (
            "a zero rate limit",
            format!("{good}rate_limit = \"0/16\"\n"),
            vec![secret.clone()],
            1,
            vec!["tenant \"prod\"", "rate_limit", "BURST must be at least 1"],
        ),
    ];
    for (what, text, env, code, needles) in cases {
        let file = config(&dir, &[text]);
        let run = idconn(&["list", "--config", &file, "--tenant", "prod"], &env)
            .await
            .expect(code);
        let line = run.one_line_error();
        for needle in needles {
            assert!(line.contains(needle), "{what}: {line}");
        }
        assert!(!line.contains(&secret.1), "{what}: no secret in {line}");
        assert_eq!(requests(&sim), 0, "{what}: no request");
    }

    let file = config(&dir, std::slice::from_ref(&good));
    let env = vec![secret.clone()];
    let run = idconn(&["list", "--config", &file, "--tenant", "staging"], &env)
        .await
        .expect(2);
    let line = run.one_line_error();
    assert!(
        line.contains("no tenant is named \"staging\"") && line.contains("prod"),
        "{line}"
    );
    let run = idconn(
        &[
            "migrate", "--config", &file, "--from", "prod", "--to", "nowhere",
        ],
        &env,
    )
    .await
    .expect(2);
    assert!(run.one_line_error().contains("\"nowhere\""));
    assert_eq!(requests(&sim), 0, "no request");

    let missing = dir.join("absent.toml").display().to_string();
    let run = idconn(
        &["list", "--tenant", "prod"],
        &[("IDCONN_CONFIG".into(), missing)],
    )
    .await
    .expect(2);
    assert!(run.one_line_error().contains("absent.toml"));
    let run = idconn(&["list"], &[]).await.expect(2);
    assert!(run.one_line_error().contains("--tenant"));

    // A well-formed rate limit is one more setting of the tenant.
    let limited = config(&dir, &[format!("{good}rate_limit = \"50/16\"\n")]);
    idconn(&["list", "--config", &limited, "--tenant", "prod"], &env)
        .await
        .expect(0);
    assert!(requests(&sim) > 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_literal_secret_in_a_shared_file_is_a_warning_naming_tenant_and_key() {
    let sim = auth0().await;
    let dir = temp_dir("literal-secret");
    let text = tenant_toml("prod", "auth0", &sim, "UNUSED")
        .replace("{ env = \"UNUSED\" }", &format!("\"{}\"", secret_of(&sim)));
    let file = config(&dir, &[text]);
    let run = idconn(&["list", "--config", &file, "--tenant", "prod"], &[])
        .await
        .expect(0);
    assert!(
        !run.stderr.contains("warning"),
        "private file: {}",
        run.stderr
    );
    set_mode(&file, 0o644);
    let run = idconn(&["list", "--config", &file, "--tenant", "prod"], &[])
        .await
        .expect(0);
    let warning = run.stderr.lines().next().unwrap_or_default();
    assert!(
        warning.starts_with("warning: ")
            && warning.contains("tenant \"prod\"")
            && warning.contains("client_secret")
            && !warning.contains(&secret_of(&sim)),
        "{}",
        run.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn secret_references_in_a_document_are_resolved_before_any_write() {
    let sim = auth0().await;
    let dir = temp_dir("secret-refs");
    let from_env = "env-held-secret-4c1d";
    let from_file = "file-held-secret-9e2b";
    std::fs::create_dir_all(dir.join("secrets")).unwrap();
    write(&dir, "secrets/saml-app", &format!("{from_file}\n"));
    let document = DESIRED_YAML.replace(SECRET, "{env: ACME_OIDC_SECRET}");
    let document = document.replace(
        "  - name: acme-saml",
        "  - name: acme-file\n    kind: oidc\n    settings: {protocol: oauth, client_id: f, \
         client_secret: {file: secrets/saml-app}, issuer: https://f.example, \
         authorization_url: https://f.example/a, token_url: https://f.example/t}\n  - name: acme-saml",
    );
    assert!(!document.contains(from_env) && !document.contains(from_file));
    let file = write(&dir, "desired.yaml", &document);
    let mut env = sim.env_vars();

    // Unresolvable: one line naming the file, the connection and the field; nothing sent.
    let run = idconn(&["apply", "--vendor", "auth0", "-f", &file, "--yes"], &env)
        .await
        .expect(1);
    let line = run.one_line_error();
    for needle in [
        "desired.yaml",
        "connections[0]",
        "\"acme-oidc\"",
        "client_secret",
        "ACME_OIDC_SECRET is not set",
    ] {
        assert!(line.contains(needle), "{line}");
    }
    assert_eq!(requests(&sim), 0, "no request before the document is whole");

    env.push(("ACME_OIDC_SECRET".into(), from_env.into()));
    let run = idconn(&["plan", "--vendor", "auth0", "-f", &file], &env)
        .await
        .expect(0);
    assert!(!run.stdout.contains(from_env), "{}", run.stdout);
    idconn(&["apply", "--vendor", "auth0", "-f", &file, "--yes"], &env)
        .await
        .expect(0);
    let held = |name: &str| {
        sim.connections()
            .into_iter()
            .find(|c| c["name"] == name)
            .map(|c| c["options"]["client_secret"].clone())
    };
    assert_eq!(held("acme-oidc"), Some(Value::from(from_env)));
    assert_eq!(held("acme-file"), Some(Value::from(from_file)));

    // Export never writes a reference (nor, without --include-secrets, a value).
    let run = idconn(&["export", "--vendor", "auth0", "--output", "yaml"], &env)
        .await
        .expect(0);
    for absent in ["env:", "file:", from_env, from_file] {
        assert!(!run.stdout.contains(absent), "{absent}: {}", run.stdout);
    }
}
