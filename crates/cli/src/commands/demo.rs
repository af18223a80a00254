//! `idconn demo`: the three vendor simulators in this process (no credentials, no network): one
//! neutral OIDC connection created on each vendor with the three payloads side by side, a
//! listing, then a small Auth0 set migrated to GenAuth and to ezto with everything that could
//! not be carried, and why (the SAML connection carries an attribute mapping: ezto holds it as
//! a mapper, GenAuth has no such feature and reports it); ezto's connections moved on to a
//! plain Keycloak, exactly; last, two customers onboarded onto
//! every vendor from their own identity provider (SAML metadata and OIDC discovery, served on
//! loopback).

use futures::TryStreamExt;
use idconn::onboard::{MetadataSource, OidcOptions, SamlOptions, onboard_oidc, onboard_saml};
use idconn::{AnyProvider, MigrateOptions, MigrationReport, PlanOptions, Secrets, SyncError};
use idconn::{
    Applications, AttributeMap, Certificate, ClientSecret, Connection, ConnectionKind,
    IdentityConnectionProvider, MappingRule, MappingSource, OAuthSettings, Policy, Purpose,
    SamlSettings, Settings, SocialProvider, Vendor, list_all,
};
use idconn::{apply, migrate, plan};
use idconn_sim::auth0::Auth0Sim;
use idconn_sim::ezto::EztoSim;
use idconn_sim::genauth::GenAuthSim;
use idconn_sim::upstream::UpstreamIdp;
use idconn_sim::{Knobs, Sim, SimHandle};

use super::Ctx;
use crate::error::CliError;
use crate::output::{connection_detail, connections_table, print, table};
use crate::providers::from_vars;

/// A real self-signed certificate (P-256, CN idconn-test.example.com), base64 DER.
const DEMO_CERT: &str = "MIIBmTCCAT+gAwIBAgIUc/Iz9crkcQiFMypz86pPYp+6h/QwCgYIKoZIzj0EAwIwIjEgMB4GA1UEAwwXaWRjb25uLXRlc3QuZXhhbXBsZS5jb20wHhcNMjYxMTIyMTkzMDE2WhcNMzYxMTE5MTkzMDE2WjAiMSAwHgYDVQQDDBdpZGNvbm4tdGVzdC5leGFtcGxlLmNvbTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABNjvDRUkrm8uSeBOE8l0IGoLaa7zonWu1yPQtJ4yEN+xUGrhmbOHaEOb4UT5jUi3Orhes7yX3iPi/0k9ef7JhHujUzBRMB0GA1UdDgQWBBRZirnicpXnssJg/Qdq92NRRvmr+TAfBgNVHSMEGDAWgBRZirnicpXnssJg/Qdq92NRRvmr+TAPBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0gAMEUCIQDYUPUAIBayGKLRDxUjsnQeeJK+Lunh0JBPUFZAcdeeUAIgWYijFAmxHUEUTcrVbI7Si6lwMHOiPS9BdxT0NhyFm0M=";

/// The application the demo's Auth0 and GenAuth tenants have, by name.
const DEMO_APP: &str = "Acme web shop";

/// One simulated vendor and a provider pointed at it.
struct Tenant {
    vendor: Vendor,
    sim: SimHandle,
    provider: AnyProvider,
}

/// Runs the demo.
pub async fn run(_ctx: &Ctx) -> Result<(), CliError> {
    let tenants = start_tenants().await?;
    let [auth0, genauth, ezto] = &tenants;
    let mut out = String::from(
        "idconn demo: three vendor simulators in this process (no credentials, no network)\n",
    );
    for t in &tenants {
        out.push_str(&format!(
            "  {:<9} {}\n",
            t.vendor.as_str(),
            t.sim.base_url()
        ));
    }
    print(&out)?;

    create_everywhere(&tenants).await?;
    seed_auth0(auth0).await?;
    list_everywhere(&tenants).await?;

    print(&section(
        "4. Migrating Auth0's connections to GenAuth, strict (the default): a dry run",
    ))?;
    match migrate(
        &auth0.provider,
        &genauth.provider,
        &MigrateOptions {
            dry_run: true,
            ..MigrateOptions::default()
        },
    )
    .await
    {
        Err(SyncError::Refused { reports, .. }) => {
            let losses: usize = reports.iter().map(|r| r.losses.len()).sum();
            print(&format!(
                "Refused before any request: {} of 4 connection(s) cannot be carried exactly \
                 ({losses} losses, every one listed in section 9). `idconn migrate` exits with \
                 code 3 here and lists them; nothing is written.\n",
                reports.len()
            ))?;
        }
        Err(other) => return Err(other.into()),
        Ok(report) => {
            print(&format!(
                "Nothing refused: {} connection(s) planned.\n",
                report.connections.len()
            ))?;
        }
    }

    let lenient = MigrateOptions {
        policy: Policy::LENIENT,
        ..MigrateOptions::default()
    };
    print(&section(
        "5. The same migration, lenient (--lenient): losses reported, widening still refused",
    ))?;
    let to_genauth = run_migration(auth0, genauth, &lenient).await?;
    print(&section("6. Auth0 to ezto auth, lenient"))?;
    let to_ezto = run_migration(auth0, ezto, &lenient).await?;
    print(&carried_mapping(ezto, "acme-saml").await?)?;
    print(&section(
        "7. Running the ezto migration again: a finished migration changes nothing",
    ))?;
    let again = run_migration(auth0, ezto, &lenient).await?;
    let _ = again;

    // Keycloak speaks ezto's admin API, so the move is exact and strict lets it through.
    print(&section(
        "8. ezto auth to a plain Keycloak (the same admin API), strict: nothing lost",
    ))?;
    let keycloak = start_keycloak().await?;
    print(&format!(
        "  {:<9} {}\n",
        keycloak.vendor.as_str(),
        keycloak.sim.base_url()
    ))?;
    // Keycloak (so ezto) masks client secrets on read; the operator gives them, as
    // `--secrets FILE` does. Here they come from the Auth0 tenant, which shows them.
    let mut secrets = Secrets::new();
    for connection in list_all(&auth0.provider, None)
        .try_collect::<Vec<Connection>>()
        .await?
    {
        if let Settings::OAuth(oauth) = &connection.settings
            && let Some(secret) = oauth.client_secret.expose()
        {
            secrets.insert(&connection.name, secret);
        }
    }
    let with_secrets = MigrateOptions {
        secrets,
        ..MigrateOptions::default()
    };
    run_migration(ezto, &keycloak, &with_secrets).await?;

    print(&section("9. What could not be carried, and why"))?;
    print(&losses_table(&[&to_genauth, &to_ezto]))?;

    onboard_everywhere(&tenants).await?;
    print(
        "\nNext: `idconn export`, `idconn plan -f FILE`, `idconn apply -f FILE`, \
         `idconn migrate --from auth0 --to eztoauth`, `idconn onboard` against real tenants \
         (see README).\n",
    )?;
    Ok(())
}

/// Two customers' identity providers, served by the upstream mode of idconn-sim: one hands over
/// its SAML metadata URL, the other its OIDC issuer and a client. Each becomes one neutral
/// connection, written to every vendor through plan and apply, then onboarded again.
async fn onboard_everywhere(tenants: &[Tenant; 3]) -> Result<(), CliError> {
    let upstream = UpstreamIdp::start(0)
        .await
        .map_err(|e| CliError::failure(format!("cannot start the upstream IdP: {e}")))?;
    let mut out =
        section("10. Onboarding two customers from what their IT teams sent (idconn onboard)");
    out.push_str(&format!(
        "  Initech sent its SAML metadata URL: {}\n  Globex sent its OIDC issuer {} and a client\n",
        upstream.saml_metadata_url(),
        upstream.issuer()
    ));
    let metadata = MetadataSource::Url(upstream.saml_metadata_url());
    let saml = onboard_saml("initech-saml", &metadata, &SamlOptions::new()).await?;
    let client = OidcOptions::new("globex-client", ClientSecret::known("globex-demo-secret"));
    let oidc = onboard_oidc("globex-oidc", &upstream.issuer(), &client).await?;
    let mut customers = Vec::new();
    for (onboarded, display_name) in [(saml, "Initech"), (oidc, "Globex")] {
        let mut connection = onboarded.connection;
        connection.display_name = Some(display_name.into());
        out.push_str(&format!("\n[{}]\n", connection.name));
        out.push_str(&connection_detail(&connection));
        for warning in &onboarded.report.warnings {
            out.push_str(&format!("  warning: {warning}\n"));
        }
        for note in &onboarded.report.notes {
            out.push_str(&format!("  note: {note}\n"));
        }
        customers.push(connection);
    }
    let options = PlanOptions {
        policy: Policy::LENIENT,
        prune: false,
    };
    let mut rows = Vec::new();
    for t in tenants {
        let first = plan(&t.provider, &customers, options).await?;
        let report = apply(&t.provider, &first, 2).await?;
        let again = plan(&t.provider, &customers, options).await?;
        for (applied, change) in report.connections.iter().zip(&again.changes) {
            let losses = match applied.losses.len() {
                0 => "exact".to_string(),
                n => format!("{n} loss(es) reported"),
            };
            rows.push(vec![
                t.vendor.as_str().to_string(),
                applied.name.clone(),
                applied.outcome.label().to_string(),
                losses,
                change.action.label().to_string(),
            ]);
        }
    }
    out.push('\n');
    out.push_str(&table(
        &[
            "VENDOR",
            "CONNECTION",
            "FIRST RUN",
            "TRANSLATION",
            "SECOND RUN",
        ],
        &rows,
    ));
    print(&out)
}

async fn start_tenants() -> Result<[Tenant; 3], CliError> {
    let started = |e: std::io::Error| CliError::failure(format!("cannot start a simulator: {e}"));
    // Auth0 and GenAuth enable a connection per application: both tenants have the web shop.
    let auth0_tenant = Auth0Sim::new();
    auth0_tenant.add_application(DEMO_APP, Some("regular_web"));
    let genauth_tenant = GenAuthSim::new();
    genauth_tenant.add_application(DEMO_APP);
    let auth0 = Sim::start(auth0_tenant, Knobs::default(), 0)
        .await
        .map_err(started)?;
    let genauth = Sim::start(genauth_tenant, Knobs::default(), 0)
        .await
        .map_err(started)?;
    let ezto = Sim::start(EztoSim::new(), Knobs::default(), 0)
        .await
        .map_err(started)?;
    let tenant = |vendor: Vendor, sim: SimHandle| -> Result<Tenant, CliError> {
        Ok(Tenant {
            vendor,
            provider: from_vars(vendor, &sim.env_vars())?,
            sim,
        })
    };
    Ok([
        tenant(Vendor::Auth0, auth0)?,
        tenant(Vendor::GenAuth, genauth)?,
        tenant(Vendor::Ezto, ezto)?,
    ])
}

/// A plain Keycloak 17+ (no `/auth` base path, admin tokens from `master`).
async fn start_keycloak() -> Result<Tenant, CliError> {
    let sim = Sim::start(EztoSim::keycloak(), Knobs::default(), 0)
        .await
        .map_err(|e| CliError::failure(format!("cannot start a simulator: {e}")))?;
    Ok(Tenant {
        vendor: Vendor::Keycloak,
        provider: from_vars(Vendor::Keycloak, &sim.env_vars())?,
        sim,
    })
}

fn section(title: &str) -> String {
    format!("\n{title}\n{}\n", "-".repeat(title.chars().count()))
}

fn neutral_oidc() -> Connection {
    let mut c = Connection::new("acme-oidc", ConnectionKind::Oidc);
    c.display_name = Some("Acme Corp SSO".into());
    // Every application of the tenant may use it: on Auth0 and GenAuth that is each one there.
    c.applications = Some(Applications::All);
    c.settings = Settings::OAuth(OAuthSettings {
        client_id: Some("acme-client-id".into()),
        client_secret: ClientSecret::known("acme-demo-client-secret"),
        scopes: vec!["openid".into(), "profile".into(), "email".into()],
        issuer: Some("https://login.acme.example".into()),
        authorization_url: Some("https://login.acme.example/authorize".into()),
        token_url: Some("https://login.acme.example/oauth/token".into()),
        jwks_url: Some("https://login.acme.example/.well-known/jwks.json".into()),
        ..OAuthSettings::default()
    });
    c
}

async fn create_everywhere(tenants: &[Tenant; 3]) -> Result<(), CliError> {
    let connection = neutral_oidc();
    let mut out = section("1. One neutral OIDC connection, as each vendor's API receives it");
    let mut columns = Vec::new();
    let mut lost = String::new();
    for t in tenants {
        // Lenient, so that what a vendor cannot hold is shown rather than refused.
        let translation = t.provider.translate(&connection, &Policy::LENIENT)?;
        let pretty = serde_json::to_string_pretty(&translation.payload).unwrap_or_default();
        columns.push((t.vendor.as_str().to_string(), pretty));
        for loss in &translation.report.losses {
            lost.push_str(&format!("  {:<9} {loss}\n", t.vendor.as_str()));
        }
    }
    out.push_str(&side_by_side(&columns));
    if !lost.is_empty() {
        out.push_str("\nNot carried (a strict write would refuse these; lenient reports them):\n");
        out.push_str(&lost);
    }
    out.push_str("\nCreated (lenient):\n");
    for t in tenants {
        let applied = t.provider.create(&connection, &Policy::LENIENT).await?;
        out.push_str(&format!(
            "  {:<9} {} (id {})\n",
            t.vendor.as_str(),
            applied.connection.name,
            applied.connection.id.unwrap_or_default()
        ));
    }
    print(&out)
}

/// Text blocks in columns, each as wide as its longest line (long lines cut at 46 characters).
fn side_by_side(columns: &[(String, String)]) -> String {
    const MAX: usize = 46;
    let cut = |line: &str| -> String {
        if line.chars().count() > MAX {
            line.chars().take(MAX - 1).collect::<String>() + "…"
        } else {
            line.to_string()
        }
    };
    let blocks: Vec<Vec<String>> = columns
        .iter()
        .map(|(title, body)| {
            std::iter::once(format!("[{title}]"))
                .chain(body.lines().map(cut))
                .collect()
        })
        .collect();
    let widths: Vec<usize> = blocks
        .iter()
        .map(|b| b.iter().map(|l| l.chars().count()).max().unwrap_or(0))
        .collect();
    let rows = blocks.iter().map(Vec::len).max().unwrap_or(0);
    let mut out = String::new();
    for row in 0..rows {
        let mut line = String::new();
        for (block, width) in blocks.iter().zip(&widths) {
            let cell = block.get(row).map_or("", String::as_str);
            line.push_str(cell);
            line.extend(std::iter::repeat_n(' ', width - cell.chars().count() + 3));
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// The Auth0 set the migrations move: a plain OIDC connection (already there), one that may not
/// be used to sign in (linking and Token Vault only), a SAML one and a Google one.
async fn seed_auth0(auth0: &Tenant) -> Result<(), CliError> {
    let mut link_only = neutral_oidc();
    link_only.name = "partner-link".into();
    link_only.display_name = Some("Partner account linking".into());
    link_only.purpose = Purpose {
        sign_in: Some(false),
        link: None,
        store_tokens: Some(true),
    };

    let mut saml = Connection::new("acme-saml", ConnectionKind::Saml);
    saml.display_name = Some("Acme SAML".into());
    saml.settings = Settings::Saml(SamlSettings {
        sign_in_url: Some("https://idp.acme.example/saml/sso".into()),
        sign_out_url: Some("https://idp.acme.example/saml/slo".into()),
        signing_certificates: vec![Certificate::parse(DEMO_CERT, "demo certificate")?],
        ..SamlSettings::default()
    });
    // Auth0 holds it as options.fieldsMap.
    saml.attribute_map = Some(AttributeMap {
        rules: vec![MappingRule::new(
            "email",
            MappingSource::SamlAttribute {
                names: vec![
                    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress".into(),
                ],
                friendly: false,
            },
        )],
        ..AttributeMap::default()
    });

    let mut google = Connection::new(
        "google-oauth2",
        ConnectionKind::Social(SocialProvider::Google),
    );
    google.settings = Settings::OAuth(OAuthSettings {
        client_id: Some("1234.apps.googleusercontent.com".into()),
        client_secret: ClientSecret::known("google-demo-client-secret"),
        scopes: vec!["email".into(), "profile".into()],
        ..OAuthSettings::default()
    });
    google.show_on_login = Some(true);

    let mut out = section(
        "2. An Auth0 tenant to migrate: three more connections for its web shop (the SAML one maps an attribute)",
    );
    for mut connection in [link_only, saml, google] {
        connection.applications = Some(Applications::only([DEMO_APP]));
        let applied = auth0.provider.create(&connection, &Policy::STRICT).await?;
        out.push_str(&format!(
            "  created {} ({})\n",
            applied.connection.name, applied.connection.kind
        ));
    }
    print(&out)
}

async fn list_everywhere(tenants: &[Tenant; 3]) -> Result<(), CliError> {
    let mut out = section("3. Listing each vendor (idconn list)");
    for t in tenants {
        let connections: Vec<Connection> = list_all(&t.provider, None).try_collect().await?;
        out.push_str(&format!("[{}]\n", t.vendor));
        out.push_str(&connections_table(&connections));
    }
    print(&out)
}

/// The attribute mapping `target` holds for the connection `name`, one line per rule.
async fn carried_mapping(target: &Tenant, name: &str) -> Result<String, CliError> {
    let held = target.provider.find(name).await?;
    let rules = held
        .and_then(|c| c.attribute_map)
        .map(|map| map.rules)
        .unwrap_or_default();
    let mut out = format!("Attribute mapping of {name} on {}:\n", target.vendor);
    if rules.is_empty() {
        out.push_str("  (none)\n");
    }
    for rule in rules {
        out.push_str(&format!("  {} <- {}\n", rule.target, rule.source));
    }
    Ok(out)
}

async fn run_migration(
    from: &Tenant,
    to: &Tenant,
    options: &MigrateOptions,
) -> Result<MigrationReport, CliError> {
    let report = migrate(&from.provider, &to.provider, options).await?;
    let rows: Vec<Vec<String>> = report
        .connections
        .iter()
        .map(|c| {
            let detail = match &c.outcome {
                idconn::Outcome::Skipped { reason } => reason.clone(),
                idconn::Outcome::Failed { error } => error.to_string(),
                _ if c.losses.is_empty() => "exact".to_string(),
                _ => format!("{} loss(es), see section 9", c.losses.len()),
            };
            vec![c.name.clone(), c.outcome.label().to_string(), detail]
        })
        .collect();
    let mut out = table(&["CONNECTION", "OUTCOME", "DETAIL"], &rows);
    out.push_str(&format!(
        "{} created, {} updated, {} unchanged, {} skipped, {} failed\n",
        report.counts().created,
        report.counts().updated,
        report.counts().unchanged,
        report.counts().skipped,
        report.counts().failed
    ));
    print(&out)?;
    Ok(report)
}

fn losses_table(reports: &[&MigrationReport]) -> String {
    let mut rows = Vec::new();
    for report in reports {
        for c in &report.connections {
            for loss in &c.losses {
                let mut why = loss.reason.clone();
                if loss.widening {
                    why.push_str(" [widens access: refused unless --allow-widening]");
                }
                rows.push(vec![
                    format!("{} -> {}", report.from, report.to),
                    c.name.clone(),
                    loss.field.clone(),
                    format!("{} -> {}", loss.source, loss.target),
                    why,
                ]);
            }
        }
    }
    if rows.is_empty() {
        return "Nothing was lost.\n".into();
    }
    table(
        &[
            "MIGRATION",
            "CONNECTION",
            "FIELD",
            "SOURCE -> TARGET",
            "WHY",
        ],
        &rows,
    )
}
