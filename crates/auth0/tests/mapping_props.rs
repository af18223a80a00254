//! Property tests: neutral -> Auth0 -> neutral is the identity for everything Auth0 holds, and
//! for anything else every difference is reported as a loss.

use idconn_auth0::mapping::translate;
use idconn_core::{
    Certificate, ClientAuthMethod, ClientSecret, Connection, ConnectionKind, DirectorySettings,
    Error, Extras, Loss, OAuthSettings, OidcChannel, Policy, Purpose, SamlBinding,
    SamlDigestAlgorithm, SamlSettings, SamlSignatureAlgorithm, Settings, SocialProvider, Vendor,
    changed_fields, off_held_as_no_applications,
};
use proptest::collection::{btree_map, vec};
use proptest::option::of;
use proptest::prelude::*;
use proptest::sample::select;
use serde_json::{Map, Value, json};

fn url() -> impl Strategy<Value = String> {
    "https://[a-z]{1,10}\\.example\\.com(/[a-z]{1,8}){0,2}"
}

fn scope_token() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9_.:]{0,10}"
}

fn secret() -> impl Strategy<Value = ClientSecret> {
    prop_oneof![
        Just(ClientSecret::Absent),
        "[A-Za-z0-9]{1,20}".prop_map(ClientSecret::known)
    ]
}

fn certificate() -> impl Strategy<Value = Certificate> {
    vec(any::<u8>(), 1..60).prop_map(|body| {
        let mut der = vec![0x30, body.len() as u8];
        der.extend(body);
        Certificate::from_der(der, "test").unwrap()
    })
}

fn with_openid(mut scopes: Vec<String>) -> Vec<String> {
    if !scopes.is_empty() && !scopes.iter().any(|s| s == "openid") {
        scopes.insert(0, "openid".into());
    }
    scopes
}

/// Empty typed settings mean no settings (what a read of empty options gives).
fn normalize(settings: Settings) -> Settings {
    let empty = match &settings {
        Settings::OAuth(s) => *s == OAuthSettings::default(),
        Settings::Saml(s) => *s == SamlSettings::default(),
        Settings::Directory(d) => *d == DirectorySettings::default(),
        Settings::None => true,
        _ => false,
    };
    if empty { Settings::None } else { settings }
}

/// A kind Auth0 holds exactly, settings it holds, whether it holds a logo, and the strategy
/// hint extras must carry.
fn holdable_kind() -> impl Strategy<Value = (ConnectionKind, Settings, bool, Option<&'static str>)>
{
    let client = || (of("[a-z0-9]{1,20}"), secret(), vec(scope_token(), 0..4));
    let oidc = (
        client(),
        (
            of(url()),
            of(url()),
            of(url()),
            of(url()),
            of(url()),
            of(url()),
        ),
        of(prop_oneof![
            Just(ClientAuthMethod::ClientSecretPost),
            Just(ClientAuthMethod::PrivateKeyJwt)
        ]),
        of(any::<bool>()),
        prop_oneof![Just(None), Just(Some("okta"))],
        of(select(OidcChannel::ALL)),
    )
        .prop_map(
            |((id, secret, scopes), urls, method, pkce, hint, channel)| {
                // okta takes the back channel only (OAS ConnectionTypeEnumOkta).
                let channel = channel.map(|c| {
                    if hint.is_some() {
                        OidcChannel::BackChannel
                    } else {
                        c
                    }
                });
                let settings = Settings::OAuth(OAuthSettings {
                    client_id: id,
                    client_secret: secret,
                    scopes: with_openid(scopes),
                    issuer: urls.0,
                    discovery_url: urls.1,
                    authorization_url: urls.2,
                    token_url: urls.3,
                    userinfo_url: urls.4,
                    jwks_url: urls.5,
                    client_auth_method: method,
                    pkce,
                    tenant: None,
                    channel,
                });
                (ConnectionKind::Oidc, settings, true, hint)
            },
        );
    let saml = (
        of(url()),
        of(url()),
        of("urn:[a-z]{1,10}:[a-z]{1,10}"),
        vec(certificate(), 0..=1),
        of(any::<bool>()),
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
            |(sign_in, sign_out, sp, certs, sign, (algorithm, digest, binding))| {
                let settings = Settings::Saml(SamlSettings {
                    sign_in_url: sign_in,
                    sign_out_url: sign_out,
                    idp_entity_id: None,
                    sp_entity_id: sp,
                    signing_certificates: certs,
                    name_id_format: None,
                    sign_requests: sign,
                    request_signature_algorithm: algorithm,
                    request_digest_algorithm: digest,
                    request_binding: binding,
                    ..SamlSettings::default()
                });
                (ConnectionKind::Saml, settings, true, None)
            },
        );
    let azure = (client(), of("[a-z]{1,10}\\.onmicrosoft\\.com")).prop_map(
        |((id, secret, scopes), tenant)| {
            let settings = Settings::OAuth(OAuthSettings {
                client_id: id,
                client_secret: secret,
                scopes,
                tenant,
                ..OAuthSettings::default()
            });
            (ConnectionKind::AzureAd, settings, true, None)
        },
    );
    let oauth2 = (client(), of(url()), of(url()), of(any::<bool>())).prop_map(
        |((id, secret, scopes), auth, token, pkce)| {
            let settings = Settings::OAuth(OAuthSettings {
                client_id: id,
                client_secret: secret,
                scopes,
                authorization_url: auth,
                token_url: token,
                pkce,
                ..OAuthSettings::default()
            });
            (ConnectionKind::OAuth2, settings, true, None)
        },
    );
    let social = (
        client(),
        prop_oneof![
            Just((SocialProvider::Google, true)),
            Just((SocialProvider::GitHub, false)),
            Just((SocialProvider::Microsoft, false)),
            Just((SocialProvider::Apple, false)),
            Just((SocialProvider::Facebook, false)),
            Just((SocialProvider::LinkedIn, false)),
        ],
    )
        .prop_map(|((id, secret, scopes), (provider, icon))| {
            let settings = Settings::OAuth(OAuthSettings {
                client_id: id,
                client_secret: secret,
                scopes,
                ..OAuthSettings::default()
            });
            (ConnectionKind::Social(provider), settings, icon, None)
        });
    let directory = prop_oneof![
        Just((ConnectionKind::ActiveDirectory, Settings::None, true, None)),
        url().prop_map(|u| {
            let settings = Settings::Directory(DirectorySettings {
                url: Some(u),
                base_dn: None,
            });
            (
                ConnectionKind::ActiveDirectory,
                settings,
                true,
                Some("adfs"),
            )
        }),
    ];
    let custom = ("[a-z0-9]{1,10}", secret()).prop_map(|(id, secret)| {
        let settings = Settings::OAuth(OAuthSettings {
            client_id: Some(id),
            client_secret: secret,
            ..OAuthSettings::default()
        });
        (
            ConnectionKind::Custom("twitter".into()),
            settings,
            false,
            None,
        )
    });
    let database = Just((
        ConnectionKind::Custom("auth0".into()),
        Settings::None,
        false,
        None,
    ));
    prop_oneof![
        oidc, saml, azure, oauth2, social, directory, custom, database
    ]
    .prop_map(|(kind, settings, icon, hint)| (kind, normalize(settings), icon, hint))
}

fn extras_entry() -> impl Strategy<Value = Map<String, Value>> {
    (
        btree_map("x_[a-z]{1,6}", "[a-z0-9 ]{0,10}", 0..3),
        of(any::<bool>()),
        of(btree_map("[a-z]{1,6}", "[a-z0-9]{0,20}", 0..4)),
    )
        .prop_map(|(options, domain_connection, metadata)| {
            let mut map = Map::new();
            if !options.is_empty() {
                map.insert("options".into(), json!(options));
            }
            if let Some(flag) = domain_connection {
                map.insert("is_domain_connection".into(), json!(flag));
            }
            if let Some(metadata) = metadata {
                map.insert("metadata".into(), json!(metadata));
            }
            map
        })
}

prop_compose! {
    fn holdable()(
        name in "[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,3}",
        display_name in of("[A-Za-z][A-Za-z ]{0,30}"),
        (kind, settings, icon, hint) in holdable_kind(),
        sign_in in of(any::<bool>()),
        store_tokens in of(any::<bool>()),
        logo in of(url()),
        show in of(any::<bool>()),
        domains in vec("[a-z]{1,8}\\.example\\.org", 0..=10),
        mut entry in extras_entry(),
    ) -> Connection {
        if let Some(hint) = hint {
            entry.insert("strategy".into(), json!(hint));
        }
        let mut extras = Extras::new();
        if !entry.is_empty() {
            extras.insert(Vendor::Auth0, entry);
        }
        Connection {
            id: None,
            name,
            display_name,
            kind,
            settings,
            purpose: Purpose { sign_in, link: None, store_tokens },
            enabled: None,
            logo_url: if icon { logo } else { None },
            show_on_login: show,
            domains,
            extras,
            read_notes: Vec::new(),
            attribute_map: None,
            applications: None,
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn round_trip_is_the_identity_for_what_auth0_holds(c in holdable()) {
        let t = translate(&c, &Policy::STRICT).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert!(t.report.is_exact(), "{:?}", t.report);
        let changed = changed_fields(&c, &t.connection);
        prop_assert!(changed.is_empty(), "changed: {changed:?}");
        // The printable payload never shows a known secret.
        if let Some(secret) = c.settings.client_secret().expose() {
            let quoted = format!("\"{secret}\"");
            prop_assert!(!t.payload.to_string().contains(&quoted));
        }
    }
}

fn any_kind() -> impl Strategy<Value = ConnectionKind> {
    prop_oneof![
        Just(ConnectionKind::Oidc),
        Just(ConnectionKind::OAuth2),
        Just(ConnectionKind::Saml),
        Just(ConnectionKind::AzureAd),
        Just(ConnectionKind::ActiveDirectory),
        Just(ConnectionKind::Ldap),
        Just(ConnectionKind::Social(SocialProvider::Google)),
        Just(ConnectionKind::Social(SocialProvider::GitHub)),
        Just(ConnectionKind::Social(SocialProvider::Apple)),
        Just(ConnectionKind::Social(SocialProvider::Facebook)),
        Just(ConnectionKind::Social(SocialProvider::GitLab)),
        Just(ConnectionKind::Social(SocialProvider::Other(
            "twitter".into()
        ))),
        Just(ConnectionKind::Custom("pingfederate".into())),
        Just(ConnectionKind::Custom("wechat:pc".into())),
    ]
}

fn any_settings() -> impl Strategy<Value = Settings> {
    let oauth = (
        (
            of("[a-z0-9]{1,10}"),
            prop_oneof![secret(), Just(ClientSecret::Masked)],
            vec(scope_token(), 0..3),
        ),
        (
            of(url()),
            of(url()),
            of(url()),
            of(url()),
            of(url()),
            of(url()),
        ),
        of(prop_oneof![
            Just(ClientAuthMethod::ClientSecretPost),
            Just(ClientAuthMethod::ClientSecretBasic),
            Just(ClientAuthMethod::PrivateKeyJwt),
        ]),
        of(any::<bool>()),
        of("[a-z]{1,8}"),
        of(select(OidcChannel::ALL)),
    )
        .prop_map(
            |((id, secret, scopes), urls, method, pkce, tenant, channel)| {
                Settings::OAuth(OAuthSettings {
                    client_id: id,
                    client_secret: secret,
                    scopes,
                    issuer: urls.0,
                    discovery_url: urls.1,
                    authorization_url: urls.2,
                    token_url: urls.3,
                    userinfo_url: urls.4,
                    jwks_url: urls.5,
                    client_auth_method: method,
                    pkce,
                    tenant,
                    channel,
                })
            },
        );
    let saml = (
        of(url()),
        of(url()),
        of(url()),
        of("urn:[a-z]{1,8}"),
        vec(certificate(), 0..3),
        of("urn:[a-z:]{1,20}"),
        of(any::<bool>()),
        (
            of(select(SamlSignatureAlgorithm::ALL)),
            of(select(SamlDigestAlgorithm::ALL)),
            of(select(SamlBinding::ALL)),
        ),
    )
        .prop_map(
            |(a, b, idp, sp, certs, nameid, sign, (algorithm, digest, binding))| {
                Settings::Saml(SamlSettings {
                    sign_in_url: a,
                    sign_out_url: b,
                    idp_entity_id: idp,
                    sp_entity_id: sp,
                    signing_certificates: certs,
                    name_id_format: nameid,
                    sign_requests: sign,
                    request_signature_algorithm: algorithm,
                    request_digest_algorithm: digest,
                    request_binding: binding,
                    ..SamlSettings::default()
                })
            },
        );
    let directory = (of(url()), of("dc=[a-z]{1,6}"))
        .prop_map(|(url, base_dn)| Settings::Directory(DirectorySettings { url, base_dn }));
    prop_oneof![Just(Settings::None), oauth, saml, directory].prop_map(normalize)
}

prop_compose! {
    fn anything()(
        name in "[a-zA-Z0-9_. -]{1,20}",
        kind in any_kind(),
        settings in any_settings(),
        purpose in (of(any::<bool>()), of(any::<bool>()), of(any::<bool>())),
        enabled in of(any::<bool>()),
        logo in of(url()),
        show in of(any::<bool>()),
        domains in vec("[a-z]{1,8}\\.example\\.org", 0..=10),
    ) -> Connection {
        Connection {
            id: None,
            name,
            display_name: None,
            kind,
            settings,
            purpose: Purpose { sign_in: purpose.0, link: purpose.1, store_tokens: purpose.2 },
            enabled,
            logo_url: logo,
            show_on_login: show,
            domains,
            extras: Extras::new(),
            read_notes: Vec::new(),
            attribute_map: None,
            applications: None,
        }
    }
}

/// Whether a changed path is explained by a loss. A changed settings `protocol` tag is the
/// consequence of settings being dropped, so any settings loss explains it.
fn covered(path: &str, losses: &[Loss]) -> bool {
    losses
        .iter()
        .any(|l| path.starts_with(&l.field) || l.field.starts_with(path))
        || (path == "settings.protocol" && losses.iter().any(|l| l.field.starts_with("settings")))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn every_difference_is_reported_as_a_loss(c in anything()) {
        let lenient = Policy::LENIENT.with_widening(true);
        match translate(&c, &lenient) {
            Ok(t) => {
                let reshaped = off_held_as_no_applications(&c, &t.connection);
                let changed = changed_fields(&c, &t.connection);
                for path in &changed {
                    // Off is held as enabled for no application: the same, not a loss.
                    if reshaped && (path == "enabled" || path == "applications") {
                        continue;
                    }
                    prop_assert!(
                        covered(path, &t.report.losses),
                        "{path} changed without a loss; losses: {:?}", t.report.losses
                    );
                }
                // Strict refuses exactly when something was lost.
                let strict = translate(&c, &Policy::STRICT.with_widening(true));
                prop_assert_eq!(strict.is_ok(), t.report.is_exact());
            }
            Err(Error::InvalidInput { .. } | Error::Unsupported { .. }) => {}
            Err(other) => prop_assert!(false, "unexpected error {other:?}"),
        }
    }
}
