/*! Printing a PDF on the printer the coordinator chose, through CUPS's own commands (`lpstat` lists
the printers, `lp` prints). A kiosk prints this way so that a resident never meets a print or save
dialog, where "Print to File" would open the machine's folders. The PDF goes to CUPS from a
temporary file only this user can read, removed as soon as `lp` has spooled it. */
use std::ffi::OsString;
use std::io::Write;
use std::process::{Command, Stdio};

use thiserror::Error;

#[derive(Debug, Error)]
pub enum PrintError {
    #[error("no printer has been chosen in the settings")]
    NoPrinterChosen,
    #[error("printing needs CUPS's lp and lpstat, which are not installed")]
    NoCups,
    #[error("the printer {0} is not known to CUPS (any more)")]
    PrinterGone(String),
    #[error("CUPS did not take the job for {printer}: {detail}")]
    Refused { printer: String, detail: String },
    #[error("cannot hand the PDF to CUPS: {0}")]
    Io(#[from] std::io::Error),
}

/// The CUPS commands to run: the system's, or (in tests) stand-ins at other paths.
#[derive(Debug, Clone)]
pub struct Cups {
    lp: OsString,
    lpstat: OsString,
}

impl Default for Cups {
    fn default() -> Cups {
        Cups::system()
    }
}

impl Cups {
    /// `lp` and `lpstat` as found on PATH.
    pub fn system() -> Cups {
        Cups {
            lp: "lp".into(),
            lpstat: "lpstat".into(),
        }
    }

    /// The two commands in one folder.
    pub fn in_folder(dir: &std::path::Path) -> Cups {
        Cups {
            lp: dir.join("lp").into(),
            lpstat: dir.join("lpstat").into(),
        }
    }

    /// The printers (CUPS destinations) this machine knows, by name, sorted. None installed is
    /// an empty list; no CUPS at all is [`PrintError::NoCups`].
    pub fn printers(&self) -> Result<Vec<String>, PrintError> {
        let out = run(Command::new(&self.lpstat).arg("-e"))?;
        // lpstat says "No destinations added." (and fails) when there are none.
        if !out.status.success() {
            return Ok(Vec::new());
        }
        let mut names: Vec<String> = String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_string)
            .collect();
        names.sort();
        names.dedup();
        Ok(names)
    }

    /// Prints `pdf` on `printer` (the coordinator's choice: None is refused), once CUPS still
    /// knows that printer. Returns when CUPS has the job; the temporary file is gone by then.
    pub fn print_pdf(
        &self,
        printer: Option<&str>,
        title: &str,
        pdf: &[u8],
    ) -> Result<(), PrintError> {
        let printer = printer
            .filter(|p| !p.is_empty())
            .ok_or(PrintError::NoPrinterChosen)?;
        if !self.printers()?.iter().any(|p| p == printer) {
            return Err(PrintError::PrinterGone(printer.to_string()));
        }
        // tempfile makes the file with mode 0600 and removes it when dropped, also on an error.
        let mut file = tempfile::Builder::new()
            .prefix("wijkkompas-print-")
            .suffix(".pdf")
            .tempfile()?;
        file.write_all(pdf)?;
        file.as_file().sync_all()?;
        let out = run(Command::new(&self.lp)
            .arg("-d")
            .arg(printer)
            .arg("-t")
            .arg(title)
            .arg(file.path()))?;
        drop(file);
        if !out.status.success() {
            let detail = String::from_utf8_lossy(&out.stderr).trim().to_string();
            return Err(PrintError::Refused {
                printer: printer.to_string(),
                detail,
            });
        }
        Ok(())
    }
}

/// Runs a CUPS command to its end; a command that is not there is "no CUPS".
fn run(command: &mut Command) -> Result<std::process::Output, PrintError> {
    // The C locale: lpstat's and lp's words are then the same on every machine.
    command
        .env("LC_ALL", "C")
        .stdin(Stdio::null())
        .output()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound | std::io::ErrorKind::PermissionDenied => {
                PrintError::NoCups
            }
            _ => PrintError::Io(e),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::{Path, PathBuf};

    /// The stand-ins for CUPS the E2E tests use too: they record their arguments and keep a copy
    /// of each printed file in $FAKE_CUPS_DIR; the printers are those in $FAKE_PRINTERS.
    fn fake_cups() -> (Cups, tempfile::TempDir) {
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cups");
        (Cups::in_folder(&fixtures), tempfile::tempdir().unwrap())
    }

    fn with_env(cups: &Cups, dir: &Path, printers: &str) -> Cups {
        // Each test gives its own environment through a wrapper: tests run in parallel, and the
        // process's environment is shared.
        let wrap = |name: &str, real: &OsString| -> OsString {
            let script = dir.join(name);
            std::fs::write(
                &script,
                format!(
                    "#!/bin/sh\nFAKE_CUPS_DIR='{}' FAKE_PRINTERS='{printers}' exec '{}' \"$@\"\n",
                    dir.display(),
                    PathBuf::from(real).display()
                ),
            )
            .unwrap();
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
            script.into()
        };
        Cups {
            lp: wrap("lp", &cups.lp),
            lpstat: wrap("lpstat", &cups.lpstat),
        }
    }

    #[test]
    fn a_pdf_goes_to_the_chosen_printer_from_a_file_that_is_gone_afterwards() {
        let (fixtures, dir) = fake_cups();
        let cups = with_env(&fixtures, dir.path(), "Kantoor Buurthuis-Kleur");
        assert_eq!(cups.printers().unwrap(), ["Buurthuis-Kleur", "Kantoor"]);
        cups.print_pdf(Some("Buurthuis-Kleur"), "Wijkkompas", b"%PDF-1.7 report")
            .unwrap();
        let args = std::fs::read_to_string(dir.path().join("lp-args-1")).unwrap();
        let args: Vec<&str> = args.lines().collect();
        assert_eq!(&args[..4], ["-d", "Buurthuis-Kleur", "-t", "Wijkkompas"]);
        assert_eq!(
            std::fs::read(dir.path().join("job-1.pdf")).unwrap(),
            b"%PDF-1.7 report"
        );
        let mode = std::fs::read_to_string(dir.path().join("mode-1")).unwrap();
        assert_eq!(mode.trim(), "600", "only this user could read the file");
        assert!(
            !Path::new(args[4]).exists(),
            "the temporary file is removed"
        );
    }

    #[test]
    fn a_printer_that_is_gone_no_choice_and_no_cups_are_each_said() {
        let (fixtures, dir) = fake_cups();
        let cups = with_env(&fixtures, dir.path(), "Kantoor");
        assert!(matches!(
            cups.print_pdf(Some("Buurthuis-Kleur"), "x", b"%PDF"),
            Err(PrintError::PrinterGone(p)) if p == "Buurthuis-Kleur"
        ));
        assert!(matches!(
            cups.print_pdf(None, "x", b"%PDF"),
            Err(PrintError::NoPrinterChosen)
        ));
        assert!(!dir.path().join("job-1.pdf").exists(), "nothing printed");
        let none = with_env(&fixtures, dir.path(), "");
        assert_eq!(none.printers().unwrap(), Vec::<String>::new());
        let missing = Cups::in_folder(&dir.path().join("no-such-folder"));
        assert!(matches!(missing.printers(), Err(PrintError::NoCups)));
        assert!(matches!(
            missing.print_pdf(Some("Kantoor"), "x", b"%PDF"),
            Err(PrintError::NoCups)
        ));
    }

    #[test]
    fn a_job_cups_refuses_is_an_error_and_leaves_no_file() {
        let (fixtures, dir) = fake_cups();
        // The fake lp refuses printers named "Kapot" (as CUPS refuses a stopped queue).
        let cups = with_env(&fixtures, dir.path(), "Kapot");
        assert!(matches!(
            cups.print_pdf(Some("Kapot"), "x", b"%PDF"),
            Err(PrintError::Refused { printer, .. }) if printer == "Kapot"
        ));
        let args = std::fs::read_to_string(dir.path().join("lp-args-1")).unwrap();
        assert!(!Path::new(args.lines().last().unwrap()).exists());
    }
}
