//! Platform admins and users (issue #13): tenants created, renamed, suspended and resumed by a
//! platform admin; users added with a first password or an invitation link; owners managing
//! only their own tenant's users; own password changes; switching into a tenant (audited);
//! what a suspended tenant's users, tokens and phone agent get. Runs on SQLite and (in make
//! test) on PostgreSQL.

mod common;

use common::salon::{call, salon, CALLER, KEY};
use common::{sign_now, spawn_app, TestApp};
use serde_json::{json, Value};

const ROOT: &str = "root@platform.test";
const ROOT_PW: &str = "platform password 1";

/// A platform admin's session cookie.
async fn platform_admin(app: &TestApp) -> String {
    slotline::cli::create_platform_admin(&app.store, ROOT, ROOT_PW)
        .await
        .expect("platform admin created");
    app.login(ROOT, ROOT_PW).await
}

/// The result of a call, failing the test with the error.
fn ok(response: &Value) -> &Value {
    assert!(response["error"].is_null(), "unexpected error: {response}");
    &response["result"]
}

/// The error code of a call.
fn code(response: &Value) -> i64 {
    response["error"]["code"]
        .as_i64()
        .unwrap_or_else(|| panic!("expected an error: {response}"))
}

/// Asserts -32602 naming `field`.
fn invalid(response: &Value, field: &str) {
    assert_eq!(code(response), -32602, "{response}");
    assert_eq!(response["error"]["data"]["field"], field, "{response}");
}

/// Signs in over the UI's login route; returns the status and the body.
async fn try_login(app: &TestApp, email: &str, password: &str) -> (u16, String) {
    let res = app
        .ui("login", None, &[("email", email), ("password", password)])
        .await;
    (res.status().as_u16(), res.text().await.unwrap())
}

#[tokio::test]
async fn platform_admins_create_rename_suspend_and_resume_tenants() {
    let app = spawn_app().await;
    let root = platform_admin(&app).await;
    let created = app
        .rpc_as(
            &root,
            "platform.tenants.create",
            json!({"name": "Friseur Müller"}),
        )
        .await;
    let t = ok(&created);
    assert_eq!(t["slug"], "friseur-mueller");
    assert_eq!(t["time_zone"], "Europe/Berlin");
    assert_eq!(t["locale"], "de", "German by default");
    assert_eq!(t["suspended"], false);
    assert_eq!(t["users"], 0);
    let id = t["id"].as_i64().unwrap();

    let other = app
        .rpc_as(
            &root,
            "platform.tenants.create",
            json!({"name": "Dental London", "slug": "dental-london", "time_zone": "Europe/London", "locale": "en"}),
        )
        .await;
    assert_eq!(ok(&other)["locale"], "en");

    for (params, field) in [
        (
            json!({"name": "X", "time_zone": "Mars/Olympus"}),
            "time_zone",
        ),
        (json!({"name": "X", "time_zone": ""}), "time_zone"),
        (json!({"name": "X", "locale": "fr"}), "locale"),
        (json!({"name": "   "}), "name"),
        (json!({"name": "X", "slug": "Not A Slug"}), "slug"),
        (json!({"name": "Friseur Müller"}), "slug"),
        (json!({"time_zone": "Europe/Berlin"}), "name"),
    ] {
        let refused = app.rpc_as(&root, "platform.tenants.create", params).await;
        invalid(&refused, field);
    }

    let list = app.rpc_as(&root, "platform.tenants.list", json!({})).await;
    let names: Vec<&str> = ok(&list)
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Dental London", "Friseur Müller"]);

    let renamed = app
        .rpc_as(
            &root,
            "platform.tenants.rename",
            json!({"tenant_id": id, "name": "Friseur Müller & Töchter"}),
        )
        .await;
    assert_eq!(ok(&renamed)["name"], "Friseur Müller & Töchter");
    assert_eq!(ok(&renamed)["slug"], "friseur-mueller", "the slug stays");
    let missing = app
        .rpc_as(
            &root,
            "platform.tenants.rename",
            json!({"tenant_id": 9999, "name": "Y"}),
        )
        .await;
    assert_eq!(code(&missing), -32003);

    let suspended = app
        .rpc_as(&root, "platform.tenants.suspend", json!({"tenant_id": id}))
        .await;
    assert_eq!(ok(&suspended)["suspended"], true);
    assert_eq!(ok(&suspended)["suspended_local"], "2027-03-09 10:00");
    let resumed = app
        .rpc_as(&root, "platform.tenants.resume", json!({"tenant_id": id}))
        .await;
    assert_eq!(ok(&resumed)["suspended"], false);

    let audit = app
        .rpc_as(&root, "platform.audit.list", json!({"tenant_id": id}))
        .await;
    let actions: Vec<&str> = ok(&audit)
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "platform.tenants.resume",
            "platform.tenants.suspend",
            "platform.tenants.rename",
            "platform.tenants.create"
        ]
    );
    assert!(ok(&audit)
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["actor"] == ROOT));
    let bad = app
        .rpc_as(&root, "platform.audit.list", json!({"limit": 0}))
        .await;
    invalid(&bad, "limit");
}

#[tokio::test]
async fn users_are_added_with_a_first_password_or_a_one_time_invitation() {
    let app = spawn_app().await;
    let root = platform_admin(&app).await;
    let t = app
        .rpc_as(
            &root,
            "platform.tenants.create",
            json!({"name": "Praxis Licht"}),
        )
        .await;
    let tenant = ok(&t)["id"].as_i64().unwrap();

    let added = app
        .rpc_as(
            &root,
            "platform.users.add",
            json!({"tenant_id": tenant, "email": "Owner@Licht.test", "role": "owner", "mode": "password"}),
        )
        .await;
    let added = ok(&added);
    assert_eq!(added["email"], "owner@licht.test");
    let password = added["password"].as_str().unwrap().to_owned();
    assert!(password.len() >= 10, "a first password: {password}");
    assert!(added["invitation_url"].is_null());
    let owner = app.login("owner@licht.test", &password).await;
    let me = app.rpc_as(&owner, "admin.whoami", json!({})).await;
    assert_eq!(ok(&me)["tenant_id"], tenant);
    assert_eq!(ok(&me)["role"], "owner");
    assert_eq!(ok(&me)["platform"], false);

    // The same e-mail cannot be used twice, nor can a bad one.
    let again = app
        .rpc_as(
            &owner,
            "users.add",
            json!({"email": "owner@licht.test", "role": "staff", "mode": "invite"}),
        )
        .await;
    invalid(&again, "email");
    let bad = app
        .rpc_as(
            &owner,
            "users.add",
            json!({"email": "not-an-address", "role": "staff", "mode": "invite"}),
        )
        .await;
    invalid(&bad, "email");
    let bad_role = app
        .rpc_as(
            &owner,
            "users.add",
            json!({"email": "x@licht.test", "role": "platform", "mode": "invite"}),
        )
        .await;
    invalid(&bad_role, "role");

    let invited = app
        .rpc_as(
            &owner,
            "users.add",
            json!({"email": "staff@licht.test", "role": "staff", "mode": "invite"}),
        )
        .await;
    let url = ok(&invited)["invitation_url"].as_str().unwrap().to_owned();
    assert!(
        url.starts_with("https://slotline.test/admin/invite/"),
        "{url}"
    );
    assert_eq!(
        ok(&invited)["expires_local"],
        "2027-03-12 10:00",
        "72 hours"
    );
    assert!(ok(&invited)["password"].is_null());
    let token = url.rsplit('/').next().unwrap().to_owned();

    let users = app.rpc_as(&owner, "users.list", json!({})).await;
    assert_eq!(ok(&users)["users"].as_array().unwrap().len(), 1);
    assert_eq!(ok(&users)["users"][0]["you"], true);
    assert_eq!(ok(&users)["invitations"][0]["email"], "staff@licht.test");

    let preview = app
        .rpc_as(&owner, "admin.invitation.get", json!({"token": token}))
        .await;
    assert_eq!(ok(&preview)["email"], "staff@licht.test");
    assert_eq!(ok(&preview)["tenant_name"], "Praxis Licht");
    let short = app
        .rpc_raw(&json!({"jsonrpc": "2.0", "id": 1, "method": "admin.invitation.accept", "params": {"token": token, "password": "short"}}).to_string(), None)
        .await
        .1;
    invalid(&short, "password");
    let accepted = app
        .rpc_raw(&json!({"jsonrpc": "2.0", "id": 1, "method": "admin.invitation.accept", "params": {"token": token, "password": "staff chose this 1"}}).to_string(), None)
        .await
        .1;
    assert_eq!(ok(&accepted)["admin"]["role"], "staff");
    assert!(ok(&accepted)["token"].as_str().unwrap().len() == 64);
    app.login("staff@licht.test", "staff chose this 1").await;
    let twice = app
        .rpc_raw(&json!({"jsonrpc": "2.0", "id": 1, "method": "admin.invitation.accept", "params": {"token": token, "password": "another one 12"}}).to_string(), None)
        .await
        .1;
    assert_eq!(code(&twice), -32003, "one time only: {twice}");

    // An invitation expires after 72 hours.
    let late = app
        .rpc_as(
            &owner,
            "users.add",
            json!({"email": "late@licht.test", "role": "staff", "mode": "invite"}),
        )
        .await;
    let late_token = ok(&late)["invitation_url"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();
    app.config
        .clock
        .advance(jiff::SignedDuration::from_hours(73));
    let expired = app
        .rpc_raw(&json!({"jsonrpc": "2.0", "id": 1, "method": "admin.invitation.accept", "params": {"token": late_token, "password": "too late for me 1"}}).to_string(), None)
        .await
        .1;
    assert_eq!(code(&expired), -32003, "{expired}");
    assert!(app
        .store
        .admin_by_email("late@licht.test")
        .await
        .unwrap()
        .is_none());
}

#[tokio::test]
async fn only_platform_admins_reach_platform_methods() {
    let app = spawn_app().await;
    let (tenant, owner, staff) = app.bare_tenant("alpha").await;
    let token = app.token("alpha").await;
    let calls = [
        ("platform.tenants.list", json!({})),
        ("platform.tenants.create", json!({"name": "Sneaky"})),
        (
            "platform.tenants.rename",
            json!({"tenant_id": tenant, "name": "Sneaky"}),
        ),
        ("platform.tenants.suspend", json!({"tenant_id": tenant})),
        ("platform.tenants.resume", json!({"tenant_id": tenant})),
        ("platform.tenants.switch", json!({"tenant_id": tenant})),
        ("platform.tenants.leave", json!({})),
        ("platform.audit.list", json!({})),
        ("platform.users.list", json!({"tenant_id": tenant})),
        (
            "platform.users.add",
            json!({"tenant_id": tenant, "email": "x@y.test", "role": "owner", "mode": "password"}),
        ),
    ];
    for (method, params) in &calls {
        for cookie in [&owner, &staff] {
            let refused = app.rpc_as(cookie, method, params.clone()).await;
            assert_eq!(code(&refused), -32002, "{method}: {refused}");
        }
        let body =
            json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}).to_string();
        let (_, by_token) = app.rpc_raw(&body, Some(&token)).await;
        assert_eq!(code(&by_token), -32002, "{method} by token: {by_token}");
        let (_, anonymous) = app.rpc_raw(&body, None).await;
        assert_eq!(code(&anonymous), -32001, "{method} anonymous: {anonymous}");
    }
    let list = app.rpc_as(&owner, "platform.tenants.list", json!({})).await;
    assert!(list["error"]["message"]
        .as_str()
        .unwrap()
        .contains("platform admins only"));
    // Staff cannot manage users either; tokens cannot.
    let staff_list = app.rpc_as(&staff, "users.list", json!({})).await;
    assert_eq!(code(&staff_list), -32002);
    let (_, token_list) = app
        .rpc_raw(
            &json!({"jsonrpc": "2.0", "id": 1, "method": "users.list"}).to_string(),
            Some(&token),
        )
        .await;
    assert_eq!(code(&token_list), -32002);
    assert_eq!(
        app.store
            .platform_tenant(tenant)
            .await
            .unwrap()
            .unwrap()
            .suspended_at,
        None
    );
}

#[tokio::test]
async fn an_owner_manages_only_the_own_tenants_users() {
    let app = spawn_app().await;
    let (_a, owner_a, _staff_a) = app.bare_tenant("alpha").await;
    let (b, owner_b, _staff_b) = app.bare_tenant("beta").await;
    let users_a = app.rpc_as(&owner_a, "users.list", json!({})).await;
    let staff_a_id = ok(&users_a)["users"][1]["id"].as_i64().unwrap();
    let owner_a_id = ok(&users_a)["users"][0]["id"].as_i64().unwrap();
    let users_b = app.rpc_as(&owner_b, "users.list", json!({})).await;
    let staff_b_id = ok(&users_b)["users"][1]["id"].as_i64().unwrap();
    assert!(ok(&users_a).to_string().contains("staff@alpha.test"));
    assert!(!ok(&users_a).to_string().contains("beta"), "{users_a}");

    // Another tenant's user id finds nothing, and changes nothing.
    let remove = app
        .rpc_as(&owner_a, "users.remove", json!({"user_id": staff_b_id}))
        .await;
    assert_eq!(code(&remove), -32003, "{remove}");
    let role = app
        .rpc_as(
            &owner_a,
            "users.role",
            json!({"user_id": staff_b_id, "role": "owner"}),
        )
        .await;
    assert_eq!(code(&role), -32003, "{role}");
    let still = app.store.tenant_users(b).await.unwrap();
    assert_eq!(still.len(), 2);
    assert!(still
        .iter()
        .any(|u| u.id == staff_b_id && u.role == "staff"));
    assert!(!remove.to_string().contains("beta"));

    // Within the own tenant: promote, demote, guard the last owner and oneself.
    let promoted = app
        .rpc_as(
            &owner_a,
            "users.role",
            json!({"user_id": staff_a_id, "role": "owner"}),
        )
        .await;
    assert_eq!(ok(&promoted)["users"][1]["role"], "owner", "{promoted}");
    let demoted = app
        .rpc_as(
            &owner_a,
            "users.role",
            json!({"user_id": staff_a_id, "role": "staff"}),
        )
        .await;
    ok(&demoted);
    let last = app
        .rpc_as(
            &owner_a,
            "users.role",
            json!({"user_id": owner_a_id, "role": "staff"}),
        )
        .await;
    assert_eq!(code(&last), -32004, "the last owner stays: {last}");
    let me = app
        .rpc_as(&owner_a, "users.remove", json!({"user_id": owner_a_id}))
        .await;
    assert_eq!(code(&me), -32004);
    let removed = app
        .rpc_as(&owner_a, "users.remove", json!({"user_id": staff_a_id}))
        .await;
    assert_eq!(ok(&removed)["users"].as_array().unwrap().len(), 1);
    let (status, _) = try_login(&app, "staff@alpha.test", "staff password 1").await;
    assert_ne!(status, 200, "a removed user cannot sign in");
}

#[tokio::test]
async fn admins_change_their_own_password() {
    let app = spawn_app().await;
    let (_t, owner, _staff) = app.bare_tenant("alpha").await;
    let second = app.login("owner@alpha.test", "owner password 1").await;
    let wrong = app
        .rpc_as(
            &owner,
            "admin.password.change",
            json!({"current_password": "nope nope nope", "new_password": "a brand new one 1"}),
        )
        .await;
    invalid(&wrong, "current_password");
    let short = app
        .rpc_as(
            &owner,
            "admin.password.change",
            json!({"current_password": "owner password 1", "new_password": "short"}),
        )
        .await;
    invalid(&short, "new_password");
    let changed = app
        .rpc_as(
            &owner,
            "admin.password.change",
            json!({"current_password": "owner password 1", "new_password": "a brand new one 1"}),
        )
        .await;
    ok(&changed);
    let hash = app
        .store
        .admin_by_email("owner@alpha.test")
        .await
        .unwrap()
        .unwrap()
        .password_hash;
    assert!(hash.starts_with("$argon2id$"));
    let (status, _) = try_login(&app, "owner@alpha.test", "owner password 1").await;
    assert_ne!(status, 200, "the old password no longer works");
    app.login("owner@alpha.test", "a brand new one 1").await;
    let still = app.rpc_as(&owner, "admin.whoami", json!({})).await;
    ok(&still);
    let ended = app.rpc_as(&second, "admin.whoami", json!({})).await;
    assert_eq!(code(&ended), -32001, "other sessions end");
    let root = platform_admin(&app).await;
    let own = app
        .rpc_as(
            &root,
            "admin.password.change",
            json!({"current_password": ROOT_PW, "new_password": "platform password 2"}),
        )
        .await;
    ok(&own);
    app.login(ROOT, "platform password 2").await;
}

#[tokio::test]
async fn a_switch_is_audited_and_scopes_the_platform_admins_session() {
    let app = spawn_app().await;
    let (a, _owner_a, _) = app.bare_tenant("alpha").await;
    let root = platform_admin(&app).await;
    let before = app.rpc_as(&root, "tenant.get", json!({})).await;
    assert_eq!(code(&before), -32002);
    assert!(before["error"]["message"]
        .as_str()
        .unwrap()
        .contains("switch into a tenant"));
    let me = app.rpc_as(&root, "admin.whoami", json!({})).await;
    assert_eq!(ok(&me)["platform"], true);
    assert!(ok(&me)["tenant_id"].is_null());

    let switched = app
        .rpc_as(&root, "platform.tenants.switch", json!({"tenant_id": a}))
        .await;
    assert_eq!(ok(&switched)["tenant_name"], "Praxis alpha");
    let tenant = app.rpc_as(&root, "tenant.get", json!({})).await;
    assert_eq!(ok(&tenant)["id"], a);
    // Acting as the owner: owner methods work, and the platform methods still do.
    let users = app.rpc_as(&root, "users.list", json!({})).await;
    assert_eq!(ok(&users)["users"].as_array().unwrap().len(), 2);
    ok(&app.rpc_as(&root, "platform.tenants.list", json!({})).await);
    let nowhere = app
        .rpc_as(
            &root,
            "platform.tenants.switch",
            json!({"tenant_id": 424242}),
        )
        .await;
    assert_eq!(code(&nowhere), -32003);

    let left = app.rpc_as(&root, "platform.tenants.leave", json!({})).await;
    assert!(ok(&left)["tenant_id"].is_null());
    let after = app.rpc_as(&root, "tenant.get", json!({})).await;
    assert_eq!(code(&after), -32002);

    let audit = app.rpc_as(&root, "platform.audit.list", json!({})).await;
    let lines = ok(&audit).as_array().unwrap();
    let switch = lines
        .iter()
        .find(|l| l["action"] == "platform.tenants.switch")
        .expect("the switch is audited");
    assert_eq!(switch["actor"], ROOT);
    assert_eq!(switch["tenant_id"], a);
    assert!(switch["detail"].as_str().unwrap().contains("alpha"));
    assert_eq!(switch["at_utc"], "2027-03-09 09:00");
    assert!(lines
        .iter()
        .any(|l| l["action"] == "platform.tenants.leave" && l["actor"] == ROOT));
}

#[tokio::test]
async fn a_suspended_tenant_is_refused_politely_and_keeps_its_webhooks() {
    let app = spawn_app().await;
    let (tenant, _, _) = salon(&app).await;
    app.admin("salon", "owner@salon.test", "owner password 1")
        .await;
    let owner = app.login("owner@salon.test", "owner password 1").await;
    let token = app.token("salon").await;
    let root = platform_admin(&app).await;
    ok(&app
        .rpc_as(
            &root,
            "platform.tenants.suspend",
            json!({"tenant_id": tenant}),
        )
        .await);

    let session = app.rpc_as(&owner, "tenant.get", json!({})).await;
    assert_eq!(code(&session), -32001, "the session ended: {session}");
    let (status, body) = try_login(&app, "owner@salon.test", "owner password 1").await;
    assert_ne!(status, 200);
    assert!(body.contains("suspended"), "a clear sentence: {body}");
    let (_, by_token) = app
        .rpc_raw(
            &json!({"jsonrpc": "2.0", "id": 1, "method": "tenant.get"}).to_string(),
            Some(&token),
        )
        .await;
    assert_eq!(code(&by_token), -32001);
    assert!(by_token["error"]["message"]
        .as_str()
        .unwrap()
        .contains("suspended"));
    let mcp = app
        .client
        .post(format!("{}/mcp", app.base))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .header("accept", "application/json, text/event-stream")
        .body(r#"{"jsonrpc":"2.0","id":1,"method":"tools/list"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(mcp.status(), 401, "the MCP endpoint refuses the token too");
    assert!(mcp.text().await.unwrap().contains("suspended"));

    let (status, reply) = call(
        &app,
        "check_availability",
        "call_suspended",
        CALLER,
        json!({"service": "Damenhaarschnitt", "when": "2027-03-10T10:00"}),
    )
    .await;
    assert_eq!(status, 200, "{reply}");
    assert_eq!(reply["success"], false);
    assert_eq!(reply["error"], "tenant_suspended");
    assert!(
        reply["message"].as_str().unwrap().contains("direkt"),
        "{reply}"
    );

    let hook = common::webhook_body("call_started", "call_suspended", "agent_salon", json!({}));
    let res = app.post_webhook(&hook, Some(sign_now(&hook, KEY))).await;
    assert_eq!(res.status(), 200, "webhooks are still acknowledged");
    assert_eq!(app.inbox_rows().await, 1, "and stored");

    // The platform admin can still switch in to help; resuming lets the owner back in.
    ok(&app
        .rpc_as(
            &root,
            "platform.tenants.switch",
            json!({"tenant_id": tenant}),
        )
        .await);
    ok(&app.rpc_as(&root, "tenant.get", json!({})).await);
    ok(&app
        .rpc_as(
            &root,
            "platform.tenants.resume",
            json!({"tenant_id": tenant}),
        )
        .await);
    app.login("owner@salon.test", "owner password 1").await;
    let (_, reply) = call(
        &app,
        "check_availability",
        "call_resumed",
        CALLER,
        json!({"service": "Damenhaarschnitt", "when": "2027-03-10T10:00"}),
    )
    .await;
    assert_ne!(reply["error"], "tenant_suspended", "{reply}");
}

#[tokio::test]
async fn create_admin_platform_makes_an_admin_without_a_tenant() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        use std::io::Write;
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_slotline"))
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("SLOTLINE_DATA_DIR", dir.path())
            .env("RUST_LOG", "error")
            .current_dir(dir.path())
            .args(args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(b"platform pw 12345\n")
            .unwrap();
        child.wait_with_output().unwrap()
    };
    let out = run(&["create-admin", "--platform", "--email", "Ops@Example.test"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("platform admin ops@example.test created")
    );
    let both = run(&[
        "create-admin",
        "--platform",
        "--tenant",
        "x",
        "--email",
        "b@example.test",
    ]);
    assert!(
        !both.status.success(),
        "--platform with --tenant is refused"
    );
    let store =
        slotline::store::Store::connect(&format!("sqlite://{}/slotline.db", dir.path().display()))
            .await
            .unwrap();
    let admin = store
        .admin_by_email("ops@example.test")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(admin.role, "platform");
    assert_eq!(admin.tenant_id, None);
}

/// GETs a page as a browser with a session cookie; returns (status, location, body).
async fn page(app: &TestApp, path: &str, cookie: &str) -> (u16, String, String) {
    let res = app
        .client
        .get(format!("{}{path}", app.base))
        .header("accept", "text/html")
        // The pages in English (the sentences the tests look for); German is the default.
        .header(
            "cookie",
            if cookie.is_empty() {
                "slotline_lang=en".to_owned()
            } else {
                format!("{cookie}; slotline_lang=en")
            },
        )
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let location = res
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, location, res.text().await.unwrap())
}

#[tokio::test]
async fn the_platform_users_and_invitation_pages_render() {
    let app = spawn_app().await;
    let (a, owner, _staff) = app.bare_tenant("alpha").await;
    let root = platform_admin(&app).await;

    let (status, location, _) = page(&app, "/admin/calendar", &root).await;
    assert_eq!(
        (status, location.as_str()),
        (302, "/admin/platform"),
        "kept on the platform pages"
    );
    let (status, _, html) = page(&app, "/admin/platform", &root).await;
    assert_eq!(status, 200);
    for needle in [
        "New tenant",
        "Praxis alpha",
        "Switch into",
        "Suspend",
        "Add a user",
    ] {
        assert!(html.contains(needle), "platform page lacks {needle:?}");
    }
    let users = app
        .rpc_as(&root, "platform.users.list", json!({"tenant_id": a}))
        .await;
    assert_eq!(ok(&users)["users"].as_array().unwrap().len(), 2);
    assert_eq!(ok(&users)["users"][0]["you"], false);
    let none = app
        .rpc_as(&root, "platform.users.list", json!({"tenant_id": 987654}))
        .await;
    assert_eq!(code(&none), -32003);

    ok(&app
        .rpc_as(&root, "platform.tenants.switch", json!({"tenant_id": a}))
        .await);
    let (status, _, html) = page(&app, "/admin/settings", &root).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("you are acting in Praxis alpha"),
        "the banner names the tenant"
    );
    assert!(html.contains("Back to platform"));

    let (_, _, html) = page(&app, "/admin/users", &owner).await;
    assert!(
        html.contains("staff@alpha.test") && html.contains("(you)"),
        "{html}"
    );
    assert!(
        !html.contains("acting in"),
        "no banner for the business's own owner"
    );
    let invited = app
        .rpc_as(
            &owner,
            "users.add",
            json!({"email": "new@alpha.test", "role": "staff", "mode": "invite"}),
        )
        .await;
    let url = ok(&invited)["invitation_url"].as_str().unwrap().to_owned();
    let path = url.trim_start_matches("https://slotline.test");
    let (status, _, html) = page(&app, path, "").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("You are invited to Praxis alpha as staff"),
        "{html}"
    );
    let (_, _, html) = page(&app, "/admin/password", &owner).await;
    assert!(html.contains("Current password"));
}

/// Another application started in a process that already serves pages (several instances in
/// one process, as the test suites run them) leaves those pages alone: building an
/// application once made any page whose data began loading meanwhile wait forever.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_finish_while_more_applications_start_in_the_same_process() {
    let app = spawn_app().await;
    app.bare_tenant("alpha").await;
    let root = platform_admin(&app).await;
    let config = app.config.clone();
    let starting = tokio::spawn(async move {
        for _ in 0..40 {
            slotline::startup::Application::build(&config)
                .await
                .expect("another application builds");
        }
    });
    let mut pages = 0;
    while !starting.is_finished() || pages < 5 {
        let rendered = tokio::time::timeout(
            std::time::Duration::from_secs(20),
            page(&app, "/admin/platform", &root),
        )
        .await
        .expect("the platform page finished within 20 s while applications started");
        assert_eq!(rendered.0, 200);
        assert!(
            rendered.2.contains("Praxis alpha"),
            "the tenant list loaded"
        );
        pages += 1;
    }
    starting.await.unwrap();
}
