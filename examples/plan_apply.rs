//! Plan and apply a neutral document against the Auth0 simulator (started here, on 127.0.0.1):
//! the first plan creates, applying it writes, planning again finds nothing to do, and an
//! edited document plans one update naming the changed field.
//!
//! ```text
//! cargo run --example plan_apply
//! ```

use idconn::{
    Action, Auth0Builder, Credentials, Document, Format, Plan, PlanOptions, Policy, apply, plan,
};
use idconn_sim::Sim;
use idconn_sim::auth0::{DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_DOMAIN};

/// The file format of `idconn export`, `plan` and `apply`.
const DOCUMENT: &str = r#"
connections:
  - name: acme-oidc
    display_name: Acme SSO
    kind: oidc
    settings:
      protocol: oauth
      client_id: acme-client
      client_secret: acme-client-secret
      scopes: [openid, profile, email]
      issuer: https://login.acme.example
      authorization_url: https://login.acme.example/authorize
      token_url: https://login.acme.example/oauth/token
  - name: partner-oidc
    display_name: Partner
    kind: oidc
    settings: {protocol: oauth, client_id: partner-client, client_secret: partner-secret,
               issuer: https://id.partner.example,
               authorization_url: https://id.partner.example/authorize,
               token_url: https://id.partner.example/token}
"#;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let sim = Sim::auth0().await?;
    let auth0 = Auth0Builder::new()
        .with_domain(DEFAULT_DOMAIN)
        .with_base_url(sim.base_url())
        .with_credentials(Credentials::client(
            DEFAULT_CLIENT_ID,
            DEFAULT_CLIENT_SECRET,
        ))
        .build()?;
    let options = PlanOptions {
        policy: Policy::STRICT,
        prune: false,
    };

    let document = Document::parse(DOCUMENT, Format::Yaml, "connections.yaml")?;
    let first = plan(&auth0, &document.connections, options).await?;
    show("first plan", &first);
    let report = apply(&auth0, &first, 4).await?;
    let counts = report.counts();
    println!(
        "applied: {} created, {} failed; the tenant holds {}",
        counts.created,
        counts.failed,
        sim.connections().len()
    );

    let again = plan(&auth0, &document.connections, options).await?;
    show("same document again", &again);
    assert!(!again.has_writes(), "a second plan has nothing to write");

    let edited = DOCUMENT.replace("display_name: Partner", "display_name: Partner (EU)");
    let edited = Document::parse(&edited, Format::Yaml, "connections.yaml")?;
    let update = plan(&auth0, &edited.connections, options).await?;
    show("edited document", &update);
    let counts = apply(&auth0, &update, 4).await?.counts();
    println!(
        "applied: {} updated, {} unchanged",
        counts.updated, counts.unchanged
    );
    Ok(())
}

fn show(title: &str, plan: &Plan) {
    println!("{title}:");
    for change in &plan.changes {
        match &change.action {
            Action::Update { changed } => {
                println!("  update    {} ({})", change.name, changed.join(", "))
            }
            action => println!("  {:<9} {}", action.label(), change.name),
        }
    }
}
