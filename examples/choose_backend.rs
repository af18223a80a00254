//! Choosing a backend by cargo feature: the program names one vendor per feature it was built
//! with, builds that vendor's provider with its builder (no request is made until the first
//! call) and prints what the vendor can hold.
//!
//! ```text
//! cargo run --example choose_backend
//! cargo run --example choose_backend --no-default-features --features genauth
//! ```

use idconn::{AnyProvider, IdentityConnectionProvider, Vendor};

/// The vendors this build has a backend for, each with a provider from its builder.
fn compiled_backends() -> idconn::Result<Vec<AnyProvider>> {
    [auth0(), genauth(), ezto(), keycloak()]
        .into_iter()
        .flatten()
        .collect()
}

/// The provider a program built with `--features auth0` uses.
#[cfg(feature = "auth0")]
fn auth0() -> Option<idconn::Result<AnyProvider>> {
    let built = idconn::Auth0Builder::new()
        .with_domain("acme.eu.auth0.com")
        .with_credentials(idconn::Credentials::client(
            "m2m-client-id",
            "m2m-client-secret",
        ))
        .build();
    Some(built.map(AnyProvider::from))
}

/// Without the feature, the program has no Auth0 backend.
#[cfg(not(feature = "auth0"))]
fn auth0() -> Option<idconn::Result<AnyProvider>> {
    None
}

/// The provider a program built with `--features genauth` uses.
#[cfg(feature = "genauth")]
fn genauth() -> Option<idconn::Result<AnyProvider>> {
    let built = idconn::GenAuthBuilder::new()
        .with_userpool_id("62f0c3f7a1b2c3d4e5f60718")
        .with_access_key("access-key-id", "access-key-secret")
        .build();
    Some(built.map(AnyProvider::from))
}

/// Without the feature, the program has no GenAuth backend.
#[cfg(not(feature = "genauth"))]
fn genauth() -> Option<idconn::Result<AnyProvider>> {
    None
}

/// The provider a program built with `--features eztoauth` uses.
#[cfg(feature = "eztoauth")]
fn ezto() -> Option<idconn::Result<AnyProvider>> {
    let built = idconn::EztoBuilder::new()
        .with_host("https://acme.ezto.example")
        .with_workspace("acme")
        .with_credentials(idconn::Credentials::token("admin-token"))
        .build();
    Some(built.map(AnyProvider::from))
}

/// Without the feature, the program has no ezto auth backend.
#[cfg(not(feature = "eztoauth"))]
fn ezto() -> Option<idconn::Result<AnyProvider>> {
    None
}

/// The provider a program built with `--features keycloak` uses.
#[cfg(feature = "keycloak")]
fn keycloak() -> Option<idconn::Result<AnyProvider>> {
    let built = idconn::KeycloakBuilder::new()
        .with_url("https://sso.acme.example")
        .with_realm("acme")
        .with_credentials(idconn::Credentials::client("admin-cli", "admin-secret"))
        .build();
    Some(built.map(AnyProvider::from))
}

/// Without the feature, the program has no Keycloak backend.
#[cfg(not(feature = "keycloak"))]
fn keycloak() -> Option<idconn::Result<AnyProvider>> {
    None
}

fn main() -> idconn::Result<()> {
    let providers = compiled_backends()?;
    for provider in &providers {
        let can = provider.capabilities();
        println!(
            "{:<9} SAML: {:<3}  attribute mapping rules: {:<3}  applications: {:?}, pages of up to {}",
            provider.vendor().as_str(),
            yes(can.saml),
            yes(can.attribute_mapping.rules),
            can.applications,
            can.max_page_size,
        );
    }
    let missing: Vec<&str> = Vendor::ALL
        .iter()
        .filter(|v| !providers.iter().any(|p| p.vendor() == **v))
        .map(|v| v.as_str())
        .collect();
    if providers.is_empty() {
        // The model and the sync engine build without a backend; talking to a vendor needs one.
        println!("built without a backend feature");
    }
    println!(
        "{} backend(s) compiled in; not in this build: {}",
        providers.len(),
        if missing.is_empty() {
            "none".to_string()
        } else {
            missing.join(", ")
        }
    );
    Ok(())
}

fn yes(flag: bool) -> &'static str {
    if flag { "yes" } else { "no" }
}
