//! Management tokens from `POST /api/v3/get-management-token`,
//! cached, refreshed and single-flighted by core's token cache.

use std::time::Duration;

use idconn_core::Result;
use idconn_core::async_trait;
use idconn_core::http::{AccessToken, ApiRequest, HttpClient, TokenSource, remember_secret};
use secrecy::{ExposeSecret, SecretString};

use crate::wire::{Envelope, TokenData, TokenRequest};

/// The path of the token endpoint.
pub const TOKEN_PATH: &str = "/api/v3/get-management-token";

/// Exchanges the access key for a management token.
pub struct ManagementToken {
    access_key_id: String,
    access_key_secret: SecretString,
}

impl ManagementToken {
    /// A source for this access key.
    pub fn new(access_key_id: String, access_key_secret: SecretString) -> Self {
        // GenAuth may quote the request back in an error: never print the key's secret.
        remember_secret(access_key_secret.expose_secret());
        ManagementToken {
            access_key_id,
            access_key_secret,
        }
    }
}

#[async_trait]
impl TokenSource for ManagementToken {
    async fn fetch(&self, http: &HttpClient) -> Result<AccessToken> {
        let request = ApiRequest::post(TOKEN_PATH)
            .json(&TokenRequest {
                access_key_id: &self.access_key_id,
                access_key_secret: self.access_key_secret.expose_secret(),
            })?
            .operation("token")
            // Asking twice for a token has no effect beyond the token.
            .idempotent(true)
            .unauthenticated();
        let answer: Envelope<TokenData> = http.send_json(request).await?;
        let seconds = answer.data.expires_in;
        let expires_in =
            (seconds.is_finite() && seconds > 0.0).then(|| Duration::from_secs_f64(seconds));
        Ok(AccessToken {
            token: answer.data.access_token,
            // A token without a usable lifetime is kept until GenAuth refuses it (then refreshed).
            expires_in,
        })
    }
}
