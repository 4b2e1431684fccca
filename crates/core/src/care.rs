//! The care plan: what to do now, what to watch for, when to follow up.

use std::sync::OnceLock;

use serde::{Serialize, Serializer};
use serde_json::value::RawValue;

use crate::causes::CauseResult;
use crate::evidence::{Evidence, Status};
use crate::knowledge::{AdviceEntry, KnowledgeBase, WatchEntry};
use crate::triage::{TriageLevel, TriageResult};

/// One piece of advice.
#[derive(Debug, Clone, PartialEq)]
pub struct AdviceItem<'kb> {
    /// The cause it addresses; `null` for general advice.
    pub cause: Option<&'kb str>,
    pub id: &'kb str,
    pub text: &'kb str,
    pub source: &'kb str,
    rendered: Rendered<'kb>,
}

/// A warning sign: if it appears, get help at `level`.
#[derive(Debug, Clone, PartialEq)]
pub struct WatchItem<'kb> {
    pub finding: &'kb str,
    pub level: TriageLevel,
    pub text: &'kb str,
    pub source: &'kb str,
    rendered: Rendered<'kb>,
}

/// An item's JSON as its knowledge base entry keeps it, written once.
///
/// Advice and the watch list are about half of a result's bytes, the same sentences every
/// time; escaping them again for every result was most of the cost of writing a result's
/// JSON (`serde_json` checks every byte). An item that comes whole from the knowledge base
/// is written as the JSON its entry keeps (`RawValue`, which `serde_json` writes as it
/// is); one that does not (a tool's advice) is written field by field. Both go through the
/// same field list, so the bytes are the same either way (a test checks every entry).
#[derive(Debug, Clone, Copy)]
struct Rendered<'kb>(Option<&'kb RawValue>);

impl PartialEq for Rendered<'_> {
    /// Always equal: the JSON is a function of the item's other fields.
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl<'kb> Rendered<'kb> {
    /// The JSON `kept` holds, written from `fields` the first time.
    fn kept(kept: &'kb OnceLock<Box<RawValue>>, fields: impl Serialize) -> Self {
        Rendered(Some(kept.get_or_init(|| json_of(&fields))))
    }

    /// Writes the kept JSON, or else the fields.
    fn write<S: Serializer>(
        self,
        fields: impl Serialize,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match self.0 {
            Some(json) => {
                debug_assert_eq!(json.get(), json_of(&fields).get(), "stale JSON");
                json.serialize(serializer)
            }
            None => fields.serialize(serializer),
        }
    }
}

/// The fields of [`AdviceItem`], in the contract's order.
#[derive(Serialize)]
struct AdviceFields<'a> {
    cause: Option<&'a str>,
    id: &'a str,
    text: &'a str,
    source: &'a str,
}

/// The fields of [`WatchItem`], in the contract's order.
#[derive(Serialize)]
struct WatchFields<'a> {
    finding: &'a str,
    level: TriageLevel,
    text: &'a str,
    source: &'a str,
}

impl<'kb> AdviceItem<'kb> {
    /// Advice that does not come from the knowledge base (e.g. a tool's).
    pub fn new(cause: Option<&'kb str>, id: &'kb str, text: &'kb str, source: &'kb str) -> Self {
        AdviceItem {
            cause,
            id,
            text,
            source,
            rendered: Rendered(None),
        }
    }

    fn from_entry(entry: &'kb AdviceEntry) -> Self {
        let mut item = AdviceItem::new(
            entry.cause.as_deref(),
            &entry.id,
            &entry.text,
            &entry.source,
        );
        item.rendered = Rendered::kept(&entry.rendered, item.fields());
        item
    }

    fn fields(&self) -> AdviceFields<'_> {
        AdviceFields {
            cause: self.cause,
            id: self.id,
            text: self.text,
            source: self.source,
        }
    }
}

impl<'kb> WatchItem<'kb> {
    fn from_entry(kb: &'kb KnowledgeBase, entry: &'kb WatchEntry) -> Self {
        let mut item = WatchItem {
            finding: &kb.finding(entry.finding).id,
            level: entry.level,
            text: &entry.text,
            source: &entry.source,
            rendered: Rendered(None),
        };
        item.rendered = Rendered::kept(&entry.rendered, item.fields());
        item
    }

    fn fields(&self) -> WatchFields<'_> {
        WatchFields {
            finding: self.finding,
            level: self.level,
            text: self.text,
            source: self.source,
        }
    }
}

fn json_of(fields: &impl Serialize) -> Box<RawValue> {
    serde_json::value::to_raw_value(fields).expect("strings and a level always serialise")
}

impl Serialize for AdviceItem<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.rendered.write(self.fields(), serializer)
    }
}

impl Serialize for WatchItem<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.rendered.write(self.fields(), serializer)
    }
}

/// When to see a clinician if things do not improve.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FollowUp<'kb> {
    pub after_hours: f64,
    pub text: &'kb str,
    pub source: &'kb str,
}

/// The care plan of an assessment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CarePlan<'kb> {
    /// What to do now, in one or two sentences.
    pub summary: String,
    pub advice: Vec<AdviceItem<'kb>>,
    pub watch_for: Vec<WatchItem<'kb>>,
    pub follow_up: FollowUp<'kb>,
}

/// Builds the care plan from the triage result and the ranked causes.
pub fn care_plan<'kb>(
    kb: &'kb KnowledgeBase,
    evidence: &'kb Evidence,
    triage: &TriageResult<'kb>,
    causes: &[CauseResult<'kb>],
) -> CarePlan<'kb> {
    let care = &kb.care;
    let info = kb.level_info(triage.level);
    // Below an emergency, a level with warning signs unchecked holds only if none applies.
    let heading = kb.level_heading(triage.level, triage.unscreened_red_flags.len());
    let summary = if heading == info.label {
        info.tell.clone()
    } else {
        format!("{heading}. {}", info.tell)
    };
    let mut advice = Vec::new();
    if care.applies_to.contains(&triage.level) {
        advice.extend(care.general.iter().map(AdviceItem::from_entry));
        for result in causes.iter().filter(|c| c.probability > care.threshold) {
            let index = kb
                .causes
                .iter()
                .position(|c| c.id == result.id)
                .expect("ranked causes come from the knowledge base");
            advice.extend(care.by_cause[index].iter().map(AdviceItem::from_entry));
            // A tool's specific fixes (e.g. the workstation changes a ROSA score calls for),
            // when its finding is present and bears on this cause.
            let cause = &kb.causes[index];
            advice.extend(
                evidence
                    .advice()
                    .iter()
                    .filter(|t| evidence.status(t.finding) == Status::Present)
                    .filter(|t| cause.evidence.iter().any(|lr| lr.finding == t.finding))
                    .map(|t| AdviceItem::new(Some(cause.id.as_str()), &t.id, &t.text, &t.source)),
            );
        }
    }
    // Signs already present are in the triage result; the watch list is for new ones.
    let watch_for = care
        .watch
        .iter()
        .filter(|w| evidence.status(w.finding) != Status::Present)
        .map(|w| WatchItem::from_entry(kb, w))
        .collect();
    CarePlan {
        summary,
        advice,
        watch_for,
        follow_up: FollowUp {
            after_hours: care.follow_up_after_hours,
            text: &care.follow_up_text,
            source: &care.follow_up_source,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_kept_as_json_writes_the_same_bytes_as_its_fields() {
        let kb = KnowledgeBase::embedded();
        let advice = kb
            .care
            .general
            .iter()
            .chain(kb.care.by_cause.iter().flatten());
        let mut checked = 0;
        for entry in advice {
            let kept = AdviceItem::from_entry(entry);
            assert!(kept.rendered.0.is_some());
            let fresh = AdviceItem::new(kept.cause, kept.id, kept.text, kept.source);
            let json = serde_json::to_string(&kept).unwrap();
            assert_eq!(json, serde_json::to_string(&fresh).unwrap());
            // The contract's keys, in its order.
            let expected = format!(
                r#"{{"cause":{},"id":{},"text":{},"source":{}}}"#,
                serde_json::to_string(&entry.cause).unwrap(),
                serde_json::to_string(&entry.id).unwrap(),
                serde_json::to_string(&entry.text).unwrap(),
                serde_json::to_string(&entry.source).unwrap()
            );
            assert_eq!(json, expected);
            checked += 1;
        }
        for entry in &kb.care.watch {
            let kept = WatchItem::from_entry(kb, entry);
            let json = serde_json::to_string(&kept).unwrap();
            let expected = format!(
                r#"{{"finding":{},"level":"{}","text":{},"source":{}}}"#,
                serde_json::to_string(&kb.finding(entry.finding).id).unwrap(),
                entry.level.as_str(),
                serde_json::to_string(&entry.text).unwrap(),
                serde_json::to_string(&entry.source).unwrap()
            );
            assert_eq!(json, expected);
            checked += 1;
        }
        assert!(checked > 20, "{checked} entries");
    }
}
