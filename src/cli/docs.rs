//! The manual pages and shell completions of both programs, made from their clap definitions so
//! that they say what the arguments are (the package ships them: `make package`).
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use clap::CommandFactory;
use clap_mangen::roff::{bold, italic, roman, Roff};
use clap_mangen::Man;

use super::Cli;

/// The desktop app's own arguments: only `--help` and `--version`; everything else is done in
/// its window. Parsed by the app (`src-tauri/src/main.rs`) before the window opens.
pub fn app_command() -> clap::Command {
    clap::Command::new("wijkkompas-app")
        .version(env!("CARGO_PKG_VERSION"))
        .about("Wijkkompas: the self-check and case map for neighbourhood initiatives, in a window")
        .long_about(
            "Opens Wijkkompas in a window: the 29 cases of Movisie's Wij in de Wijk on a map of the \
             Netherlands, the self-check of an initiative against the nine lessons, and the \
             municipality's review. Works without a network. Dutch by default; English can be \
             chosen in the app.",
        )
}

/// The command line's completion script for `shell`, written to `out`.
pub(super) fn completions(shell: clap_complete::Shell, out: &mut dyn Write) {
    clap_complete::generate(shell, &mut Cli::command(), "wijkkompas", out);
}

/// Writes the manual pages into `dir`: `wijkkompas.1`, one `wijkkompas-COMMAND.1` per command
/// and `wijkkompas-app.1`. Returns the files written.
pub(super) fn man_pages(dir: &Path) -> io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let mut written = Vec::new();
    let mut write = |name: &str, page: Vec<u8>| -> io::Result<()> {
        let path = dir.join(format!("{name}.1"));
        std::fs::write(&path, page)?;
        written.push(path);
        Ok(())
    };

    let mut cli = Cli::command();
    // Built, so that the commands carry the global options and the name they are called by.
    cli.build();
    let mut page = Vec::new();
    let man = Man::new(cli.clone()).manual("Wijkkompas");
    page_head(&man, &mut page)?;
    man.render_subcommands_section(&mut page)?;
    cli_sections().to_writer(&mut page)?;
    see_also(
        &["wijkkompas-app"],
        cli.get_subcommands()
            .filter(|c| !c.is_hide_set())
            .map(|c| format!("wijkkompas-{}", c.get_name())),
    )
    .to_writer(&mut page)?;
    man.render_version_section(&mut page)?;
    write("wijkkompas", page)?;

    for command in cli.get_subcommands().filter(|c| !c.is_hide_set()) {
        let name = format!("wijkkompas-{}", command.get_name());
        let man = Man::new(
            command
                .clone()
                .name(name.clone())
                .version(env!("CARGO_PKG_VERSION")),
        )
        .manual("Wijkkompas");
        let mut page = Vec::new();
        page_head(&man, &mut page)?;
        // What `--help` says after the options (where the PINs come from), under its own name.
        if let Some(text) = command.get_after_long_help() {
            let mut roff = Roff::new();
            roff.control("SH", ["PINS AND PASSWORDS"])
                .text([roman(text.to_string())]);
            roff.to_writer(&mut page)?;
        }
        see_also(&["wijkkompas"], std::iter::empty()).to_writer(&mut page)?;
        write(&name, page)?;
    }

    let app = app_command();
    let man = Man::new(app).manual("Wijkkompas");
    let mut page = Vec::new();
    page_head(&man, &mut page)?;
    app_sections().to_writer(&mut page)?;
    see_also(&["wijkkompas"], std::iter::empty()).to_writer(&mut page)?;
    man.render_version_section(&mut page)?;
    write("wijkkompas-app", page)?;
    Ok(written)
}

/// What every page begins with: title, name, synopsis, description and options.
fn page_head(man: &Man, page: &mut Vec<u8>) -> io::Result<()> {
    man.render_title(page)?;
    man.render_name_section(page)?;
    man.render_synopsis_section(page)?;
    man.render_description_section(page)?;
    man.render_options_section(page)
}

/// A tagged paragraph: a term, then its text.
fn item(roff: &mut Roff, term: &str, text: &str) {
    roff.control("TP", [])
        .text([bold(term)])
        .text([roman(text)]);
}

/// Where the data is, the environment and the exit status of the command line.
fn cli_sections() -> Roff {
    let mut roff = Roff::new();
    roff.control("SH", ["ENVIRONMENT"]);
    item(
        &mut roff,
        "WIJKKOMPAS_DB",
        "The database file to use, when --db is not given.",
    );
    item(&mut roff, "PGPASSWORD", "The password for sync. An address that holds a password is refused; this one is never stored or printed.");
    item(
        &mut roff,
        super::secrets::PIN_VAR,
        "The coordinator's current PIN, which a change of settings or a sync needs while kiosk mode is on. Not set: asked for on the terminal without showing it, or read as one line from standard input when that is not a terminal.",
    );
    item(
        &mut roff,
        super::secrets::NEW_PIN_VAR,
        "A new PIN for settings --new-pin. Not set: asked for twice on the terminal, or read as one line from standard input (after the current PIN's line, when that is asked too). PINs are never arguments.",
    );
    item(
        &mut roff,
        "PGSSLROOTCERT",
        "Certificate authorities to trust for sync over TLS, besides the system's.",
    );
    files(&mut roff);
    roff.control("SH", ["EXIT STATUS"]);
    item(
        &mut roff,
        "0",
        "The command did what was asked (an import: every file was imported or was already there).",
    );
    item(&mut roff, "1", "It did not; the reason is printed, in the language of --lang. A rejected file changes nothing.");
    item(&mut roff, "2", "The arguments were not understood.");
    roff.control("SH", ["SOURCE"]);
    roff.text([roman(
        "The lessons and cases are paraphrased from Movisie, Wij in de Wijk (2019-2022), in the project's own words.",
    )]);
    roff
}

fn app_sections() -> Roff {
    let mut roff = Roff::new();
    roff.control("SH", ["ENVIRONMENT"]);
    item(
        &mut roff,
        "WIJKKOMPAS_DB",
        "The database file to use instead of the per-user one.",
    );
    item(
        &mut roff,
        "WEBKIT_DISABLE_DMABUF_RENDERER",
        "Left unset, the app sets it to 1: WebKit then draws without the GPU, which is faster and reliable on older PCs and virtual machines. Set it (also to 0) to keep your own choice.",
    );
    files(&mut roff);
    roff.control("SH", ["NETWORK"]);
    roff.text([roman("The app never uses the network, except a sync with a shared PostgreSQL database that a coordinator sets up and starts.")]);
    roff
}

fn files(roff: &mut Roff) {
    roff.control("SH", ["FILES"]);
    roff.control("TP", []).text([italic("~/.local/share/nl.wijkkompas.app/wijkkompas.db")]).text([roman(
        "The per-user database ($XDG_DATA_HOME/nl.wijkkompas.app/ when that is set), shared by the app and the command line; its backups are kept in the folder backups beside it.",
    )]);
}

fn see_also(first: &[&str], more: impl Iterator<Item = String>) -> Roff {
    let names: Vec<String> = first.iter().map(|s| s.to_string()).chain(more).collect();
    let mut roff = Roff::new();
    roff.control("SH", ["SEE ALSO"]);
    let mut text = Vec::new();
    for (n, name) in names.iter().enumerate() {
        text.push(bold(name.as_str()));
        text.push(roman(if n + 1 < names.len() { "(1), " } else { "(1)" }));
    }
    roff.text(text);
    roff
}
