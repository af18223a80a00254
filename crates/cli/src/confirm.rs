//! Asking before a destructive write.

use std::io::{BufRead, IsTerminal, Write};

use crate::error::CliError;

/// Asks `question` on a terminal and fails unless the answer is yes. Without a terminal there is
/// no one to ask: the command must be given `--yes` (a usage error otherwise).
pub fn confirm(question: &str, command: &str) -> Result<(), CliError> {
    if !std::io::stdin().is_terminal() {
        return Err(CliError::usage(format!(
            "{command} needs --yes when standard input is not a terminal"
        )));
    }
    eprint!("{question} [y/N] ");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut answer)
        .map_err(|e| CliError::failure(format!("cannot read the answer: {e}")))?;
    if matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes") {
        Ok(())
    } else {
        Err(CliError::failure(format!(
            "{command} cancelled; nothing was written"
        )))
    }
}
