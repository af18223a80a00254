//! Code a user writes against `idconn` with only the `auth0` feature. The workspace's other
//! members enable every backend, so in a workspace build this crate sees more variants than it
//! names: the matches below keep compiling because idconn's growing enums are
//! `#[non_exhaustive]`.

use idconn::{Action, AnyProvider, Outcome, Vendor};

/// Which backend a provider is, naming only the one this crate enables.
pub fn backend(provider: &AnyProvider) -> &'static str {
    match provider {
        AnyProvider::Auth0(_) => "auth0",
        _ => "another backend",
    }
}

/// A vendor's name for people, naming only Auth0.
pub fn vendor_title(vendor: Vendor) -> &'static str {
    match vendor {
        Vendor::Auth0 => "Auth0",
        _ => "another vendor",
    }
}

/// Whether an outcome wrote something.
pub fn wrote(outcome: &Outcome) -> bool {
    match outcome {
        Outcome::Created { .. } | Outcome::Updated { .. } | Outcome::Deleted { .. } => true,
        _ => false,
    }
}

/// Whether a planned action writes.
pub fn writes(action: &Action) -> bool {
    match action {
        Action::Create | Action::Update { .. } | Action::Delete => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use idconn::{Auth0Builder, Connection, Credentials, OAuthSettings, Policy, translate};

    use super::*;

    #[test]
    fn one_backend_translates_offline_and_builds_a_provider() {
        let sso = Connection::oidc(
            "acme-sso",
            OAuthSettings {
                client_id: Some("client".into()),
                discovery_url: Some(
                    "https://idp.example.com/.well-known/openid-configuration".into(),
                ),
                ..OAuthSettings::default()
            },
        );
        let translation = translate(Vendor::Auth0, &sso, &Policy::LENIENT).unwrap();
        assert_eq!(translation.connection.name, "acme-sso");
        let provider: AnyProvider = Auth0Builder::new()
            .with_domain("acme.eu.auth0.com")
            .with_credentials(Credentials::client("id", "secret"))
            .build()
            .unwrap()
            .into();
        assert_eq!(backend(&provider), "auth0");
        assert_eq!(vendor_title(Vendor::Auth0), "Auth0");
        assert!(writes(&Action::Create) && !writes(&Action::Unchanged));
        assert!(!wrote(&Outcome::Unchanged));
    }
}
