//! RFC 5545 text rules for the calendar feed: escaping of TEXT values and folding of content
//! lines. Everything user-typed (names, notes) goes through [`text`], so no value can end a
//! content line and start a property of its own.

/// Longest content line in octets, without its CRLF (RFC 5545 §3.1).
pub const MAX_LINE_OCTETS: usize = 75;

/// Escapes a TEXT property value (RFC 5545 §3.3.11): backslash, `;` and `,` get a backslash,
/// every line break (CRLF, lone CR, lone LF, and the other Unicode line terminators) becomes
/// `\n`, and other control characters (never valid in TEXT) are dropped; tabs are kept.
pub fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}' => out.push_str("\\n"),
            '\t' => out.push('\t'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A UTC DATE-TIME value (`20270310T090000Z`) of milliseconds since the Unix epoch.
pub fn utc(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .unwrap_or_default()
        .strftime("%Y%m%dT%H%M%SZ")
        .to_string()
}

/// Appends one content line to `out`, folded so that no physical line exceeds
/// [`MAX_LINE_OCTETS`] (the leading space of a continuation counts) and no UTF-8 character is
/// split, and ends it with CRLF.
pub fn push_folded(out: &mut String, line: &str) {
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > MAX_LINE_OCTETS {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folded(line: &str) -> String {
        let mut out = String::new();
        push_folded(&mut out, line);
        out
    }

    /// Undoes folding: removes every CRLF followed by a space.
    fn unfold(text: &str) -> String {
        text.replace("\r\n ", "")
    }

    #[test]
    fn backslash_semicolon_and_comma_are_escaped() {
        assert_eq!(text(r"a\b"), r"a\\b");
        assert_eq!(text("a;b"), r"a\;b");
        assert_eq!(text("Müller, Eva"), r"Müller\, Eva");
        assert_eq!(text(r"\;,"), r"\\\;\,");
        assert_eq!(text("Färben – ok: yes"), "Färben – ok: yes", "colons stay");
    }

    #[test]
    fn crlf_becomes_one_escaped_newline() {
        assert_eq!(text("a\r\nb"), r"a\nb");
    }

    #[test]
    fn a_lone_cr_becomes_an_escaped_newline() {
        assert_eq!(text("a\rb"), r"a\nb");
        assert_eq!(text("a\r"), r"a\n");
        assert_eq!(text("a\r\rb"), r"a\n\nb");
    }

    #[test]
    fn a_lone_lf_becomes_an_escaped_newline() {
        assert_eq!(text("a\nb"), r"a\nb");
        assert_eq!(text("a\n\r\nb"), r"a\n\nb");
    }

    #[test]
    fn other_line_terminators_become_escaped_newlines() {
        for sep in ['\u{0B}', '\u{0C}', '\u{85}', '\u{2028}', '\u{2029}'] {
            assert_eq!(text(&format!("a{sep}b")), r"a\nb", "{sep:?}");
        }
    }

    #[test]
    fn control_characters_are_dropped_but_tabs_kept() {
        assert_eq!(text("a\u{0}b\u{1b}c\u{7f}d"), "abcd");
        assert_eq!(text("a\tb"), "a\tb");
    }

    #[test]
    fn an_escaped_value_never_contains_a_line_break() {
        let evil = "Eva\r\nATTENDEE:evil\rORGANIZER:evil\nLOCATION:evil\u{2028}X:y";
        let escaped = text(evil);
        assert!(
            !escaped.contains('\r') && !escaped.contains('\n'),
            "{escaped}"
        );
        let mut out = String::new();
        push_folded(&mut out, &format!("SUMMARY:{escaped}"));
        let unfolded = unfold(&out);
        assert_eq!(
            unfolded.matches("\r\n").count(),
            1,
            "one content line: {out:?}"
        );
        assert!(unfolded.starts_with("SUMMARY:"));
    }

    #[test]
    fn short_lines_are_not_folded() {
        let line = "x".repeat(MAX_LINE_OCTETS);
        assert_eq!(folded(&line), format!("{line}\r\n"));
    }

    #[test]
    fn long_ascii_lines_fold_at_75_octets() {
        let line = format!("DESCRIPTION:{}", "x".repeat(200));
        let out = folded(&line);
        let physical: Vec<&str> = out.trim_end_matches("\r\n").split("\r\n").collect();
        assert!(physical.len() > 1);
        assert_eq!(physical[0].len(), MAX_LINE_OCTETS);
        for l in &physical[1..] {
            assert!(l.starts_with(' '), "continuations start with a space");
            assert!(l.len() <= MAX_LINE_OCTETS);
        }
        assert_eq!(unfold(&out), format!("{line}\r\n"));
    }

    #[test]
    fn folding_never_splits_a_multi_byte_character() {
        // Two-, three- and four-byte characters with an odd prefix, so boundaries fall inside
        // a character if folding counted characters or split bytes.
        for ch in ["ä", "–", "😀"] {
            let line = format!("SUMMARY:{}", ch.repeat(100));
            let out = folded(&line);
            let physical: Vec<&str> = out.trim_end_matches("\r\n").split("\r\n").collect();
            let (last, full) = physical.split_last().unwrap();
            assert!(!full.is_empty(), "{ch}: folded");
            for l in full {
                assert!(l.len() <= MAX_LINE_OCTETS, "{ch}: {} octets", l.len());
                // Folding uses the room there is: a line ends early only when the next
                // character would not fit.
                assert!(
                    l.len() + ch.len() > MAX_LINE_OCTETS,
                    "{ch}: {} octets",
                    l.len()
                );
            }
            assert!(last.len() <= MAX_LINE_OCTETS);
            assert_eq!(unfold(&out), format!("{line}\r\n"), "{ch}");
        }
    }
}
