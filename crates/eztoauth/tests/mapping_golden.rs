//! Golden mapping tests from ezto's and Keycloak's own sample payloads (reference §1.1, §2.4,
//! §2.5), both directions, and every loss the translation reports.

use idconn_core::{
    Certificate, ClientAuthMethod, ClientSecret, Connection, ConnectionKind, Error, Loss,
    OAuthSettings, OidcChannel, Policy, Purpose, SamlBinding, SamlDigestAlgorithm, SamlSettings,
    SamlSignatureAlgorithm, Settings, SocialProvider, Vendor,
};
use idconn_eztoauth::mapping::{for_update, from_wire, printable, to_wire, translate};
use idconn_eztoauth::wire::IdentityProvider;
use serde_json::{Value, json};

fn wire(value: Value) -> IdentityProvider {
    serde_json::from_value(value).unwrap()
}

/// ezto "Create New Identity Provider" sample body, verbatim (reference §1.1).
fn ezto_create_sample() -> Value {
    json!({
        "alias": "keycloak-oidc-2",
        "providerId": "keycloak-oidc",
        "enabled": true,
        "updateProfileFirstLoginMode": "on",
        "trustEmail": false,
        "storeToken": false,
        "addReadTokenRoleOnCreate": false,
        "authenticateByDefault": false,
        "linkOnly": false,
        "firstBrokerLoginFlowAlias": "first broker login",
        "config": {}
    })
}

#[test]
fn ezto_sample_reads_as_an_oidc_connection_with_keycloak_fields_in_extras() {
    let connection = from_wire(Vendor::Ezto, &wire(ezto_create_sample())).unwrap();
    assert_eq!(connection.id, None);
    assert_eq!(connection.name, "keycloak-oidc-2");
    assert_eq!(connection.kind, ConnectionKind::Oidc);
    // Keycloak brokers OIDC with the authorization code flow only.
    assert_eq!(
        connection.settings,
        Settings::OAuth(OAuthSettings {
            channel: Some(OidcChannel::BackChannel),
            ..OAuthSettings::default()
        })
    );
    assert_eq!(
        connection.purpose,
        Purpose {
            sign_in: Some(true),
            link: Some(true),
            store_tokens: Some(false)
        }
    );
    assert_eq!(connection.enabled, Some(true));
    assert_eq!(connection.show_on_login, Some(true));
    assert_eq!(
        Value::Object(connection.extras[&Vendor::Ezto].clone()),
        json!({
            "providerId": "keycloak-oidc",
            "updateProfileFirstLoginMode": "on",
            "trustEmail": false,
            "addReadTokenRoleOnCreate": false,
            "authenticateByDefault": false,
            "firstBrokerLoginFlowAlias": "first broker login"
        })
    );
}

#[test]
fn ezto_sample_writes_back_as_itself() {
    let connection = from_wire(Vendor::Ezto, &wire(ezto_create_sample())).unwrap();
    let (payload, losses) = to_wire(Vendor::Ezto, &connection).unwrap();
    assert!(losses.is_empty(), "{losses:?}");
    let mut expected = ezto_create_sample();
    // The model always knows whether the button shows; Keycloak 26 holds it in hideOnLogin.
    expected["hideOnLogin"] = json!(false);
    assert_eq!(serde_json::to_value(&payload).unwrap(), expected);
}

#[test]
fn ezto_update_sample_carries_the_internal_id_as_the_connection_id() {
    let mut body = ezto_create_sample();
    body["internalId"] = json!("0df24d90-d39e-4e02-ab3d-7150efa40b1d");
    let connection = from_wire(Vendor::Ezto, &wire(body)).unwrap();
    assert_eq!(
        connection.id.as_deref(),
        Some("0df24d90-d39e-4e02-ab3d-7150efa40b1d")
    );
    let (payload, _) = to_wire(Vendor::Ezto, &connection).unwrap();
    assert!(
        payload.internal_id.is_none(),
        "a create never names an internalId"
    );
}

fn keycloak_oidc() -> Value {
    json!({
        "alias": "acme",
        "displayName": "Acme SSO",
        "internalId": "5b0c9b0e-1111-4e02-ab3d-7150efa40b1d",
        "providerId": "oidc",
        "enabled": false,
        "linkOnly": true,
        "storeToken": true,
        "hideOnLogin": true,
        "trustEmail": true,
        "firstBrokerLoginFlowAlias": "first broker login",
        "config": {
            "clientId": "acme-client",
            "clientSecret": "**********",
            "authorizationUrl": "https://idp.acme.test/authorize",
            "tokenUrl": "https://idp.acme.test/token",
            "userInfoUrl": "https://idp.acme.test/userinfo",
            "jwksUrl": "https://idp.acme.test/jwks",
            "issuer": "https://idp.acme.test",
            "defaultScope": "openid email profile",
            "clientAuthMethod": "client_secret_basic",
            "pkceEnabled": "true",
            "pkceMethod": "S256",
            "syncMode": "IMPORT",
            "useJwksUrl": "true"
        }
    })
}

#[test]
fn a_full_oidc_provider_is_typed_and_its_mask_is_masked() {
    let connection = from_wire(Vendor::Ezto, &wire(keycloak_oidc())).unwrap();
    let expected = OAuthSettings {
        client_id: Some("acme-client".into()),
        client_secret: ClientSecret::Masked,
        scopes: vec!["openid".into(), "email".into(), "profile".into()],
        issuer: Some("https://idp.acme.test".into()),
        discovery_url: None,
        authorization_url: Some("https://idp.acme.test/authorize".into()),
        token_url: Some("https://idp.acme.test/token".into()),
        userinfo_url: Some("https://idp.acme.test/userinfo".into()),
        jwks_url: Some("https://idp.acme.test/jwks".into()),
        client_auth_method: Some(ClientAuthMethod::ClientSecretBasic),
        pkce: Some(true),
        tenant: None,
        channel: Some(OidcChannel::BackChannel),
    };
    assert_eq!(connection.settings, Settings::OAuth(expected));
    assert_eq!(connection.display_name.as_deref(), Some("Acme SSO"));
    assert_eq!(
        connection.purpose,
        Purpose {
            sign_in: Some(false),
            link: Some(true),
            store_tokens: Some(true)
        }
    );
    assert_eq!(connection.enabled, Some(false));
    assert_eq!(connection.show_on_login, Some(false));
    let extras = &connection.extras[&Vendor::Ezto];
    assert_eq!(
        extras["config"],
        json!({"pkceMethod": "S256", "syncMode": "IMPORT", "useJwksUrl": "true"})
    );
    assert_eq!(extras["trustEmail"], true);
    assert!(
        !serde_json::to_string(&connection)
            .unwrap()
            .contains("**********")
    );
}

#[test]
fn a_full_oidc_provider_writes_back_all_but_the_secret_it_never_saw() {
    let connection = from_wire(Vendor::Ezto, &wire(keycloak_oidc())).unwrap();
    let (payload, losses) = to_wire(Vendor::Ezto, &connection).unwrap();
    let mut expected = keycloak_oidc();
    expected.as_object_mut().unwrap().remove("internalId");
    expected["config"]
        .as_object_mut()
        .unwrap()
        .remove("clientSecret");
    assert_eq!(serde_json::to_value(&payload).unwrap(), expected);
    assert_eq!(losses.len(), 1, "{losses:?}");
    assert_eq!(losses[0].field, "settings.client_secret");
    assert!(
        translate(Vendor::Ezto, &connection, &Policy::STRICT).is_err(),
        "creating without the secret is a loss"
    );
}

#[test]
fn config_values_that_do_not_parse_are_kept_verbatim_and_noted() {
    for (key, value) in [("pkceEnabled", "yes"), ("pkceEnabled", "60")] {
        let mut body = keycloak_oidc();
        body["config"][key] = json!(value);
        let read = from_wire(Vendor::Ezto, &wire(body)).unwrap();
        assert_eq!(read.read_notes.len(), 1, "{:?}", read.read_notes);
        assert_eq!(read.read_notes[0].field, format!("config.{key}"));
        assert_eq!(read.extras_for(Vendor::Ezto)["config"][key], value);
        // Written back unchanged.
        let (payload, _) = to_wire(Vendor::Ezto, &read).unwrap();
        assert_eq!(payload.config.get(key), Some(value));
    }
    let saml =
        json!({"alias": "s", "providerId": "saml", "config": {"wantAuthnRequestsSigned": "1"}});
    let read = from_wire(Vendor::Ezto, &wire(saml)).unwrap();
    assert_eq!(read.read_notes[0].field, "config.wantAuthnRequestsSigned");
    // One certificate of a list that is not base64 DER: the whole value stays as Keycloak has it.
    let saml = json!({"alias": "s", "providerId": "saml", "config": {"signingCertificate": "MAMCAQE=,not base64!"}});
    let read = from_wire(Vendor::Ezto, &wire(saml)).unwrap();
    assert_eq!(read.read_notes[0].field, "config.signingCertificate");
    assert!(
        read.settings
            .saml()
            .unwrap()
            .signing_certificates
            .is_empty()
    );
    let (payload, _) = to_wire(Vendor::Ezto, &read).unwrap();
    assert_eq!(
        payload.config.get("signingCertificate"),
        Some("MAMCAQE=,not base64!")
    );
    let nameless = json!({"providerId": "oidc"});
    assert!(
        from_wire(Vendor::Ezto, &wire(nameless))
            .unwrap_err()
            .to_string()
            .contains("`alias`")
    );
    // A non-string config value from the server fails the wire decode itself.
    assert!(
        serde_json::from_value::<IdentityProvider>(
            json!({"alias": "a", "config": {"pkceEnabled": true}})
        )
        .is_err()
    );
}

#[test]
fn an_unknown_client_auth_method_stays_in_extras() {
    let mut body = keycloak_oidc();
    body["config"]["clientAuthMethod"] = json!("tls_client_auth");
    let connection = from_wire(Vendor::Ezto, &wire(body)).unwrap();
    assert_eq!(
        connection.settings.oauth().unwrap().client_auth_method,
        None
    );
    assert_eq!(
        connection.extras[&Vendor::Ezto]["config"]["clientAuthMethod"],
        "tls_client_auth"
    );
    let (payload, _) = to_wire(Vendor::Ezto, &connection).unwrap();
    assert_eq!(
        payload.config.get("clientAuthMethod"),
        Some("tls_client_auth")
    );
}

fn der(n: u8) -> Certificate {
    Certificate::from_der(vec![0x30, 0x03, 0x02, 0x01, n], "test").unwrap()
}

#[test]
fn saml_settings_map_to_keycloak_keys_with_comma_separated_base64_der() {
    let body = json!({
        "alias": "corp-saml",
        "providerId": "saml",
        "config": {
            "singleSignOnServiceUrl": "https://idp.corp.test/sso",
            "singleLogoutServiceUrl": "https://idp.corp.test/slo",
            "idpEntityId": "https://idp.corp.test",
            "entityId": "https://ezto.test/auth/realms/acme",
            "signingCertificate": "MAMCAQE=,MAMCAQI=",
            "nameIDPolicyFormat": "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
            "wantAuthnRequestsSigned": "true",
            "postBindingResponse": "true"
        }
    });
    let connection = from_wire(Vendor::Ezto, &wire(body.clone())).unwrap();
    assert_eq!(connection.kind, ConnectionKind::Saml);
    assert_eq!(
        connection.settings,
        Settings::Saml(SamlSettings {
            sign_in_url: Some("https://idp.corp.test/sso".into()),
            sign_out_url: Some("https://idp.corp.test/slo".into()),
            idp_entity_id: Some("https://idp.corp.test".into()),
            sp_entity_id: Some("https://ezto.test/auth/realms/acme".into()),
            signing_certificates: vec![der(1), der(2)],
            name_id_format: Some("urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress".into()),
            sign_requests: Some(true),
            ..SamlSettings::default()
        })
    );
    let (payload, losses) = to_wire(Vendor::Ezto, &connection).unwrap();
    assert!(losses.is_empty());
    assert_eq!(
        serde_json::to_value(&payload.config).unwrap(),
        body["config"]
    );
}

/// Each losses as `field = source -> target: reason`.
fn reasons(losses: &[Loss]) -> Vec<String> {
    losses
        .iter()
        .map(|l| format!("{} = {} -> {}: {}", l.field, l.source, l.target, l.reason))
        .collect()
}

fn saml_with(config: Value) -> Value {
    json!({"alias": "corp-saml", "providerId": "saml", "config": config})
}

/// `signatureAlgorithm` (Keycloak's `SignatureAlgorithm` names) and `postBindingAuthnRequest`
/// both ways; the digest reads as the algorithm's own hash (Keycloak has no digest setting).
#[test]
fn saml_request_settings_both_ways() {
    for (name, algorithm, digest) in [
        (
            "RSA_SHA256",
            SamlSignatureAlgorithm::RsaSha256,
            SamlDigestAlgorithm::Sha256,
        ),
        (
            "RSA_SHA1",
            SamlSignatureAlgorithm::RsaSha1,
            SamlDigestAlgorithm::Sha1,
        ),
        (
            "RSA_SHA512",
            SamlSignatureAlgorithm::RsaSha512,
            SamlDigestAlgorithm::Sha512,
        ),
        (
            "RSA_SHA256_MGF1",
            SamlSignatureAlgorithm::RsaSha256Mgf1,
            SamlDigestAlgorithm::Sha256,
        ),
        (
            "RSA_SHA512_MGF1",
            SamlSignatureAlgorithm::RsaSha512Mgf1,
            SamlDigestAlgorithm::Sha512,
        ),
        (
            "DSA_SHA1",
            SamlSignatureAlgorithm::DsaSha1,
            SamlDigestAlgorithm::Sha1,
        ),
    ] {
        for (post, binding) in [
            ("true", SamlBinding::HttpPost),
            ("false", SamlBinding::HttpRedirect),
        ] {
            let body = saml_with(json!({
                "singleSignOnServiceUrl": "https://idp.corp.test/sso",
                "signatureAlgorithm": name,
                "postBindingAuthnRequest": post
            }));
            let connection = from_wire(Vendor::Keycloak, &wire(body.clone())).unwrap();
            assert_eq!(
                connection.settings,
                Settings::Saml(SamlSettings {
                    sign_in_url: Some("https://idp.corp.test/sso".into()),
                    request_signature_algorithm: Some(algorithm),
                    request_digest_algorithm: Some(digest),
                    request_binding: Some(binding),
                    ..SamlSettings::default()
                }),
                "{name} {post}"
            );
            assert!(connection.read_notes.is_empty());
            assert!(connection.extras.is_empty(), "{:?}", connection.extras);
            let (payload, losses) = to_wire(Vendor::Keycloak, &connection).unwrap();
            assert!(losses.is_empty(), "{losses:?}");
            assert_eq!(
                serde_json::to_value(&payload.config).unwrap(),
                body["config"]
            );
        }
    }
    // Unset, Keycloak's defaults apply: nothing is read.
    let unset = from_wire(Vendor::Keycloak, &wire(saml_with(json!({})))).unwrap();
    assert!(matches!(unset.settings, Settings::Saml(ref s) if *s == SamlSettings::default()));
}

/// Keycloak digests with the signature algorithm's hash: a digest that matches it is exact, a
/// digest alone pins Keycloak's default algorithm when that one digests with it, and any other
/// digest is a loss saying what Keycloak does instead.
#[test]
fn a_digest_is_held_only_as_the_signature_algorithms_own() {
    let saml = |algorithm, digest| {
        let mut c = Connection::new("corp-saml", ConnectionKind::Saml);
        c.settings = Settings::Saml(SamlSettings {
            sign_in_url: Some("https://idp.corp.test/sso".into()),
            request_signature_algorithm: algorithm,
            request_digest_algorithm: digest,
            ..SamlSettings::default()
        });
        c
    };
    let (payload, losses) = to_wire(
        Vendor::Keycloak,
        &saml(
            Some(SamlSignatureAlgorithm::RsaSha512),
            Some(SamlDigestAlgorithm::Sha512),
        ),
    )
    .unwrap();
    assert!(losses.is_empty(), "{losses:?}");
    assert_eq!(payload.config.get("signatureAlgorithm"), Some("RSA_SHA512"));
    assert_eq!(payload.config.get("digestAlgorithm"), None, "no such key");

    let (payload, losses) = to_wire(
        Vendor::Keycloak,
        &saml(None, Some(SamlDigestAlgorithm::Sha256)),
    )
    .unwrap();
    assert!(losses.is_empty(), "{losses:?}");
    assert_eq!(payload.config.get("signatureAlgorithm"), Some("RSA_SHA256"));

    let (payload, losses) = to_wire(
        Vendor::Keycloak,
        &saml(
            Some(SamlSignatureAlgorithm::RsaSha256),
            Some(SamlDigestAlgorithm::Sha1),
        ),
    )
    .unwrap();
    assert_eq!(
        reasons(&losses),
        [
            "settings.request_digest_algorithm = sha1 -> sha256: Keycloak has no digest setting of its own: it digests with the hash of the signature algorithm, sha256 for RSA_SHA256"
        ]
    );
    assert_eq!(payload.config.get("signatureAlgorithm"), Some("RSA_SHA256"));

    let (payload, losses) = to_wire(
        Vendor::Keycloak,
        &saml(None, Some(SamlDigestAlgorithm::Sha512)),
    )
    .unwrap();
    assert_eq!(losses.len(), 1, "{losses:?}");
    assert_eq!(losses[0].target, "sha256");
    assert_eq!(payload.config.get("signatureAlgorithm"), None);
    assert!(matches!(
        translate(
            Vendor::Keycloak,
            &saml(None, Some(SamlDigestAlgorithm::Sha512)),
            &Policy::STRICT
        ),
        Err(Error::Unrepresentable { .. })
    ));
}

/// A `signatureAlgorithm` Keycloak may know but idconn does not, or a binding flag that is not
/// a flag, stays verbatim with a read note; an update keeps it unless the connection states it.
#[test]
fn unknown_saml_request_values_are_kept_verbatim_and_noted() {
    let body = saml_with(json!({
        "singleSignOnServiceUrl": "https://idp.corp.test/sso",
        "signatureAlgorithm": "RSA_SHA384",
        "postBindingAuthnRequest": "yes"
    }));
    let current = wire(body.clone());
    let read = from_wire(Vendor::Keycloak, &current).unwrap();
    let s = read.settings.saml().unwrap();
    assert_eq!(
        (
            s.request_signature_algorithm,
            s.request_digest_algorithm,
            s.request_binding
        ),
        (None, None, None)
    );
    let notes: Vec<String> = read.read_notes.iter().map(ToString::to_string).collect();
    assert_eq!(
        notes,
        [
            "config.signatureAlgorithm: kept as the vendor has it (`RSA_SHA384` is not one of `RSA_SHA256`, `RSA_SHA1`, `RSA_SHA512`, `RSA_SHA256_MGF1`, `RSA_SHA512_MGF1`, `DSA_SHA1`)",
            "config.postBindingAuthnRequest: kept as the vendor has it (expected the string \"true\" or \"false\")",
        ]
    );
    let (payload, _) = to_wire(Vendor::Keycloak, &read).unwrap();
    assert_eq!(
        serde_json::to_value(&payload.config).unwrap(),
        body["config"]
    );

    // An update from a connection that says nothing of them (another vendor's) keeps them...
    let mut desired = Connection::new("corp-saml", ConnectionKind::Saml);
    desired.settings = Settings::Saml(SamlSettings {
        sign_in_url: Some("https://idp.corp.test/sso".into()),
        ..SamlSettings::default()
    });
    let (merged, losses) = for_update(Vendor::Keycloak, &current, &desired).unwrap();
    assert!(losses.is_empty(), "{losses:?}");
    assert_eq!(merged.config.get("signatureAlgorithm"), Some("RSA_SHA384"));
    assert_eq!(merged.config.get("postBindingAuthnRequest"), Some("yes"));
    // ...and one that states them replaces them.
    if let Settings::Saml(s) = &mut desired.settings {
        s.request_signature_algorithm = Some(SamlSignatureAlgorithm::RsaSha1);
        s.request_binding = Some(SamlBinding::HttpRedirect);
    }
    let (merged, _) = for_update(Vendor::Keycloak, &current, &desired).unwrap();
    assert_eq!(merged.config.get("signatureAlgorithm"), Some("RSA_SHA1"));
    assert_eq!(merged.config.get("postBindingAuthnRequest"), Some("false"));
}

/// Keycloak's OIDC providers run the authorization code flow: the back channel is exact, the
/// front channel a loss; other providers have no channel at all.
#[test]
fn the_oidc_channel_is_the_back_channel_only() {
    let mut oidc = from_wire(Vendor::Keycloak, &wire(keycloak_oidc())).unwrap();
    assert_eq!(
        oidc.settings.oauth().unwrap().channel,
        Some(OidcChannel::BackChannel)
    );
    if let Settings::OAuth(s) = &mut oidc.settings {
        s.client_secret = ClientSecret::known("s");
    }
    let t = translate(Vendor::Keycloak, &oidc, &Policy::STRICT).unwrap();
    assert!(t.report.is_exact(), "{:?}", t.report);
    if let Settings::OAuth(s) = &mut oidc.settings {
        s.channel = Some(OidcChannel::FrontChannel);
    }
    let (payload, losses) = to_wire(Vendor::Keycloak, &oidc).unwrap();
    assert_eq!(
        reasons(&losses),
        [
            "settings.channel = front_channel -> back_channel: Keycloak brokers OpenID Connect with the authorization code flow (the back channel) only; it has no front-channel mode"
        ]
    );
    let mut back = oidc.clone();
    if let Settings::OAuth(s) = &mut back.settings {
        s.channel = Some(OidcChannel::BackChannel);
    }
    let (unchanged, _) = to_wire(Vendor::Keycloak, &back).unwrap();
    assert_eq!(payload.config, unchanged.config, "nothing else changes");

    let mut github = Connection::new("gh", ConnectionKind::Social(SocialProvider::GitHub));
    github.settings = Settings::OAuth(OAuthSettings {
        client_id: Some("c".into()),
        channel: Some(OidcChannel::BackChannel),
        ..OAuthSettings::default()
    });
    let (_, losses) = to_wire(Vendor::Ezto, &github).unwrap();
    assert_eq!(
        reasons(&losses),
        [
            "settings.channel = back_channel -> (dropped): Keycloak's github provider has no channel setting"
        ]
    );
    let read = from_wire(
        Vendor::Ezto,
        &wire(json!({"alias": "gh", "providerId": "github"})),
    )
    .unwrap();
    assert_eq!(read.settings.oauth().unwrap().channel, None);
}

#[test]
fn purpose_follows_the_design_table() {
    let mut connection = Connection::new("p", ConnectionKind::Oidc);
    // Link only: sign_in false, link true -> linkOnly true, exact.
    connection.purpose = Purpose {
        sign_in: Some(false),
        link: Some(true),
        store_tokens: Some(true),
    };
    let translation = translate(Vendor::Ezto, &connection, &Policy::STRICT).unwrap();
    assert_eq!(translation.payload["linkOnly"], true);
    assert_eq!(translation.payload["storeToken"], true);
    assert!(translation.report.is_exact());

    // GenAuth loginOnly: true (sign in, no linking): ezto cannot forbid linking, a widening.
    connection.purpose = Purpose {
        sign_in: Some(true),
        link: Some(false),
        store_tokens: None,
    };
    for policy in [Policy::STRICT, Policy::LENIENT] {
        match translate(Vendor::Ezto, &connection, &policy).unwrap_err() {
            Error::Unrepresentable { losses, .. } => {
                assert_eq!(losses.len(), 1);
                assert_eq!(losses[0].field, "purpose.link");
                assert!(losses[0].widening);
            }
            other => panic!("{other}"),
        }
    }
    let allowed = translate(
        Vendor::Ezto,
        &connection,
        &Policy::LENIENT.with_widening(true),
    )
    .unwrap();
    assert_eq!(allowed.payload["linkOnly"], false);
    assert_eq!(allowed.report.losses.len(), 1);
    // Nothing said: nothing lost, Keycloak's defaults.
    connection.purpose = Purpose::default();
    let quiet = translate(Vendor::Ezto, &connection, &Policy::STRICT).unwrap();
    assert!(quiet.payload.get("linkOnly").is_none());
    assert_eq!(quiet.connection.purpose.sign_in, Some(true));
}

#[test]
fn show_on_login_is_hide_on_login_inverted_and_the_legacy_key_is_read() {
    let mut connection = Connection::new("h", ConnectionKind::Social(SocialProvider::Google));
    connection.show_on_login = Some(false);
    assert_eq!(
        translate(Vendor::Ezto, &connection, &Policy::STRICT)
            .unwrap()
            .payload["hideOnLogin"],
        true
    );
    let legacy =
        json!({"alias": "h", "providerId": "google", "config": {"hideOnLoginPage": "true"}});
    let read = from_wire(Vendor::Ezto, &wire(legacy)).unwrap();
    assert_eq!(read.show_on_login, Some(false));
    assert!(
        read.extras.is_empty(),
        "the legacy key is consumed: {:?}",
        read.extras
    );
}

#[test]
fn discovery_only_oidc_is_a_loss_strict_refuses() {
    let mut connection = Connection::new("disc", ConnectionKind::Oidc);
    connection.settings = Settings::OAuth(OAuthSettings {
        client_id: Some("c".into()),
        discovery_url: Some("https://idp.test/.well-known/openid-configuration".into()),
        ..OAuthSettings::default()
    });
    let Error::Unrepresentable { losses, .. } =
        translate(Vendor::Ezto, &connection, &Policy::STRICT).unwrap_err()
    else {
        panic!("strict must refuse");
    };
    let fields: Vec<&str> = losses.iter().map(|l| l.field.as_str()).collect();
    assert_eq!(fields, ["settings.authorization_url", "settings.token_url"]);
    let lenient = translate(Vendor::Ezto, &connection, &Policy::LENIENT).unwrap();
    assert_eq!(
        lenient.payload["config"]["metadataDescriptorUrl"],
        "https://idp.test/.well-known/openid-configuration"
    );
}

#[test]
fn names_keycloak_cannot_hold_are_rewritten_and_reported() {
    let connection = Connection::new("acme corp:sso", ConnectionKind::Oidc);
    let Error::Unrepresentable { losses, .. } =
        translate(Vendor::Ezto, &connection, &Policy::STRICT).unwrap_err()
    else {
        panic!("strict must refuse");
    };
    assert_eq!(losses[0].field, "name");
    let lenient = translate(Vendor::Ezto, &connection, &Policy::LENIENT).unwrap();
    assert_eq!(lenient.payload["alias"], "acme-corp-sso");
    assert_eq!(lenient.connection.name, "acme-corp-sso");
    // Dots, underscores and hyphens are fine as they are.
    assert!(
        translate(
            Vendor::Ezto,
            &Connection::new("acme_corp.sso-1", ConnectionKind::Oidc),
            &Policy::STRICT
        )
        .is_ok()
    );
    assert!(matches!(
        translate(
            Vendor::Ezto,
            &Connection::new(" ", ConnectionKind::Oidc),
            &Policy::LENIENT
        ),
        Err(Error::InvalidInput { .. })
    ));
}

#[test]
fn what_keycloak_cannot_hold_is_reported() {
    let mut connection = Connection::new("social", ConnectionKind::Social(SocialProvider::GitHub));
    connection.logo_url = Some("https://cdn.test/logo.png".into());
    connection.domains = vec!["acme.test".into()];
    connection.settings = Settings::OAuth(OAuthSettings {
        client_id: Some("c".into()),
        token_url: Some("https://github.test/token".into()),
        tenant: Some("t".into()),
        ..OAuthSettings::default()
    });
    let lenient = translate(Vendor::Ezto, &connection, &Policy::LENIENT).unwrap();
    let mut fields: Vec<&str> = lenient
        .report
        .losses
        .iter()
        .map(|l| l.field.as_str())
        .collect();
    fields.sort();
    assert_eq!(
        fields,
        [
            "domains",
            "logo_url",
            "settings.tenant",
            "settings.token_url"
        ]
    );

    let mut azure = Connection::new("azure", ConnectionKind::AzureAd);
    azure.settings = Settings::OAuth(OAuthSettings {
        tenant: Some("contoso.test".into()),
        ..OAuthSettings::default()
    });
    let lenient = translate(Vendor::Ezto, &azure, &Policy::LENIENT).unwrap();
    assert_eq!(lenient.payload["providerId"], "microsoft");
    assert_eq!(lenient.payload["config"]["tenantId"], "contoso.test");
    assert_eq!(lenient.report.losses[0].field, "kind");

    assert!(matches!(
        translate(
            Vendor::Ezto,
            &Connection::new("dir", ConnectionKind::Ldap),
            &Policy::LENIENT
        ),
        Err(Error::Unsupported { .. })
    ));
}

#[test]
fn invalid_urls_and_secret_extras_are_invalid_input_before_any_request() {
    let mut connection = Connection::new("u", ConnectionKind::Oidc);
    connection.settings = Settings::OAuth(OAuthSettings {
        token_url: Some("http://idp.test/token".into()),
        ..OAuthSettings::default()
    });
    match translate(Vendor::Ezto, &connection, &Policy::LENIENT).unwrap_err() {
        Error::InvalidInput { field, .. } => assert_eq!(field, "settings.token_url"),
        other => panic!("{other}"),
    }
    let mut connection = Connection::new("x", ConnectionKind::Oidc);
    let mut extras = serde_json::Map::new();
    extras.insert("config".into(), json!({"clientSecret": "plain"}));
    connection.extras.insert(Vendor::Ezto, extras);
    match translate(Vendor::Ezto, &connection, &Policy::LENIENT).unwrap_err() {
        Error::InvalidInput { field, .. } => {
            assert_eq!(field, "extras.eztoauth.config.clientSecret")
        }
        other => panic!("{other}"),
    }
}

#[test]
fn the_printable_payload_never_shows_the_secret() {
    let mut connection = Connection::new("s", ConnectionKind::Social(SocialProvider::Google));
    connection.settings = Settings::OAuth(OAuthSettings {
        client_id: Some("c".into()),
        client_secret: ClientSecret::known("hunter2"),
        ..OAuthSettings::default()
    });
    let translation = translate(Vendor::Ezto, &connection, &Policy::STRICT).unwrap();
    assert_eq!(translation.payload["config"]["clientSecret"], "**********");
    assert!(!translation.payload.to_string().contains("hunter2"));
    let (payload, _) = to_wire(Vendor::Ezto, &connection).unwrap();
    assert_eq!(
        payload.config.get("clientSecret"),
        Some("hunter2"),
        "the request itself carries it"
    );
    assert!(!printable(&payload).to_string().contains("hunter2"));
    assert!(!format!("{payload:?}").contains("hunter2"));
}

#[test]
fn update_keeps_unmodelled_fields_and_the_masked_secret() {
    let current = wire(keycloak_oidc());
    let mut desired = from_wire(Vendor::Ezto, &current).unwrap();
    desired.display_name = Some("Renamed".into());
    let (merged, losses) = for_update(Vendor::Ezto, &current, &desired).unwrap();
    assert!(losses.is_empty(), "{losses:?}");
    let merged = serde_json::to_value(&merged).unwrap();
    let mut expected = keycloak_oidc();
    expected["displayName"] = json!("Renamed");
    assert_eq!(
        merged, expected,
        "only the display name changed; the mask is echoed"
    );

    // A desired connection from elsewhere: no extras, no secret. Keycloak-only fields and
    // unmodelled config keys survive; the secret is kept by echoing the mask.
    let mut foreign = Connection::new("acme", ConnectionKind::Oidc);
    foreign.settings = Settings::OAuth(OAuthSettings {
        client_id: Some("new-client".into()),
        ..OAuthSettings::default()
    });
    let (merged, _) = for_update(Vendor::Ezto, &current, &foreign).unwrap();
    assert_eq!(merged.config.get("clientSecret"), Some("**********"));
    assert_eq!(merged.config.get("clientId"), Some("new-client"));
    assert_eq!(merged.config.get("syncMode"), Some("IMPORT"));
    assert_eq!(
        merged.config.get("tokenUrl"),
        None,
        "modelled keys come from the desired connection"
    );
    assert_eq!(merged.other["trustEmail"], true);
    assert_eq!(merged.internal_id, current.internal_id);
    assert_eq!(
        merged.enabled,
        Some(false),
        "unset flags keep their current values"
    );
    assert_eq!(merged.display_name, None);

    // A known secret is sent as is.
    foreign.settings = Settings::OAuth(OAuthSettings {
        client_secret: ClientSecret::known("rotated"),
        ..OAuthSettings::default()
    });
    let (merged, _) = for_update(Vendor::Ezto, &current, &foreign).unwrap();
    assert_eq!(merged.config.get("clientSecret"), Some("rotated"));
}

#[test]
fn update_refuses_alias_and_provider_changes_but_keeps_keycloak_oidc() {
    let current = wire(ezto_create_sample());
    let renamed = Connection::new("other", ConnectionKind::Oidc);
    match for_update(Vendor::Ezto, &current, &renamed).unwrap_err() {
        Error::InvalidInput { field, .. } => assert_eq!(field, "name"),
        other => panic!("{other}"),
    }
    let saml = Connection::new("keycloak-oidc-2", ConnectionKind::Saml);
    match for_update(Vendor::Ezto, &current, &saml).unwrap_err() {
        Error::InvalidInput { field, .. } => assert_eq!(field, "kind"),
        other => panic!("{other}"),
    }
    let oidc = Connection::new("keycloak-oidc-2", ConnectionKind::Oidc);
    let (merged, _) = for_update(Vendor::Ezto, &current, &oidc).unwrap();
    assert_eq!(merged.provider_id.as_deref(), Some("keycloak-oidc"));
}
