//! FHIR R4 and CDS Hooks for upperback: the interview as a `Questionnaire`, answers from a
//! `QuestionnaireResponse`, results as a `Bundle`, and decision-support cards.
//!
//! Pure functions over `serde_json::Value`: no I/O, deterministic output. The documents are
//! checked by two independent validators (HL7's FHIR R4 JSON Schema and Python's
//! `fhir.resources`) in `tools/validate-fhir.sh`.
//!
//! Canonical URLs and code systems hang off the base in `knowledge/codes.toml`
//! (`https://upperback.example/fhir`):
//! - Questionnaire: `{base}/Questionnaire/upperback-interview`, version = knowledge base version;
//! - findings: `{base}/CodeSystem/finding` (code = finding id), a choice finding's values:
//!   `{base}/CodeSystem/{finding}`; causes, triage levels, rules and advice:
//!   `{base}/CodeSystem/cause`, `triage-level`, `triage-rule`, `advice`;
//! - extensions on the RiskAssessment: `{base}/StructureDefinition/triage-level`,
//!   `triage-rule`, `unscreened-red-flag`.
//!
//! ```
//! use upperback_core::{assess, KnowledgeBase};
//! let kb = KnowledgeBase::embedded();
//! let response = serde_json::json!({
//!     "resourceType": "QuestionnaireResponse",
//!     "status": "completed",
//!     "item": [{"linkId": "chest_pain", "answer": [{"valueBoolean": true}]}],
//! });
//! let evidence = upperback_fhir::evidence_from_questionnaire_response(kb, &response).unwrap();
//! let assessment = assess(kb, &evidence);
//! assert_eq!(assessment.triage.level.as_str(), "ambulance");
//! let bundle = upperback_fhir::bundle(kb, &assessment, "example");
//! assert_eq!(bundle["type"], "collection");
//! ```

mod bundle;
mod cds;
mod codes;
mod ids;
mod questionnaire;

pub use bundle::{bundle, bundle_id};
pub use cds::{
    cds_cards, cds_discovery, cds_patient_view, cds_patient_view_on, indicator, parse_cds_request,
    CdsError, CdsRequest, CDS_HOOK, CDS_SERVICE_ID, SUMMARY_MAX_CHARS,
};
pub use codes::{
    is_icd10cm, is_loinc_code, is_snomed_id, CodeSource, Codes, CodesError, CodesErrors, Coding,
    ConditionCode, FindingCodes, MeasurementCode, ADMINISTRATIVE_GENDER, EMBEDDED_CODES, ICD10CM,
    LOINC, SNOMED, UCUM,
};
pub use ids::derived_uuid;
pub use questionnaire::{
    evidence_from_questionnaire_response, questionnaire, questionnaire_response, FhirError,
    MORE_DETAILS_LINK_ID, QUESTIONNAIRE_ID,
};
