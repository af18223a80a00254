//! Pagination, and `list_all`: every connection of a provider in constant memory.

use futures::stream::{self, Stream};

use crate::error::Result;
use crate::model::Connection;
use crate::provider::IdentityConnectionProvider;
use crate::read::Skipped;

/// One page request: where to start and how many at most.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageRequest {
    /// The opaque cursor a previous [`Page::next`] returned; `None` for the first page.
    pub cursor: Option<String>,
    /// The most items wanted; `None` lets the backend choose its safe default. Backends clamp
    /// it to their [`Capabilities::max_page_size`](crate::Capabilities::max_page_size).
    pub size: Option<u32>,
}

impl PageRequest {
    /// The first page with the backend's default size.
    pub fn first() -> Self {
        PageRequest::default()
    }

    /// The first page with at most `size` items.
    pub fn with_size(size: u32) -> Self {
        PageRequest {
            cursor: None,
            size: Some(size),
        }
    }

    /// The size a backend asks its vendor for: the requested size or the backend's `default`,
    /// kept between 1 and `max` (its [`Capabilities::max_page_size`](crate::Capabilities::max_page_size)).
    pub fn size_within(&self, default: u32, max: u32) -> u32 {
        self.size.unwrap_or(default).clamp(1, max.max(1))
    }
}

/// One page of results.
#[derive(Debug, Clone, Default)]
pub struct Page<T> {
    /// The items on this page.
    pub items: Vec<T>,
    /// The cursor of the next page; `None` on the last page.
    pub next: Option<String>,
    /// Records of this page no item could be made of, by name or id; the page holds the rest.
    pub skipped: Vec<Skipped>,
}

/// Every connection of a provider, and the records it had to skip.
#[derive(Debug, Clone, Default)]
pub struct Listing {
    /// The connections, in the provider's order.
    pub connections: Vec<Connection>,
    /// Records no connection could be made of.
    pub skipped: Vec<Skipped>,
}

/// One record of a listing, in the provider's order: a connection, or a record no connection
/// could be made of.
#[derive(Debug, Clone)]
// Records pass one at a time through a stream; boxing every connection would cost an
// allocation each to save bytes on the rare skipped one.
#[allow(clippy::large_enum_variant)]
pub enum Record {
    /// A connection (possibly with [`read_notes`](Connection::read_notes)).
    Connection(Connection),
    /// A record left out, by name or id, with the reason.
    Skipped(Skipped),
}

/// Streams every record of `provider`, one page in memory at a time, following cursors until
/// the last page. `page_size` of `None` lets the backend choose. The primitive the other
/// readers here are built on.
pub fn list_records<'a, P>(
    provider: &'a P,
    page_size: Option<u32>,
) -> impl Stream<Item = Result<Record>> + Send + 'a
where
    P: IdentityConnectionProvider + ?Sized,
{
    enum State {
        Start,
        Next(String),
        Done,
    }
    let pages = stream::unfold(State::Start, move |state| async move {
        let cursor = match state {
            State::Start => None,
            State::Next(cursor) => Some(cursor),
            State::Done => return None,
        };
        let request = PageRequest {
            cursor,
            size: page_size,
        };
        match provider.list(request).await {
            Ok(page) => {
                let next = page.next.map_or(State::Done, State::Next);
                let records: Vec<Result<Record>> = page
                    .items
                    .into_iter()
                    .map(Record::Connection)
                    .chain(page.skipped.into_iter().map(Record::Skipped))
                    .map(Ok)
                    .collect();
                Some((records, next))
            }
            Err(error) => Some((vec![Err(error)], State::Done)),
        }
    });
    futures::StreamExt::flat_map(pages, stream::iter)
}

/// [`list_records`], with each connection made whole by
/// [`complete`](IdentityConnectionProvider::complete), at most `concurrency` at a time (every
/// request still passes the client's rate-limit gate), in list order. What export, plan and
/// migrate read.
pub fn list_records_complete<'a, P>(
    provider: &'a P,
    page_size: Option<u32>,
    concurrency: usize,
) -> impl Stream<Item = Result<Record>> + Send + 'a
where
    P: IdentityConnectionProvider + ?Sized,
{
    futures::StreamExt::buffered(
        futures::StreamExt::map(list_records(provider, page_size), move |item| async move {
            match item? {
                Record::Connection(connection) => {
                    provider.complete(connection).await.map(Record::Connection)
                }
                skipped => Ok(skipped),
            }
        }),
        concurrency.max(1),
    )
}

/// Reads every connection of `provider` into memory as listed (see [`read_all_complete`] for
/// whole connections), with the records it had to skip.
pub async fn read_all<P>(provider: &P, page_size: Option<u32>) -> Result<Listing>
where
    P: IdentityConnectionProvider + ?Sized,
{
    gather(list_records(provider, page_size)).await
}

/// [`read_all`], with each connection made whole as [`list_records_complete`] does.
pub async fn read_all_complete<P>(
    provider: &P,
    page_size: Option<u32>,
    concurrency: usize,
) -> Result<Listing>
where
    P: IdentityConnectionProvider + ?Sized,
{
    gather(list_records_complete(provider, page_size, concurrency)).await
}

async fn gather(records: impl Stream<Item = Result<Record>>) -> Result<Listing> {
    let mut listing = Listing::default();
    let mut records = std::pin::pin!(records);
    while let Some(record) = futures::TryStreamExt::try_next(&mut records).await? {
        match record {
            Record::Connection(connection) => listing.connections.push(connection),
            Record::Skipped(skipped) => listing.skipped.push(skipped),
        }
    }
    Ok(listing)
}

/// The connections of a record stream; a skipped record is left out and logged (a warning
/// naming it). For callers that want connections only: [`read_all`] and the record streams
/// hand skipped records to the caller.
fn connections_only<'a>(
    vendor: crate::Vendor,
    records: impl Stream<Item = Result<Record>> + Send + 'a,
) -> impl Stream<Item = Result<Connection>> + Send + 'a {
    futures::StreamExt::filter_map(records, move |record| {
        std::future::ready(match record {
            Ok(Record::Connection(connection)) => Some(Ok(connection)),
            Ok(Record::Skipped(skipped)) => {
                tracing::warn!(vendor = %vendor, record = %skipped.record, reason = %skipped.reason, "record skipped: no connection can be made of it");
                None
            }
            Err(error) => Some(Err(error)),
        })
    })
}

/// Streams every connection of `provider`, one page in memory at a time (as listed: see
/// [`list_all_complete`] for whole connections). A record no connection can be made of is left
/// out and logged; [`list_records`] hands such records to the caller.
pub fn list_all<'a, P>(
    provider: &'a P,
    page_size: Option<u32>,
) -> impl Stream<Item = Result<Connection>> + Send + 'a
where
    P: IdentityConnectionProvider + ?Sized,
{
    connections_only(provider.vendor(), list_records(provider, page_size))
}

/// How many connections [`list_all_complete`] completes at once unless told otherwise: enough to
/// hide latency, few enough that the rate-limit gate, not the server, paces them.
pub const DEFAULT_READ_CONCURRENCY: usize = 8;

/// [`list_all`], with each connection made whole as [`list_records_complete`] does.
pub fn list_all_complete<'a, P>(
    provider: &'a P,
    page_size: Option<u32>,
    concurrency: usize,
) -> impl Stream<Item = Result<Connection>> + Send + 'a
where
    P: IdentityConnectionProvider + ?Sized,
{
    connections_only(
        provider.vendor(),
        list_records_complete(provider, page_size, concurrency),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_sizes_default_and_stay_in_bounds() {
        assert_eq!(PageRequest::first().size_within(50, 100), 50);
        assert_eq!(PageRequest::with_size(7).size_within(50, 100), 7);
        assert_eq!(PageRequest::with_size(0).size_within(50, 100), 1);
        assert_eq!(PageRequest::with_size(5000).size_within(50, 100), 100);
        // A zero maximum cannot make clamp panic.
        assert_eq!(PageRequest::with_size(9).size_within(50, 0), 1);
    }
}
