//! The SQLite database URL: the file (its directory created), sqlx's create mode, and the
//! durability a deployment asks for with `?synchronous=normal|full`.

use crate::error::StartupError;

/// How hard SQLite pushes a commit to disk before it is acknowledged: the database URL's
/// `synchronous=normal` (default: a commit survives a crash of Slotline, WAL) or
/// `synchronous=full` (an fsync per commit: it also survives a power cut).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SqliteSync {
    /// `PRAGMA synchronous = NORMAL`.
    Normal,
    /// `PRAGMA synchronous = FULL`.
    Full,
}

impl SqliteSync {
    pub(super) fn pragma(self) -> &'static str {
        match self {
            SqliteSync::Normal => "NORMAL",
            SqliteSync::Full => "FULL",
        }
    }
}

/// The URL sqlx opens (create mode unless one is named) and the durability it asks for.
pub(super) fn sqlite_url(url: &str) -> Result<(String, SqliteSync), StartupError> {
    let rest = url.trim_start_matches("sqlite:").trim_start_matches("//");
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    let mut sync = SqliteSync::Normal;
    let mut kept = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        match pair.split_once('=') {
            Some(("synchronous", value)) => {
                sync = match value.to_ascii_lowercase().as_str() {
                    "normal" => SqliteSync::Normal,
                    "full" => SqliteSync::Full,
                    _ => {
                        return Err(StartupError::BadDatabaseUrl {
                            url: url.to_owned(),
                            reason: format!("synchronous={value} is not normal or full"),
                        })
                    }
                }
            }
            _ => kept.push(pair),
        }
    }
    let query = kept.join("&");
    if path.is_empty() {
        return Err(StartupError::BadDatabaseUrl {
            url: url.to_owned(),
            reason: "it names no file".into(),
        });
    }
    if path != ":memory:" {
        if let Some(parent) = std::path::Path::new(path).parent() {
            if !parent.as_os_str().is_empty() {
                std::fs::create_dir_all(parent).map_err(|e| StartupError::DataDir {
                    path: parent.to_path_buf(),
                    reason: e.to_string(),
                })?;
            }
        }
    }
    let query = if query.contains("mode=") {
        query.to_owned()
    } else if query.is_empty() {
        "mode=rwc".to_owned()
    } else {
        format!("{query}&mode=rwc")
    };
    Ok((format!("sqlite://{path}?{query}"), sync))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_url_gets_create_mode() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/sub/x.db", dir.path().display());
        let (out, sync) = sqlite_url(&url).unwrap();
        assert!(out.ends_with("x.db?mode=rwc"));
        assert_eq!(sync, SqliteSync::Normal);
        assert!(dir.path().join("sub").is_dir());
    }

    #[test]
    fn sqlite_url_names_its_durability() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/x.db?synchronous=FULL", dir.path().display());
        let (out, sync) = sqlite_url(&url).unwrap();
        assert!(out.ends_with("x.db?mode=rwc"), "{out}");
        assert_eq!(sync, SqliteSync::Full);
        let bad = format!("sqlite://{}/x.db?synchronous=off", dir.path().display());
        let err = sqlite_url(&bad).unwrap_err().to_string();
        assert!(
            err.contains("synchronous=off is not normal or full"),
            "{err}"
        );
    }
}
