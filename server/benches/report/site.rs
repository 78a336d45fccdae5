//! The admin app in the browser: the release WASM's size (raw and gzip: the main module, what
//! /admin loads first, all pages' chunks) and the time to interactive of /admin in Chromium
//! (end2end/bench/tti.mjs, Playwright).

use crate::report::{Figure, Report};
use std::path::Path;
use std::process::Command;

/// Raw and gzip -9 bytes of some files.
#[derive(Clone, Copy, Default)]
struct Size {
    raw: u64,
    gzip: u64,
}

impl Size {
    fn of(path: &Path) -> Result<Size, String> {
        let raw = std::fs::metadata(path)
            .map_err(|e| format!("{}: {e} (run `make release` first)", path.display()))?
            .len();
        let gzip = Command::new("gzip")
            .arg("-9c")
            .arg(path)
            .output()
            .map_err(|e| format!("gzip: {e}"))?;
        if !gzip.status.success() {
            return Err(format!("gzip {} failed", path.display()));
        }
        Ok(Size {
            raw,
            gzip: gzip.stdout.len() as u64,
        })
    }

    fn add(self, other: Size) -> Size {
        Size {
            raw: self.raw + other.raw,
            gzip: self.gzip + other.gzip,
        }
    }

    fn text(self) -> String {
        format!(
            "{:.0} KB raw, {:.0} KB gzip",
            self.raw as f64 / 1024.0,
            self.gzip as f64 / 1024.0
        )
    }
}

/// The split bundle (scripts/site.sh, frontend/split): the main module every page loads
/// before it hydrates, what a first visit to /admin loads (the main module and the
/// dashboard's chunks, as the split manifest lists them), and every module together.
struct Bundle {
    main: Size,
    admin: Size,
    all: Size,
    files: usize,
}

fn bundle(site_root: &Path) -> Result<Bundle, String> {
    let pkg = site_root.join("pkg");
    let main = Size::of(&pkg.join("slotline_bg.wasm"))?;
    let manifest = pkg.join("__wasm_split_manifest.json");
    let text = std::fs::read_to_string(&manifest)
        .map_err(|e| format!("{}: {e} (site.sh writes it)", manifest.display()))?;
    let splits: std::collections::HashMap<String, Vec<String>> =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", manifest.display()))?;
    let dashboard = splits
        .iter()
        .find(|(name, _)| name.contains("dashboard_view"))
        .map(|(_, chunks)| chunks)
        .ok_or("the split manifest has no dashboard page")?;
    let mut admin = main;
    for chunk in dashboard {
        admin = admin.add(Size::of(&pkg.join(format!("{chunk}.wasm")))?);
    }
    let (mut all, mut files) = (Size::default(), 0);
    for entry in std::fs::read_dir(&pkg).map_err(|e| format!("{}: {e}", pkg.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.extension().is_some_and(|x| x == "wasm") {
            all = all.add(Size::of(&path)?);
            files += 1;
        }
    }
    Ok(Bundle {
        main,
        admin,
        all,
        files,
    })
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
    match bundle(site_root) {
        Ok(b) => {
            report.add(Figure {
                name: "release WASM, main module (every page loads it before hydrating)".into(),
                value: b.main.text(),
                target: "≤ 350 KB gzip".into(),
                pass: Some(b.main.gzip <= 350 * 1024),
                note: String::new(),
            });
            report.add(Figure {
                name: "release WASM a first visit to /admin loads (main + dashboard chunks)".into(),
                value: b.admin.text(),
                target: "—".into(),
                pass: None,
                note: String::new(),
            });
            report.add(Figure {
                name: "release WASM, every page's chunks together".into(),
                value: format!("{} in {} files", b.all.text(), b.files),
                target: "—".into(),
                pass: None,
                note: String::new(),
            });
        }
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
