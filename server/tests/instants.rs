//! Named instants: the clock set to the nights Berlin changes its clocks (2027-03-28 and
//! 2027-10-31, at 01:59, 02:30 and 03:00 local) and to the turn of the year, and what a caller
//! is offered then. Whatever day the suite runs on, these instants are the same.

mod common;

use common::salon::{call_body, post, salon, CALLER, KEY};
use common::sign_now;
use common::{spawn_app, TestApp};
use serde_json::{json, Value};
use slotline::store::scheduling::BookingRules;

/// The salon of the other suites, plus Anna on a night shift (00:00–06:00 local every day), no
/// minimum notice and starts every 30 minutes, so slots exist around the clock changes.
async fn night_salon() -> TestApp {
    let app = spawn_app().await;
    let (tenant, anna, _) = salon(&app).await;
    let rules = BookingRules {
        step_min: 30,
        notice_book_min: 0,
        horizon_days: 500,
        ..BookingRules::default()
    };
    app.store.set_booking_rules(tenant, &rules).await.unwrap();
    for day in 1..=7 {
        app.store
            .add_working_hours(tenant, anna, day, 0, 6 * 60)
            .await
            .unwrap();
    }
    app
}

/// The clock at `utc`; what check_availability offers for `when`: (UTC start, local start) of
/// Anna's slots.
async fn offered(app: &TestApp, utc: &str, when: &str) -> Vec<(String, String)> {
    let at: jiff::Timestamp = utc.parse().unwrap();
    app.config.clock.set(at);
    // The call starts now: Retell's start_timestamp is what "heute" and "morgen" are read from.
    let body = call_body(
        "check_availability",
        &format!("call_{}", at.as_second()),
        CALLER,
        at.as_millisecond(),
        json!({"service": "Herrenhaarschnitt", "staff": "Anna", "when": when}),
    );
    let (status, reply) = post(app, "check_availability", &body, Some(sign_now(&body, KEY))).await;
    assert_eq!(status, 200, "{reply}");
    let slots = reply["slots"].as_array().cloned().unwrap_or_default();
    assert!(!slots.is_empty(), "{utc} {when}: {reply}");
    slots
        .iter()
        .map(|s: &Value| {
            (
                s["start"].as_str().unwrap().to_owned(),
                s["local"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(u, l)| (u.to_string(), l.to_string()))
        .collect()
}

#[tokio::test]
async fn spring_forward_offers_no_time_that_does_not_exist() {
    let app = night_salon().await;
    // 01:59 CET, a minute before clocks jump to 03:00 CEST: 02:00–02:59 does not exist, the
    // next real half hour is 03:00 CEST = 01:00 UTC.
    let at_0159 = offered(&app, "2027-03-28T00:59:00Z", "heute").await;
    assert_eq!(
        at_0159,
        pairs(&[
            ("2027-03-28T01:00:00Z", "2027-03-28T03:00"),
            ("2027-03-28T02:00:00Z", "2027-03-28T04:00"),
            ("2027-03-28T03:00:00Z", "2027-03-28T05:00"),
        ])
    );
    // 03:00 CEST, the first minute after the jump: the slot starting now is still offered.
    let at_0300 = offered(&app, "2027-03-28T01:00:00Z", "heute").await;
    assert_eq!(at_0300[0], at_0159[0]);
    for (_, local) in at_0159.iter().chain(&at_0300) {
        assert!(
            !local.starts_with("2027-03-28T02:"),
            "{local} does not exist"
        );
    }
    // "02:30" said that night means the afternoon ("halb drei" = 14:30 CEST = 12:30 UTC).
    let wish = offered(&app, "2027-03-28T00:59:00Z", "heute um halb drei").await;
    assert!(
        wish.contains(&("2027-03-28T12:30:00Z".into(), "2027-03-28T14:30".into())),
        "{wish:?}"
    );
}

#[tokio::test]
async fn fall_back_offers_both_of_the_hours_that_happen_twice() {
    let app = night_salon().await;
    // 01:59 CEST: 02:00 happens at 00:00 UTC (CEST) and again at 01:00 UTC (CET); both are
    // real, different times, an hour apart.
    assert_eq!(
        offered(&app, "2027-10-30T23:59:00Z", "heute").await,
        pairs(&[
            ("2027-10-31T00:00:00Z", "2027-10-31T02:00"),
            ("2027-10-31T01:00:00Z", "2027-10-31T02:00"),
            ("2027-10-31T02:00:00Z", "2027-10-31T03:00"),
        ])
    );
    // 02:30 the first time (CEST, 00:30 UTC) and the second time (CET, 01:30 UTC): each offers
    // what is still ahead of it, never what is already past.
    let first = offered(&app, "2027-10-31T00:30:00Z", "heute").await;
    assert_eq!(
        first[0],
        ("2027-10-31T00:30:00Z".into(), "2027-10-31T02:30".into())
    );
    assert_eq!(
        first[1],
        ("2027-10-31T01:30:00Z".into(), "2027-10-31T02:30".into())
    );
    let second = offered(&app, "2027-10-31T01:30:00Z", "heute").await;
    assert_eq!(
        second[0],
        ("2027-10-31T01:30:00Z".into(), "2027-10-31T02:30".into())
    );
    assert!(
        second
            .iter()
            .all(|(utc, _)| utc.as_str() >= "2027-10-31T01:30:00Z"),
        "{second:?}"
    );
    // 03:00 CET.
    let at_0300 = offered(&app, "2027-10-31T02:00:00Z", "heute").await;
    assert_eq!(
        at_0300[0],
        ("2027-10-31T02:00:00Z".into(), "2027-10-31T03:00".into())
    );
}

#[tokio::test]
async fn the_turn_of_the_year_is_read_in_the_business_time_zone() {
    let app = night_salon().await;
    // 23:30 in Berlin on New Year's Eve (22:30 UTC): "morgen" is 1 January 2028, whose first
    // half hour is still 2027 in UTC.
    let tomorrow = offered(&app, "2027-12-31T22:30:00Z", "morgen").await;
    assert_eq!(
        tomorrow[0],
        ("2027-12-31T23:00:00Z".into(), "2028-01-01T00:00".into())
    );
    assert!(
        tomorrow
            .iter()
            .all(|(_, local)| local.starts_with("2028-01-01")),
        "{tomorrow:?}"
    );
    // 00:30 on 1 January in Berlin while UTC still says 31 December: "heute" is the 1st.
    let today = offered(&app, "2027-12-31T23:30:00Z", "heute").await;
    assert_eq!(
        today[0],
        ("2027-12-31T23:30:00Z".into(), "2028-01-01T00:30".into())
    );
    assert!(
        today
            .iter()
            .all(|(_, local)| local.starts_with("2028-01-01")),
        "{today:?}"
    );
}
