//! A SAML connection's request-signing key pair is a secret of the model: Auth0 -> GenAuth keeps
//! it, Auth0 -> ezto reports it lost, and it never shows in `Debug` or a default export.

mod support;

use idconn::{
    Certificate, ClientSecret, Connection, Document, Error, Format, IdentityConnectionProvider,
    MigrateOptions, Policy, Settings, SyncError, Vendor, migrate, read_all,
};
use idconn_sim::Knobs;
use support::sims::{CERT_B64, provider, saml, start};

const KEY: &str = "-----BEGIN PRIVATE KEY-----\nMIIEsigning-key-that-is-never-logged\n-----END PRIVATE KEY-----\n";

fn signed_saml() -> Connection {
    let mut c = saml("signed");
    if let Settings::Saml(s) = &mut c.settings {
        s.sign_requests = Some(true);
        s.request_signing_key = ClientSecret::known(KEY);
        s.request_signing_certificate = Some(Certificate::parse(CERT_B64, "cert").unwrap());
    }
    c
}

fn key_of(c: &Connection) -> &ClientSecret {
    &c.settings
        .saml()
        .expect("SAML settings")
        .request_signing_key
}

#[tokio::test(flavor = "multi_thread")]
async fn the_signing_key_pair_moves_to_genauth_is_reported_by_ezto_and_never_shown() {
    let auth0_sim = start(Vendor::Auth0, Knobs::default()).await;
    let auth0 = provider(Vendor::Auth0, &auth0_sim);
    auth0.create(&signed_saml(), &Policy::STRICT).await.unwrap();
    let stored = auth0_sim.connections();
    assert_eq!(stored[0]["options"]["signing_key"]["key"], KEY);

    // Read back: a known secret in the model, redacted everywhere by default.
    let listing = read_all(&auth0, None).await.unwrap();
    let read = &listing.connections[0];
    assert_eq!(key_of(read).expose(), Some(KEY));
    assert!(
        read.settings
            .saml()
            .unwrap()
            .request_signing_certificate
            .is_some()
    );
    assert!(!format!("{read:?}").contains("never-logged"));
    let document = Document {
        connections: listing.connections.clone(),
    };
    let shown = document.render(Format::Json, false).unwrap();
    assert!(!shown.contains("never-logged"), "{shown}");
    assert!(shown.contains("\"request_signing_key\": {\n"), "{shown}");
    let revealed = document.render(Format::Json, true).unwrap();
    assert!(revealed.contains("never-logged"));
    // ... and a revealed export reads back as the same key.
    let reread = Document::parse(&revealed, Format::Json, "export.json").unwrap();
    assert_eq!(key_of(&reread.connections[0]).expose(), Some(KEY));

    // Auth0 -> GenAuth: the pair lands as samlSpKey / samlSpCert.
    let genauth_sim = start(Vendor::GenAuth, Knobs::default()).await;
    let genauth = provider(Vendor::GenAuth, &genauth_sim);
    let options = MigrateOptions {
        policy: Policy::STRICT,
        ..MigrateOptions::default()
    };
    let lenient = MigrateOptions {
        policy: Policy::LENIENT,
        ..MigrateOptions::default()
    };
    let report = migrate(&auth0, &genauth, &lenient).await.unwrap();
    assert_eq!(report.counts().created, 1, "{report:?}");
    assert!(
        !report.connections[0]
            .losses
            .iter()
            .any(|l| l.field.starts_with("settings.request_signing")),
        "{report:?}"
    );
    let notes: Vec<&str> = report.connections[0]
        .notes
        .iter()
        .map(|n| n.field.as_str())
        .collect();
    assert!(notes.contains(&"settings.request_signing_key"), "{notes:?}");
    let fields = &genauth_sim.connections()[0]["fields"];
    assert_eq!(fields["samlSpKey"], KEY);
    assert!(
        fields["samlSpCert"]
            .as_str()
            .unwrap()
            .contains("BEGIN CERTIFICATE")
    );
    assert_eq!(fields["signSamlRequest"], true);
    let back = read_all(&genauth, None).await.unwrap();
    assert_eq!(key_of(&back.connections[0]).expose(), Some(KEY));

    // Auth0 -> ezto: no place for it; strict refuses naming it, before any write.
    let ezto_sim = start(Vendor::Ezto, Knobs::default()).await;
    let ezto = provider(Vendor::Ezto, &ezto_sim);
    let err = migrate(&auth0, &ezto, &options).await.unwrap_err();
    let SyncError::Refused { reports, .. } = &err else {
        panic!("{err}")
    };
    let lost: Vec<&str> = reports[0].losses.iter().map(|l| l.field.as_str()).collect();
    assert!(lost.contains(&"settings.request_signing_key"), "{lost:?}");
    assert!(!err.to_string().contains("never-logged"));
    assert!(ezto_sim.connections().is_empty());
    let report = migrate(&auth0, &ezto, &lenient).await.unwrap();
    assert!(
        report.connections[0]
            .losses
            .iter()
            .any(|l| l.field == "settings.request_signing_key" && !l.source.contains("never"))
    );
    assert!(
        !serde_json::to_string(&ezto_sim.connections())
            .unwrap()
            .contains("never-logged")
    );
}

/// Other secret-bearing Auth0 options cannot move: a copy to another vendor names each as a
/// loss; an update on the same tenant keeps what Auth0 holds.
#[tokio::test(flavor = "multi_thread")]
async fn other_secret_options_are_reported_losses_never_silent_drops() {
    let auth0_sim = start(Vendor::Auth0, Knobs::default()).await;
    let auth0 = provider(Vendor::Auth0, &auth0_sim);
    auth0
        .create(&saml("decrypting"), &Policy::STRICT)
        .await
        .unwrap();
    // The tenant holds a decryption key idconn never reads.
    let created = read_all(&auth0, None).await.unwrap().connections[0].clone();
    let id = created.id.clone().unwrap();
    let token = auth0_sim_token(&auth0_sim).await;
    let response = reqwest::Client::new()
        .patch(format!("{}/api/v2/connections/{id}", auth0_sim.base_url()))
        .bearer_auth(token)
        .json(&serde_json::json!({"options": {
            "signInEndpoint": "https://saml.example.com/sso",
            "signingCert": CERT_B64,
            "decryptionKey": {"cert": "c", "key": "decryption-key-never-logged"}}}))
        .send()
        .await
        .unwrap();
    assert!(
        response.status().is_success(),
        "{}",
        response.text().await.unwrap()
    );

    let read = read_all(&auth0, None).await.unwrap().connections[0].clone();
    let extras = serde_json::to_string(&read.extras).unwrap();
    assert!(!extras.contains("never-logged"), "{extras}");
    assert!(extras.contains("options.decryptionKey"), "{extras}");

    // Same tenant: an update keeps it, and reports nothing lost.
    let applied = auth0.update(&id, &read, &Policy::STRICT).await.unwrap();
    assert!(
        applied.report.losses.is_empty(),
        "{:?}",
        applied.report.losses
    );
    assert_eq!(
        auth0_sim.connections()[0]["options"]["decryptionKey"]["key"],
        "decryption-key-never-logged"
    );

    // Another vendor: a loss naming the option; strict refuses.
    let genauth_sim = start(Vendor::GenAuth, Knobs::default()).await;
    let genauth = provider(Vendor::GenAuth, &genauth_sim);
    match genauth.translate(&read, &Policy::STRICT).unwrap_err() {
        Error::Unrepresentable { losses, .. } => {
            assert!(
                losses
                    .iter()
                    .any(|l| l.field == "extras.auth0.options.decryptionKey"),
                "{losses:?}"
            );
        }
        other => panic!("{other}"),
    }
}

async fn auth0_sim_token(sim: &idconn_sim::SimHandle) -> String {
    let var = |name: &str| {
        sim.env_vars()
            .into_iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
            .unwrap()
    };
    let token: serde_json::Value = reqwest::Client::new()
        .post(format!("{}/oauth/token", sim.base_url()))
        .json(&serde_json::json!({
            "grant_type": "client_credentials",
            "client_id": var("AUTH0_CLIENT_ID"),
            "client_secret": var("AUTH0_CLIENT_SECRET"),
            "audience": format!("https://{}/api/v2/", var("AUTH0_DOMAIN")),
        }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    token["access_token"].as_str().unwrap().to_string()
}
