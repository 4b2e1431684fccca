//! CDS Hooks: discovery, the patient-view service with and without prefetch, bad requests.

use std::path::PathBuf;

use serde_json::{json, Value};
use upperback_core::{assess, KnowledgeBase};
use upperback_fhir::{
    bundle, cds_discovery, cds_patient_view, cds_patient_view_on, parse_cds_request, CdsError,
    SUMMARY_MAX_CHARS,
};

const BASE: &str = "https://clinic.example/upperback/results";

fn sample(name: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/cds")
        .join(format!("{name}.json"));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

fn card(response: &Value) -> &Value {
    let cards = response["cards"].as_array().expect("cards array");
    assert_eq!(cards.len(), 1);
    let card = &cards[0];
    let summary = card["summary"].as_str().unwrap();
    assert!(
        summary.chars().count() <= SUMMARY_MAX_CHARS,
        "summary too long: {summary}"
    );
    assert!(card["detail"].is_string());
    assert!(card["source"]["label"].is_string());
    assert!(card["uuid"].is_string());
    card
}

#[test]
fn discovery_lists_the_patient_view_service() {
    let d = cds_discovery();
    let services = d["services"].as_array().unwrap();
    assert_eq!(services.len(), 1);
    let s = &services[0];
    assert_eq!(s["hook"], "patient-view");
    assert_eq!(s["id"], "upperback-triage");
    assert!(s["title"].is_string() && s["description"].is_string());
    let prefetch = s["prefetch"].as_object().unwrap();
    assert_eq!(prefetch["patient"], "Patient/{{context.patientId}}");
    let observations = prefetch["observations"].as_str().unwrap();
    assert!(observations.starts_with("Observation?patient={{context.patientId}}&code="));
    assert!(observations.contains("https://upperback.example/fhir/CodeSystem/finding|"));
    assert!(observations.contains("http://snomed.info/sct|386661006"));
    assert!(observations.contains("http://loinc.org|8310-5"));
    assert_eq!(
        prefetch["conditions"],
        "Condition?patient={{context.patientId}}"
    );
}

#[test]
fn indicator_follows_the_level() {
    let kb = KnowledgeBase::embedded();
    for (name, indicator, level) in [
        ("ambulance-chest-pain", "critical", "ambulance"),
        (
            "emergency-coughing-blood",
            "critical",
            "emergency_department",
        ),
        ("warning-fever", "warning", "within_24_hours"),
        ("info-cancer-history", "info", "within_days"),
        ("info-self-care", "info", "self_care"),
    ] {
        let request = sample(name);
        let response = cds_patient_view_on(kb, &request, BASE, Some("2026-11-24")).unwrap();
        let c = card(&response);
        assert_eq!(c["indicator"], indicator, "{name}");
        assert_eq!(c["source"]["topic"]["code"], level, "{name}");
        // The link points at the Bundle of this assessment, seeded by the hookInstance.
        let parsed = parse_cds_request(kb, &request, Some("2026-11-24")).unwrap();
        let assessment = assess(kb, &parsed.evidence);
        let b = bundle(kb, &assessment, request["hookInstance"].as_str().unwrap());
        let links = c["links"].as_array().unwrap();
        assert_eq!(links[0]["type"], "absolute");
        assert_eq!(
            links[0]["url"],
            format!("{BASE}/{}", b["id"].as_str().unwrap()),
            "{name}"
        );
        assert_eq!(assessment.triage.level.as_str(), level, "{name}");
    }
}

#[test]
fn detail_gives_the_fired_rules_and_their_reasons() {
    let kb = KnowledgeBase::embedded();
    let response = cds_patient_view(kb, &sample("ambulance-chest-pain"), BASE).unwrap();
    let c = card(&response);
    let detail = c["detail"].as_str().unwrap();
    assert!(detail.contains("cardiac_chest_pain"), "{detail}");
    let rule = kb
        .rules
        .iter()
        .find(|r| r.id == "cardiac_chest_pain")
        .unwrap();
    assert!(detail.contains(&rule.why), "{detail}");
    assert!(detail.contains("Observation/o2"), "{detail}");
    assert!(detail.contains("Not screened"), "{detail}");
    assert!(c["summary"].as_str().unwrap().contains("ambulance"));
}

#[test]
fn measurements_conditions_and_units_are_read() {
    let kb = KnowledgeBase::embedded();
    let finding = |r: &upperback_fhir::CdsRequest, id: &str| {
        r.evidence
            .get(kb.finding_id(id).unwrap())
            .map(|o| o.value.clone())
    };
    // 101.3 °F is 38.5 °C: fever.
    let fever = parse_cds_request(kb, &sample("warning-fever"), Some("2026-11-24")).unwrap();
    assert_eq!(
        finding(&fever, "fever"),
        Some(upperback_core::Value::Present)
    );
    assert_eq!(
        finding(&fever, "pain_severity"),
        Some(upperback_core::Value::Number(6.0))
    );
    assert_eq!(
        finding(&fever, "age"),
        Some(upperback_core::Value::Number(37.0))
    );
    // A resolved cancer still counts (a history finding); 2 days are 48 hours.
    let cancer = parse_cds_request(kb, &sample("info-cancer-history"), Some("2026-11-24")).unwrap();
    assert_eq!(
        finding(&cancer, "cancer_history"),
        Some(upperback_core::Value::Present)
    );
    assert_eq!(
        finding(&cancer, "duration_hours"),
        Some(upperback_core::Value::Number(48.0))
    );
    assert_eq!(
        finding(&cancer, "upper_back_spasm"),
        Some(upperback_core::Value::Present)
    );
    // Without a date, the birthDate gives no age.
    let undated = parse_cds_request(kb, &sample("info-cancer-history"), None).unwrap();
    assert_eq!(finding(&undated, "age"), None);
}

fn request_with(prefetch: Value) -> Value {
    json!({
        "hook": "patient-view",
        "hookInstance": "0b7d1a4e-0000-4000-8000-000000000001",
        "context": {"userId": "Practitioner/1", "patientId": "p9"},
        "prefetch": prefetch,
    })
}

#[test]
fn problem_lists_never_make_a_finding_absent_and_other_patients_are_ignored() {
    let kb = KnowledgeBase::embedded();
    let r = parse_cds_request(
        kb,
        &request_with(json!({
            "conditions": {"resourceType": "Bundle", "type": "searchset", "entry": [
                {"resource": {"resourceType": "Condition", "id": "c1",
                    "clinicalStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-clinical", "code": "resolved"}]},
                    "code": {"coding": [{"system": "http://snomed.info/sct", "code": "64859006"}]},
                    "subject": {"reference": "Patient/p9"}}},
                {"resource": {"resourceType": "Condition", "id": "c2",
                    "verificationStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-ver-status", "code": "refuted"}]},
                    "code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "C50.911"}]},
                    "subject": {"reference": "Patient/p9"}}},
                {"resource": {"resourceType": "Condition", "id": "c3",
                    "code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "B02.9"}]},
                    "subject": {"reference": "Patient/someone-else"}}},
                {"resource": {"resourceType": "Condition", "id": "c4",
                    "code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "M81.0"}]},
                    "subject": {"reference": "https://ehr.example/fhir/Patient/p9"}}}
            ]},
            "observations": {"resourceType": "Bundle", "type": "searchset", "entry": [
                {"resource": {"resourceType": "Observation", "id": "o1", "status": "entered-in-error",
                    "code": {"coding": [{"system": "http://snomed.info/sct", "code": "29857009"}]},
                    "valueBoolean": true, "subject": {"reference": "Patient/p9"}}},
                {"resource": {"resourceType": "Observation", "id": "o2", "status": "final",
                    "code": {"coding": [{"system": "http://loinc.org", "code": "8310-5"}]},
                    "valueQuantity": {"value": 36.8, "unit": "Cel", "code": "Cel"},
                    "subject": {"reference": "Patient/p9"}}},
                {"resource": {"resourceType": "Observation", "id": "o3", "status": "final",
                    "code": {"coding": [{"system": "https://upperback.example/fhir/CodeSystem/finding", "code": "age"}]},
                    "valueQuantity": {"value": 400, "unit": "a", "code": "a"},
                    "subject": {"reference": "Patient/p9"}}}
            ]}
        })),
        None,
    )
    .unwrap();
    let status = |id: &str| r.evidence.status(kb.finding_id(id).unwrap());
    use upperback_core::Status::*;
    // Resolved osteoporosis is not active (and the finding is not a history one); the M81
    // one is active and counts.
    assert_eq!(status("osteoporosis_or_steroids"), Present);
    assert_eq!(status("cancer_history"), Unknown, "refuted");
    assert_eq!(status("band_rash"), Unknown, "another patient's");
    assert_eq!(status("chest_pain"), Unknown, "entered in error");
    // A normal temperature does not rule fever out.
    assert_eq!(status("fever"), Unknown);
    assert_eq!(status("age"), Unknown, "out of range");
    let ignored = r.ignored.join("\n");
    assert!(
        ignored.contains("Condition/c2") && ignored.contains("Condition/c3"),
        "{ignored}"
    );
    assert!(
        ignored.contains("Observation/o3") && ignored.contains("out of range"),
        "{ignored}"
    );
}

#[test]
fn without_prefetch_there_is_one_info_card_saying_so() {
    let kb = KnowledgeBase::embedded();
    for name in ["no-prefetch", "no-clinical-data"] {
        let response = cds_patient_view(kb, &sample(name), BASE).unwrap();
        let c = card(&response);
        assert_eq!(c["indicator"], "info", "{name}");
        assert!(
            c["summary"].as_str().unwrap().contains("not enough"),
            "{name}"
        );
        assert!(c.get("links").is_none(), "{name}: no result to link to");
        assert!(c["detail"]
            .as_str()
            .unwrap()
            .contains("https://upperback.example/fhir/Questionnaire/upperback-interview"));
    }
    let no_prefetch = cds_patient_view(kb, &sample("no-prefetch"), BASE).unwrap();
    assert!(no_prefetch["cards"][0]["detail"]
        .as_str()
        .unwrap()
        .contains("no prefetched data"));
    // A null prefetch value (the EHR could not fetch it) is the same as none.
    let nulls = cds_patient_view(
        kb,
        &request_with(json!({"patient": null, "observations": null})),
        BASE,
    )
    .unwrap();
    assert_eq!(nulls["cards"][0]["indicator"], "info");
}

#[test]
fn bad_requests_are_errors_with_a_message() {
    let kb = KnowledgeBase::embedded();
    let err = |v: Value| cds_patient_view(kb, &v, BASE).unwrap_err();
    assert_eq!(err(json!([1])), CdsError::NotAnObject);
    assert_eq!(err(json!("patient-view")), CdsError::NotAnObject);
    let mut r = sample("ambulance-chest-pain");
    r.as_object_mut().unwrap().remove("hook");
    assert_eq!(err(r), CdsError::MissingField { field: "hook" });
    let mut r = sample("ambulance-chest-pain");
    r.as_object_mut().unwrap().remove("hookInstance");
    assert_eq!(
        err(r.clone()),
        CdsError::MissingField {
            field: "hookInstance"
        }
    );
    assert!(err(r).to_string().contains("hookInstance"));
    let mut r = sample("ambulance-chest-pain");
    r["hook"] = json!("order-select");
    let e = err(r);
    assert_eq!(
        e,
        CdsError::WrongHook {
            hook: "order-select".into()
        }
    );
    assert_eq!(
        e.to_string(),
        "this service answers the `patient-view` hook, not `order-select`"
    );
    let mut r = sample("ambulance-chest-pain");
    r["hook"] = json!(42);
    assert!(matches!(err(r), CdsError::WrongType { field: "hook", .. }));
    let mut r = sample("ambulance-chest-pain");
    r.as_object_mut().unwrap().remove("context");
    assert_eq!(err(r), CdsError::MissingField { field: "context" });
    let mut r = sample("ambulance-chest-pain");
    r["context"] = json!({"userId": "Practitioner/1"});
    assert_eq!(err(r), CdsError::MissingPatient);
    let mut r = sample("ambulance-chest-pain");
    r["prefetch"] = json!([1]);
    assert!(matches!(
        err(r),
        CdsError::WrongType {
            field: "prefetch",
            ..
        }
    ));
    let mut r = sample("ambulance-chest-pain");
    r["prefetch"]["patient"] = json!("Patient/p1");
    let e = err(r);
    assert_eq!(
        e,
        CdsError::BadPrefetch {
            key: "patient".into()
        }
    );
    assert!(e.to_string().contains("prefetch `patient`"));
    for e in [CdsError::NotAnObject, CdsError::MissingPatient] {
        assert!(!e.to_string().contains('\n'));
    }
}

#[test]
fn responses_are_deterministic() {
    let kb = KnowledgeBase::embedded();
    let request = sample("warning-fever");
    assert_eq!(
        cds_patient_view(kb, &request, BASE).unwrap().to_string(),
        cds_patient_view(kb, &request, BASE).unwrap().to_string()
    );
}
