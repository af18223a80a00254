//! Property tests: neutral -> GenAuth -> neutral is the identity for everything GenAuth holds,
//! and every difference otherwise is reported as a loss.

use idconn_core::{
    ClientAuthMethod, ClientSecret, Connection, ConnectionKind, OAuthSettings, OidcChannel,
    Purpose, SamlBinding, SamlDigestAlgorithm, SamlSettings, SamlSignatureAlgorithm, Settings,
    SocialProvider, Vendor, changed_fields, off_held_as_no_applications, purpose_losses,
};
use idconn_genauth::mapping::{self, Intent};
use proptest::option::of;
use proptest::prelude::*;
use proptest::sample::select;
use serde_json::{Map, Value, json};

fn holdable_kind() -> impl Strategy<Value = ConnectionKind> {
    prop_oneof![
        Just(ConnectionKind::Oidc),
        Just(ConnectionKind::OAuth2),
        Just(ConnectionKind::AzureAd),
        Just(ConnectionKind::Saml),
        Just(ConnectionKind::Ldap),
        Just(ConnectionKind::ActiveDirectory),
        Just(ConnectionKind::Social(SocialProvider::Google)),
        Just(ConnectionKind::Social(SocialProvider::GitHub)),
        Just(ConnectionKind::Social(SocialProvider::Apple)),
        Just(ConnectionKind::Social(SocialProvider::LinkedIn)),
        Just(ConnectionKind::Social(SocialProvider::Other(
            "twitter".into()
        ))),
        Just(ConnectionKind::Custom("wechat:pc".into())),
        Just(ConnectionKind::Custom("cas".into())),
        Just(ConnectionKind::Custom("lark-internal".into())),
    ]
}

/// Kinds whose client id GenAuth has a `fields` key for.
fn holds_client_id(kind: &ConnectionKind) -> bool {
    matches!(
        kind,
        ConnectionKind::Oidc
            | ConnectionKind::OAuth2
            | ConnectionKind::AzureAd
            | ConnectionKind::Social(SocialProvider::GitHub)
    ) || *kind == ConnectionKind::Custom("wechat:pc".into())
}

/// Kinds whose client secret GenAuth has a `fields` key for (not Azure AD's: unpublished).
fn holds_client_secret(kind: &ConnectionKind) -> bool {
    holds_client_id(kind) && *kind != ConnectionKind::AzureAd
}

fn extras() -> impl Strategy<Value = Map<String, Value>> {
    (
        proptest::option::of("[0-9a-f]{24}"),
        proptest::collection::btree_map(
            "(issuerUri|scopeList|mode|userMatchFields|tenant|domain)[A-Z]?",
            prop_oneof![
                "[ -~]{0,12}".prop_map(Value::from),
                any::<bool>().prop_map(Value::from),
                (0i64..1000).prop_map(Value::from),
            ],
            0..4,
        ),
    )
        .prop_map(|(parent, fields)| {
            let mut extras = Map::new();
            if let Some(parent) = parent {
                extras.insert("extIdpId".into(), json!(parent));
            }
            if !fields.is_empty() {
                extras.insert("fields".into(), Value::Object(fields.into_iter().collect()));
            }
            extras
        })
}

/// Connections made only of what GenAuth holds.
fn holdable() -> impl Strategy<Value = Connection> {
    (
        "[A-Za-z0-9][A-Za-z0-9._-]{0,40}",
        "[^\\s][ -~]{0,30}",
        holdable_kind(),
        proptest::option::of("[a-z0-9]{1,20}"),
        proptest::option::of("[ -~]{1,20}"),
        proptest::option::of(any::<bool>()),
        proptest::option::of("[a-z]{1,10}"),
        extras(),
        select(OidcChannel::ALL),
        (
            of(select(
                &[
                    SamlSignatureAlgorithm::RsaSha256,
                    SamlSignatureAlgorithm::RsaSha1,
                ][..],
            )),
            of(select(
                &[SamlDigestAlgorithm::Sha256, SamlDigestAlgorithm::Sha1][..],
            )),
            of(select(SamlBinding::ALL)),
        ),
    )
        .prop_map(
            |(name, display, kind, client_id, secret, link, logo, mut extras, channel, request)| {
                let mut c = Connection::new(name, kind);
                c.display_name = Some(display);
                let secret = secret.filter(|_| holds_client_secret(&c.kind));
                if holds_client_id(&c.kind) && (client_id.is_some() || secret.is_some()) {
                    c.settings = Settings::OAuth(OAuthSettings {
                        client_id,
                        client_secret: secret.map_or(ClientSecret::Absent, ClientSecret::known),
                        // `mode`: an OIDC connection always has one on GenAuth.
                        channel: (c.kind == ConnectionKind::Oidc).then_some(channel),
                        ..OAuthSettings::default()
                    });
                }
                let (algorithm, digest, binding) = request;
                if c.kind == ConnectionKind::Saml
                    && (algorithm.is_some() || digest.is_some() || binding.is_some())
                {
                    c.settings = Settings::Saml(SamlSettings {
                        request_signature_algorithm: algorithm,
                        request_digest_algorithm: digest,
                        request_binding: binding,
                        ..SamlSettings::default()
                    });
                }
                // Keys the settings hold are not also in extras.
                let modelled: &[&str] = if c.kind == ConnectionKind::Oidc {
                    &["mode"]
                } else {
                    &[]
                };
                if let Some(Value::Object(fields)) = extras.get_mut("fields") {
                    fields.retain(|key, _| !modelled.contains(&key.as_str()));
                    if fields.is_empty() {
                        extras.remove("fields");
                    }
                }
                // GenAuth always reports both switches it has.
                c.purpose = Purpose {
                    sign_in: Some(true),
                    link: Some(link.unwrap_or(true)),
                    store_tokens: None,
                };
                c.logo_url = logo.map(|l| format!("https://cdn.example.com/{l}.png"));
                if !extras.is_empty() {
                    c.extras.insert(Vendor::GenAuth, extras);
                }
                c
            },
        )
}

/// Any connection, including what GenAuth cannot hold.
fn any_connection() -> impl Strategy<Value = Connection> {
    (
        holdable(),
        // Printable ASCII but the path syntax every vendor refuses (`/ \\ ? # %`).
        "[A-Za-z0-9][ -\"$&-.0->@-\\[\\]-~]{0,29}",
        proptest::option::of(any::<bool>()),
        proptest::option::of(any::<bool>()),
        proptest::option::of(any::<bool>()),
        proptest::option::of(any::<bool>()),
        proptest::collection::vec("[a-z]{1,8}", 0..3),
        proptest::collection::vec("[a-z]{1,8}\\.example", 0..2),
        proptest::option::of("[a-z]{1,8}"),
        any::<u8>(),
        (
            of(select(OidcChannel::ALL)),
            of(select(SamlSignatureAlgorithm::ALL)),
            of(select(SamlDigestAlgorithm::ALL)),
        ),
    )
        .prop_map(
            |(
                mut c,
                name,
                sign_in,
                store,
                enabled,
                show,
                scopes,
                domains,
                issuer,
                pick,
                (channel, algorithm, digest),
            )| {
                if pick % 3 == 0 {
                    c.name = name;
                }
                c.purpose.sign_in = sign_in.or(c.purpose.sign_in);
                c.purpose.store_tokens = store;
                if pick % 5 == 0 {
                    c.purpose.link = None;
                }
                c.enabled = enabled;
                c.show_on_login = show;
                c.domains = domains;
                match (&mut c.settings, pick % 4) {
                    (Settings::OAuth(oauth), _) => {
                        oauth.scopes = scopes;
                        oauth.issuer = issuer.map(|i| format!("https://{i}.example"));
                        if pick % 7 == 0 {
                            oauth.client_auth_method = Some(ClientAuthMethod::ClientSecretBasic);
                        }
                        // Any channel, on any kind (only OIDC has `mode`).
                        oauth.channel = channel.or(oauth.channel);
                    }
                    (settings, 0) if c.kind == ConnectionKind::Saml => {
                        *settings = Settings::Saml(SamlSettings {
                            sign_in_url: issuer.map(|i| format!("https://{i}.example/sso")),
                            request_signature_algorithm: algorithm,
                            request_digest_algorithm: digest,
                            ..SamlSettings::default()
                        });
                    }
                    _ => {}
                }
                if pick % 11 == 0 {
                    c.kind = ConnectionKind::Custom("oidc".into());
                }
                c
            },
        )
}

fn round_trip(c: &Connection) -> (Connection, Vec<idconn_core::Loss>, Vec<idconn_core::Note>) {
    let (body, report) = mapping::to_wire(c, Intent::Create).unwrap();
    let mut held = mapping::readback(&body).unwrap();
    // The applications travel beside the body (change-ext-idp-conn-state), as translate says.
    held.applications = mapping::applications::held(c);
    let mut losses = report.losses;
    losses.extend(purpose_losses(&c.purpose, &held.purpose, "GenAuth"));
    (held, losses, report.notes)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn what_genauth_holds_round_trips_exactly(c in holdable()) {
        let (held, losses, _) = round_trip(&c);
        prop_assert!(losses.is_empty(), "{:?}", losses);
        prop_assert_eq!(changed_fields(&c, &held), Vec::<String>::new());
        prop_assert_eq!(&held, &c);
        // And the wire form survives serde both ways.
        let (body, _) = mapping::to_wire(&c, Intent::Create).unwrap();
        let again: idconn_genauth::wire::CreateConn =
            serde_json::from_value(serde_json::to_value(&body).unwrap()).unwrap();
        prop_assert_eq!(again, body);
    }

    #[test]
    fn every_difference_is_a_reported_loss(c in any_connection()) {
        let (held, losses, notes) = round_trip(&c);
        let reshaped = off_held_as_no_applications(&c, &held);
        for path in changed_fields(&c, &held) {
            // Off is held as enabled for no application: the same, not a loss.
            if reshaped && (path == "enabled" || path == "applications") {
                continue;
            }
            // GenAuth's OIDC `mode` is chosen, with a note, when the source states no channel.
            if path == "settings.channel"
                && c.settings.oauth().is_some_and(|o| o.channel.is_none())
                && notes.iter().any(|n| n.reason.contains("`mode` set to"))
            {
                continue;
            }
            // A `mode` kept in extras gives way to the channel the settings state.
            let extras_mode = c
                .extras_for(Vendor::GenAuth)
                .get("fields")
                .is_some_and(|f| f.get("mode").is_some());
            if path.starts_with("extras")
                && extras_mode
                && c.settings.oauth().is_some_and(|o| o.channel.is_some())
            {
                continue;
            }
            // A missing display name is filled with the name (displayName is required), which
            // is what a login page shows anyway: a normalization, not a loss.
            if path == "display_name" && c.display_name.is_none() {
                continue;
            }
            // A switch the source left unset (its vendor has none) is never a loss (core's
            // purpose_losses); GenAuth then reports the value it holds.
            // Settings with nothing set read back as no settings: nothing was lost.
            let empty = match &c.settings {
                Settings::OAuth(o) => *o == OAuthSettings::default(),
                Settings::Saml(s) => *s == SamlSettings::default(),
                Settings::Directory(d) => *d == idconn_core::DirectorySettings::default(),
                Settings::None => true,
                _ => false,
            };
            // Settings whose every field was lost leave no settings: covered by those losses.
            let settings_lost = losses.iter().any(|l| l.field.starts_with("settings."));
            if path == "settings.protocol" && (empty || settings_lost) {
                continue;
            }
            let unset = |switch: Option<bool>| switch.is_none();
            if (path == "purpose.link" && unset(c.purpose.link))
                || (path == "purpose.sign_in" && unset(c.purpose.sign_in))
            {
                continue;
            }
            prop_assert!(
                losses.iter().any(|l| path.starts_with(&l.field) || l.field.starts_with(&path)),
                "{} changed without a loss; losses: {:?}", path, losses
            );
        }
        // A connection that may not sign in would be widened: reported as such.
        if c.purpose.sign_in == Some(false) {
            prop_assert!(losses.iter().any(|l| l.widening && l.field == "purpose.sign_in"));
        }
    }
}
