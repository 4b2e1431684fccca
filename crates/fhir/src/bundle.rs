//! An assessment as an R4 `Bundle` (type collection): Patient, an Observation per known
//! finding, a RiskAssessment (causes and triage level) and a CarePlan.

use serde_json::{json, Map, Value};
use upperback_core::{Assessment, FindingKind, KnowledgeBase, Origin, Status, TriageLevel};

use crate::codes::{Codes, ADMINISTRATIVE_GENDER, UCUM};
use crate::ids::derived_uuid;
use crate::questionnaire::choice_display;

/// A resource with a deterministic id: the UUID of the seed, its type and its content.
fn with_id(seed: &str, mut resource: Value) -> (String, Value) {
    let resource_type = resource["resourceType"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let content = resource.to_string();
    let id = derived_uuid(&[seed, &resource_type, &content]);
    resource
        .as_object_mut()
        .expect("a resource is an object")
        .insert("id".into(), json!(id));
    (id, resource)
}

fn reference(id: &str) -> Value {
    json!({"reference": format!("urn:uuid:{id}")})
}

/// The coding of a triage level in the project's code system.
pub(crate) fn level_concept(codes: &Codes, kb: &KnowledgeBase, level: TriageLevel) -> Value {
    let info = kb.level_info(level);
    json!({
        "coding": [{"system": codes.level_system(), "code": level.as_str(), "display": info.label}],
        "text": info.label,
    })
}

fn observation(
    codes: &Codes,
    kb: &KnowledgeBase,
    patient: &Value,
    report: &upperback_core::FindingReport<'_>,
) -> Option<Value> {
    let id = kb.finding_id(report.id)?;
    let finding = kb.finding(id);
    let mut obs = Map::new();
    obs.insert("resourceType".into(), json!("Observation"));
    obs.insert("status".into(), json!("final"));
    obs.insert(
        "category".into(),
        json!([{"coding": [{
            "system": "http://terminology.hl7.org/CodeSystem/observation-category",
            "code": "survey",
            "display": "Survey",
        }]}]),
    );
    obs.insert(
        "code".into(),
        json!({"coding": codes.finding_codings(kb, report.id), "text": finding.meaning}),
    );
    obs.insert("subject".into(), patient.clone());
    match (&finding.kind, report.status) {
        (FindingKind::Bool, Status::Present) => {
            obs.insert("valueBoolean".into(), json!(true));
        }
        (FindingKind::Bool, Status::Absent) => {
            obs.insert("valueBoolean".into(), json!(false));
        }
        (FindingKind::Number { unit, .. }, _) => {
            let n = report.value.as_f64()?;
            let mut quantity = json!({"value": n, "unit": unit});
            if let Some((code, _)) = codes.ucum_unit(report.id, unit) {
                quantity["system"] = json!(UCUM);
                quantity["code"] = json!(code);
            }
            obs.insert("valueQuantity".into(), quantity);
        }
        (FindingKind::Choice { .. }, _) => {
            let choice = report.value.as_str()?;
            let mut codings = vec![json!({
                "system": codes.choice_system(report.id),
                "code": choice,
                "display": choice_display(choice),
            })];
            if report.id == "sex" {
                codings.push(json!({"system": ADMINISTRATIVE_GENDER, "code": choice, "display": choice_display(choice)}));
            }
            obs.insert(
                "valueCodeableConcept".into(),
                json!({"coding": codings, "text": choice_display(choice)}),
            );
        }
        _ => return None,
    }
    let mut notes = Vec::new();
    if !report.evidence.is_empty() {
        let quoted: Vec<String> = report
            .evidence
            .iter()
            .map(|s| format!("\"{}\"", s.text))
            .collect();
        notes.push(
            json!({"text": format!("Read from the person's own words: {}", quoted.join(", "))}),
        );
    } else {
        notes.push(json!({"text": match report.origin {
            Origin::Answer => "Answered by the person.",
            Origin::Text => "Read from the person's own words.",
            Origin::Ergonomics => "Derived from a workstation or posture score.",
        }}));
    }
    if let Some(note) = report.note {
        notes.push(json!({"text": note}));
    }
    obs.insert("note".into(), Value::Array(notes));
    Some(Value::Object(obs))
}

/// The assessment as an R4 `Bundle` of type `collection`.
///
/// Entries, each with a `urn:uuid:` fullUrl: a Patient (gender from `sex` when known; the
/// RiskAssessment and CarePlan need a subject), an Observation per known finding (status
/// final; code in `{base}/CodeSystem/finding` plus SNOMED CT / LOINC where codes.toml maps
/// one; `valueBoolean` — false for an absent finding —, `valueQuantity` in UCUM or
/// `valueCodeableConcept`), a RiskAssessment (a prediction per cause with
/// `probabilityDecimal`; the triage level, fired rules and unscreened red flags as
/// extensions `{base}/StructureDefinition/triage-level`, `triage-rule` and
/// `unscreened-red-flag`; the Observations as `basis`) and a CarePlan (status active, intent
/// plan, an activity per step). Every reference points inside the Bundle. Ids are UUIDs
/// derived from `id_seed` and the content: the same input gives a byte-identical Bundle.
pub fn bundle(kb: &KnowledgeBase, assessment: &Assessment<'_>, id_seed: &str) -> Value {
    let codes = Codes::embedded();
    let mut entries: Vec<(String, Value)> = Vec::new();

    // Patient.
    let mut patient = json!({"resourceType": "Patient"});
    if let Some(sex) = assessment
        .findings
        .iter()
        .find(|f| f.id == "sex")
        .and_then(|f| f.value.as_str())
    {
        if matches!(sex, "female" | "male" | "other") {
            patient["gender"] = json!(sex);
        }
    }
    let (patient_id, patient) = with_id(id_seed, patient);
    let subject = reference(&patient_id);
    entries.push((patient_id, patient));

    // Observations.
    let mut basis = Vec::new();
    for report in &assessment.findings {
        if let Some(obs) = observation(codes, kb, &subject, report) {
            let (id, obs) = with_id(id_seed, obs);
            basis.push(reference(&id));
            entries.push((id, obs));
        }
    }

    // RiskAssessment.
    let triage = &assessment.triage;
    let mut extensions = vec![json!({
        "url": codes.extension_url("triage-level"),
        "valueCodeableConcept": level_concept(codes, kb, triage.level),
    })];
    for rule in &triage.fired_rules {
        extensions.push(json!({
            "url": codes.extension_url("triage-rule"),
            "valueCodeableConcept": {
                "coding": [{"system": codes.rule_system(), "code": rule.id}],
                "text": format!("{} ({}): {} Findings: {}. Source: {}.", rule.id, rule.level, rule.why, rule.findings.join(", "), rule.source),
            },
        }));
    }
    for flag in &triage.unscreened_red_flags {
        extensions.push(json!({
            "url": codes.extension_url("unscreened-red-flag"),
            "valueCodeableConcept": {"coding": codes.finding_codings(kb, flag), "text": flag},
        }));
    }
    let predictions: Vec<Value> = assessment
        .causes
        .iter()
        .map(|cause| {
            let evidence: Vec<String> = cause
                .evidence
                .iter()
                .map(|e| {
                    format!(
                        "{} {} (likelihood ratio {})",
                        e.finding,
                        match e.status {
                            Status::Present => "present",
                            Status::Absent => "absent",
                            Status::Unknown => "unknown",
                        },
                        e.likelihood_ratio
                    )
                })
                .collect();
            let mut rationale = format!("Prior {}.", cause.prior);
            if !evidence.is_empty() {
                rationale.push_str(&format!(" Evidence: {}.", evidence.join("; ")));
            }
            if cause.estimate == Some("expert") {
                rationale.push_str(" Expert estimates awaiting clinical review.");
            }
            rationale.push_str(&format!(" Source: {}.", cause.source));
            json!({
                "outcome": {
                    "coding": [{"system": codes.cause_system(), "code": cause.id, "display": cause.name}],
                    "text": format!("Contributing cause: {}", cause.name),
                },
                "probabilityDecimal": cause.probability,
                "rationale": rationale,
            })
        })
        .collect();
    let level_info = kb.level_info(triage.level);
    let mut risk = json!({
        "resourceType": "RiskAssessment",
        "extension": extensions,
        "status": "final",
        "method": {"text": format!("upperback knowledge base {} ({})", kb.version, kb.digest)},
        "code": {"text": "Upper back muscle spasm: urgency (triage) and contributing causes"},
        "subject": subject,
        "reasonCode": codes.complaint.iter().map(|c| json!({"coding": [c.to_fhir()], "text": c.display})).collect::<Vec<_>>(),
        "prediction": predictions,
        "mitigation": format!("{}: {}", level_info.label, level_info.tell),
        "note": [{"text": kb.disclaimer}],
    });
    if !basis.is_empty() {
        risk["basis"] = Value::Array(basis);
    }
    let (risk_id, risk) = with_id(id_seed, risk);
    entries.push((risk_id.clone(), risk));

    // CarePlan.
    let plan = &assessment.care_plan;
    let mut activities = vec![json!({"detail": {
        "code": level_concept(codes, kb, triage.level),
        "status": "not-started",
        "description": plan.summary,
    }})];
    for advice in &plan.advice {
        let mut detail = json!({
            "code": {"coding": [{"system": codes.advice_system(), "code": advice.id}]},
            "status": "not-started",
            "description": advice.text,
        });
        if let Some(cause) = advice.cause {
            detail["reasonCode"] =
                json!([{"coding": [{"system": codes.cause_system(), "code": cause}]}]);
        }
        activities.push(json!({"detail": detail}));
    }
    activities.push(json!({"detail": {
        "status": "not-started",
        "description": plan.follow_up.text,
        "scheduledString": format!("if not clearly better after {} hours", plan.follow_up.after_hours),
    }}));
    let mut notes: Vec<Value> = plan
        .watch_for
        .iter()
        .map(|w| {
            json!({"text": format!("Watch for: {} If it appears: {}.", w.text, kb.level_info(w.level).label)})
        })
        .collect();
    notes.push(json!({"text": kb.disclaimer}));
    let care_plan = json!({
        "resourceType": "CarePlan",
        "status": "active",
        "intent": "plan",
        "title": "Upper back spasm care plan",
        "description": plan.summary,
        "subject": subject,
        "supportingInfo": [reference(&risk_id)],
        "activity": activities,
        "note": notes,
    });
    let (plan_id, care_plan) = with_id(id_seed, care_plan);
    entries.push((plan_id, care_plan));

    let entry_ids: Vec<&str> = entries.iter().map(|(id, _)| id.as_str()).collect();
    let bundle_id = derived_uuid(&[id_seed, "Bundle", &entry_ids.join(",")]);
    json!({
        "resourceType": "Bundle",
        "id": bundle_id,
        "type": "collection",
        "entry": entries
            .into_iter()
            .map(|(id, resource)| json!({"fullUrl": format!("urn:uuid:{id}"), "resource": resource}))
            .collect::<Vec<_>>(),
    })
}

/// The id [`bundle`] gives the Bundle of this assessment and seed (what a CDS card links to).
pub fn bundle_id(kb: &KnowledgeBase, assessment: &Assessment<'_>, id_seed: &str) -> String {
    bundle(kb, assessment, id_seed)["id"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}
