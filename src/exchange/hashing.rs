/*! Each record's content hash, the same for a record read from a bundle and one read from the
store: equal hashes mean the same content, so an import skips it; the hash never covers where a
record came from (provenance). */
use super::bundle::BundleRespondent;
use crate::model::Conversation;
use crate::model::ReviewEntry;
use crate::store::{Initiative, StoredCheck};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

pub(super) fn sha256(value: &Value) -> String {
    let digest = Sha256::digest(serde_json::to_vec(value).expect("JSON values serialize"));
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The content hash rules (docs/bundle-format.md): SHA-256 of a JSON array of the fields in a
/// fixed order, so the same content hashes the same on every machine.
pub fn initiative_hash(
    id: &str,
    name: &str,
    description: Option<&str>,
    lat: f64,
    lon: f64,
    groups: &[String],
    created_at: &str,
) -> String {
    // -0.0 and 0.0 are one number (the store keeps them as one): one hash.
    sha256(&json!([
        "initiative",
        id,
        name,
        description,
        lat + 0.0,
        lon + 0.0,
        groups,
        created_at
    ]))
}

pub fn check_hash(
    id: &str,
    initiative_id: &str,
    role: &str,
    created_at: &str,
    answers: &BTreeMap<String, Option<i64>>,
) -> String {
    sha256(&json!([
        "self_check",
        id,
        initiative_id,
        role,
        created_at,
        answers
    ]))
}

/// A check's content hash. A check by one person on screen with nothing noted hashes as in
/// version 1 (so both versions of a file agree about it); any other by the version 2 rule.
pub fn group_check_hash(
    id: &str,
    initiative_id: &str,
    role: &str,
    created_at: &str,
    respondents: &[BundleRespondent],
    c: &Conversation,
) -> String {
    match respondents {
        [one] if !one.on_paper && one.role == role && *c == Conversation::default() => {
            check_hash(id, initiative_id, role, created_at, &one.answers)
        }
        _ => {
            let people: Vec<Value> = respondents
                .iter()
                .map(|r| json!([r.role, r.on_paper, r.answers]))
                .collect();
            let actions: Vec<Value> = c
                .actions
                .iter()
                .map(|a| json!([a.id, a.text, a.who, a.due, a.lesson]))
                .collect();
            let mut outcomes: Vec<Value> = c
                .outcomes
                .iter()
                .map(|o| json!([o.id, o.outcome.as_str(), o.note]))
                .collect();
            outcomes.sort_by_key(|v| v[0].as_str().unwrap_or_default().to_string());
            let notes: Vec<Value> = c
                .notes
                .iter()
                .map(|(l, n)| json!([l, n.good, n.better]))
                .collect();
            sha256(&json!([
                "self_check",
                2,
                id,
                initiative_id,
                role,
                created_at,
                people,
                notes,
                actions,
                outcomes
            ]))
        }
    }
}

pub fn review_hash(e: &ReviewEntry) -> String {
    sha256(&json!([
        "review",
        e.id,
        e.initiative_id,
        e.from.as_str(),
        e.to.as_str(),
        e.reviewer,
        e.note,
        e.created_at
    ]))
}

pub(super) fn stored_initiative_hash(i: &Initiative) -> String {
    initiative_hash(
        &i.id,
        &i.name,
        i.description.as_deref(),
        i.lat,
        i.lon,
        &i.target_groups,
        &i.created_at,
    )
}

pub(super) fn answers_wide(answers: &crate::model::Answers) -> BTreeMap<String, Option<i64>> {
    answers
        .iter()
        .map(|(k, v)| (k.clone(), v.map(i64::from)))
        .collect()
}

pub(super) fn stored_respondents(c: &StoredCheck) -> Vec<BundleRespondent> {
    c.respondents
        .iter()
        .map(|r| BundleRespondent {
            role: r.role.as_str().into(),
            on_paper: r.on_paper,
            answers: answers_wide(&r.answers),
        })
        .collect()
}

pub(super) fn stored_check_hash(c: &StoredCheck) -> String {
    group_check_hash(
        &c.id,
        &c.initiative_id,
        c.role.as_str(),
        &c.created_at,
        &stored_respondents(c),
        &c.conversation,
    )
}
