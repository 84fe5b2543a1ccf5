//! A small string-to-string map kept as one sorted allocation: labels,
//! annotations and ConfigMap data. Tens of thousands of objects carry two
//! or three of these with a handful of entries each; a `BTreeMap` spends a
//! whole node (~540 bytes) on even one entry, this spends 48 bytes per
//! entry.

use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StrMap(Box<[(String, String)]>);

impl StrMap {
    pub fn get(&self, key: &str) -> Option<&String> {
        self.find(key).ok().map(|i| &self.0[i].1)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.find(key).is_ok()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Entries in key order, as a `BTreeMap` gives them.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&String, &String)> {
        self.0.iter().map(|(k, v)| (k, v))
    }

    /// Set `key` to `value`, returning what it held.
    pub fn insert(&mut self, key: String, value: String) -> Option<String> {
        match self.find(&key) {
            Ok(i) => Some(std::mem::replace(&mut self.0[i].1, value)),
            Err(i) => {
                let mut entries = std::mem::take(&mut self.0).into_vec();
                entries.insert(i, (key, value));
                self.0 = entries.into_boxed_slice();
                None
            }
        }
    }

    fn find(&self, key: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(k, _)| k.as_str().cmp(key))
    }
}

impl FromIterator<(String, String)> for StrMap {
    /// A key given twice keeps its last value, as a `BTreeMap` does.
    fn from_iter<I: IntoIterator<Item = (String, String)>>(iter: I) -> Self {
        let mut entries: Vec<(String, String)> = iter.into_iter().collect();
        // Stable: among equal keys the last given stays last.
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        let mut out: Vec<(String, String)> = Vec::with_capacity(entries.len());
        for (k, v) in entries {
            match out.last_mut() {
                Some(last) if last.0 == k => last.1 = v,
                _ => out.push((k, v)),
            }
        }
        StrMap(out.into_boxed_slice())
    }
}

impl From<StrMap> for BTreeMap<String, String> {
    fn from(m: StrMap) -> Self {
        m.0.into_vec().into_iter().collect()
    }
}

impl<'a> IntoIterator for &'a StrMap {
    type Item = (&'a String, &'a String);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (String, String)>,
        fn(&'a (String, String)) -> (&'a String, &'a String),
    >;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(k, v)| (k, v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(x: &str) -> String {
        x.to_string()
    }

    #[test]
    fn behaves_as_a_btree_map_of_the_same_entries() {
        let given = [("b", "2"), ("a", "1"), ("c", "3"), ("a", "9")];
        let m: StrMap = given.iter().map(|(k, v)| (s(k), s(v))).collect();
        let b: BTreeMap<String, String> = given.iter().map(|(k, v)| (s(k), s(v))).collect();
        assert_eq!(m.len(), b.len());
        assert!(m.iter().eq(b.iter()));
        for k in ["a", "b", "c", "d", ""] {
            assert_eq!(m.get(k), b.get(k), "{k}");
            assert_eq!(m.contains_key(k), b.contains_key(k), "{k}");
        }
        assert_eq!(BTreeMap::from(m), b);
    }

    #[test]
    fn insert_keeps_the_order_and_replaces() {
        let mut m = StrMap::default();
        assert!(m.is_empty());
        assert_eq!(m.insert(s("m"), s("1")), None);
        assert_eq!(m.insert(s("a"), s("2")), None);
        assert_eq!(m.insert(s("z"), s("3")), None);
        assert_eq!(m.insert(s("m"), s("4")), Some(s("1")));
        let keys: Vec<&str> = m.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["a", "m", "z"]);
        assert_eq!(m.get("m").map(String::as_str), Some("4"));
    }
}
