//! The HTTP surface of the foundation: health, readiness, admin sign-in, sessions, tenant
//! settings through the UI's server functions, and tenant isolation.

mod common;

use common::spawn_app;
use serde_json::Value;

#[tokio::test]
async fn healthz_and_readyz_report_a_migrated_database() {
    let app = spawn_app().await;
    let health = app
        .client
        .get(format!("{}/healthz", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
    let ready = app
        .client
        .get(format!("{}/readyz", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(ready.status(), 200);
    let body: Value = ready.json().await.unwrap();
    assert_eq!(body["status"], "ready");
    assert_eq!(
        body["migrations"]["applied"],
        body["migrations"]["expected"]
    );
}

#[tokio::test]
async fn readyz_is_503_while_migrations_are_pending() {
    let app = spawn_app().await;
    // Mark the applied migration as failed: the schema is no longer current.
    sqlx::query("UPDATE _sqlx_migrations SET success = FALSE")
        .execute(app.store.pool())
        .await
        .unwrap();
    let ready = app
        .client
        .get(format!("{}/readyz", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(ready.status(), 503);
    let body: Value = ready.json().await.unwrap();
    assert_eq!(body["status"], "not_ready");
    assert!(body["reason"]
        .as_str()
        .unwrap()
        .contains("slotline migrate"));
}

#[tokio::test]
async fn admin_pages_redirect_anonymous_browsers_to_login() {
    let app = spawn_app().await;
    let res = app
        .client
        .get(format!("{}/admin", app.base))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 302);
    assert_eq!(res.headers()["location"], "/admin/login");
    let login = app
        .client
        .get(format!("{}/admin/login", app.base))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 200);
    assert!(
        login
            .text()
            .await
            .unwrap()
            .contains("Bei Slotline anmelden"),
        "German without a language cookie"
    );
}

#[tokio::test]
async fn sign_in_sets_an_http_only_session_and_renders_the_dashboard() {
    let app = spawn_app().await;
    app.tenant("salon", "Salon Eins", "+493011111111").await;
    app.admin("salon", "Owner@Salon.de", "long-enough-pw").await;

    let res = app
        .ui(
            "login",
            None,
            &[("email", "owner@salon.de"), ("password", "long-enough-pw")],
        )
        .await;
    assert_eq!(res.status(), 200);
    let set_cookie = res.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(set_cookie.contains("HttpOnly"));
    assert!(set_cookie.contains("SameSite=Strict"));
    assert!(
        set_cookie.contains("Secure"),
        "https public URL → Secure cookie"
    );
    let cookie = set_cookie.split(';').next().unwrap().to_owned();

    let page = app
        .client
        .get(format!("{}/admin", app.base))
        .header("accept", "text/html")
        .header("cookie", format!("{cookie}; slotline_lang=en"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("Salon Eins"), "dashboard shows the tenant");
    assert!(html.contains("https://slotline.test/api/webhooks/retell"));

    let me: Value = app
        .ui("whoami", Some(&cookie), &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["email"], "owner@salon.de");
    assert_eq!(me["role"], "owner");

    // Sign out: the same cookie no longer works.
    assert_eq!(app.ui("logout", Some(&cookie), &[]).await.status(), 200);
    let after = app.ui("whoami", Some(&cookie), &[]).await;
    assert_ne!(after.status(), 200);
    let err: Value = after.json().await.unwrap();
    assert_eq!(err, Value::String("Unauthorized".into()));
}

#[tokio::test]
async fn wrong_password_and_unknown_email_get_the_same_refusal() {
    let app = spawn_app().await;
    app.tenant("salon", "Salon Eins", "+493011111111").await;
    app.admin("salon", "owner@salon.de", "long-enough-pw").await;
    for (email, pw) in [
        ("owner@salon.de", "wrong-password"),
        ("nobody@salon.de", "long-enough-pw"),
    ] {
        let res = app
            .ui("login", None, &[("email", email), ("password", pw)])
            .await;
        assert_ne!(res.status(), 200);
        assert!(res.headers().get("set-cookie").is_none());
        let body = res.text().await.unwrap();
        assert!(body.contains("e-mail or password is wrong"), "{body}");
    }
    let res = app
        .ui(
            "login",
            None,
            &[("email", "not-an-email"), ("password", "x")],
        )
        .await;
    assert!(res.text().await.unwrap().contains("valid e-mail"));
}

#[tokio::test]
async fn settings_are_validated_and_scoped_to_the_admins_tenant() {
    let app = spawn_app().await;
    let a = app.tenant("salon-a", "Salon A", "+493011111111").await;
    let b = app.tenant("salon-b", "Salon B", "+493022222222").await;
    app.admin("salon-a", "a@salon.de", "long-enough-pw").await;
    let cookie = app.login("a@salon.de", "long-enough-pw").await;

    let bad = app
        .ui(
            "tenant_update",
            Some(&cookie),
            &[
                ("update[name]", "Salon A"),
                ("update[time_zone]", "Mars/Olympus"),
                ("update[locale]", "de"),
            ],
        )
        .await;
    assert_ne!(bad.status(), 200);
    let body: Value = bad.json().await.unwrap();
    assert_eq!(body["Rejected"]["field"], "time_zone");
    assert!(body["Rejected"]["message"]
        .as_str()
        .unwrap()
        .contains("IANA"));
    assert_eq!(
        app.store.tenant_by_id(a).await.unwrap().unwrap().time_zone,
        "Europe/Berlin"
    );

    let good = app
        .ui(
            "tenant_update",
            Some(&cookie),
            &[
                ("update[name]", "Salon A+"),
                ("update[time_zone]", "Europe/Vienna"),
                ("update[locale]", "en"),
            ],
        )
        .await;
    assert_eq!(good.status(), 200);
    let settings: Value = good.json().await.unwrap();
    assert_eq!(settings["id"], a);
    assert_eq!(settings["time_zone"], "Europe/Vienna");

    let stored_a = app.store.tenant_by_id(a).await.unwrap().unwrap();
    assert_eq!(
        (stored_a.name.as_str(), stored_a.locale.as_str()),
        ("Salon A+", "en")
    );
    let stored_b = app.store.tenant_by_id(b).await.unwrap().unwrap();
    assert_eq!(stored_b.name, "Salon B", "the other tenant is untouched");

    let seen: Value = app
        .ui("tenant_get", Some(&cookie), &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(seen["phone_numbers"][0]["e164"], "+493011111111");
    assert_eq!(seen["phone_numbers"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn server_functions_refuse_anonymous_callers() {
    let app = spawn_app().await;
    app.tenant("salon", "Salon Eins", "+493011111111").await;
    for endpoint in ["whoami", "dashboard", "tenant_get"] {
        let res = app.ui(endpoint, None, &[]).await;
        assert_ne!(res.status(), 200, "{endpoint}");
        let forged = app.ui(endpoint, Some("slotline_session=forged"), &[]).await;
        assert_ne!(forged.status(), 200, "{endpoint} with a forged cookie");
    }
}
