//! The library's surface as a user meets it: offline translation with no credentials, the
//! capabilities of every vendor, the connection constructors, typed outcomes and counts, and
//! errors that clone and expose their source.

use idconn::{Connection, ConnectionKind, Loss, Settings};
use idconn::{
    ConnectionError, ConnectionOutcome, Error, OAuthSettings, Outcome, OutcomeCounts, Policy,
    Purpose, SamlSettings, SocialProvider, SyncError, Vendor, translate,
};

fn sso() -> Connection {
    Connection::oidc(
        "acme-sso",
        OAuthSettings {
            client_id: Some("client".into()),
            issuer: Some("https://idp.example.com".into()),
            authorization_url: Some("https://idp.example.com/authorize".into()),
            token_url: Some("https://idp.example.com/token".into()),
            ..OAuthSettings::default()
        },
    )
    .with_display_name("Acme SSO")
}

#[test]
fn every_vendor_translates_offline_without_credentials() {
    for vendor in Vendor::ALL {
        let translation =
            translate(vendor, &sso(), &Policy::LENIENT).unwrap_or_else(|e| panic!("{vendor}: {e}"));
        assert_eq!(translation.report.vendor, vendor);
        assert_eq!(translation.connection.name, "acme-sso");
        assert!(translation.payload.is_object(), "{vendor}");
        assert_eq!(vendor.capabilities().vendor, vendor);
    }
    // The same pure mapping the providers run: a strict translation refuses what GenAuth
    // cannot hold, before any provider exists.
    let err = translate(Vendor::GenAuth, &sso(), &Policy::STRICT).unwrap_err();
    assert!(matches!(err, Error::Unrepresentable { .. }), "{err}");
}

#[test]
fn constructors_make_kind_and_settings_agree() {
    let saml = Connection::saml("corp", SamlSettings::default());
    assert_eq!(saml.kind, ConnectionKind::Saml);
    assert!(matches!(saml.settings, Settings::Saml(_)));
    let github = Connection::social("gh", SocialProvider::GitHub, OAuthSettings::default())
        .with_purpose(Purpose {
            sign_in: Some(true),
            link: Some(false),
            store_tokens: None,
        })
        .with_domains(["acme.example"])
        .with_logo_url("https://acme.example/logo.png")
        .with_show_on_login(true)
        .with_enabled(true);
    assert_eq!(github.kind, ConnectionKind::Social(SocialProvider::GitHub));
    assert_eq!(github.domains, ["acme.example"]);
    assert_eq!(github.purpose.link, Some(false));
    let oauth2 = Connection::oauth2("plain", OAuthSettings::default());
    assert_eq!(oauth2.kind, ConnectionKind::OAuth2);
    for c in [saml, github, oauth2, sso()] {
        c.check_settings_fit_kind().unwrap();
    }
}

#[test]
fn outcomes_carry_the_error_and_count_by_type() {
    let failure = Error::invalid("name", "is taken");
    let outcome = |name: &str, outcome: Outcome, lossy: bool| ConnectionOutcome {
        name: name.into(),
        target_name: name.into(),
        outcome,
        losses: if lossy {
            vec![Loss::dropped(
                "settings.scopes",
                "openid",
                "no place for it",
            )]
        } else {
            Vec::new()
        },
        notes: Vec::new(),
        applications: None,
        missing_applications: Vec::new(),
    };
    let outcomes = [
        outcome("a", Outcome::Created { id: None }, true),
        outcome("b", Outcome::Unchanged, false),
        outcome(
            "c",
            Outcome::Failed {
                error: failure.clone(),
            },
            false,
        ),
        outcome("d", Outcome::Created { id: None }, false),
    ];
    let counts = OutcomeCounts::of(&outcomes);
    assert_eq!(
        (
            counts.created,
            counts.unchanged,
            counts.failed,
            counts.with_losses
        ),
        (2, 1, 1, 1)
    );
    assert_eq!(counts.updated + counts.skipped + counts.deleted, 0);
    match &outcomes[2].outcome {
        Outcome::Failed { error } => assert_eq!(error, &failure),
        other => panic!("{other:?}"),
    }
    // Serialized, a failure is its one sentence.
    let json = serde_json::to_value(&outcomes[2]).unwrap();
    assert_eq!(json["error"], "invalid name: is taken");
}

#[test]
fn errors_clone_and_expose_their_source() {
    let error = Error::invalid("AUTH0_DOMAIN", "is not set");
    let connection_error = ConnectionError {
        connection: "acme".into(),
        error: error.clone(),
    };
    let source = std::error::Error::source(&connection_error).expect("a source");
    assert_eq!(source.downcast_ref::<Error>(), Some(&error));
    let sync = SyncError::from(error.clone());
    let source = std::error::Error::source(&sync).expect("a source");
    assert_eq!(source.to_string(), error.to_string());
}

#[test]
fn an_offline_translation_to_ezto_or_keycloak_shows_the_mappers_it_writes() {
    use idconn::{AttributeMap, MappingRule, MappingSource};
    let claim = |name: &str| MappingSource::Claim {
        claim: name.into(),
        from: None,
    };
    let rules = vec![
        MappingRule::new("email", claim("mail")),
        MappingRule::new("tier", MappingSource::Constant("gold".into())),
    ];
    let mapped = Connection {
        attribute_map: Some(AttributeMap {
            rules,
            ..AttributeMap::default()
        }),
        ..sso()
    };
    // The bodies POSTed to /instances/acme-sso/mappers after the provider, each naming it.
    let expected = serde_json::json!([
        {
            "name": "email",
            "identityProviderAlias": "acme-sso",
            "identityProviderMapper": "oidc-user-attribute-idp-mapper",
            "config": {"claim": "mail", "syncMode": "INHERIT", "user.attribute": "email"}
        },
        {
            "name": "tier",
            "identityProviderAlias": "acme-sso",
            "identityProviderMapper": "hardcoded-attribute-idp-mapper",
            "config": {"attribute": "tier", "attribute.value": "gold", "syncMode": "INHERIT"}
        }
    ]);
    for vendor in [Vendor::Ezto, Vendor::Keycloak] {
        let translation = translate(vendor, &mapped, &Policy::STRICT).unwrap();
        assert_eq!(translation.payload["mappers"], expected, "{vendor}");
        assert_eq!(translation.payload["alias"], "acme-sso", "{vendor}");
        assert_eq!(
            translation.connection.attribute_map, mapped.attribute_map,
            "{vendor}: what it will hold"
        );
        // No stated mapping, no mappers written: the payload says nothing of them.
        let plain = translate(vendor, &sso(), &Policy::STRICT).unwrap();
        assert!(plain.payload.get("mappers").is_none(), "{vendor}");
    }
    // Auth0 holds the same rules inside the connection's own options.
    let auth0 = translate(Vendor::Auth0, &mapped, &Policy::STRICT).unwrap();
    assert!(auth0.payload.get("mappers").is_none());
    assert_eq!(
        auth0.payload["options"]["attribute_map"]["attributes"]["email"],
        "${context.tokenset.mail}"
    );
}
