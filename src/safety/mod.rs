/*! Keeping a person's data safe on a shared machine: backups, the retention purge, kiosk sessions, the machine's settings, safe output writes and the database's path. */
pub mod backup;
pub mod erasure;
pub mod kiosk;
pub mod output;
pub mod paths;
pub mod retention;
pub mod settings;
