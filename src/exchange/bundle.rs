/*! The bundle's records as they are in the file (docs/bundle-format.md), and what an import
reports: added, skipped, conflicts. */
use crate::model::{Action, Conversation, LessonNotes, OutcomeInput};
use crate::store::provenance::Machine;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bundle {
    pub format: String,
    pub version: u64,
    pub exported_at: String,
    /// The municipality the export was limited to, if any.
    pub municipality: Option<String>,
    /// Version 3: the machine that exported the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub machine: Option<Machine>,
    /// Version 3: the other machines that records in the file were made on (`made_on`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub machines: Vec<Machine>,
    pub initiatives: Vec<BundleInitiative>,
    pub self_checks: Vec<BundleCheck>,
    pub review_log: Vec<BundleReview>,
    /// Version 2: group rounds still open, so that members can answer on another machine.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub group_rounds: Vec<BundleRound>,
}

/// A group round still open: its initiative (by id, or the details of a new one), whose tips it
/// gives, and the members who have answered so far.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BundleRound {
    pub id: String,
    #[serde(default)]
    pub initiative_id: Option<String>,
    #[serde(default)]
    pub new_initiative: Option<crate::selfcheck::InitiativeInput>,
    pub role: String,
    #[serde(default)]
    pub previous_actions: Vec<OutcomeInput>,
    pub created_at: String,
    pub members: Vec<BundleMember>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BundleMember {
    pub id: String,
    pub role: String,
    #[serde(default)]
    pub on_paper: bool,
    #[serde(deserialize_with = "crate::content::strict_json::unique_map")]
    pub answers: BTreeMap<String, Option<i64>>,
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BundleInitiative {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    pub lat: f64,
    pub lon: f64,
    pub target_groups: Vec<String>,
    pub created_at: String,
    /// Version 3: the machine it was made on, when not the one that exported the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub made_on: Option<String>,
    /// SHA-256 of the content, as the exporter computed it; the importer computes its own.
    #[serde(default)]
    pub hash: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BundleCheck {
    pub id: String,
    pub initiative_id: String,
    pub role: String,
    pub created_at: String,
    /// One person's answers; empty (left out) when `respondents` is given.
    #[serde(
        default,
        deserialize_with = "crate::content::strict_json::unique_map",
        skip_serializing_if = "BTreeMap::is_empty"
    )]
    pub answers: BTreeMap<String, Option<i64>>,
    /// Version 2: a group's answers (or one person's on paper), one entry per respondent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub respondents: Option<Vec<BundleRespondent>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<LessonNotes>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actions: Option<Vec<BundleAction>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_actions: Option<Vec<OutcomeInput>>,
    /// Version 3: the machine it was made on, when not the one that exported the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub made_on: Option<String>,
    #[serde(default)]
    pub hash: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BundleRespondent {
    pub role: String,
    #[serde(default)]
    pub on_paper: bool,
    #[serde(deserialize_with = "crate::content::strict_json::unique_map")]
    pub answers: BTreeMap<String, Option<i64>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BundleAction {
    pub id: String,
    pub text: String,
    #[serde(default)]
    pub who: Option<String>,
    pub due: String,
    pub lesson: String,
}

impl BundleCheck {
    /// Its respondents, whichever way the file gives them.
    pub fn respondent_list(&self) -> Vec<BundleRespondent> {
        match &self.respondents {
            Some(list) => list.clone(),
            None => vec![BundleRespondent {
                role: self.role.clone(),
                on_paper: false,
                answers: self.answers.clone(),
            }],
        }
    }

    pub fn conversation(&self) -> Conversation {
        Conversation {
            notes: self.notes.clone().unwrap_or_default(),
            actions: self
                .actions
                .iter()
                .flatten()
                .map(|a| Action {
                    id: a.id.clone(),
                    text: a.text.clone(),
                    who: a.who.clone(),
                    due: a.due.clone(),
                    lesson: a.lesson.clone(),
                })
                .collect(),
            outcomes: self.previous_actions.clone().unwrap_or_default(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BundleReview {
    pub id: String,
    pub initiative_id: String,
    pub from: String,
    pub to: String,
    pub reviewer: String,
    pub note: String,
    pub created_at: String,
    /// Version 3: the machine it was made on, when not the one that exported the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub made_on: Option<String>,
    #[serde(default)]
    pub hash: Option<String>,
}

/// A record that was not imported because its id exists with other content.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Conflict {
    pub id: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, TS)]
#[ts(export)]
pub struct ImportSummary {
    pub added: u32,
    pub skipped: u32,
    pub conflicts: Vec<Conflict>,
}
