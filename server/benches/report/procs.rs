//! The processes a benchmark talks to: the release `slotline serve` (configured through its
//! environment, exactly as production starts it), the bare comparison servers, and their
//! memory as the kernel counts it.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The limits lifted for the load runs, named in the report. Everything else is default.
pub const LIFTED_LIMITS: [(&str, &str); 4] = [
    ("SLOTLINE_LIMIT_IP_PER_MIN", "1000000000"),
    ("SLOTLINE_LIMIT_TENANT_PER_MIN", "1000000000"),
    ("SLOTLINE_LIMIT_RETELL_IP_PER_MIN", "1000000000"),
    ("SLOTLINE_LIMIT_CALLER_PER_MIN", "1000000000"),
];

/// The secret key every bench server runs with (the seeding seals with it too).
pub const SECRET_KEY: [u8; 32] = [7; 32];

/// A running child process, killed when dropped.
pub struct Server {
    child: Child,
    /// Where it listens.
    pub addr: SocketAddr,
    /// What it is (for messages).
    pub name: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// The process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Resident memory now and at its peak, in MB (`VmRSS`, `VmHWM`).
    pub fn memory_mb(&self) -> (f64, f64) {
        let status =
            std::fs::read_to_string(format!("/proc/{}/status", self.pid())).unwrap_or_default();
        let kb = |key: &str| {
            status
                .lines()
                .find(|l| l.starts_with(key))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse::<f64>().ok())
                .unwrap_or(f64::NAN)
        };
        (kb("VmRSS:") / 1024.0, kb("VmHWM:") / 1024.0)
    }
}

/// A free port on 127.0.0.1.
pub fn free_addr() -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    listener.local_addr().expect("a bound port has an address")
}

/// Starts `slotline serve` from `bin` on `database_url` with the bench's limits lifted, logs
/// to `log`, and waits until `/health` answers.
pub async fn slotline(
    bin: &Path,
    site_root: &Path,
    data_dir: &Path,
    database_url: &str,
    log: &Path,
) -> Result<Server, String> {
    let addr = free_addr();
    let out = std::fs::File::create(log).map_err(|e| format!("{}: {e}", log.display()))?;
    let err = out.try_clone().map_err(|e| e.to_string())?;
    let mut command = Command::new(bin);
    command
        .arg("serve")
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("SLOTLINE_DATABASE_URL", database_url)
        .env("SLOTLINE_DATA_DIR", data_dir)
        .env("SLOTLINE_LISTEN_ADDR", addr.to_string())
        .env("SLOTLINE_PUBLIC_URL", format!("http://{addr}"))
        .env("SLOTLINE_SECRET_KEY", hex::encode(SECRET_KEY))
        .env("LEPTOS_SITE_ROOT", site_root)
        .stdout(out)
        .stderr(err);
    for (k, v) in LIFTED_LIMITS {
        command.env(k, v);
    }
    let child = command
        .spawn()
        .map_err(|e| format!("start {}: {e}", bin.display()))?;
    let server = Server {
        child,
        addr,
        name: "slotline serve".into(),
    };
    wait_ready(&server, "/readyz", log).await?;
    Ok(server)
}

/// Starts this bench binary again in a server `mode` (bare axum, bare rmcp).
pub async fn myself(mode: &str, log: &Path) -> Result<Server, String> {
    let addr = free_addr();
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let out = std::fs::File::create(log).map_err(|e| e.to_string())?;
    let child = Command::new(exe)
        .args([mode, &addr.to_string()])
        .stdout(out)
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("start {mode}: {e}"))?;
    let server = Server {
        child,
        addr,
        name: mode.into(),
    };
    wait_tcp(&server, log).await?;
    Ok(server)
}

/// Starts FastMCP's echo server (Python, from the bench's virtualenv) if it is installed.
pub async fn fastmcp(python: &Path, script: &Path, log: &Path) -> Result<Server, String> {
    let addr = free_addr();
    let out = std::fs::File::create(log).map_err(|e| e.to_string())?;
    let err = out.try_clone().map_err(|e| e.to_string())?;
    let child = Command::new(python)
        .arg(script)
        .arg(addr.port().to_string())
        .stdout(out)
        .stderr(err)
        .spawn()
        .map_err(|e| format!("start FastMCP: {e}"))?;
    let server = Server {
        child,
        addr,
        name: "FastMCP".into(),
    };
    wait_tcp(&server, log).await?;
    Ok(server)
}

async fn wait_tcp(server: &Server, log: &Path) -> Result<(), String> {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(60) {
        if tokio::net::TcpStream::connect(server.addr).await.is_ok() {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Err(format!(
        "{} did not listen on {} within 60 s; see {}",
        server.name,
        server.addr,
        log.display()
    ))
}

async fn wait_ready(server: &Server, path: &str, log: &Path) -> Result<(), String> {
    wait_tcp(server, log).await?;
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(60) {
        if let Ok(mut conn) = crate::load::Conn::open(server.addr).await {
            if let Ok(answer) = conn.send(&crate::load::Req::get(path)).await {
                if answer.status == 200 {
                    return Ok(());
                }
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Err(format!(
        "{} never answered {path} with 200; see {}",
        server.name,
        log.display()
    ))
}

/// Where the bench keeps its files (logs, data): `target/bench`.
pub fn work_dir(root: &Path) -> PathBuf {
    root.join("target").join("bench")
}
