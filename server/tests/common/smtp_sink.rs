//! A local SMTP sink for the notification tests: a tokio listener speaking just enough SMTP
//! (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT) that keeps what it accepted, and the MIME
//! reading the tests assert with (headers, multipart leaves, base64 / quoted-printable).

use base64::Engine as _;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// One message the sink accepted.
#[derive(Debug, Clone)]
pub struct Received {
    /// `RCPT TO` arguments.
    pub rcpt: Vec<String>,
    /// The message as received (dot-unstuffed).
    pub data: String,
}

/// A local SMTP server speaking just enough SMTP (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP,
/// QUIT) and keeping what it accepted.
#[derive(Clone)]
pub struct Sink {
    /// Its port on 127.0.0.1.
    pub port: u16,
    got: Arc<Mutex<Vec<Received>>>,
}

impl Sink {
    /// Starts listening on a free port.
    pub async fn start() -> Sink {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let got = Arc::new(Mutex::new(Vec::new()));
        let store = got.clone();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let store = store.clone();
                tokio::spawn(async move {
                    let _ = session(socket, store).await;
                });
            }
        });
        Sink { port, got }
    }

    /// What it accepted so far.
    pub fn messages(&self) -> Vec<Received> {
        self.got.lock().unwrap().clone()
    }
}

async fn session(
    socket: tokio::net::TcpStream,
    store: Arc<Mutex<Vec<Received>>>,
) -> std::io::Result<()> {
    let (read, mut write) = socket.into_split();
    let mut lines = BufReader::new(read);
    write.write_all(b"220 sink.test ESMTP ready\r\n").await?;
    let mut rcpt = Vec::new();
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let upper = line.trim_end().to_ascii_uppercase();
        let reply: &[u8] = if upper.starts_with("EHLO") {
            b"250-sink.test\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n"
        } else if upper.starts_with("HELO") || upper.starts_with("NOOP") {
            b"250 ok\r\n"
        } else if upper.starts_with("MAIL FROM") || upper.starts_with("RSET") {
            rcpt.clear();
            b"250 ok\r\n"
        } else if upper.starts_with("RCPT TO") {
            rcpt.push(line.trim_end()[8..].trim().to_owned());
            b"250 ok\r\n"
        } else if upper == "DATA" {
            write.write_all(b"354 go ahead\r\n").await?;
            let mut data = String::new();
            loop {
                line.clear();
                if lines.read_line(&mut line).await? == 0 {
                    return Ok(());
                }
                if line == ".\r\n" {
                    break;
                }
                // Dot-unstuffing (RFC 5321 §4.5.2).
                data.push_str(line.strip_prefix('.').unwrap_or(&line));
            }
            store.lock().unwrap().push(Received {
                rcpt: std::mem::take(&mut rcpt),
                data,
            });
            b"250 queued\r\n"
        } else if upper == "QUIT" {
            write.write_all(b"221 bye\r\n").await?;
            return Ok(());
        } else {
            b"502 not implemented\r\n"
        };
        write.write_all(reply).await?;
    }
}

/// The header `name` of a message or part (unfolded), if present.
pub fn header(block: &str, name: &str) -> Option<String> {
    let head = block.split("\r\n\r\n").next().unwrap_or("");
    let mut value: Option<String> = None;
    for l in head.split("\r\n") {
        if let Some(v) = value.as_mut() {
            if l.starts_with(' ') || l.starts_with('\t') {
                v.push_str(l);
                continue;
            }
            return value;
        }
        if let Some((n, v)) = l.split_once(':') {
            if n.eq_ignore_ascii_case(name) {
                value = Some(v.trim().to_owned());
            }
        }
    }
    value
}

/// Every leaf part as (content type, decoded body).
pub fn leaves(block: &str) -> Vec<(String, String)> {
    let ctype = header(block, "Content-Type").unwrap_or_else(|| "text/plain".into());
    let body = block.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or("");
    if ctype.to_ascii_lowercase().starts_with("multipart/") {
        let boundary = ctype
            .split("boundary=")
            .nth(1)
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .trim_matches('"')
            .to_owned();
        let sep = format!("--{boundary}");
        return body
            .split(&sep)
            .skip(1)
            .filter(|p| !p.starts_with("--"))
            .flat_map(|p| leaves(p.trim_start_matches("\r\n")))
            .collect();
    }
    let encoding = header(block, "Content-Transfer-Encoding")
        .unwrap_or_default()
        .to_ascii_lowercase();
    let decoded = match encoding.as_str() {
        "base64" => {
            let clean: String = body.chars().filter(|c| !c.is_whitespace()).collect();
            String::from_utf8(
                base64::engine::general_purpose::STANDARD
                    .decode(clean)
                    .unwrap(),
            )
            .unwrap()
        }
        "quoted-printable" => quoted_printable(body),
        _ => body.to_owned(),
    };
    vec![(ctype, decoded)]
}

/// Decodes quoted-printable text.
fn quoted_printable(s: &str) -> String {
    let mut bytes = Vec::new();
    let raw = s.replace("=\r\n", "");
    let b = raw.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'=' && i + 2 < b.len() {
            if let Ok(v) =
                u8::from_str_radix(std::str::from_utf8(&b[i + 1..i + 3]).unwrap_or("zz"), 16)
            {
                bytes.push(v);
                i += 3;
                continue;
            }
        }
        bytes.push(b[i]);
        i += 1;
    }
    String::from_utf8(bytes).unwrap()
}

/// The decoded body of the first leaf whose type starts with `prefix`.
pub fn part<'a>(parts: &'a [(String, String)], prefix: &str) -> &'a str {
    &parts
        .iter()
        .find(|(t, _)| t.to_ascii_lowercase().starts_with(prefix))
        .unwrap_or_else(|| panic!("no {prefix} part in {parts:?}"))
        .1
}
