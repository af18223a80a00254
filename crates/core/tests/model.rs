//! The neutral model as a file format: serde round trips and secrets that never leak.

use idconn_core::{
    Certificate, ClientAuthMethod, ClientSecret, Connection, ConnectionKind, OAuthSettings,
    OidcChannel, Purpose, SamlBinding, SamlDigestAlgorithm, SamlSettings, SamlSignatureAlgorithm,
    Settings, SocialProvider, Vendor, reveal_secrets,
};
use serde_json::json;

const SECRET: &str = "s3cr3t-value-never-printed";

/// A real self-signed certificate (openssl, P-256), base64 DER as Auth0 and Keycloak carry it.
const CERT_B64: &str = "MIIBmTCCAT+gAwIBAgIUc/Iz9crkcQiFMypz86pPYp+6h/QwCgYIKoZIzj0EAwIwIjEgMB4GA1UEAwwXaWRjb25uLXRlc3QuZXhhbXBsZS5jb20wHhcNMjYxMTIyMTkzMDE2WhcNMzYxMTE5MTkzMDE2WjAiMSAwHgYDVQQDDBdpZGNvbm4tdGVzdC5leGFtcGxlLmNvbTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABNjvDRUkrm8uSeBOE8l0IGoLaa7zonWu1yPQtJ4yEN+xUGrhmbOHaEOb4UT5jUi3Orhes7yX3iPi/0k9ef7JhHujUzBRMB0GA1UdDgQWBBRZirnicpXnssJg/Qdq92NRRvmr+TAfBgNVHSMEGDAWgBRZirnicpXnssJg/Qdq92NRRvmr+TAPBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0gAMEUCIQDYUPUAIBayGKLRDxUjsnQeeJK+Lunh0JBPUFZAcdeeUAIgWYijFAmxHUEUTcrVbI7Si6lwMHOiPS9BdxT0NhyFm0M=";

fn oidc() -> Connection {
    let mut c = Connection::new("acme-oidc", ConnectionKind::Oidc);
    c.display_name = Some("Acme SSO".into());
    c.settings = Settings::OAuth(OAuthSettings {
        client_id: Some("client-123".into()),
        client_secret: ClientSecret::known(SECRET),
        scopes: vec!["openid".into(), "email".into()],
        issuer: Some("https://idp.acme.test".into()),
        discovery_url: Some("https://idp.acme.test/.well-known/openid-configuration".into()),
        client_auth_method: Some(ClientAuthMethod::ClientSecretPost),
        pkce: Some(true),
        ..OAuthSettings::default()
    });
    c.purpose = Purpose {
        sign_in: Some(false),
        link: None,
        store_tokens: Some(true),
    };
    c.show_on_login = Some(true);
    c.domains = vec!["acme.test".into()];
    c.extras.insert(
        Vendor::Auth0,
        json!({"is_domain_connection": true, "metadata": {"team": "id"}})
            .as_object()
            .cloned()
            .unwrap(),
    );
    c
}

#[test]
fn json_round_trip_keeps_everything_when_secrets_are_revealed() {
    let original = oidc();
    let text = reveal_secrets(|| serde_json::to_string(&original)).unwrap();
    assert!(text.contains(SECRET), "revealed output carries the secret");
    let back: Connection = serde_json::from_str(&text).unwrap();
    assert_eq!(back, original);
}

#[test]
fn known_secret_never_leaks_by_default() {
    let c = oidc();
    let debug = format!("{c:?}");
    let json = serde_json::to_string(&c).unwrap();
    let pretty = serde_json::to_string_pretty(&c.settings).unwrap();
    for out in [&debug, &json, &pretty] {
        assert!(!out.contains(SECRET), "secret leaked in: {out}");
    }
    assert!(debug.contains("Known([redacted])"), "{debug}");
    // The default serialization says a secret exists, without its value.
    assert!(
        json.contains(r#""client_secret":{"masked":true}"#),
        "{json}"
    );
}

#[test]
fn reveal_is_scoped_and_reset() {
    let c = oidc();
    let inside = reveal_secrets(|| serde_json::to_string(&c).unwrap());
    let after = serde_json::to_string(&c).unwrap();
    assert!(inside.contains(SECRET));
    assert!(!after.contains(SECRET));
}

#[test]
fn masked_is_never_serialized_as_a_value() {
    let mut c = oidc();
    if let Settings::OAuth(s) = &mut c.settings {
        s.client_secret = ClientSecret::Masked;
    }
    let text = reveal_secrets(|| serde_json::to_string(&c)).unwrap();
    assert!(
        text.contains(r#""client_secret":{"masked":true}"#),
        "{text}"
    );
    assert!(!text.contains("*****"), "{text}");
    let back: Connection = serde_json::from_str(&text).unwrap();
    assert_eq!(back.settings.client_secret(), &ClientSecret::Masked);
    assert_eq!(back.settings.client_secret().expose(), None);
}

#[test]
fn secret_forms_in_files() {
    let parse = |v: serde_json::Value| -> ClientSecret {
        let s: OAuthSettings = serde_json::from_value(json!({ "client_secret": v })).unwrap();
        s.client_secret
    };
    assert_eq!(parse(json!("abc")).expose(), Some("abc"));
    assert_eq!(parse(json!({"masked": true})), ClientSecret::Masked);
    assert_eq!(parse(json!(null)), ClientSecret::Absent);
    let err = serde_json::from_value::<OAuthSettings>(json!({"client_secret": 42})).unwrap_err();
    assert!(err.to_string().contains("client_secret") || !err.to_string().is_empty());
}

#[test]
fn kinds_serialize_as_documented() {
    let cases = [
        (ConnectionKind::Oidc, json!("oidc")),
        (ConnectionKind::OAuth2, json!("oauth2")),
        (ConnectionKind::Saml, json!("saml")),
        (ConnectionKind::AzureAd, json!("azure_ad")),
        (
            ConnectionKind::Social(SocialProvider::GitHub),
            json!({"social": "github"}),
        ),
        (
            ConnectionKind::Social(SocialProvider::Other("slack".into())),
            json!({"social": "slack"}),
        ),
        (
            ConnectionKind::Custom("wechat:pc".into()),
            json!({"custom": "wechat:pc"}),
        ),
    ];
    for (kind, wire) in cases {
        assert_eq!(serde_json::to_value(&kind).unwrap(), wire);
        assert_eq!(
            serde_json::from_value::<ConnectionKind>(wire).unwrap(),
            kind
        );
    }
}

/// The OIDC channel and the SAML request settings, by the names the README documents; each
/// name parses back, and anything else in a file is refused naming the field.
#[test]
fn channel_and_saml_request_settings_serialize_as_documented() {
    fn names<T: serde::Serialize>(all: &[T]) -> Vec<String> {
        all.iter()
            .map(|v| {
                serde_json::to_value(v)
                    .unwrap()
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect()
    }
    assert_eq!(names(OidcChannel::ALL), ["front_channel", "back_channel"]);
    assert_eq!(
        names(SamlSignatureAlgorithm::ALL),
        [
            "rsa-sha256",
            "rsa-sha1",
            "rsa-sha512",
            "rsa-sha256-mgf1",
            "rsa-sha512-mgf1",
            "dsa-sha1"
        ]
    );
    assert_eq!(
        names(SamlDigestAlgorithm::ALL),
        ["sha256", "sha1", "sha512"]
    );
    assert_eq!(names(SamlBinding::ALL), ["http-redirect", "http-post"]);
    for channel in OidcChannel::ALL {
        assert_eq!(OidcChannel::parse(channel.as_str()), Some(*channel));
        assert_eq!(channel.to_string(), channel.as_str());
    }
    for algorithm in SamlSignatureAlgorithm::ALL {
        assert_eq!(
            SamlSignatureAlgorithm::parse(algorithm.as_str()),
            Some(*algorithm)
        );
        // The hash is the one the name ends in (after the MGF1 suffix).
        let hash = algorithm.hash().as_str();
        assert!(
            algorithm.as_str().trim_end_matches("-mgf1").ends_with(hash),
            "{algorithm}: {hash}"
        );
    }
    for digest in SamlDigestAlgorithm::ALL {
        assert_eq!(SamlDigestAlgorithm::parse(digest.as_str()), Some(*digest));
    }
    for binding in SamlBinding::ALL {
        assert_eq!(SamlBinding::parse(binding.as_str()), Some(*binding));
        assert_eq!(SamlBinding::from_urn(binding.urn()), Some(*binding));
    }
    assert_eq!(
        SamlBinding::HttpPost.urn(),
        "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
    );
    assert_eq!(SamlBinding::from_urn("HTTP-POST"), None);
    assert_eq!(OidcChannel::parse("front-channel"), None);
    assert_eq!(
        SamlSignatureAlgorithm::default(),
        SamlSignatureAlgorithm::RsaSha256
    );
    assert_eq!(SamlDigestAlgorithm::default(), SamlDigestAlgorithm::Sha256);
    assert_eq!(SamlBinding::default(), SamlBinding::HttpRedirect);

    let saml: Settings = serde_json::from_value(json!({
        "protocol": "saml",
        "request_signature_algorithm": "rsa-sha1",
        "request_digest_algorithm": "sha1",
        "request_binding": "http-post"
    }))
    .unwrap();
    let expected = SamlSettings {
        request_signature_algorithm: Some(SamlSignatureAlgorithm::RsaSha1),
        request_digest_algorithm: Some(SamlDigestAlgorithm::Sha1),
        request_binding: Some(SamlBinding::HttpPost),
        ..SamlSettings::default()
    };
    assert_eq!(saml, Settings::Saml(expected.clone()));
    assert_eq!(
        serde_json::to_value(Settings::Saml(expected)).unwrap(),
        json!({"protocol": "saml", "request_signature_algorithm": "rsa-sha1",
               "request_digest_algorithm": "sha1", "request_binding": "http-post"})
    );
    let oidc: Settings =
        serde_json::from_value(json!({"protocol": "oauth", "channel": "front_channel"})).unwrap();
    assert_eq!(
        oidc.oauth().unwrap().channel,
        Some(OidcChannel::FrontChannel)
    );
    let err = serde_json::from_value::<Settings>(
        json!({"protocol": "saml", "request_binding": "HTTP-POST"}),
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("request_binding"), "{err}");
    assert!(err.contains("http-post"), "names the allowed values: {err}");
}

#[test]
fn unknown_fields_in_a_file_are_refused_with_their_name() {
    let err = serde_json::from_value::<Connection>(json!({
        "name": "x", "kind": "oidc", "colour": "blue"
    }))
    .unwrap_err();
    assert!(err.to_string().contains("colour"), "{err}");
}

#[test]
fn yaml_like_minimal_file_parses_with_defaults() {
    let c: Connection =
        serde_json::from_value(json!({"name": "gh", "kind": {"social": "github"}})).unwrap();
    assert_eq!(c.settings, Settings::None);
    assert!(c.purpose.is_unset());
    assert!(c.extras.is_empty());
}

#[test]
fn certificates_accept_pem_and_base64_der_and_refuse_garbage() {
    let der = Certificate::parse(CERT_B64, "cert").unwrap();
    let pem = Certificate::parse(&der.to_pem(), "cert").unwrap();
    assert_eq!(der, pem);
    assert_eq!(pem.to_base64_der(), CERT_B64);
    let err =
        Certificate::parse("bm90IGEgY2VydA==", "settings.signing_certificates[0]").unwrap_err();
    assert!(
        err.to_string().contains("settings.signing_certificates[0]"),
        "{err}"
    );
    assert!(Certificate::parse("%%%", "cert").is_err());

    let mut saml = Connection::new("corp-saml", ConnectionKind::Saml);
    saml.settings = Settings::Saml(SamlSettings {
        sign_in_url: Some("https://idp.corp.test/sso".into()),
        signing_certificates: vec![der],
        ..SamlSettings::default()
    });
    let text = serde_json::to_string(&saml).unwrap();
    assert!(text.contains("BEGIN CERTIFICATE"));
    assert_eq!(serde_json::from_str::<Connection>(&text).unwrap(), saml);
}

#[test]
fn settings_must_fit_the_kind() {
    let mut c = Connection::new("x", ConnectionKind::Saml);
    c.settings = Settings::OAuth(OAuthSettings::default());
    let err = c.check_settings_fit_kind().unwrap_err();
    assert!(err.to_string().contains("settings.protocol"), "{err}");
    assert!(oidc().check_settings_fit_kind().is_ok());
}
