//! knowledge/codes.toml: the embedded file is valid, and a broken one is refused with errors
//! that name the entry.

use upperback_core::KnowledgeBase;
use upperback_fhir::{Codes, EMBEDDED_CODES};

fn errors_after(edit: impl Fn(&str) -> String) -> String {
    let kb = KnowledgeBase::embedded();
    match Codes::parse(&edit(EMBEDDED_CODES), kb) {
        Ok(_) => panic!("expected the edited codes.toml to be rejected"),
        Err(errors) => errors.to_string(),
    }
}

#[test]
fn embedded_codes_are_valid() {
    let kb = KnowledgeBase::embedded();
    let codes = Codes::parse(EMBEDDED_CODES, kb).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(codes.base, "https://upperback.example/fhir");
    let complaint: Vec<&str> = codes.complaint.iter().map(|c| c.code.as_str()).collect();
    assert!(complaint.contains(&"M62.830") && complaint.contains(&"M54.6"));
    assert!(codes.complaint.iter().all(|c| !c.source.is_empty()));
    assert_eq!(
        codes
            .finding("fever")
            .unwrap()
            .snomed
            .as_ref()
            .unwrap()
            .code,
        "386661006"
    );
    assert_eq!(
        codes.finding_by_code("http://loinc.org", "30525-0"),
        Some("age")
    );
    // Every finding used by a condition or measurement mapping is a known finding.
    for c in &codes.conditions {
        assert!(kb.finding_id(&c.finding).is_some(), "{}", c.finding);
    }
    // The new source keys live in codes.toml itself.
    let keys: Vec<&str> = codes.sources.iter().map(|s| s.key.as_str()).collect();
    for key in ["SNOMED-CT", "ICD-10-CM", "LOINC"] {
        assert!(keys.contains(&key), "{key}");
    }
    // The embedded instance is the same.
    assert_eq!(Codes::embedded().conditions, codes.conditions);
}

#[test]
fn unknown_finding_is_named() {
    let message = errors_after(|s| s.replacen("id = \"fever\"", "id = \"fevr\"", 1));
    assert!(
        message.contains("codes.toml: finding `fevr`: unknown finding `fevr`"),
        "{message}"
    );
    let message =
        errors_after(|s| s.replacen("finding = \"cancer_history\"", "finding = \"cancer\"", 1));
    assert!(message.contains("unknown finding `cancer`"), "{message}");
    assert!(
        message.contains("condition `363346000` for `cancer`"),
        "{message}"
    );
}

#[test]
fn bad_codes_are_named() {
    // A mistyped SNOMED CT id fails its Verhoeff check digit.
    let message = errors_after(|s| s.replacen("386661006", "386661007", 1));
    assert!(message.contains("finding `fever`"), "{message}");
    assert!(message.contains("not a SNOMED CT concept id"), "{message}");
    let message = errors_after(|s| s.replacen("30525-0", "30525-1", 1));
    assert!(message.contains("not a LOINC code"), "{message}");
    let message = errors_after(|s| s.replacen("code = \"M62.830\"", "code = \"M6283\"", 1));
    assert!(message.contains("not an ICD-10-CM code"), "{message}");
    let message =
        errors_after(|s| s.replacen("http://snomed.info/sct", "http://snomed.example", 1));
    assert!(message.contains("unknown code system"), "{message}");
}

#[test]
fn sources_must_be_known() {
    let message = errors_after(|s| s.replacen("source = \"SNOMED-CT\"", "source = \"SNOMED\"", 1));
    assert!(
        message.contains("source `SNOMED` is not a key"),
        "{message}"
    );
    let message = errors_after(|s| s.replacen("source = \"LOINC\"\n", "", 1));
    assert!(
        message.contains("finding `age`: missing `source`"),
        "{message}"
    );
    // Keys of sources.toml are accepted too.
    let kb = KnowledgeBase::embedded();
    let ok = EMBEDDED_CODES.replacen(
        "source = \"SNOMED-CT\"",
        "source = \"SNOMED-CT; NHS-back\"",
        1,
    );
    assert!(Codes::parse(&ok, kb).is_ok());
}

#[test]
fn kinds_are_checked() {
    let message =
        errors_after(|s| s.replacen("finding = \"band_rash\"", "finding = \"duration_hours\"", 1));
    assert!(message.contains("is not a bool finding"), "{message}");
    let message = errors_after(|s| {
        s.replacen(
            "id = \"fever\"\nsnomed",
            "id = \"fever\"\ninteger = true\nsnomed",
            1,
        )
    });
    assert!(
        message.contains("`integer` is only for number findings"),
        "{message}"
    );
    let message = errors_after(|s| format!("{s}\n[oops\n"));
    assert!(
        message.starts_with("the code mappings have 1 error(s)"),
        "{message}"
    );
}
