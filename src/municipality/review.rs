/*! The municipality's review workflow for an initiative.

`new → in_review → published | needs_info | archived`, and `needs_info → in_review`,
`published → archived`, `archived → in_review`. Nothing returns to `new`. Every change is an
append-only log entry with who, when and why; the latest entry is the current status. */

use thiserror::Error;

use crate::model::{ReviewEntry, ReviewStatus};
use crate::store::{Store, StoreError};

pub use crate::content::limits::{
    NOTE_CHARS as MAX_NOTE_CHARS, REVIEWER_CHARS as MAX_REVIEWER_CHARS,
};

#[derive(Debug, Error)]
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
    Text(#[from] crate::content::text::TextError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Moves initiatives to one status with one reviewer and note, once who reviews and the note
/// pass their rules: all of them or none, as [`Store::add_reviews`] keeps the workflow's order.
pub fn add<S: AsRef<str>>(
    store: &mut Store,
    initiative_ids: &[S],
    to: ReviewStatus,
    reviewer: &str,
    note: &str,
) -> Result<Vec<ReviewEntry>, ReviewError> {
    check_texts(reviewer, note)?;
    Ok(store.add_reviews(initiative_ids, to, reviewer, note)?)
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
    check_texts(reviewer, note)
}

/// Who reviews: one line, not empty; the note: within its length.
fn check_texts(reviewer: &str, note: &str) -> Result<(), ReviewError> {
    let reviewer_len = reviewer.trim().chars().count();
    if reviewer_len == 0 || reviewer_len > MAX_REVIEWER_CHARS {
        return Err(ReviewError::Reviewer);
    }
    crate::content::text::check("reviewer", reviewer, crate::content::text::Lines::One)?;
    crate::content::text::check("note", note, crate::content::text::Lines::Many)?;
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
        assert!(matches!(
            check_change(New, InReview, "  ", ""),
            Err(ReviewError::Reviewer)
        ));
        assert!(matches!(
            check_change(New, Published, "Anna", ""),
            Err(ReviewError::NotAllowed {
                from: New,
                to: Published
            })
        ));
        assert!(matches!(
            check_change(New, InReview, "Anna", &"x".repeat(2001)),
            Err(ReviewError::NoteTooLong(2001))
        ));
        assert!(check_change(New, InReview, "Anna", "Eerste blik").is_ok());
    }

    #[test]
    fn a_review_with_no_reviewer_changes_nothing_in_the_store() {
        let mut store = Store::open_in_memory().unwrap();
        let err = add(&mut store, &["no-such-id"], InReview, " ", "").unwrap_err();
        assert!(matches!(err, ReviewError::Reviewer), "{err}");
        let err = add(&mut store, &["no-such-id"], InReview, "Anna", "").unwrap_err();
        assert!(
            matches!(err, ReviewError::Store(StoreError::UnknownInitiative(_))),
            "{err}"
        );
    }

    #[test]
    fn statuses_round_trip_through_text() {
        for s in ReviewStatus::ALL {
            assert_eq!(ReviewStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(ReviewStatus::parse("done"), None);
    }
}
