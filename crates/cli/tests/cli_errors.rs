//! Bad input: every case ends in one line on standard error and the documented exit code.

mod support;

use support::{auth0, idconn, temp_dir, write};

#[tokio::test(flavor = "multi_thread")]
async fn an_unknown_vendor_is_a_usage_error() {
    let run = idconn(&["list", "--vendor", "okta"], &[]).await.expect(2);
    let line = run.one_line_error();
    assert!(line.contains("unknown vendor \"okta\""), "{line}");
    let env = vec![("IDCONN_VENDOR".to_string(), "nope".to_string())];
    let run = idconn(&["list"], &env).await.expect(2);
    assert!(run.one_line_error().contains("\"nope\""), "{}", run.stderr);
    let run = idconn(&["migrate", "--from", "auth0", "--to", "x"], &[])
        .await
        .expect(2);
    run.one_line_error();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_argument_or_subcommand_is_a_usage_error() {
    let run = idconn(&["list"], &[]).await.expect(2);
    assert!(run.one_line_error().contains("--vendor"), "{}", run.stderr);
    let run = idconn(&["plan", "--vendor", "auth0"], &[]).await.expect(2);
    assert!(run.one_line_error().contains("--file"), "{}", run.stderr);
    let run = idconn(&["frobnicate"], &[]).await.expect(2);
    run.one_line_error();
    let run = idconn(&["migrate", "--from", "auth0", "--to", "auth0"], &[])
        .await
        .expect(2);
    assert!(
        run.one_line_error().contains("both name auth0"),
        "{}",
        run.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_variable_is_named() {
    let run = idconn(&["list", "--vendor", "auth0"], &[]).await.expect(1);
    assert!(run.one_line_error().contains("AUTH0_"), "{}", run.stderr);
    let run = idconn(&["list", "--vendor", "genauth"], &[])
        .await
        .expect(1);
    assert!(run.one_line_error().contains("GENAUTH_"), "{}", run.stderr);
    let run = idconn(&["list", "--vendor", "eztoauth"], &[])
        .await
        .expect(1);
    assert!(run.one_line_error().contains("EZTO_"), "{}", run.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unreachable_host_is_one_sentence() {
    let sim = auth0().await;
    let env = sim.env_vars();
    sim.stop();
    let run = idconn(&["list", "--vendor", "auth0"], &env).await.expect(1);
    let line = run.one_line_error();
    assert!(line.contains("auth0"), "{line}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_malformed_file_names_the_file_and_place() {
    let dir = temp_dir("malformed");
    let sim = auth0().await;
    let env = sim.env_vars();

    let bad = write(&dir, "bad.json", "{\"connections\": [ {\"name\": \"a\",");
    let run = idconn(&["plan", "--vendor", "auth0", "-f", &bad], &env)
        .await
        .expect(1);
    let line = run.one_line_error();
    assert!(
        line.contains("bad.json") && line.contains("line 1"),
        "{line}"
    );

    let unknown = write(
        &dir,
        "unknown.yaml",
        "connections:\n  - name: a\n    kind: oidc\n    colour: blue\n",
    );
    let run = idconn(
        &["apply", "--vendor", "auth0", "-f", &unknown, "--yes"],
        &env,
    )
    .await
    .expect(1);
    let line = run.one_line_error();
    assert!(
        line.contains("unknown.yaml: connections[0]") && line.contains("colour"),
        "{line}"
    );

    let wrong_type = write(
        &dir,
        "type.json",
        r#"{"connections": [{"name": "a", "kind": "oidc", "domains": "x.com"}]}"#,
    );
    let run = idconn(&["translate", "--to", "auth0", "-f", &wrong_type], &[])
        .await
        .expect(1);
    assert!(
        run.one_line_error().contains("connections[0].domains"),
        "{}",
        run.stderr
    );

    let duplicate = write(
        &dir,
        "dup.json",
        r#"{"connections": [{"name": "a", "kind": "oidc"}, {"name": "a", "kind": "oidc"}]}"#,
    );
    let run = idconn(&["plan", "--vendor", "auth0", "-f", &duplicate], &env)
        .await
        .expect(1);
    assert!(
        run.one_line_error().contains("connections[1].name"),
        "{}",
        run.stderr
    );

    let missing = dir.join("absent.json").display().to_string();
    let run = idconn(&["plan", "--vendor", "auth0", "-f", &missing], &env)
        .await
        .expect(1);
    assert!(
        run.one_line_error().contains("absent.json"),
        "{}",
        run.stderr
    );

    let secrets = write(&dir, "secrets.json", r#"{"a": 1}"#);
    let run = idconn(
        &[
            "migrate",
            "--from",
            "auth0",
            "--to",
            "eztoauth",
            "--secrets",
            &secrets,
        ],
        &env,
    )
    .await
    .expect(1);
    assert!(
        run.one_line_error().contains("secrets.json: a"),
        "{}",
        run.stderr
    );
    assert!(sim.connections().is_empty(), "nothing was written");
}

#[tokio::test(flavor = "multi_thread")]
async fn delete_without_a_terminal_needs_yes() {
    let sim = auth0().await;
    let env = sim.env_vars();
    let dir = temp_dir("delete");
    let file = write(&dir, "c.yaml", support::DESIRED_YAML);
    idconn(&["apply", "--vendor", "auth0", "-f", &file, "--yes"], &env)
        .await
        .expect(0);
    let run = idconn(&["delete", "--vendor", "auth0", "acme-saml"], &env)
        .await
        .expect(2);
    assert!(run.one_line_error().contains("--yes"), "{}", run.stderr);
    let run = idconn(
        &["apply", "--vendor", "auth0", "-f", &file, "--prune"],
        &env,
    )
    .await;
    // Nothing to change: no confirmation needed.
    run.expect(0);
    let run = idconn(
        &["delete", "--vendor", "auth0", "nothing-here", "--yes"],
        &env,
    )
    .await
    .expect(1);
    assert!(
        run.one_line_error().contains("nothing-here"),
        "{}",
        run.stderr
    );
    assert_eq!(sim.connections().len(), 2);
}
