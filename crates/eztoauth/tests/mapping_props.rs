//! Property tests: neutral -> ezto -> neutral is the identity for everything ezto holds, and
//! every difference for what it does not hold is reported as a loss.

use idconn_core::{
    Certificate, ClientAuthMethod, ClientSecret, Connection, ConnectionKind, OAuthSettings,
    OidcChannel, Policy, Purpose, SamlBinding, SamlDigestAlgorithm, SamlSettings,
    SamlSignatureAlgorithm, Settings, SocialProvider, Vendor, changed_fields,
};
use idconn_eztoauth::mapping::{from_wire, to_wire, translate};
use idconn_eztoauth::wire::IdentityProvider;
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use proptest::sample::select;
use serde_json::{Value, json};

fn https_url() -> impl Strategy<Value = String> {
    "[a-z]{1,8}(/[a-z0-9]{1,6}){0,2}".prop_map(|path| format!("https://idp.example.test/{path}"))
}

fn text() -> impl Strategy<Value = String> {
    "[A-Za-z0-9 ._:-]{1,20}"
}

fn certificate() -> impl Strategy<Value = Certificate> {
    vec(any::<u8>(), 1..60).prop_map(|body| {
        let mut der = vec![0x30, body.len() as u8];
        der.extend(body);
        Certificate::from_der(der, "test").unwrap()
    })
}

fn auth_method() -> impl Strategy<Value = ClientAuthMethod> {
    prop_oneof![
        Just(ClientAuthMethod::ClientSecretPost),
        Just(ClientAuthMethod::ClientSecretBasic),
        Just(ClientAuthMethod::ClientSecretJwt),
        Just(ClientAuthMethod::PrivateKeyJwt),
    ]
}

fn secret() -> impl Strategy<Value = ClientSecret> {
    prop_oneof![
        Just(ClientSecret::Absent),
        "[A-Za-z0-9]{1,30}".prop_map(ClientSecret::known)
    ]
}

fn oauth(kind: &ConnectionKind) -> BoxedStrategy<Settings> {
    let oidc = matches!(kind, ConnectionKind::Oidc);
    let microsoft = matches!(kind, ConnectionKind::Social(SocialProvider::Microsoft));
    (
        option::of(text()),
        secret(),
        vec("[a-z_:.]{1,10}", 0..4),
        option::of(auth_method()),
        option::of(any::<bool>()),
        vec(option::of(https_url()), 6),
        option::of("[a-z0-9.-]{1,20}"),
    )
        .prop_map(
            move |(client_id, client_secret, scopes, method, pkce, urls, tenant)| {
                let url = |i: usize| if oidc { urls[i].clone() } else { None };
                Settings::OAuth(OAuthSettings {
                    client_id,
                    client_secret,
                    scopes,
                    issuer: url(0),
                    discovery_url: url(1),
                    // Keycloak needs explicit endpoints (a discovery URL alone is a loss, tested apart).
                    authorization_url: if oidc {
                        Some(
                            urls[2]
                                .clone()
                                .unwrap_or_else(|| "https://idp.example.test/a".into()),
                        )
                    } else {
                        None
                    },
                    token_url: if oidc {
                        Some(
                            urls[3]
                                .clone()
                                .unwrap_or_else(|| "https://idp.example.test/t".into()),
                        )
                    } else {
                        None
                    },
                    userinfo_url: url(4),
                    jwks_url: url(5),
                    client_auth_method: method,
                    pkce,
                    tenant: if microsoft { tenant } else { None },
                    // Keycloak's OIDC providers run the authorization code flow.
                    channel: oidc.then_some(OidcChannel::BackChannel),
                })
            },
        )
        .boxed()
}

fn saml() -> BoxedStrategy<Settings> {
    (
        option::of(https_url()),
        option::of(https_url()),
        option::of(text()),
        option::of(text()),
        vec(certificate(), 0..3),
        option::of(text()),
        option::of(any::<bool>()),
        (
            option::of(select(SamlSignatureAlgorithm::ALL)),
            option::of(select(SamlBinding::ALL)),
        ),
    )
        .prop_map(
            |(
                sign_in_url,
                sign_out_url,
                idp_entity_id,
                sp_entity_id,
                signing_certificates,
                name_id_format,
                sign_requests,
                (algorithm, binding),
            )| {
                Settings::Saml(SamlSettings {
                    sign_in_url,
                    sign_out_url,
                    idp_entity_id,
                    sp_entity_id,
                    signing_certificates,
                    name_id_format,
                    sign_requests,
                    request_signature_algorithm: algorithm,
                    // Keycloak digests with the algorithm's own hash.
                    request_digest_algorithm: algorithm.map(SamlSignatureAlgorithm::hash),
                    request_binding: binding,
                    ..SamlSettings::default()
                })
            },
        )
        .boxed()
}

fn held_kind() -> impl Strategy<Value = ConnectionKind> {
    prop_oneof![
        Just(ConnectionKind::Oidc),
        Just(ConnectionKind::Saml),
        Just(ConnectionKind::Social(SocialProvider::Google)),
        Just(ConnectionKind::Social(SocialProvider::GitHub)),
        Just(ConnectionKind::Social(SocialProvider::Microsoft)),
        Just(ConnectionKind::Social(SocialProvider::Facebook)),
        Just(ConnectionKind::Social(SocialProvider::LinkedIn)),
        Just(ConnectionKind::Social(SocialProvider::GitLab)),
        Just(ConnectionKind::Social(SocialProvider::Apple)),
        Just(ConnectionKind::Social(SocialProvider::Other(
            "twitter".into()
        ))),
        Just(ConnectionKind::Custom("openshift-v4".into())),
    ]
}

/// Keycloak-only fields a same-vendor round trip must carry through extras.
fn ezto_extras() -> impl Strategy<Value = Option<serde_json::Map<String, Value>>> {
    option::of(
        (any::<bool>(), "[a-z ]{1,20}", option::of("[A-Z]{1,8}")).prop_map(
            |(trust, flow, sync)| {
                let mut extras = serde_json::Map::new();
                extras.insert("trustEmail".into(), json!(trust));
                extras.insert("firstBrokerLoginFlowAlias".into(), json!(flow));
                if let Some(sync) = sync {
                    extras.insert("config".into(), json!({"syncMode": sync}));
                }
                extras
            },
        ),
    )
}

/// Connections made only of what ezto holds.
fn held_connection() -> impl Strategy<Value = Connection> {
    held_kind()
        .prop_flat_map(|kind| {
            let settings = if kind == ConnectionKind::Saml {
                saml()
            } else {
                oauth(&kind)
            };
            (
                Just(kind),
                "[A-Za-z0-9][A-Za-z0-9._~-]{0,39}",
                option::of("[A-Za-z0-9 ]{1,30}"),
                settings,
                (any::<bool>(), any::<bool>(), any::<bool>(), any::<bool>()),
                ezto_extras(),
            )
        })
        .prop_map(
            |(kind, name, display_name, settings, (sign_in, store, enabled, show), extras)| {
                let mut connection = Connection::new(name, kind);
                connection.display_name = display_name;
                connection.settings = settings;
                connection.purpose = Purpose {
                    sign_in: Some(sign_in),
                    link: Some(true),
                    store_tokens: Some(store),
                };
                connection.enabled = Some(enabled);
                connection.show_on_login = Some(show);
                if let Some(extras) = extras {
                    connection.extras.insert(Vendor::Ezto, extras);
                }
                connection
            },
        )
}

/// Through the wire JSON too, as a request and a response would carry it.
fn round_trip(connection: &Connection) -> (Connection, Vec<idconn_core::Loss>) {
    let (payload, losses) = to_wire(Vendor::Ezto, connection).unwrap();
    let json = serde_json::to_string(&payload).unwrap();
    let back: IdentityProvider = serde_json::from_str(&json).unwrap();
    (from_wire(Vendor::Ezto, &back).unwrap(), losses)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn what_ezto_holds_round_trips_exactly(connection in held_connection()) {
        let (back, losses) = round_trip(&connection);
        prop_assert!(losses.is_empty(), "{:?}", losses);
        prop_assert_eq!(changed_fields(&connection, &back), Vec::<String>::new());
        prop_assert!(translate(Vendor::Ezto, &connection, &Policy::STRICT).unwrap().report.is_exact());
    }

    #[test]
    fn every_difference_is_reported_as_a_loss(
        connection in held_connection(),
        name in "[A-Za-z0-9][A-Za-z0-9 :@!._-]{0,29}",
        logo in option::of(https_url()),
        domains in vec("[a-z]{1,8}\\.test", 0..3),
        link in option::of(any::<bool>()),
        masked in any::<bool>(),
        discovery_only in any::<bool>(),
        oauth2 in any::<bool>(),
        channel in option::of(select(OidcChannel::ALL)),
        digest in option::of(select(SamlDigestAlgorithm::ALL)),
    ) {
        let mut source = connection;
        match &mut source.settings {
            Settings::OAuth(settings) => settings.channel = channel,
            Settings::Saml(settings) => settings.request_digest_algorithm = digest,
            _ => {}
        }
        source.name = name;
        source.logo_url = logo;
        source.domains = domains;
        source.purpose.link = link;
        if let Settings::OAuth(settings) = &mut source.settings {
            if masked {
                settings.client_secret = ClientSecret::Masked;
            }
            if discovery_only && source.kind == ConnectionKind::Oidc {
                settings.discovery_url = Some("https://idp.example.test/.well-known/openid-configuration".into());
                settings.authorization_url = None;
                settings.token_url = None;
            }
            if oauth2 && source.kind == ConnectionKind::Oidc {
                source.kind = ConnectionKind::OAuth2;
            }
        }
        let translation = translate(Vendor::Ezto, &source, &Policy::LENIENT.with_widening(true)).unwrap();
        let reported: Vec<&str> = translation.report.losses.iter().map(|l| l.field.as_str()).collect();
        let source_json = serde_json::to_value(&source).unwrap();
        for field in changed_fields(&source, &translation.connection) {
            // A field the source left empty and ezto fills with a default is not a loss.
            if pointer(&source_json, &field).is_none_or(Value::is_null) {
                continue;
            }
            prop_assert!(
                reported.iter().any(|r| field == *r || field.starts_with(&format!("{r}.")) || r.starts_with(&format!("{field}."))),
                "{} changed but not reported; losses: {:?}", field, reported
            );
        }
    }
}

fn pointer<'a>(value: &'a Value, dotted: &str) -> Option<&'a Value> {
    dotted.split('.').try_fold(value, |v, key| v.get(key))
}
