/*! The store inside one unit of work: [`Db`] is what the other capabilities read and write
through, within a transaction (`Store::in_transaction`) or on the open database (`Store::db`).
It holds the SQLite connection so that no module outside `store/` ever does: the SQL, and the
knowledge of which table holds what, stay here. */
use std::collections::BTreeMap;

use rusqlite::Connection;

use super::aggregates::{self, Known, PartSums};
use super::facts::{self, Filter, Order};
use super::provenance::{self, ImportOrigin, Machine, Record, Source, SourceCount};
use super::purging::{self, PurgeMoments, Purged};
use super::sessions::{self, OpenSession, SessionMember};
use super::sync_state::{self, SkippedRow};
use super::{
    checks_of, emptied_elsewhere, exists, insert_check, insert_initiative, insert_review,
    is_purged, refill_initiative, reviews_where, visible_check, visible_check_scores,
    visible_counts, visible_counts_by_wijk, visible_counts_of_wijk, Initiative, Store, StoreError,
    StoredCheck,
};
use crate::model::{ReviewEntry, ReviewStatus, StrategyScores};

/// The store's reads and writes for one unit of work. Cheap to copy; it lives as long as the
/// transaction or the borrow of the store it came from.
#[derive(Clone, Copy)]
pub struct Db<'a> {
    conn: &'a Connection,
}

impl<'a> Db<'a> {
    pub(super) fn new(conn: &'a Connection) -> Db<'a> {
        Db { conn }
    }

    /// Adds a member to a round inside the caller's transaction; returns the number of members.
    pub(crate) fn add_member_in(
        &self,
        id: &str,
        member: &SessionMember,
    ) -> Result<usize, StoreError> {
        sessions::add_member_in(self.conn, id, member)
    }

    /// Whether any round is open on this machine.
    pub(crate) fn any_open(&self) -> Result<bool, StoreError> {
        sessions::any_open(self.conn)
    }

    /// Records an import that adds something (its machines' latest names too); its id is what the
    /// imported records refer to.
    pub(crate) fn begin_import(
        &self,
        origin: &ImportOrigin,
        imported_at: &str,
    ) -> Result<i64, StoreError> {
        provenance::begin_import(self.conn, origin, imported_at)
    }

    /// How many initiatives pass the filter.
    pub(crate) fn count_initiatives(&self, filter: &Filter<'_>) -> Result<u32, StoreError> {
        facts::count(self.conn, filter)
    }

    /// Whether an initiative's details were emptied here by another machine's retention (a tombstone
    /// that schema 1 of the shared database passed on; migration 14): the record may come back.
    pub(crate) fn emptied_elsewhere(&self, id: &str) -> Result<bool, StoreError> {
        emptied_elsewhere(self.conn, id)
    }

    /// Ends a round without saving it (a check with its id arrived from elsewhere); true if there was one.
    pub(crate) fn end_session_in(&self, id: &str) -> Result<bool, StoreError> {
        sessions::end_session_in(self.conn, id)
    }

    /// True when `table` (one of ours, never user input) has a row with this id.
    pub(crate) fn exists(&self, table: &'static str, id: &str) -> Result<bool, StoreError> {
        exists(self.conn, table, id)
    }

    /// The ids of every initiative that passes the filter, oldest first.
    pub(crate) fn initiative_ids_where(
        &self,
        filter: &Filter<'_>,
    ) -> Result<Vec<String>, StoreError> {
        facts::ids(self.conn, filter)
    }

    /// Inserts a self-check exactly as given, with its respondents, answers, notes and actions. The
    /// caller then refreshes the initiative's running aggregates ([`aggregates::refresh`]), once per batch.
    pub(crate) fn insert_check(
        &self,
        c: &StoredCheck,
        stamp: Option<&provenance::Stamp>,
    ) -> Result<(), StoreError> {
        insert_check(self.conn, c, stamp)
    }

    /// Inserts an initiative exactly as given (id and time included): for saving and for import
    /// (`stamp`: where an imported one came from).
    pub(crate) fn insert_initiative(
        &self,
        i: &Initiative,
        stamp: Option<&provenance::Stamp>,
    ) -> Result<(), StoreError> {
        insert_initiative(self.conn, i, stamp)
    }

    /// Inserts a review entry; `stamp` says where an imported one came from.
    pub(crate) fn insert_review(
        &self,
        e: &ReviewEntry,
        stamp: Option<&provenance::Stamp>,
    ) -> Result<(), StoreError> {
        insert_review(self.conn, e, stamp)
    }

    /// Creates a round exactly as given (id and time included), without members: for import.
    pub(crate) fn insert_session(&self, s: &OpenSession) -> Result<(), StoreError> {
        sessions::insert_session(self.conn, s)
    }

    /// True when a record with this id was purged (only its tombstone is left).
    pub(crate) fn is_purged(&self, id: &str) -> Result<bool, StoreError> {
        is_purged(self.conn, id)
    }

    /// The last number in the sync log (0 when it is empty).
    pub(crate) fn last_logged(&self) -> Result<i64, StoreError> {
        sync_state::last_logged(self.conn)
    }

    /// The machine another machine made this record on, for passing it on in a bundle: None for a
    /// record made here (or whose maker the file that brought it did not name).
    pub(crate) fn made_elsewhere(
        &self,
        record: Record,
        id: &str,
    ) -> Result<Option<Machine>, StoreError> {
        provenance::made_elsewhere(self.conn, record, id)
    }

    /// In the transaction that took in what a server sent (up to its number `through`): notes it as
    /// received, and, when nothing was logged here between this machine's send and that transaction
    /// (`logged_before` is still `sent`), moves the sent mark past what came in, which need not go
    /// back. Anything else logged in between keeps the mark where it was, so that it is sent.
    pub(crate) fn note_received_after(
        &self,
        server: &str,
        through: Option<i64>,
        sent: i64,
        logged_before: i64,
    ) -> Result<(), StoreError> {
        sync_state::note_received_after(self.conn, server, through, sent, logged_before)
    }

    /// Replaces the list of a server's rows left out: each sync looks at all of them again, so what
    /// it left out now is the whole list.
    pub(crate) fn note_skipped(
        &self,
        server: &str,
        skipped: &[SkippedRow],
    ) -> Result<(), StoreError> {
        sync_state::note_skipped(self.conn, server, skipped)
    }

    /// One page of the `matching` rows that pass the filter, sorted. The page's ids are chosen from
    /// the facts alone; only those rows are then read whole. SQLite keeps only offset + limit rows
    /// while it sorts, so a page in the second half is read from the other end, in the other
    /// direction, and turned round: the last page costs what the first does.
    pub(crate) fn initiative_page(
        &self,
        filter: &Filter<'_>,
        order: Order,
        descending: bool,
        offset: u32,
        limit: u32,
        matching: u32,
    ) -> Result<Vec<super::AreaRow>, StoreError> {
        facts::page(
            self.conn, filter, order, descending, offset, limit, matching,
        )
    }

    /// Marks, removes and logs in one go; `months` is only written to the purge log.
    pub(crate) fn purge(
        &self,
        moments: &PurgeMoments<'_>,
        months: u32,
    ) -> Result<Purged, StoreError> {
        purging::purge(self.conn, moments, months)
    }

    /// Fills an initiative emptied by another machine's retention with its record again, and lifts
    /// its tombstone.
    pub(crate) fn refill_initiative(
        &self,
        i: &Initiative,
        stamp: &provenance::Stamp,
    ) -> Result<(), StoreError> {
        refill_initiative(self.conn, i, stamp)
    }

    /// The ids of the rounds open on this machine, oldest first.
    pub(crate) fn session_ids(&self) -> Result<Vec<String>, StoreError> {
        sessions::session_ids(self.conn)
    }

    pub(crate) fn session_of(&self, id: &str) -> Result<Option<OpenSession>, StoreError> {
        sessions::session_of(self.conn, id)
    }

    /// Where a municipality's initiatives came from (read from their kept facts): this machine
    /// first, then by name.
    pub(crate) fn source_counts(&self, municipality: &str) -> Result<Vec<SourceCount>, StoreError> {
        provenance::source_counts(self.conn, municipality)
    }

    /// A record's source; `here` is this machine (read once by a caller that asks for many).
    pub(crate) fn source_of(
        &self,
        here: &Machine,
        record: Record,
        id: &str,
    ) -> Result<Source, StoreError> {
        provenance::source_of(self.conn, here, record, id)
    }

    /// The sums per part, for one municipality or (None) for the whole database.
    pub(crate) fn score_sums(
        &self,
        municipality: Option<&str>,
    ) -> Result<BTreeMap<String, PartSums>, StoreError> {
        aggregates::sums(self.conn, municipality)
    }

    /// This machine's id and name.
    pub(crate) fn this_machine(&self) -> Result<Machine, StoreError> {
        provenance::this_machine(self.conn)
    }

    /// A visible self-check by its id (None when there is none, or it is marked for removal).
    pub(crate) fn visible_check(&self, id: &str) -> Result<Option<StoredCheck>, StoreError> {
        visible_check(self.conn, id)
    }

    /// Every visible check's initiative, time and (group) scores, of one municipality's initiatives
    /// or one wijk's (the quarterly trend), oldest first.
    pub(crate) fn visible_check_scores(
        &self,
        municipality: Option<&str>,
        wijk: Option<&str>,
    ) -> Result<Vec<(String, String, StrategyScores)>, StoreError> {
        visible_check_scores(self.conn, municipality, wijk)
    }

    /// How many initiatives (not purged) and visible self-checks there are, in one municipality or in
    /// all. Two spellings of each count, so that SQLite can use the municipality index for one area
    /// and need not scan for all.
    pub(crate) fn visible_counts(
        &self,
        municipality: Option<&str>,
    ) -> Result<(u32, u32), StoreError> {
        visible_counts(self.conn, municipality)
    }

    /// How many initiatives (not purged) and visible self-checks there are per wijk of one
    /// municipality; the key "" holds those outside every wijk.
    pub(crate) fn visible_counts_by_wijk(
        &self,
        municipality: &str,
    ) -> Result<BTreeMap<String, (u32, u32)>, StoreError> {
        visible_counts_by_wijk(self.conn, municipality)
    }

    /// How many initiatives (not purged) and visible self-checks one wijk has.
    pub(crate) fn visible_counts_of_wijk(&self, wijk: &str) -> Result<(u32, u32), StoreError> {
        visible_counts_of_wijk(self.conn, wijk)
    }

    /// The sums per part of one wijk.
    pub(crate) fn wijk_score_sums(
        &self,
        wk_code: &str,
    ) -> Result<BTreeMap<String, PartSums>, StoreError> {
        aggregates::wijk_sums(self.conn, wk_code)
    }

    pub(crate) fn checks_of(&self, initiative_id: &str) -> Result<Vec<StoredCheck>, StoreError> {
        checks_of(self.conn, initiative_id)
    }

    /// Notes that these initiatives' facts are to be refreshed when the import ends.
    pub(crate) fn defer_facts<S: AsRef<str>>(
        &self,
        initiative_ids: &[S],
    ) -> Result<(), StoreError> {
        facts::defer(self.conn, initiative_ids)
    }

    /// Brings these initiatives' facts (the municipality's table) up to date.
    pub(crate) fn refresh_facts<S: AsRef<str>>(
        &self,
        initiative_ids: &[S],
    ) -> Result<(), StoreError> {
        facts::refresh(self.conn, initiative_ids)
    }

    /// Brings the running score sums up to date for these initiatives, taking a check's share
    /// from `known` where it is there rather than scoring its answers again.
    pub(crate) fn refresh_sums<S: AsRef<str>>(
        &self,
        initiative_ids: &[S],
        known: &Known,
    ) -> Result<(), StoreError> {
        aggregates::refresh_knowing(self.conn, initiative_ids, known)
    }

    /// An initiative, also one whose details were removed (its tombstone aside).
    pub(crate) fn initiative(&self, id: &str) -> Result<Option<Initiative>, StoreError> {
        Store::initiative_in(self.conn, id)
    }

    /// An initiative's current review status and when it was set.
    pub(crate) fn review_head(
        &self,
        initiative_id: &str,
    ) -> Result<(ReviewStatus, Option<String>), StoreError> {
        Store::review_head_in(self.conn, initiative_id)
    }

    /// One entry of a review log.
    pub(crate) fn review_entry(&self, id: &str) -> Result<Option<ReviewEntry>, StoreError> {
        Ok(reviews_where(self.conn, "id = ?1", id)?.pop())
    }

    /// An initiative's review log, oldest first.
    pub(crate) fn reviews(&self, initiative_id: &str) -> Result<Vec<ReviewEntry>, StoreError> {
        reviews_where(self.conn, "initiative_id = ?1", initiative_id)
    }
}
