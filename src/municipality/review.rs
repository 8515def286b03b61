/*! The municipality's review workflow for an initiative.

`new → in_review → published | needs_info | archived`, and `needs_info → in_review`,
`published → archived`, `archived → in_review`. Nothing returns to `new`. Every change is an
append-only log entry with who, when and why; the latest entry is the current status. */
use serde::{Deserialize, Serialize};
use thiserror::Error;
use ts_rs::TS;

pub use crate::limits::{NOTE_CHARS as MAX_NOTE_CHARS, REVIEWER_CHARS as MAX_REVIEWER_CHARS};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum ReviewStatus {
    New,
    InReview,
    Published,
    NeedsInfo,
    Archived,
}

impl ReviewStatus {
    pub const ALL: [ReviewStatus; 5] = [
        ReviewStatus::New,
        ReviewStatus::InReview,
        ReviewStatus::Published,
        ReviewStatus::NeedsInfo,
        ReviewStatus::Archived,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReviewStatus::New => "new",
            ReviewStatus::InReview => "in_review",
            ReviewStatus::Published => "published",
            ReviewStatus::NeedsInfo => "needs_info",
            ReviewStatus::Archived => "archived",
        }
    }

    pub fn parse(s: &str) -> Option<ReviewStatus> {
        ReviewStatus::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// The statuses this one may move to.
    pub fn next(self) -> &'static [ReviewStatus] {
        use ReviewStatus::*;
        match self {
            New => &[InReview],
            InReview => &[Published, NeedsInfo, Archived],
            NeedsInfo => &[InReview],
            Published => &[Archived],
            Archived => &[InReview],
        }
    }

    pub fn can_move_to(self, to: ReviewStatus) -> bool {
        self.next().contains(&to)
    }

    /// Needs the municipality's attention: the "needs review" queue.
    pub fn needs_review(self) -> bool {
        matches!(self, ReviewStatus::New | ReviewStatus::InReview)
    }
}

/// One change of status.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReviewEntry {
    pub id: String,
    pub initiative_id: String,
    pub from: ReviewStatus,
    pub to: ReviewStatus,
    pub reviewer: String,
    pub note: String,
    pub created_at: String,
}

#[derive(Debug, Error, PartialEq)]
pub enum ReviewError {
    #[error("\"{0}\" is not a review status: use in_review, published, needs_info or archived")]
    UnknownStatus(String),
    #[error("an initiative cannot go from {} to {}", .from.as_str(), .to.as_str())]
    NotAllowed {
        from: ReviewStatus,
        to: ReviewStatus,
    },
    #[error("say who reviews (at most {MAX_REVIEWER_CHARS} characters)")]
    Reviewer,
    #[error("the note is {0} characters long; the limit is {MAX_NOTE_CHARS}")]
    NoteTooLong(usize),
    #[error(transparent)]
    Text(#[from] crate::text::TextError),
}

/// Checks a requested change against the workflow and the text limits.
pub fn check_change(
    from: ReviewStatus,
    to: ReviewStatus,
    reviewer: &str,
    note: &str,
) -> Result<(), ReviewError> {
    if !from.can_move_to(to) {
        return Err(ReviewError::NotAllowed { from, to });
    }
    let reviewer_len = reviewer.trim().chars().count();
    if reviewer_len == 0 || reviewer_len > MAX_REVIEWER_CHARS {
        return Err(ReviewError::Reviewer);
    }
    crate::text::check("reviewer", reviewer, crate::text::Lines::One)?;
    crate::text::check("note", note, crate::text::Lines::Many)?;
    let note_len = note.chars().count();
    if note_len > MAX_NOTE_CHARS {
        return Err(ReviewError::NoteTooLong(note_len));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::ReviewStatus::*;
    use super::*;

    #[test]
    fn the_workflow_allows_exactly_the_documented_moves() {
        let allowed = [
            (New, InReview),
            (InReview, Published),
            (InReview, NeedsInfo),
            (InReview, Archived),
            (NeedsInfo, InReview),
            (Published, Archived),
            (Archived, InReview),
        ];
        for from in ReviewStatus::ALL {
            for to in ReviewStatus::ALL {
                assert_eq!(
                    from.can_move_to(to),
                    allowed.contains(&(from, to)),
                    "{from:?} → {to:?}"
                );
            }
        }
        assert!(
            ReviewStatus::ALL.iter().all(|s| !s.can_move_to(New)),
            "nothing returns to new"
        );
    }

    #[test]
    fn a_change_needs_a_reviewer_and_a_short_enough_note() {
        assert_eq!(
            check_change(New, InReview, "  ", ""),
            Err(ReviewError::Reviewer)
        );
        assert_eq!(
            check_change(New, Published, "Anna", ""),
            Err(ReviewError::NotAllowed {
                from: New,
                to: Published
            })
        );
        assert_eq!(
            check_change(New, InReview, "Anna", &"x".repeat(2001)),
            Err(ReviewError::NoteTooLong(2001))
        );
        assert_eq!(check_change(New, InReview, "Anna", "Eerste blik"), Ok(()));
    }

    #[test]
    fn statuses_round_trip_through_text() {
        for s in ReviewStatus::ALL {
            assert_eq!(ReviewStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(ReviewStatus::parse("done"), None);
    }
}
