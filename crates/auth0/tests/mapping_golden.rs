//! Golden mapping tests, both directions, from the sample bodies of reference/auth0.md (§1.4
//! live create, §5 options per strategy) and the OAS `ConnectionOptions*` field names.

use idconn_auth0::mapping::{from_wire, printable, to_wire, translate, update_payload};
use idconn_auth0::wire;
use idconn_core::{
    Certificate, ClientAuthMethod, ClientSecret, Connection, ConnectionKind, Error, OAuthSettings,
    OidcChannel, Policy, Purpose, SamlBinding, SamlDigestAlgorithm, SamlSettings,
    SamlSignatureAlgorithm, Settings, SocialProvider, Vendor, changed_fields,
};
use serde_json::{Value, json};

fn wire_of(value: Value) -> wire::Connection {
    serde_json::from_value(value).unwrap()
}

fn extras(c: &Connection) -> Value {
    Value::Object(c.extras_for(Vendor::Auth0))
}

/// Serializes a create payload and the same-vendor write of a wire sample, for comparison
/// (`id`, `enabled_clients` and server-only fields are never sent).
fn create_json(c: &Connection) -> Value {
    let (payload, losses) = to_wire(c).unwrap();
    assert!(losses.is_empty(), "{losses:?}");
    serde_json::to_value(&payload).unwrap()
}

/// Each loss as `field = source: reason`.
fn reasons(losses: &[idconn_core::Loss]) -> Vec<String> {
    losses
        .iter()
        .map(|l| format!("{} = {}: {}", l.field, l.source, l.reason))
        .collect()
}

fn without(mut value: Value, keys: &[&str]) -> Value {
    for key in keys {
        value.as_object_mut().unwrap().remove(*key);
    }
    value
}

/// reference/auth0.md §1.4: the live 201 of `POST {"name":…,"strategy":"auth0"}` (TF-REC
/// TestAccDataSourceConnection.yaml), with its server-defaulted options.
#[test]
fn live_database_create_response() {
    let sample = json!({
        "id": "con_3x5DfGm8aMyGkHan",
        "name": "Acceptance-Test-Connection-1",
        "strategy": "auth0",
        "options": {"passwordPolicy": "good", "strategy_version": 2, "brute_force_protection": true},
        "is_domain_connection": false,
        "authentication": {"active": true},
        "connected_accounts": {"active": false},
        "enabled_clients": [],
        "realms": ["Acceptance-Test-Connection-1"]
    });
    let c = from_wire(&wire_of(sample.clone())).unwrap();
    assert_eq!(c.id.as_deref(), Some("con_3x5DfGm8aMyGkHan"));
    assert_eq!(c.kind, ConnectionKind::Custom("auth0".into()));
    assert_eq!(c.settings, Settings::None);
    assert_eq!(
        c.purpose,
        Purpose {
            sign_in: Some(true),
            link: None,
            store_tokens: Some(false)
        }
    );
    assert_eq!(c.enabled, None, "Auth0 keeps no enabled flag");
    assert!(
        c.domains.is_empty(),
        "the default realm [name] is not a domain"
    );
    assert_eq!(
        extras(&c),
        json!({
            "options": {"passwordPolicy": "good", "strategy_version": 2, "brute_force_protection": true},
            "is_domain_connection": false,
        })
    );
    // Back to the wire: the same request body a same-vendor copy would send.
    assert_eq!(
        create_json(&c),
        json!({
            "name": "Acceptance-Test-Connection-1",
            "strategy": "auth0",
            "options": {"passwordPolicy": "good", "strategy_version": 2, "brute_force_protection": true},
            "is_domain_connection": false,
            "authentication": {"active": true},
            "connected_accounts": {"active": false},
        })
    );
}

/// reference §5 `oidc` options (OAS ConnectionOptionsOIDC), as a GET with
/// read:connections_options returns them (client_secret in clear, §1.4).
fn oidc_sample() -> Value {
    json!({
        "id": "con_0000000000000001",
        "name": "acme-oidc",
        "display_name": "Acme SSO",
        "strategy": "oidc",
        "options": {
            "client_id": "acme-client",
            "client_secret": "acme-secret",
            "discovery_url": "https://idp.acme.example/.well-known/openid-configuration",
            "issuer": "https://idp.acme.example/",
            "jwks_uri": "https://idp.acme.example/jwks",
            "authorization_endpoint": "https://idp.acme.example/authorize",
            "token_endpoint": "https://idp.acme.example/token",
            "userinfo_endpoint": "https://idp.acme.example/userinfo",
            "type": "front_channel",
            "scope": "openid profile email",
            "token_endpoint_auth_method": "client_secret_post",
            "connection_settings": {"pkce": "S256"},
            "attribute_map": {"mapping_mode": "bind_all"},
            "oidc_metadata": {"issuer": "https://idp.acme.example/"},
            "domain_aliases": ["acme.example"],
            "icon_url": "https://cdn.acme.example/logo.png",
            "send_back_channel_nonce": true
        },
        "show_as_button": true,
        "realms": ["acme.example", "acme.test"],
        "metadata": {"team": "identity"},
        "is_domain_connection": false,
        "authentication": {"active": true},
        "connected_accounts": {"active": true, "cross_app_access": false},
        "enabled_clients": []
    })
}

#[test]
fn oidc_both_directions() {
    let c = from_wire(&wire_of(oidc_sample())).unwrap();
    assert_eq!(c.kind, ConnectionKind::Oidc);
    assert_eq!(c.display_name.as_deref(), Some("Acme SSO"));
    let Settings::OAuth(s) = &c.settings else {
        panic!("{:?}", c.settings)
    };
    assert_eq!(s.client_id.as_deref(), Some("acme-client"));
    assert_eq!(s.client_secret, ClientSecret::known("acme-secret"));
    assert_eq!(
        s.scopes,
        ["openid", "profile", "email"],
        "space-separated string"
    );
    assert_eq!(
        s.discovery_url.as_deref(),
        Some("https://idp.acme.example/.well-known/openid-configuration")
    );
    assert_eq!(
        s.authorization_url.as_deref(),
        Some("https://idp.acme.example/authorize")
    );
    assert_eq!(s.jwks_url.as_deref(), Some("https://idp.acme.example/jwks"));
    assert_eq!(
        s.client_auth_method,
        Some(ClientAuthMethod::ClientSecretPost)
    );
    assert_eq!(s.pkce, Some(true));
    assert_eq!(
        c.logo_url.as_deref(),
        Some("https://cdn.acme.example/logo.png")
    );
    assert_eq!(c.show_on_login, Some(true));
    assert_eq!(c.domains, ["acme.example", "acme.test"]);
    assert_eq!(c.purpose.store_tokens, Some(true));
    assert_eq!(s.channel, Some(OidcChannel::FrontChannel), "options.type");
    let e = extras(&c);
    assert!(
        e["options"].get("type").is_none(),
        "the channel is modelled"
    );
    // bind_all without attributes is what Auth0 stores for an oidc connection without a map.
    assert_eq!(c.attribute_map, None);
    assert!(e["options"].get("attribute_map").is_none());
    assert_eq!(e["options"]["domain_aliases"], json!(["acme.example"]));
    assert!(
        e["options"].get("client_secret").is_none(),
        "no secret in extras"
    );
    assert!(
        e["options"].get("connection_settings").is_none(),
        "pkce is modelled"
    );
    assert_eq!(e["metadata"], json!({"team": "identity"}));
    assert_eq!(e["connected_accounts"], json!({"cross_app_access": false}));
    assert!(!format!("{c:?}").contains("acme-secret"));

    // Same-vendor write: exactly the sample's writable fields, but the default mapping, which
    // the server fills in again when options have none.
    let mut expected = without(oidc_sample(), &["id", "enabled_clients"]);
    expected["options"]
        .as_object_mut()
        .unwrap()
        .remove("attribute_map");
    assert_eq!(create_json(&c), expected);
    // The printable payload masks the secret.
    let (payload, _) = to_wire(&c).unwrap();
    let shown = printable(&payload);
    assert_eq!(shown["options"]["client_secret"], "********");
    assert!(!shown.to_string().contains("acme-secret"));
}

#[test]
fn oidc_endpoints_come_from_discovery_metadata_when_absent() {
    let c = from_wire(&wire_of(json!({
        "name": "disco",
        "strategy": "oidc",
        "options": {
            "client_id": "x",
            "discovery_url": "https://idp.example/.well-known/openid-configuration",
            "oidc_metadata": {
                "issuer": "https://idp.example",
                "authorization_endpoint": "https://idp.example/auth",
                "token_endpoint": "https://idp.example/token",
                "userinfo_endpoint": "https://idp.example/me",
                "jwks_uri": "https://idp.example/keys"
            }
        }
    })))
    .unwrap();
    let s = c.settings.oauth().unwrap();
    assert_eq!(s.issuer.as_deref(), Some("https://idp.example"));
    assert_eq!(
        s.authorization_url.as_deref(),
        Some("https://idp.example/auth")
    );
    assert_eq!(s.token_url.as_deref(), Some("https://idp.example/token"));
    assert_eq!(s.userinfo_url.as_deref(), Some("https://idp.example/me"));
    assert_eq!(s.jwks_url.as_deref(), Some("https://idp.example/keys"));
}

#[test]
fn okta_reads_as_oidc_and_writes_back_as_okta() {
    let sample = json!({
        "name": "okta-corp",
        "strategy": "okta",
        "options": {"client_id": "0oa1", "client_secret": "s", "domain": "dev-123.okta.com", "scope": "openid email"}
    });
    let c = from_wire(&wire_of(sample.clone())).unwrap();
    assert_eq!(c.kind, ConnectionKind::Oidc);
    assert_eq!(extras(&c)["strategy"], "okta");
    assert_eq!(extras(&c)["options"], json!({"domain": "dev-123.okta.com"}));
    assert_eq!(create_json(&c), sample);
}

/// A tiny DER SEQUENCE stands in for a certificate: the model checks the outer structure.
const DER_B64: &str = "MAMCAQE=";

#[test]
fn saml_both_directions_with_base64_der_certificate() {
    let sample = json!({
        "name": "corp-saml",
        "strategy": "samlp",
        "options": {
            "signInEndpoint": "https://idp.corp.example/sso",
            "signOutEndpoint": "https://idp.corp.example/slo",
            "signingCert": DER_B64,
            "signSAMLRequest": true,
            "signatureAlgorithm": "rsa-sha256",
            "digestAlgorithm": "sha256",
            "protocolBinding": "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST",
            "entityId": "urn:auth0:tenant:corp-saml",
            "fieldsMap": {"email": "mail"},
            "thumbprints": ["0123456789abcdef0123456789abcdef01234567"],
            "icon_url": "https://corp.example/icon.png",
            "decryptionKey": {"key": "-----BEGIN PRIVATE KEY-----x", "cert": "y"}
        },
        "authentication": {"active": false}
    });
    let c = from_wire(&wire_of(sample.clone())).unwrap();
    assert_eq!(c.kind, ConnectionKind::Saml);
    let Settings::Saml(s) = &c.settings else {
        panic!("{:?}", c.settings)
    };
    assert_eq!(
        s.sign_in_url.as_deref(),
        Some("https://idp.corp.example/sso")
    );
    assert_eq!(
        s.sign_out_url.as_deref(),
        Some("https://idp.corp.example/slo")
    );
    assert_eq!(
        s.sp_entity_id.as_deref(),
        Some("urn:auth0:tenant:corp-saml")
    );
    assert_eq!(s.sign_requests, Some(true));
    assert_eq!(s.signing_certificates.len(), 1);
    assert_eq!(s.signing_certificates[0].to_base64_der(), DER_B64);
    assert_eq!(
        s.request_signature_algorithm,
        Some(SamlSignatureAlgorithm::RsaSha256)
    );
    assert_eq!(
        s.request_digest_algorithm,
        Some(SamlDigestAlgorithm::Sha256)
    );
    assert_eq!(s.request_binding, Some(SamlBinding::HttpPost));
    assert_eq!(c.purpose.sign_in, Some(false));
    let e = extras(&c);
    for modelled in ["signatureAlgorithm", "digestAlgorithm", "protocolBinding"] {
        assert!(e["options"].get(modelled).is_none(), "{modelled} in extras");
    }
    assert!(
        e["options"].get("decryptionKey").is_none(),
        "private key kept out of extras"
    );
    assert_eq!(
        e["options"]["thumbprints"],
        sample["options"]["thumbprints"]
    );
    // Written back: all but the private key, which only an update carries over from the server.
    let mut expected = sample.clone();
    expected["options"]
        .as_object_mut()
        .unwrap()
        .remove("decryptionKey");
    assert_eq!(create_json(&c), expected);
}

/// `options.type` both ways, with the values of the OAS (`ConnectionTypeEnumOIDC`:
/// `front_channel`, `back_channel`; `ConnectionTypeEnumOkta`: `back_channel` only).
#[test]
fn oidc_channel_both_directions() {
    for (wire, channel) in [
        ("front_channel", OidcChannel::FrontChannel),
        ("back_channel", OidcChannel::BackChannel),
    ] {
        let sample = json!({
            "name": "corp", "strategy": "oidc",
            "options": {"client_id": "id", "issuer": "https://idp.example", "type": wire}
        });
        let c = from_wire(&wire_of(sample.clone())).unwrap();
        assert_eq!(c.settings.oauth().unwrap().channel, Some(channel), "{wire}");
        assert!(c.read_notes.is_empty());
        assert_eq!(extras(&c), json!({}), "{wire}: nothing left unmodelled");
        assert_eq!(create_json(&c), sample, "{wire}");
    }

    // okta takes the back channel only: read and written as such, the front channel a loss.
    let okta = json!({
        "name": "okta-corp", "strategy": "okta",
        "options": {"client_id": "0oa1", "domain": "dev-1.okta.com", "type": "back_channel"}
    });
    let mut c = from_wire(&wire_of(okta.clone())).unwrap();
    assert_eq!(
        c.settings.oauth().unwrap().channel,
        Some(OidcChannel::BackChannel)
    );
    assert_eq!(create_json(&c), okta);
    if let Settings::OAuth(s) = &mut c.settings {
        s.channel = Some(OidcChannel::FrontChannel);
    }
    let (payload, losses) = to_wire(&c).unwrap();
    assert_eq!(losses.len(), 1, "{losses:?}");
    assert_eq!(losses[0].field, "settings.channel");
    assert_eq!(losses[0].source, "front_channel");
    assert_eq!(
        losses[0].reason,
        "Auth0 okta connections offer only back_channel for the channel"
    );
    assert!(
        payload.options.get("type").is_none(),
        "{:?}",
        payload.options
    );
    assert!(matches!(
        translate(&c, &Policy::STRICT),
        Err(Error::Unrepresentable { .. })
    ));

    // Only the OIDC strategies have a channel.
    let mut github = Connection::new("github", ConnectionKind::Social(SocialProvider::GitHub));
    github.settings = Settings::OAuth(OAuthSettings {
        client_id: Some("gh".into()),
        channel: Some(OidcChannel::BackChannel),
        ..OAuthSettings::default()
    });
    let t = translate(&github, &Policy::LENIENT).unwrap();
    assert_eq!(
        reasons(&t.report.losses),
        ["settings.channel = back_channel: Auth0 github connections have no such option"]
    );
    assert!(t.payload["options"].get("type").is_none());
}

/// A `type`, `signatureAlgorithm`, `digestAlgorithm` or `protocolBinding` the model has no name
/// for is kept verbatim with a read note, the connection still reads, and an update that states
/// nothing else writes it back unchanged; one that states a value replaces it.
#[test]
fn unknown_channel_and_algorithms_are_kept_verbatim_and_noted() {
    let oidc = json!({
        "name": "corp", "strategy": "oidc",
        "options": {"client_id": "id", "client_secret": "s", "type": "hybrid_channel"}
    });
    let c = from_wire(&wire_of(oidc.clone())).unwrap();
    assert_eq!(c.settings.oauth().unwrap().channel, None);
    assert_eq!(extras(&c)["options"]["type"], "hybrid_channel");
    let notes: Vec<String> = c.read_notes.iter().map(ToString::to_string).collect();
    assert_eq!(
        notes,
        [
            "options.type: kept as the vendor has it (`hybrid_channel` is not one of `front_channel`, `back_channel`)"
        ]
    );
    assert_eq!(create_json(&c)["options"]["type"], "hybrid_channel");

    // An update from a document that states no channel keeps the server's value...
    let current = wire_of(oidc);
    let mut desired = c.clone();
    desired.extras.clear();
    let (update, losses) = update_payload(&desired, &current).unwrap();
    assert!(losses.is_empty(), "{losses:?}");
    assert_eq!(update.options["type"], "hybrid_channel");
    // ...and one that states a channel replaces it.
    if let Settings::OAuth(s) = &mut desired.settings {
        s.channel = Some(OidcChannel::BackChannel);
    }
    let (update, _) = update_payload(&desired, &current).unwrap();
    assert_eq!(update.options["type"], "back_channel");

    let saml = json!({
        "name": "corp-saml", "strategy": "samlp",
        "options": {
            "signInEndpoint": "https://idp.example/sso",
            "signatureAlgorithm": "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
            "digestAlgorithm": 256,
            "protocolBinding": "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
        }
    });
    let c = from_wire(&wire_of(saml.clone())).unwrap();
    let s = c.settings.saml().unwrap();
    assert_eq!(s.request_signature_algorithm, None);
    assert_eq!(s.request_digest_algorithm, None);
    assert_eq!(s.request_binding, Some(SamlBinding::HttpRedirect));
    let fields: Vec<&str> = c.read_notes.iter().map(|n| n.field.as_str()).collect();
    assert_eq!(
        fields,
        ["options.signatureAlgorithm", "options.digestAlgorithm"]
    );
    assert_eq!(create_json(&c), saml, "written back as read");
}

/// What Auth0's samlp options cannot hold (OAS: rsa-sha1 and rsa-sha256, sha1 and sha256) is a
/// loss in words; what they hold is exact.
#[test]
fn saml_request_settings_auth0_lacks_are_losses() {
    let mut c = Connection::new("corp-saml", ConnectionKind::Saml);
    c.settings = Settings::Saml(SamlSettings {
        sign_in_url: Some("https://idp.example/sso".into()),
        request_signature_algorithm: Some(SamlSignatureAlgorithm::RsaSha512),
        request_digest_algorithm: Some(SamlDigestAlgorithm::Sha512),
        request_binding: Some(SamlBinding::HttpRedirect),
        ..SamlSettings::default()
    });
    let t = translate(&c, &Policy::LENIENT).unwrap();
    assert_eq!(
        reasons(&t.report.losses),
        [
            "settings.request_signature_algorithm = rsa-sha512: Auth0 samlp connections offer only rsa-sha256, rsa-sha1 for the request signature algorithm",
            "settings.request_digest_algorithm = sha512: Auth0 samlp connections offer only sha256, sha1 for the request digest algorithm",
        ]
    );
    let options = &t.payload["options"];
    assert!(options.get("signatureAlgorithm").is_none());
    assert!(options.get("digestAlgorithm").is_none());
    assert_eq!(
        options["protocolBinding"],
        "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
    );

    if let Settings::Saml(s) = &mut c.settings {
        s.request_signature_algorithm = Some(SamlSignatureAlgorithm::RsaSha1);
        s.request_digest_algorithm = Some(SamlDigestAlgorithm::Sha1);
        s.request_binding = Some(SamlBinding::HttpPost);
    }
    let t = translate(&c, &Policy::STRICT).unwrap();
    assert!(t.report.is_exact(), "{:?}", t.report);
    assert!(changed_fields(&c, &t.connection).is_empty());
    let options = &t.payload["options"];
    assert_eq!(options["signatureAlgorithm"], "rsa-sha1");
    assert_eq!(options["digestAlgorithm"], "sha1");
    assert_eq!(
        options["protocolBinding"],
        "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
    );
}

#[test]
fn saml_accepts_base64_of_a_pem_and_keeps_garbage_verbatim() {
    let cert = Certificate::parse(DER_B64, "t").unwrap();
    use base64::Engine;
    let pem_b64 = base64::engine::general_purpose::STANDARD.encode(cert.to_pem());
    let c = from_wire(&wire_of(json!({
        "name": "pem", "strategy": "samlp", "options": {"signingCert": pem_b64}
    })))
    .unwrap();
    assert_eq!(c.settings.saml().unwrap().signing_certificates, vec![cert]);

    let c = from_wire(&wire_of(json!({
        "name": "junk", "strategy": "samlp", "options": {"signingCert": "not a cert"}
    })))
    .unwrap();
    assert_eq!(c.settings, Settings::None);
    assert_eq!(extras(&c)["options"]["signingCert"], "not a cert");
    assert_eq!(create_json(&c)["options"]["signingCert"], "not a cert");
}

#[test]
fn waad_scope_array_tenant_and_server_fields() {
    let c = from_wire(&wire_of(json!({
        "name": "contoso",
        "strategy": "waad",
        "options": {
            "client_id": "app-id",
            "client_secret": "app-secret",
            "tenant_domain": "contoso.onmicrosoft.com",
            "domain": "contoso.onmicrosoft.com",
            "identity_api": "microsoft-identity-platform-v2.0",
            "waad_protocol": "openid-connect",
            "ext_groups": true,
            "scope": ["User.Read", "Group.Read.All"]
        },
        "provisioning_ticket_url": "https://tenant.auth0.com/p/waad/abc"
    })))
    .unwrap();
    assert_eq!(c.kind, ConnectionKind::AzureAd);
    let s = c.settings.oauth().unwrap();
    assert_eq!(s.tenant.as_deref(), Some("contoso.onmicrosoft.com"));
    assert_eq!(s.scopes, ["User.Read", "Group.Read.All"]);
    let e = extras(&c);
    assert_eq!(e["options"]["ext_groups"], true);
    assert!(
        e.get("provisioning_ticket_url").is_none(),
        "server-only field dropped"
    );
    let written = create_json(&c);
    assert_eq!(
        written["options"]["scope"],
        json!(["User.Read", "Group.Read.All"])
    );
    assert!(written.get("provisioning_ticket_url").is_none());
}

#[test]
fn google_scope_array_with_flags_kept_in_extras() {
    let sample = json!({
        "name": "google-oauth2",
        "strategy": "google-oauth2",
        "options": {
            "client_id": "123.apps.googleusercontent.com",
            "client_secret": "gsecret",
            "scope": ["email", "profile"],
            "email": true,
            "profile": true,
            "gmail": false,
            "allowed_audiences": ["aud.example"]
        }
    });
    let c = from_wire(&wire_of(sample.clone())).unwrap();
    assert_eq!(c.kind, ConnectionKind::Social(SocialProvider::Google));
    assert_eq!(c.settings.oauth().unwrap().scopes, ["email", "profile"]);
    assert_eq!(
        extras(&c)["options"],
        json!({"email": true, "profile": true, "gmail": false, "allowed_audiences": ["aud.example"]})
    );
    assert_eq!(create_json(&c), sample);
}

#[test]
fn social_scope_formats_and_apple_secret() {
    let fb = from_wire(&wire_of(json!({
        "name": "facebook", "strategy": "facebook",
        "options": {"client_id": "1", "client_secret": "s", "scope": "email,public_profile"}
    })))
    .unwrap();
    assert_eq!(
        fb.settings.oauth().unwrap().scopes,
        ["email", "public_profile"]
    );
    assert_eq!(create_json(&fb)["options"]["scope"], "email,public_profile");

    let apple = from_wire(&wire_of(json!({
        "name": "apple", "strategy": "apple",
        "options": {"client_id": "com.acme.web", "app_secret": "-----BEGIN PRIVATE KEY-----", "team_id": "T1", "kid": "K1", "scope": "name email"}
    })))
    .unwrap();
    let s = apple.settings.oauth().unwrap();
    assert!(s.client_secret.is_known());
    assert_eq!(s.scopes, ["name", "email"]);
    assert!(extras(&apple)["options"].get("app_secret").is_none());
    assert_eq!(
        create_json(&apple)["options"]["app_secret"],
        "-----BEGIN PRIVATE KEY-----"
    );

    let github = from_wire(&wire_of(json!({
        "name": "github", "strategy": "github",
        "options": {"client_id": "gh", "scope": ["read:user"], "icon_url": "https://x.example/i.png"}
    })))
    .unwrap();
    assert_eq!(github.logo_url, None, "the GitHub schema has no icon_url");
    assert_eq!(
        extras(&github)["options"]["icon_url"],
        "https://x.example/i.png"
    );
}

#[test]
fn other_strategies_are_custom_with_options_in_extras() {
    let sample = json!({
        "name": "twitter", "strategy": "twitter",
        "options": {"client_id": "ck", "client_secret": "cs", "protocol": "oauth2"}
    });
    let c = from_wire(&wire_of(sample.clone())).unwrap();
    assert_eq!(c.kind, ConnectionKind::Custom("twitter".into()));
    assert_eq!(c.settings.oauth().unwrap().client_id.as_deref(), Some("ck"));
    assert_eq!(extras(&c)["options"], json!({"protocol": "oauth2"}));
    assert_eq!(create_json(&c), sample);
}

#[test]
fn options_hidden_without_the_scope_read_as_no_settings() {
    let c = from_wire(&wire_of(json!({"name": "x", "strategy": "oidc"}))).unwrap();
    assert_eq!(c.settings, Settings::None);
    let err = update_payload(&c, &wire_of(json!({"name": "x", "strategy": "oidc"}))).unwrap_err();
    match err {
        Error::Forbidden { missing_scope, .. } => {
            assert_eq!(missing_scope.as_deref(), Some("read:connections_options"))
        }
        other => panic!("{other:?}"),
    }
}

/// Options the model cannot read never fail the read: they stay verbatim in extras (secrets
/// aside) and the read note names the path.
#[test]
fn a_wrong_option_type_is_kept_verbatim_with_a_read_note() {
    let c = from_wire(&wire_of(json!({
        "name": "x", "strategy": "oidc", "options": {"scope": 5, "client_id": "id", "client_secret": "s"}
    })))
    .unwrap();
    assert_eq!(c.read_notes.len(), 1, "{:?}", c.read_notes);
    assert_eq!(c.read_notes[0].field, "options.scope");
    assert_eq!(c.settings, Settings::None);
    let options = &c.extras_for(Vendor::Auth0)["options"];
    assert_eq!(options["scope"], 5);
    assert_eq!(options["client_id"], "id");
    assert!(options.get("client_secret").is_none(), "{options}");
}

fn oidc_connection() -> Connection {
    let mut c = Connection::new("acme", ConnectionKind::Oidc);
    c.settings = Settings::OAuth(OAuthSettings {
        client_id: Some("id".into()),
        client_secret: ClientSecret::known("secret"),
        scopes: vec!["openid".into()],
        issuer: Some("https://idp.example".into()),
        ..OAuthSettings::default()
    });
    c
}

#[test]
fn update_merges_over_the_server_options_and_always_sends_display_name() {
    let current = wire_of(oidc_sample());
    let mut desired = from_wire(&current).unwrap();
    // A desired connection as a file or another vendor would give it: no extras, no secret.
    desired.extras.clear();
    desired.display_name = None;
    if let Settings::OAuth(s) = &mut desired.settings {
        s.client_secret = ClientSecret::Absent;
        s.scopes = vec!["openid".into(), "groups".into()];
    }
    let (update, losses) = update_payload(&desired, &current).unwrap();
    assert!(losses.is_empty(), "{losses:?}");
    let body = serde_json::to_value(&update).unwrap();
    assert!(body.get("name").is_none() && body.get("strategy").is_none());
    assert_eq!(
        body["display_name"], "acme-oidc",
        "omitted display name sent as the name"
    );
    assert_eq!(body["options"]["scope"], "openid groups");
    assert_eq!(
        body["options"]["client_secret"], "acme-secret",
        "server secret kept"
    );
    assert_eq!(
        body["options"]["attribute_map"],
        json!({"mapping_mode": "bind_all"})
    );
    assert_eq!(body["options"]["type"], "front_channel");
    assert_eq!(body["options"]["send_back_channel_nonce"], true);
    assert_eq!(
        body["options"]["oidc_metadata"],
        json!({"issuer": "https://idp.acme.example/"})
    );

    // A new discovery URL drops the stale discovery document.
    if let Settings::OAuth(s) = &mut desired.settings {
        s.discovery_url = Some("https://new-idp.example/.well-known/openid-configuration".into());
    }
    let (update, _) = update_payload(&desired, &current).unwrap();
    assert!(update.options.get("oidc_metadata").is_none());
}

#[test]
fn update_refuses_name_and_kind_changes() {
    let current = wire_of(oidc_sample());
    let mut renamed = from_wire(&current).unwrap();
    renamed.name = "other".into();
    let err = update_payload(&renamed, &current).unwrap_err();
    assert!(
        matches!(&err, Error::InvalidInput { field, .. } if field == "name"),
        "{err:?}"
    );
    let mut rekinded = from_wire(&current).unwrap();
    rekinded.kind = ConnectionKind::OAuth2;
    let err = update_payload(&rekinded, &current).unwrap_err();
    assert!(
        matches!(&err, Error::InvalidInput { field, .. } if field == "kind"),
        "{err:?}"
    );
}

#[test]
fn losses_are_reported_and_strict_refuses_them_all_at_once() {
    let mut c = oidc_connection();
    c.name = "acme_corp.sso".into();
    c.enabled = Some(true);
    c.purpose.link = Some(false);
    if let Settings::OAuth(s) = &mut c.settings {
        s.tenant = Some("contoso".into());
        s.client_auth_method = Some(ClientAuthMethod::ClientSecretBasic);
    }
    let err = translate(&c, &Policy::STRICT).unwrap_err();
    let Error::Unrepresentable { losses, .. } = err else {
        panic!("{err:?}")
    };
    let mut fields: Vec<&str> = losses.iter().map(|l| l.field.as_str()).collect();
    fields.sort();
    assert_eq!(
        fields,
        [
            "enabled",
            "name",
            "purpose.link",
            "settings.client_auth_method",
            "settings.tenant"
        ]
    );
    let lenient = translate(&c, &Policy::LENIENT).unwrap();
    assert_eq!(lenient.connection.name, "acme-corp-sso");
    assert_eq!(lenient.payload["name"], "acme-corp-sso");
    assert_eq!(lenient.report.losses.len(), 5);
}

#[test]
fn translation_is_exact_for_what_auth0_holds() {
    let mut c = oidc_connection();
    c.display_name = Some("Acme".into());
    c.purpose = Purpose {
        sign_in: Some(true),
        link: None,
        store_tokens: Some(true),
    };
    c.logo_url = Some("https://cdn.example/logo.png".into());
    c.show_on_login = Some(false);
    c.domains = vec!["acme.example".into()];
    let t = translate(&c, &Policy::STRICT).unwrap();
    assert!(t.report.is_exact(), "{:?}", t.report);
    assert!(changed_fields(&c, &t.connection).is_empty());
    assert_eq!(t.payload["options"]["client_secret"], "********");
}

#[test]
fn kinds_and_settings_auth0_cannot_hold_are_losses() {
    let mut ldap = Connection::new("corp-ldap", ConnectionKind::Ldap);
    ldap.settings = Settings::Directory(idconn_core::DirectorySettings {
        url: Some("ldaps://dc.corp.example".into()),
        base_dn: Some("dc=corp".into()),
    });
    let t = translate(&ldap, &Policy::LENIENT).unwrap();
    let fields: Vec<&str> = t.report.losses.iter().map(|l| l.field.as_str()).collect();
    assert_eq!(fields, ["settings.url", "settings.base_dn", "kind"]);
    assert_eq!(t.payload["strategy"], "ad");

    let mut saml = Connection::new("s", ConnectionKind::Saml);
    let cert = Certificate::parse(DER_B64, "c").unwrap();
    saml.settings = Settings::Saml(SamlSettings {
        sign_in_url: Some("https://idp.example/sso".into()),
        idp_entity_id: Some("https://idp.example".into()),
        signing_certificates: vec![cert.clone(), cert],
        name_id_format: Some("urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress".into()),
        ..SamlSettings::default()
    });
    let t = translate(&saml, &Policy::LENIENT).unwrap();
    let fields: Vec<&str> = t.report.losses.iter().map(|l| l.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "settings.idp_entity_id",
            "settings.name_id_format",
            "settings.signing_certificates[1]"
        ]
    );

    let mut masked = oidc_connection();
    if let Settings::OAuth(s) = &mut masked.settings {
        s.client_secret = ClientSecret::Masked;
    }
    let err = translate(&masked, &Policy::STRICT).unwrap_err();
    assert!(err.to_string().contains("settings.client_secret"), "{err}");

    let mut github = Connection::new("github", ConnectionKind::Social(SocialProvider::GitHub));
    github.logo_url = Some("https://x.example/logo.png".into());
    let t = translate(&github, &Policy::LENIENT).unwrap();
    assert_eq!(t.report.losses[0].field, "logo_url");

    let wechat = Connection::new("w", ConnectionKind::Custom("wechat:pc".into()));
    assert!(matches!(
        translate(&wechat, &Policy::LENIENT),
        Err(Error::Unsupported { .. })
    ));
}

#[test]
fn local_validation_names_the_field_before_any_request() {
    type Change = Box<dyn Fn(&mut Connection)>;
    let cases: Vec<(Change, &str)> = vec![
        (
            Box::new(|c| c.display_name = Some("d".repeat(129))),
            "display_name",
        ),
        (
            Box::new(|c| c.domains = (0..11).map(|i| format!("d{i}.example")).collect()),
            "domains",
        ),
        (
            Box::new(|c| c.logo_url = Some("http://cdn.example/logo.png".into())),
            "logo_url",
        ),
        (Box::new(|c| c.name = String::new()), "name"),
        (
            Box::new(|c| {
                let metadata: serde_json::Map<String, Value> =
                    (0..11).map(|i| (format!("k{i}"), json!("v"))).collect();
                c.extras.insert(
                    Vendor::Auth0,
                    [("metadata".to_string(), Value::Object(metadata))]
                        .into_iter()
                        .collect(),
                );
            }),
            "extras.auth0.metadata",
        ),
        (
            Box::new(|c| {
                c.extras.insert(
                    Vendor::Auth0,
                    [("metadata".to_string(), json!({"k": "v".repeat(256)}))]
                        .into_iter()
                        .collect(),
                );
            }),
            "extras.auth0.metadata.k",
        ),
        (
            Box::new(|c| {
                c.extras.insert(
                    Vendor::Auth0,
                    [("enabled_clients".to_string(), json!([]))]
                        .into_iter()
                        .collect(),
                );
            }),
            "extras.auth0.enabled_clients",
        ),
        (
            Box::new(|c| {
                if let Settings::OAuth(s) = &mut c.settings {
                    s.issuer = Some("not a url".into());
                }
            }),
            "settings.issuer",
        ),
    ];
    for (change, expected) in cases {
        let mut c = oidc_connection();
        change(&mut c);
        match translate(&c, &Policy::LENIENT) {
            Err(Error::InvalidInput { field, .. }) => assert_eq!(field, expected),
            other => panic!("{expected}: {other:?}"),
        }
    }
}
