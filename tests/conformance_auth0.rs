//! The conformance suite against the Auth0 simulator.

mod conformance;

use conformance::Harness;
use idconn::{Connection, ConnectionKind, OAuthSettings, Settings, Vendor};
use idconn_sim::Sim;
use serde_json::json;

fn sample(name: &str) -> Connection {
    let mut c = Connection::new(name, ConnectionKind::Oidc);
    c.display_name = Some(format!("Auth0 {name}"));
    c.settings = Settings::OAuth(OAuthSettings {
        client_id: Some(format!("client-{name}")),
        scopes: vec!["openid".into(), "email".into()],
        issuer: Some("https://idp.example.com".into()),
        authorization_url: Some("https://idp.example.com/authorize".into()),
        token_url: Some("https://idp.example.com/token".into()),
        jwks_url: Some("https://idp.example.com/jwks".into()),
        ..OAuthSettings::default()
    });
    c
}

/// `options.set_user_root_attributes` is an Auth0 option the model does not cover.
fn unmodelled(c: &mut Connection) -> fn(&Connection) -> bool {
    let extra = json!({"options": {"set_user_root_attributes": "on_first_login"}});
    c.extras
        .insert(Vendor::Auth0, extra.as_object().unwrap().clone());
    |c| {
        c.extras_for(Vendor::Auth0)
            .get("options")
            .and_then(|o| o.get("set_user_root_attributes"))
            == Some(&json!("on_first_login"))
    }
}

async fn harness() -> Harness {
    Harness::new(
        Vendor::Auth0,
        Sim::auth0().await.unwrap(),
        sample,
        unmodelled,
    )
}

conformance_suite!(harness);
