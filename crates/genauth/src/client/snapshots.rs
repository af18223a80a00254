//! The source-id lists recent listings started from.
//!
//! `list-ext-idp` does not page, so re-reading it for every page of a long listing costs
//! O(sources) per page. A listing's first page keeps the sorted ids here and names them in its
//! cursor; later pages reuse them while they are fresh. Sources created after the snapshot are
//! not in that listing (a paged listing is never an atomic snapshot anyway); deleted ones are
//! skipped when their `get-ext-idp` answers 404.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a listing may rely on its source ids.
const FRESH_FOR: Duration = Duration::from_secs(60);
/// How many concurrent listings keep their ids.
const KEPT: usize = 4;

struct Snapshot {
    token: u64,
    ids: Arc<Vec<String>>,
    taken: Instant,
}

/// A few recent source-id lists, each named by a random token.
#[derive(Default)]
pub struct Snapshots {
    recent: Mutex<Vec<Snapshot>>,
}

impl Snapshots {
    /// The ids of snapshot `token`, if still held and fresh.
    pub fn get(&self, token: u64) -> Option<Arc<Vec<String>>> {
        let recent = self.recent.lock().unwrap_or_else(|e| e.into_inner());
        recent
            .iter()
            .find(|s| s.token == token && s.taken.elapsed() < FRESH_FOR)
            .map(|s| Arc::clone(&s.ids))
    }

    /// Keeps `ids` and returns their token, dropping the oldest beyond the few kept.
    pub fn put(&self, ids: Arc<Vec<String>>) -> u64 {
        let token = rand::random::<u64>();
        let mut recent = self.recent.lock().unwrap_or_else(|e| e.into_inner());
        recent.retain(|s| s.taken.elapsed() < FRESH_FOR);
        if recent.len() >= KEPT {
            recent.remove(0);
        }
        recent.push(Snapshot {
            token,
            ids,
            taken: Instant::now(),
        });
        token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_a_few_recent_lists() {
        let snapshots = Snapshots::default();
        let tokens: Vec<u64> = (0..6)
            .map(|i| snapshots.put(Arc::new(vec![format!("{i}")])))
            .collect();
        assert!(snapshots.get(tokens[0]).is_none());
        assert!(snapshots.get(tokens[1]).is_none());
        assert_eq!(snapshots.get(tokens[5]).unwrap().as_slice(), ["5"]);
        assert!(snapshots.get(12345).is_none());
    }
}
