//! Onboarding end to end: a customer's SAML metadata URL and OIDC issuer, served by idconn-sim's
//! upstream identity provider, planned and applied on each vendor's simulator, read back, and
//! onboarded a second time without a write. Then resolution of a discovery-only connection for
//! ezto auth.

mod support;

use idconn::onboard::{MetadataSource, OidcOptions, SamlOptions, onboard_oidc, onboard_saml};
use idconn::{
    Applications, Document, Format, IdentityConnectionProvider, MigrateOptions, PlanOptions,
    SyncError, apply, migrate, plan,
};
use idconn_core::{
    Certificate, ClientSecret, Connection, ConnectionKind, OAuthSettings, Policy, Settings, Vendor,
};
use idconn_sim::auth0::Auth0Sim;
use idconn_sim::upstream::{UpstreamHandle, UpstreamIdp};
use idconn_sim::{Knobs, Sim};
use support::sims::{provider, start};

/// The settings as JSON members, secrets left out (they compare by value elsewhere).
fn settings_json(connection: &Connection) -> serde_json::Map<String, serde_json::Value> {
    let mut value = serde_json::to_value(&connection.settings).unwrap();
    let members = value.as_object_mut().unwrap();
    members.remove("protocol");
    members.remove("client_secret");
    members.clone()
}

/// The two customers: one by SAML metadata URL, one by OIDC issuer.
async fn customers(upstream: &UpstreamHandle) -> Vec<Connection> {
    let metadata = MetadataSource::Url(upstream.saml_metadata_url());
    let mut saml = onboard_saml("acme-saml", &metadata, &SamlOptions::new())
        .await
        .unwrap()
        .connection;
    saml.display_name = Some("Acme (SAML)".into());
    let client = OidcOptions::new("acme-client", ClientSecret::known("acme-s3cret"));
    let mut oidc = onboard_oidc("globex-oidc", &upstream.issuer(), &client)
        .await
        .unwrap()
        .connection;
    oidc.display_name = Some("Globex (OIDC)".into());
    vec![saml, oidc]
}

async fn onboard_on(vendor: Vendor) {
    let upstream = UpstreamIdp::start(0).await.unwrap();
    let sim = start(vendor, Knobs::default()).await;
    let target = provider(vendor, &sim);
    let desired = customers(&upstream).await;
    // Through the file format, as `onboard --output json` then `apply -f` would.
    let text = idconn_core::reveal_secrets(|| {
        Document {
            connections: desired.clone(),
        }
        .render(Format::Json, true)
    })
    .unwrap();
    let desired = Document::parse(&text, Format::Json, "onboarded.json")
        .unwrap()
        .connections;
    // Lenient: what a vendor cannot hold yet is reported, never dropped silently (checked
    // below); ezto auth holds everything.
    let options = PlanOptions {
        policy: Policy::LENIENT,
        prune: false,
    };

    let first = plan(&target, &desired, options).await.unwrap();
    assert_eq!(first.counts().create, 2, "{vendor}: {:?}", first.changes);
    if vendor == Vendor::Ezto {
        for change in &first.changes {
            assert!(
                change.report.losses.is_empty(),
                "{:?}",
                change.report.losses
            );
        }
    }
    let report = apply(&target, &first, 2).await.unwrap();
    assert!(report.succeeded(), "{vendor}: {report:?}");
    assert_eq!(report.counts().created, 2);

    // Every fact reads back, or its loss was reported.
    for (wanted, change) in desired.iter().zip(&first.changes) {
        let stored = target.find(&wanted.name).await.unwrap().expect("created");
        let lost: Vec<&str> = change
            .report
            .losses
            .iter()
            .map(|l| l.field.as_str())
            .collect();
        let (want, got) = (settings_json(wanted), settings_json(&stored));
        for (key, value) in &want {
            let field = format!("settings.{key}");
            // GenAuth keeps the issuer and discovers the rest from it: a discovery URL the
            // issuer implies is carried by the issuer, not stored beside it.
            let implied = vendor == Vendor::GenAuth
                && key == "discovery_url"
                && want.get("issuer").and_then(|i| i.as_str()).map(|i| {
                    format!(
                        "{}/.well-known/openid-configuration",
                        i.trim_end_matches('/')
                    )
                }) == value.as_str().map(String::from);
            if !lost.contains(&field.as_str()) && !implied {
                assert_eq!(
                    got.get(key),
                    Some(value),
                    "{vendor}: {field} of {}",
                    wanted.name
                );
            }
        }
    }
    // Onboarding the same customers again changes nothing.
    let stored = sim.connections().len();
    let again = plan(&target, &customers(&upstream).await, options)
        .await
        .unwrap();
    assert!(!again.has_writes(), "{vendor}: {:?}", again.changes);
    assert_eq!(again.counts().unchanged, 2);
    assert_eq!(sim.connections().len(), stored);
    if vendor == Vendor::GenAuth {
        // GenAuth publishes no fields keys for most of these yet: the rest of the checks
        // cover what it can hold.
        return;
    }
    let saml = target.find("acme-saml").await.unwrap().unwrap();
    let settings = saml.settings.saml().expect("SAML settings");
    assert_eq!(settings.sign_in_url, Some(upstream.saml_sign_in_url()));
    assert_eq!(settings.sign_out_url, Some(upstream.saml_sign_out_url()));
    let certificate = Certificate::from_der(upstream.certificate_der().to_vec(), "c").unwrap();
    assert_eq!(settings.signing_certificates, [certificate]);
    let oidc = target.find("globex-oidc").await.unwrap().unwrap();
    let settings = oidc.settings.oauth().expect("OAuth settings");
    let issuer = upstream.issuer();
    assert_eq!(settings.client_id.as_deref(), Some("acme-client"));
    assert_eq!(settings.issuer.as_deref(), Some(issuer.as_str()));
    assert_eq!(
        settings.authorization_url,
        Some(format!("{issuer}/authorize"))
    );
    assert_eq!(settings.token_url, Some(format!("{issuer}/token")));
    assert_eq!(settings.scopes, ["openid", "profile", "email"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn onboarding_onto_auth0_reads_back_and_is_idempotent() {
    onboard_on(Vendor::Auth0).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn onboarding_onto_genauth_reports_what_it_cannot_hold_and_is_idempotent() {
    onboard_on(Vendor::GenAuth).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn onboarding_onto_ezto_is_exact_and_idempotent() {
    onboard_on(Vendor::Ezto).await;
}

/// An OIDC connection Auth0 holds by its discovery URL only, as Auth0 allows.
fn discovery_only(upstream: &UpstreamHandle) -> Connection {
    let mut connection = Connection::new("discovered", ConnectionKind::Oidc);
    connection.display_name = Some("Discovered".into());
    connection.settings = Settings::OAuth(OAuthSettings {
        client_id: Some("disc-client".into()),
        client_secret: ClientSecret::known("disc-s3cret"),
        discovery_url: Some(upstream.discovery_url()),
        ..OAuthSettings::default()
    });
    connection
}

#[tokio::test(flavor = "multi_thread")]
async fn a_discovery_only_connection_reaches_ezto_exactly_with_resolution() {
    let upstream = UpstreamIdp::start(0).await.unwrap();
    // Enabled for one application. ezto lets every application use every provider, so that
    // set is a loss the migration must accept leniently (an empty set would be a widening).
    let auth0_tenant = Auth0Sim::new();
    auth0_tenant.add_application("Web shop", Some("regular_web"));
    let auth0_sim = Sim::start(auth0_tenant, Knobs::default(), 0).await.unwrap();
    let ezto_sim = start(Vendor::Ezto, Knobs::default()).await;
    let auth0 = provider(Vendor::Auth0, &auth0_sim);
    let ezto = provider(Vendor::Ezto, &ezto_sim);
    let mut connection = discovery_only(&upstream);
    connection.applications = Some(Applications::only(["Web shop"]));
    let seeded = plan(&auth0, &[connection], PlanOptions::default())
        .await
        .unwrap();
    assert!(apply(&auth0, &seeded, 1).await.unwrap().succeeded());

    // Offline (the default): strict refuses, and the loss names the flag that would carry it.
    let err = migrate(&auth0, &ezto, &MigrateOptions::default())
        .await
        .unwrap_err();
    let SyncError::Refused { reports, .. } = err else {
        panic!("expected a refusal, got {err}");
    };
    let reasons: Vec<String> = reports[0].losses.iter().map(|l| l.to_string()).collect();
    assert!(
        reasons
            .iter()
            .any(|r| r.contains("settings.authorization_url") && r.contains("--resolve-discovery")),
        "{reasons:?}"
    );
    assert!(ezto_sim.connections().is_empty());

    // Resolved: the endpoints are exact (the one loss left is the realm-wide applications),
    // and ezto holds them.
    let options = MigrateOptions {
        resolve_discovery: true,
        policy: Policy::LENIENT,
        ..MigrateOptions::default()
    };
    let report = migrate(&auth0, &ezto, &options).await.unwrap();
    assert_eq!(report.counts().created, 1, "{report:?}");
    let lost: Vec<&str> = report.connections[0]
        .losses
        .iter()
        .map(|l| l.field.as_str())
        .collect();
    assert_eq!(lost, ["applications"], "{report:?}");
    let stored = ezto.find("discovered").await.unwrap().unwrap();
    let settings = stored.settings.oauth().unwrap();
    let issuer = upstream.issuer();
    assert_eq!(settings.issuer.as_deref(), Some(issuer.as_str()));
    assert_eq!(settings.discovery_url, Some(upstream.discovery_url()));
    assert_eq!(
        settings.authorization_url,
        Some(format!("{issuer}/authorize"))
    );
    assert_eq!(settings.token_url, Some(format!("{issuer}/token")));
    assert_eq!(settings.userinfo_url, Some(format!("{issuer}/userinfo")));
    assert_eq!(settings.jwks_url, Some(format!("{issuer}/jwks")));

    // A re-run resolves the same endpoints and finds nothing to do.
    let again = migrate(&auth0, &ezto, &options).await.unwrap();
    assert_eq!(again.counts().unchanged, 1, "{again:?}");
}
