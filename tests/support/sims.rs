//! The vendor simulators and providers pointed at them, for the sync engine's tests.

use idconn::AnyProvider;
use idconn_core::{
    Certificate, ClientSecret, Connection, ConnectionKind, OAuthSettings, SamlSettings, Settings,
    Vendor,
};
use idconn_sim::auth0::Auth0Sim;
use idconn_sim::ezto::EztoSim;
use idconn_sim::genauth::GenAuthSim;
use idconn_sim::{Knobs, Sim, SimHandle};

/// A real self-signed certificate (P-256), base64 DER.
pub const CERT_B64: &str = "MIIBmTCCAT+gAwIBAgIUc/Iz9crkcQiFMypz86pPYp+6h/QwCgYIKoZIzj0EAwIwIjEgMB4GA1UEAwwXaWRjb25uLXRlc3QuZXhhbXBsZS5jb20wHhcNMjYxMTIyMTkzMDE2WhcNMzYxMTE5MTkzMDE2WjAiMSAwHgYDVQQDDBdpZGNvbm4tdGVzdC5leGFtcGxlLmNvbTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABNjvDRUkrm8uSeBOE8l0IGoLaa7zonWu1yPQtJ4yEN+xUGrhmbOHaEOb4UT5jUi3Orhes7yX3iPi/0k9ef7JhHujUzBRMB0GA1UdDgQWBBRZirnicpXnssJg/Qdq92NRRvmr+TAfBgNVHSMEGDAWgBRZirnicpXnssJg/Qdq92NRRvmr+TAPBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0gAMEUCIQDYUPUAIBayGKLRDxUjsnQeeJK+Lunh0JBPUFZAcdeeUAIgWYijFAmxHUEUTcrVbI7Si6lwMHOiPS9BdxT0NhyFm0M=";

/// Starts a simulator of `vendor` with `knobs`.
pub async fn start(vendor: Vendor, knobs: Knobs) -> SimHandle {
    match vendor {
        Vendor::Auth0 => Sim::start(Auth0Sim::new(), knobs, 0).await,
        Vendor::GenAuth => Sim::start(GenAuthSim::new(), knobs, 0).await,
        Vendor::Ezto => Sim::start(EztoSim::new(), knobs, 0).await,
        Vendor::Keycloak => Sim::start(EztoSim::keycloak(), knobs, 0).await,
        other => panic!("no simulator for {other}"),
    }
    .expect("the simulator starts")
}

/// A provider pointed at `sim`.
pub fn provider(vendor: Vendor, sim: &SimHandle) -> AnyProvider {
    AnyProvider::from_vars(vendor, &sim.env_vars()).expect("the simulator's variables are complete")
}

/// The client secret of the `i`th test connection: recognisable in any log.
pub fn secret(i: usize) -> String {
    format!("s3cr3t-{i:04}-never-logged")
}

/// A neutral OIDC connection every vendor can hold.
pub fn oidc(i: usize) -> Connection {
    let mut c = Connection::new(format!("conn-{i:04}"), ConnectionKind::Oidc);
    c.display_name = Some(format!("Connection {i}"));
    let idp = format!("https://idp{i}.example.com");
    c.settings = Settings::OAuth(OAuthSettings {
        client_id: Some(format!("client-{i}")),
        client_secret: ClientSecret::known(secret(i)),
        scopes: vec!["openid".into(), "email".into()],
        issuer: Some(idp.clone()),
        authorization_url: Some(format!("{idp}/authorize")),
        token_url: Some(format!("{idp}/token")),
        jwks_url: Some(format!("{idp}/jwks")),
        ..OAuthSettings::default()
    });
    c
}

/// A neutral SAML connection.
pub fn saml(name: &str) -> Connection {
    let mut c = Connection::new(name, ConnectionKind::Saml);
    c.display_name = Some(format!("{name} SAML"));
    c.settings = Settings::Saml(SamlSettings {
        sign_in_url: Some("https://saml.example.com/sso".into()),
        signing_certificates: vec![Certificate::parse(CERT_B64, "cert").unwrap()],
        ..SamlSettings::default()
    });
    c
}
