//! Label selectors (`matchLabels` + `matchExpressions`), as workloads use
//! them to find their pods.

use super::lenient;
use super::str_map::StrMap;
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct LabelSelector {
    #[serde(deserialize_with = "lenient::string_map")]
    pub match_labels: BTreeMap<String, String>,
    #[serde(deserialize_with = "lenient::vec")]
    pub match_expressions: Vec<Requirement>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Requirement {
    #[serde(deserialize_with = "lenient::text")]
    pub key: Option<String>,
    /// `In`, `NotIn`, `Exists`, `DoesNotExist`.
    #[serde(deserialize_with = "lenient::text")]
    pub operator: Option<String>,
    #[serde(deserialize_with = "lenient::vec")]
    pub values: Vec<String>,
}

impl LabelSelector {
    /// An empty selector matches nothing here: a workload without a
    /// selector must not claim every pod of its namespace.
    pub fn matches(&self, labels: &StrMap) -> bool {
        if self.match_labels.is_empty() && self.match_expressions.is_empty() {
            return false;
        }
        let labels_ok = self
            .match_labels
            .iter()
            .all(|(k, v)| labels.get(k) == Some(v.as_str()));
        labels_ok && self.match_expressions.iter().all(|r| r.matches(labels))
    }
}

impl Requirement {
    fn matches(&self, labels: &StrMap) -> bool {
        let Some(key) = self.key.as_deref() else {
            return false;
        };
        let value = labels.get(key);
        match self.operator.as_deref() {
            Some("In") => value.is_some_and(|v| self.values.iter().any(|x| x == v)),
            Some("NotIn") => value.is_none_or(|v| !self.values.iter().any(|x| x == v)),
            Some("Exists") => value.is_some(),
            Some("DoesNotExist") => value.is_none(),
            _ => false,
        }
    }
}
