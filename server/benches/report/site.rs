//! The admin app in the browser: the release WASM bundle's size (raw and gzip) and the time to
//! interactive of /admin in Chromium (end2end/bench/tti.mjs, Playwright).

use crate::report::{Figure, Report};
use std::path::Path;
use std::process::Command;

/// The bundle's size in bytes: (raw, gzip -9), from `target/site/pkg/*.wasm`.
fn wasm_size(site_root: &Path) -> Result<(u64, u64), String> {
    let pkg = site_root.join("pkg");
    let wasm = std::fs::read_dir(&pkg)
        .map_err(|e| format!("{}: {e} (run `make release` first)", pkg.display()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "wasm"))
        .ok_or_else(|| format!("no .wasm in {}", pkg.display()))?;
    let raw = std::fs::metadata(&wasm).map_err(|e| e.to_string())?.len();
    let gzip = Command::new("gzip")
        .args(["-9c"])
        .arg(&wasm)
        .output()
        .map_err(|e| format!("gzip: {e}"))?;
    Ok((raw, gzip.stdout.len() as u64))
}

/// Adds the bundle size and, against the running server at `base`, the time to interactive.
pub async fn run(
    report: &mut Report,
    root: &Path,
    site_root: &Path,
    base: &str,
    email: &str,
    password: &str,
) {
    match wasm_size(site_root) {
        Ok((raw, gzip)) => report.add(Figure {
            name: "release WASM bundle".into(),
            value: format!(
                "{:.0} KB raw, {:.0} KB gzip",
                raw as f64 / 1024.0,
                gzip as f64 / 1024.0
            ),
            target: "≤ 350 KB gzip".into(),
            pass: Some(gzip <= 350 * 1024),
            note: String::new(),
        }),
        Err(e) => report.unmeasured("release WASM bundle", "≤ 350 KB gzip", &e),
    }
    let script = root.join("end2end/bench/tti.mjs");
    let node = Command::new("node")
        .arg(&script)
        .args([base, email, password])
        .current_dir(root.join("end2end"))
        .output();
    let name = "/admin time to interactive, Chromium, cold cache (median of 7)";
    match node {
        Ok(out) if out.status.success() => {
            let text = String::from_utf8_lossy(&out.stdout);
            let runs: Option<Vec<f64>> = text
                .lines()
                .rev()
                .find_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
                .and_then(|v| {
                    v["runs_ms"]
                        .as_array()
                        .map(|a| a.iter().filter_map(|x| x.as_f64()).collect())
                });
            match runs {
                Some(mut runs) if !runs.is_empty() => {
                    runs.sort_by(f64::total_cmp);
                    report.add(Figure {
                        name: name.into(),
                        value: format!(
                            "{:.0} ms (fastest {:.0}, slowest {:.0})",
                            runs[runs.len() / 2],
                            runs[0],
                            runs[runs.len() - 1]
                        ),
                        target: "—".into(),
                        pass: None,
                        note: String::new(),
                    })
                }
                _ => report.unmeasured(name, "—", &format!("tti.mjs printed no runs: {text}")),
            }
        }
        Ok(out) => report.unmeasured(
            name,
            "—",
            &String::from_utf8_lossy(&out.stderr)
                .lines()
                .take(3)
                .collect::<Vec<_>>()
                .join(" "),
        ),
        Err(e) => report.unmeasured(name, "—", &format!("node: {e}")),
    }
}
