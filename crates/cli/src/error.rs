//! The CLI's error: one sentence, an exit code, and (for refusals) the list of losses.

use std::process::ExitCode;

use idconn::backend::validate::escape_controls;
use idconn::{DocumentError, SyncError};

/// Exit code of a run that failed.
pub const FAILURE: u8 = 1;
/// Exit code of a command line that does not parse, or asks for something it may not.
pub const USAGE: u8 = 2;
/// Exit code when a strict translation refused: nothing was written, the losses are listed.
pub const REFUSED: u8 = 3;
/// Exit code of a run stopped by Ctrl-C (128 + SIGINT, as shells report it): some writes were
/// not started, and a re-run does them.
pub const INTERRUPTED: u8 = 130;

/// A failed command.
#[derive(Debug)]
pub struct CliError {
    /// One sentence.
    pub message: String,
    /// The process exit code.
    pub code: u8,
    /// Lines listed under the sentence (every loss of a refusal).
    pub details: Vec<String>,
}

impl CliError {
    /// A failure (exit code 1).
    pub fn failure(message: impl Into<String>) -> Self {
        CliError {
            message: message.into(),
            code: FAILURE,
            details: Vec::new(),
        }
    }

    /// A usage error (exit code 2).
    pub fn usage(message: impl Into<String>) -> Self {
        CliError {
            message: message.into(),
            code: USAGE,
            details: Vec::new(),
        }
    }

    /// A run that Ctrl-C stopped (exit code 130) after `written` of its `writes` writes, of
    /// which `failed` failed: `interrupted: N of M written`, printed as it is (it is not an
    /// error of the run: what was written is in the report).
    pub fn interrupted(written: usize, writes: usize, failed: usize) -> Self {
        let mut message = format!("interrupted: {written} of {writes} written");
        if failed > 0 {
            message.push_str(&format!(", {failed} failed"));
        }
        message.push_str("; re-run the same command to finish");
        CliError {
            message,
            code: INTERRUPTED,
            details: Vec::new(),
        }
    }

    /// The error with `file` named in front, for a failure that the file's content caused
    /// (a connection the vendor's rules refuse): every bad-input error names its file.
    pub fn in_file(mut self, file: &std::path::Path) -> Self {
        let file = file.display().to_string();
        if !self.message.starts_with(&file) {
            self.message = format!("{file}: {}", self.message);
        }
        self
    }

    /// Prints the error on standard error: `error: <sentence>` then the details, indented;
    /// an interrupt's sentence has its own `interrupted:` label instead.
    pub fn print(&self) {
        let label = if self.code == INTERRUPTED {
            ""
        } else {
            "error: "
        };
        // Names and vendor messages are quoted in errors: no control character reaches the
        // terminal raw.
        eprintln!("{label}{}", escape_controls(&one_line(&self.message)));
        for line in &self.details {
            eprintln!("  {}", escape_controls(line));
        }
    }

    /// The exit code.
    pub fn exit_code(&self) -> ExitCode {
        ExitCode::from(self.code)
    }
}

/// Joins a message's lines so that an error is always one line.
fn one_line(message: &str) -> String {
    message.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl From<idconn::Error> for CliError {
    fn from(error: idconn::Error) -> Self {
        match error {
            idconn::Error::Unrepresentable {
                vendor,
                losses,
                connection,
            } => CliError {
                message: format!(
                    "{vendor} cannot represent connection \"{connection}\" without loss; nothing was written"
                ),
                details: losses
                    .iter()
                    .map(|loss| format!("{connection}: {loss}"))
                    .collect(),
                code: REFUSED,
            },
            other => CliError::failure(other.to_string()),
        }
    }
}

impl From<SyncError> for CliError {
    fn from(error: SyncError) -> Self {
        let message = error.to_string();
        match error {
            SyncError::Refused { reports, .. } => CliError {
                message,
                code: REFUSED,
                details: reports
                    .iter()
                    .flat_map(|report| {
                        report
                            .losses
                            .iter()
                            .map(move |loss| format!("{}: {loss}", report.connection))
                    })
                    .collect(),
            },
            SyncError::Invalid { errors, .. } => CliError {
                message,
                code: FAILURE,
                details: errors.iter().map(ToString::to_string).collect(),
            },
            SyncError::Provider(error) => error.into(),
            _ => CliError::failure(message),
        }
    }
}

/// A sync error from planning the connections of `file`: refusals and invalid connections
/// come from the file's content, so they name it; a vendor's failure does not.
pub fn in_file(error: SyncError, file: &std::path::Path) -> CliError {
    let from_content = matches!(error, SyncError::Refused { .. } | SyncError::Invalid { .. });
    let error = CliError::from(error);
    if from_content {
        error.in_file(file)
    } else {
        error
    }
}

impl From<DocumentError> for CliError {
    fn from(error: DocumentError) -> Self {
        CliError::failure(error.to_string())
    }
}

/// A bug must still end in one line, not a backtrace: the hook prints where and why, and the
/// process exits with code 1.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let location = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let payload = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown cause".into());
        eprintln!("error: internal error{location}: {payload} (please report this)");
        std::process::exit(i32::from(FAILURE));
    }));
}
