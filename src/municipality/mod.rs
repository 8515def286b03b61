/*! What a municipality sees: one area's initiatives (area), the review workflow (review) and the figures (stats). */
pub mod area;
pub mod review;
pub mod stats;
