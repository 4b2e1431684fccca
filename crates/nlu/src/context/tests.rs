//! Unit tests: one group per trigger category, in the words a person with back pain writes.

use proptest::prelude::*;

use super::*;

fn engine() -> &'static ContextEngine {
    ContextEngine::embedded()
}

fn ctx(sentence: &str, concept: &str) -> TargetContext {
    engine()
        .annotate_concept(sentence, concept)
        .unwrap_or_else(|| panic!("{concept:?} not found in {sentence:?}"))
}

fn negated(sentence: &str, concept: &str) -> bool {
    ctx(sentence, concept).negated
}

// --- rules file --------------------------------------------------------------------------------

#[test]
fn embedded_rules_parse_and_compile() {
    let rules = ContextRules::embedded();
    assert!(rules.len() > 300, "only {} phrases", rules.len());
    for category in Category::ALL {
        assert!(
            rules.rules().iter().any(|r| r.category == category),
            "no rule of category {category}"
        );
    }
    assert!(ContextEngine::new(rules).is_ok());
}

/// Every modifier phrase in the rules file must fire on the smallest sentence that uses it in its stated
/// direction, and every history hint must date a finding named by it: this catches phrases that can never
/// match (one that spans a sentence end, one masked by a longer phrase) before a reviewer has to.
#[test]
fn every_rule_phrase_fires() {
    let mut failures = Vec::new();
    for rule in ContextRules::embedded().rules() {
        let phrase = rule.phrase.as_str();
        if rule.category == Category::HistoryHint {
            let c = engine().annotate_concept(phrase, phrase);
            if c.map(|c| c.temporality) != Some(Temporality::Historical) {
                failures.push(format!("history_hint {phrase:?}"));
            }
            continue;
        }
        if !rule.category.is_scoped_modifier() {
            continue;
        }
        let text = match rule.direction {
            Direction::Forward => format!("{phrase} fever"),
            Direction::Backward | Direction::Bidirectional => format!("fever {phrase}"),
        };
        let Some(c) = engine().annotate_concept(&text, "fever") else {
            failures.push(format!("{text:?}: concept lost"));
            continue;
        };
        for category in std::iter::once(rule.category).chain(rule.also.iter().copied()) {
            let fired = match category {
                Category::Negation => c.negated,
                Category::Uncertainty => c.uncertain,
                Category::Historical => c.temporality == Temporality::Historical,
                Category::Hypothetical => c.temporality == Temporality::Hypothetical,
                Category::Experiencer => c.experiencer == Experiencer::Other,
                _ => true,
            };
            if !fired {
                failures.push(format!("{category} {text:?}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "phrases that do not fire:\n{}",
        failures.join("\n")
    );
}

#[test]
fn duplicate_phrase_is_an_error_naming_both_entries() {
    let toml = r#"
[[rule]]
category = "negation"
direction = "forward"
phrases = ["no", "denies"]

[[rule]]
category = "pseudo"
phrase = "No"
"#;
    match ContextRules::from_toml(toml) {
        Err(ContextRulesError::DuplicatePhrase {
            phrase,
            first_entry,
            second_entry,
        }) => {
            assert_eq!(phrase, "No");
            assert_eq!((first_entry, second_entry), (1, 2));
        }
        other => panic!("expected a duplicate error, got {other:?}"),
    }
}

#[test]
fn unknown_category_and_direction_name_the_entry() {
    let bad_category =
        "[[rule]]\ncategory = \"negativity\"\ndirection = \"forward\"\nphrase = \"no\"\n";
    let err = ContextRules::from_toml(bad_category)
        .map(|_| ())
        .unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("entry 1") && text.contains("negativity"),
        "{text}"
    );

    let bad_direction =
        "[[rule]]\ncategory = \"negation\"\ndirection = \"sideways\"\nphrase = \"no\"\n";
    let err = ContextRules::from_toml(bad_direction)
        .map(|_| ())
        .unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("entry 1") && text.contains("sideways"),
        "{text}"
    );

    let missing = "[[rule]]\ncategory = \"negation\"\nphrase = \"no\"\n";
    assert!(matches!(
        ContextRules::from_toml(missing),
        Err(ContextRulesError::MissingDirection { entry: 1, .. })
    ));

    let unknown_field =
        "[[rule]]\ncategory = \"negation\"\ndirection = \"forward\"\nphrase = \"no\"\nscope = 3\n";
    assert!(matches!(
        ContextRules::from_toml(unknown_field),
        Err(ContextRulesError::Toml(_))
    ));

    let placeholder =
        "[[rule]]\ncategory = \"historical\"\ndirection = \"forward\"\nphrase = \"in {month}\"\n";
    assert!(matches!(
        ContextRules::from_toml(placeholder),
        Err(ContextRulesError::UnknownPlaceholder { entry: 1, .. })
    ));
}

#[test]
fn year_placeholder_expands() {
    let toml = "[[rule]]\ncategory = \"historical\"\ndirection = \"bidirectional\"\nphrase = \"in {year}\"\n";
    let rules = ContextRules::from_toml(toml).map_err(|e| e.to_string());
    let rules = rules.as_ref().map(|r| r.len());
    assert_eq!(rules, Ok(200));
}

// --- negation ----------------------------------------------------------------------------------

#[test]
fn plain_negation() {
    assert!(negated("no fever", "fever"));
    assert!(negated("No fever, no chills", "chills"));
    assert!(negated("I don't have any numbness", "numbness"));
    assert!(negated("I have never had tingling in my hands", "tingling"));
    assert!(negated(
        "Spasm between my shoulder blades without numbness",
        "numbness"
    ));
    assert!(negated("I've been free of headaches", "headaches"));
    assert!(negated("I haven't had a fever", "fever"));
    assert!(negated("The pain isn't radiating", "radiating"));
    assert!(negated("It is not swollen", "swollen"));
    assert!(negated("Patient denies chest pain", "chest pain"));
    assert!(!negated(
        "spasm between my shoulder blades since Monday, no fever",
        "spasm"
    ));
    assert!(negated(
        "spasm between my shoulder blades since Monday, no fever",
        "fever"
    ));
}

#[test]
fn denial_covers_a_list() {
    let s = "I denied having any fever, chills or weight loss";
    for concept in ["fever", "chills", "weight loss"] {
        assert!(negated(s, concept), "{concept} should be negated");
    }
}

#[test]
fn post_finding_negation() {
    assert!(negated("numbness — none", "numbness"));
    assert!(negated("Chills: none now", "chills"));
    assert!(negated("The tingling went away", "tingling"));
    assert!(negated("His nausea and vomiting resolved.", "vomiting"));
}

#[test]
fn termination_ends_negation() {
    assert!(negated("no fever but chills", "fever"));
    assert!(!negated("no fever but chills", "chills"));
    assert!(!negated("No numbness, however my neck is stiff", "stiff"));
    assert!(!negated("no symptoms except a dull ache", "dull ache"));
    assert!(!negated(
        "no fever; sharp pain when I breathe",
        "sharp pain"
    ));
    assert!(!negated(
        "No swelling apart from a knot near the spine",
        "knot"
    ));
}

#[test]
fn plain_english_edge_cases() {
    assert!(negated("Denies: fever, chills", "chills"));
    assert!(!negated("not able to sleep because of the pain", "pain"));
    assert!(!negated(
        "It's not a sharp pain, more of a dull ache",
        "dull ache"
    ));
    assert!(negated(
        "It's not a sharp pain, more of a dull ache",
        "sharp pain"
    ));
    assert!(negated("I'm fever-free", "fever"));
    assert!(negated("The tingling has stopped", "tingling"));
    assert!(negated("neither numbness nor weakness", "weakness"));
    assert!(!negated(
        "I've lost 15 pounds without trying and my upper back aches all the time",
        "upper back aches"
    ));
    let c = ctx("His wife reports he has had fevers", "fevers");
    assert_eq!(c.experiencer, Experiencer::Patient);
    let c = ctx("My mom has back spasms and she has a fever", "fever");
    assert_eq!(c.experiencer, Experiencer::Other);
    let c = ctx("I take care of my mother, who has dementia", "dementia");
    assert_eq!(c.experiencer, Experiencer::Other);
    let c = ctx("I had to call in sick because of the pain", "pain");
    assert_eq!(c.temporality, Temporality::Recent);
}

#[test]
fn sentence_end_ends_negation() {
    assert!(!negated("No fever. Chills since Monday.", "chills"));
    assert!(!negated("No fever\nchills since Monday", "chills"));
    assert!(!negated("No fever! Spasms all night", "spasms"));
    // An abbreviation does not end the sentence.
    assert!(negated("No weakness per Dr. Lee or numbness", "numbness"));
}

// --- pseudo-triggers -----------------------------------------------------------------------------

#[test]
fn pseudo_triggers_do_not_negate() {
    assert!(!negated(
        "not only my back but also my chest hurts",
        "chest"
    ));
    assert!(!negated("not only my back but also my chest hurts", "back"));
    assert!(!negated("no increase in pain", "pain"));
    assert!(!negated("no change in the spasms", "spasms"));
    assert!(!negated("gram negative rods in the culture", "rods"));
    assert!(!negated("stretching did not cause pain", "pain"));
    assert!(!negated("stretching didn't cause pain", "pain"));
    assert!(!negated(
        "I'm not sure if it is not a pinched nerve",
        "pinched nerve"
    ));
    assert!(!negated(
        "ibuprofen gives no relief from the spasm",
        "spasm"
    ));
    assert!(!negated("the ache is not going away", "ache"));
}

#[test]
fn shorter_trigger_inside_a_rejected_longer_one_still_fires() {
    // "no change" would match the start of "no changes"; the boundary check rejects it and the plain
    // "no" must still be found.
    assert!(negated("no changesxyz or fever", "fever"));
}

// --- uncertainty -------------------------------------------------------------------------------

#[test]
fn uncertainty_is_not_negation() {
    for (sentence, concept) in [
        ("might be a fever", "fever"),
        ("possibly a pulled muscle", "pulled muscle"),
        ("I'm not sure it's a pinched nerve", "pinched nerve"),
        ("could be a herniated disc", "herniated disc"),
        ("maybe a slipped disc", "slipped disc"),
        ("a slipped disc?", "slipped disc"),
        ("rule out pneumonia", "pneumonia"),
    ] {
        let c = ctx(sentence, concept);
        assert!(c.uncertain, "{sentence:?} should be uncertain");
        assert!(!c.negated, "{sentence:?} should not be negated");
    }
    assert!(!ctx("sharp pain between my shoulder blades", "sharp pain").uncertain);
}

// --- temporality -------------------------------------------------------------------------------

#[test]
fn historical_triggers() {
    for (sentence, concept) in [
        ("I used to get back spasms", "back spasms"),
        ("I hurt my back years ago", "hurt my back"),
        ("history of scoliosis", "scoliosis"),
        ("I had a herniated disc in 2018", "herniated disc"),
        ("previous whiplash injury", "whiplash"),
        ("prior shoulder surgery", "shoulder surgery"),
        ("status post spinal fusion", "spinal fusion"),
        ("I had shingles last year", "shingles"),
        ("I have high blood pressure", "high blood pressure"),
    ] {
        assert_eq!(
            ctx(sentence, concept).temporality,
            Temporality::Historical,
            "{sentence:?}"
        );
    }
    assert_eq!(
        ctx("spasm between my shoulder blades since Monday", "spasm").temporality,
        Temporality::Recent
    );
}

#[test]
fn each_target_gets_its_own_context() {
    let s = "I had a fever last year but none now";
    let fever = ctx(s, "fever");
    assert_eq!(fever.temporality, Temporality::Historical);
    assert!(!fever.negated, "'but' ends the scope of 'none now'");

    let s = "I had back surgery in 2018 and now I have numbness";
    assert_eq!(ctx(s, "back surgery").temporality, Temporality::Historical);
    assert_eq!(ctx(s, "numbness").temporality, Temporality::Recent);

    let text = "no fever but chills";
    let spans = [Span::new(3, 8), Span::new(13, 19)];
    let out = engine().annotate(text, &spans);
    assert_eq!(out.len(), 2);
    assert!(out[0].negated);
    assert!(!out[1].negated);
}

#[test]
fn hypothetical_triggers() {
    for (sentence, concept) in [
        (
            "If I ever get numbness in my arms I'll go to the ER",
            "numbness",
        ),
        ("keep ice handy in case the spasms come back", "spasms"),
        ("watch for weakness in the legs", "weakness"),
        ("Should I worry about tingling in my fingers?", "tingling"),
        ("return if fever develops", "fever"),
        ("call if you notice chest pain", "chest pain"),
    ] {
        assert_eq!(
            ctx(sentence, concept).temporality,
            Temporality::Hypothetical,
            "{sentence:?}"
        );
    }
}

// --- experiencer -------------------------------------------------------------------------------

#[test]
fn experiencer_triggers() {
    for (sentence, concept) in [
        ("My father had spinal stenosis", "spinal stenosis"),
        ("my mom has scoliosis", "scoliosis"),
        (
            "family history of ankylosing spondylitis",
            "ankylosing spondylitis",
        ),
        ("his mother had a herniated disc", "herniated disc"),
        ("my sister gets migraines", "migraines"),
    ] {
        assert_eq!(
            ctx(sentence, concept).experiencer,
            Experiencer::Other,
            "{sentence:?}"
        );
    }
    let s = "My mother has scoliosis and I have spasms";
    assert_eq!(ctx(s, "spasms").experiencer, Experiencer::Patient);
    assert_eq!(
        ctx("spasm between my shoulder blades", "spasm").experiencer,
        Experiencer::Patient
    );
}

// --- spans and triggers ------------------------------------------------------------------------

#[test]
fn trigger_hits_name_the_trigger_in_char_offsets() {
    let text = "Ça fait mal — no fever";
    let fever = ctx(text, "FEVER");
    assert!(fever.negated);
    assert_eq!(fever.triggers.len(), 1);
    let hit = &fever.triggers[0];
    assert_eq!(hit.category, Category::Negation);
    assert_eq!(hit.text, "no");
    assert_eq!((hit.start, hit.end), (14, 16));

    let span = engine().find_concept(text, "fever");
    assert_eq!(span, Some(Span::new(17, 22)));
}

#[test]
fn concept_matching_tolerates_white_space_and_case() {
    let c = engine().annotate_concept("No   Bowel\n  Distention today", "bowel distention");
    assert!(c.is_some_and(|c| c.negated));
    assert!(engine().annotate_concept("no fever", "chills").is_none());
    assert!(engine().annotate_concept("no fever", "   ").is_none());
    // Prefers the occurrence on word boundaries: "pe" in "speck" is not the pulmonary embolism.
    assert_eq!(
        engine().find_concept("a speck, no PE", "pe"),
        Some(Span::new(12, 14))
    );
}

#[test]
fn out_of_range_and_empty_spans_get_defaults() {
    let out = engine().annotate(
        "no fever",
        &[Span::new(5, 3), Span::new(40, 90), Span::new(0, 0)],
    );
    assert_eq!(out, vec![TargetContext::default(); 3]);
}

#[test]
fn words_inside_the_finding_do_not_negate_it() {
    let c = ctx(
        "The neck without any tenderness.",
        "The neck without any tenderness",
    );
    assert!(!c.negated);
    let c = ctx("status post CABG", "status post CABG");
    assert_eq!(c.temporality, Temporality::Historical);
}

// --- TSV contract ------------------------------------------------------------------------------

#[test]
fn tsv_contract() {
    let input = "id\tconcept\tsentence\textra\n\
                 1\tfever\tNo fever.\tNegated\n\
                 \n\
                 2\tnumbness\tIf I get numbness I will call.\n\
                 3\tchills\tNothing relevant here.\n\
                 4\tstenosis\tMy father had spinal stenosis in 2010.\n";
    let mut out = Vec::new();
    let summary = engine().run_tsv(input.as_bytes(), &mut out);
    let summary = summary.map_err(|e| e.to_string());
    assert_eq!(
        summary,
        Ok(TsvSummary {
            rows: 4,
            concepts_not_found: 1
        })
    );
    assert_eq!(
        String::from_utf8_lossy(&out),
        "1\tNegated\tRecent\tPatient\n\
         2\tAffirmed\tNot particular\tPatient\n\
         3\tAffirmed\tRecent\tPatient\n\
         4\tAffirmed\tHistorical\tOther\n"
    );
}

#[test]
fn tsv_malformed_row_names_its_line() {
    let input = "id\tconcept\tsentence\n1\tfever\tno fever\n2\tonly two\n";
    let mut out = Vec::new();
    match engine().run_tsv(input.as_bytes(), &mut out) {
        Err(ContextTsvError::Malformed { line, found }) => assert_eq!((line, found), (3, 2)),
        other => panic!("expected a malformed-row error, got {other:?}"),
    }
}

// --- robustness --------------------------------------------------------------------------------

fn text_strategy() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        any::<String>(),
        "[a-zA-Z ]{0,12}",
        Just("no ".to_string()),
        Just("not only ".to_string()),
        Just("— none ".to_string()),
        Just("? ".to_string()),
        Just(". ".to_string()),
        Just("\n".to_string()),
        Just("but ".to_string()),
        Just("history of ".to_string()),
        Just("my father ".to_string()),
        Just("if ".to_string()),
        Just("in 2018 ".to_string()),
        Just("İ".to_string()),
        Just("ﬃ".to_string()),
        Just("Ω ".to_string()),
    ];
    prop::collection::vec(piece, 0..200).prop_map(|v| {
        let mut s: String = v.concat();
        let mut cut = s.len().min(3000);
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        s.truncate(cut);
        s
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn never_panics_and_spans_are_valid(text in text_strategy(), raw in prop::collection::vec((0usize..3200, 0usize..3200), 0..6)) {
        let n = text.chars().count();
        let spans: Vec<Span> = raw.iter().map(|&(a, b)| Span::new(a, b)).collect();
        let out = engine().annotate(&text, &spans);
        prop_assert_eq!(out.len(), spans.len());
        for c in &out {
            for hit in &c.triggers {
                prop_assert!(hit.start <= hit.end && hit.end <= n);
                let slice: String = text.chars().skip(hit.start).take(hit.end - hit.start).collect();
                prop_assert_eq!(&slice, &hit.text);
            }
        }
        let words: Vec<&str> = text.split_whitespace().collect();
        if let Some(w) = words.get(words.len() / 2) {
            let found = engine().annotate_concept(&text, w);
            prop_assert!(found.is_some());
            if let Some(span) = engine().find_concept(&text, w) {
                prop_assert!(span.start <= span.end && span.end <= n);
            }
        }
    }
}
