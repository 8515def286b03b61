/*! Keeping a person's data safe on a shared machine: the retention purge and erasure, kiosk
sessions, the machine's settings and the secrets among them, and safe output writes. */
pub mod crypto;
pub mod erasure;
pub mod kiosk;
pub mod output;
pub mod retention;
pub mod settings;
