//! Writing exactly once over an unreliable network.

use std::future::Future;

use tokio::time::Instant;

use super::config::RetryConfig;
use crate::error::{Error, Result};

/// Runs a write that must not be repeated blindly (a create; a delete whose repeat would
/// answer 404), and after an ambiguous failure ([`Error::is_ambiguous`]: timeout, 5xx,
/// connection dropped after sending) asks `lookup` whether the write already took effect
/// (the created object exists, the deleted one is gone) before writing again: if it did, the
/// earlier attempt committed and `lookup`'s answer is returned.
///
/// A [`Error::Conflict`] after an ambiguous failure of an earlier attempt also resolves by
/// `lookup` (that attempt committed); a conflict on the first attempt is returned as is.
/// Attempts, backoff and total time follow `retry` (typically
/// [`HttpClient::retry_config`](super::HttpClient::retry_config)); when they run out, the last
/// error is returned. `lookup` failures that are retryable are retried within the same bounds.
pub async fn write_reconciled<T, C, CF, L, LF>(
    retry: &RetryConfig,
    mut write: C,
    mut lookup: L,
) -> Result<T>
where
    C: FnMut() -> CF,
    CF: Future<Output = Result<T>>,
    L: FnMut() -> LF,
    LF: Future<Output = Result<Option<T>>>,
{
    let deadline = retry.deadline(Instant::now());
    let mut backoff = retry.backoff();
    let mut rounds = 0u32;
    let mut maybe_written = false;
    loop {
        rounds += 1;
        let error = match attempt_round(&mut write, &mut lookup, maybe_written).await {
            Ok(done) => return Ok(done),
            Err(error) => error,
        };
        match &error {
            e if e.is_ambiguous() => maybe_written = true,
            // A conflict or a failed lookup after an ambiguous attempt: look again next round.
            Error::Conflict { .. } if maybe_written => {}
            e if maybe_written && e.is_retryable() => {}
            _ => return Err(error),
        }
        if rounds >= retry.max_attempts {
            return Err(error);
        }
        let Some(wait) = backoff.next() else {
            return Err(error);
        };
        if Instant::now()
            .checked_add(wait)
            .is_none_or(|at| at > deadline)
        {
            return Err(error);
        }
        tracing::info!(
            round = rounds,
            wait_ms = wait.as_millis() as u64,
            %error,
            "write not confirmed; will look it up before writing again"
        );
        tokio::time::sleep(wait).await;
    }
}

/// One round: look up first if an earlier attempt may have committed, else (or if not found)
/// write; a conflict after an ambiguous attempt is resolved by looking up at once.
async fn attempt_round<T, C, CF, L, LF>(
    write: &mut C,
    lookup: &mut L,
    maybe_written: bool,
) -> Result<T>
where
    C: FnMut() -> CF,
    CF: Future<Output = Result<T>>,
    L: FnMut() -> LF,
    LF: Future<Output = Result<Option<T>>>,
{
    if maybe_written && let Some(found) = lookup().await? {
        tracing::info!("write reconciled: an earlier attempt had committed");
        return Ok(found);
    }
    match write().await {
        Err(conflict @ Error::Conflict { .. }) if maybe_written => match lookup().await? {
            Some(found) => {
                tracing::info!("write conflicted with its own earlier attempt; reconciled");
                Ok(found)
            }
            None => Err(conflict),
        },
        other => other,
    }
}
