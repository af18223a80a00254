//! Translation policy: strict refuses every loss at once, lenient reports, widening needs consent.

use idconn_core::{
    ClientSecret, Connection, ConnectionKind, Error, Loss, OAuthSettings, Policy, Purpose,
    Settings, TranslationReport, Vendor, changed_fields, purpose_losses,
};

fn report(losses: Vec<Loss>) -> TranslationReport {
    TranslationReport {
        vendor: Vendor::GenAuth,
        connection: "acme".into(),
        losses,
        notes: Vec::new(),
    }
}

fn two_losses_and_a_widening() -> TranslationReport {
    report(vec![
        Loss::dropped(
            "enabled",
            "false",
            "GenAuth keeps no enabled flag on a connection",
        ),
        Loss::changed(
            "name",
            "acme_corp.sso",
            "acme-corp-sso",
            "not a valid identifier",
        ),
        Loss::changed(
            "purpose.sign_in",
            "false",
            "true",
            "GenAuth always allows sign-in",
        )
        .widening(),
    ])
}

#[test]
fn strict_refuses_listing_every_loss_at_once() {
    let err = Policy::STRICT
        .enforce(&two_losses_and_a_widening())
        .unwrap_err();
    let Error::Unrepresentable {
        losses,
        vendor,
        connection,
    } = &err
    else {
        panic!("expected Unrepresentable, got {err:?}");
    };
    assert_eq!(*vendor, Vendor::GenAuth);
    assert_eq!(connection, "acme");
    assert_eq!(losses.len(), 3, "all losses listed at once");
    let text = err.to_string();
    for field in ["enabled", "name", "purpose.sign_in"] {
        assert!(text.contains(field), "{field} missing from: {text}");
    }
}

#[test]
fn strict_passes_an_exact_translation() {
    assert!(Policy::STRICT.enforce(&report(vec![])).is_ok());
}

#[test]
fn lenient_accepts_losses_but_not_widening() {
    let plain = report(two_losses_and_a_widening().losses[..2].to_vec());
    assert!(Policy::LENIENT.enforce(&plain).is_ok());

    let err = Policy::LENIENT
        .enforce(&two_losses_and_a_widening())
        .unwrap_err();
    let Error::Unrepresentable { losses, .. } = err else {
        panic!("expected Unrepresentable");
    };
    assert_eq!(losses.len(), 1);
    assert_eq!(losses[0].field, "purpose.sign_in");
    assert!(losses[0].widening);
}

#[test]
fn widening_passes_only_when_allowed_by_name() {
    let all = two_losses_and_a_widening();
    assert!(Policy::LENIENT.with_widening(true).enforce(&all).is_ok());
    // Strict with widening allowed still refuses the other losses, and only those.
    let err = Policy::STRICT
        .with_widening(true)
        .enforce(&all)
        .unwrap_err();
    let Error::Unrepresentable { losses, .. } = err else {
        panic!("expected Unrepresentable");
    };
    assert_eq!(losses.len(), 2);
    assert!(losses.iter().all(|l| !l.widening));
}

#[test]
fn default_policy_is_strict_without_widening() {
    assert_eq!(Policy::default(), Policy::STRICT);
}

#[test]
fn purpose_losses_follow_the_design_table() {
    // GenAuth loginOnly:true (sign in, no link) moved to ezto linkOnly:false (sign in, link).
    let genauth = Purpose {
        sign_in: Some(true),
        link: Some(false),
        store_tokens: None,
    };
    let ezto = Purpose {
        sign_in: Some(true),
        link: Some(true),
        store_tokens: Some(false),
    };
    let losses = purpose_losses(&genauth, &ezto, "ezto cannot forbid linking");
    assert_eq!(losses.len(), 1);
    assert_eq!(losses[0].field, "purpose.link");
    assert!(
        losses[0].widening,
        "allowing linking grants more than the source"
    );

    // ezto linkOnly:true (no sign in) moved to GenAuth (always sign in): a widening.
    let link_only = Purpose {
        sign_in: Some(false),
        link: Some(true),
        store_tokens: None,
    };
    let genauth_any = Purpose {
        sign_in: Some(true),
        link: Some(true),
        store_tokens: None,
    };
    let losses = purpose_losses(&link_only, &genauth_any, "GenAuth always allows sign-in");
    assert_eq!(losses.len(), 1);
    assert!(losses[0].widening);

    // A switch the source did not set is never a loss; a narrowing is a loss, not a widening.
    let unset = Purpose::default();
    assert!(purpose_losses(&unset, &ezto, "x").is_empty());
    let vault = Purpose {
        sign_in: None,
        link: None,
        store_tokens: Some(true),
    };
    let dropped = purpose_losses(&vault, &unset, "no token store");
    assert_eq!(dropped.len(), 1);
    assert!(!dropped[0].widening);
    assert_eq!(dropped[0].target, "(dropped)");
}

#[test]
fn changed_fields_names_paths_and_treats_masked_secrets_as_unknown() {
    let mut a = Connection::new("x", ConnectionKind::Oidc);
    a.settings = Settings::OAuth(OAuthSettings {
        client_id: Some("one".into()),
        client_secret: ClientSecret::known("s1"),
        scopes: vec!["openid".into()],
        ..OAuthSettings::default()
    });
    let mut b = a.clone();
    b.id = Some("con_123".into());
    assert!(
        changed_fields(&a, &b).is_empty(),
        "the vendor id is not a change"
    );

    if let Settings::OAuth(s) = &mut b.settings {
        s.client_id = Some("two".into());
        s.client_secret = ClientSecret::known("s2");
    }
    b.display_name = Some("X".into());
    assert_eq!(
        changed_fields(&a, &b),
        vec![
            "display_name",
            "settings.client_id",
            "settings.client_secret"
        ]
    );

    let mut masked = a.clone();
    if let Settings::OAuth(s) = &mut masked.settings {
        s.client_secret = ClientSecret::Masked;
    }
    assert!(
        changed_fields(&masked, &a).is_empty(),
        "masked cannot be compared"
    );
}
