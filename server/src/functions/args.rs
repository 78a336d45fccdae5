//! Retell's custom-function body (`{"name", "call", "args"}` or args at the root) and the
//! arguments each function reads. LLMs send loose JSON: numbers may come as strings, empty
//! strings mean "not said".

use crate::webhooks::event::Call;
use serde::Deserialize;
use serde_json::{Map, Value};

/// The request body.
#[derive(Debug, Deserialize)]
pub struct FunctionBody {
    /// Tool name Retell called.
    #[serde(default)]
    pub name: Option<String>,
    /// The call in progress.
    pub call: Call,
    /// Arguments (absent when the tool sets `args_at_root`).
    #[serde(default)]
    pub args: Option<Map<String, Value>>,
    /// Everything else (the arguments with `args_at_root`).
    #[serde(flatten)]
    pub rest: Map<String, Value>,
}

impl FunctionBody {
    /// The arguments wherever Retell put them.
    pub fn arguments(&self) -> Args {
        match &self.args {
            Some(a) => Args(a.clone()),
            None => Args(self.rest.clone()),
        }
    }
}

/// A function's arguments with lenient accessors.
#[derive(Debug, Clone, Default)]
pub struct Args(pub Map<String, Value>);

impl Args {
    /// A non-empty text argument (the first of `names` present); numbers are turned to text.
    pub fn text(&self, names: &[&str]) -> Option<String> {
        names.iter().find_map(|n| match self.0.get(*n)? {
            Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
            Value::Number(x) => Some(x.to_string()),
            _ => None,
        })
    }

    /// An integer argument given as a number or as digits.
    pub fn integer(&self, names: &[&str]) -> Option<i64> {
        names.iter().find_map(|n| match self.0.get(*n)? {
            Value::Number(x) => x.as_i64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        })
    }

    /// The wished time: `when`, or `date` and `time` joined ("morgen" + "halb drei").
    pub fn when(&self, prefix: &str) -> String {
        let key = |k: &str| format!("{prefix}{k}");
        if let Some(w) = self.text(&[&key("when"), &key("datetime")]) {
            return w;
        }
        let date = self.text(&[&key("date"), &key("day")]).unwrap_or_default();
        let time = self.text(&[&key("time")]).unwrap_or_default();
        format!("{date} {time}").trim().to_owned()
    }

    /// A canonical text of the arguments (keys sorted), for idempotency keys.
    pub fn canonical(&self) -> String {
        let sorted: std::collections::BTreeMap<&String, &Value> = self.0.iter().collect();
        serde_json::to_string(&sorted).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_are_found_nested_or_at_the_root() {
        let nested: FunctionBody = serde_json::from_str(
            r#"{"name":"x","call":{"call_id":"c"},"args":{"service":"Schnitt","date":"morgen","time":"halb drei"}}"#,
        )
        .unwrap();
        assert_eq!(nested.arguments().when(""), "morgen halb drei");
        let root: FunctionBody = serde_json::from_str(
            r#"{"name":"x","call":{"call_id":"c"},"service":"Schnitt","appointment_id":"42"}"#,
        )
        .unwrap();
        let args = root.arguments();
        assert_eq!(args.text(&["service"]).as_deref(), Some("Schnitt"));
        assert_eq!(args.integer(&["appointment_id"]), Some(42));
        assert_eq!(args.when(""), "");
    }

    #[test]
    fn canonical_text_ignores_key_order() {
        let a: Map<String, Value> = serde_json::from_str(r#"{"b":1,"a":"x"}"#).unwrap();
        let b: Map<String, Value> = serde_json::from_str(r#"{"a":"x","b":1}"#).unwrap();
        assert_eq!(Args(a).canonical(), Args(b).canonical());
    }
}
