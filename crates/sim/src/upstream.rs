//! A customer's identity provider, as far as onboarding sees it: an OpenID discovery document,
//! its JWKS, and SAML 2.0 metadata, served on 127.0.0.1 with a real certificate.
//!
//! The certificate (ECDSA P-256, self-signed, valid for a year from start) is generated with
//! rcgen when the server starts, so every run has its own. It signs nothing here: no login
//! happens against this provider; it is what the customer's IT team hands over.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Json};
use axum::routing::get;
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::sync::oneshot;

/// The path of the SAML metadata.
pub const SAML_METADATA_PATH: &str = "/saml/metadata";
/// The path of the OpenID discovery document.
pub const DISCOVERY_PATH: &str = "/.well-known/openid-configuration";
/// The path of the JWKS.
pub const JWKS_PATH: &str = "/jwks";

/// Starts upstream identity providers.
pub struct UpstreamIdp;

/// A running upstream identity provider. Dropping it (or [`UpstreamHandle::stop`]) stops it.
pub struct UpstreamHandle {
    addr: SocketAddr,
    certificate_der: Vec<u8>,
    shutdown: Option<oneshot::Sender<()>>,
}

struct Served {
    issuer: String,
    certificate_der: Vec<u8>,
    public_point: Vec<u8>,
}

impl UpstreamIdp {
    /// Generates a certificate and serves the provider on 127.0.0.1 at `port` (0 for an
    /// OS-chosen one).
    pub async fn start(port: u16) -> std::io::Result<UpstreamHandle> {
        let (certificate_der, public_point) = generate_certificate()?;
        let listener = TcpListener::bind(("127.0.0.1", port)).await?;
        let addr = listener.local_addr()?;
        let served = Arc::new(Served {
            issuer: format!("http://{addr}"),
            certificate_der: certificate_der.clone(),
            public_point,
        });
        let router = Router::new()
            .route(DISCOVERY_PATH, get(discovery))
            .route(JWKS_PATH, get(jwks))
            .route(SAML_METADATA_PATH, get(saml_metadata))
            .with_state(served);
        let (tx, rx) = oneshot::channel::<()>();
        tokio::spawn(async move {
            let _ = axum::serve(listener, router)
                .with_graceful_shutdown(async {
                    let _ = rx.await;
                })
                .await;
        });
        Ok(UpstreamHandle {
            addr,
            certificate_der,
            shutdown: Some(tx),
        })
    }
}

impl UpstreamHandle {
    /// The OIDC issuer, `http://127.0.0.1:PORT` (no trailing slash).
    pub fn issuer(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The URL of the OpenID discovery document.
    pub fn discovery_url(&self) -> String {
        format!("{}{DISCOVERY_PATH}", self.issuer())
    }

    /// The URL of the SAML metadata.
    pub fn saml_metadata_url(&self) -> String {
        format!("{}{SAML_METADATA_PATH}", self.issuer())
    }

    /// The SAML entity id of the provider.
    pub fn saml_entity_id(&self) -> String {
        saml_entity_id(&self.issuer())
    }

    /// The SAML single sign-on URL (HTTP-Redirect binding).
    pub fn saml_sign_in_url(&self) -> String {
        format!("{}/saml/sso", self.issuer())
    }

    /// The SAML single logout URL (HTTP-Redirect binding).
    pub fn saml_sign_out_url(&self) -> String {
        format!("{}/saml/slo", self.issuer())
    }

    /// The DER bytes of the signing certificate published in the metadata and the JWKS.
    pub fn certificate_der(&self) -> &[u8] {
        &self.certificate_der
    }

    /// The socket address served.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `IDCONN_UPSTREAM_ISSUER` and `IDCONN_UPSTREAM_SAML_METADATA_URL`, for scripts.
    pub fn env_vars(&self) -> Vec<(String, String)> {
        vec![
            ("IDCONN_UPSTREAM_ISSUER".to_owned(), self.issuer()),
            (
                "IDCONN_UPSTREAM_SAML_METADATA_URL".to_owned(),
                self.saml_metadata_url(),
            ),
        ]
    }

    /// Stops the server.
    pub fn stop(mut self) {
        self.shutdown.take().map(|tx| tx.send(()));
    }
}

impl Drop for UpstreamHandle {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

fn saml_entity_id(issuer: &str) -> String {
    format!("{issuer}/saml")
}

/// A self-signed ECDSA P-256 certificate: its DER and the key's uncompressed public point.
fn generate_certificate() -> std::io::Result<(Vec<u8>, Vec<u8>)> {
    let failed = |e: rcgen::Error| std::io::Error::other(format!("cannot make a certificate: {e}"));
    let key = rcgen::KeyPair::generate().map_err(failed)?;
    let mut params = rcgen::CertificateParams::new(vec!["127.0.0.1".to_owned()]).map_err(failed)?;
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "idconn upstream IdP");
    let now = time::OffsetDateTime::now_utc();
    params.not_before = now - time::Duration::minutes(5);
    params.not_after = now + time::Duration::days(365);
    let certificate = params.self_signed(&key).map_err(failed)?;
    Ok((certificate.der().to_vec(), key.public_key_raw().to_vec()))
}

async fn discovery(State(served): State<Arc<Served>>) -> Json<Value> {
    let issuer = &served.issuer;
    Json(json!({
        "issuer": issuer,
        "authorization_endpoint": format!("{issuer}/authorize"),
        "token_endpoint": format!("{issuer}/token"),
        "userinfo_endpoint": format!("{issuer}/userinfo"),
        "jwks_uri": format!("{issuer}{JWKS_PATH}"),
        "response_types_supported": ["code", "id_token", "code id_token"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["ES256"],
        "scopes_supported": ["openid", "profile", "email", "offline_access"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "code_challenge_methods_supported": ["S256"],
        "claims_supported": ["sub", "iss", "aud", "exp", "iat", "name", "email", "email_verified"]
    }))
}

async fn jwks(State(served): State<Arc<Served>>) -> Json<Value> {
    // An uncompressed P-256 point: 0x04, then 32 bytes of x and 32 of y (SEC 1, section 2.3.3).
    let point = &served.public_point;
    let (x, y) = point
        .get(1..)
        .unwrap_or_default()
        .split_at(32.min(point.len().saturating_sub(1)));
    Json(json!({
        "keys": [{
            "kty": "EC",
            "crv": "P-256",
            "use": "sig",
            "alg": "ES256",
            "kid": "upstream-1",
            "x": URL_SAFE_NO_PAD.encode(x),
            "y": URL_SAFE_NO_PAD.encode(y),
            "x5c": [STANDARD.encode(&served.certificate_der)],
        }]
    }))
}

async fn saml_metadata(State(served): State<Arc<Served>>) -> impl IntoResponse {
    let issuer = &served.issuer;
    let entity_id = saml_entity_id(issuer);
    let certificate = STANDARD.encode(&served.certificate_der);
    let xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="{entity_id}">
  <md:IDPSSODescriptor WantAuthnRequestsSigned="false" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing">
      <ds:KeyInfo><ds:X509Data><ds:X509Certificate>{certificate}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>
    </md:KeyDescriptor>
    <md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="{issuer}/saml/slo"/>
    <md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="{issuer}/saml/sso"/>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="{issuer}/saml/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>
"#
    );
    ([(CONTENT_TYPE, "application/samlmetadata+xml")], xml)
}
