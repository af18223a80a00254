//! A vendor's names for a closed set of neutral values (the [`OidcChannel`](crate::OidcChannel),
//! the SAML request algorithms and bindings): one table per vendor and setting, read and written
//! through the same functions, so that every backend treats a vendor value it does not know
//! alike (kept verbatim, with a read note) and a neutral value the vendor lacks alike (a
//! reported loss).

use serde_json::{Map, Value};

use crate::policy::Loss;
use crate::read::ReadNote;

/// A vendor's wire name for each neutral value it holds; a value missing from the table is one
/// the vendor cannot hold.
pub type Spelling<T> = &'static [(T, &'static str)];

/// The vendor's name for `value`, when it holds it.
pub fn wire_of<T: PartialEq>(spelling: Spelling<T>, value: T) -> Option<&'static str> {
    spelling.iter().find(|(v, _)| *v == value).map(|(_, w)| *w)
}

/// The neutral value the vendor's name `wire` stands for.
pub fn value_of<T: Copy>(spelling: Spelling<T>, wire: &str) -> Option<T> {
    spelling.iter().find(|(_, w)| *w == wire).map(|(v, _)| *v)
}

/// The neutral values the vendor holds, in the table's order.
pub fn held<T: Copy>(spelling: Spelling<T>) -> Vec<T> {
    spelling.iter().map(|(v, _)| *v).collect()
}

/// The neutral names of the values the vendor holds, for a loss reason: "rsa-sha256, rsa-sha1"
/// ("nothing" when it holds none).
pub fn offered<T: std::fmt::Display>(spelling: Spelling<T>) -> String {
    if spelling.is_empty() {
        return "nothing".to_string();
    }
    let names: Vec<String> = spelling.iter().map(|(v, _)| v.to_string()).collect();
    names.join(", ")
}

/// Why a vendor value was not taken: "`\"HYBRID\"` is not one of `FRONT_CHANNEL`, `BACK_CHANNEL`".
pub fn unknown<T>(spelling: Spelling<T>, found: &str) -> String {
    let shown: String = found.chars().take(80).collect();
    let names: Vec<String> = spelling.iter().map(|(_, w)| format!("`{w}`")).collect();
    if names.is_empty() {
        format!("`{shown}` is not a value idconn knows here")
    } else {
        format!("`{shown}` is not one of {}", names.join(", "))
    }
}

/// Takes `map[key]` into the model when it is a string the table names. Any other value stays
/// in `map` verbatim, with a read note at `{at}.{key}` saying why; absent is `None`.
pub fn take<T: Copy>(
    map: &mut Map<String, Value>,
    key: &str,
    spelling: Spelling<T>,
    at: &str,
    notes: &mut Vec<ReadNote>,
) -> Option<T> {
    let found = map.get(key)?;
    let value = found.as_str().and_then(|wire| value_of(spelling, wire));
    match value {
        Some(value) => {
            map.remove(key);
            Some(value)
        }
        None => {
            let shown = found
                .as_str()
                .map_or_else(|| found.to_string(), str::to_string);
            notes.push(ReadNote::new(
                format!("{at}.{key}"),
                unknown(spelling, &shown),
            ));
            None
        }
    }
}

/// Puts `value` under `key` in the vendor's spelling and returns that spelling. `None` leaves
/// `map[key]` as it is (what the vendor stores, or a value a read could not decode). A value
/// the table lacks is a loss at `field` saying `why`, and `map[key]` stays as it is.
pub fn put<T: Copy + PartialEq + std::fmt::Display>(
    map: &mut Map<String, Value>,
    key: &str,
    value: Option<T>,
    spelling: Spelling<T>,
    field: &str,
    why: impl FnOnce() -> String,
    losses: &mut Vec<Loss>,
) -> Option<&'static str> {
    let value = value?;
    match wire_of(spelling, value) {
        Some(wire) => {
            map.insert(key.to_string(), Value::String(wire.to_string()));
            Some(wire)
        }
        None => {
            losses.push(Loss::dropped(field, value.to_string(), why()));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::model::OidcChannel;

    const MODES: Spelling<OidcChannel> = &[
        (OidcChannel::FrontChannel, "FRONT"),
        (OidcChannel::BackChannel, "BACK"),
    ];
    const BACK_ONLY: Spelling<OidcChannel> = &[(OidcChannel::BackChannel, "BACK")];

    #[test]
    fn known_names_are_taken_and_others_kept_with_a_note() {
        let mut map = json!({"mode": "BACK", "other": 1})
            .as_object()
            .cloned()
            .unwrap();
        let mut notes = Vec::new();
        assert_eq!(
            take(&mut map, "mode", MODES, "fields", &mut notes),
            Some(OidcChannel::BackChannel)
        );
        assert_eq!(map, json!({"other": 1}).as_object().cloned().unwrap());
        assert!(notes.is_empty());
        assert_eq!(take(&mut map, "mode", MODES, "fields", &mut notes), None);
        assert!(notes.is_empty(), "absent is no note");

        for odd in [json!("HYBRID"), json!(7), json!(null)] {
            let mut map = Map::new();
            map.insert("mode".into(), odd.clone());
            let mut notes = Vec::new();
            assert_eq!(take(&mut map, "mode", MODES, "fields", &mut notes), None);
            assert_eq!(map["mode"], odd, "kept verbatim");
            assert_eq!(notes.len(), 1);
            assert_eq!(notes[0].field, "fields.mode");
            assert!(notes[0].reason.contains("`FRONT`, `BACK`"), "{notes:?}");
        }
    }

    #[test]
    fn values_are_put_in_the_vendor_spelling_or_reported() {
        let mut map = json!({"mode": "kept"}).as_object().cloned().unwrap();
        let mut losses = Vec::new();
        let none = put(&mut map, "mode", None, MODES, "f", String::new, &mut losses);
        assert_eq!((none, &map["mode"]), (None, &json!("kept")));
        let put_front = put(
            &mut map,
            "mode",
            Some(OidcChannel::FrontChannel),
            MODES,
            "f",
            String::new,
            &mut losses,
        );
        assert_eq!((put_front, &map["mode"]), (Some("FRONT"), &json!("FRONT")));
        assert!(losses.is_empty());

        let lost = put(
            &mut map,
            "mode",
            Some(OidcChannel::FrontChannel),
            BACK_ONLY,
            "settings.channel",
            || "no front channel".into(),
            &mut losses,
        );
        assert_eq!(lost, None);
        assert_eq!(map["mode"], "FRONT", "the stored value stays");
        assert_eq!(losses.len(), 1);
        assert_eq!(losses[0].field, "settings.channel");
        assert_eq!(losses[0].source, "front_channel");
        assert_eq!(losses[0].reason, "no front channel");
    }

    #[test]
    fn lookups_both_ways() {
        assert_eq!(wire_of(BACK_ONLY, OidcChannel::FrontChannel), None);
        assert_eq!(wire_of(MODES, OidcChannel::FrontChannel), Some("FRONT"));
        assert_eq!(value_of(MODES, "BACK"), Some(OidcChannel::BackChannel));
        assert_eq!(value_of(MODES, "back"), None);
        assert_eq!(held(MODES), OidcChannel::ALL);
        assert_eq!(offered(MODES), "front_channel, back_channel");
        assert_eq!(offered::<OidcChannel>(&[]), "nothing");
        assert_eq!(
            unknown::<OidcChannel>(&[], "x"),
            "`x` is not a value idconn knows here"
        );
    }
}
