//! CDS Hooks 2.0: the discovery document and the `patient-view` service
//! `upperback-triage`, which reads prefetched Patient, Observation and Condition resources,
//! assesses them and answers cards whose indicator follows the triage level.

use std::collections::BTreeMap;

use serde_json::{json, Value};
use upperback_core::{
    assess, Assessment, Evidence, FindingId, FindingKind, KnowledgeBase, Observation, Origin,
    Screening, TriageLevel,
};

use crate::bundle::bundle_id;
use crate::codes::{Codes, ADMINISTRATIVE_GENDER, SNOMED};
use crate::ids::derived_uuid;

/// The service id: `POST /cds-services/upperback-triage`.
pub const CDS_SERVICE_ID: &str = "upperback-triage";
/// The one hook the service answers.
pub const CDS_HOOK: &str = "patient-view";
/// A card summary's limit in characters (CDS Hooks: "<140").
pub const SUMMARY_MAX_CHARS: usize = 140;

const YES_NO_V2: &str = "http://terminology.hl7.org/CodeSystem/v2-0136";

/// A bad CDS Hooks request: the server answers 400 with this message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CdsError {
    #[error("a CDS Hooks request must be a JSON object with hook, hookInstance and context")]
    NotAnObject,
    #[error(
        "the request has no `{field}`; a CDS Hooks request needs hook, hookInstance and context"
    )]
    MissingField { field: &'static str },
    #[error("`{field}` must be {expected}")]
    WrongType {
        field: &'static str,
        expected: &'static str,
    },
    #[error("this service answers the `patient-view` hook, not `{hook}`")]
    WrongHook { hook: String },
    #[error("`context.patientId` is missing: the patient-view hook needs the patient's id")]
    MissingPatient,
    #[error("prefetch `{key}` must be a FHIR resource (a JSON object with resourceType) or null")]
    BadPrefetch { key: String },
}

/// The discovery document (`GET /cds-services`).
pub fn cds_discovery() -> Value {
    let codes = Codes::embedded();
    let mut tokens = vec![format!("{}|", codes.finding_system())];
    let kb = KnowledgeBase::embedded();
    for finding in &kb.findings {
        if let Some(c) = codes.finding(&finding.id) {
            for coding in [&c.snomed, &c.loinc].into_iter().flatten() {
                tokens.push(format!("{}|{}", coding.system, coding.code));
            }
        }
    }
    for m in &codes.measurements {
        tokens.push(format!("{}|{}", m.system, m.code));
    }
    tokens.dedup();
    json!({
        "services": [{
            "hook": CDS_HOOK,
            "id": CDS_SERVICE_ID,
            "title": "upperback: upper back muscle spasm triage",
            "description": "Triage for an upper back (thoracic) muscle spasm from the patient's recorded findings and problem list: how urgently to get help (red-flag rules), the contributing causes and a care plan. Not a diagnosis.",
            "prefetch": {
                "patient": "Patient/{{context.patientId}}",
                "observations": format!("Observation?patient={{{{context.patientId}}}}&code={}", tokens.join(",")),
                "conditions": "Condition?patient={{context.patientId}}",
            },
            "usageRequirements": "Prefetch of the patient, their Observations coded in the upperback finding code system (or the SNOMED CT / LOINC codes it maps) and their Conditions.",
        }]
    })
}

/// A validated `patient-view` request and the evidence read from its prefetch.
#[derive(Debug, Clone)]
pub struct CdsRequest {
    pub hook_instance: String,
    pub patient_id: String,
    /// Whether the request carried any prefetch at all.
    pub prefetch_given: bool,
    /// What was read from the record (known findings, origin `answer`, note naming the
    /// resource).
    pub evidence: Evidence,
    /// One line per finding read: which resource said what.
    pub read: Vec<String>,
    /// Resources (or parts) that could not be used, and why.
    pub ignored: Vec<String>,
}

impl CdsRequest {
    /// Whether the record says anything about the complaint or red flags (age and sex alone
    /// are not enough to triage).
    pub fn has_clinical_findings(&self, kb: &KnowledgeBase) -> bool {
        self.evidence
            .known()
            .any(|(id, _)| !matches!(kb.finding(id).id.as_str(), "age" | "sex"))
    }
}

fn string_field<'a>(
    object: &'a serde_json::Map<String, Value>,
    field: &'static str,
) -> Result<&'a str, CdsError> {
    match object.get(field) {
        None | Some(Value::Null) => Err(CdsError::MissingField { field }),
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(s),
        Some(_) => Err(CdsError::WrongType {
            field,
            expected: "a non-empty string",
        }),
    }
}

/// What one resource says about one finding.
struct Reading {
    value: upperback_core::Value,
    /// For ordering numbers: the effective date (ISO 8601 strings order by time).
    when: String,
    what: String,
}

struct PrefetchReader<'a> {
    kb: &'a KnowledgeBase,
    codes: &'a Codes,
    patient_id: &'a str,
    today: Option<(i64, i64, i64)>,
    readings: BTreeMap<FindingId, Reading>,
    ignored: Vec<String>,
}

fn label(resource: &Value) -> String {
    format!(
        "{}/{}",
        resource["resourceType"].as_str().unwrap_or("?"),
        resource["id"].as_str().unwrap_or("(no id)")
    )
}

fn codings(concept: &Value) -> Vec<(&str, &str)> {
    concept["coding"]
        .as_array()
        .map(|codings| {
            codings
                .iter()
                .filter_map(|c| Some((c["system"].as_str()?, c["code"].as_str()?)))
                .collect()
        })
        .unwrap_or_default()
}

fn parse_date(s: &str) -> Option<(i64, i64, i64)> {
    let mut parts = s.get(..10)?.split('-');
    let y = parts.next()?.parse().ok()?;
    let m = parts.next()?.parse().ok()?;
    let d = parts.next()?.parse().ok()?;
    (s.len() == 10 || s.as_bytes().get(10) == Some(&b'T')).then_some((y, m, d))
}

fn effective(resource: &Value) -> String {
    [
        "effectiveDateTime",
        "issued",
        "recordedDate",
        "onsetDateTime",
    ]
    .iter()
    .find_map(|k| resource[*k].as_str())
    .or_else(|| resource["effectivePeriod"]["end"].as_str())
    .or_else(|| resource["effectivePeriod"]["start"].as_str())
    .unwrap_or_default()
    .to_string()
}

impl PrefetchReader<'_> {
    fn record(&mut self, finding: &str, value: &Value, resource: &Value, how: &str) {
        let what = format!("{} ({how})", label(resource));
        let parsed = match self.kb.parse_answer(finding, value) {
            Ok(Some((id, value))) => (id, value),
            Ok(None) => return,
            Err(e) => {
                self.ignored.push(format!("{what}: {e}"));
                return;
            }
        };
        let (id, value) = parsed;
        let when = effective(resource);
        let reading = Reading { value, when, what };
        match self.readings.get(&id) {
            None => {
                self.readings.insert(id, reading);
            }
            Some(old) => {
                // A finding recorded present anywhere stays present (the safe reading);
                // otherwise the most recent record wins.
                let keep_old = match (&old.value, &reading.value) {
                    (upperback_core::Value::Present, _) => true,
                    (_, upperback_core::Value::Present) => false,
                    _ => old.when >= reading.when,
                };
                if !keep_old {
                    self.readings.insert(id, reading);
                }
            }
        }
    }

    fn is_other_patient(&self, resource: &Value) -> bool {
        let Some(reference) = resource["subject"]["reference"].as_str() else {
            return false;
        };
        let own = format!("Patient/{}", self.patient_id);
        !(reference == own || reference.ends_with(&format!("/{own}")))
    }

    fn resource(&mut self, resource: &Value) {
        match resource["resourceType"].as_str() {
            Some("Bundle") => {
                for entry in resource["entry"].as_array().into_iter().flatten() {
                    if entry["resource"].is_object() {
                        self.resource(&entry["resource"]);
                    }
                }
            }
            Some("Patient") => self.patient(resource),
            Some("Observation") => self.observation(resource),
            Some("Condition") => self.condition(resource),
            Some(other) => self
                .ignored
                .push(format!("{}: a {other} is not read", label(resource))),
            None => self
                .ignored
                .push("a prefetched item without resourceType".into()),
        }
    }

    fn patient(&mut self, patient: &Value) {
        if let Some(id) = patient["id"].as_str() {
            if id != self.patient_id {
                self.ignored.push(format!(
                    "{}: not the patient of the hook ({})",
                    label(patient),
                    self.patient_id
                ));
                return;
            }
        }
        if let Some(gender) = patient["gender"].as_str() {
            if matches!(gender, "female" | "male" | "other") {
                self.record("sex", &json!(gender), patient, "gender");
            }
        }
        if let (Some(birth), Some((ty, tm, td))) = (patient["birthDate"].as_str(), self.today) {
            match parse_date(birth) {
                Some((by, bm, bd)) => {
                    let age = ty - by - i64::from((tm, td) < (bm, bd));
                    self.record("age", &json!(age), patient, "birthDate");
                }
                None => self.ignored.push(format!(
                    "{}: birthDate `{birth}` is not a full date; age not read",
                    label(patient)
                )),
            }
        }
    }

    fn observation(&mut self, obs: &Value) {
        let what = label(obs);
        if self.is_other_patient(obs) {
            self.ignored.push(format!("{what}: about another patient"));
            return;
        }
        if matches!(
            obs["status"].as_str(),
            Some("entered-in-error" | "cancelled")
        ) {
            self.ignored.push(format!(
                "{what}: status {}",
                obs["status"].as_str().unwrap_or_default()
            ));
            return;
        }
        let codings = codings(&obs["code"]);
        let all_codes = self.codes;
        // A measurement with a threshold (body temperature → fever)?
        for m in &all_codes.measurements {
            if codings.iter().any(|(s, c)| *s == m.system && *c == m.code) {
                let Some(value) = quantity_in(&obs["valueQuantity"], &m.unit) else {
                    self.ignored.push(format!(
                        "{what}: {} needs a valueQuantity in {}",
                        m.display, m.unit
                    ));
                    return;
                };
                if value >= m.at_least {
                    let how = format!("{} {value} {} ≥ {}", m.display, m.unit, m.at_least);
                    self.record(&m.finding, &json!(true), obs, &how);
                }
                return;
            }
        }
        let finding_system = self.codes.finding_system();
        let Some((finding, how)) = codings.iter().find_map(|(system, code)| {
            if *system == finding_system {
                self.kb
                    .finding_id(code)
                    .map(|_| (code.to_string(), "upperback code".to_string()))
            } else {
                self.codes
                    .finding_by_code(system, code)
                    .map(|f| (f.to_string(), format!("{system}|{code}")))
            }
        }) else {
            self.ignored
                .push(format!("{what}: no code that upperback reads"));
            return;
        };
        let id = self.kb.finding_id(&finding).expect("mapped findings exist");
        let kind = self.kb.finding(id).kind.clone();
        let value = match kind {
            FindingKind::Bool => bool_value(obs),
            FindingKind::Number { unit, .. } => {
                if let Some(n) = obs["valueInteger"].as_i64() {
                    Some(json!(n))
                } else {
                    to_finding_unit(&obs["valueQuantity"], &unit).map(|n| json!(n))
                }
            }
            FindingKind::Choice { .. } => {
                let choice_system = self.codes.choice_system(&finding);
                codings_of_value(obs)
                    .into_iter()
                    .find(|(s, _)| {
                        *s == choice_system || (finding == "sex" && *s == ADMINISTRATIVE_GENDER)
                    })
                    .map(|(_, c)| json!(c))
            }
        };
        match value {
            Some(Value::Null) => {}
            Some(value) => self.record(&finding, &value, obs, &how),
            None => self.ignored.push(format!(
                "{what}: its value does not fit finding `{finding}`"
            )),
        }
    }

    fn condition(&mut self, condition: &Value) {
        let what = label(condition);
        if self.is_other_patient(condition) {
            self.ignored.push(format!("{what}: about another patient"));
            return;
        }
        let verification = codings(&condition["verificationStatus"]);
        if verification
            .iter()
            .any(|(_, c)| matches!(*c, "refuted" | "entered-in-error"))
        {
            self.ignored
                .push(format!("{what}: refuted or entered in error"));
            return;
        }
        let clinical = codings(&condition["clinicalStatus"]);
        let active = clinical.is_empty()
            || clinical
                .iter()
                .any(|(_, c)| matches!(*c, "active" | "recurrence" | "relapse"));
        let codes = codings(&condition["code"]);
        let mut used = false;
        let all_codes = self.codes;
        for mapping in &all_codes.conditions {
            if let Some((system, code)) = codes.iter().find(|(s, c)| mapping.matches(s, c)) {
                let Some(id) = self.kb.finding_id(&mapping.finding) else {
                    continue;
                };
                if !active && !self.kb.finding(id).history {
                    continue;
                }
                used = true;
                let how = format!("{system}|{code}: {}", mapping.display);
                self.record(&mapping.finding, &json!(true), condition, &how);
            }
        }
        if !used {
            self.ignored.push(format!(
                "{what}: {}",
                if codes.is_empty() {
                    "no coded condition"
                } else if !active {
                    "not active"
                } else {
                    "no code that upperback reads"
                }
            ));
        }
    }
}

fn codings_of_value(obs: &Value) -> Vec<(&str, &str)> {
    codings(&obs["valueCodeableConcept"])
}

/// A bool finding's value: valueBoolean, a yes/no code, or (no value and no
/// dataAbsentReason) a recorded finding, which is present. `Some(Null)` = unknown.
fn bool_value(obs: &Value) -> Option<Value> {
    if let Some(b) = obs["valueBoolean"].as_bool() {
        return Some(json!(b));
    }
    if obs.get("valueCodeableConcept").is_some() {
        for (system, code) in codings_of_value(obs) {
            match (system, code) {
                (SNOMED, "373066001") | (YES_NO_V2, "Y") => return Some(json!(true)),
                (SNOMED, "373067005") | (YES_NO_V2, "N") => return Some(json!(false)),
                _ => {}
            }
        }
        return None;
    }
    let has_value = obs
        .as_object()
        .is_some_and(|o| o.keys().any(|k| k.starts_with("value")));
    if has_value {
        None
    } else if obs.get("dataAbsentReason").is_some() {
        Some(Value::Null)
    } else {
        Some(json!(true))
    }
}

/// A quantity's value in the wanted UCUM unit (Cel and [degF] convert).
fn quantity_in(quantity: &Value, unit: &str) -> Option<f64> {
    let value = quantity["value"].as_f64()?;
    let code = quantity["code"].as_str().or(quantity["unit"].as_str())?;
    match (code, unit) {
        (a, b) if a == b => Some(value),
        ("[degF]", "Cel") => Some((value - 32.0) * 5.0 / 9.0),
        ("Cel", "[degF]") => Some(value * 9.0 / 5.0 + 32.0),
        _ => None,
    }
}

/// A quantity in a finding's unit (hours, years, 0-10).
fn to_finding_unit(quantity: &Value, unit: &str) -> Option<f64> {
    let value = quantity["value"].as_f64()?;
    let code = quantity["code"]
        .as_str()
        .or(quantity["unit"].as_str())
        .unwrap_or("");
    let factor = match (unit, code) {
        ("hours", "h" | "hours" | "hour" | "h/d") => 1.0,
        ("hours", "min") => 1.0 / 60.0,
        ("hours", "d" | "days") => 24.0,
        ("hours", "wk" | "weeks") => 168.0,
        ("years", "a" | "years" | "yr") => 1.0,
        ("years", "mo") => 1.0 / 12.0,
        ("0-10", _) => 1.0,
        _ => return None,
    };
    Some(value * factor)
}

/// Validates a `patient-view` request and reads its prefetch into evidence. `today`
/// (`YYYY-MM-DD`) lets the Patient's birthDate give an age; without it age is read only from
/// an Observation (LOINC 30525-0 or the upperback code).
pub fn parse_cds_request(
    kb: &KnowledgeBase,
    request: &Value,
    today: Option<&str>,
) -> Result<CdsRequest, CdsError> {
    let Some(object) = request.as_object() else {
        return Err(CdsError::NotAnObject);
    };
    let hook = string_field(object, "hook")?;
    let hook_instance = string_field(object, "hookInstance")?.to_string();
    if hook != CDS_HOOK {
        return Err(CdsError::WrongHook {
            hook: hook.to_string(),
        });
    }
    let context = match object.get("context") {
        None | Some(Value::Null) => return Err(CdsError::MissingField { field: "context" }),
        Some(Value::Object(c)) => c,
        Some(_) => {
            return Err(CdsError::WrongType {
                field: "context",
                expected: "an object",
            })
        }
    };
    let patient_id = match context.get("patientId") {
        Some(Value::String(s)) if !s.trim().is_empty() => s.clone(),
        None | Some(Value::Null) => return Err(CdsError::MissingPatient),
        Some(_) => {
            return Err(CdsError::WrongType {
                field: "context.patientId",
                expected: "a non-empty string",
            })
        }
    };
    let prefetch = match object.get("prefetch") {
        None | Some(Value::Null) => None,
        Some(Value::Object(p)) => Some(p),
        Some(_) => {
            return Err(CdsError::WrongType {
                field: "prefetch",
                expected: "an object",
            })
        }
    };
    let mut reader = PrefetchReader {
        kb,
        codes: Codes::embedded(),
        patient_id: &patient_id,
        today: today.and_then(parse_date),
        readings: BTreeMap::new(),
        ignored: Vec::new(),
    };
    if let Some(prefetch) = prefetch {
        for (key, value) in prefetch {
            match value {
                Value::Null => {}
                Value::Object(o) if o.get("resourceType").is_some_and(Value::is_string) => {
                    reader.resource(value)
                }
                _ => return Err(CdsError::BadPrefetch { key: key.clone() }),
            }
        }
    }
    let PrefetchReader {
        readings, ignored, ..
    } = reader;
    let mut evidence = Evidence::new(kb);
    let mut read = Vec::new();
    for (id, reading) in readings {
        let shown = match &reading.value {
            upperback_core::Value::Present => "present".to_string(),
            upperback_core::Value::Absent => "absent".to_string(),
            upperback_core::Value::Number(n) => format!("{n}"),
            upperback_core::Value::Choice(c) => match &kb.finding(id).kind {
                FindingKind::Choice { choices } => choices[*c as usize].clone(),
                _ => c.to_string(),
            },
        };
        read.push(format!("{} {shown}: {}", kb.finding(id).id, reading.what));
        evidence.set(
            id,
            Observation {
                value: reading.value,
                origin: Origin::Answer,
                spans: Vec::new(),
                trigger: None,
                note: Some(format!("from the clinic's record: {}", reading.what)),
            },
        );
    }
    Ok(CdsRequest {
        hook_instance,
        patient_id,
        prefetch_given: prefetch.is_some_and(|p| p.values().any(|v| !v.is_null())),
        evidence,
        read,
        ignored,
    })
}

/// The card's indicator for a level: critical for ambulance and emergency department,
/// warning for within 24 hours, info otherwise.
pub fn indicator(level: TriageLevel) -> &'static str {
    match level {
        TriageLevel::Ambulance | TriageLevel::EmergencyDepartment => "critical",
        TriageLevel::Within24Hours => "warning",
        TriageLevel::WithinDays | TriageLevel::SelfCare => "info",
    }
}

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let mut s: String = text.chars().take(max - 1).collect();
        s.push('…');
        s
    }
}

fn source(codes: &Codes, kb: &KnowledgeBase, level: Option<TriageLevel>) -> Value {
    let mut source = json!({
        "label": format!("upperback (knowledge base {})", kb.version),
        "url": codes.project_url,
    });
    if let Some(level) = level {
        source["topic"] = json!({
            "system": codes.level_system(),
            "code": level.as_str(),
            "display": kb.level_info(level).label,
        });
    }
    source
}

fn list_section(title: &str, lines: &[String]) -> String {
    if lines.is_empty() {
        return String::new();
    }
    let mut s = format!("\n\n**{title}**\n");
    for line in lines {
        s.push_str(&format!("\n- {line}"));
    }
    s
}

/// The CDS Hooks response for a parsed request. With an assessment: one card whose
/// indicator follows the level, with the fired rules and their reasons, the red flags not
/// screened, the leading causes and a link to `result_url`. Without one (no clinical finding
/// in the record): one info card saying there is not enough data.
pub fn cds_cards(
    kb: &KnowledgeBase,
    request: &CdsRequest,
    assessment: Option<&Assessment<'_>>,
    result_url: Option<&str>,
) -> Value {
    let codes = Codes::embedded();
    let read_section = list_section("Read from the record", &request.read);
    let ignored_section = list_section("Not used", &request.ignored);
    let Some(assessment) = assessment else {
        let why = if request.prefetch_given {
            "The record holds no upper back or red-flag finding that upperback reads."
        } else {
            "The request carried no prefetched data (see the service's prefetch templates: patient, observations, conditions)."
        };
        let detail = format!(
            "{why} Ask the patient to complete the upperback interview (FHIR Questionnaire `{}`), then assess the QuestionnaireResponse.{read_section}{ignored_section}\n\n_{}_",
            codes.questionnaire_url(),
            kb.disclaimer
        );
        return json!({"cards": [{
            "uuid": derived_uuid(&[&request.hook_instance, "card", "not-enough-data"]),
            "summary": "upperback: not enough recorded data to triage an upper back spasm",
            "detail": detail,
            "indicator": "info",
            "source": source(codes, kb, None),
        }]});
    };
    let triage = &assessment.triage;
    let level = triage.level;
    let info = kb.level_info(level);
    let headline = match (level, triage.fired_rules.first()) {
        (TriageLevel::SelfCare, _) if triage.screening == Screening::Partial => format!(
            "no red flag recorded, {} not screened",
            triage.unscreened_red_flags.len()
        ),
        (_, Some(rule)) => rule.id.replace('_', " "),
        (_, None) => "no red flag recorded".to_string(),
    };
    let summary = truncate(
        &format!("upperback: {} ({headline})", info.label),
        SUMMARY_MAX_CHARS,
    );
    let rules: Vec<String> = triage
        .fired_rules
        .iter()
        .map(|r| {
            format!(
                "**{}** ({}): {} Findings: {}. Source: {}.",
                r.id,
                kb.level_info(r.level).label,
                r.why,
                if r.findings.is_empty() {
                    "none".to_string()
                } else {
                    r.findings.join(", ")
                },
                r.source
            )
        })
        .collect();
    let mut detail = format!(
        "**{}.** What the patient is told: \"{}\"",
        info.label, info.tell
    );
    if rules.is_empty() {
        detail.push_str("\n\nNo red-flag rule fired on the recorded data.");
    } else {
        detail.push_str(&list_section("Why", &rules));
    }
    if !triage.unscreened_red_flags.is_empty() {
        detail.push_str(&format!(
            "\n\n**Not screened** ({} red flags with no record, not assumed absent): {}.",
            triage.unscreened_red_flags.len(),
            triage.unscreened_red_flags.join(", ")
        ));
    }
    let causes: Vec<String> = assessment
        .causes
        .iter()
        .take(3)
        .map(|c| format!("{}: {:.0} %", c.name, c.probability * 100.0))
        .collect();
    detail.push_str(&list_section(
        "Contributing causes (not diagnoses)",
        &causes,
    ));
    detail.push_str(&read_section);
    detail.push_str(&ignored_section);
    detail.push_str(&format!("\n\n_{}_", kb.disclaimer));
    let mut card = json!({
        "uuid": derived_uuid(&[&request.hook_instance, "card", level.as_str()]),
        "summary": summary,
        "detail": detail,
        "indicator": indicator(level),
        "source": source(codes, kb, Some(level)),
    });
    if let Some(url) = result_url {
        card["links"] = json!([{"label": "Full upperback result (FHIR Bundle)", "url": url, "type": "absolute"}]);
    }
    json!({"cards": [card]})
}

/// `POST /cds-services/upperback-triage`: validates the `patient-view` request, reads its
/// prefetch, assesses, and answers `{"cards": [..]}`. The card links to
/// `{result_link_base}/{id}`, where `id` is the id of [`crate::bundle`]`(kb, &assessment,
/// hookInstance)`: the server stores that Bundle (or the assessment) under it. A request
/// whose record holds no clinical finding gets one info card saying so.
pub fn cds_patient_view(
    kb: &KnowledgeBase,
    request: &Value,
    result_link_base: &str,
) -> Result<Value, CdsError> {
    cds_patient_view_on(kb, request, result_link_base, None)
}

/// [`cds_patient_view`] on a given day (`YYYY-MM-DD`), so that the Patient's birthDate gives
/// an age.
pub fn cds_patient_view_on(
    kb: &KnowledgeBase,
    request: &Value,
    result_link_base: &str,
    today: Option<&str>,
) -> Result<Value, CdsError> {
    let parsed = parse_cds_request(kb, request, today)?;
    if !parsed.has_clinical_findings(kb) {
        return Ok(cds_cards(kb, &parsed, None, None));
    }
    let assessment = assess(kb, &parsed.evidence);
    let url = format!(
        "{}/{}",
        result_link_base.trim_end_matches('/'),
        bundle_id(kb, &assessment, &parsed.hook_instance)
    );
    Ok(cds_cards(kb, &parsed, Some(&assessment), Some(&url)))
}
