//! The admin UI's language: German by default, remembered per admin (admin.setLanguage), the
//! language cookie set at sign-in from that choice, and the server-rendered page in the
//! language the cookie names. Runs on SQLite and (in make test) on PostgreSQL.

mod common;

use common::spawn_app;
use serde_json::json;

/// The `slotline_lang` value a response sets, if any.
fn language_cookie(res: &reqwest::Response) -> Option<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix("slotline_lang="))
        .map(|v| v.split(';').next().unwrap_or_default().to_owned())
}

#[tokio::test]
async fn the_language_is_remembered_per_admin_and_set_at_sign_in() {
    let app = spawn_app().await;
    let (_, owner, staff) = app.bare_tenant("praxis").await;

    let me = app.rpc_as(&owner, "admin.whoami", json!({})).await;
    assert_eq!(me["result"]["language"], "de", "German by default: {me}");

    let set = app
        .rpc_as(&owner, "admin.setLanguage", json!({"language": "en"}))
        .await;
    assert_eq!(set["result"]["language"], "en", "{set}");
    let me = app.rpc_as(&owner, "admin.whoami", json!({})).await;
    assert_eq!(me["result"]["language"], "en");
    let colleague = app.rpc_as(&staff, "admin.whoami", json!({})).await;
    assert_eq!(
        colleague["result"]["language"], "de",
        "one admin's choice is not the other's"
    );

    // Signing in on another device brings the choice along in the language cookie.
    let res = app
        .ui(
            "login",
            None,
            &[
                ("email", "owner@praxis.test"),
                ("password", "owner password 1"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(language_cookie(&res).as_deref(), Some("en"));
    let res = app
        .ui(
            "login",
            None,
            &[
                ("email", "staff@praxis.test"),
                ("password", "staff password 1"),
            ],
        )
        .await;
    assert_eq!(language_cookie(&res).as_deref(), Some("de"));
}

#[tokio::test]
async fn an_unknown_language_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let (_, owner, _) = app.bare_tenant("praxis").await;
    for bad in [
        json!({"language": "fr"}),
        json!({"language": ""}),
        json!({}),
    ] {
        let res = app.rpc_as(&owner, "admin.setLanguage", bad.clone()).await;
        assert_eq!(res["error"]["code"], -32602, "{bad}: {res}");
    }
    let me = app.rpc_as(&owner, "admin.whoami", json!({})).await;
    assert_eq!(me["result"]["language"], "de");
    let anonymous = app
        .rpc_raw(
            r#"{"jsonrpc":"2.0","id":1,"method":"admin.setLanguage","params":{"language":"en"}}"#,
            None,
        )
        .await;
    assert_eq!(anonymous.1["error"]["code"], -32001, "{:?}", anonymous.1);
}

#[tokio::test]
async fn the_page_is_rendered_in_the_cookies_language_and_german_without_one() {
    let app = spawn_app().await;
    let page = |cookie: Option<&'static str>| {
        let mut req = app.client.get(format!("{}/admin/login", app.base));
        if let Some(c) = cookie {
            req = req.header("cookie", c);
        }
        async move { req.send().await.unwrap().text().await.unwrap() }
    };
    let german = page(None).await;
    assert!(german.contains(r#"lang="de""#), "{german}");
    assert!(german.contains("Bei Slotline anmelden"), "{german}");
    assert!(!german.contains("Sign in to Slotline"));

    let english = page(Some("slotline_lang=en")).await;
    assert!(english.contains(r#"lang="en""#), "{english}");
    assert!(english.contains("Sign in to Slotline"));

    let unknown = page(Some("slotline_lang=xx")).await;
    assert!(
        unknown.contains("Bei Slotline anmelden"),
        "an unknown cookie falls back to German"
    );
}

#[tokio::test]
async fn a_signed_in_page_renders_in_german_without_a_language_cookie() {
    let app = spawn_app().await;
    let (_, owner, _) = app.bare_tenant("praxis").await;
    let res = tokio::time::timeout(
        std::time::Duration::from_secs(20),
        app.client
            .get(format!("{}/admin", app.base))
            .header("accept", "text/html")
            .header("cookie", &owner)
            .send(),
    )
    .await
    .expect("the dashboard answers")
    .unwrap();
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains(r#"lang="de""#), "{html}");
    assert!(
        html.contains("Anrufe pro Tag") || html.contains("Ihr Telefonagent"),
        "{html}"
    );
}
