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

use crate::cli::{Cli, Command, OutputFormat};
use crate::error::CliError;

/// What every command needs besides its own arguments.
#[derive(Debug, Clone, Copy)]
pub struct Ctx {
    /// How results are printed.
    pub output: OutputFormat,
    /// Bounds on the files read.
    pub limits: idconn::InputLimits,
}

/// Runs the parsed command line.
pub async fn run(cli: Cli) -> Result<(), CliError> {
    let ctx = Ctx {
        output: cli.output,
        limits: idconn::InputLimits::default().with_max_bytes(cli.max_input_bytes),
    };
    match cli.command {
        Command::Demo => demo::run(&ctx).await,
        Command::List(args) => list::run(&ctx, args).await,
        Command::Get(args) => get::run(&ctx, args).await,
        Command::Delete(args) => delete::run(&ctx, args).await,
        Command::Export(args) => export::run(&ctx, args).await,
        Command::Plan(args) => plan::run(&ctx, args).await,
        Command::Apply(args) => apply::run(&ctx, args).await,
        Command::Migrate(args) => migrate::run(&ctx, args).await,
        Command::Translate(args) => translate::run(&ctx, args),
    }
}
