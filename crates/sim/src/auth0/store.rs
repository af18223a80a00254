//! The tenant's connections in memory, indexed by id (ordered, for checkpoint pagination that
//! resumes without re-scanning), by name and by strategy.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Bound;

use rand::Rng;
use rand::distr::Alphanumeric;
use serde_json::{Map, Value};

/// A stored connection, as Auth0's JSON object.
pub(crate) type Record = Map<String, Value>;

/// The pattern connection ids follow (`con_` and 16 letters or digits, as the OAS default
/// `con_0000000000000001`); other ids are a path validation error.
pub(crate) const ID_PATTERN: &str = "^con_[A-Za-z0-9]{16}$";

/// True when `id` has the shape of a connection id.
pub(crate) fn is_valid_id(id: &str) -> bool {
    id.len() == 20
        && id.starts_with("con_")
        && id.as_bytes()[4..].iter().all(u8::is_ascii_alphanumeric)
}

/// What a list request filters on.
#[derive(Debug, Default, Clone)]
pub(crate) struct Filter {
    /// Only these strategies (any of them); empty for all.
    pub(crate) strategies: Vec<String>,
    /// Only the connection with this exact name.
    pub(crate) name: Option<String>,
}

/// The connections of one tenant.
#[derive(Debug, Default)]
pub(crate) struct Store {
    by_id: BTreeMap<String, Record>,
    by_name: HashMap<String, String>,
    by_strategy: HashMap<String, BTreeSet<String>>,
    created: u64,
}

/// Base62 digits in ASCII order, so that encoded counters sort like the numbers.
const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

impl Store {
    /// A fresh id: an 8-digit base62 creation counter (so ids sort in creation order and
    /// checkpoint pages come back oldest first) and 8 random characters.
    fn next_id(&mut self) -> String {
        self.created += 1;
        let mut counter = self.created;
        let mut ordered = [b'0'; 8];
        for slot in ordered.iter_mut().rev() {
            *slot = BASE62[(counter % 62) as usize];
            counter /= 62;
        }
        let random: String = rand::rng()
            .sample_iter(Alphanumeric)
            .take(8)
            .map(char::from)
            .collect();
        format!(
            "con_{}{random}",
            std::str::from_utf8(&ordered).unwrap_or("00000000")
        )
    }

    /// Whether a connection has this name.
    pub(crate) fn name_taken(&self, name: &str) -> bool {
        self.by_name.contains_key(name)
    }

    /// Stores a new connection under a fresh id (the caller checked the name is free) and
    /// returns the stored record.
    pub(crate) fn insert(&mut self, mut record: Record) -> Record {
        let id = self.next_id();
        record.insert("id".into(), Value::String(id.clone()));
        let name = string_field(&record, "name");
        let strategy = string_field(&record, "strategy");
        self.by_name.insert(name, id.clone());
        self.by_strategy
            .entry(strategy)
            .or_default()
            .insert(id.clone());
        self.by_id.insert(id, record.clone());
        record
    }

    /// One connection.
    pub(crate) fn get(&self, id: &str) -> Option<&Record> {
        self.by_id.get(id)
    }

    /// One connection, to change in place. Name and strategy are immutable, so the indexes
    /// stay right.
    pub(crate) fn get_mut(&mut self, id: &str) -> Option<&mut Record> {
        self.by_id.get_mut(id)
    }

    /// Removes a connection; false when there was none.
    pub(crate) fn remove(&mut self, id: &str) -> bool {
        let Some(record) = self.by_id.remove(id) else {
            return false;
        };
        self.by_name.remove(&string_field(&record, "name"));
        let strategy = string_field(&record, "strategy");
        if let Some(ids) = self.by_strategy.get_mut(&strategy) {
            ids.remove(id);
            if ids.is_empty() {
                self.by_strategy.remove(&strategy);
            }
        }
        true
    }

    /// Every connection in id order.
    pub(crate) fn all(&self) -> Vec<Value> {
        self.by_id.values().cloned().map(Value::Object).collect()
    }

    /// How many connections match.
    pub(crate) fn count(&self, filter: &Filter) -> usize {
        if let Some(name) = &filter.name {
            return usize::from(self.named(name, filter).is_some());
        }
        if filter.strategies.is_empty() {
            return self.by_id.len();
        }
        distinct(&filter.strategies)
            .filter_map(|s| self.by_strategy.get(s))
            .map(BTreeSet::len)
            .sum()
    }

    /// Up to `limit` matching connections after id `after` (exclusive), skipping the first
    /// `skip`; the flag says whether more follow. Costs O(log n + skip + limit) per strategy.
    pub(crate) fn page(
        &self,
        filter: &Filter,
        after: Option<&str>,
        skip: usize,
        limit: usize,
    ) -> (Vec<Record>, bool) {
        let lower = match after {
            Some(id) => Bound::Excluded(id.to_string()),
            None => Bound::Unbounded,
        };
        let want = skip.saturating_add(limit).saturating_add(1);
        let ids: Vec<&String> = if let Some(name) = &filter.name {
            self.named(name, filter)
                .filter(|id| after.is_none_or(|a| id.as_str() > a))
                .into_iter()
                .collect()
        } else if filter.strategies.is_empty() {
            self.by_id
                .range::<String, _>((lower, Bound::Unbounded))
                .map(|(id, _)| id)
                .take(want)
                .collect()
        } else {
            let mut ids: Vec<&String> = distinct(&filter.strategies)
                .filter_map(|s| self.by_strategy.get(s))
                .flat_map(|set| {
                    set.range::<String, _>((lower.clone(), Bound::Unbounded))
                        .take(want)
                })
                .collect();
            ids.sort();
            ids.truncate(want);
            ids
        };
        let more = ids.len() > skip.saturating_add(limit);
        let records = ids
            .into_iter()
            .skip(skip)
            .take(limit)
            .filter_map(|id| self.by_id.get(id).cloned())
            .collect();
        (records, more)
    }

    fn named(&self, name: &str, filter: &Filter) -> Option<&String> {
        let id = self.by_name.get(name)?;
        let record = self.by_id.get(id)?;
        let strategy = record.get("strategy").and_then(Value::as_str)?;
        (filter.strategies.is_empty() || filter.strategies.iter().any(|s| s == strategy))
            .then_some(id)
    }
}

fn distinct(strategies: &[String]) -> impl Iterator<Item = &String> {
    strategies
        .iter()
        .enumerate()
        .filter(|(i, s)| !strategies[..*i].contains(s))
        .map(|(_, s)| s)
}

fn string_field(record: &Record, key: &str) -> String {
    record
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn record(name: &str, strategy: &str) -> Record {
        match json!({"name": name, "strategy": strategy}) {
            Value::Object(m) => m,
            _ => unreachable!(),
        }
    }

    #[test]
    fn ids_sort_in_creation_order_and_have_the_documented_shape() {
        let mut store = Store::default();
        let ids: Vec<String> = (0..100)
            .map(|i| {
                let r = store.insert(record(&format!("c{i}"), "oidc"));
                r["id"].as_str().unwrap().to_string()
            })
            .collect();
        assert!(ids.windows(2).all(|w| w[0] < w[1]));
        assert!(ids.iter().all(|id| is_valid_id(id)));
    }

    #[test]
    fn strategy_pages_resume_after_the_cursor() {
        let mut store = Store::default();
        for i in 0..30 {
            let strategy = if i % 3 == 0 { "samlp" } else { "oidc" };
            store.insert(record(&format!("c{i}"), strategy));
        }
        let filter = Filter {
            strategies: vec!["samlp".into()],
            name: None,
        };
        assert_eq!(store.count(&filter), 10);
        let (first, more) = store.page(&filter, None, 0, 4);
        assert!(more);
        let last = first[3]["id"].as_str().unwrap().to_string();
        let (second, _) = store.page(&filter, Some(&last), 0, 100);
        assert_eq!(first.len() + second.len(), 10);
        assert!(second.iter().all(|r| r["strategy"] == "samlp"));
    }
}
