# The command line is the app's binary under its own name (see src-tauri/src/main.rs).
ln -sf wijkkompas-app /usr/bin/wijkkompas
