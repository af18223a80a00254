//! One file per subcommand; `run` dispatches.

mod apply;
mod delete;
mod demo;
mod export;
mod get;
mod list;
mod migrate;
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
}

/// Runs the parsed command line.
pub async fn run(cli: Cli) -> Result<(), CliError> {
    let ctx = Ctx {
        output: cli.output,
        target: cli.target,
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
        Command::Translate(args) => translate::run(&ctx, args),
    }
}
