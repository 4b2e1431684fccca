//! The examples of the clinical specification (`triage.md`, `causes.md`), through the public API.

use upperback_core::{assess, KnowledgeBase, TriageLevel};

fn assess_json(answers: &str) -> serde_json::Value {
    let kb = KnowledgeBase::embedded();
    let evidence = kb.parse_answers(answers).expect("valid answers");
    serde_json::from_str(&assess(kb, &evidence).to_json()).unwrap()
}

const GOLF: &str = r#""upper_back_spasm": true, "location": "between_shoulder_blades", "duration_hours": 24,
    "swinging_sport": true, "started_during_activity": true, "fever": false, "numbness": false, "chest_pain": false"#;

#[test]
fn golf_spasm_is_self_care_with_acute_strain_first() {
    let result = assess_json(&format!("{{{GOLF}}}"));
    assert_eq!(result["triage"]["level"], "self_care");
    assert_eq!(result["triage"]["fired_rules"].as_array().unwrap().len(), 0);
    assert_eq!(result["causes"][0]["id"], "acute_strain");
}

#[test]
fn bladder_loss_calls_an_ambulance_and_keeps_the_cause_ranking() {
    let result = assess_json(&format!("{{{GOLF}, \"bowel_bladder_dysfunction\": true}}"));
    assert_eq!(result["triage"]["level"], "ambulance");
    assert_eq!(
        result["triage"]["fired_rules"][0]["id"],
        "bowel_bladder_loss"
    );
    assert_eq!(
        result["triage"]["fired_rules"][0]["findings"],
        serde_json::json!(["bowel_bladder_dysfunction"])
    );
    assert_eq!(
        result["triage"]["fired_rules"][0]["source"],
        "seed; NHS-back; IFOMPT-2020"
    );
    assert_eq!(result["causes"][0]["id"], "acute_strain");
}

#[test]
fn an_absent_fever_fires_nothing_and_counts_as_screened() {
    // What the engine does once `fever` is absent. That "I had a fever last year but none
    // now" reads as an absent `fever` is the reader's part: the text vignette d03
    // (crates/nlu/tests/vignettes_text.rs) and the reader's sentence table check it.
    let result = assess_json(&format!("{{{GOLF}}}"));
    assert_eq!(result["triage"]["level"], "self_care");
    let unscreened = result["triage"]["unscreened_red_flags"].as_array().unwrap();
    assert!(!unscreened.iter().any(|f| f == "fever"), "{unscreened:?}");
    assert!(unscreened.iter().any(|f| f == "chills"));
    let fever = result["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "fever")
        .unwrap();
    assert_eq!(fever["status"], "absent");
}

#[test]
fn five_days_despite_heat_and_stretching_is_within_days() {
    let result = assess_json(
        r#"{"upper_back_spasm": true, "duration_hours": 120, "home_care_tried": true, "improving": false}"#,
    );
    assert_eq!(result["triage"]["level"], "within_days");
    let rule = &result["triage"]["fired_rules"][0];
    assert_eq!(rule["id"], "persisting_despite_home_care");
    assert_eq!(
        rule["findings"],
        serde_json::json!(["duration_hours", "improving", "home_care_tried"])
    );
}

#[test]
fn an_unmentioned_fever_is_unscreened_not_absent() {
    let result = assess_json(r#"{"upper_back_spasm": true}"#);
    assert_eq!(result["triage"]["level"], "self_care");
    let unscreened: Vec<&str> = result["triage"]["unscreened_red_flags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(unscreened.contains(&"fever"));
    assert_eq!(result["triage"]["screening"], "partial");
    // A self-care result with signs unchecked holds only if none of them applies.
    let summary = result["care_plan"]["summary"].as_str().unwrap();
    assert!(
        summary.starts_with("Self-care at home — if none of the 30 unchecked warning signs apply."),
        "{summary}"
    );
}

#[test]
fn desk_worker_is_postural_strain_above_0_9() {
    let result = assess_json(
        r#"{"sitting_hours_per_day": 10, "screen_work": true, "poor_workstation": true,
            "worse_after_sitting": true, "started_during_activity": false, "onset_sudden": false}"#,
    );
    assert_eq!(result["causes"][0]["id"], "postural_strain");
    assert!(result["causes"][0]["probability"].as_f64().unwrap() > 0.9);
}

#[test]
fn moving_house_is_acute_strain() {
    let result = assess_json(
        r#"{"heavy_lifting": true, "onset_sudden": true, "started_during_activity": true}"#,
    );
    assert_eq!(result["causes"][0]["id"], "acute_strain");
}

#[test]
fn marathon_in_the_heat_ranks_electrolytes_first_or_second() {
    let result = assess_json(
        r#"{"heavy_sweating": true, "cramps_elsewhere": true, "low_fluid_intake": true, "unaccustomed_exercise": true}"#,
    );
    let top_two: Vec<&str> = result["causes"].as_array().unwrap()[..2]
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert!(top_two.contains(&"electrolyte_dehydration"), "{top_two:?}");
}

#[test]
fn every_result_reports_all_five_causes_sorted_with_evidence() {
    let result = assess_json(&format!("{{{GOLF}}}"));
    let causes = result["causes"].as_array().unwrap();
    assert_eq!(causes.len(), 5);
    let probabilities: Vec<f64> = causes
        .iter()
        .map(|c| c["probability"].as_f64().unwrap())
        .collect();
    assert!(probabilities.windows(2).all(|w| w[0] >= w[1]));
    let acute = &causes[0]["evidence"];
    assert!(acute
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["finding"] == "swinging_sport" && e["likelihood_ratio"] == 4.0));
}

#[test]
fn result_carries_knowledge_base_version_and_digest() {
    let kb = KnowledgeBase::embedded();
    let result = assess_json("{}");
    assert_eq!(result["knowledge_base"]["version"], kb.version.as_str());
    assert_eq!(result["knowledge_base"]["digest"], kb.digest.as_str());
    assert!(result["disclaimer"]
        .as_str()
        .unwrap()
        .contains("not a diagnosis"));
}

#[test]
fn care_plan_has_cause_advice_watch_list_and_follow_up() {
    let result = assess_json(&format!("{{{GOLF}}}"));
    let plan = &result["care_plan"];
    let advice = plan["advice"].as_array().unwrap();
    assert!(advice.iter().any(|a| a["cause"].is_null()));
    assert!(advice.iter().any(|a| a["cause"] == "acute_strain"));
    assert!(!advice.iter().any(|a| a["cause"] == "nerve_irritation"));
    let watch = plan["watch_for"].as_array().unwrap();
    assert!(watch
        .iter()
        .any(|w| w["finding"] == "bowel_bladder_dysfunction" && w["level"] == "ambulance"));
    assert_eq!(plan["follow_up"]["after_hours"], 72.0);
}

#[test]
fn emergency_gives_no_home_care_advice() {
    let result = assess_json(r#"{"chest_pain": true}"#);
    assert_eq!(result["triage"]["level"], "ambulance");
    assert!(result["care_plan"]["advice"].as_array().unwrap().is_empty());
    assert!(result["care_plan"]["summary"]
        .as_str()
        .unwrap()
        .contains("emergency services"));
}

#[test]
fn levels_are_ordered() {
    assert!(TriageLevel::Ambulance > TriageLevel::EmergencyDepartment);
    assert!(TriageLevel::Within24Hours > TriageLevel::WithinDays);
    assert!(TriageLevel::WithinDays > TriageLevel::SelfCare);
}
