//! The OIDC channel and the SAML request settings (signature algorithm, digest, binding) across
//! vendors: Auth0 -> GenAuth, ezto and Keycloak, and back to a fresh Auth0. What both vendors
//! hold arrives exactly (GenAuth with its notes); what the target cannot hold is a reported
//! loss, compared by field as an exact set per connection; each vendor stores the values in its
//! own names; a re-run of every migration writes nothing.

mod support;

use std::collections::BTreeMap;

use idconn::{
    AnyProvider, Certificate, ClientSecret, Connection, ConnectionKind, IdentityConnectionProvider,
    MigrateOptions, MigrationReport, OAuthSettings, OidcChannel, Outcome, Policy, SamlBinding,
    SamlDigestAlgorithm, SamlSettings, SamlSignatureAlgorithm, Secrets, Settings, SyncError,
    Vendor, migrate,
};
use idconn_sim::{Knobs, SimHandle};
use serde_json::{Value, json};
use support::reports::{outcome, sorted};
use support::sims::{CERT_B64, provider, start};

const IDP: &str = "https://idp.example.com";

fn secret_of(name: &str) -> String {
    format!("{name}-secret-never-logged")
}

fn oidc(name: &str, channel: OidcChannel) -> Connection {
    let mut c = Connection::new(name, ConnectionKind::Oidc);
    c.display_name = Some(format!("{name} (channels)"));
    c.settings = Settings::OAuth(OAuthSettings {
        client_id: Some(format!("{name}-client")),
        client_secret: ClientSecret::known(secret_of(name)),
        scopes: vec!["openid".into(), "email".into()],
        issuer: Some(IDP.into()),
        authorization_url: Some(format!("{IDP}/authorize")),
        token_url: Some(format!("{IDP}/token")),
        channel: Some(channel),
        ..OAuthSettings::default()
    });
    c
}

fn saml(
    name: &str,
    algorithm: SamlSignatureAlgorithm,
    digest: SamlDigestAlgorithm,
    binding: SamlBinding,
) -> Connection {
    let mut c = Connection::new(name, ConnectionKind::Saml);
    c.display_name = Some(format!("{name} (channels)"));
    c.settings = Settings::Saml(SamlSettings {
        sign_in_url: Some("https://saml.example.com/sso".into()),
        signing_certificates: vec![Certificate::parse(CERT_B64, "cert").unwrap()],
        sign_requests: Some(true),
        request_signature_algorithm: Some(algorithm),
        request_digest_algorithm: Some(digest),
        request_binding: Some(binding),
        ..SamlSettings::default()
    });
    c
}

/// The four source connections: both channels, and two SAML connections, one whose digest is
/// its algorithm's own hash (as Keycloak digests) and one whose digest is not.
fn sources() -> Vec<Connection> {
    vec![
        oidc("front-oidc", OidcChannel::FrontChannel),
        oidc("back-oidc", OidcChannel::BackChannel),
        saml(
            "sha1-post-saml",
            SamlSignatureAlgorithm::RsaSha1,
            SamlDigestAlgorithm::Sha1,
            SamlBinding::HttpPost,
        ),
        saml(
            "mixed-saml",
            SamlSignatureAlgorithm::RsaSha256,
            SamlDigestAlgorithm::Sha1,
            SamlBinding::HttpRedirect,
        ),
    ]
}

fn secrets() -> Secrets {
    let mut secrets = Secrets::new();
    for c in sources() {
        if c.settings.client_secret().is_known() {
            secrets.insert(c.name.clone(), secret_of(&c.name));
        }
    }
    secrets
}

/// An Auth0 tenant holding every source connection, created strictly: Auth0 holds each exactly.
async fn auth0_with_sources() -> (SimHandle, AnyProvider) {
    let sim = start(Vendor::Auth0, Knobs::default()).await;
    let auth0 = provider(Vendor::Auth0, &sim);
    for c in sources() {
        let applied = auth0
            .create(&c, &Policy::STRICT)
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", c.name));
        assert!(applied.report.is_exact(), "{:?}", applied.report);
    }
    (sim, auth0)
}

/// Migrates `source` to `target` under `policy`, checks that every connection was created with
/// exactly `losses[name]` (and, where given, `notes[name]`), and that a re-run writes nothing.
async fn migrate_and_check(
    source: &AnyProvider,
    target: &AnyProvider,
    policy: Policy,
    losses: &BTreeMap<&str, Vec<&str>>,
    notes: &BTreeMap<&str, Vec<&str>>,
) -> MigrationReport {
    let options = MigrateOptions {
        policy,
        secrets: secrets(),
        ..MigrateOptions::default()
    };
    let report = migrate(source, target, &options).await.unwrap();
    assert_eq!(report.counts().created, sources().len(), "{report:#?}");
    for c in sources() {
        let outcome = outcome(&report, &c.name);
        assert!(
            matches!(outcome.outcome, Outcome::Created { .. }),
            "{}: {:?}",
            c.name,
            outcome.outcome
        );
        assert_eq!(
            sorted(outcome.losses.iter().map(|l| l.field.as_str())),
            sorted(losses[c.name.as_str()].iter().copied()),
            "{} -> {}: {}: losses {:#?}",
            report.from,
            report.to,
            c.name,
            outcome.losses
        );
        if let Some(expected) = notes.get(c.name.as_str()) {
            assert_eq!(
                sorted(outcome.notes.iter().map(|n| n.field.as_str())),
                sorted(expected.iter().copied()),
                "{} -> {}: {}: notes {:#?}",
                report.from,
                report.to,
                c.name,
                outcome.notes
            );
        }
        for loss in &outcome.losses {
            assert!(!loss.source.contains("never-logged"), "{loss}");
        }
    }
    let again = migrate(source, target, &options).await.unwrap();
    assert_eq!(again.counts().unchanged, sources().len(), "{again:#?}");
    report
}

/// The stored record of the connection `name` on a simulator, found under `key`.
fn stored(sim: &SimHandle, key: &str, name: &str) -> Value {
    sim.connections()
        .into_iter()
        .find(|c| c[key] == name)
        .unwrap_or_else(|| panic!("{name} is not stored"))
}

/// The settings of `name` as `provider` reads it.
async fn settings_of(provider: &AnyProvider, name: &str) -> Settings {
    provider
        .find(name)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("{name} is not on {}", provider.vendor()))
        .settings
}

fn map(entries: &[(&'static str, Vec<&'static str>)]) -> BTreeMap<&'static str, Vec<&'static str>> {
    entries.iter().cloned().collect()
}

/// Auth0 -> GenAuth -> Auth0: GenAuth holds both channels (`mode`) and every request setting
/// (in its console defaults' spelling), each carried with a note; the way back is exact.
#[tokio::test(flavor = "multi_thread")]
async fn auth0_to_genauth_and_back_carries_channels_and_request_settings() {
    let (_auth0_sim, auth0) = auth0_with_sources().await;
    let genauth_sim = start(Vendor::GenAuth, Knobs::default()).await;
    let genauth = provider(Vendor::GenAuth, &genauth_sim);
    // GenAuth has no token endpoint key, and no switch for keeping upstream tokens (which
    // Auth0 states off).
    let oidc_losses = vec!["settings.token_url", "purpose.store_tokens"];
    let losses = map(&[
        ("front-oidc", oidc_losses.clone()),
        ("back-oidc", oidc_losses),
        ("sha1-post-saml", vec!["purpose.store_tokens"]),
        ("mixed-saml", vec!["purpose.store_tokens"]),
    ]);
    let oidc_notes = vec![
        "settings.client_id",
        "settings.client_secret",
        "settings.scopes",
        "settings.issuer",
        "settings.authorization_url",
        "settings.channel",
    ];
    let saml_notes = vec![
        "settings.sign_in_url",
        "settings.signing_certificates",
        "settings.sign_requests",
        "settings.request_signature_algorithm",
        "settings.request_digest_algorithm",
        "settings.request_binding",
    ];
    let notes = map(&[
        ("front-oidc", oidc_notes.clone()),
        ("back-oidc", oidc_notes),
        ("sha1-post-saml", saml_notes.clone()),
        ("mixed-saml", saml_notes),
    ]);
    migrate_and_check(&auth0, &genauth, Policy::LENIENT, &losses, &notes).await;

    let fields = |name| stored(&genauth_sim, "identifier", name)["fields"].clone();
    assert_eq!(fields("front-oidc")["mode"], "FRONT_CHANNEL");
    assert_eq!(fields("back-oidc")["mode"], "BACK_CHANNEL");
    let sha1 = fields("sha1-post-saml");
    assert_eq!(
        (
            &sha1["signatureAlgorithm"],
            &sha1["digestAlgorithm"],
            &sha1["protocolBinding"]
        ),
        (&json!("rsa-sha1"), &json!("sha1"), &json!("HTTP-POST"))
    );
    let mixed = fields("mixed-saml");
    assert_eq!(
        (
            &mixed["signatureAlgorithm"],
            &mixed["digestAlgorithm"],
            &mixed["protocolBinding"]
        ),
        (
            &json!("rsa-sha256"),
            &json!("sha1"),
            &json!("HTTP-Redirect")
        )
    );

    // And back to a fresh Auth0: GenAuth's values read as the model's, written in Auth0's names.
    let back_sim = start(Vendor::Auth0, Knobs::default()).await;
    let back = provider(Vendor::Auth0, &back_sim);
    // GenAuth states linking allowed (loginOnly false); Auth0 has no linking switch.
    let none_lost = map(&[
        ("front-oidc", vec!["purpose.link"]),
        ("back-oidc", vec!["purpose.link"]),
        ("sha1-post-saml", vec!["purpose.link"]),
        ("mixed-saml", vec!["purpose.link"]),
    ]);
    migrate_and_check(
        &genauth,
        &back,
        Policy::LENIENT,
        &none_lost,
        &BTreeMap::new(),
    )
    .await;
    assert_auth0_holds_the_sources(&back, &back_sim).await;
}

/// What a fresh Auth0 holds after a round trip that lost nothing of these settings.
async fn assert_auth0_holds_the_sources(auth0: &AnyProvider, sim: &SimHandle) {
    let options = |name| stored(sim, "name", name)["options"].clone();
    assert_eq!(options("front-oidc")["type"], "front_channel");
    assert_eq!(options("back-oidc")["type"], "back_channel");
    let sha1 = options("sha1-post-saml");
    assert_eq!(sha1["signatureAlgorithm"], "rsa-sha1");
    assert_eq!(sha1["digestAlgorithm"], "sha1");
    assert_eq!(
        sha1["protocolBinding"],
        "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
    );
    for source in sources() {
        let held = settings_of(auth0, &source.name).await;
        match (&source.settings, &held) {
            (Settings::OAuth(want), Settings::OAuth(got)) => {
                assert_eq!(got.channel, want.channel, "{}", source.name)
            }
            (Settings::Saml(want), Settings::Saml(got)) => assert_eq!(
                (
                    got.request_signature_algorithm,
                    got.request_digest_algorithm,
                    got.request_binding
                ),
                (
                    want.request_signature_algorithm,
                    want.request_digest_algorithm,
                    want.request_binding
                ),
                "{}",
                source.name
            ),
            other => panic!("{}: {other:?}", source.name),
        }
    }
}

/// Auth0 -> ezto or Keycloak -> Auth0: Keycloak runs OIDC with the authorization code flow, so
/// the front channel is a loss (the back channel exact), and it digests with the signature
/// algorithm's hash, so a digest that differs is a loss; the rest is exact. On the way back,
/// what Keycloak held comes back as such.
async fn to_keycloak_and_back(vendor: Vendor) {
    let (_auth0_sim, auth0) = auth0_with_sources().await;
    let sim = start(vendor, Knobs::default()).await;
    let keycloak = provider(vendor, &sim);
    // Auth0 reads the enabled clients back as an explicit (empty) set; Keycloak's identity
    // providers serve every application of the realm, a widening allowed here.
    let policy = Policy {
        allow_widening: true,
        ..Policy::LENIENT
    };
    let losses = map(&[
        ("front-oidc", vec!["applications", "settings.channel"]),
        ("back-oidc", vec!["applications"]),
        ("sha1-post-saml", vec!["applications"]),
        (
            "mixed-saml",
            vec!["applications", "settings.request_digest_algorithm"],
        ),
    ]);
    let report = migrate_and_check(&auth0, &keycloak, policy, &losses, &BTreeMap::new()).await;
    let channel = outcome(&report, "front-oidc")
        .losses
        .iter()
        .find(|l| l.field == "settings.channel")
        .unwrap();
    assert_eq!(
        (channel.source.as_str(), channel.target.as_str()),
        ("front_channel", "back_channel")
    );
    assert!(!channel.reason.contains(".md"), "{channel}");
    let digest = outcome(&report, "mixed-saml")
        .losses
        .iter()
        .find(|l| l.field == "settings.request_digest_algorithm")
        .unwrap();
    assert_eq!(
        (digest.source.as_str(), digest.target.as_str()),
        ("sha1", "sha256")
    );

    let config = |name| stored(&sim, "alias", name)["config"].clone();
    let sha1 = config("sha1-post-saml");
    assert_eq!(sha1["signatureAlgorithm"], "RSA_SHA1");
    assert_eq!(sha1["postBindingAuthnRequest"], "true");
    let mixed = config("mixed-saml");
    assert_eq!(mixed["signatureAlgorithm"], "RSA_SHA256");
    assert_eq!(mixed["postBindingAuthnRequest"], "false");
    for name in ["front-oidc", "back-oidc"] {
        let held = settings_of(&keycloak, name).await;
        assert_eq!(
            held.oauth().unwrap().channel,
            Some(OidcChannel::BackChannel),
            "{name}"
        );
    }

    // Back to a fresh Auth0: the back channel and Keycloak's digest, stated. Keycloak states
    // that linking is always allowed; Auth0 has no linking switch.
    let back_sim = start(Vendor::Auth0, Knobs::default()).await;
    let back = provider(Vendor::Auth0, &back_sim);
    let losses = map(&[
        ("front-oidc", vec!["purpose.link"]),
        ("back-oidc", vec!["purpose.link"]),
        ("sha1-post-saml", vec!["purpose.link"]),
        ("mixed-saml", vec!["purpose.link"]),
    ]);
    migrate_and_check(&keycloak, &back, policy, &losses, &BTreeMap::new()).await;
    let options = |name| stored(&back_sim, "name", name)["options"].clone();
    assert_eq!(options("front-oidc")["type"], "back_channel");
    assert_eq!(options("back-oidc")["type"], "back_channel");
    let sha1 = options("sha1-post-saml");
    assert_eq!(
        (&sha1["signatureAlgorithm"], &sha1["digestAlgorithm"]),
        (&json!("rsa-sha1"), &json!("sha1"))
    );
    assert_eq!(
        sha1["protocolBinding"],
        "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
    );
    let mixed = options("mixed-saml");
    assert_eq!(
        (&mixed["signatureAlgorithm"], &mixed["digestAlgorithm"]),
        (&json!("rsa-sha256"), &json!("sha256"))
    );
    assert_eq!(
        mixed["protocolBinding"],
        "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn auth0_to_ezto_and_back_reports_what_keycloak_cannot_hold() {
    to_keycloak_and_back(Vendor::Ezto).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn auth0_to_keycloak_and_back_reports_what_keycloak_cannot_hold() {
    to_keycloak_and_back(Vendor::Keycloak).await;
}

/// Strictly, the front channel and a digest Keycloak cannot hold are refused before any write,
/// both named at once, and nothing else is.
#[tokio::test(flavor = "multi_thread")]
async fn strict_refuses_what_keycloak_cannot_hold_before_writing_it() {
    let (_auth0_sim, auth0) = auth0_with_sources().await;
    let sim = start(Vendor::Keycloak, Knobs::default()).await;
    let keycloak = provider(Vendor::Keycloak, &sim);
    let options = MigrateOptions {
        policy: Policy::STRICT.with_widening(true),
        secrets: secrets(),
        dry_run: true,
        ..MigrateOptions::default()
    };
    let err = migrate(&auth0, &keycloak, &options).await.unwrap_err();
    let SyncError::Refused { reports, .. } = err else {
        panic!("{err}")
    };
    let refused: BTreeMap<&str, Vec<String>> = reports
        .iter()
        .map(|r| {
            let fields = sorted(r.losses.iter().map(|l| l.field.as_str()));
            (r.connection.as_str(), fields)
        })
        .collect();
    assert_eq!(
        refused,
        BTreeMap::from([
            ("front-oidc", sorted(["settings.channel"])),
            ("mixed-saml", sorted(["settings.request_digest_algorithm"])),
        ]),
        "{reports:#?}"
    );
    assert!(sim.connections().is_empty(), "nothing written");
}
