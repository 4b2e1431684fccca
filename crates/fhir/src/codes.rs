//! The code mappings of `knowledge/codes.toml`: canonical URLs, standard codes of findings
//! (SNOMED CT, LOINC), the complaint's ICD-10-CM codes and the problem-list codes that CDS
//! Hooks reads. Loaded and validated against the knowledge base; every problem names its entry.

use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::sync::OnceLock;

use serde::Deserialize;
use serde_json::{json, Value};
use upperback_core::{FindingKind, KnowledgeBase};

/// The embedded `knowledge/codes.toml`.
pub const EMBEDDED_CODES: &str = include_str!("../../../knowledge/codes.toml");

/// SNOMED CT's code system URI.
pub const SNOMED: &str = "http://snomed.info/sct";
/// ICD-10-CM's code system URI.
pub const ICD10CM: &str = "http://hl7.org/fhir/sid/icd-10-cm";
/// LOINC's code system URI.
pub const LOINC: &str = "http://loinc.org";
/// UCUM's code system URI.
pub const UCUM: &str = "http://unitsofmeasure.org";
/// FHIR's AdministrativeGender code system.
pub const ADMINISTRATIVE_GENDER: &str = "http://hl7.org/fhir/administrative-gender";

// ── Raw file format ────────────────────────────────────────────────────────────────────

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCodes {
    fhir: RawFhir,
    #[serde(default)]
    source: Vec<RawSource>,
    #[serde(default)]
    complaint: Vec<RawCoding>,
    #[serde(default)]
    finding: Vec<RawFinding>,
    #[serde(default)]
    condition: Vec<RawCondition>,
    #[serde(default)]
    measurement: Vec<RawMeasurement>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFhir {
    base: String,
    publisher: String,
    project_url: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    key: String,
    reference: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCoding {
    system: String,
    code: String,
    display: String,
    #[serde(default)]
    source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFinding {
    id: String,
    snomed: Option<String>,
    snomed_display: Option<String>,
    loinc: Option<String>,
    loinc_display: Option<String>,
    #[serde(default)]
    integer: bool,
    ucum: Option<String>,
    #[serde(default)]
    source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCondition {
    finding: String,
    system: String,
    code: String,
    #[serde(rename = "match", default)]
    match_: Option<String>,
    display: String,
    #[serde(default)]
    source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMeasurement {
    finding: String,
    system: String,
    code: String,
    display: String,
    unit: String,
    at_least: f64,
    #[serde(default)]
    source: String,
}

// ── Validated form ─────────────────────────────────────────────────────────────────────

/// A code in a code system, with its display text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coding {
    pub system: String,
    pub code: String,
    pub display: String,
    pub source: String,
}

impl Coding {
    /// As a FHIR `Coding`.
    pub fn to_fhir(&self) -> Value {
        json!({"system": self.system, "code": self.code, "display": self.display})
    }
}

/// The standard codes of one finding.
#[derive(Debug, Clone, PartialEq)]
pub struct FindingCodes {
    pub snomed: Option<Coding>,
    pub loinc: Option<Coding>,
    /// A number finding asked as an `integer` item (otherwise `decimal`).
    pub integer: bool,
    /// The UCUM code of a number finding's unit, when the default for its unit does not
    /// fit (e.g. `h/d` for hours a day).
    pub ucum: Option<String>,
}

/// A problem-list code that makes a finding present.
#[derive(Debug, Clone, PartialEq)]
pub struct ConditionCode {
    pub finding: String,
    pub system: String,
    pub code: String,
    /// Matches every code starting with `code`.
    pub prefix: bool,
    pub display: String,
    pub source: String,
}

impl ConditionCode {
    /// Whether a coding of a Condition matches this entry.
    pub fn matches(&self, system: &str, code: &str) -> bool {
        system == self.system
            && if self.prefix {
                code.starts_with(&self.code)
            } else {
                code == self.code
            }
    }
}

/// A measurement that makes a bool finding present at or above a threshold.
#[derive(Debug, Clone, PartialEq)]
pub struct MeasurementCode {
    pub finding: String,
    pub system: String,
    pub code: String,
    pub display: String,
    /// UCUM unit of `at_least`.
    pub unit: String,
    pub at_least: f64,
    pub source: String,
}

/// A reference cited by `source` fields of codes.toml.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeSource {
    pub key: String,
    pub reference: String,
}

/// The validated code mappings.
#[derive(Debug, Clone)]
pub struct Codes {
    /// Canonical base URL, without a trailing slash.
    pub base: String,
    pub publisher: String,
    pub project_url: String,
    pub sources: Vec<CodeSource>,
    /// The complaint's codes (the reason every assessment is made).
    pub complaint: Vec<Coding>,
    findings: BTreeMap<String, FindingCodes>,
    pub conditions: Vec<ConditionCode>,
    pub measurements: Vec<MeasurementCode>,
}

/// One problem in codes.toml, naming its entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodesError {
    pub entry: String,
    pub message: String,
}

impl fmt::Display for CodesError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.entry.is_empty() {
            write!(f, "codes.toml: {}", self.message)
        } else {
            write!(f, "codes.toml: {}: {}", self.entry, self.message)
        }
    }
}

/// Every problem found in codes.toml.
#[derive(Debug, Clone, thiserror::Error)]
#[error("the code mappings have {} error(s):\n{}", .0.len(), .0.iter().map(|e| format!("  {e}")).collect::<Vec<_>>().join("\n"))]
pub struct CodesErrors(pub Vec<CodesError>);

impl Codes {
    /// The embedded codes.toml, validated against the embedded knowledge base once.
    ///
    /// # Panics
    /// Only if the embedded file is invalid, which the test suite rules out.
    pub fn embedded() -> &'static Codes {
        static CODES: OnceLock<Codes> = OnceLock::new();
        CODES.get_or_init(|| {
            Codes::parse(EMBEDDED_CODES, KnowledgeBase::embedded())
                .unwrap_or_else(|errors| panic!("embedded codes.toml is invalid: {errors}"))
        })
    }

    /// Parses and validates codes.toml against a knowledge base: finding ids must exist and
    /// be of the right kind, codes well formed (SNOMED CT and LOINC check digits included),
    /// every `source` a key of sources.toml or of codes.toml's own `[[source]]` table.
    pub fn parse(content: &str, kb: &KnowledgeBase) -> Result<Codes, CodesErrors> {
        let raw: RawCodes = toml::from_str(content).map_err(|e| {
            CodesErrors(vec![CodesError {
                entry: String::new(),
                message: e.to_string().replace('\n', " ").trim().to_string(),
            }])
        })?;
        let mut v = Validator {
            errors: Vec::new(),
            keys: kb.sources.iter().map(|s| s.key.clone()).collect(),
        };
        let mut own_keys = HashSet::new();
        for s in &raw.source {
            let entry = format!("source `{}`", s.key);
            if s.key.trim().is_empty() || s.reference.trim().is_empty() {
                v.error(&entry, "key and reference must not be empty");
            }
            if !own_keys.insert(s.key.clone()) {
                v.error(&entry, "duplicate key");
            }
            v.keys.insert(s.key.clone());
        }
        let base = raw.fhir.base.clone();
        if !(base.starts_with("https://") || base.starts_with("http://"))
            || base.ends_with('/')
            || base.contains(char::is_whitespace)
        {
            v.error(
                "fhir",
                "`base` must be an absolute http(s) URL without a trailing slash",
            );
        }

        let mut complaint = Vec::new();
        for c in &raw.complaint {
            let entry = format!("complaint `{}`", c.code);
            v.source(&entry, &c.source);
            v.code(&entry, &c.system, &c.code, false);
            complaint.push(Coding {
                system: c.system.clone(),
                code: c.code.clone(),
                display: c.display.clone(),
                source: c.source.clone(),
            });
        }

        let mut findings = BTreeMap::new();
        for f in &raw.finding {
            let entry = format!("finding `{}`", f.id);
            v.source(&entry, &f.source);
            let Some(id) = kb.finding_id(&f.id) else {
                v.error(&entry, format!("unknown finding `{}`", f.id));
                continue;
            };
            let kind = &kb.finding(id).kind;
            if f.integer && !matches!(kind, FindingKind::Number { .. }) {
                v.error(&entry, "`integer` is only for number findings");
            }
            if let Some(ucum) = &f.ucum {
                if !matches!(kind, FindingKind::Number { .. }) {
                    v.error(&entry, "`ucum` is only for number findings");
                }
                if ucum.is_empty() || ucum.contains(char::is_whitespace) {
                    v.error(&entry, "`ucum` must be a UCUM code without spaces");
                }
            }
            let mut coding = |code: &Option<String>, display: &Option<String>, system: &str| match (
                code, display,
            ) {
                (None, None) => None,
                (Some(code), Some(display)) => {
                    v.code(&entry, system, code, false);
                    Some(Coding {
                        system: system.to_string(),
                        code: code.clone(),
                        display: display.clone(),
                        source: f.source.clone(),
                    })
                }
                _ => {
                    v.error(&entry, "a code needs its display and a display its code");
                    None
                }
            };
            let snomed = coding(&f.snomed, &f.snomed_display, SNOMED);
            let loinc = coding(&f.loinc, &f.loinc_display, LOINC);
            if snomed.is_none() && loinc.is_none() && !f.integer && f.ucum.is_none() {
                v.error(
                    &entry,
                    "maps nothing: give `snomed`, `loinc`, `integer` or `ucum`",
                );
            }
            if findings
                .insert(
                    f.id.clone(),
                    FindingCodes {
                        snomed,
                        loinc,
                        integer: f.integer,
                        ucum: f.ucum.clone(),
                    },
                )
                .is_some()
            {
                v.error(&entry, "duplicate finding entry");
            }
        }

        let mut conditions = Vec::new();
        for c in &raw.condition {
            let entry = format!("condition `{}` for `{}`", c.code, c.finding);
            v.source(&entry, &c.source);
            v.bool_finding(kb, &entry, &c.finding);
            let prefix = match c.match_.as_deref() {
                None | Some("exact") => false,
                Some("prefix") => true,
                Some(other) => {
                    v.error(
                        &entry,
                        format!("unknown match `{other}`; expected \"exact\" or \"prefix\""),
                    );
                    false
                }
            };
            v.code(&entry, &c.system, &c.code, prefix);
            conditions.push(ConditionCode {
                finding: c.finding.clone(),
                system: c.system.clone(),
                code: c.code.clone(),
                prefix,
                display: c.display.clone(),
                source: c.source.clone(),
            });
        }

        let mut measurements = Vec::new();
        for m in &raw.measurement {
            let entry = format!("measurement `{}` for `{}`", m.code, m.finding);
            v.source(&entry, &m.source);
            v.bool_finding(kb, &entry, &m.finding);
            v.code(&entry, &m.system, &m.code, false);
            if !m.at_least.is_finite() {
                v.error(&entry, "`at_least` must be a number");
            }
            if m.unit.trim().is_empty() {
                v.error(&entry, "`unit` must be a UCUM unit");
            }
            measurements.push(MeasurementCode {
                finding: m.finding.clone(),
                system: m.system.clone(),
                code: m.code.clone(),
                display: m.display.clone(),
                unit: m.unit.clone(),
                at_least: m.at_least,
                source: m.source.clone(),
            });
        }

        if !v.errors.is_empty() {
            return Err(CodesErrors(v.errors));
        }
        Ok(Codes {
            base,
            publisher: raw.fhir.publisher,
            project_url: raw.fhir.project_url,
            sources: raw
                .source
                .into_iter()
                .map(|s| CodeSource {
                    key: s.key,
                    reference: s.reference,
                })
                .collect(),
            complaint,
            findings,
            conditions,
            measurements,
        })
    }

    /// The standard codes of a finding, if codes.toml maps any.
    pub fn finding(&self, id: &str) -> Option<&FindingCodes> {
        self.findings.get(id)
    }

    /// The finding whose SNOMED CT or LOINC code this is.
    pub fn finding_by_code(&self, system: &str, code: &str) -> Option<&str> {
        self.findings.iter().find_map(|(id, c)| {
            let hit = [&c.snomed, &c.loinc]
                .into_iter()
                .flatten()
                .any(|coding| coding.system == system && coding.code == code);
            hit.then_some(id.as_str())
        })
    }

    /// The UCUM code and display of a number finding's unit: codes.toml's `ucum` if given,
    /// else by unit (hours → `h`, years → `a`, 0-10 → `{score}`).
    pub fn ucum_unit(&self, finding: &str, unit: &str) -> Option<(String, String)> {
        if let Some(code) = self.finding(finding).and_then(|c| c.ucum.clone()) {
            return Some((code, unit.to_string()));
        }
        let (code, display) = match unit {
            "hours" => ("h", "hours"),
            "years" => ("a", "years"),
            "0-10" => ("{score}", "score (0-10)"),
            _ => return None,
        };
        Some((code.to_string(), display.to_string()))
    }

    /// `{base}/CodeSystem/finding`: the project's code system of findings.
    pub fn finding_system(&self) -> String {
        format!("{}/CodeSystem/finding", self.base)
    }

    /// `{base}/CodeSystem/{finding}`: the values of a choice finding.
    pub fn choice_system(&self, finding: &str) -> String {
        format!("{}/CodeSystem/{finding}", self.base)
    }

    /// `{base}/CodeSystem/cause`.
    pub fn cause_system(&self) -> String {
        format!("{}/CodeSystem/cause", self.base)
    }

    /// `{base}/CodeSystem/triage-level`.
    pub fn level_system(&self) -> String {
        format!("{}/CodeSystem/triage-level", self.base)
    }

    /// `{base}/CodeSystem/triage-rule`.
    pub fn rule_system(&self) -> String {
        format!("{}/CodeSystem/triage-rule", self.base)
    }

    /// `{base}/CodeSystem/advice`.
    pub fn advice_system(&self) -> String {
        format!("{}/CodeSystem/advice", self.base)
    }

    /// `{base}/StructureDefinition/{name}`: an extension of this project.
    pub fn extension_url(&self, name: &str) -> String {
        format!("{}/StructureDefinition/{name}", self.base)
    }

    /// `{base}/Questionnaire/upperback-interview`: the interview's canonical URL.
    pub fn questionnaire_url(&self) -> String {
        format!("{}/Questionnaire/{}", self.base, crate::QUESTIONNAIRE_ID)
    }

    /// Every coding of a finding: the project's own code first, then SNOMED CT and LOINC
    /// where mapped.
    pub fn finding_codings(&self, kb: &KnowledgeBase, id: &str) -> Vec<Value> {
        let display = kb
            .finding_id(id)
            .map(|f| kb.finding(f).meaning.clone())
            .unwrap_or_default();
        let mut codings = vec![json!({
            "system": self.finding_system(),
            "code": id,
            "display": display,
        })];
        if let Some(codes) = self.finding(id) {
            codings.extend(
                [&codes.snomed, &codes.loinc]
                    .into_iter()
                    .flatten()
                    .map(Coding::to_fhir),
            );
        }
        codings
    }
}

struct Validator {
    errors: Vec<CodesError>,
    keys: HashSet<String>,
}

impl Validator {
    fn error(&mut self, entry: &str, message: impl Into<String>) {
        self.errors.push(CodesError {
            entry: entry.to_string(),
            message: message.into(),
        });
    }

    fn source(&mut self, entry: &str, source: &str) {
        let keys: Vec<&str> = source
            .split(';')
            .map(str::trim)
            .filter(|k| !k.is_empty())
            .collect();
        if keys.is_empty() {
            self.error(
                entry,
                "missing `source`: cite a key of sources.toml or of codes.toml's [[source]]",
            );
        }
        for key in keys {
            if !self.keys.contains(key) {
                self.error(
                    entry,
                    format!(
                        "source `{key}` is not a key of sources.toml or of codes.toml's [[source]]"
                    ),
                );
            }
        }
    }

    fn bool_finding(&mut self, kb: &KnowledgeBase, entry: &str, finding: &str) {
        match kb.finding_id(finding) {
            None => self.error(entry, format!("unknown finding `{finding}`")),
            Some(id) if kb.finding(id).kind != FindingKind::Bool => {
                self.error(entry, format!("finding `{finding}` is not a bool finding"))
            }
            Some(_) => {}
        }
    }

    fn code(&mut self, entry: &str, system: &str, code: &str, prefix: bool) {
        let problem = match system {
            SNOMED if prefix => Some("SNOMED CT codes match exactly, never by prefix"),
            SNOMED if !is_snomed_id(code) => {
                Some("not a SNOMED CT concept id (digits with a valid Verhoeff check digit)")
            }
            LOINC if prefix => Some("LOINC codes match exactly, never by prefix"),
            LOINC if !is_loinc_code(code) => {
                Some("not a LOINC code (NNNNN-C with a valid check digit)")
            }
            ICD10CM if !is_icd10cm(code, prefix) => Some(if prefix {
                "not the start of an ICD-10-CM code (e.g. C, M81 or Z79.5)"
            } else {
                "not an ICD-10-CM code (e.g. M62.830)"
            }),
            SNOMED | LOINC | ICD10CM => None,
            _ => {
                self.error(
                    entry,
                    format!(
                        "unknown code system `{system}`; expected {SNOMED}, {ICD10CM} or {LOINC}"
                    ),
                );
                return;
            }
        };
        if let Some(problem) = problem {
            self.error(entry, format!("code `{code}`: {problem}"));
        }
    }
}

/// A SNOMED CT identifier: 6 to 18 digits, no leading zero, Verhoeff check digit valid.
pub fn is_snomed_id(code: &str) -> bool {
    const D: [[u8; 10]; 10] = [
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
        [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
        [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
        [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
        [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
        [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
        [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
        [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
        [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
        [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
    ];
    const P: [[u8; 10]; 8] = [
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
        [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
        [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
        [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
        [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
        [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
        [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
        [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
    ];
    if !(6..=18).contains(&code.len())
        || code.starts_with('0')
        || !code.bytes().all(|b| b.is_ascii_digit())
    {
        return false;
    }
    let mut check = 0u8;
    for (i, b) in code.bytes().rev().enumerate() {
        check = D[check as usize][P[i % 8][(b - b'0') as usize] as usize];
    }
    check == 0
}

/// A LOINC code `NNNNN-C` whose check digit (LOINC's mod-10 algorithm) is valid.
pub fn is_loinc_code(code: &str) -> bool {
    let Some((number, check)) = code.split_once('-') else {
        return false;
    };
    if number.is_empty()
        || number.len() > 7
        || check.len() != 1
        || !number
            .bytes()
            .chain(check.bytes())
            .all(|b| b.is_ascii_digit())
    {
        return false;
    }
    // From the right: digits in odd positions form a number that is doubled; the digits of
    // that product and of the even-position digits are summed.
    let digits: Vec<u32> = number.bytes().rev().map(|b| (b - b'0') as u32).collect();
    let odd: u64 = digits
        .iter()
        .step_by(2)
        .rev()
        .fold(0, |n, d| n * 10 + *d as u64);
    let even_sum: u32 = digits.iter().skip(1).step_by(2).sum();
    let doubled_sum: u32 = (odd * 2)
        .to_string()
        .bytes()
        .map(|b| (b - b'0') as u32)
        .sum();
    let total = even_sum + doubled_sum;
    (10 - total % 10) % 10 == (check.as_bytes()[0] - b'0') as u32
}

/// An ICD-10-CM code (`M62.830`), or with `prefix` the start of one (`C`, `M81`, `Z79.5`).
pub fn is_icd10cm(code: &str, prefix: bool) -> bool {
    let (category, sub) = match code.split_once('.') {
        Some((c, s)) => (c, Some(s)),
        None => (code, None),
    };
    let c: Vec<char> = category.chars().collect();
    let category_ok = match c.len() {
        1 => prefix && sub.is_none() && c[0].is_ascii_uppercase(),
        2 => prefix && sub.is_none() && c[0].is_ascii_uppercase() && c[1].is_ascii_digit(),
        3 => {
            c[0].is_ascii_uppercase()
                && c[1].is_ascii_digit()
                && (c[2].is_ascii_digit() || c[2].is_ascii_uppercase())
        }
        _ => false,
    };
    let sub_ok = match sub {
        None => true,
        Some(s) => {
            (1..=4).contains(&s.len())
                && s.chars()
                    .all(|ch| ch.is_ascii_digit() || ch.is_ascii_uppercase())
        }
    };
    category_ok && sub_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_digits() {
        for ok in ["45352006", "386661006", "29857009", "4740000"] {
            assert!(is_snomed_id(ok), "{ok}");
        }
        for bad in ["45352007", "386661005", "0123456", "12345", "abc123456"] {
            assert!(!is_snomed_id(bad), "{bad}");
        }
        for ok in ["30525-0", "72514-3", "8310-5", "8867-4"] {
            assert!(is_loinc_code(ok), "{ok}");
        }
        for bad in ["30525-1", "8310-4", "8310", "-5", "83a0-5"] {
            assert!(!is_loinc_code(bad), "{bad}");
        }
        assert!(is_icd10cm("M62.830", false));
        assert!(is_icd10cm("M54.6", false));
        assert!(is_icd10cm("C7A", false));
        assert!(!is_icd10cm("M62.83000", false));
        assert!(!is_icd10cm("C", false));
        assert!(is_icd10cm("C", true));
        assert!(is_icd10cm("Z79.5", true));
        assert!(!is_icd10cm("m81", true));
    }
}
