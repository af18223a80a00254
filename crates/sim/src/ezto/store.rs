//! The in-memory identity providers of one workspace, indexed by alias and by internal id,
//! with the aliases kept sorted so that a `first`/`max` page is a slice, not a re-sort.
//!
//! Keycloak lists identity providers sorted by alias (measured on 26.7.1: created `zzz, mmm,
//! aaa`, listed `aaa, mmm, zzz`).

use std::collections::HashMap;

use super::mappers::Mapper;
use super::rep::Idp;

/// Why an insert was refused.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Duplicate;

/// The identity providers.
#[derive(Debug, Default)]
pub(crate) struct Store {
    by_alias: HashMap<String, Idp>,
    alias_by_id: HashMap<String, String>,
    sorted_aliases: Vec<String>,
    /// Each provider's mappers, by alias; removed with the provider.
    mappers: HashMap<String, Vec<Mapper>>,
}

impl Store {
    /// Resolves a path key as Keycloak's `getByIdOrAlias` does: the internal id first, then
    /// the alias.
    pub(crate) fn resolve(&self, key: &str) -> Option<&Idp> {
        self.alias_by_id
            .get(key)
            .and_then(|alias| self.by_alias.get(alias))
            .or_else(|| self.by_alias.get(key))
    }

    /// Adds a provider; a taken alias or internal id is a duplicate (`ModelDuplicateException`).
    pub(crate) fn insert(&mut self, idp: Idp) -> Result<(), Duplicate> {
        if self.by_alias.contains_key(&idp.alias) || self.alias_by_id.contains_key(&idp.internal_id)
        {
            return Err(Duplicate);
        }
        let position = self
            .sorted_aliases
            .binary_search(&idp.alias)
            .unwrap_or_else(|insert_at| insert_at);
        self.sorted_aliases.insert(position, idp.alias.clone());
        self.alias_by_id
            .insert(idp.internal_id.clone(), idp.alias.clone());
        self.by_alias.insert(idp.alias.clone(), idp);
        Ok(())
    }

    /// Replaces a stored provider with one of the same alias and internal id.
    pub(crate) fn replace(&mut self, idp: Idp) {
        if let Some(slot) = self.by_alias.get_mut(&idp.alias) {
            *slot = idp;
        }
    }

    /// Removes the provider a path key resolves to.
    pub(crate) fn remove(&mut self, key: &str) -> Option<Idp> {
        let alias = self.resolve(key)?.alias.clone();
        let idp = self.by_alias.remove(&alias)?;
        self.alias_by_id.remove(&idp.internal_id);
        self.mappers.remove(&alias);
        if let Ok(position) = self.sorted_aliases.binary_search(&alias) {
            self.sorted_aliases.remove(position);
        }
        Some(idp)
    }

    /// One page in alias order: skip `first`, take at most `max` (`None` for no bound), keeping
    /// only aliases that match `search`.
    pub(crate) fn page(
        &self,
        search: Option<&Search>,
        first: usize,
        max: Option<usize>,
    ) -> Vec<&Idp> {
        let take = max.unwrap_or(usize::MAX);
        let aliases: Box<dyn Iterator<Item = &String>> = match search {
            None => Box::new(self.sorted_aliases.iter().skip(first).take(take)),
            Some(search) => Box::new(
                self.sorted_aliases
                    .iter()
                    .filter(|alias| search.matches(alias))
                    .skip(first)
                    .take(take),
            ),
        };
        aliases
            .filter_map(|alias| self.by_alias.get(alias))
            .collect()
    }

    /// The mappers of the provider with this alias.
    pub(crate) fn mappers_of(&self, alias: &str) -> Vec<Mapper> {
        self.mappers.get(alias).cloned().unwrap_or_default()
    }

    /// Adds a mapper; `false` when its provider already has one of that name or id.
    pub(crate) fn add_mapper(&mut self, mapper: Mapper) -> bool {
        let list = self.mappers.entry(mapper.alias.clone()).or_default();
        if list
            .iter()
            .any(|m| m.name == mapper.name || m.id == mapper.id)
        {
            return false;
        }
        list.push(mapper);
        true
    }

    /// Replaces the provider's mapper with the same id; `false` when there is none.
    pub(crate) fn replace_mapper(&mut self, mapper: Mapper) -> bool {
        let slot = self
            .mappers
            .get_mut(&mapper.alias)
            .and_then(|list| list.iter_mut().find(|m| m.id == mapper.id));
        match slot {
            Some(slot) => {
                *slot = mapper;
                true
            }
            None => false,
        }
    }

    /// Removes the provider's mapper with this id; `false` when there is none.
    pub(crate) fn remove_mapper(&mut self, alias: &str, id: &str) -> bool {
        let Some(list) = self.mappers.get_mut(alias) else {
            return false;
        };
        let before = list.len();
        list.retain(|m| m.id != id);
        list.len() != before
    }

    /// Every provider in alias order.
    pub(crate) fn all(&self) -> impl Iterator<Item = &Idp> {
        self.sorted_aliases
            .iter()
            .filter_map(|alias| self.by_alias.get(alias))
    }
}

/// The list `search` parameter: `"x"` is an exact match, anything else a case-insensitive
/// pattern where `*` is a wildcard and a trailing `*` is implied (so `x` is a prefix and `*x*`
/// a substring). Keycloak's own description: "Search can be prefix (name*), contains (*name*)
/// or exact ("name"). Default prefixed." (spec 26.6.0 `search`); measured on 26.7.1:
/// `search=*bbc` matches `xabbcx`, `search=XAB` matches it, `search=abb` does not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Search {
    /// `"alias"`.
    Exact(String),
    /// The lowercase pattern split on `*`; the first piece is anchored at the start.
    Pattern(Vec<String>),
}

impl Search {
    /// Parses the parameter; blank means no filter (`StringUtil.isNotBlank`).
    pub(crate) fn parse(raw: &str) -> Option<Search> {
        if raw.trim().is_empty() {
            return None;
        }
        if raw.len() >= 2 && raw.starts_with('"') && raw.ends_with('"') {
            return Some(Search::Exact(raw[1..raw.len() - 1].to_string()));
        }
        let pieces = raw.to_lowercase().split('*').map(str::to_string).collect();
        Some(Search::Pattern(pieces))
    }

    /// Whether an alias matches.
    pub(crate) fn matches(&self, alias: &str) -> bool {
        match self {
            Search::Exact(exact) => alias == exact,
            Search::Pattern(pieces) => {
                let alias = alias.to_lowercase();
                let mut rest = alias.as_str();
                for (i, piece) in pieces.iter().enumerate() {
                    if i == 0 {
                        match rest.strip_prefix(piece.as_str()) {
                            Some(after) => rest = after,
                            None => return false,
                        }
                    } else if let Some(at) = rest.find(piece.as_str()) {
                        rest = &rest[at + piece.len()..];
                    } else {
                        return false;
                    }
                }
                true
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_is_prefix_contains_or_exact() {
        let m = |s: &str, alias: &str| Search::parse(s).is_some_and(|s| s.matches(alias));
        assert!(m("xab", "xabbcx"));
        assert!(m("XAB", "xabbcx"));
        assert!(!m("abb", "xabbcx"));
        assert!(m("*abb*", "xabbcx"));
        assert!(m("*bbc", "xabbcx"));
        assert!(m("x*", "xabbcx"));
        assert!(m("\"xabbcx\"", "xabbcx"));
        assert!(!m("\"xabbc\"", "xabbcx"));
        assert!(Search::parse("  ").is_none());
    }
}
