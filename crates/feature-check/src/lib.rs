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

/// What happened, in a word, naming two outcomes.
pub fn what_happened(outcome: &Outcome) -> &'static str {
    match outcome {
        Outcome::Created { .. } => "created",
        Outcome::Failed { .. } => "failed",
        _ => "something else",
    }
}

/// What a planned action does, in a word, naming two actions.
pub fn what_it_does(action: &Action) -> &'static str {
    match action {
        Action::Create => "creates",
        Action::Unchanged => "leaves as is",
        _ => "something else",
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
        assert_eq!(what_it_does(&Action::Create), "creates");
        assert_eq!(what_it_does(&Action::Delete), "something else");
        assert_eq!(what_happened(&Outcome::Unchanged), "something else");
    }
}
