//! `idconn`: manage identity-provider connections across Auth0, GenAuth, ezto auth and Keycloak.
//!
//! Exit codes: 0 success, 1 failure, 2 usage, 3 refused by a strict translation, 130 stopped
//! by Ctrl-C.
#![warn(missing_docs)]

mod cli;
mod commands;
mod confirm;
mod error;
mod interrupt;
mod logging;
mod output;
mod progress;
mod providers;
mod tenants;

use std::process::ExitCode;

use clap::Parser;
use clap::error::ErrorKind;

use crate::error::{CliError, USAGE};

fn main() -> ExitCode {
    error::install_panic_hook();
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(e),
    };
    logging::init(cli.verbose);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            let error = CliError::failure(format!("cannot start the async runtime: {e}"));
            error.print();
            return error.exit_code();
        }
    };
    match runtime.block_on(commands::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            error.print();
            error.exit_code()
        }
    }
}

/// Help and version print as clap means them; every other parse error is one line, exit 2.
fn usage_error(e: clap::Error) -> ExitCode {
    if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion)
        || e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    {
        let _ = e.print();
        return if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
            ExitCode::from(USAGE)
        } else {
            ExitCode::SUCCESS
        };
    }
    let rendered = e.render().to_string();
    let sentence: Vec<&str> = rendered
        .lines()
        .take_while(|line| !line.starts_with("Usage:") && !line.starts_with("For more information"))
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect();
    let sentence = sentence.join(" ");
    let sentence = sentence.strip_prefix("error: ").unwrap_or(&sentence);
    CliError::usage(format!("{sentence} (see idconn --help)")).print();
    ExitCode::from(USAGE)
}
