//! `make bench`: one report, bench/RESULTS.md. Runs the release binary exactly as production
//! starts it (`slotline serve`, its tracing and middleware; only the rate limits named in the
//! report are lifted) against seeded data, drives it from 127.0.0.1 with a bounded load
//! generator, and writes every figure beside its target or its baseline from the same run.
//!
//! Inputs (scripts/bench.sh sets them): SLOTLINE_BENCH_BIN (the release `slotline`),
//! SLOTLINE_BENCH_SITE (the release site root), SLOTLINE_BENCH_POSTGRES_URL (a throwaway
//! PostgreSQL 15 with fsync on), SLOTLINE_BENCH_PYTHON (a Python with FastMCP, optional).
//! SLOTLINE_BENCH_ONLY=webhooks,gateway runs only those sections (gateway, mcp, functions,
//! site, collect, webhooks) and prints their figures without writing the report: for
//! profiling one path.

mod functions;
mod gateway;
mod load;
mod mcp;
mod procs;
mod report;
mod seed;
mod site;
mod webhooks;

use report::{Figure, Report};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    // Re-executed as a comparison server: `report bare-axum ADDR` / `report bare-rmcp ADDR`.
    for mode in ["bare-axum", "bare-rmcp"] {
        if let Some(i) = args.iter().position(|a| a == mode) {
            let addr: SocketAddr = args
                .get(i + 1)
                .and_then(|a| a.parse().ok())
                .expect("usage: report bare-axum|bare-rmcp 127.0.0.1:PORT");
            runtime.block_on(async move {
                if mode == "bare-axum" {
                    gateway::serve_bare(addr).await
                } else {
                    mcp::serve_bare(addr).await
                }
            });
            return;
        }
    }
    let code = runtime.block_on(async {
        match run().await {
            Ok(misses) => i32::from(misses > 0),
            Err(e) => {
                eprintln!("error: {e}");
                2
            }
        }
    });
    std::process::exit(code);
}

/// Whether a section runs (all of them unless SLOTLINE_BENCH_ONLY names some).
fn wanted(section: &str) -> bool {
    match std::env::var("SLOTLINE_BENCH_ONLY") {
        Ok(only) if !only.trim().is_empty() => only.split(',').any(|s| s.trim() == section),
        _ => true,
    }
}

/// Whether every section runs (only then is the report written).
fn complete() -> bool {
    std::env::var("SLOTLINE_BENCH_ONLY").map_or(true, |o| o.trim().is_empty())
}

fn env_path(name: &str, default: &Path) -> PathBuf {
    std::env::var_os(name)
        .map(PathBuf::from)
        .unwrap_or_else(|| default.to_path_buf())
}

/// Creates a fresh database on the PostgreSQL server and returns its URL.
async fn postgres_database(server: &str, name: &str) -> Result<String, String> {
    let store = slotline::store::Store::connect(server)
        .await
        .map_err(|e| e.to_string())?;
    sqlx::query(&format!("DROP DATABASE IF EXISTS {name}"))
        .execute(store.pool())
        .await
        .map_err(|e| e.to_string())?;
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(store.pool())
        .await
        .map_err(|e| e.to_string())?;
    store.close().await;
    let base = server.rsplit_once('/').map_or(server, |(b, _)| b);
    Ok(format!("{base}/{name}"))
}

/// Everything one `slotline serve` needs: a fresh data dir and database, seeded.
struct Setup {
    bin: PathBuf,
    site: PathBuf,
    work: PathBuf,
}

impl Setup {
    async fn start(
        &self,
        name: &str,
        database_url: &str,
        appointments: bool,
    ) -> Result<(procs::Server, seed::Seeded), String> {
        let data = self.work.join(name);
        std::fs::create_dir_all(&data).map_err(|e| e.to_string())?;
        let seeded = seed::tenant(database_url, appointments).await?;
        let server = procs::slotline(
            &self.bin,
            &self.site,
            &data,
            database_url,
            &self.work.join(format!("{name}.log")),
        )
        .await?;
        Ok((server, seeded))
    }

    fn sqlite(&self, name: &str, query: &str) -> String {
        format!("sqlite://{}/{name}/slotline.db{query}", self.work.display())
    }
}

async fn run() -> Result<usize, String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .ok_or("no workspace root")?
        .to_path_buf();
    let bin = env_path("SLOTLINE_BENCH_BIN", &root.join("target/bench/slotline"));
    let site = env_path("SLOTLINE_BENCH_SITE", &root.join("target/site"));
    if !bin.is_file() {
        return Err(format!(
            "{} is missing: run `make bench` (it builds the release first)",
            bin.display()
        ));
    }
    let postgres = std::env::var("SLOTLINE_BENCH_POSTGRES_URL")
        .map_err(|_| "SLOTLINE_BENCH_POSTGRES_URL is not set: run `make bench`")?;
    let work = procs::work_dir(&root).join("run");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).map_err(|e| format!("{}: {e}", work.display()))?;
    let setup = Setup {
        bin,
        site: site.clone(),
        work: work.clone(),
    };
    let mut report = Report::default();
    let mut peaks: Vec<(String, f64)> = Vec::new();

    // The scaled salon on SQLite: gateway, /mcp, check_availability, the browser.
    let url = setup.sqlite("salon", "");
    let (salon, seeded) = setup.start("salon", &url, true).await?;
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    let (idle_rss, _) = salon.memory_mb();
    println!(
        "seeded {} staff and {} appointments; serving on {}",
        seed::STAFF,
        seeded.appointments,
        salon.addr
    );

    if wanted("gateway") {
        report.section(
        "Gateway JSON-RPC",
        &format!("`ping` over HTTP/1.1 keep-alive, {} clients, {} rounds of {} requests each, alternating with the bare handler; each rate is the median round, each ratio the median of the rounds' ratios to the bare handler in the same round.", gateway::CLIENTS, gateway::ROUNDS, gateway::PER_ROUND),
    );
        let bare = procs::myself("bare-axum", &work.join("bare-axum.log")).await?;
        gateway::run(&mut report, salon.addr, bare.addr, &seeded.token).await;
        drop(bare);
    }

    if wanted("mcp") {
        report.section(
        "MCP (`/mcp`, Streamable HTTP)",
        &format!("`tools/call` as an MCP client sends it (protocol {}, each client initializes first, {} clients; the bare rmcp server keeps a session per client, Slotline serves statelessly). Slotline calls `tenant_get` (reads the tenant from the database) with a read API token; the comparisons echo a string.", "2025-06-18", gateway::CLIENTS),
    );
        let bare_rmcp = procs::myself("bare-rmcp", &work.join("bare-rmcp.log")).await?;
        let python = std::env::var_os("SLOTLINE_BENCH_PYTHON").map(PathBuf::from);
        let fastmcp = match &python {
            Some(py) => {
                procs::fastmcp(
                    py,
                    &root.join("bench/fastmcp_echo.py"),
                    &work.join("fastmcp.log"),
                )
                .await
            }
            None => {
                Err("SLOTLINE_BENCH_PYTHON is not set (scripts/bench.sh installs FastMCP)".into())
            }
        };
        let echo = serde_json::json!({"name": "echo", "arguments": {"text": "hallo"}});
        let ours = mcp::Target {
            name: "Slotline `/mcp` `tools/call` `tenant_get`",
            addr: salon.addr,
            path: "/mcp",
            token: Some(seeded.token.clone()),
            call: serde_json::json!({"name": "tenant_get", "arguments": {}}),
        };
        let bare_target = mcp::Target {
            name: "bare rmcp 3.11 server, echo tool",
            addr: bare_rmcp.addr,
            path: "/mcp",
            token: None,
            call: echo.clone(),
        };
        let fast_target = fastmcp.as_ref().map(|s| mcp::Target {
            name: "FastMCP",
            addr: s.addr,
            path: "/mcp",
            token: None,
            call: echo.clone(),
        });
        mcp::run(
            &mut report,
            &ours,
            &bare_target,
            fast_target.as_ref().map_err(|e| (*e).clone()),
        )
        .await;
        drop(fastmcp);
        drop(bare_rmcp);
    }

    if wanted("functions") {
        report.section(
        "Retell custom functions",
        &format!("The demo salon's services scaled to {} staff with {} appointments over {} days, SQLite. Every request is another caller, signed like Retell.", seed::STAFF, seeded.appointments, seed::DAYS),
    );
        functions::availability(&mut report, salon.addr, &seeded).await;
    }

    if wanted("site") {
        report.section(
            "Admin app in the browser",
            "The release build (`make release`), served by the same `slotline serve`.",
        );
        let password = "bench-password-1234";
        let created = std::process::Command::new(&setup.bin)
            .args([
                "create-admin",
                "--email",
                "bench@slotline.local",
                "--tenant",
                "bench",
            ])
            .env("SLOTLINE_DATABASE_URL", &url)
            .env("SLOTLINE_DATA_DIR", work.join("salon"))
            .env("SLOTLINE_SECRET_KEY", hex::encode(procs::SECRET_KEY))
            .env("SLOTLINE_ADMIN_PASSWORD", password)
            .output()
            .map_err(|e| e.to_string())?;
        if created.status.success() {
            site::run(
                &mut report,
                &root,
                &site,
                &format!("http://{}", salon.addr),
                "bench@slotline.local",
                password,
            )
            .await;
        } else {
            report.unmeasured(
                "/admin time to interactive",
                "—",
                &String::from_utf8_lossy(&created.stderr),
            );
        }
    }
    peaks.push(("salon (SQLite)".into(), salon.memory_mb().1));
    drop(salon);

    if wanted("collect") {
        report.section("Bookings", "collect_appointment holds a distinct free slot per request (Herrenhaarschnitt, staff × day × hour), 16 clients.");
    }
    let collect_runs = if wanted("collect") {
        vec![
            ("SQLite", setup.sqlite("collect", "")),
            (
                "PostgreSQL 15",
                postgres_database(&postgres, "bench_collect").await?,
            ),
        ]
    } else {
        Vec::new()
    };
    for (engine, url) in collect_runs {
        let (server, seeded) = setup
            .start(
                &format!("collect-{}", engine.split(' ').next().unwrap_or("db")),
                &url,
                false,
            )
            .await?;
        functions::collect(&mut report, server.addr, &seeded, engine).await;
        peaks.push((format!("collect ({engine})"), server.memory_mb().1));
    }

    if wanted("webhooks") {
        report.section(
        "Webhooks",
        "The recorded call_ended and call_analyzed bodies (~12 KB) with distinct call ids, signed, 32 clients; a 200 means the event is committed. Sent → applied: from the client's send to the worker's `applied_at`.",
    );
    }
    let hook_runs = if wanted("webhooks") {
        vec![
            (
                "SQLite, server default (WAL, synchronous=NORMAL)",
                "hooks-normal",
                setup.sqlite("hooks-normal", ""),
                Some(2000.0),
            ),
            (
                "SQLite, fsync on every commit (synchronous=FULL)",
                "hooks-full",
                setup.sqlite("hooks-full", "?synchronous=full"),
                None,
            ),
            (
                "PostgreSQL 15 (fsync on)",
                "hooks-pg",
                postgres_database(&postgres, "bench_hooks").await?,
                None,
            ),
        ]
    } else {
        Vec::new()
    };
    for (label, name, url, target) in hook_runs {
        let (server, _) = setup.start(name, &url, false).await?;
        webhooks::run(&mut report, &root, server.addr, &url, label, target).await;
        peaks.push((format!("webhooks ({label})"), server.memory_mb().1));
    }

    report.section("Memory", "Resident set of `slotline serve` (VmRSS), idle after start on the seeded salon, and its peak (VmHWM) over every load run above.");
    report.add(Figure {
        name: "RSS idle".into(),
        value: format!("{idle_rss:.1} MB"),
        target: "≤ 40 MB".into(),
        pass: Some(idle_rss <= 40.0),
        note: String::new(),
    });
    let (which, peak) =
        peaks
            .iter()
            .cloned()
            .fold((String::new(), 0.0), |a, b| if b.1 > a.1 { b } else { a });
    report.add(Figure {
        name: "RSS peak under load".into(),
        value: format!("{peak:.1} MB (in the {which} run)"),
        target: "≤ 150 MB".into(),
        pass: Some(peak <= 150.0),
        note: String::new(),
    });

    let limits: Vec<String> = procs::LIFTED_LIMITS
        .iter()
        .map(|(k, v)| format!("`{k}={v}`"))
        .collect();
    let preamble = format!(
        "How: `make bench` builds the release (`make release`) and starts its binary as `slotline serve` for every run, with production tracing, middleware and durability. \
         Changed for the bench, so one load-generating IP is not refused: {}. \
         Load: a bounded HTTP/1.1 generator (hyper, TCP_NODELAY, keep-alive) on the same machine, 127.0.0.1 only; every run is bounded in requests and time. \
         PostgreSQL: a throwaway 15 cluster with fsync on.\n",
        limits.join(", ")
    );
    if !complete() {
        println!(
            "SLOTLINE_BENCH_ONLY is set: bench/RESULTS.md and the README are left as they were"
        );
        return Ok(report.misses().len());
    }
    report
        .write(&root, &preamble)
        .map_err(|e| format!("writing the report: {e}"))?;
    let misses = report.misses();
    for miss in &misses {
        println!(
            "MISSED: {}: {} (target {})",
            miss.name, miss.value, miss.target
        );
    }
    println!("wrote bench/RESULTS.md and the README's benchmark section");
    Ok(misses.len())
}
