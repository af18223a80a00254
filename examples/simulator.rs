//! Create and list connections against the Auth0 simulator, started in this process on
//! 127.0.0.1 (idconn-sim plays the Management API: tokens, `/api/v2/connections`, paging).
//!
//! ```text
//! cargo run --example simulator
//! ```

use futures::TryStreamExt;
use idconn::{
    Auth0Builder, ClientSecret, Connection, Credentials, IdentityConnectionProvider, OAuthSettings,
    Policy, SocialProvider, list_all,
};
use idconn_sim::Sim;
use idconn_sim::auth0::{DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_DOMAIN};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // An Auth0 tenant on a free loopback port; it stops when `sim` is dropped.
    let sim = Sim::auth0().await?;
    println!("Auth0 simulator on {}", sim.base_url());

    // The builder a real tenant takes, pointed at the simulator: plain http is accepted for
    // loopback hosts only.
    let auth0 = Auth0Builder::new()
        .with_domain(DEFAULT_DOMAIN)
        .with_base_url(sim.base_url())
        .with_credentials(Credentials::client(
            DEFAULT_CLIENT_ID,
            DEFAULT_CLIENT_SECRET,
        ))
        .build()?;

    let connections = [
        Connection::oidc(
            "acme-sso",
            OAuthSettings {
                client_id: Some("acme-client".into()),
                client_secret: ClientSecret::known("acme-secret"),
                issuer: Some("https://login.acme.example".into()),
                authorization_url: Some("https://login.acme.example/authorize".into()),
                token_url: Some("https://login.acme.example/oauth/token".into()),
                scopes: vec!["openid".into(), "profile".into(), "email".into()],
                ..OAuthSettings::default()
            },
        )
        .with_display_name("Acme SSO"),
        Connection::social(
            "google-oauth2",
            SocialProvider::Google,
            OAuthSettings {
                client_id: Some("google-client".into()),
                client_secret: ClientSecret::known("google-secret"),
                scopes: vec!["email".into(), "profile".into()],
                ..OAuthSettings::default()
            },
        ),
    ];
    for connection in &connections {
        // Strict: anything Auth0 cannot hold is refused before the request.
        let applied = auth0.create(connection, &Policy::STRICT).await?;
        println!(
            "created {} as {}",
            applied.connection.name,
            applied.connection.id.as_deref().unwrap_or("?")
        );
    }

    // Every connection, one page in memory at a time; secrets come back as the vendor holds
    // them and never print.
    let all: Vec<Connection> = list_all(&auth0, None).try_collect().await?;
    for connection in &all {
        println!(
            "listed {:<14} kind {:<22} client secret {}",
            connection.name,
            connection.kind.to_string(),
            connection.settings.client_secret().describe(),
        );
    }
    println!(
        "{} connection(s) listed; the simulator holds {}",
        all.len(),
        sim.connections().len()
    );
    assert_eq!(all.len(), connections.len());
    Ok(())
}
