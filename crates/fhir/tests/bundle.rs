//! The result Bundle: structure, references inside the Bundle, codes, determinism.

use std::collections::HashSet;

use serde_json::Value;
use upperback_core::{assess, KnowledgeBase};
use upperback_fhir::{bundle, bundle_id};

fn references(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                match (key.as_str(), inner) {
                    ("reference", Value::String(r)) => out.push(r.clone()),
                    _ => references(inner, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|i| references(i, out)),
        _ => {}
    }
}

fn resources<'a>(bundle: &'a Value, resource_type: &str) -> Vec<&'a Value> {
    bundle["entry"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["resource"])
        .filter(|r| r["resourceType"] == resource_type)
        .collect()
}

const ANSWERS: &str = r#"{"upper_back_spasm": true, "fever": true, "chest_pain": false,
    "duration_hours": 48, "age": 44, "sex": "female", "location": "between_shoulder_blades",
    "screen_work": true}"#;

#[test]
fn bundle_holds_every_resource_with_references_inside_it() {
    let kb = KnowledgeBase::embedded();
    let evidence = kb.parse_answers(ANSWERS).unwrap();
    let assessment = assess(kb, &evidence);
    let b = bundle(kb, &assessment, "test-seed");
    assert_eq!(b["resourceType"], "Bundle");
    assert_eq!(b["type"], "collection");
    let entries = b["entry"].as_array().unwrap();
    let full_urls: HashSet<&str> = entries
        .iter()
        .map(|e| e["fullUrl"].as_str().unwrap())
        .collect();
    assert_eq!(full_urls.len(), entries.len(), "fullUrls are unique");
    for entry in entries {
        let url = entry["fullUrl"].as_str().unwrap();
        assert!(url.starts_with("urn:uuid:"), "{url}");
        assert_eq!(&url[9..], entry["resource"]["id"].as_str().unwrap());
    }
    let mut refs = Vec::new();
    references(&b, &mut refs);
    assert!(!refs.is_empty());
    for r in &refs {
        assert!(
            full_urls.contains(r.as_str()),
            "{r} does not resolve inside the Bundle"
        );
    }

    // An Observation per known finding.
    let observations = resources(&b, "Observation");
    assert_eq!(observations.len(), assessment.findings.len());
    let by_code = |id: &str| -> &Value {
        observations
            .iter()
            .find(|o| o["code"]["coding"][0]["code"] == id)
            .unwrap_or_else(|| panic!("no Observation for {id}"))
    };
    assert_eq!(by_code("fever")["valueBoolean"], true);
    assert_eq!(by_code("fever")["status"], "final");
    assert_eq!(by_code("chest_pain")["valueBoolean"], false);
    assert!(by_code("fever")["code"]["coding"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["system"] == "http://snomed.info/sct" && c["code"] == "386661006"));
    assert_eq!(by_code("duration_hours")["valueQuantity"]["code"], "h");
    assert_eq!(by_code("duration_hours")["valueQuantity"]["value"], 48.0);
    assert_eq!(
        by_code("location")["valueCodeableConcept"]["coding"][0]["code"],
        "between_shoulder_blades"
    );

    // The RiskAssessment: a prediction per cause, the level as an extension.
    let risk = resources(&b, "RiskAssessment");
    assert_eq!(risk.len(), 1);
    let risk = risk[0];
    let predictions = risk["prediction"].as_array().unwrap();
    assert_eq!(predictions.len(), kb.causes.len());
    for (p, cause) in predictions.iter().zip(&assessment.causes) {
        assert_eq!(p["outcome"]["coding"][0]["code"], cause.id);
        assert_eq!(p["probabilityDecimal"].as_f64().unwrap(), cause.probability);
    }
    let level = risk["extension"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["url"] == "https://upperback.example/fhir/StructureDefinition/triage-level")
        .unwrap();
    assert_eq!(
        level["valueCodeableConcept"]["coding"][0]["code"],
        "within_24_hours"
    );
    assert!(risk["extension"]
        .as_array()
        .unwrap()
        .iter()
        .any(
            |e| e["url"] == "https://upperback.example/fhir/StructureDefinition/triage-rule"
                && e["valueCodeableConcept"]["coding"][0]["code"] == "fever"
        ));
    let reasons: Vec<&str> = risk["reasonCode"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["coding"][0]["code"].as_str().unwrap())
        .collect();
    assert!(
        reasons.contains(&"M62.830") && reasons.contains(&"M54.6"),
        "{reasons:?}"
    );

    // The CarePlan.
    let plan = resources(&b, "CarePlan");
    assert_eq!(plan.len(), 1);
    assert_eq!(plan[0]["status"], "active");
    assert_eq!(plan[0]["intent"], "plan");
    let activities = plan[0]["activity"].as_array().unwrap();
    assert!(activities.len() >= 2 + assessment.care_plan.advice.len());
    for a in activities {
        assert!(a["detail"]["description"].is_string());
        assert!(a["detail"]["status"].is_string());
    }

    // The Patient carries the sex as gender.
    assert_eq!(resources(&b, "Patient")[0]["gender"], "female");
}

#[test]
fn same_input_gives_an_identical_bundle() {
    let kb = KnowledgeBase::embedded();
    let one = kb.parse_answers(ANSWERS).unwrap();
    let two = kb.parse_answers(ANSWERS).unwrap();
    let a = bundle(kb, &assess(kb, &one), "seed").to_string();
    let b = bundle(kb, &assess(kb, &two), "seed").to_string();
    assert_eq!(a, b);
    assert_eq!(
        bundle_id(kb, &assess(kb, &one), "seed"),
        serde_json::from_str::<Value>(&a).unwrap()["id"]
            .as_str()
            .unwrap()
    );
    // Another seed, or other content, gives other ids.
    let c = bundle(kb, &assess(kb, &one), "other seed").to_string();
    assert_ne!(a, c);
    let changed = kb
        .parse_answers(&ANSWERS.replace("\"fever\": true", "\"fever\": false"))
        .unwrap();
    let d = bundle(kb, &assess(kb, &changed), "seed");
    assert_ne!(serde_json::from_str::<Value>(&a).unwrap()["id"], d["id"]);
}

#[test]
fn empty_evidence_still_makes_a_valid_shaped_bundle() {
    let kb = KnowledgeBase::embedded();
    let evidence = upperback_core::Evidence::new(kb);
    let b = bundle(kb, &assess(kb, &evidence), "empty");
    assert_eq!(resources(&b, "Observation").len(), 0);
    let risk = resources(&b, "RiskAssessment")[0];
    assert!(risk.get("basis").is_none(), "no empty arrays in FHIR JSON");
    let mut refs = Vec::new();
    references(&b, &mut refs);
    let urls: HashSet<&str> = b["entry"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["fullUrl"].as_str().unwrap())
        .collect();
    assert!(refs.iter().all(|r| urls.contains(r.as_str())));
}
