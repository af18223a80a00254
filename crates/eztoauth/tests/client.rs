//! The ezto backend against the ezto simulator over real HTTP: CRUD, not found, conflict,
//! pagination past several pages, updates that keep what the model does not cover, secrets,
//! tokens, faults and rate limits.

use std::collections::HashSet;
use std::sync::atomic::Ordering;
use std::time::Duration;

use futures::{StreamExt, TryStreamExt};
use idconn_core::http::RetryConfig;
use idconn_core::{
    ClientSecret, Connection, ConnectionKind, Error, IdentityConnectionProvider, OAuthSettings,
    PageRequest, Policy, Settings, SocialProvider, Vendor, list_all,
};
use idconn_core::{DEFAULT_READ_CONCURRENCY, RateLimit as ClientRateLimit, list_all_complete};
use idconn_eztoauth::{Credentials, EztoBuilder, EztoProvider, KeycloakBuilder};
use idconn_sim::ezto::EztoSim;
use idconn_sim::{Faults, Knobs, RateLimit, Sim, SimHandle};
use serde_json::{Value, json};

async fn serve(sim: EztoSim, knobs: Knobs) -> (SimHandle, EztoProvider) {
    let handle = Sim::start(sim, knobs, 0).await.unwrap();
    let provider = EztoBuilder::from_vars(&handle.env_vars())
        .with_retry(RetryConfig::new(
            8,
            Duration::from_millis(20),
            Duration::from_secs(120),
        ))
        .build()
        .unwrap();
    (handle, provider)
}

async fn start() -> (SimHandle, EztoProvider) {
    serve(EztoSim::new(), Knobs::default()).await
}

fn oidc(name: &str) -> Connection {
    let mut connection = Connection::new(name, ConnectionKind::Oidc);
    connection.display_name = Some("Acme".into());
    connection.settings = Settings::OAuth(OAuthSettings {
        client_id: Some("acme-client".into()),
        client_secret: ClientSecret::known("s3cret"),
        scopes: vec!["openid".into(), "email".into()],
        authorization_url: Some("https://idp.acme.test/authorize".into()),
        token_url: Some("https://idp.acme.test/token".into()),
        ..OAuthSettings::default()
    });
    connection
}

fn stored(handle: &SimHandle, alias: &str) -> Value {
    handle
        .connections()
        .into_iter()
        .find(|c| c["alias"] == alias)
        .unwrap_or_else(|| panic!("{alias} is not stored"))
}

fn secret_of(connection: &Connection) -> &ClientSecret {
    connection.settings.client_secret()
}

#[tokio::test]
async fn create_get_find_and_delete() {
    let (handle, ezto) = start().await;
    let applied = ezto.create(&oidc("acme"), &Policy::STRICT).await.unwrap();
    assert!(applied.report.is_exact());
    let created = applied.connection;
    let id = created.id.clone().expect("internalId");
    assert_eq!(id.len(), 36);
    assert_eq!(created.name, "acme");
    assert_eq!(
        secret_of(&created),
        &ClientSecret::Masked,
        "read back masked"
    );
    assert_eq!(stored(&handle, "acme")["config"]["clientSecret"], "s3cret");
    assert_eq!(
        stored(&handle, "acme")["config"]["defaultScope"],
        "openid email"
    );

    // Connection.id (internalId) and the alias both address it.
    assert_eq!(ezto.get(&id).await.unwrap(), created);
    assert_eq!(ezto.get("acme").await.unwrap(), created);
    assert_eq!(ezto.find("acme").await.unwrap(), Some(created.clone()));
    assert_eq!(ezto.find("nosuch").await.unwrap(), None);
    assert_eq!(ezto.find("not an alias").await.unwrap(), None);

    ezto.delete(&id).await.unwrap();
    assert!(handle.connections().is_empty());
    assert!(matches!(ezto.get(&id).await, Err(Error::NotFound { .. })));
}

#[tokio::test]
async fn not_found_and_conflict_are_their_categories() {
    let (_handle, ezto) = start().await;
    match ezto.get("nosuch").await.unwrap_err() {
        Error::NotFound { what, .. } => assert!(what.contains("\"nosuch\""), "{what}"),
        other => panic!("{other}"),
    }
    assert!(matches!(
        ezto.delete("nosuch").await,
        Err(Error::NotFound { .. })
    ));
    assert!(matches!(
        ezto.update("nosuch", &oidc("nosuch"), &Policy::STRICT)
            .await,
        Err(Error::NotFound { .. })
    ));
    ezto.create(&oidc("acme"), &Policy::STRICT).await.unwrap();
    match ezto
        .create(&oidc("acme"), &Policy::STRICT)
        .await
        .unwrap_err()
    {
        Error::Conflict { message, .. } => {
            assert_eq!(message, "Identity Provider acme already exists")
        }
        other => panic!("{other}"),
    }
}

#[tokio::test]
async fn pages_past_one_hundred() {
    let (_handle, ezto) = start().await;
    let creates = (0..250).map(|i| {
        let ezto = ezto.clone();
        async move {
            let connection = Connection::new(
                format!("idp-{i:03}"),
                ConnectionKind::Social(SocialProvider::GitHub),
            );
            ezto.create(&connection, &Policy::STRICT).await.map(|_| ())
        }
    });
    futures::stream::iter(creates)
        .buffer_unordered(16)
        .try_collect::<Vec<_>>()
        .await
        .unwrap();

    let first = ezto.list(PageRequest::first()).await.unwrap();
    assert_eq!(first.items.len(), 100, "Keycloak's default page");
    assert_eq!(first.next.as_deref(), Some("100"));

    let all: Vec<Connection> = list_all(&ezto, None).try_collect().await.unwrap();
    assert_eq!(all.len(), 250);
    let names: HashSet<&str> = all.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names.len(), 250);

    let small: Vec<Connection> = list_all(&ezto, Some(40)).try_collect().await.unwrap();
    assert_eq!(small.len(), 250);
    let last = ezto
        .list(PageRequest {
            cursor: Some("240".into()),
            size: Some(40),
        })
        .await
        .unwrap();
    assert_eq!((last.items.len(), last.next), (10, None));
    assert!(matches!(
        ezto.list(PageRequest {
            cursor: Some("x".into()),
            size: None
        })
        .await,
        Err(Error::InvalidInput { .. })
    ));
}

/// Seeds a provider carrying fields the model does not cover, over raw HTTP.
async fn seed_rich(handle: &SimHandle) {
    seed_raw(
        handle,
        json!({
            "alias": "rich",
            "providerId": "keycloak-oidc",
            "displayName": "Rich",
            "trustEmail": true,
            "postBrokerLoginFlowAlias": "browser",
            "storeToken": true,
            "config": {
                "clientId": "rich-client",
                "clientSecret": "rich-secret",
                "authorizationUrl": "https://idp.rich.test/auth",
                "tokenUrl": "https://idp.rich.test/token",
                "guiOrder": "3",
                "syncMode": "FORCE"
            }
        }),
    )
    .await;
}

/// POSTs `body` with the simulator's own credentials, bypassing the backend.
async fn seed_raw(handle: &SimHandle, body: Value) {
    let http = reqwest::Client::new();
    let base = handle.base_url();
    let token: Value = http
        .post(format!(
            "{base}/auth/realms/idconn/protocol/openid-connect/token"
        ))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", "idconn-admin"),
            ("client_secret", "idconn-admin-secret"),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let response = http
        .post(format!(
            "{base}/auth/admin/realms/idconn/identity-provider/instances"
        ))
        .bearer_auth(token["access_token"].as_str().unwrap())
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
}

fn assert_rich_survived(handle: &SimHandle) {
    let rich = stored(handle, "rich");
    assert_eq!(rich["providerId"], "keycloak-oidc");
    assert_eq!(rich["trustEmail"], true);
    assert_eq!(rich["postBrokerLoginFlowAlias"], "browser");
    assert_eq!(rich["config"]["guiOrder"], "3");
    assert_eq!(rich["config"]["syncMode"], "FORCE");
    assert_eq!(rich["config"]["clientSecret"], "rich-secret");
}

#[tokio::test]
async fn update_keeps_a_masked_secret_and_unmodelled_fields() {
    let (handle, ezto) = start().await;
    seed_rich(&handle).await;
    let mut current = ezto.get("rich").await.unwrap();
    assert_eq!(secret_of(&current), &ClientSecret::Masked);
    current.display_name = Some("Richer".into());
    let applied = ezto
        .update(current.id.as_deref().unwrap(), &current, &Policy::STRICT)
        .await
        .unwrap();
    assert!(applied.report.is_exact(), "{:?}", applied.report);
    assert_eq!(applied.connection.display_name.as_deref(), Some("Richer"));
    assert_eq!(stored(&handle, "rich")["displayName"], "Richer");
    assert_rich_survived(&handle);
}

#[tokio::test]
async fn an_update_without_the_secret_does_not_wipe_it() {
    let (handle, ezto) = start().await;
    seed_rich(&handle).await;
    // A desired connection from elsewhere: no extras, no secret at all.
    let mut desired = Connection::new("rich", ConnectionKind::Oidc);
    desired.settings = Settings::OAuth(OAuthSettings {
        client_id: Some("new-client".into()),
        authorization_url: Some("https://idp.rich.test/auth".into()),
        token_url: Some("https://idp.rich.test/token".into()),
        ..OAuthSettings::default()
    });
    ezto.update("rich", &desired, &Policy::STRICT)
        .await
        .unwrap();
    assert_eq!(stored(&handle, "rich")["config"]["clientId"], "new-client");
    assert_rich_survived(&handle);

    // A known secret replaces it.
    if let Settings::OAuth(settings) = &mut desired.settings {
        settings.client_secret = ClientSecret::known("rotated");
    }
    ezto.update("rich", &desired, &Policy::STRICT)
        .await
        .unwrap();
    assert_eq!(stored(&handle, "rich")["config"]["clientSecret"], "rotated");
}

#[tokio::test]
async fn alias_and_kind_changes_are_refused_before_any_write() {
    let (handle, ezto) = start().await;
    seed_rich(&handle).await;
    let before = handle.connections();
    let renamed = Connection::new("renamed", ConnectionKind::Oidc);
    assert!(matches!(
        ezto.update("rich", &renamed, &Policy::STRICT).await,
        Err(Error::InvalidInput { field, .. }) if field == "name"
    ));
    let saml = Connection::new("rich", ConnectionKind::Saml);
    assert!(matches!(
        ezto.update("rich", &saml, &Policy::STRICT).await,
        Err(Error::InvalidInput { field, .. }) if field == "kind"
    ));
    assert_eq!(handle.connections(), before);
}

#[tokio::test]
async fn strict_refusals_send_nothing() {
    let (handle, ezto) = start().await;
    let bad_name = Connection::new("acme corp", ConnectionKind::Oidc);
    assert!(matches!(
        ezto.create(&bad_name, &Policy::STRICT).await,
        Err(Error::Unrepresentable { .. })
    ));
    assert_eq!(
        handle.counts().requests.load(Ordering::Relaxed),
        0,
        "not even a token request"
    );
    let applied = ezto.create(&bad_name, &Policy::LENIENT).await.unwrap();
    assert_eq!(applied.connection.name, "acme-corp");
    assert_eq!(applied.report.losses[0].field, "name");
    assert_eq!(
        ezto.find("acme-corp").await.unwrap().unwrap().name,
        "acme-corp"
    );
}

/// Keycloak stores every config value as a string and checks none: a value the model cannot
/// decode stays verbatim in extras, the read says why, and an update writes it back unchanged.
#[tokio::test]
async fn bad_config_values_from_the_server_are_kept_and_noted() {
    let (handle, ezto) = start().await;
    seed_raw(
        &handle,
        json!({"alias": "odd", "providerId": "oidc", "config": {"pkceEnabled": "sometimes", "clientId": "c"}}),
    )
    .await;
    let odd = ezto.get("odd").await.unwrap();
    assert_eq!(odd.read_notes.len(), 1, "{:?}", odd.read_notes);
    assert_eq!(odd.read_notes[0].field, "config.pkceEnabled");
    assert_eq!(
        odd.extras_for(Vendor::Ezto)["config"]["pkceEnabled"],
        "sometimes"
    );
    assert_eq!(
        odd.settings.oauth().unwrap().client_id.as_deref(),
        Some("c")
    );
    let mut renamed = odd.clone();
    renamed.display_name = Some("Odd".into());
    ezto.update("odd", &renamed, &Policy::LENIENT)
        .await
        .unwrap();
    assert_eq!(stored(&handle, "odd")["config"]["pkceEnabled"], "sometimes");
    assert_eq!(stored(&handle, "odd")["displayName"], "Odd");
}

#[tokio::test]
async fn tokens_static_refreshed_and_refused() {
    let sim = EztoSim::new().with_viewer_client("viewer", "viewer-secret");
    let (handle, ezto) = serve(sim.clone(), Knobs::default()).await;
    ezto.create(&oidc("acme"), &Policy::STRICT).await.unwrap();

    // Every token expires: the next call gets a 401, refreshes once and succeeds.
    sim.expire_tokens();
    assert_eq!(ezto.get("acme").await.unwrap().name, "acme");

    let host = handle.base_url();
    let with = |credentials| {
        EztoBuilder::new()
            .with_host(&host)
            .with_workspace("idconn")
            .with_api_prefix("/auth")
            .with_credentials(credentials)
            .build()
            .unwrap()
    };
    let wrong = with(Credentials::client("idconn-admin", "wrong"));
    match wrong.get("acme").await.unwrap_err() {
        Error::Unauthorized { message, .. } => {
            assert!(message.contains("Invalid client"), "{message}")
        }
        other => panic!("{other}"),
    }
    let viewer = with(Credentials::client("viewer", "viewer-secret"));
    assert_eq!(viewer.get("acme").await.unwrap().name, "acme");
    assert!(matches!(
        viewer.delete("acme").await,
        Err(Error::Forbidden { .. })
    ));

    let token: Value = reqwest::Client::new()
        .post(format!(
            "{host}/auth/realms/idconn/protocol/openid-connect/token"
        ))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", "idconn-admin"),
            ("client_secret", "idconn-admin-secret"),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let static_token = with(Credentials::token(token["access_token"].as_str().unwrap()));
    assert_eq!(static_token.get("acme").await.unwrap().name, "acme");
    sim.expire_tokens();
    assert!(matches!(
        static_token.get("acme").await,
        Err(Error::Unauthorized { .. })
    ));
}

#[tokio::test]
async fn plain_keycloak_without_a_prefix() {
    let (handle, ezto) = serve(
        EztoSim::new().with_prefix("").with_token_realm("master"),
        Knobs::default(),
    )
    .await;
    assert!(
        handle
            .env_vars()
            .iter()
            .any(|(k, v)| k == "EZTO_API_PREFIX" && v.is_empty())
    );
    ezto.create(&oidc("acme"), &Policy::STRICT).await.unwrap();
    let again = EztoProvider::from_vars(&handle.env_vars()).unwrap();
    assert_eq!(again.find("acme").await.unwrap().unwrap().name, "acme");
}

#[tokio::test]
async fn creates_under_faults_land_exactly_once() {
    let knobs = Knobs {
        faults: Faults {
            error_before: 0.1,
            error_after: 0.2,
            drop_after: 0.15,
            rate_limited: 0.0,
            latency: Duration::ZERO,
        },
        seed: 7,
        ..Knobs::default()
    };
    let (handle, ezto) = serve(EztoSim::new(), knobs).await;
    let creates = (0..30).map(|i| {
        let ezto = ezto.clone();
        async move {
            ezto.create(&oidc(&format!("f-{i:02}")), &Policy::STRICT)
                .await
                .map(|a| a.connection.name)
        }
    });
    let names: Vec<String> = futures::stream::iter(creates)
        .buffer_unordered(8)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(names.len(), 30);
    let stored: Vec<String> = handle
        .connections()
        .iter()
        .map(|c| c["alias"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(stored.len(), 30, "each exactly once");
    let counts = handle.counts();
    assert!(
        counts.errors_after.load(Ordering::Relaxed) + counts.drops_after.load(Ordering::Relaxed)
            > 0,
        "faults were injected"
    );

    // Deletes whose answers are lost still end with nothing left.
    let deletes = names.iter().map(|name| {
        let ezto = ezto.clone();
        async move { ezto.delete(name).await }
    });
    futures::stream::iter(deletes)
        .buffer_unordered(8)
        .try_collect::<Vec<_>>()
        .await
        .unwrap();
    assert!(handle.connections().is_empty());
}

#[tokio::test]
async fn rate_limits_are_waited_out() {
    let knobs = Knobs {
        rate_limit: Some(RateLimit {
            burst: 3,
            per_second: 20.0,
        }),
        ..Knobs::default()
    };
    let (handle, ezto) = serve(EztoSim::new(), knobs).await;
    // Keycloak's Retry-After is whole seconds, so each refusal costs at least one.
    for i in 0..6 {
        ezto.create(&oidc(&format!("r-{i}")), &Policy::STRICT)
            .await
            .unwrap();
    }
    assert_eq!(handle.connections().len(), 6);
    assert!(handle.counts().rate_limited.load(Ordering::Relaxed) > 0);
}

/// The server's limit as the simulator takes it and the client's own, from one text.
fn limits(text: &str) -> (RateLimit, ClientRateLimit) {
    (text.parse().unwrap(), text.parse().unwrap())
}

/// Creates `count` connections with two mappers each through `ezto`, then limits the server to
/// `limit` and exports them all (the provider's mappers read eight at a time) through `paced`,
/// which keeps the same limit itself: not one request is refused.
async fn export_paced(
    handle: &SimHandle,
    seeder: &dyn IdentityConnectionProvider,
    paced: &dyn IdentityConnectionProvider,
    limit: &str,
) {
    let count = 12;
    for i in 0..count {
        seeder
            .create(&mapped(&format!("paced-{i}")), &Policy::STRICT)
            .await
            .unwrap();
    }
    let (server, _) = limits(limit);
    handle.set_knobs(Knobs {
        rate_limit: Some(server),
        ..Knobs::default()
    });
    let exported: Vec<Connection> = list_all_complete(paced, None, DEFAULT_READ_CONCURRENCY)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(exported.len(), count);
    assert!(
        exported
            .iter()
            .all(|c| c.attribute_map.as_ref().is_some_and(|m| m.rules.len() == 2))
    );
    assert_eq!(
        handle.counts().rate_limited.load(Ordering::Relaxed),
        0,
        "429s received"
    );
}

#[tokio::test]
async fn an_export_paced_to_the_servers_limit_meets_no_429s() {
    // Keycloak sends no rate-limit counts: without a limit of its own, the client at
    // concurrency 8 meets 429s as soon as the burst of 5 is spent.
    let (handle, ezto) = start().await;
    let (_, client) = limits("5/20");
    let paced = EztoBuilder::from_vars(&handle.env_vars())
        .with_rate_limit(client)
        .build()
        .unwrap();
    export_paced(&handle, &ezto, &paced, "5/20").await;
}

#[tokio::test]
async fn a_keycloak_export_paced_by_its_variable_meets_no_429s() {
    let handle = Sim::start(EztoSim::keycloak(), Knobs::default(), 0)
        .await
        .unwrap();
    let mut vars = handle.env_vars();
    let keycloak = KeycloakBuilder::from_vars(&vars).build().unwrap();
    vars.push(("KEYCLOAK_RATE_LIMIT".into(), "5/20".into()));
    let paced = KeycloakBuilder::from_vars(&vars).build().unwrap();
    export_paced(&handle, &keycloak, &paced, "5/20").await;
}

fn mapped(name: &str) -> Connection {
    use idconn_core::{AttributeMap, MappingRule, MappingSource};
    let mut connection = oidc(name);
    connection.attribute_map = Some(AttributeMap {
        rules: vec![
            MappingRule::new(
                "email",
                MappingSource::Claim {
                    claim: "mail".into(),
                    from: None,
                },
            ),
            MappingRule::new("tier", MappingSource::Constant("gold".into())),
        ],
        ..AttributeMap::default()
    });
    connection
}

#[tokio::test]
async fn mappers_are_written_once_under_faults_and_listed_only_when_completed() {
    let knobs = Knobs {
        faults: Faults {
            error_before: 0.1,
            error_after: 0.2,
            drop_after: 0.15,
            rate_limited: 0.0,
            latency: Duration::ZERO,
        },
        seed: 11,
        ..Knobs::default()
    };
    let (handle, ezto) = serve(EztoSim::new(), knobs).await;
    for i in 0..10 {
        // A mapper create whose answer is lost is looked up by name before it is sent again;
        // a blind retry would be refused as a duplicate name and fail the create.
        let applied = ezto
            .create(&mapped(&format!("m-{i}")), &Policy::STRICT)
            .await
            .unwrap();
        assert_eq!(applied.connection.attribute_map, mapped("x").attribute_map);
    }
    assert!(handle.counts().drops_after.load(Ordering::Relaxed) > 0);
    let listed: Vec<Connection> = list_all(&ezto, None).try_collect().await.unwrap();
    assert!(listed.iter().all(|c| c.attribute_map.is_none()));
    let whole: Vec<Connection> = idconn_core::list_all_complete(&ezto, None, 4)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(whole.len(), 10);
    assert!(
        whole
            .iter()
            .all(|c| c.attribute_map == mapped("x").attribute_map)
    );
}

#[tokio::test]
async fn a_refused_mapper_is_named_in_the_error() {
    let (_handle, ezto) = start().await;
    let mut connection = mapped("named");
    let map = connection.attribute_map.as_mut().unwrap();
    map.kept.insert(
        idconn_core::Vendor::Ezto,
        json!({"odd one": {"identityProviderMapper": "no-such-mapper", "config": {}}})
            .as_object()
            .cloned()
            .unwrap(),
    );
    let error = ezto.create(&connection, &Policy::STRICT).await.unwrap_err();
    assert!(error.to_string().contains("mapper \"odd one\""), "{error}");
    // The provider and the mappers before the refused one are in place: a retry of the same
    // write after fixing the mapper completes it.
    connection.attribute_map.as_mut().unwrap().kept.clear();
    let found = ezto.find("named").await.unwrap().unwrap();
    let id = found.id.clone().unwrap();
    let applied = ezto
        .update(&id, &connection, &Policy::STRICT)
        .await
        .unwrap();
    assert_eq!(applied.connection.attribute_map, mapped("x").attribute_map);
}
