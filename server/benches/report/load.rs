//! A small, bounded HTTP/1.1 load generator on hyper: keep-alive connections with
//! TCP_NODELAY to 127.0.0.1 only, a fixed number of requests and a deadline on every run.
//! Closed loop (N clients, each sends when its last answer came) for throughput; open loop
//! (a schedule of send times) for latency, timed from each request's scheduled send time so
//! a stalled server is charged for the requests it delayed (no coordinated omission).

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::SendRequest;
use hyper_util::rt::TokioIo;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// One request to send.
#[derive(Clone, Debug)]
pub struct Req {
    /// GET or POST.
    pub method: hyper::Method,
    /// Path and query.
    pub path: String,
    /// Extra headers.
    pub headers: Vec<(String, String)>,
    /// The JSON body.
    pub body: Bytes,
}

impl Req {
    /// A JSON POST.
    pub fn post(path: &str, body: impl Into<Bytes>) -> Self {
        Req {
            method: hyper::Method::POST,
            path: path.to_owned(),
            headers: Vec::new(),
            body: body.into(),
        }
    }

    /// A GET.
    pub fn get(path: &str) -> Self {
        Req {
            method: hyper::Method::GET,
            path: path.to_owned(),
            headers: Vec::new(),
            body: Bytes::new(),
        }
    }

    /// Adds a header.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }
}

/// An answer: status, headers and the whole body.
pub struct Answer {
    pub status: u16,
    pub headers: hyper::HeaderMap,
    pub body: Bytes,
}

/// Checks an answer; an `Err` is counted as a failed request and its first reason kept.
pub type Check = fn(&Answer) -> Result<(), String>;

/// One keep-alive HTTP/1.1 connection.
pub struct Conn {
    sender: SendRequest<Full<Bytes>>,
    addr: SocketAddr,
}

impl Conn {
    /// Opens a connection (TCP_NODELAY, as every serious client sets it).
    pub async fn open(addr: SocketAddr) -> Result<Self, String> {
        let tcp = tokio::net::TcpStream::connect(addr)
            .await
            .map_err(|e| format!("connect {addr}: {e}"))?;
        tcp.set_nodelay(true).map_err(|e| e.to_string())?;
        let (sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(tcp))
            .await
            .map_err(|e| format!("handshake {addr}: {e}"))?;
        tokio::spawn(conn);
        Ok(Conn { sender, addr })
    }

    /// Sends one request and reads the whole answer.
    pub async fn send(&mut self, req: &Req) -> Result<Answer, String> {
        self.sender.ready().await.map_err(|e| e.to_string())?;
        let mut builder = hyper::Request::builder()
            .method(req.method.clone())
            .uri(&req.path)
            .header("host", self.addr.to_string());
        if req.method == hyper::Method::POST {
            builder = builder.header("content-type", "application/json");
        }
        for (k, v) in &req.headers {
            builder = builder.header(k, v);
        }
        let request = builder
            .body(Full::new(req.body.clone()))
            .map_err(|e| e.to_string())?;
        let res = self
            .sender
            .send_request(request)
            .await
            .map_err(|e| e.to_string())?;
        let status = res.status().as_u16();
        let headers = res.headers().clone();
        let body = res
            .into_body()
            .collect()
            .await
            .map_err(|e| e.to_string())?
            .to_bytes();
        Ok(Answer {
            status,
            headers,
            body,
        })
    }
}

/// What a run measured.
#[derive(Debug, Default, Clone)]
pub struct Run {
    /// Requests answered and accepted by the check.
    pub ok: usize,
    /// Requests that failed (transport error or the check refused the answer).
    pub failed: usize,
    /// The first failure's reason.
    pub first_failure: Option<String>,
    /// Wall time of the run.
    pub elapsed: Duration,
    /// Latency of every request, sorted.
    pub latencies: Vec<Duration>,
    /// Requests scheduled (open loop) or sent (closed loop).
    pub planned: usize,
    /// Open loop: how late the last send left against its schedule.
    pub send_lag: Duration,
    /// Closed loop: (request index, wall-clock send time in UTC ms) of every accepted request.
    pub sent: Vec<(usize, i64)>,
}

impl Run {
    /// Accepted requests per second.
    pub fn rate(&self) -> f64 {
        self.ok as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    /// A latency percentile (0.0..=1.0) in milliseconds.
    pub fn ms(&self, p: f64) -> f64 {
        if self.latencies.is_empty() {
            return f64::NAN;
        }
        let i = ((self.latencies.len() as f64 * p) as usize).min(self.latencies.len() - 1);
        self.latencies[i].as_secs_f64() * 1e3
    }

    /// The slowest request in milliseconds.
    pub fn max_ms(&self) -> f64 {
        self.latencies
            .last()
            .map(|d| d.as_secs_f64() * 1e3)
            .unwrap_or(f64::NAN)
    }

    fn record(&mut self, outcome: Result<Duration, String>) {
        match outcome {
            Ok(latency) => {
                self.ok += 1;
                self.latencies.push(latency);
            }
            Err(reason) => {
                self.failed += 1;
                self.first_failure.get_or_insert(reason);
            }
        }
    }

    fn merge(&mut self, other: Run) {
        self.ok += other.ok;
        self.failed += other.failed;
        if self.first_failure.is_none() {
            self.first_failure = other.first_failure;
        }
        self.latencies.extend(other.latencies);
        self.sent.extend(other.sent);
    }
}

async fn send_checked(conn: &mut Conn, req: &Req, check: Check) -> Result<(), String> {
    let answer = conn.send(req).await?;
    check(&answer)
}

/// Closed loop: `clients` connections send `reqs` (taken in order) as fast as answers come,
/// stopping at the deadline. Each client may get a header set of its own (`per_client`).
pub async fn closed_loop(
    addr: SocketAddr,
    clients: usize,
    reqs: Arc<Vec<Req>>,
    per_client: Vec<Vec<(String, String)>>,
    check: Check,
    deadline: Duration,
) -> Run {
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(clients);
    for c in 0..clients {
        let (reqs, next) = (reqs.clone(), next.clone());
        let extra = per_client.get(c).cloned().unwrap_or_default();
        tasks.push(tokio::spawn(async move {
            let mut run = Run::default();
            let mut conn = match Conn::open(addr).await {
                Ok(conn) => conn,
                Err(e) => {
                    run.record(Err(e));
                    return run;
                }
            };
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= reqs.len() || started.elapsed() > deadline {
                    break;
                }
                let mut req = reqs[i].clone();
                req.headers.extend(extra.iter().cloned());
                let t = Instant::now();
                let sent_ms = jiff::Timestamp::now().as_millisecond();
                let outcome = send_checked(&mut conn, &req, check).await;
                if outcome.is_ok() {
                    run.sent.push((i, sent_ms));
                }
                if outcome.is_err() {
                    // A broken connection is replaced; the failure is counted.
                    if let Ok(fresh) = Conn::open(addr).await {
                        conn = fresh;
                    }
                }
                run.record(outcome.map(|()| t.elapsed()));
            }
            run
        }));
    }
    let mut total = Run::default();
    for task in tasks {
        if let Ok(run) = task.await {
            total.merge(run);
        }
    }
    total.elapsed = started.elapsed();
    total.planned = reqs.len();
    total.latencies.sort();
    total
}

/// Open loop: request `i` is due at `start + i / rate`; it goes out on an idle pooled
/// connection (a new one when all are busy) and its latency counts from when it was due.
pub async fn open_loop(
    addr: SocketAddr,
    rate_per_sec: u64,
    reqs: Arc<Vec<Req>>,
    check: Check,
    deadline: Duration,
) -> Run {
    let idle: Arc<Mutex<Vec<Conn>>> = Arc::new(Mutex::new(Vec::new()));
    let interval = Duration::from_nanos(1_000_000_000 / rate_per_sec.max(1));
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(reqs.len());
    let mut send_lag = Duration::ZERO;
    for i in 0..reqs.len() {
        let due = started + interval * i as u32;
        if due.duration_since(started) > deadline {
            break;
        }
        tokio::time::sleep_until(due.into()).await;
        send_lag = Instant::now().saturating_duration_since(due);
        let (reqs, idle) = (reqs.clone(), idle.clone());
        tasks.push(tokio::spawn(async move {
            let pooled = idle.lock().unwrap_or_else(|p| p.into_inner()).pop();
            let mut conn = match pooled {
                Some(conn) => conn,
                None => Conn::open(addr).await?,
            };
            let outcome = send_checked(&mut conn, &reqs[i], check).await;
            if outcome.is_ok() {
                idle.lock().unwrap_or_else(|p| p.into_inner()).push(conn);
            }
            outcome.map(|()| due.elapsed())
        }));
    }
    let planned = tasks.len();
    let mut run = Run::default();
    for task in tasks {
        run.record(task.await.unwrap_or_else(|e| Err(e.to_string())));
    }
    run.elapsed = started.elapsed();
    run.planned = planned;
    run.send_lag = send_lag;
    run.latencies.sort();
    run
}
