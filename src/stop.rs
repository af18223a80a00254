//! [`StopSignal`]: asks a running [`apply`](crate::apply()) or [`migrate`](crate::migrate())
//! to start no new write.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// A request to stop, shared by clones: trigger it from anywhere (a Ctrl-C handler, another
/// task, a timeout), and every run holding a clone starts no new write from then on. Writes
/// already in flight are not cancelled: they finish and are reported, so a vendor is never left
/// with a write whose outcome nobody knows. The writes not started are reported as
/// [`Outcome::NotStarted`](crate::Outcome::NotStarted), and a re-run does them.
///
/// A plain flag is enough: the engine looks at it just before each write would start (when a
/// slot of its bounded concurrency frees up), so nothing has to wait on it.
///
/// ```
/// use idconn::StopSignal;
///
/// let stop = StopSignal::new();
/// let handler = stop.clone(); // moved into a signal handler, say
/// assert!(!stop.is_triggered());
/// handler.trigger();
/// assert!(stop.is_triggered());
/// ```
#[derive(Debug, Clone, Default)]
pub struct StopSignal(Arc<AtomicBool>);

impl StopSignal {
    /// A signal not yet triggered.
    pub fn new() -> Self {
        StopSignal::default()
    }

    /// Asks every run holding a clone of this signal to start no new write. Triggering again
    /// changes nothing; a signal cannot be reset (make a new one for the next run).
    pub fn trigger(&self) {
        // Release pairs with the Acquire below: a run that sees the flag also sees whatever
        // the triggering thread did before it.
        self.0.store(true, Ordering::Release);
    }

    /// True once [`trigger`](Self::trigger) was called on this signal or a clone of it.
    pub fn is_triggered(&self) -> bool {
        self.0.load(Ordering::Acquire)
    }
}
