//! Interviews in progress: a bounded map from id to the engine's interview state, with an
//! idle expiry. Nothing here survives a restart; an expired or evicted interview is a 404.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::Serialize;
use serde_json::Value;
use upperback_core::{AnswerError, Interview, KnowledgeBase, Progress, QuestionView};
use uuid::Uuid;

use crate::problem::{Kind, Problem};

/// One interview and what it has produced.
pub struct Session {
    pub interview: Interview<'static>,
    /// What was read from the text it started from.
    pub words: Option<crate::input::Words>,
    /// What it started from, kept with its result.
    pub input: Value,
    /// Once finished: the stored assessment's id and its JSON (with the id).
    pub finished: Option<(Uuid, String)>,
    /// The account that started it (`None` in local mode): only they may go on with it.
    pub owner: Option<upperback_store::AccountId>,
}

impl Session {
    pub fn new(
        kb: &'static KnowledgeBase,
        prepared: crate::input::Prepared,
        input: Value,
    ) -> Session {
        Session {
            interview: Interview::new(kb, prepared.evidence),
            words: prepared.words,
            input,
            finished: None,
            owner: None,
        }
    }
}

struct Slot {
    session: Arc<tokio::sync::Mutex<Session>>,
    /// The account that started it, kept outside the lock so that a lookup can check it.
    owner: Option<upperback_store::AccountId>,
    last_used: Instant,
}

/// The interviews held in memory.
pub struct Interviews {
    map: Mutex<HashMap<Uuid, Slot>>,
    max: usize,
    ttl: Duration,
}

impl Interviews {
    pub fn new(max: usize, ttl: Duration) -> Interviews {
        Interviews {
            map: Mutex::new(HashMap::new()),
            max: max.max(1),
            ttl,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Uuid, Slot>> {
        self.map.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Keeps a new interview; the oldest idle ones make room when full.
    pub fn insert(&self, session: Session) -> (Uuid, Arc<tokio::sync::Mutex<Session>>) {
        let id = Uuid::new_v4();
        let owner = session.owner;
        let session = Arc::new(tokio::sync::Mutex::new(session));
        let now = Instant::now();
        let mut map = self.lock();
        if map.len() >= self.max {
            map.retain(|_, slot| now.duration_since(slot.last_used) < self.ttl);
        }
        while map.len() >= self.max {
            let Some(oldest) = map
                .iter()
                .min_by_key(|(_, slot)| slot.last_used)
                .map(|(id, _)| *id)
            else {
                break;
            };
            map.remove(&oldest);
        }
        map.insert(
            id,
            Slot {
                session: session.clone(),
                owner,
                last_used: now,
            },
        );
        (id, session)
    }

    /// The interview with this id, unless unknown, expired, or started by another account
    /// (`owner` is the caller's account, `None` in local mode).
    pub fn get(
        &self,
        id: Uuid,
        owner: Option<upperback_store::AccountId>,
    ) -> Option<Arc<tokio::sync::Mutex<Session>>> {
        let now = Instant::now();
        let mut map = self.lock();
        let expired = match map.get_mut(&id) {
            None => return None,
            Some(slot) if slot.owner != owner => return None,
            Some(slot) if now.duration_since(slot.last_used) >= self.ttl => true,
            Some(slot) => {
                slot.last_used = now;
                return Some(slot.session.clone());
            }
        };
        if expired {
            map.remove(&id);
        }
        None
    }

    pub fn len(&self) -> usize {
        self.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// What the person sends for the current question.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    /// An answer of the question's kind; `null` = don't know.
    Answer(Value),
    /// Go back one question.
    Back,
}

/// Applies a reply to the question `question` (which must be the current one).
pub fn apply(session: &mut Session, question: &str, reply: &Reply) -> Result<(), Problem> {
    let interview = &mut session.interview;
    match reply {
        Reply::Back => {
            if !interview.back() {
                return Err(Problem::new(
                    Kind::Conflict,
                    "there is no earlier question to go back to",
                ));
            }
            session.finished = None;
            Ok(())
        }
        Reply::Answer(value) => {
            let Some(current) = interview.current() else {
                return Err(Problem::new(
                    Kind::Conflict,
                    "the interview is over; there is no question to answer",
                ));
            };
            if current.id != question {
                return Err(Problem::new(
                    Kind::Conflict,
                    format!(
                        "question `{question}` is not the current one; the current question is `{}`",
                        current.id
                    ),
                ));
            }
            interview.answer(value).map_err(|e| match e {
                AnswerError::Finished => Problem::new(Kind::Conflict, e.to_string()),
                other => Problem::field("answer", other.to_string()),
            })
        }
    }
}

#[derive(Serialize)]
struct QuestionState<'a, 'kb> {
    id: Uuid,
    #[serde(rename = "type")]
    kind: &'static str,
    question: &'a QuestionView<'kb>,
    progress: Progress,
}

/// The interview's state as the contract's JSON: the current question, or the result.
pub fn state_json(id: Uuid, session: &Session) -> String {
    match session.interview.current() {
        Some(question) => serde_json::to_string(&QuestionState {
            id,
            kind: "question",
            question: &question,
            progress: session.interview.progress(),
        })
        .unwrap_or_default(),
        None => {
            let result = session
                .finished
                .as_ref()
                .map(|(_, json)| json.clone())
                .unwrap_or_else(|| session.interview.result().to_json());
            format!(
                "{{\"id\":\"{id}\",\"type\":\"result\",\"result\":{result},\"asked\":{}}}",
                session.interview.asked()
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use upperback_core::Evidence;

    fn session() -> Session {
        let kb = KnowledgeBase::embedded();
        Session::new(
            kb,
            crate::input::Prepared {
                evidence: Evidence::new(kb),
                words: None,
                now: chrono::Local::now().fixed_offset(),
            },
            serde_json::json!({}),
        )
    }

    #[test]
    fn bounded_oldest_idle_first() {
        let interviews = Interviews::new(2, Duration::from_secs(3600));
        let (a, _) = interviews.insert(session());
        let (b, _) = interviews.insert(session());
        assert!(interviews.get(a, None).is_some()); // a is now the most recent
        let (c, _) = interviews.insert(session());
        assert_eq!(interviews.len(), 2);
        assert!(interviews.get(b, None).is_none());
        assert!(interviews.get(a, None).is_some());
        assert!(interviews.get(c, None).is_some());
    }

    #[test]
    fn only_the_account_that_started_it_finds_it() {
        let interviews = Interviews::new(10, Duration::from_secs(3600));
        let ana = upperback_store::AccountId::random();
        let mut s = session();
        s.owner = Some(ana);
        let (id, _) = interviews.insert(s);
        assert!(interviews.get(id, Some(ana)).is_some());
        assert!(interviews
            .get(id, Some(upperback_store::AccountId::random()))
            .is_none());
        assert!(interviews.get(id, None).is_none());
    }

    #[test]
    fn expire_when_idle() {
        let interviews = Interviews::new(10, Duration::from_millis(0));
        let (a, _) = interviews.insert(session());
        assert!(interviews.get(a, None).is_none());
        assert!(interviews.is_empty());
    }

    #[test]
    fn wrong_question_is_a_conflict() {
        let mut s = session();
        let e = apply(&mut s, "q-nope", &Reply::Answer(Value::Null)).unwrap_err();
        assert_eq!(e.status, 409);
        let current = s.interview.current().unwrap().id.to_string();
        let e = apply(&mut s, &current, &Reply::Answer(serde_json::json!("x"))).unwrap_err();
        assert_eq!(e.status, 422);
        assert_eq!(e.field.as_deref(), Some("answer"));
        apply(&mut s, &current, &Reply::Answer(serde_json::json!([]))).unwrap();
        apply(&mut s, "", &Reply::Back).unwrap();
        assert_eq!(s.interview.current().unwrap().id, current);
    }
}
