//! Progress of long runs on standard error: a bar on a terminal, plain lines otherwise.

use idconn::validate::escape_controls;
use std::io::IsTerminal;

use idconn::{ConnectionOutcome, Progress};
use indicatif::{ProgressBar, ProgressStyle};

/// Shows each finished connection: an indicatif bar when standard error is a terminal, one
/// plain line per connection otherwise (for logs and CI).
pub struct Reporter {
    bar: Option<ProgressBar>,
    terminal: bool,
    total: u64,
    done: u64,
}

impl Reporter {
    /// A reporter that picks the bar or the plain lines from standard error.
    pub fn new() -> Self {
        Reporter {
            bar: None,
            terminal: std::io::stderr().is_terminal(),
            total: 0,
            done: 0,
        }
    }
}

impl Progress for Reporter {
    fn begin(&mut self, phase: &str, total: u64) {
        self.total = total;
        self.done = 0;
        if total == 0 {
            return;
        }
        if self.terminal {
            let bar = ProgressBar::new(total);
            if let Ok(style) = ProgressStyle::with_template(
                "{prefix} [{bar:30}] {pos}/{len} {per_sec} eta {eta} {msg}",
            ) {
                bar.set_style(style.progress_chars("=> "));
            }
            bar.set_prefix(phase.to_string());
            self.bar = Some(bar);
        } else {
            eprintln!("{phase} {total} connection(s)");
        }
    }

    fn done(&mut self, outcome: &ConnectionOutcome) {
        self.done += 1;
        match &self.bar {
            Some(bar) => {
                bar.set_message(format!(
                    "{} {}",
                    outcome.outcome.label(),
                    escape_controls(&outcome.name)
                ));
                bar.inc(1);
            }
            None => eprintln!(
                "[{}/{}] {} {}",
                self.done,
                self.total,
                outcome.outcome.label(),
                escape_controls(&outcome.name)
            ),
        }
    }

    fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}
