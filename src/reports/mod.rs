/*! What is printed: the PDF reports (report) and the result chart (chart). */
pub mod report;
pub mod chart;
pub mod guide;
