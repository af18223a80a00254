//! Golden mapping tests from GenAuth's own sample payloads (the seed `createExtIdpConn`),
//! both directions, and the loss rules around them.

use idconn_core::{
    ClientSecret, Connection, ConnectionKind, Error, Mode, OAuthSettings, Policy, Purpose,
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

fn seed_connection() -> Connection {
    let mut c = Connection::new(
        "AUTHING_IDENTIFIER",
        ConnectionKind::Social(SocialProvider::GitHub),
    );
    c.display_name = Some("AUTHING_DISPLAYNAME".into());
    c.settings = Settings::OAuth(OAuthSettings {
        client_id: Some("AUTHING_APPID".into()),
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
    c.extras.insert(Vendor::GenAuth, extras);
    c
}

#[test]
fn seed_request_reads_into_the_model() {
    let body: CreateConn = serde_json::from_value(seed_request()).unwrap();
    let read = mapping::from_wire(&mapping::held(&body));
    assert_eq!(read, seed_connection());
}

#[test]
fn model_writes_the_seed_request() {
    let (body, losses) = mapping::to_wire(&seed_connection(), Intent::Create).unwrap();
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
    let read = mapping::from_wire(&conn);
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
    let err = mapping::to_wire(&read, Intent::Update).unwrap_err();
    assert!(matches!(err, Error::Unsupported { .. }), "{err}");
    // With a real type, an update keeps the read-only keys out of the body and reports
    // nothing; a create reports them, since a new connection starts with the defaults.
    let mut github = read.clone();
    github.kind = ConnectionKind::Social(SocialProvider::GitHub);
    let (body, losses) = mapping::to_wire(&github, Intent::Update).unwrap();
    assert!(losses.is_empty(), "{losses:?}");
    assert_eq!(body.login_only, Some(true));
    assert_eq!(body.display_name, "登录页");
    assert_eq!(body.ext_idp_id, "6318061be13c0ce6a64093e5");
    let (_, losses) = mapping::to_wire(&github, Intent::Create).unwrap();
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
    let read = mapping::from_wire(&conn);
    assert_eq!(read.kind, ConnectionKind::ActiveDirectory);
    assert_eq!(read.settings, Settings::None);
    let extras = Value::Object(read.extras_for(Vendor::GenAuth));
    assert_eq!(extras["fields"], json!({"clientId": "身份源上的 clientId"}));
    assert!(!extras.to_string().contains("身份源上的 clientSecret"));
    assert!(!extras.to_string().contains("bindPassword"));
}

#[test]
fn oauth_connection_type_is_oauth_and_unmapped_fields_travel() {
    let conn: Conn = serde_json::from_value(json!({
        "id": "c2", "type": "oauth", "extIdpId": "p", "identifier": "corp", "displayName": "Corp",
        "loginOnly": false, "logo": "",
        "fields": {"clientId": "id", "authorizationEndpoint": "https://corp.example/authorize", "scope": "openid"}
    }))
    .unwrap();
    let read = mapping::from_wire(&conn);
    assert_eq!(read.kind, ConnectionKind::OAuth2);
    assert_eq!(read.logo_url, None, "\"\" is no logo");
    let (body, losses) = mapping::to_wire(&read, Intent::Create).unwrap();
    assert!(losses.is_empty(), "{losses:?}");
    assert_eq!(body.kind, "oauth");
    assert_eq!(
        Value::Object(body.fields.clone()),
        json!({"clientId": "id", "authorizationEndpoint": "https://corp.example/authorize", "scope": "openid"})
    );
    assert!(changed_fields(&read, &mapping::from_wire(&mapping::held(&body))).is_empty());
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
    let read = mapping::from_wire(&conn);
    let extras = Value::Object(read.extras_for(Vendor::GenAuth));
    assert_eq!(
        extras["fields"],
        json!({
            "authorizationEdpoint": "https://corp.example/authorize",
            "authEndPoint": "https://corp.example/auth",
            "tokenEndPoint": "https://corp.example/token"
        })
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
    let (body, mut losses) = mapping::to_wire(&c, Intent::Create).unwrap();
    let held = mapping::from_wire(&mapping::held(&body));
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
            "settings.issuer",
            "settings.pkce",
            "settings.scopes",
            "show_on_login"
        ]
    );
    assert_eq!(body.identifier, "acme-sso", "the one deterministic rewrite");
    assert!(losses.iter().all(|l| !l.widening));
    // No loss report carries a secret.
    assert!(!format!("{losses:?}").contains("\"s\""));
    let report = idconn_core::TranslationReport {
        vendor: Vendor::GenAuth,
        connection: c.name.clone(),
        losses,
    };
    let err = Policy::STRICT.enforce(&report).unwrap_err();
    match err {
        Error::Unrepresentable { losses, .. } => assert_eq!(losses.len(), 8),
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
        let (body, _) = mapping::to_wire(&c, Intent::Create).unwrap();
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
    let (body, _) = mapping::to_wire(&link_only, Intent::Create).unwrap();
    let held = mapping::from_wire(&mapping::held(&body));
    let losses = purpose_losses(&link_only.purpose, &held.purpose, "GenAuth");
    assert_eq!(losses.len(), 1);
    assert!(losses[0].widening && losses[0].field == "purpose.sign_in");
}

#[test]
fn local_rules_fail_before_any_request() {
    let mut c = Connection::new("x", ConnectionKind::Oidc);
    c.display_name = Some("  ".into());
    let err = mapping::to_wire(&c, Intent::Create).unwrap_err();
    assert!(err.to_string().contains("display_name"), "{err}");
    let mut c = Connection::new("x", ConnectionKind::Oidc);
    c.logo_url = Some("http://cdn.example/logo.png".into());
    assert!(
        mapping::to_wire(&c, Intent::Create)
            .unwrap_err()
            .to_string()
            .contains("logo_url")
    );
    let mut c = Connection::new("x", ConnectionKind::Saml);
    c.settings = Settings::OAuth(OAuthSettings::default());
    assert!(matches!(
        mapping::to_wire(&c, Intent::Create).unwrap_err(),
        Error::InvalidInput { .. }
    ));
    let mut c = Connection::new("x", ConnectionKind::Oidc);
    c.extras.insert(
        Vendor::GenAuth,
        serde_json::Map::from_iter([("fields".to_string(), json!("a=b"))]),
    );
    assert!(
        mapping::to_wire(&c, Intent::Create)
            .unwrap_err()
            .to_string()
            .contains("extras.genauth.fields")
    );
    let err = mapping::to_wire(
        &Connection::new("x", ConnectionKind::Social(SocialProvider::Microsoft)),
        Intent::Create,
    )
    .unwrap_err();
    assert!(matches!(err, Error::Unsupported { .. }), "{err}");
}
