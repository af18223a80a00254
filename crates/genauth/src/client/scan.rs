//! Reading connections without a connection endpoint: `list-ext-idp`, then `get-ext-idp` per
//! identity source, a bounded number in flight (connections come back
//! only inside `get-ext-idp`).

use futures::StreamExt;
use futures::stream;
use idconn_core::{Error, Result, Skipped};

use super::api::Api;
use crate::wire::{Conn, ExtIdp, ExtIdpDetail};

/// Where a listing resumes: at identity source `ext_idp_id` (or the first one after it, if it
/// is gone), skipping its first `skip` connections (in id order).
///
/// The position is an id, not an index, so a source created or deleted between pages moves
/// nothing: each page fetches only the sources from the cursor on. `snapshot` names the list
/// of source ids the listing started from, which the provider may still hold (saving one
/// `list-ext-idp` per page); without it, the ids are listed again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    /// The source-id list this listing reads, if the provider still holds it.
    pub snapshot: Option<u64>,
    /// The identity source to resume at.
    pub ext_idp_id: String,
    /// Connections of that source already listed.
    pub skip: usize,
}

impl Cursor {
    /// Reads a cursor a previous page returned: `[<snapshot>~]<extIdpId>:<skip>`.
    pub fn parse(text: &str) -> Result<Self> {
        let bad = || {
            Error::invalid(
                "cursor",
                format!("\"{text}\" is not a GenAuth listing cursor (expected <extIdpId>:<skip>)"),
            )
        };
        let (snapshot, position) = match text.split_once('~') {
            Some((snapshot, rest)) => (
                Some(u64::from_str_radix(snapshot, 16).map_err(|_| bad())?),
                rest,
            ),
            None => (None, text),
        };
        let (id, skip) = position.rsplit_once(':').ok_or_else(bad)?;
        if id.is_empty() {
            return Err(bad());
        }
        Ok(Cursor {
            snapshot,
            ext_idp_id: id.to_string(),
            skip: skip.parse().map_err(|_| bad())?,
        })
    }

    /// The text handed to the caller.
    pub fn encode(&self) -> String {
        match self.snapshot {
            Some(snapshot) => format!("{snapshot:x}~{}:{}", self.ext_idp_id, self.skip),
            None => format!("{}:{}", self.ext_idp_id, self.skip),
        }
    }
}

/// The sorted, deduplicated ids of every identity source (one `list-ext-idp`).
pub async fn source_ids(api: &Api) -> Result<Vec<String>> {
    let mut ids: Vec<String> = api
        .list_ext_idps()
        .await?
        .into_iter()
        .map(|i| i.id)
        .collect();
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// One identity source's detail, or `None` when it vanished since it was listed.
async fn detail(api: &Api, id: String) -> Result<Option<ExtIdpDetail>> {
    match api.get_ext_idp(&id).await {
        Ok(mut detail) => {
            for conn in &mut detail.connections.items {
                if conn.ext_idp_id.is_empty() {
                    conn.ext_idp_id.clone_from(&id);
                }
            }
            Ok(Some(detail))
        }
        Err(Error::NotFound { .. }) => Ok(None),
        Err(error) => Err(error),
    }
}

/// Up to `size` connections from `cursor` on, reading the sorted source `ids`, in (source id,
/// connection id) order, the records of the sources read that are no connection (reported once,
/// when their source is first read), and the position of the rest (`None` when nothing is left).
///
/// Memory: the source ids and one page. Requests: one `get-ext-idp` per source read, at most
/// `concurrency` in flight, stopping as soon as the page is full and one more connection is
/// known to exist.
pub async fn page(
    api: &Api,
    concurrency: usize,
    ids: &[String],
    cursor: Option<&Cursor>,
    size: usize,
) -> Result<(Vec<Conn>, Vec<Skipped>, Option<Cursor>)> {
    let start = cursor.map_or(0, |c| ids.partition_point(|id| *id < c.ext_idp_id));
    let mut details = stream::iter(ids[start..].iter().cloned())
        .map(|id| detail(api, id))
        .buffered(concurrency.max(1));
    let mut items = Vec::with_capacity(size);
    let mut skipped = Vec::new();
    while let Some(detail) = details.next().await {
        let Some(detail) = detail? else { continue };
        let id = detail.ext_idp.id.clone();
        let mut conns = detail.connections.items;
        conns.sort_by(|a, b| a.id.cmp(&b.id));
        let skip = cursor.filter(|c| c.ext_idp_id == id).map_or(0, |c| c.skip);
        if skip == 0 {
            skipped.extend(
                detail
                    .connections
                    .rejected
                    .iter()
                    .map(|(raw, why)| Skipped::of(raw, &["identifier", "id"], why.clone())),
            );
        }
        for (index, conn) in conns.into_iter().enumerate().skip(skip) {
            if items.len() == size {
                let next = Cursor {
                    snapshot: None,
                    ext_idp_id: id,
                    skip: index,
                };
                return Ok((items, skipped, Some(next)));
            }
            items.push(conn);
        }
    }
    Ok((items, skipped, None))
}

/// The first connection matching `wanted`, reading the sources `first` prefers before the
/// others, at most `concurrency` at a time, and stopping at the first match.
///
/// Cost: one `list-ext-idp`, then up to one `get-ext-idp` per source (all of them when nothing
/// matches).
pub async fn find(
    api: &Api,
    concurrency: usize,
    first: impl Fn(&ExtIdp) -> bool,
    wanted: impl Fn(&Conn) -> bool,
) -> Result<Option<Conn>> {
    let (mut ids, rest): (Vec<ExtIdp>, Vec<ExtIdp>) = api
        .list_ext_idps()
        .await?
        .into_iter()
        .partition(|idp| first(idp));
    ids.extend(rest);
    let mut details = stream::iter(ids.into_iter().map(|idp| idp.id))
        .map(|id| detail(api, id))
        .buffered(concurrency.max(1));
    while let Some(detail) = details.next().await {
        let Some(detail) = detail? else { continue };
        if let Some(conn) = detail.connections.items.into_iter().find(|c| wanted(c)) {
            return Ok(Some(conn));
        }
    }
    Ok(None)
}

/// The connection `id` if it is (still) under source `parent`.
pub async fn in_parent(
    api: &Api,
    parent: &str,
    wanted: impl Fn(&Conn) -> bool,
) -> Result<Option<Conn>> {
    Ok(detail(api, parent.to_string())
        .await?
        .and_then(|d| d.connections.items.into_iter().find(|c| wanted(c))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_bad_ones_name_the_cursor() {
        let mut cursor = Cursor {
            snapshot: None,
            ext_idp_id: "65a0b1".into(),
            skip: 3,
        };
        assert_eq!(Cursor::parse(&cursor.encode()).unwrap(), cursor);
        cursor.snapshot = Some(0xdead_beef);
        assert_eq!(cursor.encode(), "deadbeef~65a0b1:3");
        assert_eq!(Cursor::parse(&cursor.encode()).unwrap(), cursor);
        for bad in ["", "abc", ":3", "id:x", "id:-1", "zz~id:1", "~id:1"] {
            let err = Cursor::parse(bad).unwrap_err().to_string();
            assert!(err.contains("cursor"), "{bad}: {err}");
        }
    }
}
