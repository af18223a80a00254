//! One file per subcommand; `run` dispatches.

mod apply;
mod delete;
mod demo;
mod export;
mod get;
mod list;
mod migrate;
mod onboard;
mod plan;
mod translate;

use crate::cli::{Cli, Command, OutputFormat, TargetArgs};
use crate::error::CliError;

/// What every command needs besides its own arguments.
#[derive(Debug, Clone)]
pub struct Ctx {
    /// How results are printed.
    pub output: OutputFormat,
    /// The vendor or tenant named on the command line.
    pub target: TargetArgs,
    /// Bounds on the files read.
    pub limits: idconn::InputLimits,
}

/// Resolves the discovery-only OIDC connections among `connections` when `--resolve-discovery`
/// asks for it, saying on standard error what was resolved.
async fn resolve(
    args: crate::cli::ResolveArgs,
    connections: &mut [idconn::Connection],
) -> Result<(), CliError> {
    if args.resolve_discovery {
        for note in idconn::resolve_discovery(connections).await? {
            eprintln!("{note}");
        }
    }
    Ok(())
}

/// Runs the parsed command line.
pub async fn run(cli: Cli) -> Result<(), CliError> {
    let ctx = Ctx {
        output: cli.output,
        target: cli.target,
        limits: idconn::InputLimits::default().with_max_bytes(cli.max_input_bytes),
    };
    match cli.command {
        Command::Demo => demo::run(&ctx).await,
        Command::List => list::run(&ctx).await,
        Command::Get(args) => get::run(&ctx, args).await,
        Command::Delete(args) => delete::run(&ctx, args).await,
        Command::Export(args) => export::run(&ctx, args).await,
        Command::Plan(args) => plan::run(&ctx, args).await,
        Command::Apply(args) => apply::run(&ctx, args).await,
        Command::Migrate(args) => migrate::run(&ctx, args).await,
        Command::Translate(args) => translate::run(&ctx, args).await,
        Command::Onboard(args) => onboard::run(&ctx, args).await,
    }
}
