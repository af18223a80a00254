//! Golden mapping tests from GenAuth's own sample payloads (the seed `createExtIdpConn`),
//! both directions, and the loss rules around them.

use idconn_core::{
    ClientSecret, Connection, ConnectionKind, Error, Loss, Mode, OAuthSettings, OidcChannel,
    Policy, Purpose, SamlBinding, SamlDigestAlgorithm, SamlSettings, SamlSignatureAlgorithm,
    Settings, SocialProvider, Vendor, changed_fields, purpose_losses,
};
use idconn_genauth::mapping::{self, Intent};
use idconn_genauth::wire::{Conn, CreateConn};
use serde_json::{Value, json};

/// SPEC `x-authing-code-samples` of `createExtIdpConn` (the C# sample: `type.GITHUB`, fields
/// `{clientId, clientSecret}`), as the JSON the SDK sends.
fn seed_request() -> Value {
    json!({
        "extIdpId": "AUTHING_EXTIDPID",
        "type": "github",
        "identifier": "AUTHING_IDENTIFIER",
        "displayName": "AUTHING_DISPLAYNAME",
        "fields": {"clientId": "AUTHING_APPID", "clientSecret": "AUTHING_APPSECRET "},
        "loginOnly": false,
        "logo": "https://files.authing.co/authing-console/social-connections/icon_xiaochengxu@2x.png"
    })
}

/// SPEC `ExtIdpConnDetail` example (the `data` of the create answer), verbatim: its `type`
/// "default" is a doc-generator artefact (reference §4c/§7), kept to show how it reads.
fn seed_response() -> Value {
    json!({
        "id": "60b49eb83fd80adb96f26e68",
        "type": "default",
        "extIdpId": "6318061be13c0ce6a64093e5",
        "logo": "https://files.authing.co/authing-console/social-connections/icon_xiaochengxu@2x.png",
        "identifier": "60b49eb83fd80adb96f26e68",
        "displayName": "登录页",
        "loginOnly": true,
        "associationMode": "challenge",
        "challengeBindingMethods": ["email-password"]
    })
}

/// The seed as the model reads it. GenAuth's API answers spell a GitHub connection's client id
/// `clientID` (a console-created GitHub connection read back through the v2 API); the sample's
/// `clientId` is not that key, so it travels verbatim in extras rather than being renamed.
fn seed_connection() -> Connection {
    let mut c = Connection::new(
        "AUTHING_IDENTIFIER",
        ConnectionKind::Social(SocialProvider::GitHub),
    );
    c.display_name = Some("AUTHING_DISPLAYNAME".into());
    c.settings = Settings::OAuth(OAuthSettings {
        client_secret: ClientSecret::known("AUTHING_APPSECRET "),
        ..OAuthSettings::default()
    });
    c.purpose = Purpose {
        sign_in: Some(true),
        link: Some(true),
        store_tokens: None,
    };
    c.logo_url = Some(
        "https://files.authing.co/authing-console/social-connections/icon_xiaochengxu@2x.png"
            .into(),
    );
    let mut extras = serde_json::Map::new();
    extras.insert("extIdpId".into(), json!("AUTHING_EXTIDPID"));
    extras.insert("fields".into(), json!({"clientId": "AUTHING_APPID"}));
    c.extras.insert(Vendor::GenAuth, extras);
    c
}

/// `mapping::to_wire` with only its losses.
fn wire_and_losses(c: &Connection, intent: Intent) -> idconn_core::Result<(CreateConn, Vec<Loss>)> {
    mapping::to_wire(c, intent).map(|(body, report)| (body, report.losses))
}

#[test]
fn seed_request_reads_into_the_model() {
    let body: CreateConn = serde_json::from_value(seed_request()).unwrap();
    let read = mapping::readback(&body).unwrap();
    assert_eq!(read, seed_connection());
}

#[test]
fn model_writes_the_seed_request() {
    let (body, losses) = wire_and_losses(&seed_connection(), Intent::Create).unwrap();
    assert!(losses.is_empty(), "{losses:?}");
    assert_eq!(serde_json::to_value(&body).unwrap(), seed_request());
    // The printable payload masks the secret.
    let printed = mapping::printable(&body);
    assert_eq!(printed["fields"]["clientSecret"], "******");
    assert_eq!(printed["fields"]["clientId"], "AUTHING_APPID");
}

#[test]
fn seed_response_reads_into_the_model() {
    let conn: Conn = serde_json::from_value(seed_response()).unwrap();
    let read = mapping::from_wire(&conn).unwrap();
    assert_eq!(read.id.as_deref(), Some("60b49eb83fd80adb96f26e68"));
    assert_eq!(read.name, "60b49eb83fd80adb96f26e68");
    assert_eq!(read.display_name.as_deref(), Some("登录页"));
    assert_eq!(read.kind, ConnectionKind::Custom("default".into()));
    assert_eq!(
        read.settings,
        Settings::None,
        "create answers carry no fields"
    );
    assert_eq!(
        read.purpose,
        Purpose {
            sign_in: Some(true),
            link: Some(false),
            store_tokens: None
        },
        "loginOnly true: sign-in only, no linking"
    );
    assert_eq!(
        read.logo_url.as_deref(),
        Some("https://files.authing.co/authing-console/social-connections/icon_xiaochengxu@2x.png")
    );
    assert_eq!(
        Value::Object(read.extras_for(Vendor::GenAuth)),
        json!({
            "extIdpId": "6318061be13c0ce6a64093e5",
            "associationMode": "challenge",
            "challengeBindingMethods": ["email-password"],
        })
    );
    // Written back: "default" is no GenAuth type, so it is refused before any request.
    let err = wire_and_losses(&read, Intent::Update).unwrap_err();
    assert!(matches!(err, Error::Unsupported { .. }), "{err}");
    // With a real type, an update keeps the read-only keys out of the body and reports
    // nothing; a create reports them, since a new connection starts with the defaults.
    let mut github = read.clone();
    github.kind = ConnectionKind::Social(SocialProvider::GitHub);
    let (body, losses) = wire_and_losses(&github, Intent::Update).unwrap();
    assert!(losses.is_empty(), "{losses:?}");
    assert_eq!(body.login_only, Some(true));
    assert_eq!(body.display_name, "登录页");
    assert_eq!(body.ext_idp_id, "6318061be13c0ce6a64093e5");
    let (_, losses) = wire_and_losses(&github, Intent::Create).unwrap();
    let fields: Vec<&str> = losses.iter().map(|l| l.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "extras.genauth.associationMode",
            "extras.genauth.challengeBindingMethods"
        ]
    );
}

/// SPEC `CreateExtIdpConnDto` example and the Go code sample use `type: "ad"` with
/// `{clientId, clientSecret}`: an AD connection has no OAuth settings in the model, so the
/// client id stays in extras and the secret is not kept (never in extras).
#[test]
fn ad_sample_keeps_unmapped_keys_in_extras_but_never_a_secret() {
    let conn: Conn = serde_json::from_value(json!({
        "id": "c1", "type": "ad", "extIdpId": "60b49eb83fd80adb96f26e68",
        "identifier": "60b49eb83fd80adb96f26e68", "displayName": "登录页", "loginOnly": false,
        "logo": "https://files.authing.co/authing-console/social-connections/icon_xiaochengxu@2x.png",
        "fields": {"clientId": "身份源上的 clientId", "clientSecret": "身份源上的 clientSecret", "bindPassword": "x"}
    }))
    .unwrap();
    let read = mapping::from_wire(&conn).unwrap();
    assert_eq!(read.kind, ConnectionKind::ActiveDirectory);
    assert_eq!(read.settings, Settings::None);
    let extras = Value::Object(read.extras_for(Vendor::GenAuth));
    assert_eq!(extras["fields"], json!({"clientId": "身份源上的 clientId"}));
    assert!(!extras.to_string().contains("身份源上的 clientSecret"));
    assert!(!extras.to_string().contains("\"x\""));
    // Their names stay, so that a copy to another tenant or vendor reports them lost.
    assert_eq!(
        extras["held_secrets"],
        json!(["fields.bindPassword", "fields.clientSecret"])
    );
    let (_, report) = mapping::translate(&read, &Policy::LENIENT, Intent::Create, None).unwrap();
    let lost: Vec<&str> = report
        .report
        .losses
        .iter()
        .map(|l| l.field.as_str())
        .collect();
    assert!(
        lost.contains(&"extras.genauth.fields.bindPassword"),
        "{lost:?}"
    );
    let (_, update) = mapping::translate(&read, &Policy::LENIENT, Intent::Update, None).unwrap();
    assert!(
        update.report.losses.is_empty(),
        "{:?}",
        update.report.losses
    );
}

#[test]
fn oauth_connection_type_is_oauth_and_unmapped_fields_travel() {
    let conn: Conn = serde_json::from_value(json!({
        "id": "c2", "type": "oauth", "extIdpId": "p", "identifier": "corp", "displayName": "Corp",
        "loginOnly": false, "logo": "",
        "fields": {"clientId": "id", "authorizationEndpoint": "https://corp.example/authorize", "scope": "openid"}
    }))
    .unwrap();
    let read = mapping::from_wire(&conn).unwrap();
    assert_eq!(read.kind, ConnectionKind::OAuth2);
    assert_eq!(read.logo_url, None, "\"\" is no logo");
    let (body, losses) = wire_and_losses(&read, Intent::Create).unwrap();
    assert!(losses.is_empty(), "{losses:?}");
    assert_eq!(body.kind, "oauth");
    assert_eq!(
        Value::Object(body.fields.clone()),
        json!({"clientId": "id", "authorizationEndpoint": "https://corp.example/authorize", "scope": "openid"})
    );
    assert!(changed_fields(&read, &mapping::readback(&body).unwrap()).is_empty());
}

/// Authing's OIDC and OAuth connection configs name endpoint URLs `authorizationEdpoint`,
/// `authEndPoint` and `tokenEndPoint`: they travel in extras like any unmapped field (core's
/// broader error-redaction predicate would have dropped them), while secrets never do.
#[test]
fn endpoint_fields_named_like_tokens_travel_but_secrets_do_not() {
    let conn: Conn = serde_json::from_value(json!({
        "id": "c3", "type": "oauth", "extIdpId": "p", "identifier": "corp", "displayName": "Corp",
        "loginOnly": false,
        "fields": {
            "clientId": "id",
            "clientSecret": "s3cret-value",
            "authorizationEdpoint": "https://corp.example/authorize",
            "authEndPoint": "https://corp.example/auth",
            "tokenEndPoint": "https://corp.example/token",
            "privateKey": "-----BEGIN PRIVATE KEY-----"
        }
    }))
    .unwrap();
    let read = mapping::from_wire(&conn).unwrap();
    let extras = Value::Object(read.extras_for(Vendor::GenAuth));
    // `authEndPoint` and `tokenEndPoint` are the OAuth 2.0 connection's endpoints in the model;
    // `authorizationEdpoint` is an OIDC key, kept verbatim on an OAuth 2.0 connection.
    assert_eq!(
        extras["fields"],
        json!({"authorizationEdpoint": "https://corp.example/authorize"})
    );
    let oauth = read.settings.oauth().unwrap();
    assert_eq!(
        oauth.authorization_url.as_deref(),
        Some("https://corp.example/auth")
    );
    assert_eq!(
        oauth.token_url.as_deref(),
        Some("https://corp.example/token")
    );
    assert!(!extras.to_string().contains("s3cret-value"));
    assert!(!extras.to_string().contains("PRIVATE KEY"));
}

#[test]
fn every_loss_is_reported_at_once_and_strict_refuses() {
    let mut c = Connection::new("acme sso", ConnectionKind::Oidc);
    c.display_name = Some("Acme".into());
    c.settings = Settings::OAuth(OAuthSettings {
        client_id: Some("id".into()),
        client_secret: ClientSecret::known("s"),
        scopes: vec!["openid".into(), "email".into()],
        issuer: Some("https://acme.example".into()),
        pkce: Some(true),
        ..OAuthSettings::default()
    });
    c.enabled = Some(true);
    c.show_on_login = Some(false);
    c.domains = vec!["acme.example".into()];
    c.purpose.store_tokens = Some(true);
    let (body, mut losses) = wire_and_losses(&c, Intent::Create).unwrap();
    let held = mapping::readback(&body).unwrap();
    losses.extend(purpose_losses(&c.purpose, &held.purpose, "GenAuth"));
    let mut fields: Vec<&str> = losses.iter().map(|l| l.field.as_str()).collect();
    fields.sort();
    assert_eq!(
        fields,
        [
            "domains",
            "enabled",
            "name",
            "purpose.store_tokens",
            "settings.pkce",
            "show_on_login"
        ]
    );
    // The issuer and scopes are carried, under keys GenAuth's login UI reads.
    assert_eq!(body.fields["issuerUrl"], "https://acme.example");
    assert_eq!(body.fields["scopes"], "openid email");
    assert_eq!(body.identifier, "acme-sso", "the one deterministic rewrite");
    assert!(losses.iter().all(|l| !l.widening));
    // No loss report carries a secret.
    assert!(!format!("{losses:?}").contains("\"s\""));
    let report = idconn_core::TranslationReport {
        vendor: Vendor::GenAuth,
        connection: c.name.clone(),
        losses,
        notes: Vec::new(),
    };
    let err = Policy::STRICT.enforce(&report).unwrap_err();
    match err {
        Error::Unrepresentable { losses, .. } => assert_eq!(losses.len(), 6),
        other => panic!("{other}"),
    }
    assert!(Policy::LENIENT.enforce(&report).is_ok());
    assert_eq!(Policy::LENIENT.mode, Mode::Lenient);
}

#[test]
fn purpose_follows_designs_table() {
    for (link, login_only) in [
        (Some(false), Some(true)),
        (Some(true), Some(false)),
        (None, None),
    ] {
        let mut c = Connection::new("p", ConnectionKind::Oidc);
        c.purpose.link = link;
        let (body, _) = wire_and_losses(&c, Intent::Create).unwrap();
        assert_eq!(body.login_only, login_only);
    }
    assert_eq!(
        mapping::purpose_of(true),
        Purpose {
            sign_in: Some(true),
            link: Some(false),
            store_tokens: None
        }
    );
    // ezto linkOnly: true (may not sign in) cannot be held: a widening, refused by every
    // policy unless allowed by name.
    let mut link_only = Connection::new("p", ConnectionKind::Oidc);
    link_only.purpose = Purpose {
        sign_in: Some(false),
        link: Some(true),
        store_tokens: None,
    };
    let (body, _) = wire_and_losses(&link_only, Intent::Create).unwrap();
    let held = mapping::readback(&body).unwrap();
    let losses = purpose_losses(&link_only.purpose, &held.purpose, "GenAuth");
    assert_eq!(losses.len(), 1);
    assert!(losses[0].widening && losses[0].field == "purpose.sign_in");
}

#[test]
fn local_rules_fail_before_any_request() {
    let mut c = Connection::new("x", ConnectionKind::Oidc);
    c.display_name = Some("  ".into());
    let err = wire_and_losses(&c, Intent::Create).unwrap_err();
    assert!(err.to_string().contains("display_name"), "{err}");
    let mut c = Connection::new("x", ConnectionKind::Oidc);
    c.logo_url = Some("http://cdn.example/logo.png".into());
    assert!(
        wire_and_losses(&c, Intent::Create)
            .unwrap_err()
            .to_string()
            .contains("logo_url")
    );
    let mut c = Connection::new("x", ConnectionKind::Saml);
    c.settings = Settings::OAuth(OAuthSettings::default());
    assert!(matches!(
        wire_and_losses(&c, Intent::Create).unwrap_err(),
        Error::InvalidInput { .. }
    ));
    let mut c = Connection::new("x", ConnectionKind::Oidc);
    c.extras.insert(
        Vendor::GenAuth,
        serde_json::Map::from_iter([("fields".to_string(), json!("a=b"))]),
    );
    assert!(
        wire_and_losses(&c, Intent::Create)
            .unwrap_err()
            .to_string()
            .contains("extras.genauth.fields")
    );
    let err = wire_and_losses(
        &Connection::new("x", ConnectionKind::Social(SocialProvider::Microsoft)),
        Intent::Create,
    )
    .unwrap_err();
    assert!(matches!(err, Error::Unsupported { .. }), "{err}");
}

/// A real self-signed certificate (P-256), base64 DER.
const CERT_B64: &str = "MIIBmTCCAT+gAwIBAgIUc/Iz9crkcQiFMypz86pPYp+6h/QwCgYIKoZIzj0EAwIwIjEgMB4GA1UEAwwXaWRjb25uLXRlc3QuZXhhbXBsZS5jb20wHhcNMjYxMTIyMTkzMDE2WhcNMzYxMTE5MTkzMDE2WjAiMSAwHgYDVQQDDBdpZGNvbm4tdGVzdC5leGFtcGxlLmNvbTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABNjvDRUkrm8uSeBOE8l0IGoLaa7zonWu1yPQtJ4yEN+xUGrhmbOHaEOb4UT5jUi3Orhes7yX3iPi/0k9ef7JhHujUzBRMB0GA1UdDgQWBBRZirnicpXnssJg/Qdq92NRRvmr+TAfBgNVHSMEGDAWgBRZirnicpXnssJg/Qdq92NRRvmr+TAPBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0gAMEUCIQDYUPUAIBayGKLRDxUjsnQeeJK+Lunh0JBPUFZAcdeeUAIgWYijFAmxHUEUTcrVbI7Si6lwMHOiPS9BdxT0NhyFm0M=";

/// A stored connection of `kind` with `fields`, as `get-ext-idp` lists it.
fn stored(kind: &str, fields: Value) -> Conn {
    serde_json::from_value(json!({
        "id": "c1", "type": kind, "extIdpId": "p1", "identifier": "corp",
        "displayName": "Corp", "loginOnly": false, "fields": fields
    }))
    .unwrap()
}

/// The model connection `stored(kind, ..)` reads as, with `settings` and the unread `fields`.
fn model(kind: ConnectionKind, settings: Settings, unread: Value) -> Connection {
    let mut c = Connection::new("corp", kind);
    c.id = Some("c1".into());
    c.display_name = Some("Corp".into());
    c.settings = settings;
    c.purpose = mapping::purpose_of(false);
    let mut extras = serde_json::Map::new();
    extras.insert("extIdpId".into(), json!("p1"));
    if unread != json!({}) {
        extras.insert("fields".into(), unread);
    }
    c.extras.insert(Vendor::GenAuth, extras);
    c
}

/// Both directions of one evidenced type: the stored `fields` read into `expected`, and
/// `expected` written back to the same `fields`, with exactly `notes` (the fields noted) and no
/// loss.
fn golden(kind: &str, fields: Value, expected: &Connection, notes: &[&str]) {
    let read = mapping::from_wire(&stored(kind, fields.clone())).unwrap();
    assert_eq!(&read, expected, "{kind}: read");
    let (body, report) = mapping::to_wire(expected, Intent::Update).unwrap();
    assert_eq!(Value::Object(body.fields), fields, "{kind}: written");
    assert!(report.losses.is_empty(), "{kind}: {:?}", report.losses);
    let mut noted: Vec<&str> = report.notes.iter().map(|n| n.field.as_str()).collect();
    noted.sort_unstable();
    assert_eq!(noted, notes, "{kind}: notes {:?}", report.notes);
    for note in &report.notes {
        assert!(note.reason.contains("GenAuth's login UI"), "{note}");
    }
}

#[test]
fn oidc_fields_both_ways() {
    let fields = json!({
        "issuerUrl": "https://idp.example.com",
        "clientId": "oidc-client",
        "clientSecret": "oidc-secret",
        "mode": "BACK_CHANNEL",
        "scopes": "openid profile email",
        "authorizationEdpoint": "https://idp.example.com/authorize",
        "responseType": "code"
    });
    let expected = model(
        ConnectionKind::Oidc,
        Settings::OAuth(OAuthSettings {
            client_id: Some("oidc-client".into()),
            client_secret: ClientSecret::known("oidc-secret"),
            scopes: vec!["openid".into(), "profile".into(), "email".into()],
            issuer: Some("https://idp.example.com".into()),
            authorization_url: Some("https://idp.example.com/authorize".into()),
            channel: Some(OidcChannel::BackChannel),
            ..OAuthSettings::default()
        }),
        json!({"responseType": "code"}),
    );
    golden(
        "oidc",
        fields,
        &expected,
        &[
            "settings.authorization_url",
            "settings.channel",
            "settings.client_id",
            "settings.client_secret",
            "settings.issuer",
            "settings.scopes",
        ],
    );
}

/// The front channel (GenAuth's login UI: `OIDCConnectionMode.FRONT_CHANNEL`, an ID token
/// posted back), with no client secret.
#[test]
fn oidc_front_channel_both_ways() {
    let fields = json!({
        "issuerUrl": "https://idp.example.com",
        "clientId": "front-client",
        "mode": "FRONT_CHANNEL",
        "responseType": "id_token"
    });
    let expected = model(
        ConnectionKind::Oidc,
        Settings::OAuth(OAuthSettings {
            client_id: Some("front-client".into()),
            issuer: Some("https://idp.example.com".into()),
            channel: Some(OidcChannel::FrontChannel),
            ..OAuthSettings::default()
        }),
        json!({"responseType": "id_token"}),
    );
    golden(
        "oidc",
        fields,
        &expected,
        &["settings.channel", "settings.client_id", "settings.issuer"],
    );
}

#[test]
fn oauth2_fields_both_ways() {
    let fields = json!({
        "authEndPoint": "https://oauth.example.com/authorize",
        "tokenEndPoint": "https://oauth.example.com/token",
        "scope": "read write",
        "clientId": "oauth-client",
        "clientSecret": "oauth-secret",
        "authUrlTemplate": "${authEndPoint}?client_id=${clientId}&scope=${scope}",
        "codeToTokenScript": "module.exports = async function codeToToken(code, connection) {}",
        "tokenToUserInfoScript": "module.exports = async function tokenToUserInfo(token) {}"
    });
    let expected = model(
        ConnectionKind::OAuth2,
        Settings::OAuth(OAuthSettings {
            client_id: Some("oauth-client".into()),
            client_secret: ClientSecret::known("oauth-secret"),
            scopes: vec!["read".into(), "write".into()],
            authorization_url: Some("https://oauth.example.com/authorize".into()),
            token_url: Some("https://oauth.example.com/token".into()),
            ..OAuthSettings::default()
        }),
        json!({
            "authUrlTemplate": "${authEndPoint}?client_id=${clientId}&scope=${scope}",
            "codeToTokenScript": "module.exports = async function codeToToken(code, connection) {}",
            "tokenToUserInfoScript": "module.exports = async function tokenToUserInfo(token) {}"
        }),
    );
    golden(
        "oauth",
        fields,
        &expected,
        &[
            "settings.authorization_url",
            "settings.client_id",
            "settings.client_secret",
            "settings.scopes",
            "settings.token_url",
        ],
    );
}

#[test]
fn saml_fields_both_ways() {
    let certificate = idconn_core::Certificate::parse(CERT_B64, "cert").unwrap();
    let fields = json!({
        "signInEndPoint": "https://idp.example.com/sso",
        "signOutEndPoint": "https://idp.example.com/slo",
        "samlIdpCert": certificate.to_pem(),
        "signSamlRequest": false,
        "signatureAlgorithm": "rsa-sha256",
        "digestAlgorithm": "sha256",
        "protocolBinding": "HTTP-Redirect"
    });
    let expected = model(
        ConnectionKind::Saml,
        Settings::Saml(SamlSettings {
            sign_in_url: Some("https://idp.example.com/sso".into()),
            sign_out_url: Some("https://idp.example.com/slo".into()),
            signing_certificates: vec![certificate],
            sign_requests: Some(false),
            request_signature_algorithm: Some(SamlSignatureAlgorithm::RsaSha256),
            request_digest_algorithm: Some(SamlDigestAlgorithm::Sha256),
            request_binding: Some(SamlBinding::HttpRedirect),
            ..SamlSettings::default()
        }),
        json!({}),
    );
    let notes = [
        "settings.request_binding",
        "settings.request_digest_algorithm",
        "settings.request_signature_algorithm",
        "settings.sign_in_url",
        "settings.sign_out_url",
        "settings.sign_requests",
        "settings.signing_certificates",
    ];
    golden("saml", fields, &expected, &notes);

    // The other values, spelled like the console's defaults.
    let fields = json!({
        "signInEndPoint": "https://idp.example.com/sso",
        "signatureAlgorithm": "rsa-sha1",
        "digestAlgorithm": "sha1",
        "protocolBinding": "HTTP-POST"
    });
    let expected = model(
        ConnectionKind::Saml,
        Settings::Saml(SamlSettings {
            sign_in_url: Some("https://idp.example.com/sso".into()),
            request_signature_algorithm: Some(SamlSignatureAlgorithm::RsaSha1),
            request_digest_algorithm: Some(SamlDigestAlgorithm::Sha1),
            request_binding: Some(SamlBinding::HttpPost),
            ..SamlSettings::default()
        }),
        json!({}),
    );
    golden(
        "saml",
        fields,
        &expected,
        &[
            "settings.request_binding",
            "settings.request_digest_algorithm",
            "settings.request_signature_algorithm",
            "settings.sign_in_url",
        ],
    );
}

/// The wire format of `mode` is the login UI's enum, but that of the SAML request settings is
/// not published: a value idconn does not write (a URI or URN form, another mode) is kept
/// verbatim in extras with a read note, and written back unchanged.
#[test]
fn unknown_mode_and_request_values_are_kept_verbatim_and_noted() {
    let fields = json!({
        "clientId": "c",
        "mode": "HYBRID"
    });
    let read = mapping::from_wire(&stored("oidc", fields.clone())).unwrap();
    assert_eq!(read.settings.oauth().unwrap().channel, None);
    let notes: Vec<String> = read.read_notes.iter().map(ToString::to_string).collect();
    assert_eq!(
        notes,
        [
            "fields.mode: kept as the vendor has it (`HYBRID` is not one of `FRONT_CHANNEL`, `BACK_CHANNEL`)"
        ]
    );
    let (body, report) = mapping::to_wire(&read, Intent::Update).unwrap();
    assert_eq!(Value::Object(body.fields), fields, "written back unchanged");
    assert!(report.losses.is_empty(), "{:?}", report.losses);

    let fields = json!({
        "signInEndPoint": "https://idp.example.com/sso",
        "signatureAlgorithm": "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
        "digestAlgorithm": 256,
        "protocolBinding": "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
    });
    let read = mapping::from_wire(&stored("saml", fields.clone())).unwrap();
    let s = read.settings.saml().unwrap();
    assert_eq!(
        (
            s.request_signature_algorithm,
            s.request_digest_algorithm,
            s.request_binding
        ),
        (None, None, None)
    );
    let noted: Vec<&str> = read.read_notes.iter().map(|n| n.field.as_str()).collect();
    assert_eq!(
        noted,
        [
            "fields.signatureAlgorithm",
            "fields.digestAlgorithm",
            "fields.protocolBinding"
        ]
    );
    assert_eq!(
        read.extras_for(Vendor::GenAuth)["fields"]["protocolBinding"],
        "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
    );
    let (body, _) = mapping::to_wire(&read, Intent::Update).unwrap();
    assert_eq!(Value::Object(body.fields), fields, "written back unchanged");

    // A value the model states replaces the unknown one.
    let mut desired = read.clone();
    if let Settings::Saml(s) = &mut desired.settings {
        s.request_binding = Some(SamlBinding::HttpRedirect);
    }
    let (body, _) = mapping::to_wire(&desired, Intent::Update).unwrap();
    assert_eq!(body.fields["protocolBinding"], "HTTP-Redirect");
}

/// What GenAuth has no known value for is a loss in words; a channel on a type without `mode`
/// likewise.
#[test]
fn request_settings_and_channels_genauth_lacks_are_losses() {
    let mut saml = Connection::new("s", ConnectionKind::Saml);
    saml.settings = Settings::Saml(SamlSettings {
        sign_in_url: Some("https://idp.example.com/sso".into()),
        request_signature_algorithm: Some(SamlSignatureAlgorithm::RsaSha512Mgf1),
        request_digest_algorithm: Some(SamlDigestAlgorithm::Sha512),
        ..SamlSettings::default()
    });
    let (body, report) = mapping::to_wire(&saml, Intent::Create).unwrap();
    let reasons: Vec<String> = report
        .losses
        .iter()
        .map(|l| format!("{} = {}: {}", l.field, l.source, l.reason))
        .collect();
    assert_eq!(
        reasons,
        [
            "settings.request_signature_algorithm = rsa-sha512-mgf1: GenAuth has no known value for this request signature algorithm of a SAML connection; idconn writes rsa-sha256, rsa-sha1 only, spelled like the console's documented default",
            "settings.request_digest_algorithm = sha512: GenAuth has no known value for this request digest algorithm of a SAML connection; idconn writes sha256, sha1 only, spelled like the console's documented default",
        ]
    );
    assert!(body.fields.get("signatureAlgorithm").is_none());
    assert!(body.fields.get("digestAlgorithm").is_none());

    let mut github = Connection::new("gh", ConnectionKind::Social(SocialProvider::GitHub));
    github.settings = Settings::OAuth(OAuthSettings {
        client_id: Some("gh".into()),
        channel: Some(OidcChannel::FrontChannel),
        ..OAuthSettings::default()
    });
    let (body, report) = mapping::to_wire(&github, Intent::Create).unwrap();
    assert!(body.fields.get("mode").is_none());
    assert_eq!(report.losses.len(), 1, "{:?}", report.losses);
    assert_eq!(report.losses[0].field, "settings.channel");
    assert_eq!(
        report.losses[0].reason,
        "GenAuth has no setting for the channel of a github connection"
    );
}

/// A stated channel writes `mode` (and keeps a `responseType` GenAuth holds in step); an
/// unstated one gets a mode only on create, never on update (fields merge, so the stored mode
/// stays), and the chosen mode is no part of what a plan compares.
#[test]
fn mode_follows_the_channel_and_is_chosen_only_for_new_connections() {
    let stored_back = stored(
        "oidc",
        json!({"clientId": "c", "clientSecret": "s", "mode": "BACK_CHANNEL", "responseType": "code"}),
    );
    let mut front = mapping::from_wire(&stored_back).unwrap();
    if let Settings::OAuth(s) = &mut front.settings {
        s.channel = Some(OidcChannel::FrontChannel);
    }
    let (body, report) = mapping::to_wire(&front, Intent::Update).unwrap();
    assert_eq!(body.fields["mode"], "FRONT_CHANNEL");
    assert_eq!(body.fields["responseType"], "id_token");
    let notes: Vec<&str> = report.notes.iter().map(|n| n.reason.as_str()).collect();
    assert!(
        notes.contains(&"`responseType` changed from `code` to `id_token`, in step with `mode`"),
        "{notes:?}"
    );

    // A desired connection from another vendor that states no channel.
    let mut unstated = Connection::new("corp", ConnectionKind::Oidc);
    unstated.settings = Settings::OAuth(OAuthSettings {
        client_id: Some("c".into()),
        client_secret: ClientSecret::known("s"),
        ..OAuthSettings::default()
    });
    let current = mapping::from_wire(&stored(
        "oidc",
        json!({"clientId": "c", "clientSecret": "s", "mode": "FRONT_CHANNEL"}),
    ))
    .unwrap();
    let merged = mapping::for_update(&current, &unstated).unwrap();
    let (body, _) = mapping::to_wire(&merged, Intent::Update).unwrap();
    assert!(
        body.fields.get("mode").is_none(),
        "the stored mode stays: {:?}",
        body.fields
    );
    let (body, report) = mapping::to_wire(&unstated, Intent::Create).unwrap();
    assert_eq!(body.fields["mode"], "BACK_CHANNEL", "chosen for a new one");
    assert!(report.notes.iter().any(|n| n.field == "settings"));
    let (_, t) = mapping::translate(&unstated, &Policy::STRICT, Intent::Create, None).unwrap();
    assert_eq!(t.payload["fields"]["mode"], "BACK_CHANNEL");
    assert_eq!(
        t.connection.settings.oauth().unwrap().channel,
        None,
        "the chosen mode is not the source's"
    );
    let mut stated = unstated.clone();
    if let Settings::OAuth(s) = &mut stated.settings {
        s.channel = Some(OidcChannel::FrontChannel);
    }
    let (_, t) = mapping::translate(&stated, &Policy::STRICT, Intent::Create, None).unwrap();
    assert_eq!(t.payload["fields"]["mode"], "FRONT_CHANNEL");
    assert_eq!(
        t.connection.settings.oauth().unwrap().channel,
        Some(OidcChannel::FrontChannel)
    );
}

#[test]
fn azure_ad_fields_both_ways() {
    let fields = json!({
        "microsoftAzureAdDomain": "login.microsoftonline.com",
        "clientId": "azure-client",
        "emailVerifiedDefault": true,
        "syncUserProfileOnLogin": "true"
    });
    let expected = model(
        ConnectionKind::AzureAd,
        Settings::OAuth(OAuthSettings {
            client_id: Some("azure-client".into()),
            ..OAuthSettings::default()
        }),
        json!({
            "microsoftAzureAdDomain": "login.microsoftonline.com",
            "emailVerifiedDefault": true,
            "syncUserProfileOnLogin": "true"
        }),
    );
    golden("azure-ad", fields, &expected, &["settings.client_id"]);
}

/// The social family: `clientID` and `callbackURL` with GenAuth's capitals, GitHub's scopes as
/// an array; seen in GenAuth's API answers, so carried without a note.
#[test]
fn social_fields_both_ways() {
    let github = json!({
        "clientID": "gh-client",
        "clientSecret": "gh-secret",
        "callbackURL": "https://app.example.com/after-login",
        "scopes": ["read:user", "user:email"]
    });
    let expected = model(
        ConnectionKind::Social(SocialProvider::GitHub),
        Settings::OAuth(OAuthSettings {
            client_id: Some("gh-client".into()),
            client_secret: ClientSecret::known("gh-secret"),
            scopes: vec!["read:user".into(), "user:email".into()],
            ..OAuthSettings::default()
        }),
        json!({"callbackURL": "https://app.example.com/after-login"}),
    );
    golden("github", github, &expected, &[]);

    let wechat = json!({
        "clientID": "wx-app",
        "clientSecret": "wx-secret",
        "callbackURL": "https://app.example.com/wechat"
    });
    let expected = model(
        ConnectionKind::Custom("wechat:pc".into()),
        Settings::OAuth(OAuthSettings {
            client_id: Some("wx-app".into()),
            client_secret: ClientSecret::known("wx-secret"),
            ..OAuthSettings::default()
        }),
        json!({"callbackURL": "https://app.example.com/wechat"}),
    );
    golden("wechat:pc", wechat, &expected, &[]);
}

/// What GenAuth has no key for is a loss that says so in words; an issuer named only by its
/// discovery URL is carried; an OIDC connection gets GenAuth's `mode` with a note.
#[test]
fn unknown_keys_are_losses_in_words() {
    let mut c = Connection::new("corp", ConnectionKind::Oidc);
    c.settings = Settings::OAuth(OAuthSettings {
        client_id: Some("id".into()),
        client_secret: ClientSecret::known("s"),
        discovery_url: Some("https://idp.example.com/.well-known/openid-configuration".into()),
        token_url: Some("https://idp.example.com/token".into()),
        userinfo_url: Some("https://idp.example.com/userinfo".into()),
        jwks_url: Some("https://idp.example.com/jwks".into()),
        ..OAuthSettings::default()
    });
    let (body, report) = mapping::to_wire(&c, Intent::Create).unwrap();
    assert_eq!(body.fields["issuerUrl"], "https://idp.example.com");
    assert_eq!(body.fields["mode"], "BACK_CHANNEL");
    let reasons: Vec<String> = report
        .losses
        .iter()
        .map(|l| format!("{}: {}", l.field, l.reason))
        .collect();
    assert_eq!(
        reasons,
        [
            "settings.token_url: GenAuth has no setting for the token endpoint of an OIDC connection",
            "settings.userinfo_url: GenAuth has no setting for the userinfo endpoint of an OIDC connection",
            "settings.jwks_url: GenAuth has no setting for the JWKS endpoint of an OIDC connection",
        ]
    );
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.field == "settings.discovery_url")
    );

    // A Google connection's keys are not evidenced: its client settings are losses.
    let mut google = Connection::new("g", ConnectionKind::Social(SocialProvider::Google));
    google.settings = Settings::OAuth(OAuthSettings {
        client_id: Some("id".into()),
        ..OAuthSettings::default()
    });
    let (body, report) = mapping::to_wire(&google, Intent::Create).unwrap();
    assert!(body.fields.is_empty());
    assert_eq!(
        report.losses[0].reason,
        "GenAuth has no setting for the client id of a google connection"
    );

    // SAML entity ids and NameID format have no key either.
    let mut saml = Connection::new("s", ConnectionKind::Saml);
    saml.settings = Settings::Saml(idconn_core::SamlSettings {
        idp_entity_id: Some("urn:idp".into()),
        ..idconn_core::SamlSettings::default()
    });
    let (_, report) = mapping::to_wire(&saml, Intent::Create).unwrap();
    assert_eq!(
        report.losses[0].reason,
        "GenAuth has no setting for the identity provider's entity id of a SAML connection"
    );
}
