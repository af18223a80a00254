//! Pagination, and `list_all`: every connection of a provider in constant memory.

use futures::stream::{self, Stream};

use crate::error::Result;
use crate::model::Connection;
use crate::provider::IdentityConnectionProvider;

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
}

/// Streams every connection of `provider`, one page in memory at a time, following cursors
/// until the last page. `page_size` of `None` lets the backend choose.
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

/// How many connections [`list_all_complete`] completes at once unless told otherwise: enough to
/// hide latency, few enough that the rate-limit gate, not the server, paces them.
pub const DEFAULT_READ_CONCURRENCY: usize = 8;

/// [`list_all`], with each connection made whole by
/// [`complete`](IdentityConnectionProvider::complete), at most `concurrency` at a time (every
/// request still passes the client's rate-limit gate), in list order. What export, plan and
/// migrate read.
pub fn list_all_complete<'a, P>(
    provider: &'a P,
    page_size: Option<u32>,
    concurrency: usize,
) -> impl Stream<Item = Result<Connection>> + Send + 'a
where
    P: IdentityConnectionProvider + ?Sized,
{
    let listed = list_all(provider, page_size);
    futures::StreamExt::buffered(
        futures::StreamExt::map(listed, move |item| async move {
            match item {
                Ok(connection) => provider.complete(connection).await,
                Err(error) => Err(error),
            }
        }),
        concurrency.max(1),
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
