//! The real binary: bad configuration ends with one clear line (no panic, no backtrace),
//! `demo` is idempotent, and `create-admin` takes its password from standard input. On SQLite,
//! and on PostgreSQL when `SLOTLINE_TEST_POSTGRES_URL` is set (`make test` does both).

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

/// The database of the test using `data_dir`: made on first use (a fresh PostgreSQL database
/// or the SQLite file in the directory), the same one for every later command of the test.
fn database(data_dir: &std::path::Path) -> String {
    let remembered = data_dir.join(".test-database-url");
    if let Ok(url) = std::fs::read_to_string(&remembered) {
        return url;
    }
    // Its own thread and runtime: async tests call this from inside theirs.
    let dir = data_dir.to_path_buf();
    let url = std::thread::spawn(move || {
        tokio::runtime::Runtime::new()
            .unwrap()
            .block_on(common::fresh_database_url(&dir))
    })
    .join()
    .unwrap();
    std::fs::write(&remembered, &url).unwrap();
    url
}

fn slotline(data_dir: &std::path::Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_slotline"));
    cmd.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("SLOTLINE_DATA_DIR", data_dir)
        .env("SLOTLINE_DATABASE_URL", database(data_dir))
        .env("RUST_LOG", "error")
        .current_dir(data_dir);
    cmd
}

/// Runs and returns (success, stderr) after checking the error is a single line.
fn fails_with_one_line(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap();
    assert!(!out.status.success(), "should fail");
    let stderr = String::from_utf8(out.stderr).unwrap();
    let lines: Vec<_> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "exactly one line expected, got:\n{stderr}");
    assert!(lines[0].starts_with("slotline: error: "), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    lines[0].to_owned()
}

#[test]
fn unparseable_database_url_names_the_variable_and_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    let line = fails_with_one_line(
        slotline(dir.path())
            .env("SLOTLINE_DATABASE_URL", "mysql//nope")
            .arg("migrate"),
    );
    assert!(line.contains("SLOTLINE_DATABASE_URL"), "{line}");
    assert!(line.contains("postgres://"), "{line}");
}

#[test]
fn unreachable_postgres_says_so_without_leaking_the_password() {
    let dir = tempfile::tempdir().unwrap();
    let line = fails_with_one_line(
        slotline(dir.path())
            .env(
                "SLOTLINE_DATABASE_URL",
                "postgres://u:hunter2@127.0.0.1:1/db",
            )
            .arg("migrate"),
    );
    assert!(line.contains("cannot connect to the database"), "{line}");
    assert!(!line.contains("hunter2"), "{line}");
}

#[test]
fn port_in_use_names_the_address() {
    let dir = tempfile::tempdir().unwrap();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let line = fails_with_one_line(
        slotline(dir.path())
            .env("SLOTLINE_LISTEN_ADDR", &addr)
            .arg("serve"),
    );
    assert!(
        line.contains(&addr) && line.contains("SLOTLINE_LISTEN_ADDR"),
        "{line}"
    );
}

#[test]
fn unwritable_data_dir_names_the_directory() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    std::fs::write(&file, b"x").unwrap();
    let line = fails_with_one_line(
        slotline(dir.path())
            .env("SLOTLINE_DATA_DIR", file.join("data"))
            .arg("migrate"),
    );
    assert!(line.contains("SLOTLINE_DATA_DIR"), "{line}");
}

#[test]
fn bad_listen_address_and_secret_key_are_explained() {
    let dir = tempfile::tempdir().unwrap();
    let line = fails_with_one_line(
        slotline(dir.path())
            .env("SLOTLINE_LISTEN_ADDR", "localhost")
            .arg("serve"),
    );
    assert!(line.contains("SLOTLINE_LISTEN_ADDR"), "{line}");
    let line = fails_with_one_line(
        slotline(dir.path())
            .env("SLOTLINE_SECRET_KEY", "short")
            .arg("migrate"),
    );
    assert!(
        line.contains("SLOTLINE_SECRET_KEY") && line.contains("64 hexadecimal"),
        "{line}"
    );
}

#[test]
fn demo_is_idempotent_and_prints_a_working_login() {
    let dir = tempfile::tempdir().unwrap();
    let first = slotline(dir.path()).arg("demo").output().unwrap();
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let second = slotline(dir.path()).arg("demo").output().unwrap();
    assert!(second.status.success());
    let (a, b) = (
        String::from_utf8(first.stdout).unwrap(),
        String::from_utf8(second.stdout).unwrap(),
    );
    assert_eq!(a, b, "a second run changes nothing");
    assert!(a.contains("demo@slotline.local"));
    assert!(a.contains("+493012345670"));
    let password = std::fs::read_to_string(dir.path().join("demo-admin-password")).unwrap();
    assert!(a.contains(password.trim()));

    let with_key = slotline(dir.path())
        .args(["demo", "--retell-api-key", "key_given"])
        .output()
        .unwrap();
    assert!(String::from_utf8(with_key.stdout)
        .unwrap()
        .contains("key_given"));
}

#[test]
fn create_admin_checks_its_arguments() {
    let dir = tempfile::tempdir().unwrap();
    let line = fails_with_one_line(slotline(dir.path()).args([
        "create-admin",
        "--email",
        "x@y.de",
        "--password",
        "long-enough-pw",
    ]));
    assert!(line.contains("slotline demo"), "no tenant yet: {line}");
    assert!(slotline(dir.path())
        .arg("demo")
        .output()
        .unwrap()
        .status
        .success());
    let line = fails_with_one_line(slotline(dir.path()).args([
        "create-admin",
        "--email",
        "x@y.de",
        "--password",
        "short",
    ]));
    assert!(line.contains("at least 10"), "{line}");
    let ok = slotline(dir.path())
        .args([
            "create-admin",
            "--email",
            "x@y.de",
            "--password",
            "long-enough-pw",
        ])
        .output()
        .unwrap();
    assert!(ok.status.success());
    let line = fails_with_one_line(slotline(dir.path()).args([
        "create-admin",
        "--email",
        "x@y.de",
        "--password",
        "long-enough-pw",
    ]));
    assert!(line.contains("already exists"), "{line}");
}

#[test]
fn token_create_prints_a_token_once_for_an_existing_tenant() {
    let dir = tempfile::tempdir().unwrap();
    assert!(slotline(dir.path())
        .arg("demo")
        .output()
        .unwrap()
        .status
        .success());
    let out = slotline(dir.path())
        .args(["token", "create", "--tenant", "demo", "--name", "crm"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let token = String::from_utf8(out.stdout).unwrap();
    assert!(
        token.trim().starts_with("slt_") && token.trim().len() == 68,
        "{token}"
    );
    let line =
        fails_with_one_line(slotline(dir.path()).args(["token", "create", "--tenant", "nope"]));
    assert!(line.contains("no tenant"), "{line}");

    // Scopes and an expiry are chosen at creation; a bad expiry says what is allowed.
    let out = slotline(dir.path())
        .args(["token", "create", "--tenant", "demo", "--name", "reader"])
        .args(["--scope", "read", "--scope", "book", "--expires-days", "30"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(String::from_utf8(out.stdout)
        .unwrap()
        .trim()
        .starts_with("slt_"));
    let line = fails_with_one_line(slotline(dir.path()).args([
        "token",
        "create",
        "--tenant",
        "demo",
        "--expires-days",
        "0",
    ]));
    assert!(line.contains("--expires-days must be 1 to 3650"), "{line}");
    let out = slotline(dir.path())
        .args(["token", "create", "--tenant", "demo", "--scope", "admin"])
        .output()
        .unwrap();
    assert!(!out.status.success(), "an unknown scope is refused");
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .contains("read, book or manage"),
        "the error names the scopes"
    );
}

/// Runs `create-admin` with `stdin` piped in; returns the output.
fn create_admin_piping(dir: &std::path::Path, email: &str, stdin: &[u8]) -> std::process::Output {
    let mut child = slotline(dir)
        .args(["create-admin", "--email", email])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().unwrap()
}

#[tokio::test]
async fn create_admin_reads_the_password_from_stdin_and_it_signs_in() {
    let dir = tempfile::tempdir().unwrap();
    assert!(slotline(dir.path())
        .arg("demo")
        .output()
        .unwrap()
        .status
        .success());
    let password = "piped; secret pw 42";
    let out = create_admin_piping(
        dir.path(),
        "piped@salon.test",
        format!("{password}\nnot part of it\n").as_bytes(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(printed.contains("piped@salon.test"), "{printed}");
    assert!(!printed.contains(password), "the password is never echoed");

    // A line ending from Windows is not part of the password either.
    let out = create_admin_piping(dir.path(), "crlf@salon.test", b"windows pw 1234\r\n");
    assert!(out.status.success());

    // Nothing on standard input: refused, nothing created.
    let line = fails_with_one_line(slotline(dir.path()).args([
        "create-admin",
        "--email",
        "empty@salon.test",
    ]));
    assert!(line.contains("at least 10"), "{line}");

    // The real application on the same database signs the admins in with those passwords.
    let db = database(dir.path());
    let app = common::spawn_app_with(|c| c.database_url = db).await;
    app.login("piped@salon.test", password).await;
    app.login("crlf@salon.test", "windows pw 1234").await;
    let wrong = app
        .ui(
            "login",
            None,
            &[
                ("email", "piped@salon.test"),
                ("password", "not part of it"),
            ],
        )
        .await;
    assert!(
        wrong.headers().get("set-cookie").is_none(),
        "a wrong password gets no session"
    );
    assert!(app
        .store
        .admin_by_email("empty@salon.test")
        .await
        .unwrap()
        .is_none());
}
