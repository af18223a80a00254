//! The OAuth 2.0 client-credentials grant, shared by Auth0 and Keycloak (ezto auth).

use std::fmt;
use std::time::Duration;

use async_trait::async_trait;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

use super::client::HttpClient;
use super::request::ApiRequest;
use super::token::{AccessToken, TokenSource};
use crate::error::Result;

/// A [`TokenSource`] that posts `grant_type=client_credentials` as a form to a token endpoint
/// on the client's base URL and reads `{access_token, expires_in}` (RFC 6749 §4.4).
///
/// Auth0: path `/oauth/token`, extra `audience=https://{domain}/api/v2/`.
/// Keycloak: path `{prefix}/realms/{realm}/protocol/openid-connect/token`.
/// Token errors come back through the backend's
/// [`VendorErrors`](super::VendorErrors) hook like any other answer.
pub struct ClientCredentials {
    token_path: String,
    client_id: String,
    client_secret: SecretString,
    extra: Vec<(String, String)>,
}

impl ClientCredentials {
    /// A grant for `client_id`/`client_secret` at `token_path` (relative to the base URL).
    pub fn new(
        token_path: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: SecretString,
    ) -> Self {
        super::redact::remember(client_secret.expose_secret());
        ClientCredentials {
            token_path: token_path.into(),
            client_id: client_id.into(),
            client_secret,
            extra: Vec::new(),
        }
    }

    /// Adds a form parameter, e.g. Auth0's `audience` or a `scope`.
    pub fn with_param(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.extra.push((name.into(), value.into()));
        self
    }
}

impl fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("token_path", &self.token_path)
            .field("client_id", &self.client_id)
            .field("client_secret", &"[REDACTED]")
            .finish()
    }
}

#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    #[serde(default)]
    expires_in: Option<u64>,
}

#[async_trait]
impl TokenSource for ClientCredentials {
    async fn fetch(&self, http: &HttpClient) -> Result<AccessToken> {
        let mut form: Vec<(&str, &str)> = vec![
            ("grant_type", "client_credentials"),
            ("client_id", &self.client_id),
            ("client_secret", self.client_secret.expose_secret()),
        ];
        form.extend(self.extra.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        let request = ApiRequest::post(self.token_path.clone())
            .form(&form)
            .operation("token")
            // Asking for a token twice only mints two tokens.
            .idempotent(true)
            .unauthenticated();
        let response: TokenResponse = http.send_json(request).await?;
        Ok(AccessToken {
            token: SecretString::from(response.access_token),
            expires_in: response.expires_in.map(Duration::from_secs),
        })
    }
}
