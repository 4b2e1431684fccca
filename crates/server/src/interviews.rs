//! Interviews in progress: a bounded map from id to the engine's interview state, with an
//! idle expiry. Nothing here survives a restart; an expired or evicted interview is a 404.
//!
//! Each caller (an account, or a client address in local mode) holds at most a few
//! interviews: a new one beyond that replaces the caller's own oldest. When the whole map is
//! full, room is made from the caller holding the most, so that no caller can push out
//! another's interviews by starting many of its own.

use std::collections::HashMap;
use std::net::IpAddr;
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

/// Who holds an interview, for the bound on each caller: the signed-in account, or the
/// client's address when there are no accounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Holder {
    Account(upperback_store::AccountId),
    Address(IpAddr),
}

struct Slot {
    session: Arc<tokio::sync::Mutex<Session>>,
    /// The account that started it, kept outside the lock so that a lookup can check it.
    owner: Option<upperback_store::AccountId>,
    holder: Holder,
    last_used: Instant,
}

#[derive(Default)]
struct Held {
    slots: HashMap<Uuid, Slot>,
    /// How many slots each holder has.
    counts: HashMap<Holder, usize>,
}

impl Held {
    fn remove(&mut self, id: &Uuid) {
        if let Some(slot) = self.slots.remove(id) {
            if let Some(n) = self.counts.get_mut(&slot.holder) {
                *n -= 1;
                if *n == 0 {
                    self.counts.remove(&slot.holder);
                }
            }
        }
    }

    /// The least recently used interview of `holder`.
    fn oldest_of(&self, holder: Holder) -> Option<Uuid> {
        self.slots
            .iter()
            .filter(|(_, slot)| slot.holder == holder)
            .min_by_key(|(_, slot)| slot.last_used)
            .map(|(id, _)| *id)
    }
}

/// The interviews held in memory.
pub struct Interviews {
    held: Mutex<Held>,
    max: usize,
    per_holder: usize,
    ttl: Duration,
}

impl Interviews {
    /// At most `max` interviews in all and `per_holder` for each caller, each forgotten after
    /// `ttl` without use.
    pub fn new(max: usize, per_holder: usize, ttl: Duration) -> Interviews {
        Interviews {
            held: Mutex::new(Held::default()),
            max: max.max(1),
            per_holder: per_holder.clamp(1, max.max(1)),
            ttl,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Held> {
        self.held.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Keeps a new interview of `holder`: the holder's own oldest makes room when it holds
    /// its share, and when all are taken, the oldest of whoever holds the most.
    pub fn insert(
        &self,
        session: Session,
        holder: Holder,
    ) -> (Uuid, Arc<tokio::sync::Mutex<Session>>) {
        let id = Uuid::new_v4();
        let owner = session.owner;
        let session = Arc::new(tokio::sync::Mutex::new(session));
        let now = Instant::now();
        let mut held = self.lock();
        let holds = |held: &Held| held.counts.get(&holder).copied().unwrap_or(0);
        if held.slots.len() >= self.max || holds(&held) >= self.per_holder {
            let expired: Vec<Uuid> = held
                .slots
                .iter()
                .filter(|(_, slot)| now.duration_since(slot.last_used) >= self.ttl)
                .map(|(id, _)| *id)
                .collect();
            for id in &expired {
                held.remove(id);
            }
        }
        while holds(&held) >= self.per_holder {
            let Some(oldest) = held.oldest_of(holder) else {
                break;
            };
            held.remove(&oldest);
        }
        while held.slots.len() >= self.max {
            let Some(largest) = held
                .counts
                .iter()
                .max_by_key(|(_, n)| **n)
                .map(|(holder, _)| *holder)
            else {
                break;
            };
            let Some(oldest) = held.oldest_of(largest) else {
                break;
            };
            held.remove(&oldest);
        }
        held.slots.insert(
            id,
            Slot {
                session: session.clone(),
                owner,
                holder,
                last_used: now,
            },
        );
        *held.counts.entry(holder).or_insert(0) += 1;
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
        let mut held = self.lock();
        let expired = match held.slots.get_mut(&id) {
            None => return None,
            Some(slot) if slot.owner != owner => return None,
            Some(slot) if now.duration_since(slot.last_used) >= self.ttl => true,
            Some(slot) => {
                slot.last_used = now;
                return Some(slot.session.clone());
            }
        };
        if expired {
            held.remove(&id);
        }
        None
    }

    pub fn len(&self) -> usize {
        self.lock().slots.len()
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

    const LOCAL: Holder = Holder::Address(IpAddr::V4(std::net::Ipv4Addr::LOCALHOST));

    #[test]
    fn one_caller_cannot_push_out_anothers_interviews() {
        let interviews = Interviews::new(100, 5, Duration::from_secs(3600));
        let ana = Holder::Account(upperback_store::AccountId::random());
        let (anas, _) = interviews.insert(session(), ana);
        // Far more than the whole map holds, from one account, then from many.
        let eve = Holder::Account(upperback_store::AccountId::random());
        let eves: Vec<Uuid> = (0..2_100)
            .map(|_| interviews.insert(session(), eve).0)
            .collect();
        assert!(
            interviews.get(anas, None).is_some(),
            "Ana's interview survives"
        );
        assert_eq!(interviews.len(), 6, "Eve holds her share, no more");
        assert!(
            interviews.get(eves[2_099], None).is_some(),
            "her newest is kept"
        );
        assert!(
            interviews.get(eves[0], None).is_none(),
            "her oldest made room"
        );
        for _ in 0..40 {
            let many = Holder::Account(upperback_store::AccountId::random());
            for _ in 0..5 {
                interviews.insert(session(), many);
            }
        }
        assert_eq!(interviews.len(), 100);
        assert!(
            interviews.get(anas, None).is_some(),
            "the full map makes room from those holding the most"
        );
    }

    #[test]
    fn bounded_oldest_idle_first() {
        let interviews = Interviews::new(2, 2, Duration::from_secs(3600));
        let (a, _) = interviews.insert(session(), LOCAL);
        let (b, _) = interviews.insert(session(), LOCAL);
        assert!(interviews.get(a, None).is_some()); // a is now the most recent
        let (c, _) = interviews.insert(session(), LOCAL);
        assert_eq!(interviews.len(), 2);
        assert!(interviews.get(b, None).is_none());
        assert!(interviews.get(a, None).is_some());
        assert!(interviews.get(c, None).is_some());
    }

    #[test]
    fn only_the_account_that_started_it_finds_it() {
        let interviews = Interviews::new(10, 10, Duration::from_secs(3600));
        let ana = upperback_store::AccountId::random();
        let mut s = session();
        s.owner = Some(ana);
        let (id, _) = interviews.insert(s, Holder::Account(ana));
        assert!(interviews.get(id, Some(ana)).is_some());
        assert!(interviews
            .get(id, Some(upperback_store::AccountId::random()))
            .is_none());
        assert!(interviews.get(id, None).is_none());
    }

    #[test]
    fn expire_when_idle() {
        let interviews = Interviews::new(10, 10, Duration::from_millis(0));
        let (a, _) = interviews.insert(session(), LOCAL);
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
