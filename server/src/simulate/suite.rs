//! Runs many scenario files (directories expand to their `*.json`, by name) and collects the
//! outcome.

use super::scenario::{self, Scenario};
use super::{Failure, Simulator};
use std::path::{Path, PathBuf};

/// The outcome of a run.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Names of the scenarios that passed.
    pub passed: Vec<String>,
    /// The ones that did not.
    pub failed: Vec<Failure>,
}

/// The scenario files named: files as given, directories' `*.json` sorted by name.
pub fn files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(path)
                .map_err(|e| format!("{}: {e}", path.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .collect();
            found.sort();
            out.extend(found);
        } else {
            out.push(path.clone());
        }
    }
    if out.is_empty() {
        return Err("no scenario files found".into());
    }
    Ok(out)
}

/// Reads every file first (a broken file stops the run before anything is sent), keeps those
/// carrying `tag` (all without one).
pub fn load_all(files: &[PathBuf], tag: Option<&str>) -> Result<Vec<Scenario>, String> {
    let mut all = Vec::new();
    for file in files {
        let s = scenario::load(Path::new(file)).map_err(|e| e.to_string())?;
        if tag.is_none_or(|t| s.tags.iter().any(|x| x == t)) {
            all.push(s);
        }
    }
    if all.is_empty() {
        return Err(format!("no scenario carries the tag {tag:?}"));
    }
    Ok(all)
}

/// Plays the scenarios one after another, calling `report` after each.
pub async fn run(
    sim: &Simulator,
    scenarios: &[Scenario],
    mut report: impl FnMut(&Scenario, Option<&Failure>),
) -> Outcome {
    let mut outcome = Outcome::default();
    for s in scenarios {
        match sim.run(s).await {
            Ok(()) => {
                report(s, None);
                outcome.passed.push(s.name.clone());
            }
            Err(f) => {
                report(s, Some(&f));
                outcome.failed.push(f);
            }
        }
    }
    outcome
}
