//! The credentials a backend's settings carry for its vendor's management API.

use std::fmt;

use secrecy::SecretString;

use crate::http::{Auth, ClientCredentials};

/// How a provider authenticates: an OAuth client-credentials grant, or a ready token.
/// Auth0 and ezto auth (Keycloak) both take either. `Debug` never shows the secret or the token.
#[derive(Clone)]
pub enum Credentials {
    /// A client-credentials grant at the vendor's token endpoint; tokens are fetched lazily,
    /// cached and refreshed.
    ClientCredentials {
        /// The client id.
        client_id: String,
        /// The client secret.
        client_secret: SecretString,
    },
    /// A ready bearer token, sent as is (it is not refreshed).
    Token(SecretString),
}

impl Credentials {
    /// A client-credentials grant with this client id and secret.
    pub fn client(client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
        Credentials::ClientCredentials {
            client_id: client_id.into(),
            client_secret: SecretString::from(client_secret.into()),
        }
    }

    /// A ready bearer token, sent as is.
    pub fn token(token: impl Into<String>) -> Self {
        Credentials::Token(SecretString::from(token.into()))
    }

    /// How requests are authenticated with these credentials: a token as a fixed bearer; client
    /// credentials through a grant at `token_path` (relative to the base URL), which `grant`
    /// may extend with the vendor's parameters (Auth0's `audience`).
    pub fn auth(
        &self,
        token_path: impl Into<String>,
        grant: impl FnOnce(ClientCredentials) -> ClientCredentials,
    ) -> Auth {
        match self {
            Credentials::ClientCredentials {
                client_id,
                client_secret,
            } => Auth::source(grant(ClientCredentials::new(
                token_path,
                client_id.clone(),
                client_secret.clone(),
            ))),
            Credentials::Token(token) => Auth::bearer(token.clone()),
        }
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credentials::ClientCredentials { client_id, .. } => f
                .debug_struct("ClientCredentials")
                .field("client_id", client_id)
                .field("client_secret", &"[REDACTED]")
                .finish(),
            Credentials::Token(_) => f.write_str("Token([REDACTED])"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_secret_or_the_token() {
        let grant = Credentials::ClientCredentials {
            client_id: "cid".into(),
            client_secret: SecretString::from("client-secret-value"),
        };
        let shown = format!("{grant:?}");
        assert!(
            shown.contains("cid") && !shown.contains("client-secret-value"),
            "{shown}"
        );
        let token = Credentials::Token(SecretString::from("token-value"));
        assert!(!format!("{token:?}").contains("token-value"));
    }

    #[test]
    fn a_token_is_a_fixed_bearer_and_a_grant_a_token_source() {
        let token = Credentials::Token(SecretString::from("t"));
        assert!(matches!(token.auth("/token", |g| g), Auth::Static(_)));
        let grant = Credentials::ClientCredentials {
            client_id: "cid".into(),
            client_secret: SecretString::from("s"),
        };
        let mut extended = false;
        let auth = grant.auth("/token", |g| {
            extended = true;
            g.with_param("audience", "https://a/api/v2/")
        });
        assert!(matches!(auth, Auth::Source(_)) && extended);
    }
}
