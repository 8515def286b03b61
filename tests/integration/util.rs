use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;
use tempfile::TempDir;

/// A temporary folder with its own database, and the CLI pointed at it.
pub struct Sandbox {
    pub dir: TempDir,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        Sandbox {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn db(&self) -> PathBuf {
        self.dir.path().join("wijkkompas.db")
    }

    pub fn file(&self, name: &str, contents: &str) -> PathBuf {
        let p = self.dir.path().join(name);
        std::fs::write(&p, contents).unwrap();
        p
    }

    /// Runs the CLI with this sandbox's database (through WIJKKOMPAS_DB, as the app does).
    pub fn run(&self, args: &[&str]) -> Output {
        self.run_with(args, &[], None)
    }

    /// Runs the CLI with more environment variables (a PIN, a database password: never
    /// arguments) and, if given, this text on its standard input (else an empty one).
    pub fn run_with(&self, args: &[&str], env: &[(&str, &str)], stdin: Option<&str>) -> Output {
        use std::io::Write;
        let mut child = Command::new(env!("CARGO_BIN_EXE_wijkkompas"))
            .args(args)
            .env("WIJKKOMPAS_DB", self.db())
            .env_remove("WIJKKOMPAS_PIN")
            .env_remove("WIJKKOMPAS_NEW_PIN")
            .env_remove("PGPASSWORD")
            .envs(env.iter().copied())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut input = child.stdin.take().unwrap();
        // A command that does not read its input may have ended before it is written.
        let _ = input.write_all(stdin.unwrap_or_default().as_bytes());
        drop(input);
        child.wait_with_output().unwrap()
    }

    /// `json` with more environment variables.
    pub fn json_with(&self, args: &[&str], env: &[(&str, &str)]) -> Value {
        let out = self.run_with(args, env, None);
        assert!(
            out.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "{args:?}: not JSON ({e}): {}",
                String::from_utf8_lossy(&out.stdout)
            )
        })
    }

    /// `error` with more environment variables.
    pub fn error_with(&self, args: &[&str], env: &[(&str, &str)]) -> String {
        let mut args = args.to_vec();
        if !args.contains(&"--lang") {
            args.extend(["--lang", "en"]);
        }
        let out = self.run_with(&args, env, None);
        assert!(
            !out.status.success(),
            "{args:?} should fail but printed {}",
            String::from_utf8_lossy(&out.stdout)
        );
        assert!(
            out.stdout.is_empty(),
            "a failing command prints nothing on stdout"
        );
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(
            err.trim_end().lines().count(),
            1,
            "one-line message, got: {err}"
        );
        err
    }

    /// Runs the CLI and parses its JSON output, asserting success.
    pub fn json(&self, args: &[&str]) -> Value {
        self.json_with(args, &[])
    }

    /// Runs the CLI expecting failure; returns its one-line message, worded in English unless
    /// the arguments ask for another language (the tests read the English wording).
    pub fn error(&self, args: &[&str]) -> String {
        self.error_with(args, &[])
    }
}

pub fn file_bytes(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap()
}
