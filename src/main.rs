//! `wijkkompas`, the command line (`src/cli/`).
fn main() -> std::process::ExitCode {
    wijkkompas::cli::main()
}
