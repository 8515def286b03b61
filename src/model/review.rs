/*! The municipality's review states of an initiative and one change between them.

`new → in_review → published | needs_info | archived`, and `needs_info → in_review`,
`published → archived`, `archived → in_review`. Nothing returns to `new`. Every change is an
append-only log entry; the latest entry is the current status. */
use serde::{Deserialize, Serialize};
use ts_rs::TS;

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
