//! Sync with a shared PostgreSQL/PostGIS database, against a real server: `make test` starts one
//! (tests/pg/with-postgres.sh) and names it in WIJKKOMPAS_TEST_PG. Each test gets a database of
//! its own, made from the server's `wijkkompas` database (PostGIS and the two accounts in place).
use std::sync::Mutex;

use postgres::{Client, NoTls};
use serde_json::{json, Value};
use wijkkompas::content::catalog::catalog;

use crate::util::Sandbox;

mod trust;

static MAKING: Mutex<()> = Mutex::new(());

/// A new database of its own: (superuser URL, schema owner URL, syncing account URL).
struct SharedDb {
    admin: String,
    owner: String,
    syncer: String,
}

fn server() -> String {
    std::env::var("WIJKKOMPAS_TEST_PG").expect("the sync tests need the PostgreSQL server that `make test` starts: run them under tests/pg/with-postgres.sh")
}

/// The same server and account, another database (the query, sslmode=…, kept).
fn with_db(url: &str, db: &str) -> String {
    let (address, query) = url.split_once('?').unwrap_or((url, ""));
    let (base, _) = address.rsplit_once('/').unwrap();
    format!(
        "{base}/{db}{}",
        if query.is_empty() {
            String::new()
        } else {
            format!("?{query}")
        }
    )
}

/// A connection for the test itself, waiting while the server is full (a test of many machines
/// at once may hold every connection for a moment).
fn connect(url: &str) -> Client {
    let started = std::time::Instant::now();
    loop {
        match Client::connect(url, NoTls) {
            Err(e)
                if started.elapsed() < std::time::Duration::from_secs(60)
                    && e.code() == Some(&postgres::error::SqlState::TOO_MANY_CONNECTIONS) =>
            {
                std::thread::sleep(std::time::Duration::from_millis(200))
            }
            connected => return connected.unwrap(),
        }
    }
}

/// Whether the PostgreSQL server of tests/pg/with-postgres.sh is there. Without it a plain
/// `cargo test` still passes: each sync test is skipped, said once on the terminal (past the
/// test harness's capture). `make test` sets WIJKKOMPAS_REQUIRE_PG, which makes a missing server
/// a failure, so that a server that did not start cannot pass silently.
fn have_server() -> bool {
    static SAID: std::sync::Once = std::sync::Once::new();
    if std::env::var_os("WIJKKOMPAS_TEST_PG").is_some() {
        return true;
    }
    assert!(
        std::env::var_os("WIJKKOMPAS_REQUIRE_PG").is_none(),
        "WIJKKOMPAS_REQUIRE_PG is set, but no PostgreSQL server was given (WIJKKOMPAS_TEST_PG)"
    );
    SAID.call_once(|| {
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "sync tests skipped: they need PostgreSQL with PostGIS; run them with tests/pg/with-postgres.sh cargo test (make test does)"
        );
    });
    false
}

/// A database of its own on the test server, or None (the test is skipped) without a server.
fn shared_db() -> Option<SharedDb> {
    if !have_server() {
        return None;
    }
    let admin = server();
    let name = format!("t_{}", uuid::Uuid::new_v4().simple());
    {
        let _one_at_a_time = MAKING.lock().unwrap();
        let mut c = connect(&with_db(&admin, "postgres"));
        c.batch_execute(&format!("CREATE DATABASE {name} TEMPLATE wijkkompas"))
            .unwrap();
    }
    let account = |var: &str| with_db(&std::env::var(var).unwrap(), &name);
    let db = SharedDb {
        admin: with_db(&admin, &name),
        owner: account("WIJKKOMPAS_TEST_PG_OWNER"),
        syncer: account("WIJKKOMPAS_TEST_PG_SYNC"),
    };
    let mut c = connect(&db.admin);
    c.batch_execute(&format!(
        "GRANT CREATE ON DATABASE {name} TO wijkkompas_owner"
    ))
    .unwrap();
    Some(db)
}

impl SharedDb {
    fn client(&self) -> Client {
        connect(&self.admin)
    }

    fn count(&self, sql: &str) -> i64 {
        self.client().query_one(sql, &[]).unwrap().get(0)
    }

    /// What docs/postgis-schema.md has the owner grant a syncing account, once.
    fn grant_syncer(&self) {
        let mut c = connect(&self.owner);
        c.batch_execute(
            include_str!("../../docs/postgis-grants.sql")
                .replace(":syncer", "wijkkompas_sync")
                .as_str(),
        )
        .unwrap();
    }
}

/// A community centre's machine, named, with `n` self-checks of its own in Utrecht.
fn centre(name: &str, n: usize, lat: f64) -> (Sandbox, Vec<String>) {
    let sb = Sandbox::new();
    sb.json(&["settings", "--name", name, "--json"]);
    let mut ids = Vec::new();
    for k in 0..n {
        let answers: Value = catalog()
            .statements()
            .enumerate()
            .map(|(i, s)| (s.id.clone(), json!(((i + k) % 5 + 1) as u8)))
            .collect::<serde_json::Map<_, _>>()
            .into();
        let input = json!({"initiative": {"name": format!("{name} {k}"), "lat": lat + k as f64 * 0.001, "lon": 5.12, "role": "resident"}, "answers": answers});
        let f = sb.file(&format!("c{k}.json"), &input.to_string());
        ids.push(
            sb.json(&["check", "--input", f.to_str().unwrap(), "--json"])["initiative_id"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    (sb, ids)
}

/// What the CLI is given for `url`: the address without its password, and the password, which
/// goes in PGPASSWORD (an address that holds one is refused).
fn address(url: &str) -> (String, String) {
    let (scheme, rest) = url.split_once("://").unwrap();
    let (account, host) = rest.split_once('@').unwrap();
    let (user, password) = account.split_once(':').unwrap_or((account, ""));
    (format!("{scheme}://{user}@{host}"), password.to_string())
}

fn sync(sb: &Sandbox, url: &str) -> Value {
    sync_with(sb, url, &[], &[])
}

/// `sync --json` with more arguments and environment, the password given in PGPASSWORD.
fn sync_with(sb: &Sandbox, url: &str, more: &[&str], env: &[(&str, &str)]) -> Value {
    let (address, password) = address(url);
    let mut args = vec!["sync", "--postgres", &address, "--json"];
    args.extend(more);
    let mut env = env.to_vec();
    env.push(("PGPASSWORD", &password));
    sb.json_with(&args, &env)
}

/// A sync expected to fail: its message.
fn sync_error(sb: &Sandbox, url: &str) -> String {
    let (address, password) = address(url);
    sb.error_with(
        &["sync", "--postgres", &address],
        &[("PGPASSWORD", &password)],
    )
}

fn names(sb: &Sandbox) -> Vec<String> {
    let mut names: Vec<String> = sb
        .json(&["list", "--json"])
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["initiative"]["name"].as_str().unwrap().to_string())
        .collect();
    names.sort();
    names.dedup();
    names
}

#[test]
fn a_review_made_on_one_machine_reaches_the_other_through_the_server() {
    let Some(db) = shared_db() else {
        return;
    };
    let (a, a_ids) = centre("Buurthuis De Kolk", 2, 52.09);
    let (b, _) = centre("Wijkcentrum De Linde", 1, 52.10);
    let first = sync(&a, &db.owner);
    assert_eq!(
        first["sent"]["added"], 4,
        "two initiatives and their checks: {first}"
    );
    let second = sync(&b, &db.owner);
    assert_eq!(
        (
            second["sent"]["added"].as_u64(),
            second["received"]["added"].as_u64()
        ),
        (Some(2), Some(4)),
        "{second}"
    );
    assert_eq!(
        names(&b),
        [
            "Buurthuis De Kolk 0",
            "Buurthuis De Kolk 1",
            "Wijkcentrum De Linde 0"
        ]
    );
    // Received records remember the machine they were made on.
    let kolk = b
        .json(&["list", "--json"])
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["initiative"]["name"] == "Buurthuis De Kolk 0")
        .unwrap()
        .clone();
    assert_eq!(kolk["source"]["machine_name"], "Buurthuis De Kolk");

    b.json(&[
        "review",
        &a_ids[0],
        "--status",
        "in_review",
        "--by",
        "Fatima",
        "--note",
        "Mooi plan",
        "--json",
    ]);
    assert_eq!(sync(&b, &db.owner)["sent"]["added"], 1);
    let back = sync(&a, &db.owner);
    assert_eq!(
        back["received"]["added"], 3,
        "B's initiative, its check and the review: {back}"
    );
    let log = a.json(&["reviews", &a_ids[0], "--json"]);
    assert_eq!(log.as_array().unwrap().len(), 1);
    assert_eq!(
        (log[0]["reviewer"].as_str(), log[0]["note"].as_str()),
        (Some("Fatima"), Some("Mooi plan"))
    );
    // Nothing new: nothing sent, nothing received.
    let again = sync(&a, &db.owner);
    assert_eq!(
        (
            again["sent"]["added"].as_u64(),
            again["received"]["added"].as_u64(),
            again["received"]["skipped"].as_u64()
        ),
        (Some(0), Some(0), Some(0))
    );

    // The points as QGIS reads them: PostGIS points in WGS84 and RD New, valid, in Utrecht.
    let mut c = db.client();
    let rows = c.query("SELECT name, ST_SRID(geom), ST_SRID(geom_rd), ST_IsValid(geom_rd), ST_X(geom_rd), ST_Y(geom_rd), gm_code FROM wijkkompas.latest_checks ORDER BY name", &[]).unwrap();
    assert_eq!(rows.len(), 3);
    for r in rows {
        assert_eq!(
            (r.get::<_, i32>(1), r.get::<_, i32>(2), r.get::<_, bool>(3)),
            (4326, 28992, true)
        );
        let (x, y): (f64, f64) = (r.get(4), r.get(5));
        assert!(
            (130_000.0..140_000.0).contains(&x) && (450_000.0..460_000.0).contains(&y),
            "RD New of Utrecht: {x} {y}"
        );
        assert_eq!(r.get::<_, Option<String>>(6).as_deref(), Some("GM0344"));
    }
    // Three initiatives: the view names the quarter and n, and keeps its means to itself.
    let row = c.query_one("SELECT initiatives, bonding, bonding_n FROM wijkkompas.scores_by_quarter WHERE level = 'municipality' AND code = 'GM0344'", &[]).unwrap();
    assert_eq!(
        (
            row.get::<_, i64>(0),
            row.get::<_, Option<rust_decimal_free::Numeric>>(1)
                .is_none(),
            row.get::<_, i64>(2)
        ),
        (3, true, 3)
    );
}

/// Postgres `numeric` read as text, without a decimal crate.
mod rust_decimal_free {
    pub struct Numeric;
    impl<'a> postgres::types::FromSql<'a> for Numeric {
        fn from_sql(
            _: &postgres::types::Type,
            _: &'a [u8],
        ) -> Result<Self, Box<dyn std::error::Error + Sync + Send>> {
            Ok(Numeric)
        }
        fn accepts(ty: &postgres::types::Type) -> bool {
            *ty == postgres::types::Type::NUMERIC
        }
    }
}

#[test]
fn the_means_show_from_five_initiatives_on() {
    let Some(db) = shared_db() else {
        return;
    };
    let (a, _) = centre("Buurthuis De Kolk", 5, 52.09);
    sync(&a, &db.owner);
    let mut c = db.client();
    let row = c.query_one("SELECT initiatives, bonding::float8, bonding_n FROM wijkkompas.scores_by_quarter WHERE level = 'municipality' AND code = 'GM0344'", &[]).unwrap();
    let local = a.json(&["stats", "--municipality", "GM0344", "--json"]);
    let mean = local["strategies"]["bonding"]["mean"].as_f64().unwrap();
    assert_eq!((row.get::<_, i64>(0), row.get::<_, i64>(2)), (5, 5));
    assert!(
        (row.get::<_, f64>(1) - mean).abs() < 0.051,
        "the server's mean {} is this machine's {mean}",
        row.get::<_, f64>(1)
    );
}

#[test]
fn same_id_other_content_is_a_conflict_both_ways_and_nothing_is_overwritten() {
    let Some(db) = shared_db() else {
        return;
    };
    let (a, _) = centre("Buurthuis De Kolk", 1, 52.09);
    // A second machine holds the same records (from a bundle of A's).
    let bundle = a.dir.path().join("a.json");
    assert!(a
        .run(&[
            "export",
            "--format",
            "bundle",
            "-o",
            bundle.to_str().unwrap()
        ])
        .status
        .success());
    let (b, _) = centre("Wijkcentrum De Linde", 0, 52.10);
    b.json(&["import", bundle.to_str().unwrap(), "--json"]);
    sync(&a, &db.owner);
    // On the server someone changed A's initiative by hand.
    db.client().batch_execute("UPDATE wijkkompas.initiatives SET record = jsonb_set(record, '{name}', '\"Anders\"'), content_hash = 'changed', name = 'Anders'").unwrap();
    let result = sync(&b, &db.owner);
    assert_eq!(
        result["sent"]["conflicts"].as_array().unwrap().len(),
        1,
        "{result}"
    );
    assert_eq!(
        result["received"]["conflicts"].as_array().unwrap().len(),
        1,
        "{result}"
    );
    assert_eq!(
        names(&b),
        ["Buurthuis De Kolk 0"],
        "this machine's copy stays as it was"
    );
    assert_eq!(
        db.count("SELECT count(*) FROM wijkkompas.initiatives WHERE name = 'Anders'"),
        1,
        "and the server's too"
    );
}

/// An RFC 3339 time `days` from now, for `purge --pretend-now`.
fn later(days: i64) -> String {
    (time::OffsetDateTime::now_utc() + time::Duration::days(days))
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap()
}

/// Two machines that synced each other's check (A's first in each list).
fn two_synced_centres(db: &SharedDb) -> ((Sandbox, Vec<String>), (Sandbox, Vec<String>)) {
    let (a, a_ids) = centre("Buurthuis De Kolk", 1, 52.09);
    let (b, b_ids) = centre("Wijkcentrum De Linde", 1, 52.10);
    sync(&a, &db.owner);
    sync(&b, &db.owner);
    sync(&a, &db.owner);
    assert_eq!((names(&a).len(), names(&b).len()), (2, 2));
    ((a, a_ids), (b, b_ids))
}

#[test]
fn a_retention_purge_removes_only_this_machines_own_copies() {
    let Some(db) = shared_db() else {
        return;
    };
    let ((a, _), (b, _)) = two_synced_centres(&db);
    a.json(&["settings", "--retention", "1", "--json"]);
    a.json(&["purge", "--pretend-now", &later(40), "--json"]);
    assert_eq!(
        a.json(&["purge", "--pretend-now", &later(55), "--json"])["removed"],
        2,
        "A's own check and B's"
    );
    let sent = sync(&a, &db.owner);
    assert_eq!(
        sent["sent"]["tombstones"], 0,
        "retention is never sent: {sent}"
    );
    assert_eq!(sent["removed"], 0, "{sent}");
    assert_eq!(
        sent["received"]["added"], 0,
        "what A's retention removed does not come back to A: {sent}"
    );
    assert!(names(&a).is_empty());
    assert_eq!(db.count("SELECT count(*) FROM wijkkompas.self_checks"), 2);
    assert_eq!(db.count("SELECT count(*) FROM wijkkompas.initiatives"), 2);
    let received = sync(&b, &db.owner);
    assert_eq!(received["removed"], 0, "{received}");
    assert_eq!(names(&b).len(), 2, "B keeps both");
    let (c, _) = centre("Dorpshuis", 0, 52.1);
    assert_eq!(sync(&c, &db.owner)["received"]["added"], 4);
}

#[test]
fn an_erasure_removes_the_record_on_the_server_and_on_every_machine() {
    let Some(db) = shared_db() else {
        return;
    };
    let ((a, _), (b, b_ids)) = two_synced_centres(&db);
    let erased = a.json(&[
        "erase",
        &b_ids[0],
        "--reason",
        "De initiatiefnemer vroeg om verwijdering",
        "--json",
    ]);
    assert_eq!(
        (erased["kind"].as_str(), erased["removed"].as_u64()),
        (Some("initiative"), Some(2)),
        "the initiative and its check: {erased}"
    );
    assert_eq!(names(&a), vec!["Buurthuis De Kolk 0".to_string()]);
    let sent = sync(&a, &db.owner);
    assert_eq!(sent["sent"]["tombstones"], 2, "{sent}");
    assert_eq!(
        sent["removed"], 0,
        "A's own erasure coming back is not counted as removed elsewhere: {sent}"
    );
    assert_eq!(db.count("SELECT count(*) FROM wijkkompas.self_checks"), 1);
    assert_eq!(db.count("SELECT count(*) FROM wijkkompas.initiatives"), 1);
    let received = sync(&b, &db.owner);
    assert_eq!(received["removed"], 2, "{received}");
    assert_eq!(names(&b), vec!["Buurthuis De Kolk 0".to_string()]);
    assert_eq!(sync(&a, &db.owner)["removed"], 0);
    assert_eq!(sync(&b, &db.owner)["removed"], 0);
    // A machine that never had it does not get it; one that missed the erasure cannot send it
    // back.
    let (c, _) = centre("Dorpshuis", 0, 52.1);
    assert_eq!(sync(&c, &db.owner)["received"]["added"], 2);
    assert_eq!(names(&c), vec!["Buurthuis De Kolk 0".to_string()]);
}

#[test]
fn a_check_erased_on_one_machine_goes_on_a_machine_that_had_it_and_not_its_initiative() {
    let Some(db) = shared_db() else {
        return;
    };
    let ((a, a_ids), (b, _)) = two_synced_centres(&db);
    let check = b.json(&["history", &a_ids[0], "--json"])[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let erased = b.json(&["erase", &check, "--reason", "Dubbel ingevoerd", "--json"]);
    assert_eq!(erased["kind"], "self_check");
    sync(&b, &db.owner);
    assert_eq!(sync(&a, &db.owner)["removed"], 1);
    assert_eq!(a.json(&["stats", "--json"])["checks"], 1);
}

/// A new initiative with one self-check on a machine that has some already.
fn add_check(sb: &Sandbox, name: &str, lat: f64) {
    let input = json!({"initiative": {"name": name, "lat": lat, "lon": 5.12, "role": "resident"}, "answers": {"bonding-1-a": 4}});
    let f = sb.file(&format!("{name}.json"), &input.to_string());
    sb.json(&["check", "--input", f.to_str().unwrap(), "--json"]);
}

impl SharedDb {
    fn name(&self) -> String {
        let address = self.admin.split('?').next().unwrap();
        address.rsplit('/').next().unwrap().to_string()
    }

    /// What restoring last night's backup does: the database as it was when `backup` ran.
    fn backup(&self) -> String {
        let copy = format!("{}_backup", self.name());
        let mut c = Client::connect(&with_db(&server(), "postgres"), NoTls).unwrap();
        c.batch_execute(&format!("CREATE DATABASE {copy} TEMPLATE {}", self.name()))
            .unwrap();
        copy
    }

    fn restore(&self, copy: &str) {
        let mut c = Client::connect(&with_db(&server(), "postgres"), NoTls).unwrap();
        c.batch_execute(&format!("DROP DATABASE {} WITH (FORCE)", self.name()))
            .unwrap();
        c.batch_execute(&format!("ALTER DATABASE {copy} RENAME TO {}", self.name()))
            .unwrap();
    }
}

#[test]
fn a_server_restored_from_an_older_backup_is_healed_and_nothing_is_lost_or_doubled() {
    let Some(db) = shared_db() else {
        return;
    };
    let (a, _) = centre("Buurthuis De Kolk", 2, 52.09);
    let (b, _) = centre("Wijkcentrum De Linde", 1, 52.10);
    sync(&a, &db.owner);
    sync(&b, &db.owner);
    let backup = db.backup();
    add_check(&a, "Na de back-up", 52.08);
    sync(&a, &db.owner);
    assert_eq!(sync(&b, &db.owner)["received"]["added"], 2);
    db.restore(&backup);
    assert_eq!(db.count("SELECT count(*) FROM wijkkompas.self_checks"), 3);
    // A third machine sends to the restored server: its records take numbers that B saw before.
    let (c, _) = centre("Dorpshuis", 2, 52.11);
    sync(&c, &db.owner);
    let healed = sync(&b, &db.owner);
    assert_eq!(
        healed["received"]["added"], 4,
        "C's two initiatives and checks, which B's old mark would have passed over: {healed}"
    );
    assert_eq!(
        db.count("SELECT count(*) FROM wijkkompas.self_checks"),
        6,
        "B sent again the check that the restore lost"
    );
    assert_eq!(healed["healed"], true, "and says so: {healed}");
    assert_eq!(sync(&a, &db.owner)["healed"], true);
    assert_eq!(sync(&b, &db.owner)["healed"], false, "healed once");
    assert_eq!(
        sync(&c, &db.owner)["healed"],
        false,
        "C synced only with the restored server"
    );
    for sb in [&a, &b, &c] {
        assert_eq!(sb.json(&["stats", "--json"])["checks"], 6);
    }
    assert_eq!(db.count("SELECT count(*) FROM wijkkompas.self_checks"), 6);
    assert_eq!(db.count("SELECT count(*) FROM wijkkompas.initiatives"), 6);
}

/// A server of schema version 1 took in retention purges as tombstones and removed the records
/// they named, there and on every machine. Version 2 withdraws them: what a machine still holds
/// goes back to the server, and a machine that lost it gets it again.
#[test]
fn records_that_a_retention_removed_under_schema_1_come_back() {
    let Some(db) = shared_db() else {
        return;
    };
    let ((a, _), (b, b_ids)) = two_synced_centres(&db);
    let initiative = &b_ids[0];
    let check = b.json(&["history", initiative, "--json"])[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    // What version 1 did when a third machine's retention removed B's check: a tombstone for the
    // check and its initiative on the server, both records removed there.
    let mut c = db.client();
    c.batch_execute(&format!(
        "UPDATE wijkkompas.about SET schema_version = 1;
         INSERT INTO wijkkompas.tombstones (id, kind, purged_at, sent_by)
           SELECT '{check}', 'self_check', now(), made_on FROM wijkkompas.self_checks WHERE id = '{check}';
         INSERT INTO wijkkompas.tombstones (id, kind, purged_at, sent_by)
           SELECT '{initiative}', 'initiative', now(), made_on FROM wijkkompas.initiatives WHERE id = '{initiative}';
         DELETE FROM wijkkompas.self_checks WHERE id = '{check}';
         DELETE FROM wijkkompas.initiatives WHERE id = '{initiative}';"
    ))
    .unwrap();
    assert_eq!(db.count("SELECT count(*) FROM wijkkompas.self_checks"), 1);
    // B still holds them: its next sync (which brings the server to version 2) sends them again.
    let healed = sync(&b, &db.owner);
    assert_eq!(
        db.count("SELECT count(*) FROM wijkkompas.tombstones"),
        0,
        "{healed}"
    );
    assert_eq!(db.count("SELECT count(*) FROM wijkkompas.self_checks"), 2);
    assert_eq!(db.count("SELECT count(*) FROM wijkkompas.initiatives"), 2);
    assert_eq!(healed["removed"], 0);
    // A new machine gets everything.
    let (d, _) = centre("Dorpshuis", 0, 52.1);
    sync(&d, &db.owner);
    assert_eq!(names(&d).len(), 2);
    assert_eq!(names(&a).len(), 2);
}

#[test]
fn four_machines_at_once_twice_end_with_exactly_the_union() {
    let Some(db) = shared_db() else {
        return;
    };
    sync(&centre("Eigenaar", 0, 52.1).0, &db.owner);
    db.grant_syncer();
    let machines: Vec<(Sandbox, Vec<String>)> = (0..4)
        .map(|k| centre(&format!("Buurthuis {k}"), 5, 52.08 + k as f64 * 0.01))
        .collect();
    for (sb, ids) in &machines {
        sb.json(&[
            "review",
            &ids[0],
            "--status",
            "in_review",
            "--by",
            "Anna",
            "--json",
        ]);
    }
    for _round in 0..2 {
        std::thread::scope(|s| {
            for (sb, _) in &machines {
                let url = db.syncer.clone();
                s.spawn(move || sync(sb, &url));
            }
        });
    }
    assert_eq!(db.count("SELECT count(*) FROM wijkkompas.initiatives"), 20);
    assert_eq!(db.count("SELECT count(*) FROM wijkkompas.self_checks"), 20);
    assert_eq!(db.count("SELECT count(*) FROM wijkkompas.review_log"), 4);
    assert_eq!(db.count("SELECT count(DISTINCT seq) FROM (SELECT seq FROM wijkkompas.initiatives UNION ALL SELECT seq FROM wijkkompas.self_checks UNION ALL SELECT seq FROM wijkkompas.review_log) s"), 44);
    // One more round: every machine then holds all of them, once.
    for (sb, _) in &machines {
        sync(sb, &db.syncer);
    }
    for (sb, _) in &machines {
        assert_eq!(sb.json(&["list", "--json"]).as_array().unwrap().len(), 20);
        assert_eq!(names(sb).len(), 20);
    }
}

#[test]
fn a_newer_schema_on_the_server_is_refused_and_changes_nothing() {
    let Some(db) = shared_db() else {
        return;
    };
    let (a, _) = centre("Buurthuis De Kolk", 1, 52.09);
    sync(&a, &db.owner);
    db.client()
        .batch_execute("UPDATE wijkkompas.about SET schema_version = 99")
        .unwrap();
    let (b, _) = centre("Wijkcentrum De Linde", 1, 52.10);
    let msg = sync_error(&b, &db.owner);
    assert!(
        msg.contains("schema version 99") && msg.contains("Update Wijkkompas"),
        "{msg}"
    );
    assert_eq!(db.count("SELECT count(*) FROM wijkkompas.initiatives"), 1);
    assert_eq!(names(&b), ["Wijkcentrum De Linde 0"]);
}

#[test]
fn a_syncing_account_cannot_make_the_schema_and_needs_only_the_documented_grants() {
    let Some(db) = shared_db() else {
        return;
    };
    let (a, _) = centre("Buurthuis De Kolk", 1, 52.09);
    let msg = sync_error(&a, &db.syncer);
    assert!(msg.contains("no Wijkkompas schema yet"), "{msg}");
    sync(&centre("Eigenaar", 0, 52.1).0, &db.owner);
    let msg = sync_error(&a, &db.syncer);
    assert!(msg.contains("refused"), "without the grants: {msg}");
    db.grant_syncer();
    assert_eq!(sync(&a, &db.syncer)["sent"]["added"], 2);
    // The password is never printed, not even in a failure.
    let wrong = db
        .syncer
        .replace("127.0.0.1", "127.0.0.2")
        .replace(":sync-secret", ":wrong-secret");
    let msg = sync_error(&a, &wrong);
    assert!(!msg.contains("secret"), "{msg}");
}

#[test]
fn a_kiosk_syncs_only_with_the_coordinators_pin() {
    let Some(db) = shared_db() else {
        return;
    };
    let (a, _) = centre("Buurthuis De Kolk", 1, 52.09);
    a.json_with(
        &["settings", "--new-pin", "--kiosk", "on", "--json"],
        &[("WIJKKOMPAS_NEW_PIN", "2468")],
    );
    let msg = sync_error(&a, &db.owner);
    assert!(msg.to_lowercase().contains("pin"), "{msg}");
    assert_eq!(db.count("SELECT count(*) FROM (SELECT 1 FROM information_schema.schemata WHERE schema_name = 'wijkkompas') s"), 0, "nothing reached the server");
    assert_eq!(
        sync_with(&a, &db.owner, &[], &[("WIJKKOMPAS_PIN", "2468")])["sent"]["added"],
        2
    );
}

/// Starts `wijkkompas sync` in the background.
fn start_sync(sb: &Sandbox, url: &str) -> std::process::Child {
    let (address, password) = address(url);
    std::process::Command::new(env!("CARGO_BIN_EXE_wijkkompas"))
        .args(["sync", "--postgres", &address, "--json"])
        .env("WIJKKOMPAS_DB", sb.db())
        .env("PGPASSWORD", password)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap()
}

/// Waits (on the server's own view of its sessions, not on time) until `ready` says so.
fn wait_until(db: &SharedDb, what: &str, ready: &str) {
    let mut c = db.client();
    for _ in 0..600 {
        if c.query_one(ready, &[]).unwrap().get::<_, bool>(0) {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    panic!("never came to pass: {what}");
}

#[test]
fn a_sync_killed_while_sending_leaves_the_server_as_it_was_and_a_rerun_finishes() {
    let Some(db) = shared_db() else {
        return;
    };
    sync(&centre("Eigenaar", 0, 52.1).0, &db.owner);
    let (a, _) = centre("Buurthuis De Kolk", 3, 52.09);
    // Another sync's turn: this one waits for the lock in the middle of its send, then is killed.
    let mut holder = db.client();
    holder
        .execute(
            "SELECT pg_advisory_lock($1)",
            &[&wijkkompas::sync::TURN_LOCK],
        )
        .unwrap();
    let mut child = start_sync(&a, &db.owner);
    wait_until(&db, "the send waits for its turn", "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE application_name = 'wijkkompas' AND wait_event_type = 'Lock')");
    child.kill().unwrap();
    child.wait().unwrap();
    holder
        .execute(
            "SELECT pg_advisory_unlock($1)",
            &[&wijkkompas::sync::TURN_LOCK],
        )
        .unwrap();
    wait_until(
        &db,
        "the killed session is gone",
        "SELECT NOT EXISTS (SELECT 1 FROM pg_stat_activity WHERE application_name = 'wijkkompas')",
    );
    assert_eq!(
        db.count("SELECT count(*) FROM wijkkompas.initiatives"),
        0,
        "the cut-off send left nothing behind"
    );
    let rerun = sync(&a, &db.owner);
    assert_eq!(
        (
            rerun["sent"]["added"].as_u64(),
            rerun["sent"]["skipped"].as_u64()
        ),
        (Some(6), Some(0)),
        "{rerun}"
    );
    assert_eq!(db.count("SELECT count(*) FROM wijkkompas.self_checks"), 3);
}

#[test]
fn a_sync_killed_after_the_server_took_its_records_is_finished_by_a_rerun_without_doubles() {
    let Some(db) = shared_db() else {
        return;
    };
    let (a, _) = centre("Buurthuis De Kolk", 3, 52.09);
    let (b, _) = centre("Wijkcentrum De Linde", 2, 52.10);
    sync(&b, &db.owner);
    // This machine's database is busy elsewhere: the sync's send is committed on the server, then
    // it waits to note that here, and is killed there.
    let local = rusqlite::Connection::open(a.db()).unwrap();
    local.execute_batch("BEGIN IMMEDIATE").unwrap();
    let mut child = start_sync(&a, &db.owner);
    wait_until(
        &db,
        "the send is committed",
        "SELECT (SELECT count(*) FROM wijkkompas.self_checks) = 5",
    );
    child.kill().unwrap();
    child.wait().unwrap();
    local.execute_batch("ROLLBACK").unwrap();
    drop(local);
    assert_eq!(names(&a).len(), 3, "nothing was received before the kill");
    let rerun = sync(&a, &db.owner);
    assert_eq!(
        (
            rerun["sent"]["added"].as_u64(),
            rerun["sent"]["skipped"].as_u64()
        ),
        (Some(0), Some(6)),
        "sent again, known the same: {rerun}"
    );
    assert_eq!(
        rerun["received"]["added"], 4,
        "B's two initiatives and their checks: {rerun}"
    );
    assert_eq!(db.count("SELECT count(*) FROM wijkkompas.self_checks"), 5);
    assert_eq!(names(&a).len(), 5);
}

#[test]
fn a_machine_that_only_sends_receives_nothing() {
    let Some(db) = shared_db() else {
        return;
    };
    let (a, _) = centre("Buurthuis De Kolk", 1, 52.09);
    let (b, _) = centre("Wijkcentrum De Linde", 1, 52.10);
    sync(&a, &db.owner);
    let only = sync_with(&b, &db.owner, &["--send-only"], &[]);
    assert_eq!(
        (
            only["sent"]["added"].as_u64(),
            only["received"]["added"].as_u64()
        ),
        (Some(2), Some(0)),
        "{only}"
    );
    assert_eq!(
        names(&b),
        ["Wijkcentrum De Linde 0"],
        "no one else's data came here"
    );
    assert_eq!(db.count("SELECT count(*) FROM wijkkompas.initiatives"), 2);
}

#[test]
fn tls_is_used_when_asked_for_and_the_servers_certificate_is_checked() {
    let Some(db) = shared_db() else {
        return;
    };
    let (a, _) = centre("Buurthuis De Kolk", 1, 52.09);
    let tls = db.owner.replace("sslmode=disable", "sslmode=require");
    // A certificate that no authority this machine trusts has signed: refused, nothing sent.
    let (tls, password) = address(&tls);
    let out = a.run_with(
        &["sync", "--postgres", &tls, "--lang", "en"],
        &[("PGPASSWORD", &password)],
        None,
    );
    assert!(!out.status.success());
    let msg = String::from_utf8_lossy(&out.stderr);
    assert!(
        msg.contains("certificate was not accepted") && msg.contains("Nothing was sent"),
        "{msg}"
    );
    assert!(!msg.contains("owner-secret"), "{msg}");
    // With the municipality's own authority named, as libpq reads it.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_wijkkompas"))
        .args(["sync", "--postgres", &tls, "--json"])
        .env("WIJKKOMPAS_DB", a.db())
        .env("PGPASSWORD", &password)
        .env(
            "PGSSLROOTCERT",
            std::env::var("WIJKKOMPAS_TEST_PG_CA").unwrap(),
        )
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // sslmode=require: the client goes on only over TLS, so what arrived came encrypted.
    assert_eq!(db.count("SELECT count(*) FROM wijkkompas.initiatives"), 1);
}

#[test]
fn a_check_saved_here_while_a_sync_runs_is_sent_by_the_next_sync() {
    let Some(db) = shared_db() else {
        return;
    };
    sync(&centre("Eigenaar", 0, 52.1).0, &db.owner);
    let (a, _) = centre("Buurthuis De Kolk", 1, 52.09);
    let (b, _) = centre("Wijkcentrum De Linde", 1, 52.10);
    sync(&b, &db.owner);
    // A's sync has read what it will send and waits for its turn; meanwhile a check is saved on A.
    let mut holder = db.client();
    holder
        .execute(
            "SELECT pg_advisory_lock($1)",
            &[&wijkkompas::sync::TURN_LOCK],
        )
        .unwrap();
    let child = start_sync(&a, &db.owner);
    wait_until(&db, "the send waits for its turn", "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE application_name = 'wijkkompas' AND wait_event_type = 'Lock')");
    let answers: Value = catalog()
        .statements()
        .map(|s| (s.id.clone(), json!(4)))
        .collect::<serde_json::Map<_, _>>()
        .into();
    let late = a.file("late.json", &json!({"initiative": {"name": "Laat initiatief", "lat": 52.095, "lon": 5.12, "role": "resident"}, "answers": answers}).to_string());
    a.json(&["check", "--input", late.to_str().unwrap(), "--json"]);
    holder
        .execute(
            "SELECT pg_advisory_unlock($1)",
            &[&wijkkompas::sync::TURN_LOCK],
        )
        .unwrap();
    assert!(child.wait_with_output().unwrap().status.success());
    assert_eq!(
        db.count("SELECT count(*) FROM wijkkompas.initiatives WHERE name = 'Laat initiatief'"),
        0,
        "read before it was saved"
    );
    let next = sync(&a, &db.owner);
    assert_eq!(
        next["sent"]["added"], 2,
        "the late initiative and its check: {next}"
    );
    assert_eq!(
        db.count("SELECT count(*) FROM wijkkompas.initiatives WHERE name = 'Laat initiatief'"),
        1
    );
}

/// A group check on the server: its record carries the respondents (machines merge from it, as
/// docs/privacy.md says), the views that QGIS and BI read carry the group's scores and nothing
/// of any one person.
#[test]
fn the_views_give_a_groups_scores_and_no_ones_answers() {
    let Some(db) = shared_db() else {
        return;
    };
    let sb = Sandbox::new();
    let input = json!({
        "initiative": {"name": "Buurtkamer De Linde", "lat": 52.0907, "lon": 5.1214},
        "respondents": [
            {"role": "resident", "answers": {"bonding-1-a": 5, "bridging-1-a": 1}},
            {"role": "resident", "answers": {"bonding-1-a": 1, "bridging-1-a": null}},
            {"role": "professional", "answers": {"bonding-1-a": 4, "bridging-1-a": 2}}
        ]
    });
    let f = sb.file("group.json", &input.to_string());
    let result = sb.json(&["check", "--input", f.to_str().unwrap(), "--json"]);
    sync(&sb, &db.owner);
    let mut c = db.client();
    let kept: i64 = c
        .query_one(
            "SELECT jsonb_array_length(record->'respondents')::bigint FROM wijkkompas.self_checks",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(kept, 3, "the sync table keeps each respondent, for merging");
    let columns: Vec<(String, String)> = c
        .query(
            "SELECT table_name::text, column_name::text FROM information_schema.columns WHERE table_schema = 'wijkkompas' AND table_name IN (SELECT table_name FROM information_schema.views WHERE table_schema = 'wijkkompas') ORDER BY 1, 2",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    assert!(columns.iter().any(|(v, _)| v == "latest_checks"));
    let personal = |c: &str| {
        ["record", "answer", "respondent", "role", "statement"]
            .iter()
            .any(|p| c.contains(p))
    };
    assert!(
        !columns.iter().any(|(_, c)| personal(c)),
        "a view shows what one person gave: {columns:?}"
    );
    let row = c
        .query_one(
            "SELECT score_bonding, score_bridging FROM wijkkompas.latest_checks",
            &[],
        )
        .unwrap();
    let (bonding, bridging): (Option<f64>, Option<f64>) = (row.get(0), row.get(1));
    let near = |a: Option<f64>, b: &Value| (a.unwrap() - b.as_f64().unwrap()).abs() < 0.051;
    assert!(
        near(bonding, &result["scores"]["bonding"])
            && near(bridging, &result["scores"]["bridging"]),
        "the view gives the group's scores: {bonding:?} {bridging:?} {}",
        result["scores"]
    );
}

/// A fresh machine receives what the server holds a page at a time (each page taken in with its
/// marks), so that millions of records need no more memory than a few thousand: here 12,500
/// records, three pages, all of them, once.
#[test]
fn a_fresh_machine_receives_everything_page_by_page() {
    let Some(db) = shared_db() else {
        return;
    };
    let (a, _) = centre("Buurthuis De Kolk", 0, 52.09);
    let bundle = a.file("large.json", &crate::large_bundles::bundle_text(2_500, 4));
    a.json(&["import", bundle.to_str().unwrap(), "--json"]);
    assert_eq!(sync(&a, &db.owner)["sent"]["added"], 12_500);
    let (b, _) = centre("Wijkcentrum De Linde", 0, 52.10);
    let first = sync(&b, &db.owner);
    assert_eq!(
        first["received"]["added"], 12_500,
        "{}",
        first["received"]["conflicts"]
    );
    assert_eq!(b.json(&["stats", "--json"])["checks"], 10_000);
    let again = sync(&b, &db.owner);
    assert_eq!(
        (
            again["received"]["added"].as_u64(),
            again["received"]["skipped"].as_u64()
        ),
        (Some(0), Some(0))
    );
}

/// An administrator who corrects the server's newest row gives it a new number: that is no
/// restore, and no machine sends and receives everything again for it.
#[test]
fn a_renumbered_row_is_not_taken_for_a_restored_server() {
    let Some(db) = shared_db() else {
        return;
    };
    let ((a, _), (b, _)) = two_synced_centres(&db);
    let mut c = db.client();
    c.batch_execute(
        "UPDATE wijkkompas.self_checks SET seq = nextval('wijkkompas.record_seq')
          WHERE seq = (SELECT max(seq) FROM wijkkompas.self_checks)",
    )
    .unwrap();
    for sb in [&a, &b] {
        let again = sync(sb, &db.owner);
        assert_eq!(again["healed"], false, "{again}");
        assert_eq!(again["sent"]["skipped"], 0, "nothing sent again: {again}");
    }
}

/// Issue 32: a server nobody answers at was worded "Connection refused (os error 111)", the
/// operating system's English. The person reads what it means, in their language.
#[test]
fn a_refused_connection_is_worded_for_the_person_not_as_the_systems_error() {
    let sb = centre("Buurthuis", 1, 52.09).0;
    // Port 1 on this machine: nothing listens there, so the system refuses the connection.
    let url = "postgres://buurthuis@127.0.0.1:1/wijkkompas?sslmode=disable";
    for (lang, words) in [
        ("nl", "de server neemt niet op"),
        ("en", "the server does not answer the call"),
    ] {
        let msg = sb.error_with(
            &["sync", "--postgres", url, "--lang", lang],
            &[("PGPASSWORD", "x")],
        );
        assert!(msg.contains(words), "{lang}: {msg}");
        assert!(!msg.contains("os error"), "{lang}: {msg}");
        assert!(!msg.contains("Connection refused"), "{lang}: {msg}");
    }
}
