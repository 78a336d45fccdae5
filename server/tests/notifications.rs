//! Notifications end to end: the outbox written with each booking change, delivered over SMTP
//! to a sink this suite starts itself (a tiny SMTP server on a tokio listener), exactly once
//! across dead and racing workers, retried with the reason shown when the server is
//! unreachable, reminders withdrawn with their appointment, opt-out respected.

mod common;

use app::contract::{AppointmentStatus, OutboxStatus, SmtpTls};
use common::salon::{call, salon, AGENT, CALLER, KEY};
use common::smtp_sink::{header, leaves, part, Received, Sink};
use common::{fresh_store, spawn_app, NOW};
use serde_json::json;
use slotline::notifications::{worker, Notifier};
use slotline::store::appointments::{NewAppointment, Placement};
use slotline::store::notify_config::StoredSettings;
use slotline::store::outbox::OutboxRow;
use slotline::store::tenants::NewTenant;
use slotline::store::Store;
use tokio::net::TcpListener;

// ---------------------------------------------------------------- arranging

const SECRET: [u8; 32] = [42; 32];
const PUBLIC: &str = "https://slotline.test";

fn settings(port: u16) -> StoredSettings {
    StoredSettings {
        email_enabled: true,
        smtp_host: "127.0.0.1".into(),
        smtp_port: port,
        smtp_tls: SmtpTls::None,
        from_address: "Salon Test <termine@salon.test>".into(),
        reminder_hours: 24,
        ..StoredSettings::default()
    }
}

/// A store on a fresh database with a fixed clock, a tenant, one service and one staff
/// member; returns (store, dir, tenant, service, staff).
async fn business() -> (Store, tempfile::TempDir, i64, i64, i64) {
    let (store, dir) = fresh_store().await;
    let store = store.with_clock(slotline::clock::Clock::fixed(NOW.parse().unwrap()));
    let tenant = store
        .create_tenant(&NewTenant {
            slug: "salon",
            name: "Salon Test",
            time_zone: "Europe/Berlin",
            locale: "de",
            country: "DE",
        })
        .await
        .unwrap();
    let service = store
        .create_service(
            tenant,
            &slotline::store::scheduling::NewService {
                name: "Haarschnitt",
                duration_min: 30,
                buffer_before_min: 0,
                buffer_after_min: 0,
                phone_bookable: true,
                price_cents: None,
            },
        )
        .await
        .unwrap();
    let secrets = slotline::crypto::SecretBox::new(&SECRET);
    let staff = slotline::demo::salon::add_staff(&store, &secrets, tenant, "Anna")
        .await
        .unwrap();
    (store, dir, tenant, service, staff)
}

/// Books a 30-minute appointment at `at` (RFC 3339) for a customer with this e-mail.
async fn book(
    store: &Store,
    tenant: i64,
    service: i64,
    staff: i64,
    at: &str,
    phone: &str,
    email: Option<&str>,
) -> i64 {
    let start = common::ms(at);
    let placement = Placement {
        staff_id: staff,
        starts_at: start,
        ends_at: start + 1_800_000,
        block_start: start,
        block_end: start + 1_800_000,
    };
    let written = store
        .book(
            &NewAppointment {
                tenant_id: tenant,
                service_id: service,
                placement,
                customer_name: "Eva Muster",
                customer_phone: phone,
                update_customer: true,
                contact_phone: None,
                customer_email: email,
                status: AppointmentStatus::Booked,
                source: "admin",
                call_id: None,
                notes: "",
                actor: "admin:test",
            },
            None,
        )
        .await
        .unwrap();
    match written {
        slotline::store::appointments::Written::Done(id) => id,
        other => panic!("not booked: {other:?}"),
    }
}

async fn outbox(store: &Store, tenant: i64) -> Vec<OutboxRow> {
    let mut rows = store.outbox(tenant, None, 500).await.unwrap();
    rows.reverse();
    rows
}

fn advance(store: &Store, minutes: i64) {
    store
        .clock()
        .advance(jiff::SignedDuration::from_mins(minutes));
}

// ---------------------------------------------------------------- tests

#[tokio::test]
async fn a_phone_booking_with_an_email_gets_one_confirmation_with_both_bodies_and_the_ics() {
    let sink = Sink::start().await;
    let app = spawn_app().await;
    let (tenant, _, _) = salon(&app).await;
    app.store
        .save_notification_settings(tenant, &settings(sink.port))
        .await
        .unwrap();
    let (_, held) = call(
        &app,
        "collect_appointment",
        "call_mail",
        CALLER,
        json!({"service": "Damenhaarschnitt", "when": "2027-03-10T16:00",
               "customer_name": "Eva Muster", "email": "eva@example.com"}),
    )
    .await;
    assert_eq!(held["success"], true, "{held}");
    assert!(
        outbox(&app.store, tenant).await.is_empty(),
        "a hold announces nothing"
    );
    let ended = common::webhook_body(
        "call_ended",
        "call_mail",
        AGENT,
        json!({"end_timestamp": 1_804_583_000_000i64, "duration_ms": 200_000}),
    );
    app.post_all_signed(&[&ended, &ended], KEY).await;
    app.drain_inbox().await;
    // The app's own worker delivers it.
    let mut waited = 0;
    while sink.messages().is_empty() && waited < 100 {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        waited += 1;
    }
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let got = sink.messages();
    assert_eq!(got.len(), 1, "one confirmation for one booking: {got:?}");
    let m = &got[0];
    assert_eq!(m.rcpt, ["<eva@example.com>"]);
    assert_eq!(
        header(&m.data, "Subject").unwrap(),
        "Ihr Termin am Mittwoch, 10.03.2027 um 16:00 ist gebucht",
        "the appointment in Berlin time, in the business's language"
    );
    let from = header(&m.data, "From").unwrap();
    assert!(
        from.contains("Salon Test") && from.ends_with("<termine@salon.test>"),
        "{from}"
    );
    assert_eq!(header(&m.data, "To").unwrap(), "eva@example.com");
    let unsubscribe = header(&m.data, "List-Unsubscribe").unwrap();
    assert!(unsubscribe.starts_with("<https://slotline.test/notifications/opt-out/"));
    assert_eq!(
        header(&m.data, "List-Unsubscribe-Post").unwrap(),
        "List-Unsubscribe=One-Click"
    );
    let id = outbox(&app.store, tenant).await[0].id;
    assert_eq!(
        header(&m.data, "Message-ID").unwrap(),
        format!("<outbox-{id}.{tenant}@salon.test>")
    );
    assert!(header(&m.data, "Date").unwrap().contains("09 Mar 2027"));
    let parts = leaves(&m.data);
    assert_eq!(parts.len(), 3, "text, HTML and the calendar: {parts:?}");
    let text = part(&parts, "text/plain").replace("\r\n", "\n");
    assert!(text.starts_with("Hallo Eva Muster,"), "{text}");
    assert!(
        text.contains("Damenhaarschnitt bei Anna\nMittwoch, 10.03.2027, 16:00–16:45 Uhr"),
        "{text}"
    );
    assert!(text.contains("Keine Nachrichten mehr erhalten: https://slotline.test/"));
    let html = part(&parts, "text/html");
    assert!(html.contains("<p>Hallo Eva Muster,</p>"), "{html}");
    assert!(html.contains("Damenhaarschnitt bei Anna<br>Mittwoch, 10.03.2027"));
    let ics = part(&parts, "text/calendar");
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"), "{ics}");
    assert!(ics.contains("METHOD:PUBLISH\r\n"));
    assert!(ics.contains("DTSTART:20270310T150000Z\r\n"));
    assert!(ics.contains("DTEND:20270310T154500Z\r\n"));
    assert!(ics.contains("STATUS:CONFIRMED\r\n"));
    let attachment = m
        .data
        .split("\r\n\r\n")
        .any(|h| h.contains("Content-Disposition: attachment; filename=\"appointment.ics\""));
    assert!(attachment, "the calendar is an attachment");
    let rows = outbox(&app.store, tenant).await;
    assert_eq!(rows[0].status, OutboxStatus::Sent);
    assert_eq!(rows[0].attempts, 1);
    assert_eq!(
        rows[1].kind,
        app::contract::NotificationKind::Reminder,
        "and a reminder waits for its time"
    );
    assert_eq!(rows[1].status, OutboxStatus::Pending);
    assert_eq!(rows[1].next_attempt_at, common::ms("2027-03-09T15:00:00Z"));
}

#[tokio::test]
async fn no_message_without_an_address_the_caller_gave_or_with_notifications_off() {
    let sink = Sink::start().await;
    let (store, _dir, tenant, service, staff) = business().await;
    book(
        &store,
        tenant,
        service,
        staff,
        "2027-03-10T09:00:00Z",
        "+4915100000001",
        Some("a@example.com"),
    )
    .await;
    assert!(outbox(&store, tenant).await.is_empty(), "off by default");
    store
        .save_notification_settings(tenant, &settings(sink.port))
        .await
        .unwrap();
    book(
        &store,
        tenant,
        service,
        staff,
        "2027-03-10T10:00:00Z",
        "+4915100000002",
        None,
    )
    .await;
    assert!(outbox(&store, tenant).await.is_empty(), "no address given");
    book(
        &store,
        tenant,
        service,
        staff,
        "2027-03-10T11:00:00Z",
        "+4915100000003",
        Some("b@example.com"),
    )
    .await;
    let rows = outbox(&store, tenant).await;
    assert_eq!(rows.len(), 2, "a confirmation and a reminder");
    assert!(rows.iter().all(|r| r.recipient == "b@example.com"));
}

#[tokio::test]
async fn each_message_goes_out_once_across_a_dead_worker_and_two_racing_workers() {
    let sink = Sink::start().await;
    let (store, _dir, tenant, service, staff) = business().await;
    store
        .save_notification_settings(
            tenant,
            &StoredSettings {
                reminder_hours: 0,
                ..settings(sink.port)
            },
        )
        .await
        .unwrap();
    for i in 0..6 {
        book(
            &store,
            tenant,
            service,
            staff,
            &format!("2027-03-10T{:02}:00:00Z", 8 + i),
            &format!("+491510000001{i}"),
            Some(&format!("c{i}@example.com")),
        )
        .await;
    }
    // A worker claims everything and dies before sending.
    let dead = store
        .claim_due_messages("dead-worker", store.now_ms() + worker::LEASE_MS, 2)
        .await
        .unwrap();
    assert_eq!(dead.len(), 2);
    let a = Notifier::new(store.clone(), &SECRET, PUBLIC);
    let b = Notifier::new(store.clone(), &SECRET, PUBLIC);
    // Two workers race for the rest.
    let (ra, rb) = tokio::join!(worker::run_once(&a), worker::run_once(&b));
    assert_eq!(
        ra.unwrap() + rb.unwrap(),
        4,
        "each free message claimed by one worker"
    );
    assert_eq!(
        sink.messages().len(),
        4,
        "the dead worker's two wait for its lease"
    );
    // A restart before the lease runs out sends nothing twice.
    let restarted = Notifier::new(store.clone(), &SECRET, PUBLIC);
    assert_eq!(worker::run_once(&restarted).await.unwrap(), 0);
    advance(&store, 3);
    let (ra, rb) = tokio::join!(worker::run_once(&a), worker::run_once(&restarted));
    assert_eq!(
        ra.unwrap() + rb.unwrap(),
        2,
        "the expired claims are taken over once"
    );
    assert_eq!(worker::run_once(&b).await.unwrap(), 0, "nothing left");
    let got = sink.messages();
    assert_eq!(got.len(), 6, "six bookings, six messages");
    let mut ids: Vec<String> = got
        .iter()
        .map(|m| header(&m.data, "Message-ID").unwrap())
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 6, "no message twice");
    let mut rcpt: Vec<String> = got.iter().map(|m| m.rcpt[0].clone()).collect();
    rcpt.sort();
    assert_eq!(rcpt[0], "<c0@example.com>");
    assert_eq!(rcpt[5], "<c5@example.com>");
    let rows = outbox(&store, tenant).await;
    assert!(rows
        .iter()
        .all(|r| r.status == OutboxStatus::Sent && r.attempts == 1));
    // The dead worker waking up cannot mark what it no longer holds.
    assert!(!store
        .mark_message_sent(dead[0].id, "dead-worker")
        .await
        .unwrap());
}

#[tokio::test]
async fn an_unreachable_server_leaves_messages_pending_with_the_reason_then_delivers() {
    let sink = Sink::start().await;
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let (store, _dir, tenant, service, staff) = business().await;
    store
        .save_notification_settings(
            tenant,
            &StoredSettings {
                reminder_hours: 0,
                ..settings(closed)
            },
        )
        .await
        .unwrap();
    book(
        &store,
        tenant,
        service,
        staff,
        "2027-03-10T09:00:00Z",
        "+4915100000001",
        Some("d@example.com"),
    )
    .await;
    let n = Notifier::new(store.clone(), &SECRET, PUBLIC);
    assert_eq!(worker::run_once(&n).await.unwrap(), 1);
    let row = &outbox(&store, tenant).await[0];
    assert_eq!(row.status, OutboxStatus::Pending, "not lost, not failed");
    assert_eq!(row.attempts, 1);
    let reason = row.last_error.clone().unwrap();
    assert!(
        reason.contains(&format!("SMTP 127.0.0.1:{closed}")),
        "{reason}"
    );
    assert!(!reason.contains("d@example.com"));
    assert_eq!(
        row.next_attempt_at,
        store.now_ms() + 30_000,
        "first retry after 30 s"
    );
    assert_eq!(
        worker::run_once(&n).await.unwrap(),
        0,
        "waits for its backoff"
    );
    advance(&store, 1);
    worker::run_once(&n).await.unwrap();
    let row = &outbox(&store, tenant).await[0];
    assert_eq!(row.attempts, 2);
    assert_eq!(
        row.next_attempt_at,
        store.now_ms() + 60_000,
        "the delay doubles"
    );
    // The owner fixes the server: the message goes out on its next attempt.
    store
        .save_notification_settings(
            tenant,
            &StoredSettings {
                reminder_hours: 0,
                ..settings(sink.port)
            },
        )
        .await
        .unwrap();
    advance(&store, 2);
    worker::run_once(&n).await.unwrap();
    let row = &outbox(&store, tenant).await[0];
    assert_eq!(row.status, OutboxStatus::Sent);
    assert_eq!(row.last_error, None);
    assert_eq!(sink.messages().len(), 1);
}

#[tokio::test]
async fn a_cancelled_appointments_reminder_is_not_sent_and_a_moved_one_is_reminded_anew() {
    let sink = Sink::start().await;
    let (store, _dir, tenant, service, staff) = business().await;
    store
        .save_notification_settings(tenant, &settings(sink.port))
        .await
        .unwrap();
    let kept = book(
        &store,
        tenant,
        service,
        staff,
        "2027-03-11T09:00:00Z",
        "+4915100000001",
        Some("kept@example.com"),
    )
    .await;
    let gone = book(
        &store,
        tenant,
        service,
        staff,
        "2027-03-11T10:00:00Z",
        "+4915100000002",
        Some("gone@example.com"),
    )
    .await;
    let moved = book(
        &store,
        tenant,
        service,
        staff,
        "2027-03-11T11:00:00Z",
        "+4915100000003",
        Some("moved@example.com"),
    )
    .await;
    store
        .cancel_appointment(tenant, gone, "customer called", "admin:test", None)
        .await
        .unwrap();
    let to = common::ms("2027-03-12T11:00:00Z");
    store
        .move_appointment(
            tenant,
            moved,
            &Placement {
                staff_id: staff,
                starts_at: to,
                ends_at: to + 1_800_000,
                block_start: to,
                block_end: to + 1_800_000,
            },
            "admin:test",
            None,
        )
        .await
        .unwrap();
    let n = Notifier::new(store.clone(), &SECRET, PUBLIC);
    worker::run_once(&n).await.unwrap();
    let subjects = |got: &[Received]| -> Vec<(String, String)> {
        got.iter()
            .map(|m| (m.rcpt[0].clone(), header(&m.data, "Subject").unwrap()))
            .collect()
    };
    let now = subjects(&sink.messages());
    assert_eq!(
        now.len(),
        5,
        "three confirmations, a cancellation, a move: {now:?}"
    );
    assert!(now.contains(&(
        "<gone@example.com>".into(),
        "Ihr Termin am Donnerstag, 11.03.2027 um 11:00 wurde abgesagt".into()
    )));
    assert!(now.contains(&(
        "<moved@example.com>".into(),
        "Ihr Termin wurde verlegt: Freitag, 12.03.2027 um 12:00".into()
    )));
    // A day and three hours later the reminders of the 11th are due; the cancelled and the
    // moved appointment's old one stay withdrawn.
    advance(&store, 24 * 60 + 180);
    worker::run_once(&n).await.unwrap();
    let later = subjects(&sink.messages()[5..]);
    assert_eq!(
        later,
        [(
            "<kept@example.com>".to_owned(),
            "Erinnerung: Ihr Termin am Donnerstag, 11.03.2027 um 10:00".to_owned()
        )],
        "only the kept appointment is reminded on the 10th"
    );
    advance(&store, 24 * 60);
    worker::run_once(&n).await.unwrap();
    let last = subjects(&sink.messages()[6..]);
    assert_eq!(
        last,
        [(
            "<moved@example.com>".to_owned(),
            "Erinnerung: Ihr Termin am Freitag, 12.03.2027 um 12:00".to_owned()
        )]
    );
    let withdrawn: Vec<OutboxRow> = outbox(&store, tenant)
        .await
        .into_iter()
        .filter(|r| r.status == OutboxStatus::Cancelled)
        .collect();
    assert_eq!(
        withdrawn.len(),
        2,
        "the cancelled and the moved appointment's first reminders"
    );
    assert!(withdrawn
        .iter()
        .all(|r| r.appointment_id == gone || r.appointment_id == moved));
    assert!(withdrawn
        .iter()
        .all(|r| r.last_error.as_deref().unwrap().starts_with("superseded")));
    let _ = kept;
}

#[tokio::test]
async fn the_opt_out_link_stops_every_later_message_to_that_address() {
    let sink = Sink::start().await;
    let app = spawn_app().await;
    let (tenant, anna, _) = salon(&app).await;
    let store = &app.store;
    store
        .save_notification_settings(tenant, &settings(sink.port))
        .await
        .unwrap();
    let service: i64 =
        sqlx::query_scalar::<_, i64>("SELECT id FROM services WHERE name = 'Herrenhaarschnitt'")
            .fetch_one(store.pool())
            .await
            .unwrap();
    let id = book(
        store,
        tenant,
        service,
        anna,
        "2027-03-11T09:00:00Z",
        "+4915100000009",
        Some("Opt@Example.com"),
    )
    .await;
    let mut waited = 0;
    while sink.messages().is_empty() && waited < 100 {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        waited += 1;
    }
    let m = &sink.messages()[0];
    let link = header(&m.data, "List-Unsubscribe").unwrap();
    let link = link
        .trim_matches(['<', '>'])
        .replace("https://slotline.test", &app.base);
    // A GET (a link scanner) changes nothing; it shows a button.
    let page = app.client.get(&link).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page
        .text()
        .await
        .unwrap()
        .contains("<form method=\"post\">"));
    assert!(!store
        .is_opted_out(tenant, app::contract::Channel::Email, "opt@example.com")
        .await
        .unwrap());
    let forged = app.client.post(format!("{link}00")).send().await.unwrap();
    assert_eq!(forged.status(), 404, "a changed token is refused");
    let done = app.client.post(&link).send().await.unwrap();
    assert_eq!(done.status(), 200);
    assert!(done.text().await.unwrap().contains("Abgemeldet"));
    let reminder = outbox(store, tenant)
        .await
        .into_iter()
        .find(|r| r.kind == app::contract::NotificationKind::Reminder)
        .unwrap();
    assert_eq!(
        reminder.status,
        OutboxStatus::Cancelled,
        "the waiting reminder is withdrawn"
    );
    assert_eq!(reminder.last_error.as_deref(), Some("recipient opted out"));
    store
        .cancel_appointment(tenant, id, "changed plans", "admin:test", None)
        .await
        .unwrap();
    let rows = outbox(store, tenant).await;
    assert_eq!(
        rows.len(),
        2,
        "no cancellation message to an opted-out address: {rows:?}"
    );
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    assert_eq!(sink.messages().len(), 1);
}

#[tokio::test]
async fn staff_read_the_outbox_and_settings_owners_change_them_and_secrets_stay_hidden() {
    let app = spawn_app().await;
    let (tenant, owner, staff) = app.bare_tenant("praxis").await;
    let input = json!({"email_enabled": true, "smtp_host": "smtp.example.com", "smtp_port": 587,
        "smtp_tls": "starttls", "smtp_user": "praxis", "smtp_password": "pa55-word-secret",
        "from_address": "Praxis <termine@praxis.test>", "reminder_hours": 12,
        "sms_enabled": false, "sms_url": "", "sms_token": null});
    let refused = app
        .rpc_as(&staff, "notifications.settings.set", input.clone())
        .await;
    assert_eq!(refused["error"]["code"], -32002, "{refused}");
    let (saved, text) = app
        .rpc_text(&owner, "notifications.settings.set", input.clone())
        .await;
    assert_eq!(saved["result"]["smtp_password_set"], true, "{saved}");
    assert!(!text.contains("pa55-word-secret"));
    let (got, text) = app
        .rpc_text(&staff, "notifications.settings.get", json!({}))
        .await;
    assert_eq!(got["result"]["smtp_host"], "smtp.example.com");
    assert_eq!(got["result"]["reminder_hours"], 12);
    assert!(!text.contains("pa55-word-secret"));
    let sealed = app
        .store
        .notification_settings(tenant)
        .await
        .unwrap()
        .smtp_password_sealed
        .unwrap();
    assert!(!sealed.contains("pa55-word-secret"), "stored encrypted");
    // Keeping the password: leave it out.
    let mut keep = input.clone();
    keep.as_object_mut().unwrap().remove("smtp_password");
    let kept = app.rpc_as(&owner, "notifications.settings.set", keep).await;
    assert_eq!(kept["result"]["smtp_password_set"], true);
    let mut bad = input.clone();
    bad["from_address"] = json!("not an address");
    let bad = app.rpc_as(&owner, "notifications.settings.set", bad).await;
    assert_eq!(bad["error"]["data"]["field"], "from_address", "{bad}");
    let mut bad = input;
    bad["sms_enabled"] = json!(true);
    bad["sms_url"] = json!("http://sms.example.com/send");
    let bad = app.rpc_as(&owner, "notifications.settings.set", bad).await;
    assert_eq!(bad["error"]["data"]["field"], "sms_url", "{bad}");
    let list = app
        .rpc_as(&staff, "notifications.outbox.list", json!({}))
        .await;
    assert_eq!(list["result"], json!([]), "{list}");
    let resend = app
        .rpc_as(&staff, "notifications.outbox.resend", json!({"id": 1}))
        .await;
    assert_eq!(resend["error"]["code"], -32002);
}

#[tokio::test]
async fn templates_preview_and_save_with_their_placeholders_checked() {
    let app = spawn_app().await;
    let (_, owner, staff) = app.bare_tenant("praxis").await;
    let all = app
        .rpc_as(&staff, "notifications.templates.get", json!({}))
        .await;
    assert_eq!(
        all["result"].as_array().unwrap().len(),
        8,
        "four kinds in two languages"
    );
    assert_eq!(all["result"][0]["is_default"], true);
    let edit = json!({"kind": "booked", "language": "en", "subject": "Booked: {service} on {date}",
        "body": "Dear {customer},\nsee you at {time} <3"});
    let preview = app
        .rpc_as(&staff, "notifications.templates.preview", edit.clone())
        .await;
    assert_eq!(
        preview["result"]["subject"], "Booked: Haarschnitt on Wednesday, 10 March 2027",
        "{preview}"
    );
    assert!(preview["result"]["text"]
        .as_str()
        .unwrap()
        .starts_with("Dear Eva Muster,\nsee you at 10:00 <3"));
    assert!(preview["result"]["html"]
        .as_str()
        .unwrap()
        .contains("see you at 10:00 &lt;3"));
    let unknown = app
        .rpc_as(
            &owner,
            "notifications.templates.set",
            json!({"kind": "booked", "language": "en",
            "subject": "Hi {nme}", "body": "x"}),
        )
        .await;
    assert_eq!(unknown["error"]["data"]["field"], "subject");
    assert!(unknown["error"]["message"]
        .as_str()
        .unwrap()
        .contains("{nme}"));
    let refused = app
        .rpc_as(&staff, "notifications.templates.set", edit.clone())
        .await;
    assert_eq!(refused["error"]["code"], -32002);
    let saved = app
        .rpc_as(&owner, "notifications.templates.set", edit)
        .await;
    assert_eq!(saved["result"]["is_default"], false, "{saved}");
    let reset = app
        .rpc_as(
            &owner,
            "notifications.templates.set",
            json!({"kind": "booked", "language": "en",
            "subject": "", "body": ""}),
        )
        .await;
    assert_eq!(reset["result"]["is_default"], true);
}

/// What the fake SMS provider received: (Authorization header, JSON body).
type Texts = std::sync::Arc<std::sync::Mutex<Vec<(String, serde_json::Value)>>>;

/// A fake SMS provider: answers 503 to its first request, 200 afterwards.
async fn sms_provider() -> (u16, Texts) {
    use axum::extract::State;
    use axum::http::{HeaderMap, StatusCode};
    let got: Texts = Default::default();
    let router = axum::Router::new()
        .route(
            "/send",
            axum::routing::post(
                |State(got): State<Texts>,
                 headers: HeaderMap,
                 axum::Json(body): axum::Json<serde_json::Value>| async move {
                    let auth = headers
                        .get("authorization")
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or_default()
                        .to_owned();
                    let mut list = got.lock().unwrap();
                    list.push((auth, body));
                    if list.len() == 1 {
                        StatusCode::SERVICE_UNAVAILABLE
                    } else {
                        StatusCode::OK
                    }
                },
            ),
        )
        .with_state(got.clone());
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move { axum::serve(listener, router).await });
    (port, got)
}

#[tokio::test]
async fn text_messages_go_to_the_provider_with_its_token_and_are_retried() {
    let (port, texts) = sms_provider().await;
    let (store, _dir, tenant, service, staff) = business().await;
    let secrets = slotline::crypto::SecretBox::new(&SECRET);
    store
        .save_notification_settings(
            tenant,
            &StoredSettings {
                reminder_hours: 0,
                sms_enabled: true,
                sms_url: format!("http://127.0.0.1:{port}/send"),
                sms_token_sealed: Some(secrets.seal_for(tenant, "sms-token-1")),
                ..StoredSettings::default()
            },
        )
        .await
        .unwrap();
    book(
        &store,
        tenant,
        service,
        staff,
        "2027-03-10T09:00:00Z",
        "+4915100000077",
        None,
    )
    .await;
    let rows = outbox(&store, tenant).await;
    assert_eq!(rows.len(), 1, "e-mail is off, SMS on: {rows:?}");
    assert_eq!(rows[0].channel, app::contract::Channel::Sms);
    let n = Notifier::new(store.clone(), &SECRET, PUBLIC);
    worker::run_once(&n).await.unwrap();
    let row = &outbox(&store, tenant).await[0];
    assert_eq!(row.status, OutboxStatus::Pending);
    assert_eq!(
        row.last_error.as_deref(),
        Some("SMS provider answered HTTP 503")
    );
    advance(&store, 1);
    worker::run_once(&n).await.unwrap();
    let row = &outbox(&store, tenant).await[0];
    assert_eq!(row.status, OutboxStatus::Sent);
    let got = texts.lock().unwrap().clone();
    assert_eq!(got.len(), 2, "one failed and one delivered request");
    let (auth, body) = &got[1];
    assert_eq!(auth, "Bearer sms-token-1");
    assert_eq!(body["to"], "+4915100000077");
    let text = body["text"].as_str().unwrap();
    assert!(
        text.starts_with("Ihr Termin am Mittwoch, 10.03.2027 um 10:00 ist gebucht\nhttps://slotline.test/notifications/opt-out/m"),
        "{text}"
    );
}

#[tokio::test]
async fn finished_messages_are_deleted_after_the_retention_period_waiting_ones_stay() {
    let sink = Sink::start().await;
    let (store, _dir, tenant, service, staff) = business().await;
    store
        .save_notification_settings(tenant, &settings(sink.port))
        .await
        .unwrap();
    // Far ahead: its reminder is still waiting when the confirmation's time is up.
    book(
        &store,
        tenant,
        service,
        staff,
        "2027-09-01T09:00:00Z",
        "+4915100000005",
        Some("r@example.com"),
    )
    .await;
    let n = Notifier::new(store.clone(), &SECRET, PUBLIC);
    worker::run_once(&n).await.unwrap();
    assert_eq!(sink.messages().len(), 1);
    let day = 86_400_000;
    let early = slotline::retention::run_once(&store, store.now_ms() + 89 * day, 90)
        .await
        .unwrap();
    assert_eq!(early.notifications, 0, "kept for the retention period");
    let report = slotline::retention::run_once(&store, store.now_ms() + 91 * day, 90)
        .await
        .unwrap();
    assert_eq!(report.notifications, 1);
    let left = outbox(&store, tenant).await;
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].kind, app::contract::NotificationKind::Reminder);
    assert_eq!(left[0].status, OutboxStatus::Pending);
}
