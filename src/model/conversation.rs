/*! What a self-check's conversation holds: notes per lesson, agreed actions and, at the next
check, what came of them. The rules that check such input live in `selfcheck::conversation`. */
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What goes well and what could be better for one lesson.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct LessonNote {
    #[serde(default)]
    pub good: Option<String>,
    #[serde(default)]
    pub better: Option<String>,
}

/// Notes by lesson id.
pub type LessonNotes = BTreeMap<String, LessonNote>;

/// One agreed action: what, who (optional), by when, and the lesson it serves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Action {
    pub id: String,
    pub text: String,
    pub who: Option<String>,
    /// YYYY-MM-DD.
    pub due: String,
    pub lesson: String,
}

/// An action as submitted (its id is given when it is stored).
#[derive(Debug, Clone, Deserialize, TS)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct ActionInput {
    pub text: String,
    #[serde(default)]
    pub who: Option<String>,
    pub due: String,
    pub lesson: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Done,
    Partly,
    /// Not (yet).
    Not,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Done => "done",
            Outcome::Partly => "partly",
            Outcome::Not => "not",
        }
    }

    pub fn parse(s: &str) -> Option<Outcome> {
        match s {
            "done" => Some(Outcome::Done),
            "partly" => Some(Outcome::Partly),
            "not" => Some(Outcome::Not),
            _ => None,
        }
    }
}

/// What a later check says came of an earlier action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct OutcomeInput {
    /// The action's id.
    pub id: String,
    pub outcome: Outcome,
    #[serde(default)]
    pub note: Option<String>,
}

/// An earlier action with what this check says came of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ActionWithOutcome {
    pub action: Action,
    /// When the check that agreed it was made.
    pub agreed_at: String,
    pub outcome: Outcome,
    pub note: Option<String>,
}

/// The conversation of one check, checked and ready to store.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Conversation {
    pub notes: LessonNotes,
    pub actions: Vec<Action>,
    /// Outcomes of earlier actions (of the same initiative).
    pub outcomes: Vec<OutcomeInput>,
}
