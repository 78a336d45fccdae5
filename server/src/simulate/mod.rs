//! `slotline simulate SCENARIO…`: plays whole Retell calls from scenario files against a
//! running Slotline — webhooks and custom-function calls with Retell's bodies and signatures,
//! Retell's faults (retries, duplicates, events out of order, pauses) — sets the server's
//! clock to each scenario's instant (`--unsafe-test-clock` servers only) and checks every
//! step's reply and the bookings it leaves, plus that nobody ends up double-booked.

pub mod check;
pub mod retell;
pub mod scenario;
pub mod state;
pub mod suite;

use crate::crypto::SecretBox;
use crate::store::Store;
use retell::{Exchange, LiveCall, Sender};
use scenario::{Fault, Scenario, Step};
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// How to reach the server and act as its business.
#[derive(Debug, Clone)]
pub struct Options {
    /// The server's base URL (e.g. `http://127.0.0.1:3000`).
    pub base: String,
    /// The Retell API key to sign with (default: the business's stored key).
    pub retell_api_key: Option<String>,
    /// The function token to send (when the business has one).
    pub function_token: Option<String>,
    /// Admin e-mail for `admin` steps.
    pub admin_email: String,
    /// Admin password for `admin` steps.
    pub admin_password: Option<String>,
}

/// A step that did not come out as expected.
#[derive(Debug, Clone)]
pub struct Failure {
    /// Scenario name and file.
    pub scenario: String,
    /// Which step (`steps[3] collect_appointment (call a): "…"`).
    pub step: String,
    /// What differed.
    pub problems: Vec<String>,
    /// The requests sent and the replies received.
    pub exchanges: Vec<Exchange>,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "FAILED {}", self.scenario)?;
        writeln!(f, "  step: {}", self.step)?;
        for p in &self.problems {
            writeln!(f, "  - {p}")?;
        }
        for ex in &self.exchanges {
            writeln!(f, "  request: {} {}", ex.target, ex.request)?;
            writeln!(f, "  reply ({}): {}", ex.status, ex.reply)?;
        }
        Ok(())
    }
}

/// Plays scenarios against one server.
pub struct Simulator {
    store: Store,
    secrets: SecretBox,
    options: Options,
    client: reqwest::Client,
    session: tokio::sync::Mutex<Option<String>>,
}

/// One call in progress.
struct Running {
    live: LiveCall,
    language: scenario::Language,
    /// Seconds into the call of the last step.
    elapsed_s: i64,
    /// The call's last function reply (`$reply/…` arguments read from it).
    last_reply: Value,
}

impl Simulator {
    /// A simulator reading the server's database through `store` (opened with `secret_key`).
    pub fn new(store: Store, secret_key: &[u8; 32], options: Options) -> Self {
        Self {
            store,
            secrets: SecretBox::new(secret_key),
            options,
            client: reqwest::Client::new(),
            session: Default::default(),
        }
    }

    /// Plays one scenario; the first step that differs ends it.
    pub async fn run(&self, s: &Scenario) -> Result<(), Failure> {
        let fail = |step: &str, problems: Vec<String>, exchanges: Vec<Exchange>| Failure {
            scenario: format!("{} ({})", s.name, s.file),
            step: step.to_owned(),
            problems,
            exchanges,
        };
        let business = state::business(
            &self.store,
            &self.secrets,
            s.tenant.agent_id.as_deref(),
            s.tenant.phone.as_deref(),
        )
        .await
        .map_err(|e| fail("set-up", vec![e], vec![]))?;
        let sender = Sender {
            client: self.client.clone(),
            base: self.options.base.trim_end_matches('/').to_owned(),
            key: self
                .options
                .retell_api_key
                .clone()
                .unwrap_or_else(|| business.key.clone()),
            function_token: self.options.function_token.clone(),
        };
        let at: jiff::Timestamp = s.at.parse().map_err(|_| fail("at", vec![], vec![]))?;
        self.set_clock(at.as_millisecond())
            .await
            .map_err(|e| fail("setting the server's clock", vec![e], vec![]))?;
        // Sessions expire by the server's clock, which jumps between scenarios.
        *self.session.lock().await = None;
        let run_id = hex::encode(rand::random::<[u8; 6]>());
        let mut calls: BTreeMap<String, Running> = s
            .calls
            .iter()
            .map(|(label, spec)| {
                let live = LiveCall {
                    call_id: format!("call_sim_{run_id}_{label}"),
                    agent_id: s.tenant.agent_id.clone(),
                    from: spec.from.clone(),
                    to: s.tenant.phone.clone(),
                    start_ms: at.as_millisecond() + spec.starts_after_s * 1000,
                    transcript: Vec::new(),
                };
                let running = Running {
                    live,
                    language: spec.language,
                    elapsed_s: -20,
                    last_reply: Value::Null,
                };
                (label.clone(), running)
            })
            .collect();
        let mut latest_ms = at.as_millisecond();
        for (i, step) in s.steps.iter().enumerate() {
            let name = format!("steps[{i}] {}", describe(step));
            let (problems, exchanges) = self
                .step(step, &mut calls, &business, &sender, &mut latest_ms)
                .await;
            if !problems.is_empty() {
                return Err(fail(&name, problems, exchanges));
            }
        }
        let day = 86_400_000;
        let clashes = state::double_bookings(
            &self.store,
            &business,
            at.as_millisecond() - day,
            at.as_millisecond() + 90 * day,
        )
        .await
        .unwrap_or_else(|e| vec![e]);
        if !clashes.is_empty() {
            return Err(fail("end: no double booking", clashes, vec![]));
        }
        Ok(())
    }

    /// Runs one step; returns what differed and the exchanges.
    async fn step(
        &self,
        step: &Step,
        calls: &mut BTreeMap<String, Running>,
        business: &state::Business,
        sender: &Sender,
        latest_ms: &mut i64,
    ) -> (Vec<String>, Vec<Exchange>) {
        if let Some(ms) = step.pause_ms {
            tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
        }
        let mut moments = Vec::new();
        for s in std::iter::once(step).chain(&step.race) {
            if let Some(call) = s.call.as_ref().and_then(|c| calls.get_mut(c)) {
                call.elapsed_s = s.after_s.unwrap_or(call.elapsed_s + 20);
                moments.push(call.live.start_ms + call.elapsed_s * 1000);
            }
        }
        if let Some(now) = moments.into_iter().max() {
            *latest_ms = (*latest_ms).max(now);
            if let Err(e) = self.set_clock(*latest_ms).await {
                return (vec![e], vec![]);
            }
        }
        let now = *latest_ms;
        let mut problems = Vec::new();
        let mut exchanges = Vec::new();
        if let Some(function) = &step.function {
            let call = calls.get_mut(step.call.as_deref().unwrap_or_default());
            let Some(call) = call else {
                return (vec!["unknown call".into()], vec![]);
            };
            match self
                .function(sender, call, function, step, now, &mut exchanges)
                .await
            {
                Ok(()) => {
                    let last = exchanges.last().cloned();
                    if let Some(ex) = last {
                        problems.extend(check::function_reply(&ex, &step.expect, call.language));
                    }
                }
                Err(e) => problems.push(e),
            }
        } else if let Some(event) = &step.event {
            let call = &calls[step.call.as_deref().unwrap_or_default()];
            let body = call.live.webhook_body(event, now);
            let times = if step.fault == Some(Fault::Twice) {
                2
            } else {
                1
            };
            for n in 0..times {
                match sender.post("/api/webhooks/retell", &body).await {
                    Ok(ex) => {
                        let status = step.expect.status.unwrap_or(200);
                        if ex.status != status {
                            problems.push(format!("HTTP status {} instead of {status}", ex.status));
                        }
                        let wanted = if n == 0 { "accepted" } else { "duplicate" };
                        if ex.status == 200 && ex.reply["status"] != wanted {
                            problems.push(format!("delivery {}: not {wanted}", n + 1));
                        }
                        exchanges.push(ex);
                    }
                    Err(e) => problems.push(e),
                }
            }
            if problems.is_empty() && step.expect.status.unwrap_or(200) == 200 {
                if let Err(e) =
                    state::wait_applied(&self.store, business.tenant_id, &call.live.call_id, event)
                        .await
                {
                    problems.push(e);
                }
            }
        } else if let Some(admin) = &step.admin {
            match self.admin(&admin.method, &admin.params).await {
                Ok(ex) => {
                    if let Some(wanted) = &step.expect.reply {
                        check::subset("reply", wanted, &ex.reply, &mut problems);
                    }
                    exchanges.push(ex);
                }
                Err(e) => problems.push(e),
            }
        } else if !step.race.is_empty() {
            self.race(step, calls, sender, now, &mut problems, &mut exchanges)
                .await;
        }
        if problems.is_empty() {
            problems.extend(self.state_checks(step, calls, business).await);
        }
        (problems, exchanges)
    }

    /// Sends a function call (twice at once for a `retry` fault: both replies must agree).
    async fn function(
        &self,
        sender: &Sender,
        call: &mut Running,
        function: &str,
        step: &Step,
        now: i64,
        exchanges: &mut Vec<Exchange>,
    ) -> Result<(), String> {
        if let Some(said) = &step.said {
            call.live.transcript.push(format!("User: {said}"));
        }
        let args = fill_in(&step.args, &call.last_reply)?;
        let body = call.live.function_body(function, &args, now);
        let path = format!("/api/mcp/gateway/retell/functions/{function}");
        if step.fault == Some(Fault::Retry) {
            let (a, b) = tokio::join!(sender.post(&path, &body), sender.post(&path, &body));
            let (a, b) = (a?, b?);
            let same = a.status == b.status && a.reply == b.reply;
            exchanges.push(a);
            exchanges.push(b);
            if !same {
                return Err("Retell's retry got another reply than the first request".into());
            }
        } else {
            exchanges.push(sender.post(&path, &body).await?);
        }
        if let Some(last) = exchanges.last() {
            if let Some(message) = last.reply["message"].as_str() {
                call.live.transcript.push(format!("Agent: {message}"));
            }
            call.last_reply = last.reply.clone();
        }
        Ok(())
    }

    /// Sends the race's function calls at once and counts the winners.
    async fn race(
        &self,
        step: &Step,
        calls: &BTreeMap<String, Running>,
        sender: &Sender,
        now: i64,
        problems: &mut Vec<String>,
        exchanges: &mut Vec<Exchange>,
    ) {
        let sends = step.race.iter().map(|inner| {
            let call = &calls[inner.call.as_deref().unwrap_or_default()];
            let function = inner.function.as_deref().unwrap_or_default();
            let body = call.live.function_body(function, &inner.args, now);
            let path = format!("/api/mcp/gateway/retell/functions/{function}");
            async move { sender.post(&path, &body).await }
        });
        let results = futures_util::future::join_all(sends).await;
        let mut winners = 0;
        for (inner, result) in step.race.iter().zip(results) {
            match result {
                Ok(ex) => {
                    let language = calls[inner.call.as_deref().unwrap_or_default()].language;
                    if ex.reply["success"] == true {
                        winners += 1;
                    } else if ex.reply["slots"].as_array().is_none_or(Vec::is_empty) {
                        problems.push(format!(
                            "call {}: the loser of the race was offered no alternatives",
                            inner.call.as_deref().unwrap_or_default()
                        ));
                    }
                    problems.extend(check::function_reply(&ex, &inner.expect, language));
                    exchanges.push(ex);
                }
                Err(e) => problems.push(e),
            }
        }
        if let Some(wanted) = step.expect.winners {
            if winners != wanted {
                problems.push(format!("{winners} calls won the race, expected {wanted}"));
            }
        }
    }

    /// The step's checks of stored state: the caller's appointments, recovery entries.
    async fn state_checks(
        &self,
        step: &Step,
        calls: &BTreeMap<String, Running>,
        business: &state::Business,
    ) -> Vec<String> {
        let Some(call) = step.call.as_deref().and_then(|c| calls.get(c)) else {
            return Vec::new();
        };
        let mut problems = Vec::new();
        if let Some(wanted) = &step.expect.appointments {
            match state::appointments_of_caller(&self.store, business.tenant_id, &call.live.from)
                .await
            {
                Ok(got) => problems.extend(check::appointments(&business.tz, &got, wanted)),
                Err(e) => problems.push(e),
            }
        }
        if let Some(wanted) = step.expect.recovery {
            match state::open_recovery(&self.store, business.tenant_id, &call.live.call_id).await {
                Ok(n) if n == wanted => {}
                Ok(n) => problems.push(format!(
                    "{n} open recovery entries for the call, expected {wanted}"
                )),
                Err(e) => problems.push(e),
            }
        }
        problems
    }

    /// Sets the server's clock (only a server started with `--unsafe-test-clock` allows it).
    async fn set_clock(&self, ms: i64) -> Result<(), String> {
        let at = jiff::Timestamp::from_millisecond(ms).map_err(|e| e.to_string())?;
        let url = format!(
            "{}{}",
            self.options.base.trim_end_matches('/'),
            crate::test_clock::ROUTE
        );
        let res = self
            .client
            .post(&url)
            .json(&json!({ "at": at.to_string() }))
            .send()
            .await
            .map_err(|e| format!("cannot reach {url}: {e}"))?;
        match res.status().as_u16() {
            200 => Ok(()),
            404 | 405 => Err(format!(
                "the server does not let its clock be set; start it with \
                 --unsafe-test-clock --clock-at <instant> (SLOTLINE_UNSAFE_TEST_CLOCK=1 \
                 SLOTLINE_CLOCK_AT=…), on a loopback address ({url} answered {})",
                res.status()
            )),
            other => Err(format!("setting the clock answered {other}")),
        }
    }

    /// Runs a gateway method as the business's admin (signing in once).
    async fn admin(&self, method: &str, params: &Value) -> Result<Exchange, String> {
        let url = format!(
            "{}/api/mcp/gateway",
            self.options.base.trim_end_matches('/')
        );
        let mut session = self.session.lock().await;
        if session.is_none() {
            let password = self.options.admin_password.clone().ok_or(
                "an admin step needs the admin's password (--admin-password, or the demo's \
                 data/demo-admin-password)",
            )?;
            let login = json!({"jsonrpc": "2.0", "id": 1, "method": "admin.login",
                "params": {"email": self.options.admin_email, "password": password}});
            let reply: Value = self
                .client
                .post(&url)
                .json(&login)
                .send()
                .await
                .map_err(|e| e.to_string())?
                .json()
                .await
                .map_err(|e| e.to_string())?;
            let token = reply["result"]["token"]
                .as_str()
                .ok_or_else(|| format!("the admin could not sign in: {}", reply["error"]))?;
            *session = Some(token.to_owned());
        }
        let cookie = format!(
            "{}={}",
            app::api::SESSION_COOKIE,
            session.as_deref().unwrap_or_default()
        );
        let request = json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params});
        let res = self
            .client
            .post(&url)
            .header("cookie", cookie)
            .json(&request)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let status = res.status().as_u16();
        let reply: Value = res.json().await.map_err(|e| e.to_string())?;
        let result = match reply.get("result") {
            Some(r) => r.clone(),
            None => json!({ "error": reply["error"] }),
        };
        Ok(Exchange {
            target: format!("POST /api/mcp/gateway {method}"),
            request,
            status,
            reply: result,
        })
    }
}

/// The arguments with every `"$reply/<JSON pointer>"` value replaced by that field of the
/// call's last reply (the agent repeating an offered slot: `"$reply/slots/0/local"`).
fn fill_in(
    args: &serde_json::Map<String, Value>,
    last: &Value,
) -> Result<serde_json::Map<String, Value>, String> {
    args.iter()
        .map(
            |(k, v)| match v.as_str().and_then(|s| s.strip_prefix("$reply")) {
                Some(pointer) => last
                    .pointer(pointer)
                    .cloned()
                    .map(|found| (k.clone(), found))
                    .ok_or_else(|| format!("args.{k}: the last reply has no {pointer}: {last}")),
                None => Ok((k.clone(), v.clone())),
            },
        )
        .collect()
}

/// A step in a report line.
fn describe(step: &Step) -> String {
    let call = step
        .call
        .as_deref()
        .map(|c| format!(" (call {c})"))
        .unwrap_or_default();
    let said = step
        .said
        .as_deref()
        .map(|s| format!(": {s:?}"))
        .unwrap_or_default();
    if let Some(f) = &step.function {
        format!("{f}{call}{said}")
    } else if let Some(e) = &step.event {
        format!("{e}{call}")
    } else if let Some(a) = &step.admin {
        format!("admin {}", a.method)
    } else if !step.race.is_empty() {
        format!("race of {} calls", step.race.len())
    } else {
        "pause".into()
    }
}
