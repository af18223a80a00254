//! Auth0 -> GenAuth and ezto -> GenAuth migrations of OIDC (a back channel chosen from the
//! client secret, a stated front channel, and Keycloak's back channel), OAuth 2.0, SAML (with
//! its request signature algorithm, digest and binding) and two social connections (GitHub,
//! whose keys GenAuth's API shows, and Google, whose keys nobody has seen): every key GenAuth is
//! known to read lands in the stored `fields` with GenAuth's exact spelling and value, each key
//! known only from GenAuth's login UI is a note, and every setting GenAuth has no known key for
//! is a loss. The notes and losses are compared by field, as sets, so that a new silent drop or
//! an invented key fails the test.

mod support;

use std::collections::BTreeMap;

use idconn::{
    AnyProvider, Certificate, ClientSecret, Connection, ConnectionKind, IdentityConnectionProvider,
    MigrateOptions, OAuthSettings, OidcChannel, Outcome, Policy, SamlBinding, SamlDigestAlgorithm,
    SamlSettings, SamlSignatureAlgorithm, Secrets, Settings, SocialProvider, Vendor, migrate,
};
use idconn_sim::ezto::EztoSim;
use idconn_sim::{Knobs, Sim, SimHandle};
use serde_json::{Value, json};
use support::reports::{outcome, sorted};
use support::sims::{CERT_B64, provider, start};

/// One source connection and what GenAuth must hold and report for it.
struct Case {
    connection: Connection,
    /// GenAuth's stored `type`.
    genauth_type: &'static str,
    /// GenAuth's stored `fields`, whole: no key more, none less.
    fields: Value,
    /// The fields the migration notes (a key known from GenAuth's login UI, not its API).
    notes: Vec<&'static str>,
    /// The fields the migration reports lost.
    losses: Vec<&'static str>,
}

const IDP: &str = "https://idp.example.com";
const OAUTH: &str = "https://oauth.example.com";
const SAML_IDP: &str = "https://saml.example.com";

fn oauth(kind: ConnectionKind, name: &str, settings: OAuthSettings) -> Connection {
    let mut c = Connection::new(name, kind);
    c.display_name = Some(format!("{name} (migrated)"));
    c.settings = Settings::OAuth(settings);
    c
}

/// The secret of the connection named `name`: recognisable, and given to the migration for
/// sources that mask secrets (ezto).
fn secret_of(name: &str) -> String {
    format!("{name}-secret")
}

/// The PEM form GenAuth's `samlIdpCert` is written in.
fn cert_pem() -> String {
    Certificate::parse(CERT_B64, "cert").unwrap().to_pem()
}

/// OIDC with an issuer, every endpoint, scopes and PKCE. GenAuth holds the issuer
/// (`issuerUrl`), the authorization endpoint (`authorizationEdpoint`, GenAuth's spelling),
/// the scopes as one space-separated `scopes` string and the flow (`mode`), all from its login
/// UI; it has no key for the token, userinfo or JWKS endpoints, nor for PKCE.
fn oidc_case(discovery: bool) -> Case {
    let name = "corp-oidc";
    let connection = oauth(
        ConnectionKind::Oidc,
        name,
        OAuthSettings {
            client_id: Some("oidc-client".into()),
            client_secret: ClientSecret::known(secret_of(name)),
            scopes: vec!["openid".into(), "profile".into(), "email".into()],
            issuer: Some(IDP.into()),
            // The issuer's own discovery document: GenAuth discovers from the issuer, so this
            // is carried by `issuerUrl` and is no loss.
            discovery_url: discovery.then(|| format!("{IDP}/.well-known/openid-configuration")),
            authorization_url: Some(format!("{IDP}/authorize")),
            token_url: Some(format!("{IDP}/token")),
            userinfo_url: Some(format!("{IDP}/userinfo")),
            jwks_url: Some(format!("{IDP}/jwks")),
            pkce: Some(true),
            ..OAuthSettings::default()
        },
    );
    Case {
        connection,
        genauth_type: "oidc",
        fields: json!({
            "clientId": "oidc-client",
            "clientSecret": secret_of(name),
            "issuerUrl": IDP,
            "authorizationEdpoint": format!("{IDP}/authorize"),
            "scopes": "openid profile email",
            // A client secret: the authorization code flow.
            "mode": "BACK_CHANNEL",
        }),
        notes: vec![
            "settings.client_id",
            "settings.client_secret",
            "settings.scopes",
            "settings.issuer",
            "settings.authorization_url",
            // `mode`, which no source has as such.
            "settings",
        ],
        losses: vec![
            "settings.token_url",
            "settings.userinfo_url",
            "settings.jwks_url",
            "settings.pkce",
        ],
    }
}

/// OIDC without a client secret: GenAuth's front-channel mode (an `id_token` posted back),
/// the only flow that needs no secret.
fn front_channel_oidc_case() -> Case {
    let name = "front-oidc";
    let connection = oauth(
        ConnectionKind::Oidc,
        name,
        OAuthSettings {
            client_id: Some("front-client".into()),
            scopes: vec!["openid".into()],
            issuer: Some(IDP.into()),
            authorization_url: Some(format!("{IDP}/authorize")),
            ..OAuthSettings::default()
        },
    );
    Case {
        connection,
        genauth_type: "oidc",
        fields: json!({
            "clientId": "front-client",
            "issuerUrl": IDP,
            "authorizationEdpoint": format!("{IDP}/authorize"),
            "scopes": "openid",
            "mode": "FRONT_CHANNEL",
        }),
        notes: vec![
            "settings.client_id",
            "settings.scopes",
            "settings.issuer",
            "settings.authorization_url",
            "settings",
        ],
        losses: vec![],
    }
}

/// OIDC with a client secret that states the front channel: GenAuth's `mode` follows the
/// channel, not the secret.
fn stated_front_channel_case() -> Case {
    let name = "stated-front-oidc";
    let connection = oauth(
        ConnectionKind::Oidc,
        name,
        OAuthSettings {
            client_id: Some("stated-client".into()),
            client_secret: ClientSecret::known(secret_of(name)),
            scopes: vec!["openid".into(), "email".into()],
            issuer: Some(IDP.into()),
            channel: Some(OidcChannel::FrontChannel),
            ..OAuthSettings::default()
        },
    );
    Case {
        connection,
        genauth_type: "oidc",
        fields: json!({
            "clientId": "stated-client",
            "clientSecret": secret_of(name),
            "issuerUrl": IDP,
            "scopes": "openid email",
            "mode": "FRONT_CHANNEL",
        }),
        notes: vec![
            "settings.client_id",
            "settings.client_secret",
            "settings.scopes",
            "settings.issuer",
            "settings.channel",
        ],
        losses: vec![],
    }
}

/// The case as a source that states its channel gives it (Keycloak: always the back channel,
/// the authorization code flow it runs): `mode` is that channel's, noted as carried.
fn with_stated_channel(mut case: Case, mode: &str) -> Case {
    case.fields["mode"] = json!(mode);
    case.notes.retain(|field| *field != "settings");
    case.notes.push("settings.channel");
    case
}

/// Generic OAuth 2.0: `authEndPoint`, `tokenEndPoint`, `scope` (singular, space-separated),
/// `clientId`, `clientSecret`, all from GenAuth's login UI and its auth-URL template macros.
/// GenAuth fetches the profile with a script, so a userinfo URL has no key.
fn oauth2_case(userinfo: bool) -> Case {
    let name = "corp-oauth";
    let connection = oauth(
        ConnectionKind::OAuth2,
        name,
        OAuthSettings {
            client_id: Some("oauth-client".into()),
            client_secret: ClientSecret::known(secret_of(name)),
            scopes: vec!["read".into(), "write".into()],
            authorization_url: Some(format!("{OAUTH}/authorize")),
            token_url: Some(format!("{OAUTH}/token")),
            userinfo_url: userinfo.then(|| format!("{OAUTH}/me")),
            ..OAuthSettings::default()
        },
    );
    Case {
        connection,
        genauth_type: "oauth",
        fields: json!({
            "clientId": "oauth-client",
            "clientSecret": secret_of(name),
            "authEndPoint": format!("{OAUTH}/authorize"),
            "tokenEndPoint": format!("{OAUTH}/token"),
            "scope": "read write",
        }),
        notes: vec![
            "settings.client_id",
            "settings.client_secret",
            "settings.scopes",
            "settings.authorization_url",
            "settings.token_url",
            // The auth-URL template and the two scripts GenAuth also asks for.
            "settings",
        ],
        losses: if userinfo {
            vec!["settings.userinfo_url"]
        } else {
            vec![]
        },
    }
}

/// SAML with a sign-in and sign-out URL, the identity provider's certificate and signed
/// requests by rsa-sha1 with a sha1 digest over HTTP-POST: `signInEndPoint`, `signOutEndPoint`,
/// `samlIdpCert`, `signSamlRequest`, `signatureAlgorithm`, `digestAlgorithm`,
/// `protocolBinding`, all from GenAuth's login UI (the last three spelled like its console's
/// defaults). GenAuth has no key for either entity id.
fn saml_case(idp_entity_id: bool) -> Case {
    let name = "corp-saml";
    let mut connection = Connection::new(name, ConnectionKind::Saml);
    connection.display_name = Some(format!("{name} (migrated)"));
    connection.settings = Settings::Saml(SamlSettings {
        sign_in_url: Some(format!("{SAML_IDP}/sso")),
        sign_out_url: Some(format!("{SAML_IDP}/slo")),
        signing_certificates: vec![Certificate::parse(CERT_B64, "cert").unwrap()],
        sign_requests: Some(true),
        idp_entity_id: idp_entity_id.then(|| format!("{SAML_IDP}/metadata")),
        sp_entity_id: Some("urn:idconn:corp-saml".into()),
        request_signature_algorithm: Some(SamlSignatureAlgorithm::RsaSha1),
        request_digest_algorithm: Some(SamlDigestAlgorithm::Sha1),
        request_binding: Some(SamlBinding::HttpPost),
        ..SamlSettings::default()
    });
    let mut losses = vec!["settings.sp_entity_id"];
    if idp_entity_id {
        losses.push("settings.idp_entity_id");
    }
    Case {
        connection,
        genauth_type: "saml",
        fields: json!({
            "signInEndPoint": format!("{SAML_IDP}/sso"),
            "signOutEndPoint": format!("{SAML_IDP}/slo"),
            "samlIdpCert": cert_pem(),
            "signSamlRequest": true,
            "signatureAlgorithm": "rsa-sha1",
            "digestAlgorithm": "sha1",
            "protocolBinding": "HTTP-POST",
        }),
        notes: vec![
            "settings.sign_in_url",
            "settings.sign_out_url",
            "settings.signing_certificates",
            "settings.sign_requests",
            "settings.request_signature_algorithm",
            "settings.request_digest_algorithm",
            "settings.request_binding",
        ],
        losses,
    }
}

/// A social connection to `provider` named after it, with a client and `scopes`.
fn social(provider: SocialProvider, scopes: &[&str]) -> Connection {
    let name = provider.as_str().to_string();
    oauth(
        ConnectionKind::Social(provider),
        &name,
        OAuthSettings {
            client_id: Some(format!("{name}-client")),
            client_secret: ClientSecret::known(secret_of(&name)),
            scopes: scopes.iter().map(|s| s.to_string()).collect(),
            ..OAuthSettings::default()
        },
    )
}

/// GitHub: `clientID`, `clientSecret` and `scopes` as an array, seen in GenAuth API payloads,
/// so carried without a note.
fn github_case() -> Case {
    Case {
        connection: social(SocialProvider::GitHub, &["read:user", "user:email"]),
        genauth_type: "github",
        fields: json!({
            "clientID": "github-client",
            "clientSecret": secret_of("github"),
            "scopes": ["read:user", "user:email"],
        }),
        notes: vec![],
        losses: vec![],
    }
}

/// Google: GenAuth's keys for it have never been seen (its guide shows labels only), so idconn
/// writes none and reports every setting lost rather than guessing GitHub's keys.
fn google_case() -> Case {
    Case {
        connection: social(SocialProvider::Google, &["email", "profile"]),
        genauth_type: "google",
        fields: json!({}),
        notes: vec![],
        losses: vec![
            "settings.client_id",
            "settings.client_secret",
            "settings.scopes",
        ],
    }
}

/// Creates every case's connection on `source`, strictly, so that the source is known to hold
/// each setting exactly; then migrates to a fresh GenAuth simulator (lenient: GenAuth loses
/// some) and checks what GenAuth stores and what the report says. `per_vendor` are the losses
/// every connection from this source has, whatever its kind.
async fn migrate_and_check(source: &AnyProvider, cases: &[Case], per_vendor: &[&str]) {
    for case in cases {
        let created = source
            .create(&case.connection, &Policy::STRICT)
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", case.connection.name));
        assert!(
            created.report.losses.is_empty(),
            "{:?}",
            created.report.losses
        );
    }
    let genauth_sim = start(Vendor::GenAuth, Knobs::default()).await;
    let genauth = provider(Vendor::GenAuth, &genauth_sim);
    let mut secrets = Secrets::new();
    // ezto shows secrets masked: the migration is given those the sources were created with.
    for case in cases {
        if let ClientSecret::Known(_) = case.connection.settings.client_secret() {
            let name = &case.connection.name;
            secrets.insert(name.clone(), secret_of(name));
        }
    }
    let options = MigrateOptions {
        policy: Policy::LENIENT,
        secrets,
        ..MigrateOptions::default()
    };
    let report = migrate(source, &genauth, &options).await.unwrap();
    assert_eq!(report.counts().created, cases.len(), "{report:?}");

    let stored: BTreeMap<String, Value> = genauth_sim
        .connections()
        .into_iter()
        .map(|c| (c["identifier"].as_str().unwrap().to_string(), c))
        .collect();
    for case in cases {
        let name = &case.connection.name;
        let held = &stored[name];
        assert_eq!(held["type"], case.genauth_type, "{name}");
        assert_eq!(held["fields"], case.fields, "{name}: {held:#}");
        let outcome = outcome(&report, name);
        assert!(
            matches!(outcome.outcome, Outcome::Created { .. }),
            "{name}: {:?}",
            outcome.outcome
        );
        assert_eq!(
            sorted(outcome.notes.iter().map(|n| n.field.as_str())),
            sorted(case.notes.iter().copied()),
            "{name}: notes {:#?}",
            outcome.notes
        );
        assert_eq!(
            sorted(outcome.losses.iter().map(|l| l.field.as_str())),
            sorted(case.losses.iter().chain(per_vendor).copied()),
            "{name}: losses {:#?}",
            outcome.losses
        );
        // A loss never shows a secret.
        for loss in &outcome.losses {
            assert!(!loss.source.contains("-secret"), "{loss}");
        }
    }

    // GenAuth reads back what it was given: a second run finds nothing to write.
    let again = migrate(source, &genauth, &options).await.unwrap();
    assert_eq!(again.counts().unchanged, cases.len(), "{again:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn auth0_connections_arrive_on_genauth_with_every_evidenced_key() {
    let auth0_sim = start(Vendor::Auth0, Knobs::default()).await;
    let auth0 = provider(Vendor::Auth0, &auth0_sim);
    // Auth0's SAML options have no identity-provider entity id, and its OAuth 2.0 strategy no
    // userinfo URL (a profile script fetches the profile), so those cases leave them out.
    let cases = [
        oidc_case(true),
        front_channel_oidc_case(),
        stated_front_channel_case(),
        oauth2_case(false),
        saml_case(false),
        github_case(),
        google_case(),
    ];
    // Auth0 states whether the upstream tokens are kept (`connected_accounts.active`, off);
    // GenAuth has no such switch.
    migrate_and_check(&auth0, &cases, &["purpose.store_tokens"]).await;
    assert_eq!(auth0_sim.connections().len(), cases.len());
}

#[tokio::test(flavor = "multi_thread")]
async fn ezto_connections_arrive_on_genauth_with_every_evidenced_key() {
    // An ezto workspace on a Keycloak that registers the generic OAuth 2.0 provider
    // (`oauth2`), so that it can hold an OAuth 2.0 connection as such rather than as OIDC.
    let ezto_sim: SimHandle = Sim::start(
        EztoSim::new().with_provider_id("oauth2"),
        Knobs::default(),
        0,
    )
    .await
    .unwrap();
    let ezto = provider(Vendor::Ezto, &ezto_sim);
    let mut oauth2 = oauth2_case(true);
    oauth2.connection.extras.insert(
        Vendor::Ezto,
        json!({ "providerId": "oauth2" })
            .as_object()
            .cloned()
            .unwrap(),
    );
    // Keycloak's OIDC provider records no discovery URL unless it imported one, so the OIDC
    // case states the endpoints alone. Keycloak runs every OIDC provider with the
    // authorization code flow: both arrive as the back channel, stated, whatever the secret.
    // (A front-channel connection cannot be created on ezto: tests/migrate_channels.rs.)
    let cases = [
        with_stated_channel(oidc_case(false), "BACK_CHANNEL"),
        with_stated_channel(front_channel_oidc_case(), "BACK_CHANNEL"),
        oauth2,
        saml_case(true),
        github_case(),
        google_case(),
    ];
    // Keycloak states whether tokens are stored (`storeToken`) and whether the provider is
    // hidden on the login page (`hideOnLogin`); GenAuth has neither switch.
    migrate_and_check(&ezto, &cases, &["purpose.store_tokens", "show_on_login"]).await;
    let held = ezto_sim.connections();
    let oauth2 = held.iter().find(|c| c["alias"] == "corp-oauth").unwrap();
    assert_eq!(oauth2["providerId"], "oauth2", "{oauth2:#}");
}
