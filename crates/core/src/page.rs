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

/// Reads every connection of `provider` into memory, with the records it had to skip.
pub async fn read_all<P>(provider: &P, page_size: Option<u32>) -> Result<Listing>
where
    P: IdentityConnectionProvider + ?Sized,
{
    let mut listing = Listing::default();
    let mut cursor = None;
    loop {
        let page = provider
            .list(PageRequest {
                cursor,
                size: page_size,
            })
            .await?;
        listing.connections.extend(page.items);
        listing.skipped.extend(page.skipped);
        match page.next {
            Some(next) => cursor = Some(next),
            None => return Ok(listing),
        }
    }
}

/// Streams every connection of `provider`, one page in memory at a time, following cursors
/// until the last page. `page_size` of `None` lets the backend choose.
///
/// A record no connection can be made of is left out of the stream and logged (a warning
/// naming it); [`read_all`] returns such records to the caller.
pub fn list_all<'a, P>(
    provider: &'a P,
    page_size: Option<u32>,
) -> impl Stream<Item = Result<Connection>> + Send + 'a
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
                for skipped in &page.skipped {
                    tracing::warn!(vendor = %provider.vendor(), record = %skipped.record, reason = %skipped.reason, "record skipped: no connection can be made of it");
                }
                let next = page.next.map_or(State::Done, State::Next);
                Some((Ok(page.items), next))
            }
            Err(error) => Some((Err(error), State::Done)),
        }
    });
    futures::StreamExt::flat_map(pages, |page: Result<Vec<Connection>>| match page {
        Ok(items) => stream::iter(items.into_iter().map(Ok).collect::<Vec<_>>()),
        Err(error) => stream::iter(vec![Err(error)]),
    })
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
