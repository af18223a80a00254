//! Ctrl-C while `apply` or `migrate` writes: the first one stops new writes and lets those in
//! flight finish (so the report says what the vendor holds), a second one quits at once.

use idconn::StopSignal;
use tokio::task::JoinHandle;

use crate::error::INTERRUPTED;

/// Watches for Ctrl-C (SIGINT) while it lives, triggering its [`StopSignal`] on the first one.
/// Dropping it stops the watching.
pub struct CtrlC {
    stop: StopSignal,
    watcher: Option<JoinHandle<()>>,
}

impl CtrlC {
    /// Starts watching. The handler is in place when this returns (on Unix), so a Ctrl-C that
    /// comes during the first write is not lost. Where no handler can be installed the run goes
    /// on without one, and Ctrl-C ends the process as it would without idconn's help.
    pub fn watch() -> Self {
        let stop = StopSignal::new();
        let watcher = spawn_watcher(stop.clone());
        CtrlC { stop, watcher }
    }

    /// The signal to hand to the run.
    pub fn stop(&self) -> StopSignal {
        self.stop.clone()
    }
}

impl Drop for CtrlC {
    fn drop(&mut self) {
        if let Some(watcher) = self.watcher.take() {
            watcher.abort();
        }
    }
}

/// What the first Ctrl-C does, said on standard error as it happens: a slow vendor may take a
/// while to answer the writes in flight, and the person waiting should know why.
fn first(stop: &StopSignal) {
    stop.trigger();
    eprintln!(
        "stopping: no new write starts; waiting for the writes in flight (Ctrl-C again to quit at once)"
    );
}

/// The second Ctrl-C: quit now, with the interrupt's exit code. Writes in flight may or may
/// not have reached the vendor; a re-run plans against what it holds.
fn second() -> ! {
    eprintln!("interrupted: quitting before the writes in flight finished; re-run to finish");
    std::process::exit(i32::from(INTERRUPTED));
}

#[cfg(unix)]
fn spawn_watcher(stop: StopSignal) -> Option<JoinHandle<()>> {
    use tokio::signal::unix::{SignalKind, signal};
    // `signal` installs the handler now, unlike `ctrl_c()`, which does it when first polled
    // by a task that may not have run yet.
    match signal(SignalKind::interrupt()) {
        Ok(mut interrupts) => Some(tokio::spawn(async move {
            if interrupts.recv().await.is_some() {
                first(&stop);
                if interrupts.recv().await.is_some() {
                    second();
                }
            }
        })),
        Err(error) => {
            tracing::warn!(%error, "cannot watch for Ctrl-C; it will end the run at once");
            None
        }
    }
}

#[cfg(not(unix))]
fn spawn_watcher(stop: StopSignal) -> Option<JoinHandle<()>> {
    Some(tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            first(&stop);
            if tokio::signal::ctrl_c().await.is_ok() {
                second();
            }
        }
    }))
}
