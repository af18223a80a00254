//! The Auth0 backend against the Auth0 simulator over real HTTP.

use std::collections::HashSet;
use std::time::Duration;

use futures::{StreamExt, TryStreamExt};
use idconn_auth0::{Auth0Builder, Auth0Provider, RateLimit as ClientRateLimit};
use idconn_core::http::RetryConfig;
use idconn_core::{
    ClientSecret, Connection, ConnectionKind, Credentials, Error, IdentityConnectionProvider,
    OAuthSettings, PageRequest, Policy, Purpose, Settings, Vendor, list_all,
};
use idconn_sim::auth0::{ALL_CONNECTION_SCOPES, Auth0Sim};
use idconn_sim::{FaultCounts, Faults, Knobs, RateLimit, Sim, SimHandle};
use serde_json::{Value, json};

struct Tenant {
    sim: Auth0Sim,
    handle: SimHandle,
    provider: Auth0Provider,
}

async fn tenant_with(knobs: Knobs) -> Tenant {
    let sim = Auth0Sim::new();
    let handle = Sim::start(sim.clone(), knobs, 0).await.unwrap();
    let provider = Auth0Builder::from_vars(&handle.env_vars())
        .with_retry(RetryConfig::new(
            10,
            Duration::from_millis(20),
            Duration::from_secs(30),
        ))
        .build()
        .unwrap();
    Tenant {
        sim,
        handle,
        provider,
    }
}

async fn tenant() -> Tenant {
    tenant_with(Knobs::default()).await
}

/// A provider on the same simulator with a ready token carrying only `scopes`.
fn with_token(t: &Tenant, scopes: &[&str]) -> Auth0Provider {
    Auth0Builder::new()
        .with_domain(t.sim.domain())
        .with_credentials(Credentials::token(t.sim.mint_token(scopes)))
        .with_base_url(t.handle.base_url())
        .build()
        .unwrap()
}

fn oidc(name: &str) -> Connection {
    let mut c = Connection::new(name, ConnectionKind::Oidc);
    c.display_name = Some(format!("{name} SSO"));
    c.settings = Settings::OAuth(OAuthSettings {
        client_id: Some("client-1".into()),
        client_secret: ClientSecret::known("upstream-secret"),
        scopes: vec!["openid".into(), "email".into()],
        discovery_url: Some("https://idp.example.com/.well-known/openid-configuration".into()),
        ..OAuthSettings::default()
    });
    c.domains = vec!["example.com".into()];
    c
}

fn stored(t: &Tenant, name: &str) -> Value {
    t.handle
        .connections()
        .into_iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("{name} not stored"))
}

#[tokio::test]
async fn crud_round_trip() {
    let t = tenant().await;
    let desired = oidc("acme");
    let applied = t.provider.create(&desired, &Policy::STRICT).await.unwrap();
    assert!(applied.report.is_exact());
    let created = applied.connection;
    let id = created.id.clone().unwrap();
    assert!(id.starts_with("con_"));
    assert_eq!(
        created.settings, desired.settings,
        "secret read back in clear"
    );
    assert_eq!(created.domains, desired.domains);
    // Server defaults (reference §1.4).
    assert_eq!(
        created.purpose,
        Purpose {
            sign_in: Some(true),
            link: None,
            store_tokens: Some(false)
        }
    );

    let got = t.provider.get(&id).await.unwrap();
    assert_eq!(got, created);
    let found = t.provider.find("acme").await.unwrap().unwrap();
    assert_eq!(found, created);
    assert!(t.provider.find("nobody").await.unwrap().is_none());
    assert!(
        t.provider
            .find("not_an_auth0_name")
            .await
            .unwrap()
            .is_none()
    );

    let mut changed = got.clone();
    changed.display_name = Some("Renamed".into());
    changed.purpose.store_tokens = Some(true);
    let updated = t
        .provider
        .update(&id, &changed, &Policy::STRICT)
        .await
        .unwrap()
        .connection;
    assert_eq!(updated.display_name.as_deref(), Some("Renamed"));
    assert_eq!(updated.purpose.store_tokens, Some(true));
    assert_eq!(stored(&t, "acme")["connected_accounts"]["active"], true);

    t.provider.delete(&id).await.unwrap();
    assert!(matches!(
        t.provider.get(&id).await,
        Err(Error::NotFound { .. })
    ));
    // A second delete answers 204 "no longer exists".
    t.provider.delete(&id).await.unwrap();
    assert!(t.handle.connections().is_empty());
}

#[tokio::test]
async fn not_found_and_conflict() {
    let t = tenant().await;
    for id in ["con_0000000000000000", "not-an-id", "con_../../x"] {
        match t.provider.get(id).await {
            Err(Error::NotFound { vendor, what }) => {
                assert_eq!(vendor, Vendor::Auth0);
                assert!(what.contains(id), "{what}");
            }
            other => panic!("{id}: {other:?}"),
        }
    }
    let err = t
        .provider
        .update("con_0000000000000000", &oidc("x"), &Policy::STRICT)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::NotFound { .. }), "{err:?}");

    t.provider
        .create(&oidc("dup"), &Policy::STRICT)
        .await
        .unwrap();
    let err = t
        .provider
        .create(&oidc("dup"), &Policy::STRICT)
        .await
        .unwrap_err();
    match err {
        Error::Conflict { message, .. } => {
            assert_eq!(message, "A connection with the same name already exists")
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(t.handle.connections().len(), 1);
}

#[tokio::test]
async fn list_pages_past_several_pages() {
    let t = tenant().await;
    let provider = &t.provider;
    futures::future::try_join_all((0..130).map(|i| async move {
        provider
            .create(
                &Connection::new(format!("c{i:03}"), ConnectionKind::Oidc),
                &Policy::STRICT,
            )
            .await
    }))
    .await
    .unwrap();

    let first = provider.list(PageRequest::first()).await.unwrap();
    assert_eq!(
        first.items.len(),
        100,
        "the largest `take` Auth0 documents, by default"
    );
    assert!(first.next.is_some());
    let big = provider.list(PageRequest::with_size(500)).await.unwrap();
    assert_eq!(big.items.len(), 100, "clamped to the documented maximum");

    let all: Vec<Connection> = list_all(provider, Some(40)).try_collect().await.unwrap();
    assert_eq!(all.len(), 130);
    let names: HashSet<&str> = all.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names.len(), 130, "no duplicates across pages");
}

#[tokio::test]
async fn update_keeps_unmodelled_option_keys_and_the_secret() {
    let t = tenant().await;
    // Created by another tool, with options idconn does not model.
    let raw = t.sim.mint_token(ALL_CONNECTION_SCOPES);
    let response = reqwest::Client::new()
        .post(format!("{}/api/v2/connections", t.handle.base_url()))
        .bearer_auth(raw)
        .json(&json!({
            "name": "legacy",
            "strategy": "oidc",
            "display_name": "Legacy",
            "options": {
                "client_id": "old-client",
                "client_secret": "kept-secret",
                "scope": "openid",
                "type": "back_channel",
                "attribute_map": {"mapping_mode": "use_map", "attributes": {"nickname": "preferred_username"}},
                "send_back_channel_nonce": true,
                "decryption_hint": {"x": [1, 2, 3]}
            },
            "metadata": {"owner": "team-a"},
            "is_domain_connection": true
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let id = response.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();

    // The desired connection as another vendor or a file gives it: no extras, no secret.
    let mut desired = Connection::new("legacy", ConnectionKind::Oidc);
    desired.display_name = Some("Legacy".into());
    desired.settings = Settings::OAuth(OAuthSettings {
        client_id: Some("new-client".into()),
        scopes: vec!["openid".into(), "profile".into()],
        ..OAuthSettings::default()
    });
    let applied = t
        .provider
        .update(&id, &desired, &Policy::STRICT)
        .await
        .unwrap();
    assert!(applied.report.is_exact(), "{:?}", applied.report);

    let options = stored(&t, "legacy")["options"].clone();
    assert_eq!(options["client_id"], "new-client");
    assert_eq!(options["scope"], "openid profile");
    assert_eq!(options["client_secret"], "kept-secret");
    assert_eq!(options["type"], "back_channel");
    assert_eq!(
        options["attribute_map"],
        json!({"mapping_mode": "use_map", "attributes": {"nickname": "preferred_username"}})
    );
    assert_eq!(options["send_back_channel_nonce"], true);
    assert_eq!(options["decryption_hint"], json!({"x": [1, 2, 3]}));
    let row = stored(&t, "legacy");
    assert_eq!(
        row["metadata"],
        json!({"owner": "team-a"}),
        "untouched top-level fields kept"
    );
    assert_eq!(row["is_domain_connection"], true);
    assert_eq!(row["display_name"], "Legacy");

    // Omitting the display name sends the name explicitly (Auth0 would reset it anyway).
    desired.display_name = None;
    t.provider
        .update(&id, &desired, &Policy::STRICT)
        .await
        .unwrap();
    assert_eq!(stored(&t, "legacy")["display_name"], "legacy");
}

#[tokio::test]
async fn update_refuses_immutable_changes_and_hidden_options_without_writing() {
    let t = tenant().await;
    let created = t
        .provider
        .create(&oidc("fixed"), &Policy::STRICT)
        .await
        .unwrap()
        .connection;
    let id = created.id.clone().unwrap();
    let before = stored(&t, "fixed");

    let mut renamed = created.clone();
    renamed.name = "other-name".into();
    let err = t
        .provider
        .update(&id, &renamed, &Policy::STRICT)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::InvalidInput { field, .. } if field == "name"),
        "{err:?}"
    );

    let mut rekinded = created.clone();
    rekinded.kind = ConnectionKind::OAuth2;
    let err = t
        .provider
        .update(&id, &rekinded, &Policy::STRICT)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::InvalidInput { field, .. } if field == "kind"),
        "{err:?}"
    );

    let mut linked = created.clone();
    linked.purpose.link = Some(false);
    let err = t
        .provider
        .update(&id, &linked, &Policy::STRICT)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Unrepresentable { .. }), "{err:?}");

    // Without read:connections_options the options are hidden: refuse rather than wipe them.
    let blind = with_token(
        &t,
        &[
            "read:connections",
            "update:connections",
            "update:connections_options",
        ],
    );
    let err = blind
        .update(&id, &created, &Policy::STRICT)
        .await
        .unwrap_err();
    match err {
        Error::Forbidden { missing_scope, .. } => {
            assert_eq!(missing_scope.as_deref(), Some("read:connections_options"))
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(stored(&t, "fixed"), before, "nothing was written");
}

#[tokio::test]
async fn strict_policy_sends_nothing() {
    let t = tenant().await;
    let mut c = oidc("acme_corp.sso");
    c.enabled = Some(true);
    let err = t.provider.create(&c, &Policy::STRICT).await.unwrap_err();
    assert!(matches!(err, Error::Unrepresentable { .. }), "{err:?}");
    assert_eq!(
        FaultCounts::get(&t.handle.counts().requests),
        0,
        "no request at all"
    );
    let applied = t.provider.create(&c, &Policy::LENIENT).await.unwrap();
    assert_eq!(applied.connection.name, "acme-corp-sso");
    assert_eq!(applied.report.losses.len(), 2);
    assert!(t.provider.find("acme-corp-sso").await.unwrap().is_some());
}

#[tokio::test]
async fn secrets_stay_out_of_debug_errors_and_printable_payloads() {
    let t = tenant().await;
    let applied = t
        .provider
        .create(&oidc("secretive"), &Policy::STRICT)
        .await
        .unwrap();
    let shown = format!("{:?} {:?}", applied.connection, t.provider);
    assert!(!shown.contains("upstream-secret"), "{shown}");
    assert!(!shown.contains(idconn_sim::auth0::DEFAULT_CLIENT_SECRET));
    let serialized = serde_json::to_string(&applied.connection).unwrap();
    assert!(!serialized.contains("upstream-secret"));
    let translation = t.provider.translate(&oidc("x"), &Policy::STRICT).unwrap();
    assert!(!translation.payload.to_string().contains("upstream-secret"));
    assert!(
        !applied
            .connection
            .extras_for(Vendor::Auth0)
            .values()
            .any(|v| v.to_string().contains("upstream-secret")),
        "never in extras"
    );
    assert_eq!(
        stored(&t, "secretive")["options"]["client_secret"],
        "upstream-secret"
    );
}

#[tokio::test]
async fn vendor_errors_are_mapped() {
    let t = tenant().await;
    let read_only = with_token(&t, &["read:connections"]);
    match read_only.create(&oidc("x"), &Policy::STRICT).await {
        Err(Error::Forbidden { missing_scope, .. }) => {
            assert_eq!(missing_scope.as_deref(), Some("create:connections"))
        }
        other => panic!("{other:?}"),
    }
    let wrong = Auth0Builder::new()
        .with_domain(t.sim.domain())
        .with_credentials(Credentials::client(
            idconn_sim::auth0::DEFAULT_CLIENT_ID,
            "wrong",
        ))
        .with_base_url(t.handle.base_url())
        .build()
        .unwrap();
    let err = wrong.list(PageRequest::first()).await.unwrap_err();
    assert!(matches!(err, Error::Unauthorized { .. }), "{err:?}");
    assert!(
        !err.to_string().contains("wrong"),
        "no secret in errors: {err}"
    );

    let other_domain = Auth0Builder::new()
        .with_domain("other.auth0.test")
        .with_credentials(Credentials::client(
            idconn_sim::auth0::DEFAULT_CLIENT_ID,
            idconn_sim::auth0::DEFAULT_CLIENT_SECRET,
        ))
        .with_base_url(t.handle.base_url())
        .build()
        .unwrap();
    let err = other_domain.list(PageRequest::first()).await.unwrap_err();
    assert!(
        matches!(err, Error::Forbidden { .. }),
        "audience checked: {err:?}"
    );
}

#[tokio::test]
async fn one_token_for_many_calls_and_a_refresh_after_401() {
    let t = tenant().await;
    t.provider
        .create(&oidc("tok"), &Policy::STRICT)
        .await
        .unwrap();
    let issued = t.sim.tokens_issued();
    let provider = &t.provider;
    futures::future::try_join_all((0..40).map(|_| provider.find("tok")))
        .await
        .unwrap();
    assert_eq!(t.sim.tokens_issued(), issued, "cached, single-flight");
    t.sim.revoke_tokens();
    assert!(
        provider.find("tok").await.unwrap().is_some(),
        "401 -> refresh -> retry"
    );
    assert_eq!(t.sim.tokens_issued(), issued + 1);
}

#[tokio::test]
async fn rate_limit_is_waited_out_without_failing() {
    let knobs = Knobs {
        rate_limit: Some(RateLimit {
            burst: 5,
            per_second: 40.0,
        }),
        ..Knobs::default()
    };
    let t = tenant_with(knobs).await;
    let provider = &t.provider;
    let started = std::time::Instant::now();
    futures::future::try_join_all((0..30).map(|i| async move {
        provider
            .create(
                &Connection::new(format!("r{i}"), ConnectionKind::Oidc),
                &Policy::STRICT,
            )
            .await
    }))
    .await
    .unwrap();
    let all: Vec<Connection> = list_all(provider, None).try_collect().await.unwrap();
    assert_eq!(all.len(), 30);
    eprintln!(
        "rate limit: {} requests, {} answered 429, {:?}",
        FaultCounts::get(&t.handle.counts().requests),
        FaultCounts::get(&t.handle.counts().rate_limited),
        started.elapsed()
    );
}

#[tokio::test]
async fn two_clients_with_half_the_tenants_limit_each_meet_no_429s() {
    // Two providers that know nothing of each other share one tenant's bucket (burst 10,
    // 20/s): each one's counts are spent by the other too, so the headers alone cannot keep
    // them inside it. With half the limit each as their own, neither meets a 429.
    let server: RateLimit = "10/20".parse().unwrap();
    let half: ClientRateLimit = "5/10".parse().unwrap();
    let t = tenant_with(Knobs {
        rate_limit: Some(server),
        ..Knobs::default()
    })
    .await;
    let paced = || {
        Auth0Builder::from_vars(&t.handle.env_vars())
            .with_rate_limit(half)
            .build()
            .unwrap()
    };
    let (first, second) = (paced(), paced());
    let create_all = |provider: &Auth0Provider, prefix: &'static str| {
        let provider = provider.clone();
        futures::stream::iter(0..12)
            .map(move |i| {
                let provider = provider.clone();
                async move {
                    let connection = Connection::new(format!("{prefix}{i}"), ConnectionKind::Oidc);
                    provider.create(&connection, &Policy::STRICT).await
                }
            })
            .buffer_unordered(8)
            .try_collect::<Vec<_>>()
    };
    tokio::try_join!(create_all(&first, "a"), create_all(&second, "b")).unwrap();
    assert_eq!(t.handle.connections().len(), 24);
    assert_eq!(
        FaultCounts::get(&t.handle.counts().rate_limited),
        0,
        "429s received"
    );
}

#[tokio::test]
async fn faults_are_retried_without_duplicates() {
    let knobs = Knobs {
        faults: Faults {
            error_before: 0.1,
            error_after: 0.15,
            drop_after: 0.1,
            rate_limited: 0.05,
            latency: Duration::ZERO,
        },
        seed: 7,
        ..Knobs::default()
    };
    let t = tenant_with(knobs).await;
    let provider = &t.provider;
    futures::future::try_join_all((0..40).map(|i| async move {
        let mut c = oidc(&format!("f{i}"));
        c.domains.clear();
        provider.create(&c, &Policy::STRICT).await
    }))
    .await
    .unwrap();
    let names: Vec<String> = t
        .handle
        .connections()
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names.len(), 40, "each connection exactly once");
    let counts = t.handle.counts();
    let injected = FaultCounts::get(&counts.errors_after) + FaultCounts::get(&counts.drops_after);
    assert!(injected > 0, "faults were injected");
}
