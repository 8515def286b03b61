/*! The content and its rules: Movisie's lessons and the cases (catalog), what text from outside may hold (text, strict_json), every limit (limits), and what can go wrong, as data (problem), and Dutch civil time (calendar). */
pub mod calendar;
pub mod catalog;
pub mod limits;
pub mod problem;
pub mod scoring;
pub mod strict_json;
pub mod text;
