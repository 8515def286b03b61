//! A connection string as libpq reads it, as far as TLS goes: the PostgreSQL client library here
//! knows `sslmode` only up to `require` and no `sslrootcert`, and would call an address that
//! names them unreadable. Those two are taken out here and carried out by the TLS connector.
use std::path::PathBuf;

use super::SyncError;

/// How the server's certificate is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Verify {
    /// No TLS (`disable`), or TLS when the server offers it (`prefer`, the default).
    AsConfigured,
    /// `verify-ca`: signed by a trusted authority, whichever name it carries.
    Authority,
    /// `require` and `verify-full`: signed by a trusted authority, for this server's name.
    Full,
}

/// An address with its TLS options taken out.
pub(super) struct Address {
    pub config: postgres::Config,
    pub verify: Verify,
    /// `sslrootcert`, else `PGSSLROOTCERT`: an authority to trust besides the system's.
    pub root: Option<PathBuf>,
}

pub(super) fn read(url: &str) -> Result<Address, SyncError> {
    let is_url = url.starts_with("postgres://") || url.starts_with("postgresql://");
    let (mut mode, mut root) = (None, None);
    let rest = if is_url {
        let (base, query) = url.split_once('?').unwrap_or((url, ""));
        let kept: Vec<&str> = query
            .split('&')
            .filter(|pair| !pair.is_empty())
            .filter(|pair| !take(pair, &mut mode, &mut root, true))
            .collect();
        if kept.is_empty() {
            base.to_string()
        } else {
            format!("{base}?{}", kept.join("&"))
        }
    } else {
        url.split_whitespace()
            .filter(|pair| !take(pair, &mut mode, &mut root, false))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut config: postgres::Config = rest.parse().map_err(|_| SyncError::Url)?;
    use postgres::config::SslMode;
    let verify = match mode.as_deref() {
        None => {
            if config.get_ssl_mode() == SslMode::Require {
                Verify::Full
            } else {
                Verify::AsConfigured
            }
        }
        Some("disable") => {
            config.ssl_mode(SslMode::Disable);
            Verify::AsConfigured
        }
        Some("allow" | "prefer") => {
            config.ssl_mode(SslMode::Prefer);
            Verify::AsConfigured
        }
        Some("verify-ca") => {
            config.ssl_mode(SslMode::Require);
            Verify::Authority
        }
        Some("require" | "verify-full") => {
            config.ssl_mode(SslMode::Require);
            Verify::Full
        }
        Some(_) => return Err(SyncError::Url),
    };
    let root = match root.as_deref() {
        // libpq's word for the system's authorities alone.
        Some("system") => None,
        Some(path) => Some(PathBuf::from(path)),
        None => std::env::var_os("PGSSLROOTCERT").map(PathBuf::from),
    };
    Ok(Address {
        config,
        verify,
        root,
    })
}

/// Takes `sslmode` or `sslrootcert` out of one `key=value` pair (percent-encoded in a URL).
fn take(pair: &str, mode: &mut Option<String>, root: &mut Option<String>, encoded: bool) -> bool {
    let Some((key, value)) = pair.split_once('=') else {
        return false;
    };
    let value = if encoded {
        decode(value)
    } else {
        value.trim_matches('\'').to_string()
    };
    match key {
        "sslmode" => *mode = Some(value),
        "sslrootcert" => *root = Some(value),
        _ => return false,
    }
    true
}

/// `%2F` and the like back to their bytes (a path in a URL).
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verify_full_and_a_root_certificate_are_read_as_libpq_reads_them() {
        let a = read("postgres://u@db.example:5432/wk?sslmode=verify-full&sslrootcert=%2Fetc%2Fgemeente%20ca.pem&connect_timeout=5").unwrap();
        assert_eq!(a.verify, Verify::Full);
        assert_eq!(a.root, Some(PathBuf::from("/etc/gemeente ca.pem")));
        assert_eq!(a.config.get_ssl_mode(), postgres::config::SslMode::Require);
        assert_eq!(a.config.get_dbname(), Some("wk"));
        let b = read("host=db.example dbname=wk sslmode=verify-ca sslrootcert=/ca.pem").unwrap();
        assert_eq!(
            (b.verify, b.root),
            (Verify::Authority, Some(PathBuf::from("/ca.pem")))
        );
        assert!(matches!(
            read("postgres://u@h/wk?sslmode=sometimes"),
            Err(SyncError::Url)
        ));
    }
}
