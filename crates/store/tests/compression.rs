//! SQLite keeps results compressed against a dictionary (the knowledge base), reads every
//! row back byte for byte whatever dictionary it was written with, and a database of the
//! first schema (results as text) is migrated without losing a row or a reference.

use std::borrow::Cow;

use chrono::Utc;
use sqlx::{Connection, Row};
use upperback_store::{
    AccountId, NewAssessment, NewEpisode, RawValue, Role, SqliteStore, Store, Viewer,
};

/// A real result of the engine (~10 KB of JSON), and its level.
fn engine_result(answers: &str) -> (String, String) {
    let kb = upperback_core::KnowledgeBase::embedded();
    let evidence = kb.parse_answers(answers).unwrap();
    let assessment = upperback_core::assess(kb, &evidence);
    (
        assessment.to_json(),
        assessment.triage.level.as_str().to_string(),
    )
}

fn new_assessment(owner: Option<AccountId>, answers: &str) -> NewAssessment {
    let (result, level) = engine_result(answers);
    NewAssessment {
        owner,
        input: serde_json::json!({ "answers": answers }),
        result: RawValue::from_string(result).unwrap(),
        level,
        kb_version: "test".into(),
        kb_digest: "sha256:test".into(),
    }
}

fn knowledge_base_json() -> String {
    upperback_core::KnowledgeBase::embedded()
        .to_json_value()
        .to_string()
}

/// `(result IS NULL, length of result_zstd, result_dictionary)` of a row, read directly.
async fn raw_row(path: &std::path::Path, id: uuid::Uuid) -> (bool, Option<i64>, Option<i64>) {
    let url = format!("sqlite://{}", path.display());
    let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
    let row = sqlx::query(
        "SELECT result IS NULL AS plain_missing, length(result_zstd) AS frame, result_dictionary \
         FROM assessments WHERE id = ?1",
    )
    .bind(id)
    .fetch_one(&mut conn)
    .await
    .unwrap();
    let answer = (
        row.get::<bool, _>("plain_missing"),
        row.get("frame"),
        row.get("result_dictionary"),
    );
    conn.close().await.unwrap();
    answer
}

#[tokio::test]
async fn results_are_kept_compressed_and_come_back_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store.db");
    let store = SqliteStore::open(&path).await.unwrap();

    // Before any dictionary: kept as text.
    let plain = new_assessment(None, r#"{"fever": true}"#);
    let plain_json = plain.result.get().to_string();
    let plain_id = store.put_assessment(plain).await.unwrap().id;
    assert_eq!(raw_row(&path, plain_id.0).await, (false, None, None));

    // With the knowledge base as dictionary: a zstd frame of a fraction of the size.
    store
        .use_result_dictionary(knowledge_base_json().as_bytes())
        .await
        .unwrap();
    let packed = new_assessment(None, r#"{"chest_pain": false, "duration_hours": 30}"#);
    let packed_json = packed.result.get().to_string();
    assert!(packed_json.len() > 4_000, "{} bytes", packed_json.len());
    let packed_id = store.put_assessment(packed).await.unwrap().id;
    let (plain_missing, frame, dictionary) = raw_row(&path, packed_id.0).await;
    assert!(plain_missing);
    let frame = frame.expect("a zstd frame") as usize;
    assert!(
        frame * 4 < packed_json.len(),
        "{frame} bytes for {} of JSON",
        packed_json.len()
    );
    let first_dictionary = dictionary.expect("its dictionary");

    let read = |store: SqliteStore| async move {
        let mut back = Vec::new();
        for id in [plain_id, packed_id] {
            let stored = store
                .get_assessment(Viewer::Local, id)
                .await
                .unwrap()
                .unwrap();
            back.push(stored.result.get().to_string());
        }
        (store, back)
    };
    let (store, back) = read(store).await;
    assert_eq!(back, [plain_json.clone(), packed_json.clone()]);
    // Giving the same dictionary again (the next start) does not make a new one.
    store
        .use_result_dictionary(knowledge_base_json().as_bytes())
        .await
        .unwrap();
    let again = store
        .put_assessment(new_assessment(None, r#"{"fever": false}"#))
        .await
        .unwrap()
        .id;
    assert_eq!(raw_row(&path, again.0).await.2, Some(first_dictionary));
    store.close().await;

    // Another process that has not been given any dictionary reads both rows (the
    // dictionary comes from the database), and the export holds them (as the same JSON).
    let store = SqliteStore::open(&path).await.unwrap();
    let (store, back) = read(store).await;
    assert_eq!(back, [plain_json.clone(), packed_json.clone()]);
    let export = store.export(Viewer::Local).await.unwrap().to_string();
    let exported: serde_json::Value = serde_json::from_str(&export).unwrap();
    let results: Vec<String> = exported["assessments"]
        .as_array()
        .expect("the export lists the assessments")
        .iter()
        .map(|a| a["result"].to_string())
        .collect();
    let value = |json: &str| {
        serde_json::from_str::<serde_json::Value>(json)
            .unwrap()
            .to_string()
    };
    assert!(results.contains(&value(&packed_json)), "{results:?}");

    // A new knowledge base (another dictionary): new rows use it, old rows still read.
    store
        .use_result_dictionary(b"{\"advice\":\"another knowledge base\"}")
        .await
        .unwrap();
    let newer = new_assessment(None, r#"{"fever": false}"#);
    let newer_json = newer.result.get().to_string();
    let newer_id = store.put_assessment(newer).await.unwrap().id;
    let (_, _, dictionary) = raw_row(&path, newer_id.0).await;
    assert_ne!(dictionary, Some(first_dictionary));
    let (store, back) = read(store).await;
    assert_eq!(back, [plain_json, packed_json]);
    let newer_back = store
        .get_assessment(Viewer::Local, newer_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(newer_back.result.get(), newer_json);
    store.close().await;
}

/// A file of schema version 1 (results as text), with an account, a shared assessment and
/// an episode started from it, opened by this version: every row and every reference is
/// still there, and the foreign keys still act (erasing the account removes its rows).
#[tokio::test]
async fn a_database_of_the_first_schema_is_migrated_without_losing_anything() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v1.db");
    let url = format!("sqlite://{}?mode=rwc", path.display());
    let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
    let mut first_only = sqlx::migrate!("./migrations/sqlite");
    first_only.migrations = Cow::Owned(first_only.migrations[..1].to_vec());
    first_only.run(&mut conn).await.unwrap();

    let (person, clinician) = (uuid::Uuid::new_v4(), uuid::Uuid::new_v4());
    let assessment_id = uuid::Uuid::new_v4();
    let (result, level) = engine_result(r#"{"fever": true}"#);
    let now = Utc::now().timestamp_micros();
    for (id, email, role) in [
        (person, "person@example.org", "person"),
        (clinician, "clinician@example.org", "clinician"),
    ] {
        sqlx::query(
            "INSERT INTO accounts (id, email, role, password_hash, created_at) \
             VALUES (?1, ?2, ?3, 'x', ?4)",
        )
        .bind(id)
        .bind(email)
        .bind(role)
        .bind(now)
        .execute(&mut conn)
        .await
        .unwrap();
    }
    sqlx::query(
        "INSERT INTO assessments (id, owner_id, created_at, level, urgency, kb_version, \
         kb_digest, input, result) VALUES (?1, ?2, ?3, ?4, 2, 'old', 'sha256:old', '{}', ?5)",
    )
    .bind(assessment_id)
    .bind(person)
    .bind(now)
    .bind(&level)
    .bind(&result)
    .execute(&mut conn)
    .await
    .unwrap();
    sqlx::query("INSERT INTO shares (assessment_id, clinician_id, shared_at) VALUES (?1, ?2, ?3)")
        .bind(assessment_id)
        .bind(clinician)
        .bind(now)
        .execute(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
    let store = SqliteStore::open(&path).await.unwrap();
    let episode = store
        .create_episode(
            Some(AccountId(person)),
            NewEpisode {
                started_at: Utc::now(),
                location: None,
                severity: Some(4),
                triggers: vec![],
                assessment: Some(upperback_store::AssessmentId(assessment_id)),
            },
        )
        .await
        .unwrap();
    store.close().await;

    // The migration ran at that open; open again, as the next start would.
    let store = SqliteStore::open(&path).await.unwrap();
    let id = upperback_store::AssessmentId(assessment_id);
    let by_clinician = store
        .get_assessment(Viewer::Clinician(AccountId(clinician)), id)
        .await
        .unwrap()
        .expect("the share survived the migration");
    assert_eq!(by_clinician.result.get(), result);
    let detail = store
        .episode(Viewer::Person(AccountId(person)), episode.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(detail.episode.assessment, Some(id));
    let queue = store.queue(AccountId(clinician)).await.unwrap();
    assert_eq!(queue.len(), 1);

    // The new table's foreign keys act: erasing the person removes the assessment and the
    // share, and the episode's link with it.
    let account = store
        .account(AccountId(person))
        .await
        .unwrap()
        .expect("the account");
    assert_eq!(account.role, Role::Person);
    store
        .erase(Viewer::Person(AccountId(person)))
        .await
        .unwrap();
    assert!(store
        .get_assessment(Viewer::Local, id)
        .await
        .unwrap()
        .is_none());
    assert!(store.queue(AccountId(clinician)).await.unwrap().is_empty());
    store.close().await;
}
