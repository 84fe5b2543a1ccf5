//! A small string-to-string map kept as one sorted allocation: labels,
//! annotations and ConfigMap data. Tens of thousands of objects carry two
//! or three of these with a handful of entries each; a `BTreeMap` spends a
//! whole node (~540 bytes) on even one entry, this spends 48 bytes per
//! entry, and keys and values up to 24 bytes are held inline.

use super::Text;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StrMap(Box<[(Text, Text)]>);

impl StrMap {
    pub fn get(&self, key: &str) -> Option<&str> {
        self.find(key).ok().map(|i| self.0[i].1.as_str())
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
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// Set `key` to `value`, returning what it held.
    pub fn insert(&mut self, key: &str, value: &str) -> Option<Text> {
        let value = Text::from(value);
        match self.find(key) {
            Ok(i) => Some(std::mem::replace(&mut self.0[i].1, value)),
            Err(i) => {
                let mut entries = std::mem::take(&mut self.0).into_vec();
                entries.insert(i, (Text::from(key), value));
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
        let mut entries: Vec<(Text, Text)> = iter
            .into_iter()
            .map(|(k, v)| (Text::from(k), Text::from(v)))
            .collect();
        // Stable: among equal keys the last given stays last.
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        let mut out: Vec<(Text, Text)> = Vec::with_capacity(entries.len());
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
        m.0.into_vec()
            .into_iter()
            .map(|(k, v)| (k.into_string(), v.into_string()))
            .collect()
    }
}

impl<'a> IntoIterator for &'a StrMap {
    type Item = (&'a str, &'a str);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (Text, Text)>,
        fn(&'a (Text, Text)) -> (&'a str, &'a str),
    >;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
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
        assert!(m.iter().eq(b.iter().map(|(k, v)| (k.as_str(), v.as_str()))));
        for k in ["a", "b", "c", "d", ""] {
            assert_eq!(m.get(k), b.get(k).map(String::as_str), "{k}");
            assert_eq!(m.contains_key(k), b.contains_key(k), "{k}");
        }
        assert_eq!(BTreeMap::from(m), b);
    }

    #[test]
    fn insert_keeps_the_order_and_replaces() {
        let mut m = StrMap::default();
        assert!(m.is_empty());
        assert_eq!(m.insert("m", "1"), None);
        assert_eq!(m.insert("a", "2"), None);
        assert_eq!(m.insert("z", "3"), None);
        assert_eq!(m.insert("m", "4").as_deref(), Some("1"));
        let keys: Vec<&str> = m.iter().map(|(k, _)| k).collect();
        assert_eq!(keys, ["a", "m", "z"]);
        assert_eq!(m.get("m"), Some("4"));
        // Long keys and values (past the inline 24 bytes) are kept whole.
        let long = "app.kubernetes.io/managed-by-a-very-long-controller-name";
        m.insert(long, long);
        assert_eq!(m.get(long), Some(long));
    }
}
