//! Writes every FHIR document the project emits, for the external validators of
//! `tools/validate-fhir.sh`:
//!
//! ```text
//! cargo run -q -p upperback-fhir --example emit -- OUTDIR [VIGNETTES.jsonl]
//! ```
//!
//! - `questionnaire.json`: the interview;
//! - per dev vignette (read with the text reader, plus its age and sex):
//!   `bundle-<id>.json` (the result) and `questionnaire-response-<id>.json` (the same
//!   evidence as answers);
//! - per CDS Hooks sample request of `crates/fhir/tests/data/cds/`: `cds-bundle-<name>.json`,
//!   the Bundle its card links to, and `cds-prefetch-<name>-<key>.json`, the sample's
//!   prefetched resources (so the samples themselves are valid FHIR).
//!
//! The vignettes default to `../shared/data/vignettes/dev.jsonl` beside the repository; when
//! that file is absent they are skipped with a message.

use std::path::{Path, PathBuf};

use serde_json::Value;
use upperback_core::{assess, Evidence, KnowledgeBase, Observation};
use upperback_nlu::Reader;

fn write(dir: &Path, name: &str, value: &Value) {
    let path = dir.join(name);
    let text = serde_json::to_string_pretty(value).expect("JSON serialises");
    std::fs::write(&path, text + "\n")
        .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(out) = args.next() else {
        eprintln!("usage: emit OUTDIR [VIGNETTES.jsonl]");
        std::process::exit(2);
    };
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let vignettes = args
        .next()
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest.join("../../../shared/data/vignettes/dev.jsonl"));
    let out = PathBuf::from(out);
    std::fs::create_dir_all(&out).expect("output directory can be made");
    let kb = KnowledgeBase::embedded();
    let mut count = 0;

    write(
        &out,
        "questionnaire.json",
        &upperback_fhir::questionnaire(kb),
    );
    count += 1;

    match std::fs::read_to_string(&vignettes) {
        Err(_) => eprintln!(
            "emit: skipping vignettes: {} not found (the shared data folder is absent)",
            vignettes.display()
        ),
        Ok(content) => {
            for line in content.lines().filter(|l| !l.trim().is_empty()) {
                let vignette: Value = serde_json::from_str(line).expect("vignette is JSON");
                let id = vignette["id"].as_str().expect("vignette id");
                let mut evidence = Reader::embedded()
                    .read(kb, vignette["text"].as_str().expect("vignette text"), None)
                    .map(|r| r.evidence)
                    .unwrap_or_else(|_| Evidence::new(kb));
                let mut answers = Evidence::new(kb);
                for key in ["age", "sex"] {
                    if let Ok(Some((finding, value))) = kb.parse_answer(key, &vignette[key]) {
                        answers.set(finding, Observation::answer(value));
                    }
                }
                evidence.overlay(kb, &answers);
                let assessment = assess(kb, &evidence);
                write(
                    &out,
                    &format!("bundle-{id}.json"),
                    &upperback_fhir::bundle(kb, &assessment, id),
                );
                write(
                    &out,
                    &format!("questionnaire-response-{id}.json"),
                    &upperback_fhir::questionnaire_response(kb, &evidence),
                );
                count += 2;
            }
        }
    }

    let samples = manifest.join("tests/data/cds");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&samples)
        .expect("CDS samples folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    names.sort();
    for path in names {
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        let request: Value =
            serde_json::from_str(&std::fs::read_to_string(&path).expect("sample readable"))
                .expect("sample is JSON");
        for (key, resource) in request["prefetch"].as_object().into_iter().flatten() {
            if resource.is_object() {
                write(&out, &format!("cds-prefetch-{name}-{key}.json"), resource);
                count += 1;
            }
        }
        let parsed = upperback_fhir::parse_cds_request(kb, &request, Some("2026-11-24"))
            .expect("samples are valid requests");
        if parsed.has_clinical_findings(kb) {
            let assessment = assess(kb, &parsed.evidence);
            let bundle = upperback_fhir::bundle(kb, &assessment, &parsed.hook_instance);
            let response = upperback_fhir::cds_cards(
                kb,
                &parsed,
                Some(&assessment),
                Some(&format!(
                    "https://upperback.example/results/{}",
                    bundle["id"].as_str().unwrap()
                )),
            );
            write(&out, &format!("cds-bundle-{name}.json"), &bundle);
            // Not FHIR: the CDS Hooks response, for people to read.
            write(&out, &format!("cds-response-{name}.cds.json"), &response);
            count += 1;
        }
    }
    println!("emit: wrote {count} FHIR documents to {}", out.display());
}
