//! The command line, declared with clap.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use idconn::{Mode, Policy, Vendor};

/// Manage identity-provider connections across Auth0, GenAuth, ezto auth and Keycloak through one
/// neutral model, with every translation loss shown before anything is written.
#[derive(Debug, Parser)]
#[command(name = "idconn", version, propagate_version = true)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,

    /// How results are printed.
    #[arg(long, global = true, value_enum, default_value_t = OutputFormat::Table)]
    pub output: OutputFormat,

    /// More logging on standard error (-v info, -vv debug, -vvv trace); RUST_LOG overrides.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,

    /// The largest input file read (documents, secrets files), in bytes; 16 MiB by default.
    #[arg(
        long,
        global = true,
        env = "IDCONN_MAX_INPUT_BYTES",
        value_name = "BYTES",
        default_value_t = 16 * 1024 * 1024
    )]
    pub max_input_bytes: u64,

    /// Which vendor or tenant the command talks to.
    #[command(flatten)]
    pub target: TargetArgs,
}

/// The vendor or named tenant a command talks to; accepted before or after the subcommand.
#[derive(Debug, Args, Clone)]
pub struct TargetArgs {
    /// The vendor: auth0, genauth, eztoauth or keycloak. Credentials come from its
    /// environment variables (AUTH0_*, GENAUTH_*, EZTO_*, KEYCLOAK_*).
    #[arg(long, global = true, env = "IDCONN_VENDOR", value_parser = parse_vendor)]
    pub vendor: Option<Vendor>,

    /// A tenant of the config file (its vendor and credentials); wins over --vendor.
    #[arg(long, global = true, env = "IDCONN_TENANT", value_name = "NAME")]
    pub tenant: Option<String>,

    /// The config file of named tenants (default: $IDCONN_CONFIG, else ./idconn.toml).
    #[arg(long, global = true, env = "IDCONN_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
}

/// How results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Aligned columns for a person.
    Table,
    /// JSON, for scripts.
    Json,
    /// YAML.
    Yaml,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Runs the three vendor simulators in process and shows a create, a side-by-side
    /// translation, a list and two migrations, with everything that could not be carried.
    Demo,
    /// Lists the vendor's connections.
    List,
    /// Shows one connection by name.
    Get(GetArgs),
    /// Deletes one connection by name.
    Delete(DeleteArgs),
    /// Writes the vendor's connections as a neutral document (secrets left out unless asked).
    Export(ExportArgs),
    /// Shows what `apply` would do, per connection, with each translation loss. Writes nothing.
    Plan(PlanArgs),
    /// Makes the vendor hold the connections of a file.
    Apply(ApplyArgs),
    /// Creates or updates every connection of one vendor on another.
    Migrate(MigrateArgs),
    /// Prints each connection's vendor payload and losses, offline.
    Translate(TranslateArgs),
    /// Builds a connection from a customer's SAML metadata or OIDC issuer, shows it and its
    /// plan, and writes it with --yes.
    Onboard(OnboardArgs),
}

/// `get`.
#[derive(Debug, Args)]
pub struct GetArgs {
    /// The connection's name.
    pub name: String,
}

/// `delete`.
#[derive(Debug, Args)]
pub struct DeleteArgs {
    /// The connection's name.
    pub name: String,
    /// Do not ask for confirmation (required when standard input is not a terminal).
    #[arg(long)]
    pub yes: bool,
}

/// `export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The file to write (YAML when it ends in .yaml/.yml); standard output when absent.
    #[arg(short = 'o', long = "out", value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// Write client secrets as their values (the vendor must show them).
    #[arg(long)]
    pub include_secrets: bool,
}

/// The translation policy flags shared by the writing commands.
#[derive(Debug, Args, Clone, Copy)]
pub struct PolicyArgs {
    /// Carry on when the target cannot hold something, reporting each loss (strict otherwise).
    #[arg(long)]
    pub lenient: bool,
    /// Accept translations that grant more access than the source (never implied by --lenient).
    #[arg(long)]
    pub allow_widening: bool,
    /// Accept upstream endpoints (token, authorization, SAML sign-in, ...) over plain http to
    /// hosts other than loopback; the vendor would send the client secret there in clear text.
    #[arg(long)]
    pub allow_insecure_endpoints: bool,
}

impl PolicyArgs {
    /// The policy these flags ask for.
    pub fn policy(self) -> Policy {
        let mode = if self.lenient {
            Mode::Lenient
        } else {
            Mode::Strict
        };
        Policy {
            mode,
            allow_widening: self.allow_widening,
            allow_insecure_endpoints: self.allow_insecure_endpoints,
        }
    }
}

/// `plan`.
#[derive(Debug, Args)]
pub struct PlanArgs {
    /// The desired connections (`{"connections": [...]}`, JSON or YAML).
    #[arg(short = 'f', long = "file", value_name = "FILE")]
    pub file: PathBuf,
    /// Also delete the vendor's connections the file does not name.
    #[arg(long)]
    pub prune: bool,
    #[command(flatten)]
    pub policy: PolicyArgs,
    #[command(flatten)]
    pub resolve: ResolveArgs,
}

/// Whether discovery-only OIDC connections are resolved before translating.
#[derive(Debug, Args, Clone, Copy)]
pub struct ResolveArgs {
    /// Fetch the discovery document of each OIDC connection that has only an issuer or
    /// discovery URL, and fill its endpoints before translating (ezto auth and Keycloak need
    /// them spelled out). Without it, nothing is fetched and the endpoints are reported lost.
    #[arg(long)]
    pub resolve_discovery: bool,
}

/// `apply`.
#[derive(Debug, Args)]
pub struct ApplyArgs {
    #[command(flatten)]
    pub plan: PlanArgs,
    /// Do not ask for confirmation (required when standard input is not a terminal).
    #[arg(long)]
    pub yes: bool,
    /// The most writes in flight at once.
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub concurrency: u16,
}

/// `migrate`.
#[derive(Debug, Args)]
pub struct MigrateArgs {
    /// The source: a tenant of the config file, or a vendor (its environment variables).
    #[arg(long, value_name = "TENANT|VENDOR")]
    pub from: String,
    /// The target: a tenant of the config file, or a vendor (its environment variables).
    #[arg(long, value_name = "TENANT|VENDOR")]
    pub to: String,
    /// Report what would happen and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Client secrets the source will not show: a JSON/YAML map of connection name to secret.
    #[arg(long, value_name = "FILE")]
    pub secrets: Option<PathBuf>,
    /// Applications named differently on the target: a JSON/YAML map of source application
    /// name to target application name.
    #[arg(long, value_name = "FILE")]
    pub map_applications: Option<PathBuf>,
    #[command(flatten)]
    pub policy: PolicyArgs,
    /// The most writes in flight at once.
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub concurrency: u16,
    /// Also write the report to this file (JSON, or YAML for .yaml/.yml).
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    #[command(flatten)]
    pub resolve: ResolveArgs,
}

/// `translate`.
#[derive(Debug, Args)]
pub struct TranslateArgs {
    /// The connections to translate (`{"connections": [...]}`, JSON or YAML).
    #[arg(short = 'f', long = "file", value_name = "FILE")]
    pub file: PathBuf,
    /// The target vendor.
    #[arg(long, value_parser = parse_vendor)]
    pub to: Vendor,
    #[command(flatten)]
    pub policy: PolicyArgs,
    #[command(flatten)]
    pub resolve: ResolveArgs,
}

/// `onboard`.
#[derive(Debug, Args)]
pub struct OnboardArgs {
    /// The connection's name (its stable key on the vendor).
    #[arg(long)]
    pub name: String,
    /// The customer's SAML metadata: a file, or an https URL serving it.
    #[arg(
        long,
        value_name = "FILE|URL",
        required_unless_present = "oidc_issuer",
        conflicts_with = "oidc_issuer"
    )]
    pub saml_metadata: Option<String>,
    /// With --saml-metadata: the IdP's entity id, when the metadata describes several.
    #[arg(long, value_name = "ENTITY_ID", requires = "saml_metadata")]
    pub entity_id: Option<String>,
    /// The customer's OIDC issuer (or its /.well-known/openid-configuration URL).
    #[arg(long, value_name = "URL", requires_all = ["client_id", "client_secret"])]
    pub oidc_issuer: Option<String>,
    /// With --oidc-issuer: the client id the customer registered for you.
    #[arg(long, value_name = "ID", requires = "oidc_issuer")]
    pub client_id: Option<String>,
    /// With --oidc-issuer: the client secret, as `env:NAME` (read from that environment
    /// variable; keeps it out of process lists and shell history) or the value itself.
    #[arg(long, value_name = "env:NAME|SECRET", requires = "oidc_issuer")]
    pub client_secret: Option<String>,
    /// With --oidc-issuer: the scopes to request (default: openid profile email, those the
    /// IdP lists).
    #[arg(
        long,
        value_name = "SCOPE",
        value_delimiter = ',',
        requires = "oidc_issuer"
    )]
    pub scopes: Vec<String>,
    /// The name people see.
    #[arg(long)]
    pub display_name: Option<String>,
    /// Email domains routed to the connection (home-realm discovery), comma-separated.
    #[arg(long, value_name = "DOMAIN", value_delimiter = ',')]
    pub domains: Vec<String>,
    /// Show the connection and its plan; write nothing.
    #[arg(long, conflicts_with = "yes")]
    pub dry_run: bool,
    /// Do not ask for confirmation (required when standard input is not a terminal).
    #[arg(long)]
    pub yes: bool,
    #[command(flatten)]
    pub policy: PolicyArgs,
}

/// A vendor name, or a usage error listing the vendors.
pub fn parse_vendor(text: &str) -> Result<Vendor, String> {
    text.parse::<Vendor>().map_err(|_| {
        format!("unknown vendor \"{text}\"; expected one of auth0, genauth, eztoauth, keycloak")
    })
}
