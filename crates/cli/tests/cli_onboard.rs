//! `idconn onboard` through the built binary, from the upstream identity provider of idconn-sim
//! onto a vendor simulator.

mod support;

use idconn_sim::upstream::UpstreamIdp;
use serde_json::Value;
use support::{auth0, ezto, idconn};

#[tokio::test(flavor = "multi_thread")]
async fn onboard_saml_from_a_metadata_url_then_again_without_a_write() {
    let upstream = UpstreamIdp::start(0).await.unwrap();
    let sim = ezto().await;
    let env = sim.env_vars();
    let metadata = upstream.saml_metadata_url();
    let args = [
        "onboard",
        "--vendor",
        "eztoauth",
        "--name",
        "acme-saml",
        "--saml-metadata",
        &metadata,
        "--display-name",
        "Acme",
    ];

    let dry = idconn(&[&args[..], &["--dry-run"]].concat(), &env)
        .await
        .expect(0);
    assert!(
        dry.stdout.contains("settings.idp_entity_id"),
        "{}",
        dry.stdout
    );
    assert!(
        dry.stdout.contains("+ create    acme-saml"),
        "{}",
        dry.stdout
    );
    assert!(
        dry.stderr
            .contains("note: single sign-on: the HTTP-Redirect binding was chosen"),
        "{}",
        dry.stderr
    );
    assert!(sim.connections().is_empty(), "a dry run writes nothing");

    let run = idconn(&[&args[..], &["--yes"]].concat(), &env)
        .await
        .expect(0);
    assert!(run.stdout.contains("1 created"), "{}", run.stdout);
    let stored = sim.connections();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0]["alias"], "acme-saml");
    assert_eq!(
        stored[0]["config"]["idpEntityId"],
        upstream.saml_entity_id()
    );

    let again = idconn(&[&args[..], &["--yes"]].concat(), &env)
        .await
        .expect(0);
    assert!(
        again.stdout.contains("Nothing to change"),
        "{}",
        again.stdout
    );
    assert_eq!(sim.connections().len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn onboard_oidc_reads_the_secret_from_the_environment_and_prints_the_document() {
    let upstream = UpstreamIdp::start(0).await.unwrap();
    let sim = auth0().await;
    let mut env = sim.env_vars();
    env.push(("GLOBEX_SECRET".into(), "globex-s3cret".into()));
    let issuer = upstream.issuer();
    let args = [
        "onboard",
        "--vendor",
        "auth0",
        "--name",
        "globex-oidc",
        "--oidc-issuer",
        &issuer,
        "--client-id",
        "globex-client",
        "--client-secret",
        "env:GLOBEX_SECRET",
        "--domains",
        "globex.example,globex.example.org",
    ];
    let run = idconn(&[&args[..], &["--output", "json", "--yes"]].concat(), &env)
        .await
        .expect(0);
    let document: Value = serde_json::from_str(&run.stdout).unwrap();
    let connection = &document["connections"][0];
    assert_eq!(connection["name"], "globex-oidc");
    assert_eq!(connection["settings"]["issuer"], issuer.as_str());
    assert_eq!(
        connection["settings"]["token_url"],
        format!("{issuer}/token").as_str()
    );
    assert!(!run.stdout.contains("globex-s3cret"), "{}", run.stdout);
    let stored = sim.connections();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0]["options"]["client_secret"], "globex-s3cret");
    assert_eq!(stored[0]["options"]["client_id"], "globex-client");

    // A missing variable is a usage error before anything is fetched or written.
    let missing = [&args[..10], &["env:NOT_SET_ANYWHERE", "--yes"]].concat();
    let run = idconn(&missing, &env).await.expect(2);
    assert!(
        run.stderr.contains("NOT_SET_ANYWHERE is not set"),
        "{}",
        run.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn saml_onto_auth0_is_refused_strictly_for_the_two_facts_auth0_cannot_hold() {
    let upstream = UpstreamIdp::start(0).await.unwrap();
    let sim = auth0().await;
    let env = sim.env_vars();
    let metadata = upstream.saml_metadata_url();
    let args = [
        "onboard",
        "--vendor",
        "auth0",
        "--name",
        "initech-saml",
        "--saml-metadata",
        &metadata,
        "--yes",
    ];
    // Auth0's SAML options have no setting for the IdP's entity id or the NameID format.
    let refused = idconn(&args, &env).await.expect(3);
    let listed = format!("{}{}", refused.stdout, refused.stderr);
    for field in ["settings.idp_entity_id", "settings.name_id_format"] {
        assert!(listed.contains(field), "{field}: {listed}");
    }
    assert!(sim.connections().is_empty(), "strict writes nothing");

    let run = idconn(&[&args[..], &["--lenient"]].concat(), &env)
        .await
        .expect(0);
    assert!(run.stdout.contains("1 created"), "{}", run.stdout);
    let stored = sim.connections();
    assert_eq!(stored.len(), 1);
    assert_eq!(
        stored[0]["options"]["signInEndpoint"],
        upstream.saml_sign_in_url()
    );
}
