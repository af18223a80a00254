//! Every command against the simulators, through the built binary.

mod support;

use serde_json::Value;
use support::{DESIRED_YAML, SECRET, auth0, env_of, ezto, genauth, idconn, temp_dir, write};

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

#[tokio::test(flavor = "multi_thread")]
async fn apply_plan_list_get_export_delete_on_auth0() {
    let sim = auth0().await;
    let env = sim.env_vars();
    let dir = temp_dir("crud");
    let file = write(&dir, "desired.yaml", DESIRED_YAML);

    let run = idconn(&["plan", "--vendor", "auth0", "-f", &file], &env)
        .await
        .expect(0);
    assert!(
        run.stdout.contains("+ create    acme-oidc"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("2 to create"), "{}", run.stdout);
    assert!(sim.connections().is_empty(), "plan writes nothing");

    let run = idconn(&["apply", "--vendor", "auth0", "-f", &file, "--yes"], &env)
        .await
        .expect(0);
    assert!(run.stdout.contains("2 created"), "{}", run.stdout);
    assert_eq!(sim.connections().len(), 2);

    // Applying the same file again plans and writes nothing.
    let requests = idconn_sim::FaultCounts::get(&sim.counts().requests);
    let run = idconn(
        &[
            "apply", "--vendor", "auth0", "-f", &file, "--yes", "--output", "json",
        ],
        &env,
    )
    .await
    .expect(0);
    let report = json(&run.stdout);
    let outcomes: Vec<&str> = report["connections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(outcomes, vec!["unchanged", "unchanged"]);
    let after = idconn_sim::FaultCounts::get(&sim.counts().requests);
    assert!(
        after - requests <= 3,
        "a converged apply only reads ({} requests)",
        after - requests
    );

    let run = idconn(
        &["list", "--output", "json"],
        &[env.clone(), vec![("IDCONN_VENDOR".into(), "auth0".into())]].concat(),
    )
    .await
    .expect(0);
    let listed = json(&run.stdout);
    let names: Vec<&str> = listed["connections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 2);
    assert!(names.contains(&"acme-oidc") && names.contains(&"acme-saml"));
    assert!(!run.stdout.contains(SECRET));

    let run = idconn(&["list", "--vendor", "auth0"], &env).await.expect(0);
    assert!(run.stdout.starts_with("NAME"), "{}", run.stdout);
    assert!(run.stdout.contains("2 connection(s)"), "{}", run.stdout);

    let run = idconn(&["get", "--vendor", "auth0", "acme-oidc"], &env)
        .await
        .expect(0);
    assert!(
        run.stdout.contains("https://login.acme.example"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains(SECRET), "{}", run.stdout);
    let run = idconn(
        &["get", "--vendor", "auth0", "acme-oidc", "--output", "yaml"],
        &env,
    )
    .await
    .expect(0);
    assert!(run.stdout.contains("name: acme-oidc"), "{}", run.stdout);

    let out = dir.join("export.yaml");
    let out_text = out.display().to_string();
    idconn(&["export", "--vendor", "auth0", "-o", &out_text], &env)
        .await
        .expect(0);
    let exported = std::fs::read_to_string(&out).unwrap();
    assert!(exported.contains("acme-saml"), "{exported}");
    assert!(
        !exported.contains(SECRET),
        "secrets are left out by default"
    );
    let run = idconn(&["export", "--vendor", "auth0", "--include-secrets"], &env)
        .await
        .expect(0);
    assert!(
        run.stdout.contains(SECRET),
        "--include-secrets writes the value"
    );
    // The export is a document plan accepts, and it matches what is there.
    let run = idconn(&["plan", "--vendor", "auth0", "-f", &out_text], &env)
        .await
        .expect(0);
    assert!(
        run.stdout
            .contains("0 to create, 0 to update, 0 to delete, 2 unchanged"),
        "{}",
        run.stdout
    );

    let run = idconn(&["delete", "--vendor", "auth0", "acme-saml", "--yes"], &env)
        .await
        .expect(0);
    assert!(run.stdout.contains("deleted acme-saml"), "{}", run.stdout);
    assert_eq!(sim.connections().len(), 1);

    // --prune deletes what the file does not name.
    let one = write(&dir, "one.json", r#"{"connections": []}"#);
    let run = idconn(
        &["apply", "--vendor", "auth0", "-f", &one, "--prune", "--yes"],
        &env,
    )
    .await
    .expect(0);
    assert!(run.stdout.contains("1 deleted"), "{}", run.stdout);
    assert!(sim.connections().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_strict_refusal_exits_3_lists_every_loss_and_writes_nothing() {
    let sim = genauth().await;
    let env = sim.env_vars();
    let dir = temp_dir("refusal");
    let file = write(
        &dir,
        "link.json",
        r#"{"connections": [
            {"name": "partner-link", "kind": "oidc", "purpose": {"sign_in": false, "link": true},
             "settings": {"protocol": "oauth", "client_id": "c", "client_secret": "s-1",
                          "issuer": "https://p.example", "authorization_url": "https://p.example/a",
                          "token_url": "https://p.example/t"}},
            {"name": "fine", "kind": "oidc",
             "settings": {"protocol": "oauth", "client_id": "c", "client_secret": "s-2",
                          "issuer": "https://f.example", "authorization_url": "https://f.example/a",
                          "token_url": "https://f.example/t"}}
        ]}"#,
    );
    let run = idconn(
        &["apply", "--vendor", "genauth", "-f", &file, "--yes"],
        &env,
    )
    .await
    .expect(3);
    let mut lines = run.stderr.lines();
    let first = lines.next().unwrap();
    assert!(
        first.starts_with("error: ") && first.contains("link.json: genauth cannot represent"),
        "{first}"
    );
    assert!(
        run.stderr.contains("partner-link: purpose.sign_in"),
        "{}",
        run.stderr
    );
    assert!(sim.connections().is_empty(), "nothing written");

    // Lenient still refuses the widening, but writes the rest.
    let run = idconn(
        &[
            "apply",
            "--vendor",
            "genauth",
            "-f",
            &file,
            "--yes",
            "--lenient",
        ],
        &env,
    )
    .await
    .expect(0);
    assert!(run.stdout.contains("skipped"), "{}", run.stdout);
    assert_eq!(sim.connections().len(), 1);
    let run = idconn(
        &[
            "apply",
            "--vendor",
            "genauth",
            "-f",
            &file,
            "--yes",
            "--lenient",
            "--allow-widening",
        ],
        &env,
    )
    .await
    .expect(0);
    assert!(run.stdout.contains("1 created"), "{}", run.stdout);
    assert_eq!(sim.connections().len(), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn translate_is_offline_and_shows_payloads_and_losses() {
    let dir = temp_dir("translate");
    let file = write(&dir, "desired.yaml", DESIRED_YAML);
    for vendor in ["auth0", "genauth", "eztoauth"] {
        let run = idconn(
            &["translate", "-f", &file, "--to", vendor, "--lenient"],
            &[],
        )
        .await;
        assert!(run.code == 0 || run.code == 3, "{run:?}");
        assert!(
            run.stdout.contains(&format!("== acme-oidc -> {vendor}")),
            "{}",
            run.stdout
        );
        assert!(!run.stdout.contains(SECRET), "{}", run.stdout);
    }
    let run = idconn(
        &[
            "translate",
            "-f",
            &file,
            "--to",
            "eztoauth",
            "--output",
            "json",
        ],
        &[],
    )
    .await;
    let items = json(&run.stdout);
    assert_eq!(items.as_array().unwrap().len(), 2);
    assert_eq!(items[0]["payload"]["alias"], "acme-oidc", "{}", run.stdout);
}

#[tokio::test(flavor = "multi_thread")]
async fn migrate_auth0_to_ezto_then_back_with_secrets() {
    let source = auth0().await;
    let target = ezto().await;
    let dir = temp_dir("migrate");
    let file = write(&dir, "desired.yaml", DESIRED_YAML);
    idconn(
        &["apply", "--vendor", "auth0", "-f", &file, "--yes"],
        &source.env_vars(),
    )
    .await
    .expect(0);

    let env = env_of(&[&source, &target]);
    let run = idconn(
        &[
            "migrate",
            "--from",
            "auth0",
            "--to",
            "eztoauth",
            "--lenient",
            // Enabled for no Auth0 application: realm-wide on ezto is a widening.
            "--allow-widening",
            "--dry-run",
        ],
        &env,
    )
    .await
    .expect(0);
    assert!(run.stdout.contains("would create"), "{}", run.stdout);
    assert!(target.connections().is_empty());

    let report_path = dir.join("report.json").display().to_string();
    let run = idconn(
        &[
            "migrate",
            "--from",
            "auth0",
            "--to",
            "eztoauth",
            "--lenient",
            // Enabled for no Auth0 application: realm-wide on ezto is a widening.
            "--allow-widening",
            "--report",
            &report_path,
        ],
        &env,
    )
    .await
    .expect(0);
    assert!(run.stdout.contains("2 created"), "{}", run.stdout);
    assert_eq!(target.connections().len(), 2);
    let report = json(&std::fs::read_to_string(&report_path).unwrap());
    assert_eq!(report["from"], "auth0");
    assert_eq!(report["to"], "eztoauth");
    assert!(!report.to_string().contains(SECRET));

    let run = idconn(
        &[
            "migrate",
            "--from",
            "auth0",
            "--to",
            "eztoauth",
            "--lenient",
            // Enabled for no Auth0 application: realm-wide on ezto is a widening.
            "--allow-widening",
            "--output",
            "json",
        ],
        &env,
    )
    .await
    .expect(0);
    let again = json(&run.stdout);
    assert!(
        again["connections"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["outcome"] == "unchanged"),
        "{again}"
    );

    // ezto masks secrets: without --secrets the OIDC connection is skipped, never created empty.
    let back = auth0().await;
    let env = env_of(&[&target, &back]);
    let run = idconn(
        &[
            "migrate",
            "--from",
            "eztoauth",
            "--to",
            "auth0",
            "--lenient",
        ],
        &env,
    )
    .await
    .expect(0);
    assert!(run.stdout.contains("skipped"), "{}", run.stdout);
    assert!(run.stdout.contains("acme-oidc"), "{}", run.stdout);
    let names: Vec<String> = back
        .connections()
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_string())
        .collect();
    assert!(!names.contains(&"acme-oidc".to_string()), "{names:?}");

    let secrets = write(&dir, "secrets.yaml", &format!("acme-oidc: {SECRET}\n"));
    let run = idconn(
        &[
            "migrate",
            "--from",
            "eztoauth",
            "--to",
            "auth0",
            "--lenient",
            "--secrets",
            &secrets,
        ],
        &env,
    )
    .await
    .expect(0);
    assert!(run.stdout.contains("created   acme-oidc"), "{}", run.stdout);
    let created = back
        .connections()
        .into_iter()
        .find(|c| c["name"] == "acme-oidc")
        .unwrap();
    assert_eq!(created["options"]["client_secret"], SECRET);
}
