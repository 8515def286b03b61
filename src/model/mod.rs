/*! The plain data types that several capabilities share: the words of the domain (strategy,
role, language, area), answers and scores, review states, a check's conversation, tombstones.

This is the bottom of the house: it imports nothing of the crate, so every folder may use it and
no change above it can reach down into it. */
mod conversation;
mod reading;
mod review;
mod scores;
mod terms;
mod tombstone;

pub use conversation::{
    Action, ActionInput, ActionWithOutcome, Conversation, LessonNote, LessonNotes, Outcome,
    OutcomeInput,
};
pub use reading::{tip_roles, Band, Direction};
pub use review::{ReviewEntry, ReviewStatus};
pub use scores::{
    round1, strongest_lessons, weakest_lessons, Answers, Assessment, LessonScore, StrategyScores,
    STRENGTH_THRESHOLD,
};
pub use terms::{Area, Lang, Localized, Role, Strategy};
pub use tombstone::Tombstone;
