//! `make bench`: latency of the check_availability custom function under a steady 500
//! requests/s (open loop: a request is sent every 2 ms whether or not earlier ones finished),
//! on the demo salon scaled to 50 staff with 60 days of appointments, SQLite, release build.
//! Every request comes from another caller, as on real phone lines.

use slotline::store::appointments::{NewAppointment, Placement};
use slotline::store::scheduling::NewService;
use std::time::{Duration, Instant};

const KEY: &str = "key_bench";
const STAFF: usize = 50;
const DAYS: i64 = 60;
const RATE_PER_SEC: u64 = 500;
const SECONDS: u64 = 10;

mod support;

#[tokio::main]
async fn main() {
    slotline::telemetry::init();
    run().await;
}

async fn run() {
    let support::Bench {
        app,
        base,
        store,
        tenant,
        secrets,
        _dir,
    } = support::bench_app(KEY).await;

    let seeding = Instant::now();
    let mut services = Vec::new();
    for (name, minutes, before, after, phone) in slotline::demo::salon::SERVICES {
        let id = store
            .create_service(
                tenant,
                &NewService {
                    name,
                    duration_min: minutes,
                    buffer_before_min: before,
                    buffer_after_min: after,
                    phone_bookable: phone,
                    price_cents: None,
                },
            )
            .await
            .unwrap();
        services.push((name, id, minutes, after));
    }
    let tz = jiff::tz::TimeZone::get("Europe/Berlin").unwrap();
    let today = jiff::Timestamp::now().to_zoned(tz.clone()).date();
    let mut appointments = 0;
    for n in 0..STAFF {
        let staff =
            slotline::demo::salon::add_staff(&store, &secrets, tenant, &format!("Staff {n}"))
                .await
                .unwrap();
        for (_, id, _, _) in &services {
            store.offer_service(tenant, staff, *id).await.unwrap();
        }
        for day in 2..=6 {
            store
                .add_working_hours(tenant, staff, day, 9 * 60, 13 * 60)
                .await
                .unwrap();
            store
                .add_working_hours(tenant, staff, day, 14 * 60, 18 * 60)
                .await
                .unwrap();
        }
        let phone = format!("+49151{:08}", 10_000_000 + n);
        for offset in 1..=DAYS {
            let day = today.checked_add(jiff::Span::new().days(offset)).unwrap();
            if matches!(
                day.weekday(),
                jiff::civil::Weekday::Sunday | jiff::civil::Weekday::Monday
            ) {
                continue;
            }
            for (k, (h, m)) in [(9, 0), (11, 0), (14, 0), (16, 0)].into_iter().enumerate() {
                let (_, service_id, minutes, after) = services[(n + k) % 5];
                let start = day
                    .at(h, m, 0, 0)
                    .to_zoned(tz.clone())
                    .unwrap()
                    .timestamp()
                    .as_millisecond();
                let end = start + minutes * 60_000;
                let new = NewAppointment {
                    tenant_id: tenant,
                    service_id,
                    placement: Placement {
                        staff_id: staff,
                        starts_at: start,
                        ends_at: end,
                        block_start: start,
                        block_end: end + after * 60_000,
                    },
                    customer_name: "Bench Kunde",
                    customer_phone: &phone,
                    update_customer: true,
                    contact_phone: None,
                    customer_email: None,
                    status: app::contract::AppointmentStatus::Booked,
                    source: "admin",
                    call_id: None,
                    notes: "",
                    actor: "bench",
                };
                store.book(&new, None).await.unwrap();
                appointments += 1;
            }
        }
    }
    println!(
        "seeded {STAFF} staff, {} services, {appointments} appointments over {DAYS} days in {:.1}s",
        services.len(),
        seeding.elapsed().as_secs_f64()
    );
    tokio::spawn(app.serve(std::future::pending()));

    let total = (RATE_PER_SEC * SECONDS) as usize;
    let now = slotline::store::now_ms();
    let mut seed: u64 = 0x5eed;
    let mut next = move |n: u64| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) % n
    };
    let times = [
        "09:00",
        "10:30",
        "halb drei",
        "15:15",
        "nachmittags",
        "17:00",
        "vormittags",
        "",
    ];
    let requests: Vec<(String, String)> = (0..total)
        .map(|i| {
            let service = services[next(5) as usize].0;
            let day = today.checked_add(jiff::Span::new().days(1 + next(DAYS as u64 - 2) as i64)).unwrap();
            let time = times[next(times.len() as u64) as usize];
            let staff = if next(4) == 0 { format!(",\"staff\":\"Staff {}\"", next(STAFF as u64)) } else { String::new() };
            let body = format!(
                "{{\"name\":\"check_availability\",\"call\":{{\"call_id\":\"bench_{i}\",\"agent_id\":\"agent_bench\",\"from_number\":\"+49151{:08}\",\"to_number\":\"+493012345670\"}},\"args\":{{\"service\":\"{service}\",\"date\":\"{}\",\"time\":\"{time}\"{staff}}}}}",
                12_000_000 + i,
                day.strftime("%Y-%m-%d")
            );
            let sig = slotline::webhooks::signature::sign(body.as_bytes(), KEY, now);
            (body, sig)
        })
        .collect();

    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(256)
        .build()
        .unwrap();
    let url = format!("{base}/api/mcp/gateway/retell/functions/check_availability");
    // Warm-up (connections, set-up cache) and the unloaded latency of one request at a time.
    let mut single = Vec::new();
    for (body, sig) in requests.iter().take(
        std::env::var("BENCH_SINGLE")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(200),
    ) {
        let t = Instant::now();
        send(&client, &url, body, sig).await;
        single.push(t.elapsed());
    }
    if std::env::var("BENCH_SLOWEST").is_ok() {
        let mut idx: Vec<usize> = (0..single.len()).collect();
        idx.sort_by_key(|&i| std::cmp::Reverse(single[i]));
        for &i in idx.iter().take(8) {
            println!(
                "{:.2} ms {}",
                single[i].as_secs_f64() * 1e3,
                &requests[i].0[150..]
            );
        }
    }
    single.sort();
    println!(
        "check_availability one at a time: p50 {:.2} ms, p99 {:.2} ms",
        single[single.len() / 2].as_secs_f64() * 1e3,
        single[single.len() * 99 / 100].as_secs_f64() * 1e3
    );
    let mut ticker = tokio::time::interval(Duration::from_micros(1_000_000 / RATE_PER_SEC));
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
    let started = Instant::now();
    let mut handles = Vec::with_capacity(total);
    for (body, sig) in requests {
        ticker.tick().await;
        let (client, url) = (client.clone(), url.clone());
        handles.push(tokio::spawn(async move {
            let t = Instant::now();
            send(&client, &url, &body, &sig).await;
            t.elapsed()
        }));
    }
    let mut latencies = Vec::with_capacity(total);
    for h in handles {
        latencies.push(h.await.unwrap());
    }
    let elapsed = started.elapsed();
    latencies.sort();
    let pct = |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)];
    println!(
        "check_availability ({STAFF} staff × {DAYS} days, SQLite, open loop at {RATE_PER_SEC} req/s): {total} requests in {:.2}s = {:.0} req/s; latency p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms (target p99 ≤ 5 ms)",
        elapsed.as_secs_f64(),
        total as f64 / elapsed.as_secs_f64(),
        pct(0.50).as_secs_f64() * 1e3,
        pct(0.99).as_secs_f64() * 1e3,
        latencies.last().unwrap().as_secs_f64() * 1e3,
    );
}

async fn send(client: &reqwest::Client, url: &str, body: &str, sig: &str) {
    let res = client
        .post(url)
        .header("content-type", "application/json")
        .header("x-retell-signature", sig)
        .body(body.to_owned())
        .send()
        .await
        .expect("request");
    let status = res.status();
    let v: serde_json::Value = res.json().await.expect("JSON reply");
    assert_eq!(status, 200, "check_availability must answer: {v}");
    assert_eq!(v["success"], true, "a valid question gets an answer: {v}");
}
