//! SAML metadata in the shapes real IdPs publish, each read to the exact facts; hostile
//! documents refused.

use idconn_core::{Certificate, ConnectionKind, SamlSettings, Settings};
use idconn_onboard::{FetchLimits, MetadataSource, SamlEndpoint, SamlIdp, SamlOptions};
use time::macros::datetime;

const REDIRECT: &str = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";
const POST: &str = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST";
const EMAIL: &str = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress";
const NOW: time::OffsetDateTime = datetime!(2026-11-29 12:00 UTC);

fn fixture(name: &str) -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/");
    std::fs::read_to_string(format!("{path}{name}")).unwrap()
}

fn cert(name: &str) -> Certificate {
    Certificate::parse(&fixture(&format!("cert-{name}.b64")), name).unwrap()
}

fn endpoint(binding: &str, location: &str) -> SamlEndpoint {
    SamlEndpoint {
        binding: binding.to_owned(),
        location: location.to_owned(),
    }
}

fn parse(name: &str) -> SamlIdp {
    SamlIdp::parse(&fixture(name), &SamlOptions::new()).unwrap()
}

fn saml_settings(idp: &SamlIdp) -> (SamlSettings, idconn_onboard::OnboardReport) {
    let onboarded = idp.connection_at("customer-sso", NOW).unwrap();
    assert_eq!(onboarded.connection.name, "customer-sso");
    assert_eq!(onboarded.connection.kind, ConnectionKind::Saml);
    let Settings::Saml(settings) = onboarded.connection.settings else {
        panic!("not SAML settings");
    };
    (settings, onboarded.report)
}

#[test]
fn entra_id_reads_the_idp_role_only_with_both_certificates() {
    let idp = parse("entra-id.xml");
    let tenant = "https://login.microsoftonline.com/8c4e2a51-3b6f-4d2e-9a1c-5f7e0d3b2a19/saml2";
    assert_eq!(
        idp.entity_id,
        "https://sts.windows.net/8c4e2a51-3b6f-4d2e-9a1c-5f7e0d3b2a19/"
    );
    assert_eq!(
        idp.single_sign_on,
        [endpoint(REDIRECT, tenant), endpoint(POST, tenant)]
    );
    assert_eq!(idp.single_logout, [endpoint(REDIRECT, tenant)]);
    // Not the document signature's certificate, not the RoleDescriptors' copies.
    assert_eq!(
        idp.signing_certificates,
        [cert("entra-current"), cert("entra-next")]
    );
    assert_eq!(idp.encryption_certificates, 0);
    assert!(idp.name_id_formats.is_empty());
    assert_eq!(idp.want_authn_requests_signed, None);
    assert_eq!(idp.valid_until, None);

    let (settings, report) = saml_settings(&idp);
    assert_eq!(settings.sign_in_url.as_deref(), Some(tenant));
    assert_eq!(settings.sign_out_url.as_deref(), Some(tenant));
    assert_eq!(
        settings.idp_entity_id.as_deref(),
        Some(idp.entity_id.as_str())
    );
    assert_eq!(settings.signing_certificates.len(), 2);
    assert_eq!(settings.name_id_format, None);
    assert_eq!(settings.sign_requests, None);
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    assert!(
        report.notes[0].contains("HTTP-Redirect binding was chosen"),
        "{:?}",
        report.notes
    );
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.contains("HTTP-POST endpoint"))
    );
}

#[test]
fn okta_prefers_redirect_over_post_and_requests_email() {
    let idp = parse("okta.xml");
    let sso = "https://acme.okta.com/app/acme_saasapp_1/exk1a2b3c4d5E6F7g8h9/sso/saml";
    assert_eq!(idp.entity_id, "http://www.okta.com/exk1a2b3c4d5E6F7g8h9");
    assert_eq!(
        idp.single_sign_on,
        [endpoint(POST, sso), endpoint(REDIRECT, sso)]
    );
    assert!(idp.single_logout.is_empty());
    assert_eq!(idp.signing_certificates, [cert("okta")]);
    assert_eq!(
        idp.name_id_formats,
        [
            "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified",
            EMAIL
        ]
    );
    assert_eq!(idp.want_authn_requests_signed, Some(false));

    let (settings, report) = saml_settings(&idp);
    assert_eq!(settings.sign_in_url.as_deref(), Some(sso));
    assert_eq!(settings.sign_out_url, None);
    assert_eq!(settings.name_id_format.as_deref(), Some(EMAIL));
    assert_eq!(settings.sign_requests, Some(false));
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    assert!(
        report.notes.iter().any(
            |n| n.contains("also offers urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified")
        )
    );
}

#[test]
fn google_workspace_reads_a_wrapped_certificate_and_valid_until() {
    let idp = parse("google-workspace.xml");
    let sso = "https://accounts.google.com/o/saml2/idp?idpid=C01abcdef";
    assert_eq!(
        idp.entity_id,
        "https://accounts.google.com/o/saml2?idpid=C01abcdef"
    );
    assert_eq!(
        idp.single_sign_on,
        [endpoint(REDIRECT, sso), endpoint(POST, sso)]
    );
    assert_eq!(idp.signing_certificates, [cert("google")]);
    assert_eq!(idp.name_id_formats, [EMAIL]);
    assert_eq!(idp.want_authn_requests_signed, Some(false));
    assert_eq!(idp.valid_until.as_deref(), Some("2031-05-01T12:00:00.000Z"));

    let (settings, report) = saml_settings(&idp);
    assert_eq!(settings.name_id_format.as_deref(), Some(EMAIL));
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    // The metadata lapses before the certificate does: judged at a later time, both warn.
    let later = idp
        .connection_at("customer-sso", datetime!(2032-01-01 0:00 UTC))
        .unwrap();
    assert_eq!(
        later.report.warnings.len(),
        2,
        "{:?}",
        later.report.warnings
    );
    assert!(later.report.warnings[0].contains("expired on 2028-05-01T00:00:00Z"));
    assert!(later.report.warnings[1].contains("valid until 2031-05-01T12:00:00Z"));
}

#[test]
fn adfs_skips_extensions_and_the_sp_role_and_warns_on_the_expired_certificate() {
    let idp = parse("adfs.xml");
    let ls = "https://adfs.contoso.com/adfs/ls/";
    assert_eq!(idp.entity_id, "http://adfs.contoso.com/adfs/services/trust");
    assert_eq!(
        idp.single_sign_on,
        [endpoint(REDIRECT, ls), endpoint(POST, ls)]
    );
    assert_eq!(
        idp.single_logout,
        [endpoint(REDIRECT, ls), endpoint(POST, ls)]
    );
    assert_eq!(
        idp.signing_certificates,
        [cert("adfs-signing-expired"), cert("adfs-signing")]
    );
    assert_eq!(idp.encryption_certificates, 1);
    assert_eq!(
        idp.name_id_formats,
        [
            EMAIL,
            "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent",
            "urn:oasis:names:tc:SAML:2.0:nameid-format:transient",
        ]
    );
    assert_eq!(idp.want_authn_requests_signed, None);

    let (settings, report) = saml_settings(&idp);
    assert_eq!(settings.sign_in_url.as_deref(), Some(ls));
    assert_eq!(settings.sign_out_url.as_deref(), Some(ls));
    assert_eq!(settings.signing_certificates.len(), 2);
    assert_eq!(report.warnings.len(), 1, "{:?}", report.warnings);
    assert!(
        report.warnings[0].contains("signing certificate 0 (CN=ADFS Signing - adfs.contoso.com) expired on 2024-01-01T00:00:00Z"),
        "{}",
        report.warnings[0]
    );
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.contains("1 encryption certificate(s)"))
    );
}

#[test]
fn keycloak_takes_the_one_idp_of_its_entities_descriptor() {
    let idp = parse("keycloak.xml");
    let url = "https://sso.acme.example/realms/acme/protocol/saml";
    assert_eq!(idp.entity_id, "https://sso.acme.example/realms/acme");
    assert_eq!(
        idp.single_sign_on,
        [
            endpoint(POST, url),
            endpoint(REDIRECT, url),
            endpoint("urn:oasis:names:tc:SAML:2.0:bindings:SOAP", url),
            endpoint("urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Artifact", url),
        ]
    );
    assert_eq!(idp.single_logout.len(), 4);
    assert_eq!(idp.signing_certificates, [cert("keycloak")]);
    assert_eq!(idp.name_id_formats.len(), 4);
    assert_eq!(idp.want_authn_requests_signed, Some(true));

    let (settings, report) = saml_settings(&idp);
    assert_eq!(settings.sign_in_url.as_deref(), Some(url));
    assert_eq!(settings.sign_out_url.as_deref(), Some(url));
    assert_eq!(settings.name_id_format.as_deref(), Some(EMAIL));
    assert_eq!(settings.sign_requests, Some(true));
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    assert!(report.notes.iter().any(|n| n.contains("SOAP endpoint")));
}

#[test]
fn a_federation_file_needs_an_entity_id_and_lists_the_idps_without_one() {
    let xml = fixture("federation.xml");
    let err = SamlIdp::parse(&xml, &SamlOptions::new())
        .unwrap_err()
        .to_string();
    assert!(err.contains("describes 2 identity providers"), "{err}");
    assert!(
        err.contains("https://idp.uni-a.example/idp/shibboleth"),
        "{err}"
    );
    assert!(
        err.contains("https://idp.uni-b.example/idp/shibboleth"),
        "{err}"
    );
    // Neither the service provider nor the SAML 1.1-only IdP is offered.
    assert!(!err.contains("sp.service.example"), "{err}");
    assert!(!err.contains("legacy"), "{err}");

    let options = SamlOptions::new().entity_id("https://idp.uni-b.example/idp/shibboleth");
    let idp = SamlIdp::parse(&xml, &options).unwrap();
    assert_eq!(
        idp.single_sign_on,
        [
            endpoint(
                "urn:mace:shibboleth:1.0:profiles:AuthnRequest",
                "https://idp.uni-b.example/idp/profile/Shibboleth/SSO"
            ),
            endpoint(POST, "https://idp.uni-b.example/idp/profile/SAML2/POST/SSO"),
        ]
    );
    assert_eq!(idp.signing_certificates, [cert("uni-b")]);
    assert_eq!(idp.valid_until.as_deref(), Some("2040-01-01T00:00:00Z"));
    let (settings, report) = saml_settings(&idp);
    assert_eq!(
        settings.sign_in_url.as_deref(),
        Some("https://idp.uni-b.example/idp/profile/SAML2/POST/SSO")
    );
    assert!(report.notes.iter().any(|n| n.contains("HTTP-POST only")));

    // A KeyDescriptor without `use` signs.
    let options = SamlOptions::new().entity_id("https://idp.uni-a.example/idp/shibboleth");
    let idp = SamlIdp::parse(&xml, &options).unwrap();
    assert_eq!(idp.signing_certificates, [cert("uni-a")]);
    assert_eq!(
        idp.name_id_formats,
        ["urn:oasis:names:tc:SAML:2.0:nameid-format:transient"]
    );

    let options = SamlOptions::new().entity_id("https://idp.legacy.example/shibboleth");
    let err = SamlIdp::parse(&xml, &options).unwrap_err().to_string();
    assert!(
        err.contains("no identity provider \"https://idp.legacy.example/shibboleth\""),
        "{err}"
    );
    assert!(err.contains("uni-a"), "{err}");
}

#[test]
fn a_dtd_with_an_external_entity_is_refused() {
    let xml = r#"<?xml version="1.0"?>
<!DOCTYPE md:EntityDescriptor [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="&xxe;"/>"#;
    let err = SamlIdp::parse(xml, &SamlOptions::new())
        .unwrap_err()
        .to_string();
    assert!(err.contains("declares a DTD"), "{err}");
}

#[test]
fn a_billion_laughs_is_refused() {
    let mut xml =
        String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n");
    for i in 1..10 {
        let prev = if i == 1 {
            "lol".to_owned()
        } else {
            format!("lol{}", i - 1)
        };
        xml.push_str(&format!(
            "<!ENTITY lol{i} \"{}\">\n",
            format!("&{prev};").repeat(10)
        ));
    }
    xml.push_str("]>\n<md:EntityDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\" entityID=\"&lol9;\"/>");
    let err = SamlIdp::parse(&xml, &SamlOptions::new())
        .unwrap_err()
        .to_string();
    assert!(err.contains("declares a DTD"), "{err}");
}

#[test]
fn an_oversized_document_is_refused_before_parsing() {
    let padding = "<!-- padding -->".repeat(70_000);
    let xml = fixture("okta.xml").replace(
        "<md:IDPSSODescriptor",
        &format!("{padding}<md:IDPSSODescriptor"),
    );
    let small = SamlOptions::new().limits(FetchLimits::saml_metadata().with_max_bytes(1024 * 1024));
    let err = SamlIdp::parse(&xml, &small).unwrap_err().to_string();
    assert!(
        err.contains("larger than the limit of 1048576 bytes"),
        "{err}"
    );
}

#[tokio::test]
async fn an_oversized_file_is_refused_before_reading() {
    let dir = std::env::temp_dir().join(format!("idconn-onboard-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("huge.xml");
    std::fs::write(&path, vec![b' '; 5 * 1024 * 1024]).unwrap();
    let err = MetadataSource::File(path.clone())
        .read(&FetchLimits::saml_metadata())
        .await
        .unwrap_err()
        .to_string();
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(err.contains("huge.xml"), "{err}");
    assert!(err.contains("larger than the limit"), "{err}");
}

#[test]
fn metadata_with_no_idp_role_is_refused() {
    let xml = r#"<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://sp.example/saml">
  <SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://sp.example/acs" index="0"/>
  </SPSSODescriptor>
</EntityDescriptor>"#;
    let err = SamlIdp::parse(xml, &SamlOptions::new())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("no identity provider in the document"),
        "{err}"
    );
}

#[test]
fn two_idps_without_an_entity_id_are_refused_with_their_ids() {
    let okta = fixture("okta.xml").replace(r#"<?xml version="1.0" encoding="UTF-8"?>"#, "");
    let google = fixture("google-workspace.xml").replace(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="no"?>"#,
        "",
    );
    let xml = format!(
        r#"<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata">{okta}{google}</md:EntitiesDescriptor>"#
    );
    let err = SamlIdp::parse(&xml, &SamlOptions::new())
        .unwrap_err()
        .to_string();
    assert!(err.contains("invalid entity id"), "{err}");
    assert!(
        err.contains("http://www.okta.com/exk1a2b3c4d5E6F7g8h9, https://accounts.google.com/o/saml2?idpid=C01abcdef"),
        "{err}"
    );
}

#[test]
fn other_refusals_name_their_reason() {
    let cases = [
        ("<not-closed>", "not well-formed XML"),
        (
            r#"<html xmlns="http://www.w3.org/1999/xhtml"><body>login</body></html>"#,
            "root element is <html>",
        ),
        (
            r#"<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="https://idp.example"><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>bm90IGEgY2VydA==</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor></md:IDPSSODescriptor></md:EntityDescriptor>"#,
            "KeyDescriptor[0] X509Certificate",
        ),
    ];
    for (xml, expected) in cases {
        let err = SamlIdp::parse(xml, &SamlOptions::new())
            .unwrap_err()
            .to_string();
        assert!(err.contains(expected), "{expected}: {err}");
    }
    // Only the SOAP and Artifact bindings: no single sign-on URL to carry.
    let artifact_only = fixture("keycloak.xml")
        .replace(
            r#"<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST""#,
            r#"<md:SingleSignOnService Binding="urn:example:none""#,
        )
        .replace(
            r#"<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect""#,
            r#"<md:SingleSignOnService Binding="urn:example:none""#,
        );
    let err = SamlIdp::parse(&artifact_only, &SamlOptions::new())
        .unwrap()
        .connection("customer-sso")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("no HTTP-Redirect or HTTP-POST single sign-on endpoint"),
        "{err}"
    );
    assert!(err.contains("SOAP, HTTP-Artifact"), "{err}");
}
