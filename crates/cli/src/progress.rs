//! Progress of long runs on standard error: a bar on a terminal, plain lines otherwise.

use std::fmt::Write;
use std::io::IsTerminal;

use idconn::backend::validate::escape_controls;

use idconn::{ConnectionOutcome, Progress};
use indicatif::{ProgressBar, ProgressState, ProgressStyle};

/// Shows progress: an indicatif bar when standard error is a terminal; otherwise one line when
/// the phase begins and nothing per connection, since the report that follows names each
/// connection once (logs and CI read that).
pub struct Reporter {
    bar: Option<ProgressBar>,
    terminal: bool,
}

impl Reporter {
    /// A reporter that picks the bar or the plain lines from standard error.
    pub fn new() -> Self {
        Reporter {
            bar: None,
            terminal: std::io::stderr().is_terminal(),
        }
    }
}

impl Progress for Reporter {
    fn begin(&mut self, phase: &str, total: u64) {
        if total == 0 {
            return;
        }
        if self.terminal {
            let bar = ProgressBar::new(total);
            if let Ok(style) = ProgressStyle::with_template(
                "{prefix} [{bar:30}] {pos}/{len} {rate} eta {eta} {msg}",
            ) {
                // indicatif's own {per_sec} prints four decimals; one is enough to read.
                let style = style.with_key("rate", |state: &ProgressState, w: &mut dyn Write| {
                    let _ = write!(w, "{:.1}/s", state.per_sec());
                });
                bar.set_style(style.progress_chars("=> "));
            }
            bar.set_prefix(phase.to_string());
            self.bar = Some(bar);
        } else {
            eprintln!("{phase} {total} connection(s)");
        }
    }

    fn done(&mut self, outcome: &ConnectionOutcome) {
        if let Some(bar) = &self.bar {
            bar.set_message(format!(
                "{} {}",
                outcome.outcome.label(),
                escape_controls(&outcome.name)
            ));
            bar.inc(1);
        }
    }

    fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}
