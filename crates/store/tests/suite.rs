//! One suite, run against both backends: every case below runs once on SQLite (a temporary
//! file) and once on PostgreSQL (a database of its own).

mod common;

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use chrono::{Duration as Span, Utc};
use serde_json::json;
use upperback_store::auth::{self, new_session_token};
use upperback_store::{
    Account, AssessmentId, EpisodeId, NewCheckIn, NewEpisode, Role, Store, StoreError, Viewer,
};

use common::assessment;

/// A dummy PHC string: hashing real passwords is the auth module's business and slow.
const HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g";

async fn person(store: &Arc<dyn Store>, email: &str) -> Account {
    store
        .create_account(email, HASH, Role::Person)
        .await
        .unwrap()
}

async fn clinician(store: &Arc<dyn Store>, email: &str) -> Account {
    store
        .create_account(email, HASH, Role::Clinician)
        .await
        .unwrap()
}

fn not_found<T: std::fmt::Debug>(r: Result<T, StoreError>) {
    assert!(
        matches!(r, Err(StoreError::NotFound)),
        "expected NotFound, got {r:?}"
    );
}

fn invalid<T: std::fmt::Debug>(r: Result<T, StoreError>) {
    assert!(
        matches!(r, Err(StoreError::Invalid(_))),
        "expected Invalid, got {r:?}"
    );
}

mod cases {
    use super::*;

    pub async fn healthy(store: Arc<dyn Store>) {
        assert!(store.healthy().await);
        // Only SQLite compresses results with a dictionary (PostgreSQL's TOAST does it
        // itself): a caller builds the dictionary only when asked to.
        assert_eq!(store.compresses_results(), store.kind() == "sqlite");
    }

    pub async fn assessment_round_trip(store: Arc<dyn Store>) {
        let mut new = assessment(None, "within_24_hours");
        // Awkward text survives: NUL, quotes, non-ASCII, emoji.
        new.input =
            json!({"text": "nul\u{0}here \"quoted\" — épaule 😣", "answers": {"fever": false}});
        let stored = store.put_assessment(new.clone()).await.unwrap();
        let back = store
            .get_assessment(Viewer::Local, stored.id)
            .await
            .unwrap()
            .expect("stored");
        assert_eq!(back.id, stored.id);
        assert_eq!(back.created_at, stored.created_at);
        assert_eq!(back.owner, None);
        assert_eq!(back.input, new.input);
        // The result comes back as the very JSON text it was given, byte for byte.
        assert_eq!(back.result.get(), new.result.get());
        assert_eq!(back.level, "within_24_hours");
        assert_eq!(back.kb_version, "0.1.0");
        assert_eq!(back.kb_digest, "sha256:abc");
        assert!((Utc::now() - stored.created_at).num_seconds().abs() < 60);

        // The result's bytes are kept as given: member order, spacing, number forms and
        // escapes are not rewritten (the text is neither parsed into a tree nor re-written).
        let mut exact = assessment(None, "self_care");
        let text = r#"{"z": 1,  "a":[1.50, 2e3, -0.0], "s":"\u00e9\"é😣", "e":{}}"#;
        exact.result = upperback_store::RawValue::from_string(text.to_string()).unwrap();
        let kept = store.put_assessment(exact).await.unwrap();
        let back = store
            .get_assessment(Viewer::Local, kept.id)
            .await
            .unwrap()
            .expect("stored");
        assert_eq!(back.result.get(), text);
        store.erase(Viewer::Local).await.unwrap();
        let stored = store.put_assessment(new.clone()).await.unwrap();

        // Ids are random and distinct.
        let other = store.put_assessment(new.clone()).await.unwrap();
        assert_ne!(other.id, stored.id);

        // Unknown id.
        assert!(store
            .get_assessment(Viewer::Local, AssessmentId::random())
            .await
            .unwrap()
            .is_none());
        // Bad level; an owner that does not exist.
        invalid(store.put_assessment(assessment(None, "urgent")).await);
        not_found(
            store
                .put_assessment(assessment(
                    Some(upperback_store::AccountId::random()),
                    "self_care",
                ))
                .await,
        );
        // The history, newest first.
        let list = store.assessments(Viewer::Local, 10).await.unwrap();
        assert_eq!(
            list.iter().map(|a| a.id).collect::<Vec<_>>(),
            vec![other.id, stored.id]
        );
        assert_eq!(store.assessments(Viewer::Local, 1).await.unwrap().len(), 1);
        // The ids' text form parses back; garbage is NotFound.
        assert_eq!(
            stored.id.to_string().parse::<AssessmentId>().unwrap(),
            stored.id
        );
        not_found("../etc/passwd".parse::<AssessmentId>());

        // A refused write (its owner does not exist) leaves the writer clean: the writes
        // beside it (in the same batch or not) and after it are committed and read back.
        let stranger = Some(upperback_store::AccountId::random());
        let mut writes = vec![store.put_assessment(assessment(stranger, "ambulance"))];
        writes.extend((0..8).map(|_| store.put_assessment(assessment(None, "within_days"))));
        let mut answers = futures::future::join_all(writes).await.into_iter();
        not_found(answers.next().unwrap());
        let next = store.put_assessment(assessment(None, "ambulance")).await;
        for stored in answers.chain([next]).map(Result::unwrap) {
            assert!(store
                .get_assessment(Viewer::Local, stored.id)
                .await
                .unwrap()
                .is_some());
        }
    }

    pub async fn assessment_isolation(store: Arc<dyn Store>) {
        let alice = person(&store, "alice@example.org").await;
        let bob = person(&store, "bob@example.org").await;
        let carol = clinician(&store, "carol@clinic.example").await;
        let dan = clinician(&store, "dan@clinic.example").await;
        let a = store
            .put_assessment(assessment(Some(alice.id), "within_days"))
            .await
            .unwrap();
        let b = store
            .put_assessment(assessment(Some(bob.id), "self_care"))
            .await
            .unwrap();
        let sees = |v: Viewer, id: AssessmentId| {
            let store = store.clone();
            async move { store.get_assessment(v, id).await.unwrap().is_some() }
        };
        let (va, vb) = (Viewer::Person(alice.id), Viewer::Person(bob.id));
        let (vc, vd) = (Viewer::Clinician(carol.id), Viewer::Clinician(dan.id));
        assert!(sees(va, a.id).await);
        assert!(!sees(vb, a.id).await, "another person never reads it");
        assert!(!sees(va, b.id).await);
        assert!(!sees(vc, a.id).await, "a clinician reads nothing unshared");
        assert!(
            sees(Viewer::Local, a.id).await,
            "local mode reads everything"
        );
        assert_eq!(Viewer::for_account(&carol), vc);

        // Lists hold only one's own.
        let ids = |v: Viewer| {
            let store = store.clone();
            async move {
                store
                    .assessments(v, 100)
                    .await
                    .unwrap()
                    .into_iter()
                    .map(|s| s.id)
                    .collect::<Vec<_>>()
            }
        };
        assert_eq!(ids(va).await, vec![a.id]);
        assert_eq!(ids(vb).await, vec![b.id]);
        assert!(ids(vc).await.is_empty());

        // Sharing: only the owner, only with a clinician; NotFound otherwise.
        not_found(store.share(bob.id, a.id, "carol@clinic.example").await);
        not_found(store.share(alice.id, a.id, "bob@example.org").await);
        not_found(store.share(alice.id, a.id, "nobody@clinic.example").await);
        not_found(store.share(alice.id, a.id, "not an email").await);
        not_found(
            store
                .share(alice.id, AssessmentId::random(), "carol@clinic.example")
                .await,
        );
        assert!(!sees(vc, a.id).await);

        store
            .share(alice.id, a.id, " Carol@Clinic.Example ")
            .await
            .unwrap();
        store
            .share(alice.id, a.id, "carol@clinic.example")
            .await
            .unwrap(); // twice is fine
        assert!(sees(vc, a.id).await, "shared with carol");
        assert!(!sees(vd, a.id).await, "not with dan");
        assert!(!sees(vb, a.id).await);
        assert!(!sees(Viewer::Person(carol.id), b.id).await);

        // Taking it back.
        not_found(store.unshare(bob.id, a.id, "carol@clinic.example").await);
        store
            .unshare(alice.id, a.id, "carol@clinic.example")
            .await
            .unwrap();
        assert!(!sees(vc, a.id).await);
        not_found(store.unshare(alice.id, a.id, "carol@clinic.example").await);
    }

    pub async fn accounts_and_sessions(store: Arc<dyn Store>) {
        let alice = person(&store, "  Alice@Example.ORG").await;
        assert_eq!(alice.email, "alice@example.org");
        assert_eq!(alice.role, Role::Person);
        assert!(matches!(
            store
                .create_account("ALICE@example.org", HASH, Role::Clinician)
                .await,
            Err(StoreError::EmailTaken)
        ));
        invalid(store.create_account("no-at-sign", HASH, Role::Person).await);
        invalid(store.create_account("a@b.c", "", Role::Person).await);

        let creds = store
            .account_by_email("alice@EXAMPLE.org")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(creds.account, alice);
        assert_eq!(creds.password_hash, HASH);
        assert!(
            !format!("{creds:?}").contains("argon2"),
            "Debug redacts the hash"
        );
        assert!(store
            .account_by_email("nobody@x.org")
            .await
            .unwrap()
            .is_none());
        assert!(store.account_by_email("garbage").await.unwrap().is_none());
        assert_eq!(store.account(alice.id).await.unwrap(), Some(alice.clone()));

        // A live session.
        let (token, hash) = new_session_token();
        store
            .create_session(&hash, alice.id, Utc::now() + Span::hours(1))
            .await
            .unwrap();
        assert_eq!(
            store.session(&auth::TokenHash::of(&token)).await.unwrap(),
            Some(alice.clone())
        );
        assert!(store
            .session(&auth::TokenHash::of("guess"))
            .await
            .unwrap()
            .is_none());

        // Expired.
        let (_, old) = new_session_token();
        store
            .create_session(&old, alice.id, Utc::now() - Span::seconds(1))
            .await
            .unwrap();
        assert!(store.session(&old).await.unwrap().is_none());
        assert_eq!(store.purge_expired_sessions().await.unwrap(), 1);
        assert!(
            store.session(&hash).await.unwrap().is_some(),
            "live one kept"
        );

        // Logout: the token stops working; logging out twice is fine.
        store.delete_session(&hash).await.unwrap();
        assert!(store.session(&hash).await.unwrap().is_none());
        store.delete_session(&hash).await.unwrap();

        // No session for an account that does not exist.
        let (_, stray) = new_session_token();
        not_found(
            store
                .create_session(
                    &stray,
                    upperback_store::AccountId::random(),
                    Utc::now() + Span::hours(1),
                )
                .await,
        );
    }

    pub async fn queue_order(store: Arc<dyn Store>) {
        let carol = clinician(&store, "carol@clinic.example").await;
        let dan = clinician(&store, "dan@clinic.example").await;
        let alice = person(&store, "alice@example.org").await;
        let bob = person(&store, "bob@example.org").await;
        // Stored in this order (oldest first).
        let plan = [
            (alice.id, "self_care"),
            (bob.id, "within_days"),
            (alice.id, "ambulance"),
            (bob.id, "within_24_hours"),
            (alice.id, "within_days"),
            (bob.id, "emergency_department"),
            (alice.id, "ambulance"),
            (bob.id, "self_care"),
        ];
        let mut stored = Vec::new();
        for (owner, level) in plan {
            let s = store
                .put_assessment(assessment(Some(owner), level))
                .await
                .unwrap();
            stored.push((s.id, level, owner));
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        // Share all but the last; share in reverse order (queue order must not depend on it).
        for (id, _, owner) in stored.iter().take(7).rev() {
            let email = "carol@clinic.example";
            store.share(*owner, *id, email).await.unwrap();
        }
        // One for dan.
        store
            .share(stored[0].2, stored[0].0, "dan@clinic.example")
            .await
            .unwrap();

        let q = store.queue(carol.id).await.unwrap();
        let got: Vec<_> = q
            .iter()
            .map(|i| (i.assessment_id, i.level.as_str()))
            .collect();
        let want = vec![
            (stored[2].0, "ambulance"),
            (stored[6].0, "ambulance"),
            (stored[5].0, "emergency_department"),
            (stored[3].0, "within_24_hours"),
            (stored[1].0, "within_days"),
            (stored[4].0, "within_days"),
            (stored[0].0, "self_care"),
        ];
        assert_eq!(got, want, "most urgent first, then oldest");
        assert_eq!(q[0].owner, alice.id);
        assert_eq!(q[0].owner_email, "alice@example.org");
        assert_eq!(q[0].kb_version, "0.1.0");
        assert!(q[0].shared_at >= q[0].created_at);
        assert_eq!(store.queue(dan.id).await.unwrap().len(), 1);
        assert!(
            store.queue(alice.id).await.unwrap().is_empty(),
            "a person has no queue"
        );
    }

    pub async fn export_and_erase(store: Arc<dyn Store>) {
        let alice = person(&store, "alice@example.org").await;
        let bob = person(&store, "bob@example.org").await;
        let carol = clinician(&store, "carol@clinic.example").await;
        let a1 = store
            .put_assessment(assessment(Some(alice.id), "within_days"))
            .await
            .unwrap();
        let a2 = store
            .put_assessment(assessment(Some(alice.id), "self_care"))
            .await
            .unwrap();
        let b1 = store
            .put_assessment(assessment(Some(bob.id), "ambulance"))
            .await
            .unwrap();
        let local = store
            .put_assessment(assessment(None, "self_care"))
            .await
            .unwrap();
        store
            .share(alice.id, a1.id, "carol@clinic.example")
            .await
            .unwrap();
        store
            .share(bob.id, b1.id, "carol@clinic.example")
            .await
            .unwrap();
        let start = Utc::now() - Span::hours(10);
        let ep = store
            .create_episode(
                Some(alice.id),
                NewEpisode {
                    started_at: start,
                    location: Some("between_shoulder_blades".into()),
                    severity: Some(6),
                    triggers: vec!["lifting".into()],
                    assessment: Some(a1.id),
                },
            )
            .await
            .unwrap();
        store
            .add_check_in(
                Viewer::Person(alice.id),
                ep.id,
                NewCheckIn {
                    at: start + Span::hours(5),
                    severity: 5,
                    improving: false,
                    home_care: vec!["heat".into()],
                },
            )
            .await
            .unwrap();
        let bob_ep = store
            .create_episode(
                Some(bob.id),
                NewEpisode {
                    started_at: start,
                    location: None,
                    severity: None,
                    triggers: vec![],
                    assessment: None,
                },
            )
            .await
            .unwrap();
        let (_, session) = new_session_token();
        store
            .create_session(&session, alice.id, Utc::now() + Span::hours(1))
            .await
            .unwrap();

        // Export: everything of alice's, nothing of bob's, no secrets.
        let doc = store.export(Viewer::Person(alice.id)).await.unwrap();
        assert_eq!(doc["format"], "upperback-export/1");
        assert_eq!(doc["account"]["email"], "alice@example.org");
        let text = doc.to_string();
        assert!(!text.contains("argon2"), "no password hash in the export");
        let ids: HashSet<String> = doc["assessments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["id"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(ids, HashSet::from([a1.id.to_string(), a2.id.to_string()]));
        assert_eq!(
            doc["assessments"][0]["result"]["triage"]["level"],
            "within_days"
        );
        assert_eq!(doc["shares"].as_array().unwrap().len(), 1);
        assert_eq!(doc["shares"][0]["clinician_email"], "carol@clinic.example");
        assert_eq!(doc["episodes"].as_array().unwrap().len(), 1);
        assert_eq!(doc["episodes"][0]["id"], ep.id.to_string());
        assert_eq!(doc["episodes"][0]["check_ins"][0]["home_care"][0], "heat");
        assert!(!text.contains(&b1.id.to_string()));
        assert!(!text.contains(&bob_ep.id.to_string()));
        assert!(!text.contains(&local.id.to_string()));

        // Local export: what belongs to no account.
        let doc = store.export(Viewer::Local).await.unwrap();
        assert!(doc["account"].is_null());
        assert_eq!(doc["assessments"].as_array().unwrap().len(), 1);
        assert_eq!(doc["assessments"][0]["id"], local.id.to_string());

        // Erase alice: all of it, at once.
        store.erase(Viewer::Person(alice.id)).await.unwrap();
        assert!(
            store.session(&session).await.unwrap().is_none(),
            "sessions go"
        );
        assert!(store.account(alice.id).await.unwrap().is_none());
        assert!(store
            .account_by_email("alice@example.org")
            .await
            .unwrap()
            .is_none());
        for id in [a1.id, a2.id] {
            assert!(store
                .get_assessment(Viewer::Local, id)
                .await
                .unwrap()
                .is_none());
        }
        assert!(store.episode(Viewer::Local, ep.id).await.unwrap().is_none());
        let q = store.queue(carol.id).await.unwrap();
        assert_eq!(q.len(), 1, "only bob's share is left");
        assert_eq!(q[0].assessment_id, b1.id);
        // Bob and local data untouched.
        assert!(store
            .get_assessment(Viewer::Person(bob.id), b1.id)
            .await
            .unwrap()
            .is_some());
        assert!(store
            .episode(Viewer::Person(bob.id), bob_ep.id)
            .await
            .unwrap()
            .is_some());
        assert!(store
            .get_assessment(Viewer::Local, local.id)
            .await
            .unwrap()
            .is_some());
        // Gone is gone; the email can be used again.
        not_found(store.erase(Viewer::Person(alice.id)).await);
        not_found(store.export(Viewer::Person(alice.id)).await);
        not_found(
            store
                .put_assessment(assessment(Some(alice.id), "self_care"))
                .await,
        );
        person(&store, "alice@example.org").await;

        // Erasing a clinician removes the shares made to them.
        store.erase(Viewer::Clinician(carol.id)).await.unwrap();
        assert!(store.queue(carol.id).await.unwrap().is_empty());
        assert!(store
            .get_assessment(Viewer::Person(bob.id), b1.id)
            .await
            .unwrap()
            .is_some());
        let doc = store.export(Viewer::Person(bob.id)).await.unwrap();
        assert!(doc["shares"].as_array().unwrap().is_empty());

        // Local erase: what belongs to no account, nothing else.
        store.erase(Viewer::Local).await.unwrap();
        assert!(store
            .get_assessment(Viewer::Local, local.id)
            .await
            .unwrap()
            .is_none());
        assert!(store
            .get_assessment(Viewer::Local, b1.id)
            .await
            .unwrap()
            .is_some());
    }

    pub async fn episodes_and_check_ins(store: Arc<dyn Store>) {
        let alice = person(&store, "alice@example.org").await;
        let bob = person(&store, "bob@example.org").await;
        let carol = clinician(&store, "carol@clinic.example").await;
        let va = Viewer::Person(alice.id);
        let a = store
            .put_assessment(assessment(Some(alice.id), "self_care"))
            .await
            .unwrap();
        let b = store
            .put_assessment(assessment(Some(bob.id), "self_care"))
            .await
            .unwrap();
        store
            .share(alice.id, a.id, "carol@clinic.example")
            .await
            .unwrap();
        let start = upperback_store::now_micros() - Span::hours(100);
        let new = |started_at, assessment| NewEpisode {
            started_at,
            location: Some("left shoulder blade".into()),
            severity: Some(7),
            triggers: vec!["long day at the laptop".into(), "stress".into()],
            assessment,
        };
        let older = store
            .create_episode(Some(alice.id), new(start - Span::days(30), None))
            .await
            .unwrap();
        let ep = store
            .create_episode(Some(alice.id), new(start, Some(a.id)))
            .await
            .unwrap();
        // Linking someone else's assessment is NotFound.
        not_found(
            store
                .create_episode(Some(alice.id), new(start, Some(b.id)))
                .await,
        );
        not_found(
            store
                .create_episode(Some(alice.id), new(start, Some(AssessmentId::random())))
                .await,
        );
        invalid(
            store
                .create_episode(
                    Some(alice.id),
                    NewEpisode {
                        severity: Some(11),
                        ..new(start, None)
                    },
                )
                .await,
        );
        invalid(
            store
                .create_episode(
                    Some(alice.id),
                    NewEpisode {
                        location: Some("x".repeat(201)),
                        ..new(start, None)
                    },
                )
                .await,
        );

        let ci = |h: i64, improving: bool, care: &[&str]| NewCheckIn {
            at: start + Span::hours(h),
            severity: if improving { 3 } else { 6 },
            improving,
            home_care: care.iter().map(|s| s.to_string()).collect(),
        };
        // Added out of order; read back in time order.
        store
            .add_check_in(va, ep.id, ci(48, false, &["ice", "rest"]))
            .await
            .unwrap();
        store
            .add_check_in(va, ep.id, ci(24, false, &["heat"]))
            .await
            .unwrap();
        invalid(store.add_check_in(va, ep.id, ci(-1, false, &[])).await);
        invalid(
            store
                .add_check_in(
                    va,
                    ep.id,
                    NewCheckIn {
                        severity: 11,
                        ..ci(30, false, &[])
                    },
                )
                .await,
        );
        // Others cannot add to it or read it, not even the clinician the assessment went to.
        not_found(
            store
                .add_check_in(Viewer::Person(bob.id), ep.id, ci(50, true, &[]))
                .await,
        );
        not_found(
            store
                .add_check_in(Viewer::Clinician(carol.id), ep.id, ci(50, true, &[]))
                .await,
        );
        not_found(
            store
                .add_check_in(va, EpisodeId::random(), ci(50, true, &[]))
                .await,
        );
        assert!(store
            .episode(Viewer::Person(bob.id), ep.id)
            .await
            .unwrap()
            .is_none());
        assert!(store
            .episode(Viewer::Clinician(carol.id), ep.id)
            .await
            .unwrap()
            .is_none());
        assert!(store
            .episodes(Viewer::Person(bob.id))
            .await
            .unwrap()
            .is_empty());
        assert!(store
            .episodes(Viewer::Clinician(carol.id))
            .await
            .unwrap()
            .is_empty());

        let detail = store.episode(va, ep.id).await.unwrap().unwrap();
        assert_eq!(detail.episode, ep);
        assert_eq!(detail.episode.assessment, Some(a.id));
        assert_eq!(
            detail.episode.triggers,
            vec!["long day at the laptop", "stress"]
        );
        let hours: Vec<i64> = detail
            .check_ins
            .iter()
            .map(|c| (c.at - start).num_hours())
            .collect();
        assert_eq!(hours, vec![24, 48]);
        assert_eq!(detail.check_ins[1].home_care, vec!["ice", "rest"]);
        assert!(store.episode(Viewer::Local, ep.id).await.unwrap().is_some());

        // The follow-up rule through the stored records: boundaries at exactly 72 h.
        let r72 = upperback_store::FollowUpRule::new(72.0, "within_days").unwrap();
        let f = detail.follow_up(r72, start + Span::hours(72));
        assert_eq!(f.due_at, start + Span::hours(72));
        assert!(!f.overdue, "exactly 72 hours is due, not overdue");
        let f = detail.follow_up(r72, start + Span::hours(72) + Span::minutes(1));
        assert!(f.overdue);
        assert_eq!(f.level.as_deref(), Some("within_days"));
        // Better at the latest check-in: not overdue.
        store
            .add_check_in(va, ep.id, ci(70, true, &[]))
            .await
            .unwrap();
        let detail = store.episode(va, ep.id).await.unwrap().unwrap();
        assert!(!detail.follow_up(r72, start + Span::hours(80)).overdue);

        // Newest first.
        let list: Vec<_> = store
            .episodes(va)
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.id)
            .collect();
        assert_eq!(list, vec![ep.id, older.id]);

        // Local episodes.
        let l = store.create_episode(None, new(start, None)).await.unwrap();
        assert_eq!(l.owner, None);
        store
            .add_check_in(Viewer::Local, l.id, ci(1, false, &[]))
            .await
            .unwrap();
        not_found(store.add_check_in(va, l.id, ci(2, false, &[])).await);
        assert_eq!(store.episodes(Viewer::Local).await.unwrap().len(), 3);

        // The newest episodes with their check-ins in one read: the same as one `episode`
        // call per listed episode, cut at the limit, and only the viewer's.
        let one_by_one = |viewer: Viewer| {
            let store = store.clone();
            async move {
                let mut details = Vec::new();
                for e in store.episodes(viewer).await.unwrap() {
                    details.push(store.episode(viewer, e.id).await.unwrap().unwrap());
                }
                details
            }
        };
        for viewer in [va, Viewer::Local, Viewer::Person(bob.id)] {
            let all = one_by_one(viewer).await;
            for limit in [0, 1, 2, 3, 10] {
                let details = store.episode_details(viewer, limit).await.unwrap();
                assert_eq!(details, all[..limit.min(all.len())], "limit {limit}");
            }
            assert_eq!(
                store.episode_details(viewer, usize::MAX).await.unwrap(),
                all
            );
        }
        let alices = store.episode_details(va, 10).await.unwrap();
        assert_eq!(alices.len(), 2);
        assert_eq!(alices[0].check_ins.len(), 3);
        assert!(alices[1].check_ins.is_empty());
    }

    pub async fn concurrent_writers(store: Arc<dyn Store>) {
        const N: usize = 2000;
        let before = store.stats();
        let mut tasks = Vec::with_capacity(N);
        for i in 0..N {
            let store = store.clone();
            tasks.push(tokio::spawn(async move {
                let level = upperback_store::LEVELS[i % 5];
                store.put_assessment(assessment(None, level)).await.unwrap()
            }));
        }
        let mut ids = Vec::with_capacity(N);
        for t in tasks {
            ids.push(t.await.unwrap().id);
        }
        assert_eq!(ids.iter().collect::<HashSet<_>>().len(), N, "distinct ids");
        let stats = store.stats();
        let written = stats.assessments_written - before.assessments_written;
        let transactions = stats.assessment_transactions - before.assessment_transactions;
        println!(
            "{}: {written} writes in {transactions} transactions, largest batch {}",
            store.kind(),
            stats.largest_batch
        );
        assert_eq!(written, N as u64);
        assert!(
            transactions < written,
            "group commit: fewer transactions than writes"
        );
        assert!(stats.largest_batch > 1);
        assert_eq!(stats.assessment_errors, 0);
        // Every acknowledged write reads back, concurrently too.
        let mut reads = Vec::new();
        for chunk in ids.chunks(250) {
            let store = store.clone();
            let chunk = chunk.to_vec();
            reads.push(tokio::spawn(async move {
                for id in chunk {
                    assert!(store
                        .get_assessment(Viewer::Local, id)
                        .await
                        .unwrap()
                        .is_some());
                }
            }));
        }
        for r in reads {
            r.await.unwrap();
        }
        assert_eq!(
            store
                .assessments(Viewer::Local, 10_000)
                .await
                .unwrap()
                .len(),
            N
        );
    }

    pub async fn a_bad_write_does_not_fail_its_batch(store: Arc<dyn Store>) {
        // Writes for an owner that does not exist, mixed with good ones, all at once: the good
        // ones are committed, the bad ones are NotFound.
        let alice = person(&store, "alice@example.org").await;
        let ghost = upperback_store::AccountId::random();
        let mut tasks = Vec::new();
        for i in 0..200 {
            let store = store.clone();
            let owner = if i % 10 == 0 { ghost } else { alice.id };
            tasks.push(tokio::spawn(async move {
                (
                    owner,
                    store
                        .put_assessment(assessment(Some(owner), "self_care"))
                        .await,
                )
            }));
        }
        let mut good = 0;
        for t in tasks {
            let (owner, r) = t.await.unwrap();
            if owner == ghost {
                not_found(r);
            } else {
                let id = r.unwrap().id;
                assert!(store
                    .get_assessment(Viewer::Person(alice.id), id)
                    .await
                    .unwrap()
                    .is_some());
                good += 1;
            }
        }
        assert_eq!(good, 180);
        assert_eq!(store.stats().assessment_errors, 20);
    }

    pub async fn errors_do_not_leak(store: Arc<dyn Store>) {
        let e = store
            .put_assessment(assessment(None, "nope"))
            .await
            .unwrap_err();
        assert!(e.to_string().starts_with("level must be one of"));
        let e = store.create_account("x@y.z", HASH, Role::Person).await;
        assert!(e.is_ok());
        let e = store
            .create_account("x@y.z", HASH, Role::Person)
            .await
            .unwrap_err();
        let shown = e.to_string();
        assert_eq!(shown, "an account with this email already exists");
        for leak in [
            "INSERT",
            "UNIQUE",
            "accounts",
            "constraint",
            "sqlite",
            "postgres",
        ] {
            assert!(!shown.contains(leak));
        }
    }
}

macro_rules! backend_tests {
    ($backend:ident, $kind:expr, [$($case:ident),* $(,)?]) => {
        mod $backend {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $case() {
                    crate::common::run($kind, crate::cases::$case).await;
                }
            )*
        }
    };
}

macro_rules! both_backends {
    ($($case:ident),* $(,)?) => {
        backend_tests!(sqlite, crate::common::Kind::Sqlite, [$($case),*]);
        backend_tests!(postgres, crate::common::Kind::Postgres, [$($case),*]);
    };
}

both_backends!(
    healthy,
    assessment_round_trip,
    assessment_isolation,
    accounts_and_sessions,
    queue_order,
    export_and_erase,
    episodes_and_check_ins,
    concurrent_writers,
    a_bad_write_does_not_fail_its_batch,
    errors_do_not_leak,
);

/// `memory` opens too, and is private to its store.
#[tokio::test]
async fn memory_store() {
    let one = upperback_store::open("memory").await.unwrap();
    let two = upperback_store::open("memory").await.unwrap();
    let s = one
        .put_assessment(assessment(None, "self_care"))
        .await
        .unwrap();
    assert!(one
        .get_assessment(Viewer::Local, s.id)
        .await
        .unwrap()
        .is_some());
    assert!(two
        .get_assessment(Viewer::Local, s.id)
        .await
        .unwrap()
        .is_none());
    cases::episodes_and_check_ins(one).await;
}

/// A database made before 8 KiB pages keeps its 4 KiB pages, and works.
#[tokio::test]
async fn sqlite_keeps_the_page_size_of_an_existing_database() {
    use sqlx::{Connection, Executor};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    let url = format!("sqlite://{}?mode=rwc", path.display());
    let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
    conn.execute("PRAGMA page_size = 4096; PRAGMA journal_mode = WAL; CREATE TABLE t (x)")
        .await
        .unwrap();
    conn.close().await.unwrap();
    let store = upperback_store::SqliteStore::open(&path).await.unwrap();
    let kept = store
        .put_assessment(assessment(None, "self_care"))
        .await
        .unwrap();
    assert!(store
        .get_assessment(Viewer::Local, kept.id)
        .await
        .unwrap()
        .is_some());
    store.close().await;
    let header = std::fs::read(&path).unwrap();
    assert_eq!(u16::from_be_bytes([header[16], header[17]]), 4096);
}

/// The file is opened WAL, synchronous=FULL, foreign keys on, in the directory asked for
/// (made when missing).
#[tokio::test]
async fn sqlite_settings() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a/b/upperback.db");
    let store = upperback_store::SqliteStore::open(&path).await.unwrap();
    assert!(path.exists());
    assert_eq!(store.path(), Some(path.as_path()));
    let (journal, sync, fk) = store.settings().await.unwrap();
    assert_eq!(journal, "wal");
    assert_eq!(sync, 2, "synchronous=FULL");
    assert!(fk);
    let kept = store
        .put_assessment(assessment(None, "self_care"))
        .await
        .unwrap();
    // A clean close empties the WAL into the file.
    store.close().await;
    assert!(!store.healthy().await);
    let wal = path.with_extension("db-wal");
    assert!(
        std::fs::metadata(&wal).map_or(0, |m| m.len()) == 0,
        "WAL checkpointed"
    );
    // A new database has 8 KiB pages (the header's page size: bytes 16-17, big-endian).
    let header = std::fs::read(&path).unwrap();
    assert_eq!(u16::from_be_bytes([header[16], header[17]]), 8192);
    // Reopening applies no migration twice and finds what was written.
    drop(store);
    let again = upperback_store::open(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    assert!(again.healthy().await);
    assert!(again
        .get_assessment(Viewer::Local, kept.id)
        .await
        .unwrap()
        .is_some());
}

#[tokio::test]
async fn unsupported_urls() {
    for url in ["mysql://x", "http://x", "sqlite://", ""] {
        let r = upperback_store::open(url).await;
        assert!(matches!(r, Err(StoreError::Invalid(_))), "{url}");
    }
    // A bad PostgreSQL URL says nothing of the URL.
    match upperback_store::open("postgres://user:s3cret@127.0.0.1:1/db").await {
        Err(e) => assert!(!e.to_string().contains("s3cret")),
        Ok(_) => panic!("nothing listens on port 1"),
    }
}

#[test]
#[cfg(target_os = "linux")]
fn default_path_is_in_the_data_directory() {
    // On Linux there is always one: $XDG_DATA_HOME, else ~/.local/share.
    let path = upperback_store::default_path().expect("a data directory on Linux");
    let data = std::env::var_os("XDG_DATA_HOME")
        .filter(|d| std::path::Path::new(d).is_absolute())
        .map(std::path::PathBuf::from)
        .or_else(|| dirs::home_dir().map(|home| home.join(".local/share")))
        .expect("a home directory");
    assert_eq!(path, data.join("upperback").join("upperback.db"));
}

/// Several stores (replicas, or the CLI beside the server) opening one fresh database at the
/// same moment: the migrations are applied once, and what one writes the others read.
async fn replicas_share_one_database(kind: common::Kind) {
    let Some(db) = common::test_db(kind).await else {
        return;
    };
    let opened = futures::future::join_all((0..3).map(|_| upperback_store::open(&db.url))).await;
    let stores: Vec<Arc<dyn Store>> = opened
        .into_iter()
        .map(|r| r.expect("every replica opens"))
        .collect();
    let alice = person(&stores[0], "alice@example.org").await;
    assert!(matches!(
        stores[1]
            .create_account("alice@example.org", HASH, Role::Person)
            .await,
        Err(StoreError::EmailTaken)
    ));
    let mut ids = Vec::new();
    for (i, store) in stores.iter().enumerate() {
        let s = store
            .put_assessment(assessment(Some(alice.id), upperback_store::LEVELS[i]))
            .await
            .unwrap();
        ids.push(s.id);
    }
    for store in &stores {
        for id in &ids {
            assert!(store
                .get_assessment(Viewer::Person(alice.id), *id)
                .await
                .unwrap()
                .is_some());
        }
    }
    let (token, hash) = new_session_token();
    stores[2]
        .create_session(&hash, alice.id, Utc::now() + Span::hours(1))
        .await
        .unwrap();
    assert!(stores[0]
        .session(&auth::TokenHash::of(&token))
        .await
        .unwrap()
        .is_some());
    stores[1].delete_session(&hash).await.unwrap();
    assert!(
        stores[0].session(&hash).await.unwrap().is_none(),
        "revoked everywhere"
    );
    for s in &stores {
        s.close().await;
    }
    drop(stores);
    drop(db);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_replicas_share_one_database() {
    replicas_share_one_database(common::Kind::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_replicas_share_one_database() {
    replicas_share_one_database(common::Kind::Postgres).await;
}
