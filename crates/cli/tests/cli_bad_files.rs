//! Malformed, hostile and oversized input files: each error names the file and the field, in
//! one short line, before anything is written; and what is printed never carries raw control
//! characters.

mod support;

use std::time::{Duration, Instant};

use support::{auth0, idconn, temp_dir, write};

/// One connection in JSON with `field` set to the raw JSON `value`, inside `settings` when
/// `field` starts with `settings.`.
fn oidc_with(field: &str, value: &str) -> String {
    let mut settings = serde_json::json!({
        "protocol": "oauth",
        "client_id": "cid",
        "client_secret": "a-secret-value",
        "authorization_url": "https://idp.example.com/authorize",
        "token_url": "https://idp.example.com/token",
        "issuer": "https://idp.example.com",
    });
    let mut connection = serde_json::json!({"name": "acme", "kind": "oidc"});
    let value: serde_json::Value = serde_json::from_str(value).unwrap();
    match field.strip_prefix("settings.") {
        Some(key) => settings[key] = value,
        None => connection[field] = value,
    }
    connection["settings"] = settings;
    serde_json::json!({"connections": [connection]}).to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn every_bad_file_is_named_with_its_field_in_one_short_line() {
    let dir = temp_dir("bad-files");
    let huge_name = format!(
        "{{\"connections\": [{{\"name\": \"{}\", \"kind\": \"oidc\"}}]}}",
        "n".repeat(1_000_000)
    );
    let deep_yaml = format!("connections: {}\n", "[".repeat(100_000));
    let deep_json = format!("{{\"connections\": {}}}", "[".repeat(100_000));
    // (file, content, what the error must say besides the file name)
    let cases: Vec<(&str, String, Vec<&str>)> = vec![
        ("syntax.json", "{\"connections\": [".into(), vec!["line 1"]),
        ("syntax.yaml", "connections: [a, b\n".into(), vec!["line"]),
        ("empty.json", String::new(), vec!["EOF"]),
        ("top-key.json", r#"{"connection": []}"#.into(), vec!["unknown field `connection`"]),
        ("not-a-list.json", r#"{"connections": {}}"#.into(), vec!["connections", "sequence"]),
        ("no-name.json", r#"{"connections": [{"kind": "oidc"}]}"#.into(), vec!["connections[0]", "`name`"]),
        ("name-number.json", r#"{"connections": [{"name": 7, "kind": "oidc"}]}"#.into(), vec!["connections[0].name"]),
        ("kind.json", r#"{"connections": [{"name": "a", "kind": "nope"}]}"#.into(), vec!["connections[0].kind", "nope"]),
        ("unknown-field.yaml", "connections:\n  - name: a\n    kind: oidc\n    colour: blue\n".into(), vec!["connections[0].colour"]),
        ("secret-number.json", oidc_with("settings.client_secret", "42"), vec!["connections[0].settings.client_secret", "a string, {masked: true}"]),
        ("secret-unmasked.json", oidc_with("settings.client_secret", r#"{"masked": false}"#), vec!["connections[0].settings.client_secret", "{masked: true}"]),
        ("secret-list.yaml", "connections:\n  - name: a\n    kind: oidc\n    settings:\n      protocol: oauth\n      client_secret: [x]\n".into(), vec!["connections[0].settings.client_secret", "a string, {masked: true}"]),
        ("scopes-string.json", oidc_with("settings.scopes", r#""openid email""#), vec!["connections[0].settings.scopes", "sequence"]),
        ("scopes-item.yaml", "connections:\n  - name: a\n    kind: oidc\n    settings:\n      protocol: oauth\n      scopes: [openid, {x: 1}]\n".into(), vec!["connections[0].settings.scopes[1]"]),
        ("settings-field.json", oidc_with("settings.colour", r#""blue""#), vec!["connections[0].settings.colour"]),
        ("protocol.json", r#"{"connections": [{"name": "a", "kind": "oidc", "settings": {"protocol": "ftp"}}]}"#.into(), vec!["connections[0].settings", "ftp"]),
        ("no-protocol.json", r#"{"connections": [{"name": "a", "kind": "oidc", "settings": {"client_id": "x"}}]}"#.into(), vec!["connections[0].settings", "protocol"]),
        ("purpose.json", oidc_with("purpose", r#"{"sign_in": "yes"}"#), vec!["connections[0].purpose.sign_in"]),
        ("enabled.json", oidc_with("enabled", r#""yes""#), vec!["connections[0].enabled"]),
        ("domains.json", oidc_with("domains", r#""acme.com""#), vec!["connections[0].domains"]),
        ("duplicate.json", r#"{"connections": [{"name": "a", "kind": "oidc"}, {"name": "a", "kind": "saml"}]}"#.into(), vec!["connections[1].name"]),
        ("http-token.json", oidc_with("settings.token_url", r#""http://idp.example.com/token""#), vec!["settings.token_url", "plain http"]),
        ("bad-url.json", oidc_with("settings.token_url", r#""not a url""#), vec!["settings.token_url"]),
        ("dot-name.json", oidc_with("name", r#"".""#), vec!["name", "URL path syntax"]),
        ("huge-name.json", huge_name, vec!["1000000 characters"]),
        ("deep.yaml", deep_yaml, vec!["nested more than"]),
        ("deep.json", deep_json, vec!["nested more than"]),
        ("not-utf8.json", "{\"connections\": [\u{fffd}]}".into(), vec!["UTF-8"]),
    ];
    for (name, content, expected) in &cases {
        let file = write(&dir, name, content);
        if *name == "not-utf8.json" {
            std::fs::write(&file, b"{\"connections\": [\xff]}").unwrap();
        }
        let started = Instant::now();
        let run = idconn(&["translate", "--to", "auth0", "-f", &file], &[])
            .await
            .expect(1);
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{name}: {:?}",
            started.elapsed()
        );
        // One `error:` line naming the file; the connections at fault, if several, under it.
        let first = run.stderr.lines().next().unwrap_or_default();
        assert!(first.starts_with("error: "), "{name}: {}", run.stderr);
        assert!(
            first.contains(name),
            "{name}: the file is not named: {first}"
        );
        let text = &run.stderr;
        for part in expected {
            assert!(text.contains(part), "{name}: {part:?} missing from: {text}");
        }
        assert!(text.len() < 1000, "{name}: {} bytes of error", text.len());
        assert!(!text.contains("a-secret-value"), "{name}: {text}");
        assert!(!text.contains("untagged"), "{name}: {text}");
        assert!(!text.contains("panicked"), "{name}: {text}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn oversized_and_endless_inputs_stop_at_the_limit() {
    let dir = temp_dir("big-files");
    let file = write(
        &dir,
        "big.json",
        &format!("{{\"connections\": []}}{}", " ".repeat(200)),
    );
    let run = idconn(
        &[
            "translate",
            "--to",
            "auth0",
            "-f",
            &file,
            "--max-input-bytes",
            "100",
        ],
        &[],
    )
    .await
    .expect(1);
    let line = run.one_line_error();
    assert!(
        line.contains("big.json") && line.contains("100-byte"),
        "{line}"
    );
    let env = vec![("IDCONN_MAX_INPUT_BYTES".to_string(), "100".to_string())];
    let run = idconn(&["translate", "--to", "auth0", "-f", &file], &env)
        .await
        .expect(1);
    assert!(run.one_line_error().contains("100-byte"), "{}", run.stderr);

    let started = Instant::now();
    let run = idconn(&["translate", "--to", "auth0", "-f", "/dev/zero"], &[])
        .await
        .expect(1);
    assert!(run.one_line_error().contains("/dev/zero"), "{}", run.stderr);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread")]
async fn files_that_may_hold_secrets_are_created_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let sim = auth0().await;
    let env = sim.env_vars();
    let dir = temp_dir("modes");
    let desired = write(&dir, "desired.yaml", support::DESIRED_YAML);
    idconn(
        &["apply", "--vendor", "auth0", "-f", &desired, "--yes"],
        &env,
    )
    .await
    .expect(0);

    let mode =
        |path: &std::path::Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    let export = dir.join("export.yaml");
    let export_arg = export.to_str().unwrap();
    idconn(
        &[
            "export",
            "--vendor",
            "auth0",
            "--include-secrets",
            "-o",
            export_arg,
        ],
        &env,
    )
    .await
    .expect(0);
    assert!(
        std::fs::read_to_string(&export)
            .unwrap()
            .contains(support::SECRET)
    );
    assert_eq!(mode(&export), 0o600);

    let report = dir.join("report.json");
    let genauth = support::genauth().await;
    let both = support::env_of(&[&sim, &genauth]);
    idconn(
        &[
            "migrate",
            "--from",
            "auth0",
            "--to",
            "genauth",
            "--lenient",
            "--dry-run",
            "--report",
            report.to_str().unwrap(),
        ],
        &both,
    )
    .await;
    assert_eq!(mode(&report), 0o600);

    // An existing file keeps its mode: never widened, and the owner's choice is respected.
    std::fs::set_permissions(&export, std::fs::Permissions::from_mode(0o640)).unwrap();
    idconn(&["export", "--vendor", "auth0", "-o", export_arg], &env)
        .await
        .expect(0);
    assert_eq!(mode(&export), 0o640);
}

#[tokio::test(flavor = "multi_thread")]
async fn control_characters_are_escaped_in_tables_and_errors_and_exact_in_json_and_yaml() {
    let sim = auth0().await;
    let env = sim.env_vars();
    let dir = temp_dir("controls");
    let evil_display = "Acme\u{1b}[2J\rFAKE LINE";
    let document = serde_json::json!({"connections": [{
        "name": "evil\u{1b}[31mname\nforged",
        "display_name": evil_display,
        "kind": "oidc",
        "settings": {"protocol": "oauth", "client_id": "cid", "client_secret": "s3cret-value-1",
            "authorization_url": "https://idp.example.com/a", "token_url": "https://idp.example.com/t",
            "issuer": "https://idp.example.com"},
    }]});
    let file = write(&dir, "evil.json", &document.to_string());

    // plan and apply (lenient rewrites the name): tables show escapes, never raw controls.
    for args in [
        vec!["plan", "--vendor", "auth0", "--lenient", "-f", &file],
        vec![
            "apply",
            "--vendor",
            "auth0",
            "--lenient",
            "--yes",
            "-f",
            &file,
        ],
        vec!["list", "--vendor", "auth0"],
    ] {
        let run = idconn(&args, &env).await.expect(0);
        let printed = format!("{}{}", run.stdout, run.stderr);
        assert!(
            !printed.contains('\u{1b}') && !printed.contains('\r'),
            "{args:?}: {printed:?}"
        );
        if args[0] != "list" {
            assert!(
                printed.contains("evil\\u{1b}[31mname\\nforged"),
                "{args:?}: {printed}"
            );
        }
    }
    let run = idconn(&["get", "--vendor", "auth0", "evil-31mname-forged"], &env)
        .await
        .expect(0);
    assert!(
        run.stdout.contains("Acme\\u{1b}[2J\\rFAKE LINE"),
        "{}",
        run.stdout
    );

    // Errors: a strict plan refuses the name, quoting it escaped.
    let run = idconn(&["plan", "--vendor", "auth0", "-f", &file], &env).await;
    assert!(
        !run.stderr.contains('\u{1b}') && !run.stderr.contains('\r'),
        "{:?}",
        run.stderr
    );

    // JSON and YAML keep the exact value.
    for format in ["json", "yaml"] {
        let run = idconn(&["list", "--vendor", "auth0", "--output", format], &env)
            .await
            .expect(0);
        let parsed: serde_json::Value = if format == "json" {
            serde_json::from_str(&run.stdout).unwrap()
        } else {
            serde_yaml_ng::from_str(&run.stdout).unwrap()
        };
        assert_eq!(
            parsed["connections"][0]["display_name"], evil_display,
            "{format}"
        );
    }
}
