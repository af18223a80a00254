//! OIDC discovery and metadata fetches against servers on loopback: the upstream identity
//! provider of idconn-sim for the good cases, small hostile servers for the refusals.

use axum::Router;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use idconn_core::{Certificate, ClientAuthMethod, ClientSecret, ConnectionKind, Settings};
use idconn_onboard::{
    Discovery, FetchLimits, MetadataSource, OidcOptions, SamlOptions, onboard_oidc, onboard_saml,
    resolve_discovery,
};
use idconn_sim::upstream::UpstreamIdp;
use serde_json::json;

/// Serves `router` on 127.0.0.1 and returns its base URL.
async fn serve(router: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await });
    format!("http://{addr}")
}

/// A discovery document for `issuer` with endpoints under `base`.
fn document(issuer: &str, base: &str) -> serde_json::Value {
    json!({
        "issuer": issuer,
        "authorization_endpoint": format!("{base}/authorize"),
        "token_endpoint": format!("{base}/token"),
        "jwks_uri": format!("{base}/jwks"),
    })
}

/// A server whose discovery document is `make(base_url)`.
async fn discovery_server(make: impl Fn(&str) -> serde_json::Value + Send + 'static) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let body = make(&base).to_string();
    let router = Router::new().route(
        "/.well-known/openid-configuration",
        get(move || async move { ([(header::CONTENT_TYPE, "application/json")], body) }),
    );
    tokio::spawn(async move { axum::serve(listener, router).await });
    base
}

fn options() -> OidcOptions {
    OidcOptions::new("client-123", ClientSecret::known("s3cret"))
}

#[tokio::test]
async fn an_issuer_from_the_upstream_idp_becomes_an_oidc_connection() {
    let upstream = UpstreamIdp::start(0).await.unwrap();
    let issuer = upstream.issuer();
    let onboarded = onboard_oidc("customer-oidc", &issuer, &options())
        .await
        .unwrap();
    let connection = onboarded.connection;
    assert_eq!(connection.kind, ConnectionKind::Oidc);
    let Settings::OAuth(settings) = connection.settings else {
        panic!("not OAuth settings")
    };
    assert_eq!(settings.client_id.as_deref(), Some("client-123"));
    assert_eq!(settings.client_secret.expose(), Some("s3cret"));
    assert_eq!(settings.issuer.as_deref(), Some(issuer.as_str()));
    assert_eq!(
        settings.discovery_url.as_deref(),
        Some(upstream.discovery_url().as_str())
    );
    assert_eq!(
        settings.authorization_url,
        Some(format!("{issuer}/authorize"))
    );
    assert_eq!(settings.token_url, Some(format!("{issuer}/token")));
    assert_eq!(settings.userinfo_url, Some(format!("{issuer}/userinfo")));
    assert_eq!(settings.jwks_url, Some(format!("{issuer}/jwks")));
    // The upstream lists basic then post; post is preferred (every vendor can hold it).
    assert_eq!(
        settings.client_auth_method,
        Some(ClientAuthMethod::ClientSecretPost)
    );
    assert_eq!(settings.scopes, ["openid", "profile", "email"]);
    assert_eq!(settings.pkce, None);
    assert!(
        onboarded.report.warnings.is_empty(),
        "{:?}",
        onboarded.report.warnings
    );
    assert!(
        onboarded
            .report
            .notes
            .iter()
            .any(|n| n == "the IdP lists the scopes openid profile email offline_access")
    );

    // The discovery URL itself works too, and scopes the IdP does not list are warned about.
    let asked = options().scopes(["profile", "groups"]);
    let onboarded = onboard_oidc("customer-oidc", &upstream.discovery_url(), &asked)
        .await
        .unwrap();
    let settings = onboarded.connection.settings.oauth().unwrap().clone();
    assert_eq!(settings.scopes, ["openid", "profile", "groups"]);
    assert_eq!(
        onboarded.report.warnings,
        ["the IdP does not list the requested scope \"groups\" in scopes_supported"]
    );
}

#[tokio::test]
async fn saml_metadata_from_the_upstream_idp_url() {
    let upstream = UpstreamIdp::start(0).await.unwrap();
    let source = MetadataSource::from_arg(&upstream.saml_metadata_url());
    let onboarded = onboard_saml("customer-saml", &source, &SamlOptions::new())
        .await
        .unwrap();
    let settings = onboarded.connection.settings.saml().unwrap();
    assert_eq!(settings.idp_entity_id, Some(upstream.saml_entity_id()));
    assert_eq!(settings.sign_in_url, Some(upstream.saml_sign_in_url()));
    assert_eq!(settings.sign_out_url, Some(upstream.saml_sign_out_url()));
    let certificate = Certificate::from_der(upstream.certificate_der().to_vec(), "c").unwrap();
    assert_eq!(settings.signing_certificates, [certificate]);
    assert_eq!(
        settings.name_id_format.as_deref(),
        Some("urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress")
    );
    assert_eq!(settings.sign_requests, Some(false));
    assert!(
        onboarded.report.warnings.is_empty(),
        "{:?}",
        onboarded.report.warnings
    );
}

#[tokio::test]
async fn an_issuer_mismatch_is_refused() {
    let base = discovery_server(|base| document("https://evil.example", base)).await;
    let err = onboard_oidc("x", &base, &options())
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("\"https://evil.example\" is not the issuer asked for"),
        "{err}"
    );
    assert!(err.contains("section 4.3"), "{err}");
}

#[tokio::test]
async fn http_endpoints_are_refused() {
    let base = discovery_server(|base| {
        let mut doc = document(base, base);
        doc["token_endpoint"] = json!("http://idp.example.com/token");
        doc
    })
    .await;
    let err = onboard_oidc("x", &base, &options())
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("OpenID discovery document token_endpoint"),
        "{err}"
    );
    assert!(err.contains("an https URL is required"), "{err}");

    // And the issuer itself, before anything is fetched.
    let err = onboard_oidc("x", "http://idp.example.com", &options())
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("invalid OIDC issuer"), "{err}");
}

#[tokio::test]
async fn a_document_over_the_size_limit_is_refused() {
    let base = discovery_server(|base| {
        let mut doc = document(base, base);
        doc["claims_supported"] = json!(vec!["a-long-claim-name-repeated"; 20_000]);
        doc
    })
    .await;
    let err = onboard_oidc("x", &base, &options())
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("larger than the limit of 262144 bytes"),
        "{err}"
    );
    // A larger limit takes it.
    let roomy = options().limits(FetchLimits::discovery().with_max_bytes(4 * 1024 * 1024));
    assert!(onboard_oidc("x", &base, &roomy).await.is_ok());
}

#[tokio::test]
async fn a_redirect_to_another_host_is_refused_and_one_on_the_same_host_followed() {
    let upstream = UpstreamIdp::start(0).await.unwrap();
    // `localhost` and `127.0.0.1` are the same machine but not the same host.
    let elsewhere = upstream
        .saml_metadata_url()
        .replace("127.0.0.1", "localhost");
    let router = Router::new()
        .route(
            "/away",
            get(move || {
                let to = elsewhere.clone();
                async move { (StatusCode::FOUND, [(header::LOCATION, to)]).into_response() }
            }),
        )
        .route(
            "/moved",
            get(|| async {
                (
                    StatusCode::MOVED_PERMANENTLY,
                    [(header::LOCATION, "/metadata")],
                )
            }),
        )
        .route(
            "/metadata",
            get(|| async { include_str!("fixtures/okta.xml") }),
        );
    let base = serve(router).await;
    let away = MetadataSource::Url(format!("{base}/away"));
    let err = onboard_saml("x", &away, &SamlOptions::new())
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("refused a redirect to another host (localhost)"),
        "{err}"
    );

    let moved = MetadataSource::Url(format!("{base}/moved"));
    let onboarded = onboard_saml("x", &moved, &SamlOptions::new())
        .await
        .unwrap();
    assert_eq!(
        onboarded
            .connection
            .settings
            .saml()
            .unwrap()
            .idp_entity_id
            .as_deref(),
        Some("http://www.okta.com/exk1a2b3c4d5E6F7g8h9")
    );
}

#[tokio::test]
async fn an_error_status_names_the_url() {
    let base = serve(Router::new()).await;
    let err = onboard_saml(
        "x",
        &MetadataSource::Url(format!("{base}/nothing")),
        &SamlOptions::new(),
    )
    .await
    .unwrap_err()
    .to_string();
    assert!(err.contains(&format!("{base}/nothing")), "{err}");
    assert!(err.contains("HTTP 404"), "{err}");
}

#[tokio::test]
async fn resolution_fills_only_what_a_discovery_only_connection_lacks() {
    let upstream = UpstreamIdp::start(0).await.unwrap();
    let issuer = upstream.issuer();
    let mut connection = idconn_core::Connection::new("only-discovery", ConnectionKind::Oidc);
    connection.settings = Settings::OAuth(idconn_core::OAuthSettings {
        discovery_url: Some(upstream.discovery_url()),
        client_auth_method: Some(ClientAuthMethod::ClientSecretBasic),
        ..Default::default()
    });
    let report = resolve_discovery(&mut connection, &FetchLimits::discovery())
        .await
        .unwrap()
        .expect("resolved");
    let settings = connection.settings.oauth().unwrap();
    assert_eq!(settings.issuer.as_deref(), Some(issuer.as_str()));
    assert_eq!(
        settings.authorization_url,
        Some(format!("{issuer}/authorize"))
    );
    assert_eq!(settings.token_url, Some(format!("{issuer}/token")));
    assert_eq!(settings.jwks_url, Some(format!("{issuer}/jwks")));
    assert_eq!(
        settings.client_auth_method,
        Some(ClientAuthMethod::ClientSecretBasic)
    );
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.contains("endpoints resolved from"))
    );
    // Complete now: a second pass has nothing to do.
    let again = resolve_discovery(&mut connection, &FetchLimits::discovery())
        .await
        .unwrap();
    assert_eq!(again, None);
}

#[test]
fn an_omitted_auth_method_list_means_client_secret_basic() {
    let body = document("https://idp.example", "https://idp.example").to_string();
    let discovery = Discovery::from_json(
        "https://idp.example/",
        "https://idp.example/.well-known/openid-configuration",
        body.as_bytes(),
    )
    .unwrap();
    assert_eq!(
        discovery.default_client_auth_method(),
        Some(ClientAuthMethod::ClientSecretBasic)
    );
}
