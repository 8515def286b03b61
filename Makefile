# Wijkkompas: `make run` installs what is missing, builds and opens the app; `make test` runs
# every test (core, UI, end-to-end). Both work on a fresh Debian 12 / Ubuntu machine.
SHELL := /bin/bash
.DEFAULT_GOAL := run

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Tauri/WebKitGTK to build and run the app; Xvfb, xauth and WebKitWebDriver for the end-to-end
# tests; poppler-utils (pdftotext) to check the PDF reports; imagemagick (import) to picture the
# real window; stress-ng to keep every core busy in `make test-stress`; xdotool to answer the
# native file dialogs in the end-to-end tests; libssl-dev for TLS to a shared database (sync).
APT_PACKAGES := libwebkit2gtk-4.1-dev libssl-dev build-essential pkg-config curl file xvfb xauth webkit2gtk-driver poppler-utils imagemagick stress-ng xdotool cups-client
# Only for `make test`: the PostgreSQL server with PostGIS that the sync tests run against,
# started and stopped by tests/pg/with-postgres.sh (`make run` needs no server), openssl to
# make its test certificates, and appstream to validate the metainfo the packages install.
TEST_APT_PACKAGES := postgresql-15 postgresql-15-postgis-3 openssl appstream
APP := target/debug/wijkkompas-app
CARGO ?= cargo
# Under CI=true cargo prints no progress bars, only results.
export CARGO_TERM_PROGRESS_WHEN = $(if $(CI),never,auto)
# A fresh clone in CI builds everything once: incremental compilation's caches would only fill
# the disk (a CI run once died with the linker's "Bus error" on a full disk).
ifdef CI
export CARGO_INCREMENTAL = 0
endif

.PHONY: run test check test-stress fmt deps apt apt-test node-deps toolchain ui app test-core test-ui test-e2e fuzz bench measure package screenshots release clean

run: deps app
	./$(APP)

# The fast checks first; then the core's tests, which regenerate the TypeScript bindings that the
# UI type-check reads.
test: deps apt-test ui
	$(MAKE) check
	$(MAKE) test-core
	$(MAKE) test-ui
	$(CARGO) test -p wijkkompas-app --locked
	$(CARGO) build -p wijkkompas-app --locked
	$(MAKE) test-e2e
	@echo "make test: all suites passed"

deps: toolchain apt node-deps

toolchain:
	@command -v $(CARGO) >/dev/null || { echo "Rust is missing: install it with rustup (https://rustup.rs), then run make again." >&2; exit 1; }
	@command -v node >/dev/null && node -e 'process.exit(+process.versions.node.split(".")[0] >= 20 ? 0 : 1)' \
	  || { echo "Node.js 20 or newer is missing: install it (e.g. from NodeSource or your distribution), then run make again." >&2; exit 1; }

apt-test:
	@$(MAKE) --no-print-directory apt APT_PACKAGES="$(TEST_APT_PACKAGES)"
apt:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing system packages: $$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

# `npm install`, not `npm ci`: the registry here lacks other platforms' optional packages (see ARCHITECTURE.md).
node_modules/.installed: package.json
	npm install --no-audit --no-fund --loglevel=error
	@touch $@

node-deps: node_modules/.installed

# The shell embeds ui/dist at compile time, so the UI is built before any cargo build of the app.
ui: node-deps
	npm run --silent build

app: ui
	$(CARGO) build -p wijkkompas-app

test-ui: node-deps ui apt-test
	npm run --silent typecheck
	npm run --silent test:unit
	node --test tests/ui/

# The core alone, as without any GUI library installed (pkg-config sees only OpenSSL, for TLS to
# a shared database; the shell's tests follow in `test`), beside a PostgreSQL server of its own
# for the sync tests (stopped when they end, pass or fail). A plain `cargo test` skips the sync
# tests when no server is given; here WIJKKOMPAS_REQUIRE_PG makes a missing server a failure.
CORE_PKG_CONFIG := target/pkgconfig-core
test-core: apt-test
	mkdir -p $(CORE_PKG_CONFIG) && for pc in openssl libssl libcrypto; do ln -sf "$$(pkg-config --variable pcfiledir $$pc)/$$pc.pc" $(CORE_PKG_CONFIG)/; done
	PKG_CONFIG_LIBDIR=$(CURDIR)/$(CORE_PKG_CONFIG) WIJKKOMPAS_REQUIRE_PG=1 tests/pg/with-postgres.sh $(CARGO) test -p wijkkompas --locked

# The end-to-end suite drives the app through WebKitWebDriver on one X server (and syncs with a
# PostgreSQL server of its own); the window tests
# start the app as a person does, each on an X server of its own, and picture the real window.
# The screen is as large as the largest window tests/e2e/layout.test.mjs sizes the app to.
E2E_SCREEN ?= 1920x1080x24
test-e2e: apt-test
	tests/pg/with-postgres.sh xvfb-run -a -s "-screen 0 $(E2E_SCREEN) -nolisten tcp" node --test --test-concurrency=1 tests/e2e/
	node --test --test-concurrency=1 tests/window/

# Every test, five times in a row with both cores kept busy by another process, then once on a
# screen of the window's minimum size. Tests wait for the state they need, never for time: this
# shows it. stress-ng stops with make, also when a run fails.
STRESS_RUNS ?= 5
test-stress: deps
	stress-ng --cpu $$(nproc) --quiet & stress=$$!; trap 'kill $$stress' EXIT; \
	for i in $$(seq $(STRESS_RUNS)); do echo "== make test under load, run $$i of $(STRESS_RUNS)"; $(MAKE) test || exit 1; done; \
	kill $$stress; trap - EXIT; \
	echo "== make test on a 1024x700 screen"; $(MAKE) test E2E_SCREEN=1024x700x24

# What a developer runs before a commit, in a minute or two: formatting, lints, the core's unit
# tests and house rules (tests/house: layers, file and function sizes), the UI's type-check and
# unit tests. It starts no service and needs no root or network once `make deps` has run. The
# fuzz crate's files are checked by rustfmt itself: `cargo fmt` would resolve its dependencies.
check: node-deps ui
	$(CARGO) fmt --all --check
	rustfmt --check --edition 2021 fuzz/fuzz_targets/*.rs
	npm run --silent format:check
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings
	$(CARGO) test -p wijkkompas --lib --test house --locked
	npm run --silent typecheck
	npm run --silent test:unit
	node --test tests/ui/
	@echo "make check: passed"

# Formats every Rust file (rustfmt.toml; the fuzz crate is outside the workspace) and the UI,
# test and script sources (.prettierrc.json). Commits that only format are listed in
# .git-blame-ignore-revs.
fmt: node-deps
	$(CARGO) fmt --all
	$(CARGO) fmt --manifest-path fuzz/Cargo.toml
	npm run --silent format

# Coverage-guided fuzzing of the bundle importer, the check input and the sync's receive (server
# rows; not part of `make test`). Only stable Rust is installed, so cargo-fuzz runs with
# RUSTC_BOOTSTRAP=1. New inputs that find new paths are kept in fuzz/corpus/; commit them.
FUZZ_SECONDS ?= 600
FUZZ_TARGETS := bundle:65536 check_input:16384 sync_receive:16384
fuzz:
	command -v cargo-fuzz >/dev/null || $(CARGO) install cargo-fuzz --locked
	cd fuzz && RUSTC_BOOTSTRAP=1 $(CARGO) fuzz build
	# All targets at once, in one shell, so that each exit code counts.
	cd fuzz && export RUSTC_BOOTSTRAP=1 && pids="" && \
	  for t in $(FUZZ_TARGETS); do name=$${t%%:*}; len=$${t##*:}; \
	    $(CARGO) fuzz run $$name corpus/$$name -- -max_total_time=$(FUZZ_SECONDS) -max_len=$$len & pids="$$pids $$!"; done; \
	  status=0; for p in $$pids; do wait $$p || status=1; done; exit $$status

# Speed, measured against baselines in the same run (see BENCHMARKS.md); not part of `make test`.
# shapely 2 (the GIS baseline) goes into a virtualenv under target/.
BENCH_VENV := target/bench-venv
$(BENCH_VENV)/.installed:
	python3 -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/pip install --quiet 'shapely>=2,<3'
	@touch $@

bench: $(BENCH_VENV)/.installed apt-test
	SHAPELY_PYTHON=$(BENCH_VENV)/bin/python $(CARGO) bench --bench locate --bench store --bench search
	tests/pg/with-postgres.sh $(CARGO) bench --bench sync
	python3 benches/summarize.py

# The release app (as packaged) and an empty Tauri window built the same way.
release: deps ui
	$(CARGO) build --release --locked -p wijkkompas-app -p wijkkompas-floor --features tauri/custom-protocol

measure: release app
	$(CARGO) build -p wijkkompas
	xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" python3 scripts/measure.py
	RENDERER=app APP_BIN=target/release/wijkkompas-app xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" node --test tests/perf/

# The .deb is built from the release binary by scripts/build-deb.sh with Debian's own tools
# (dependencies computed by dpkg-shlibdeps, man pages and completions made by the program), then
# checked as an administrator would by scripts/check-package.sh (lintian, appstreamcli, apt,
# the unpacked app in a real window). The .rpm comes from Tauri's bundler (`tauri build` does not
# fit this layout, see ARCHITECTURE.md: the CLI only bundles the cargo build); TAURI_APP_PATH pins
# the root tauri.conf.json (the floor app in benches/ has its own).
PACKAGE_APT_PACKAGES := lintian appstream desktop-file-utils dpkg-dev man-db bsdextrautils rpm rpm2cpio
export DEB_LIMIT_BYTES := 10485760
package: release
	@$(MAKE) --no-print-directory apt APT_PACKAGES="$(PACKAGE_APT_PACKAGES)"
	deb=$$(scripts/build-deb.sh) && scripts/check-package.sh "$$deb"
	rm -rf target/release/bundle/rpm
	TAURI_APP_PATH=. TAURI_FRONTEND_PATH=. npx tauri bundle --ci -b rpm --config target/release/deb-work/rpm/tauri-release.json
	scripts/check-rpm.sh target/release/bundle/rpm/*.rpm

# The screenshots that the AppStream metainfo names when a HOMEPAGE is set
# (src-tauri/packaging/release.env): made from the real app under Xvfb, as the E2E tests drive
# it, into target/screenshots/, to be put on the site at HOMEPAGE/screenshots/.
screenshots: deps app
	$(CARGO) build --bin wijkkompas
	xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" node scripts/screenshots.mjs target/screenshots

clean:
	$(CARGO) clean
	rm -rf node_modules ui/dist test-results
