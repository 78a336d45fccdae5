//! The call simulator against the real application: a scenario from `scenarios/` passes, a
//! wrong expectation fails naming the step with the request and the reply that differed, and
//! only a server started with the settable test clock lets the simulator set its time.

mod common;

use common::spawn_app_with;
use slotline::simulate::scenario::{self, Scenario};
use slotline::simulate::{Options, Simulator};
use std::path::PathBuf;

/// The instant scripts/simulate.sh seeds the demo at (the scenarios' dates follow from it).
const SEED_AT: &str = "2027-03-01T08:00:00Z";

fn scenario_file(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../scenarios")
        .join(name)
}

/// A running app with the settable clock and the demo seeded at [`SEED_AT`], and a simulator.
async fn demo_app(settable: bool) -> (common::TestApp, Simulator) {
    let at = SEED_AT.parse().unwrap();
    let app = spawn_app_with(|c| {
        c.clock = if settable {
            slotline::clock::Clock::settable(at)
        } else {
            slotline::clock::Clock::fixed(at)
        }
    })
    .await;
    slotline::demo::seed(&app.store, &app.config, None)
        .await
        .expect("demo seeded");
    let password = std::fs::read_to_string(app.config.data_dir.join("demo-admin-password"))
        .expect("demo password written");
    let sim = Simulator::new(
        app.store.clone(),
        &app.config.secret_key,
        Options {
            base: app.base.clone(),
            retell_api_key: None,
            function_token: None,
            admin_email: slotline::demo::DEMO_ADMIN_EMAIL.into(),
            admin_password: Some(password.trim().to_owned()),
        },
    );
    (app, sim)
}

fn load(name: &str) -> Scenario {
    scenario::load(&scenario_file(name)).expect("scenario file is valid")
}

#[tokio::test]
async fn scenarios_from_the_repository_pass_against_the_demo() {
    let (_app, sim) = demo_app(true).await;
    for name in [
        "01-book-tomorrow.json",
        "11-race-for-one-slot.json",
        "12-retell-retries-collect.json",
        "14-ended-before-started.json",
        "15-slot-taken-before-call-ended.json",
    ] {
        if let Err(failure) = sim.run(&load(name)).await {
            panic!("{failure}");
        }
    }
}

#[tokio::test]
async fn a_step_that_differs_fails_with_the_request_and_the_reply() {
    let (_app, sim) = demo_app(true).await;
    let mut s = load("01-book-tomorrow.json");
    // The agent heard "halb drei" (14:30); expecting 15:30 must fail at that step.
    s.steps[1].expect.reply = Some(serde_json::json!({"requested": {"local": "2027-03-03T15:30"}}));
    let failure = sim.run(&s).await.expect_err("a wrong expectation fails");
    assert!(
        failure.step.starts_with("steps[1] check_availability"),
        "{failure}"
    );
    assert!(
        failure
            .problems
            .iter()
            .any(|p| p.contains("\"2027-03-03T14:30\", expected \"2027-03-03T15:30\"")),
        "{failure}"
    );
    assert_eq!(failure.exchanges.len(), 1);
    assert_eq!(failure.exchanges[0].request["args"]["time"], "halb drei");
    assert_eq!(
        failure.exchanges[0].reply["requested"]["local"],
        "2027-03-03T14:30"
    );
    let report = failure.to_string();
    assert!(report.contains("FAILED book for tomorrow"), "{report}");
    assert!(report.contains("request: POST /api/mcp/gateway/retell/functions/check_availability"));

    // A booking that is not where the scenario expects it fails on the stored state.
    let mut s = load("01-book-tomorrow.json");
    s.calls.get_mut("a").unwrap().from = "+4915100009901".into();
    s.steps[3].expect.appointments = Some(vec![scenario::ExpectedAppointment {
        status: "cancelled".into(),
        start: "2027-03-03T14:30".into(),
        staff: None,
        service: None,
    }]);
    // The slot is held by the first run's caller now: take the next free one.
    s.steps[1].args.insert("time".into(), "16 Uhr".into());
    s.steps[1].expect = Default::default();
    s.steps[2].args.insert("time".into(), "16 Uhr".into());
    s.steps[2].expect = Default::default();
    let failure = sim.run(&s).await.expect_err("a wrong state fails");
    assert!(failure.step.starts_with("steps[3] call_ended"), "{failure}");
    assert!(
        failure.problems[0].contains("are [booked 2027-03-03T16:00"),
        "{failure}"
    );
}

#[tokio::test]
async fn only_a_server_with_the_settable_clock_can_be_simulated_against() {
    let (app, sim) = demo_app(false).await;
    let res = app
        .client
        .post(format!("{}/api/test/clock", app.base))
        .json(&serde_json::json!({"at": "2030-01-01T00:00:00Z"}))
        .send()
        .await
        .unwrap();
    assert_ne!(
        res.status(),
        200,
        "no clock route without --unsafe-test-clock"
    );
    assert_eq!(
        app.store.now_ms(),
        SEED_AT.parse::<jiff::Timestamp>().unwrap().as_millisecond()
    );
    let failure = sim
        .run(&load("01-book-tomorrow.json"))
        .await
        .expect_err("the clock cannot be set");
    assert!(
        failure.problems[0].contains("--unsafe-test-clock"),
        "{failure}"
    );
}

#[tokio::test]
async fn the_settable_clock_route_moves_the_servers_time_and_checks_its_input() {
    let (app, _sim) = demo_app(true).await;
    let url = format!("{}/api/test/clock", app.base);
    let res = app
        .client
        .post(&url)
        .json(&serde_json::json!({"at": "2027-03-26T08:00:00Z"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(app.store.clock().now().to_string(), "2027-03-26T08:00:00Z");
    let bad = app
        .client
        .post(&url)
        .json(&serde_json::json!({"at": "next friday"}))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
    let body: serde_json::Value = bad.json().await.unwrap();
    assert!(
        body["message"].as_str().unwrap().contains("RFC 3339"),
        "{body}"
    );
    assert_eq!(app.store.clock().now().to_string(), "2027-03-26T08:00:00Z");
}

#[test]
fn broken_scenario_files_are_refused_saying_what_to_fix() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    };
    let base = r#""name": "x", "at": "2027-03-02T09:00:00Z", "tenant": {"phone": "+493012345670"},
        "calls": {"a": {"from": "+4915100000101", "language": "de"}}"#;
    let unknown_call = write(
        "a.json",
        &format!(r#"{{{base}, "steps": [{{"call": "b", "event": "call_started"}}]}}"#),
    );
    let e = scenario::load(&unknown_call).unwrap_err().to_string();
    assert!(
        e.contains("steps[0]: call: \"b\" is not one of the scenario's calls"),
        "{e}"
    );
    let bad_function = write(
        "b.json",
        &format!(r#"{{{base}, "steps": [{{"call": "a", "function": "book_now"}}]}}"#),
    );
    let e = scenario::load(&bad_function).unwrap_err().to_string();
    assert!(e.contains("not a Slotline custom function"), "{e}");
    let typo = write(
        "c.json",
        &format!(
            r#"{{{base}, "steps": [{{"call": "a", "event": "call_started", "expekt": {{}}}}]}}"#
        ),
    );
    let e = scenario::load(&typo).unwrap_err().to_string();
    assert!(e.contains("steps[0]") && e.contains("expekt"), "{e}");
    // Every scenario in the repository reads.
    let files = slotline::simulate::suite::files(&[scenario_file("")]).unwrap();
    assert!(files.len() >= 20, "{files:?}");
    let all = slotline::simulate::suite::load_all(&files, None).unwrap();
    assert!(
        all.iter()
            .filter(|s| s.tags.iter().any(|t| t == "race"))
            .count()
            >= 2
    );
}
