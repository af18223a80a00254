//! `idconn onboard`: a customer's SAML metadata or OIDC issuer into a connection on a vendor.

use idconn::onboard::{
    MetadataSource, OidcOptions, OnboardReport, Onboarded, SamlOptions, onboard_oidc, onboard_saml,
};
use idconn::{ClientSecret, Document, Format, PlanOptions, plan};

use super::Ctx;
use super::apply::Shown;
use crate::cli::{OnboardArgs, OutputFormat};
use crate::error::CliError;
use crate::output::{connection_detail, plan_table, print};
use crate::providers::connect;

/// Reads what the customer handed over, prints the connection and the report of what it could
/// not carry, then plans it on the vendor; writes with `--yes` (through the same plan and apply
/// as `apply`, with the same policy flags and exit codes). `--output json|yaml` prints the
/// connection as a document for `apply -f` instead. Onboarding the same customer again plans
/// nothing.
pub async fn run(ctx: &Ctx, args: OnboardArgs) -> Result<(), CliError> {
    let onboarded = read_customer(&args).await?;
    let report = onboarded.report;
    let mut connection = onboarded.connection;
    connection.display_name = args.display_name.clone();
    connection.domains = args.domains.clone();
    print_report(&report);
    let document = Document {
        connections: vec![connection],
    };
    match ctx.output {
        OutputFormat::Table => print(&format!(
            "Connection from the customer's identity provider:\n{}\n",
            connection_detail(&document.connections[0])
        ))?,
        format => {
            let format = if format == OutputFormat::Yaml {
                Format::Yaml
            } else {
                Format::Json
            };
            print(&document.render(format, false)?)?;
            if document.connections[0].settings.client_secret().is_known() {
                eprintln!(
                    "note: the client secret is left out of the printed document; add it before \
                     `idconn apply -f`"
                );
            }
        }
    }
    let target = connect(&ctx.target)?;
    let provider = &target.provider;
    let options = PlanOptions {
        policy: args.policy.policy(),
        prune: false,
    };
    let shown = if ctx.output == OutputFormat::Table {
        Shown::AsAsked
    } else {
        Shown::OnStderr
    };
    if args.dry_run {
        let plan = plan(provider, &document.connections, options).await?;
        match shown {
            Shown::AsAsked => print(&plan_table(&plan))?,
            Shown::OnStderr => eprint!("{}", plan_table(&plan)),
        }
        return Ok(());
    }
    let connections = &document.connections;
    super::apply::write(
        ctx,
        provider,
        connections,
        options,
        args.yes,
        1,
        shown,
        None,
    )
    .await
}

/// The connection from `--saml-metadata` or `--oidc-issuer`.
async fn read_customer(args: &OnboardArgs) -> Result<Onboarded, CliError> {
    if let Some(metadata) = &args.saml_metadata {
        let mut options = SamlOptions::new();
        if let Some(entity_id) = &args.entity_id {
            options = options.entity_id(entity_id);
        }
        let source = MetadataSource::from_arg(metadata);
        return Ok(onboard_saml(&args.name, &source, &options).await?);
    }
    let (Some(issuer), Some(client_id), Some(secret)) =
        (&args.oidc_issuer, &args.client_id, &args.client_secret)
    else {
        return Err(CliError::usage(
            "give --saml-metadata FILE|URL, or --oidc-issuer URL with --client-id and --client-secret",
        ));
    };
    let options = OidcOptions::new(client_id, client_secret(secret)?).scopes(args.scopes.clone());
    Ok(onboard_oidc(&args.name, issuer, &options).await?)
}

/// `env:NAME` (or `{env: NAME}`) reads the environment variable NAME; anything else is the
/// secret itself.
fn client_secret(given: &str) -> Result<ClientSecret, CliError> {
    let reference = given.strip_prefix("env:").map(str::trim).or_else(|| {
        given
            .trim()
            .strip_prefix('{')?
            .strip_suffix('}')?
            .trim()
            .strip_prefix("env:")
            .map(str::trim)
    });
    let Some(name) = reference else {
        return Ok(ClientSecret::known(given));
    };
    match std::env::var(name) {
        Ok(value) if !value.is_empty() => Ok(ClientSecret::known(value)),
        Ok(_) => Err(CliError::usage(format!(
            "--client-secret: the environment variable {name} is empty"
        ))),
        Err(_) => Err(CliError::usage(format!(
            "--client-secret: the environment variable {name} is not set (or not UTF-8)"
        ))),
    }
}

/// Warnings and notes on standard error, so standard output stays the connection or document.
fn print_report(report: &OnboardReport) {
    for warning in &report.warnings {
        eprintln!("warning: {warning}");
    }
    for note in &report.notes {
        eprintln!("note: {note}");
    }
}
