//! Creating exactly once over an unreliable network.

use std::future::Future;

use tokio::time::Instant;

use super::config::RetryConfig;
use crate::error::{Error, Result};

/// Runs a non-idempotent `create`, and after an ambiguous failure ([`Error::is_ambiguous`]:
/// timeout, 5xx, connection dropped after sending) asks `lookup` whether the object exists
/// before creating again: if it does, the earlier attempt committed and it is returned.
///
/// A [`Error::Conflict`] after an ambiguous failure of an earlier attempt also resolves by
/// `lookup` (that attempt committed); a conflict on the first attempt is returned as is.
/// Attempts, backoff and total time follow `retry` (typically
/// [`HttpClient::retry_config`](super::HttpClient::retry_config)); when they run out, the last
/// error is returned. `lookup` failures that are retryable are retried within the same bounds.
pub async fn create_reconciled<T, C, CF, L, LF>(
    retry: &RetryConfig,
    mut create: C,
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
    let mut maybe_created = false;
    loop {
        rounds += 1;
        let error = match attempt_round(&mut create, &mut lookup, maybe_created).await {
            Ok(done) => return Ok(done),
            Err(error) => error,
        };
        match &error {
            e if e.is_ambiguous() => maybe_created = true,
            // A conflict or a failed lookup after an ambiguous attempt: look again next round.
            Error::Conflict { .. } if maybe_created => {}
            e if maybe_created && e.is_retryable() => {}
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
            "create not confirmed; will look the object up before creating again"
        );
        tokio::time::sleep(wait).await;
    }
}

/// One round: look up first if an earlier attempt may have committed, else (or if absent)
/// create; a conflict after an ambiguous attempt is resolved by looking up at once.
async fn attempt_round<T, C, CF, L, LF>(
    create: &mut C,
    lookup: &mut L,
    maybe_created: bool,
) -> Result<T>
where
    C: FnMut() -> CF,
    CF: Future<Output = Result<T>>,
    L: FnMut() -> LF,
    LF: Future<Output = Result<Option<T>>>,
{
    if maybe_created && let Some(found) = lookup().await? {
        tracing::info!("create reconciled: an earlier attempt had committed");
        return Ok(found);
    }
    match create().await {
        Err(conflict @ Error::Conflict { .. }) if maybe_created => match lookup().await? {
            Some(found) => {
                tracing::info!("create conflicted with its own earlier attempt; reconciled");
                Ok(found)
            }
            None => Err(conflict),
        },
        other => other,
    }
}
