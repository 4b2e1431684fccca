//! Sentences written the way people write in a symptom checker or a chat, read by the free-text
//! reader. Each finding of the catalogue has several wordings (plain, slang, clinical,
//! abbreviated, misspelt, lower case, unpunctuated) and at least one denied form; each context
//! trigger kind has its own cases; and false-positive guards check that ordinary words do not
//! invent findings.
//!
//! A case is `(text, present, absent)`:
//! - every id in `present` must be read present;
//! - every id in `absent` must be read absent, except `!id` = must not be present (absent or
//!   unknown) and `?id` = must be left unknown (neither present nor absent);
//! - and no red-flag finding may be read present unless it is listed in `present` (a red flag
//!   invented is the second-worst error).
//!
//! Every failing case is reported at once, with what was expected and what was read.

use chrono::{DateTime, FixedOffset};
use upperback_core::{FindingKind, KnowledgeBase, Status, Value};
use upperback_nlu::Reader;

type Case = (
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
);

/// Friday 27 November 2026, 10:00 UTC: "since Monday" is 4 days, "since the weekend" 6.
const NOW: &str = "2026-11-27T10:00:00+00:00";

const CASES: &[Case] = &[
    // ── upper_back_spasm ──────────────────────────────────────────────────
    (
        "my upper back keeps spazzing out",
        &["upper_back_spasm"],
        &[],
    ),
    ("muscle spasms in my upper back", &["upper_back_spasm"], &[]),
    (
        "my back seized up when i bent down to tie my shoe",
        &["upper_back_spasm"],
        &[],
    ),
    (
        "the muscle between my shoulderblades locked up",
        &["upper_back_spasm"],
        &[],
    ),
    (
        "upper back cramp that wont let go",
        &["upper_back_spasm"],
        &[],
    ),
    (
        "feels like a charley horse in my upper back",
        &["upper_back_spasm"],
        &["!cramps_elsewhere"],
    ),
    ("my trap muscle went into spasm", &["upper_back_spasm"], &[]),
    (
        "back muscles keep contracting on their own",
        &["upper_back_spasm"],
        &[],
    ),
    ("muscle spasam in upper back", &["upper_back_spasm"], &[]),
    (
        "my rhomboid keeps twitching and clenching up",
        &["upper_back_spasm"],
        &[],
    ),
    (
        "upper back muscles tightened up and wont release",
        &["upper_back_spasm"],
        &[],
    ),
    (
        "my back went into a spasm and i couldnt move",
        &["upper_back_spasm"],
        &[],
    ),
    ("Thoracic paraspinal spasm.", &["upper_back_spasm"], &[]),
    (
        "no spasms, just a dull ache between my shoulder blades",
        &[],
        &["upper_back_spasm"],
    ),
    (
        "i dont get spasms, its more of an ache",
        &[],
        &["upper_back_spasm"],
    ),
    (
        "pain between my shoulder blades",
        &[],
        &["!upper_back_spasm"],
    ),
    (
        "my upper back is stiff and sore",
        &[],
        &["!upper_back_spasm"],
    ),
    (
        "achy upper back after a long day",
        &[],
        &["!upper_back_spasm"],
    ),
    // ── location ──────────────────────────────────────────────────────────
    // (choice values are checked in VALUE_CASES; here only that no red flag is invented)
    ("it hurts right between my shoulders", &[], &[]),
    // ── onset_sudden ──────────────────────────────────────────────────────
    ("it came on all of a sudden", &["onset_sudden"], &[]),
    (
        "suddenly my back seized",
        &["onset_sudden", "upper_back_spasm"],
        &[],
    ),
    (
        "woke up like this, couldnt turn my head",
        &["onset_sudden"],
        &[],
    ),
    (
        "it hit me out of nowhere while sitting",
        &["onset_sudden"],
        &[],
    ),
    (
        "sudden onset upper back spasm",
        &["onset_sudden", "upper_back_spasm"],
        &[],
    ),
    ("started abruptly this morning", &["onset_sudden"], &[]),
    ("came on slowly over a few weeks", &[], &["onset_sudden"]),
    ("gradual onset over a month", &[], &["onset_sudden"]),
    ("it wasnt sudden", &[], &["onset_sudden"]),
    ("it crept up on me over time", &[], &["onset_sudden"]),
    ("it builds up gradually", &[], &["onset_sudden"]),
    // ── improving ─────────────────────────────────────────────────────────
    ("its getting better", &["improving"], &[]),
    ("easing off a bit now", &["improving"], &[]),
    ("a lot better today", &["improving"], &[]),
    ("much better than yesterday", &["improving"], &[]),
    ("slowly improving", &["improving"], &[]),
    ("less sore today", &["improving"], &[]),
    ("it is starting to ease", &["improving"], &[]),
    ("no better at all", &[], &["improving"]),
    ("its getting worse", &[], &["improving"]),
    ("worse today than yesterday", &[], &["improving"]),
    ("not improving", &[], &["improving"]),
    ("getting worse by the day", &[], &["improving"]),
    ("it's not getting any better", &[], &["improving"]),
    ("hasnt eased at all", &[], &["improving"]),
    ("it's gotten worse", &[], &["improving"]),
    // ── home_care_tried ───────────────────────────────────────────────────
    ("tried ice and advil", &["home_care_tried"], &[]),
    ("been using a heating pad", &["home_care_tried"], &[]),
    ("took some ibuprofin", &["home_care_tried"], &[]),
    ("took ibruprofen this morning", &["home_care_tried"], &[]),
    ("i've been doing stretches", &["home_care_tried"], &[]),
    ("took 2 paracetamol", &["home_care_tried"], &[]),
    ("rubbed in some voltaren gel", &["home_care_tried"], &[]),
    ("used a tens machine", &["home_care_tried"], &[]),
    ("had a massage yesterday", &["home_care_tried"], &[]),
    ("took some pain killers", &["home_care_tried"], &[]),
    ("hot showers help a little", &["home_care_tried"], &[]),
    ("ive been resting it", &["home_care_tried"], &[]),
    (
        "heat and stretching haven't helped",
        &["home_care_tried"],
        &["improving"],
    ),
    ("took advil to numb the pain", &["home_care_tried"], &[]),
    ("haven't tried anything yet", &[], &["home_care_tried"]),
    ("havent taken any painkillers", &[], &["home_care_tried"]),
    ("didnt take anything for it", &[], &["home_care_tried"]),
    ("not tried heat or ice", &[], &["home_care_tried"]),
    ("nothing tried so far", &[], &["home_care_tried"]),
    // ── worse_with_movement ───────────────────────────────────────────────
    ("hurts more when i move", &["worse_with_movement"], &[]),
    ("any movement makes it worse", &["worse_with_movement"], &[]),
    ("it catches when i twist", &["worse_with_movement"], &[]),
    ("painful to bend over", &["worse_with_movement"], &[]),
    ("hurts to raise my arms", &["worse_with_movement"], &[]),
    ("sharp pain when i turn", &["worse_with_movement"], &[]),
    (
        "certain positions make it worse",
        &["worse_with_movement"],
        &[],
    ),
    ("moving makes it worse", &["worse_with_movement"], &[]),
    ("it twinges when i move", &["worse_with_movement"], &[]),
    (
        "movement doesn't make it worse",
        &[],
        &["worse_with_movement"],
    ),
    ("no pain with movement", &[], &["worse_with_movement"]),
    // ── pain_at_rest_or_night ─────────────────────────────────────────────
    ("wakes me up at night", &["pain_at_rest_or_night"], &[]),
    ("keeps waking me at 3am", &["pain_at_rest_or_night"], &[]),
    ("pain at night", &["pain_at_rest_or_night"], &[]),
    (
        "it hurts even when im lying still",
        &["pain_at_rest_or_night"],
        &[],
    ),
    (
        "constant ache that doesnt go away with rest",
        &["pain_at_rest_or_night"],
        &[],
    ),
    ("night pain", &["pain_at_rest_or_night"], &[]),
    ("worse at night", &["pain_at_rest_or_night"], &[]),
    (
        "cant find a comfortable position",
        &["pain_at_rest_or_night"],
        &[],
    ),
    ("it wakes me from sleep", &["pain_at_rest_or_night"], &[]),
    (
        "hurts all the time, even resting",
        &["pain_at_rest_or_night"],
        &[],
    ),
    ("doesn't wake me at night", &[], &["pain_at_rest_or_night"]),
    ("no night pain", &[], &["pain_at_rest_or_night"]),
    ("it goes away when i rest", &[], &["pain_at_rest_or_night"]),
    ("eases when i lie down", &[], &["pain_at_rest_or_night"]),
    (
        "fine at rest, only hurts when i move",
        &["worse_with_movement"],
        &["pain_at_rest_or_night"],
    ),
    ("better with rest", &[], &["pain_at_rest_or_night"]),
    // ── muscle_knot ───────────────────────────────────────────────────────
    ("hard knot under my shoulder blade", &["muscle_knot"], &[]),
    ("i can feel a tender knot", &["muscle_knot"], &[]),
    ("all knotted up", &["muscle_knot"], &[]),
    ("theres a trigger point in my trap", &["muscle_knot"], &[]),
    (
        "tight band of muscle next to my spine",
        &["muscle_knot"],
        &[],
    ),
    (
        "feels like a golf ball under my shoulder blade",
        &["muscle_knot"],
        &["!swinging_sport", "!back_lump_or_deformity"],
    ),
    (
        "a lump of tight muscle",
        &["muscle_knot"],
        &["!back_lump_or_deformity"],
    ),
    (
        "tender spot that hurts when i press it",
        &["muscle_knot"],
        &[],
    ),
    // The findings catalogue's spasm is "an involuntary tightening, cramp or knot".
    ("upper back knots", &["muscle_knot", "upper_back_spasm"], &[]),
    ("a tender spot under my shoulder blade", &["muscle_knot"], &["!upper_back_spasm"]),
    ("no knots", &[], &["muscle_knot"]),
    // A denial list closed by "or X" covers what is said of the whole list after it.
    (
        "i denied any fever, chills or weight loss when the doctor asked",
        &[],
        &["fever", "chills", "weight_loss_unexplained"],
    ),
    ("hay fever is awful this year", &[], &["!fever"]),
    ("not gonna lie, ive been injecting again", &["iv_drug_use"], &[]),
    ("ive read it can be lung cancer", &[], &["!cancer_history"]),
    ("i cant feel any knot", &[], &["muscle_knot"]),
    // ── recurrent_episodes ────────────────────────────────────────────────
    (
        "this happens every few months",
        &["recurrent_episodes"],
        &[],
    ),
    (
        "i get these a couple of times a year",
        &["recurrent_episodes"],
        &[],
    ),
    ("it keeps coming back", &["recurrent_episodes"], &[]),
    ("ive had this before", &["recurrent_episodes"], &[]),
    (
        "recurring spasms",
        &["recurrent_episodes", "upper_back_spasm"],
        &[],
    ),
    (
        "it flares up every now and then",
        &["recurrent_episodes"],
        &[],
    ),
    (
        "not the first time this has happened",
        &["recurrent_episodes"],
        &[],
    ),
    ("had similar episodes before", &["recurrent_episodes"], &[]),
    (
        "first time this has ever happened",
        &[],
        &["recurrent_episodes"],
    ),
    (
        "never had anything like this before",
        &[],
        &["recurrent_episodes"],
    ),
    ("this is new for me", &[], &["recurrent_episodes"]),
    ("it's never happened before", &[], &["recurrent_episodes"]),
    ("first ever episode", &[], &["recurrent_episodes"]),
    // ── screen_work ───────────────────────────────────────────────────────
    ("im on the computer all day", &["screen_work"], &[]),
    ("i work on a laptop", &["screen_work"], &[]),
    ("gaming for hours every night", &["screen_work"], &[]),
    ("staring at a screen all day", &["screen_work"], &[]),
    ("i'm a software developer", &["screen_work"], &[]),
    ("i code all day", &["screen_work"], &[]),
    ("on my phone constantly", &["screen_work"], &[]),
    ("i do data entry", &["screen_work"], &[]),
    ("back to back zoom calls", &["screen_work"], &[]),
    ("i dont use a computer much", &[], &["screen_work"]),
    ("no screen time", &[], &["screen_work"]),
    // ── forward_head_posture ──────────────────────────────────────────────
    ("i have text neck", &["forward_head_posture"], &[]),
    ("my head sticks out forward", &["forward_head_posture"], &[]),
    ("my chin pokes out", &["forward_head_posture"], &[]),
    ("forward head posture", &["forward_head_posture"], &[]),
    (
        "i crane my neck towards the screen",
        &["forward_head_posture", "screen_work"],
        &[],
    ),
    ("tech neck for sure", &["forward_head_posture"], &[]),
    (
        "my head doesn't poke forward",
        &[],
        &["forward_head_posture"],
    ),
    ("no forward head posture", &[], &["forward_head_posture"]),
    // ── rounded_shoulders ─────────────────────────────────────────────────
    ("i slouch", &["rounded_shoulders"], &[]),
    ("i sit hunched over all day", &["rounded_shoulders"], &[]),
    ("my shoulders are rounded", &["rounded_shoulders"], &[]),
    ("my posture is terrible", &["rounded_shoulders"], &[]),
    ("slumped in my chair", &["rounded_shoulders"], &[]),
    ("always sloutching", &["rounded_shoulders"], &[]),
    ("shoulders roll forward", &["rounded_shoulders"], &[]),
    ("i don't slouch", &[], &["rounded_shoulders"]),
    ("my posture is good", &[], &["rounded_shoulders"]),
    ("i sit up straight", &[], &["rounded_shoulders"]),
    // ── poor_workstation ──────────────────────────────────────────────────
    ("i work from my couch", &["poor_workstation"], &[]),
    (
        "laptop on the kitchen table",
        &["poor_workstation", "screen_work"],
        &[],
    ),
    ("i work from bed most days", &["poor_workstation"], &[]),
    ("no proper desk", &["poor_workstation"], &[]),
    ("my chair has no back support", &["poor_workstation"], &[]),
    ("my screen is too low", &["poor_workstation"], &[]),
    (
        "laptop on my lap all day",
        &["poor_workstation", "screen_work"],
        &[],
    ),
    (
        "using a dining chair as an office chair",
        &["poor_workstation"],
        &[],
    ),
    ("my desk is too high", &["poor_workstation"], &[]),
    (
        "i have a proper ergonomic setup",
        &[],
        &["poor_workstation"],
    ),
    ("my desk setup is good", &[], &["poor_workstation"]),
    // ── infrequent_breaks ─────────────────────────────────────────────────
    ("i dont get up for hours", &["infrequent_breaks"], &[]),
    ("rarely take breaks", &["infrequent_breaks"], &[]),
    ("sit for hours without a break", &["infrequent_breaks"], &[]),
    ("forget to take breaks", &["infrequent_breaks"], &[]),
    ("i sit for 3 hours straight", &["infrequent_breaks"], &[]),
    (
        "barely move from my desk all day",
        &["infrequent_breaks"],
        &[],
    ),
    ("i take regular breaks", &[], &["infrequent_breaks"]),
    ("i get up every half hour", &[], &["infrequent_breaks"]),
    // ── worse_after_sitting ───────────────────────────────────────────────
    (
        "worse after sitting for a long time",
        &["worse_after_sitting"],
        &[],
    ),
    (
        "by the end of the workday its killing me",
        &["worse_after_sitting"],
        &[],
    ),
    ("by 5pm i can barely sit", &["worse_after_sitting"], &[]),
    (
        "after a long day at the computer",
        &["worse_after_sitting", "screen_work"],
        &[],
    ),
    ("sitting makes it worse", &["worse_after_sitting"], &[]),
    ("worse after long drives", &["worse_after_sitting"], &[]),
    (
        "sitting doesn't make it worse",
        &[],
        &["worse_after_sitting"],
    ),
    ("sitting doesnt bother it", &[], &["worse_after_sitting"]),
    // ── tight_chest_muscles ───────────────────────────────────────────────
    (
        "my chest muscles feel tight when i stretch",
        &["tight_chest_muscles"],
        &["!chest_pain"],
    ),
    ("tight pecs", &["tight_chest_muscles"], &["!chest_pain"]),
    (
        "my pec muscles are tight",
        &["tight_chest_muscles"],
        &["!chest_pain"],
    ),
    (
        "chest feels tight when i open my arms wide",
        &["tight_chest_muscles"],
        &["!chest_pain"],
    ),
    (
        "tight pectoral muscles from hunching",
        &["tight_chest_muscles", "rounded_shoulders"],
        &["!chest_pain"],
    ),
    ("my pecs aren't tight", &[], &["tight_chest_muscles"]),
    // ── awkward_movement ──────────────────────────────────────────────────
    ("i twisted awkwardly", &["awkward_movement"], &[]),
    ("reached up to the top shelf", &["awkward_movement"], &[]),
    ("turned too quickly", &["awkward_movement"], &[]),
    ("caught a falling box", &["awkward_movement"], &[]),
    ("reached into the back seat", &["awkward_movement"], &[]),
    ("i slept funny", &["awkward_movement"], &[]),
    ("slept in a weird position", &["awkward_movement"], &[]),
    ("tweaked it reaching overhead", &["awkward_movement"], &[]),
    (
        "i didn't twist or reach for anything",
        &[],
        &["awkward_movement"],
    ),
    ("no awkward movement", &[], &["awkward_movement"]),
    // ── heavy_lifting ─────────────────────────────────────────────────────
    ("lifted heavy boxes", &["heavy_lifting"], &[]),
    ("helped a friend move house", &["heavy_lifting"], &[]),
    ("was carrying my toddler all day", &["heavy_lifting"], &[]),
    ("deadlifting at the gym", &["heavy_lifting"], &[]),
    ("hauling bags of soil", &["heavy_lifting"], &[]),
    ("shoveling snow", &["heavy_lifting"], &[]),
    ("picked up a heavy suitcase", &["heavy_lifting"], &[]),
    (
        "lugged a mattress up the stairs",
        &["heavy_lifting"],
        &["!significant_trauma"],
    ),
    ("i havent lifted anything heavy", &[], &["heavy_lifting"]),
    ("no heavy lifting", &[], &["heavy_lifting"]),
    // ── swinging_sport ────────────────────────────────────────────────────
    ("after golf on sunday", &["swinging_sport"], &[]),
    ("played 9 holes yesterday", &["swinging_sport"], &[]),
    ("at the driving range", &["swinging_sport"], &[]),
    ("pitching practice", &["swinging_sport"], &[]),
    ("playing tennis", &["swinging_sport"], &[]),
    ("rowing machine at the gym", &["swinging_sport"], &[]),
    ("played catch with my son", &["swinging_sport"], &[]),
    ("cricket match, i was bowling", &["swinging_sport"], &[]),
    ("i dont play golf", &[], &["swinging_sport"]),
    ("no golf or tennis lately", &[], &["swinging_sport"]),
    // ── unaccustomed_exercise ─────────────────────────────────────────────
    ("first day back at the gym", &["unaccustomed_exercise"], &[]),
    (
        "started a new workout program",
        &["unaccustomed_exercise"],
        &[],
    ),
    ("overdid it at the gym", &["unaccustomed_exercise"], &[]),
    ("went harder than usual", &["unaccustomed_exercise"], &[]),
    ("tried a new yoga class", &["unaccustomed_exercise"], &[]),
    ("ran further than usual", &["unaccustomed_exercise"], &[]),
    ("first workout in years", &["unaccustomed_exercise"], &[]),
    (
        "nothing new in my workouts",
        &[],
        &["unaccustomed_exercise"],
    ),
    ("same routine as always", &[], &["unaccustomed_exercise"]),
    // ── minor_fall_or_whiplash ────────────────────────────────────────────
    (
        "slipped on the ice",
        &["minor_fall_or_whiplash"],
        &["!home_care_tried"],
    ),
    (
        "tripped over the dog",
        &["minor_fall_or_whiplash"],
        &["!gait_disturbance"],
    ),
    (
        "got rear ended at a red light",
        &["minor_fall_or_whiplash"],
        &["!significant_trauma"],
    ),
    (
        "whiplash from a minor fender bender",
        &["minor_fall_or_whiplash"],
        &["!significant_trauma"],
    ),
    ("fell on my butt", &["minor_fall_or_whiplash"], &[]),
    ("slipped in the shower", &["minor_fall_or_whiplash"], &[]),
    ("missed a step and fell", &["minor_fall_or_whiplash"], &[]),
    ("no falls", &[], &["minor_fall_or_whiplash"]),
    (
        "didnt fall or hurt myself",
        &[],
        &["minor_fall_or_whiplash"],
    ),
    // ── started_during_activity ───────────────────────────────────────────
    (
        "it started while i was lifting",
        &["started_during_activity", "heavy_lifting"],
        &[],
    ),
    ("happened mid swing", &["started_during_activity"], &[]),
    (
        "felt it go when i was reaching",
        &["started_during_activity"],
        &[],
    ),
    (
        "started during my workout",
        &["started_during_activity"],
        &[],
    ),
    (
        "felt a pop while deadlifting",
        &["started_during_activity", "heavy_lifting"],
        &[],
    ),
    (
        "came on while playing tennis",
        &["started_during_activity", "swinging_sport"],
        &[],
    ),
    (
        "it didn't start during any activity",
        &[],
        &["started_during_activity"],
    ),
    (
        "it just started on its own",
        &[],
        &["started_during_activity"],
    ),
    ("came on for no reason", &[], &["started_during_activity"]),
    // ── stress_anxiety ────────────────────────────────────────────────────
    ("super stressed", &["stress_anxiety"], &[]),
    ("anxious lately", &["stress_anxiety"], &[]),
    ("work is really stressful", &["stress_anxiety"], &[]),
    ("my anxiety has been bad", &["stress_anxiety"], &[]),
    ("going through a divorce", &["stress_anxiety"], &[]),
    ("stressed af", &["stress_anxiety"], &[]),
    ("burnt out at work", &["stress_anxiety"], &[]),
    ("been having panic attacks", &["stress_anxiety"], &[]),
    ("not stressed", &[], &["stress_anxiety"]),
    ("no stress really", &[], &["stress_anxiety"]),
    ("im pretty relaxed", &[], &["stress_anxiety"]),
    // ── tense_shoulders ───────────────────────────────────────────────────
    ("my shoulders are up by my ears", &["tense_shoulders"], &[]),
    (
        "i clench my jaw",
        &["tense_shoulders"],
        &["!pain_spreads_to_jaw_or_arm"],
    ),
    (
        "grind my teeth at night",
        &["tense_shoulders"],
        &["!pain_at_rest_or_night"],
    ),
    ("shoulders always tense", &["tense_shoulders"], &[]),
    (
        "i hold all my tension in my shoulders",
        &["tense_shoulders"],
        &[],
    ),
    ("bruxism", &["tense_shoulders"], &[]),
    ("i dont clench my jaw", &[], &["tense_shoulders"]),
    ("my shoulders are relaxed", &[], &["tense_shoulders"]),
    // ── poor_sleep ────────────────────────────────────────────────────────
    ("barely sleeping", &["poor_sleep"], &[]),
    ("only sleeping 4 hours a night", &["poor_sleep"], &[]),
    ("insomnia", &["poor_sleep"], &[]),
    ("sleep has been terrible", &["poor_sleep"], &[]),
    ("up all night with the baby", &["poor_sleep"], &[]),
    ("not getting enough sleep", &["poor_sleep"], &[]),
    ("restless nights", &["poor_sleep"], &[]),
    ("i sleep well", &[], &["poor_sleep"]),
    ("sleeping fine", &[], &["poor_sleep"]),
    ("no trouble sleeping", &[], &["poor_sleep"]),
    // ── tension_headache ──────────────────────────────────────────────────
    ("tension headaches", &["tension_headache"], &[]),
    (
        "headache at the back of my head",
        &["tension_headache"],
        &[],
    ),
    (
        "feels like a tight band around my head",
        &["tension_headache"],
        &[],
    ),
    ("i get headaches from my neck", &["tension_headache"], &[]),
    ("constant headach", &["tension_headache"], &[]),
    ("my head is pounding", &["tension_headache"], &[]),
    ("no headaches", &[], &["tension_headache"]),
    ("i dont get headaches", &[], &["tension_headache"]),
    // ── known_disc_or_stenosis ────────────────────────────────────────────
    ("i have a herniated disc", &["known_disc_or_stenosis"], &[]),
    ("bulging disc in my neck", &["known_disc_or_stenosis"], &[]),
    (
        "diagnosed with spinal stenosis",
        &["known_disc_or_stenosis"],
        &[],
    ),
    (
        "ive got a slipped disc at c6",
        &["known_disc_or_stenosis"],
        &[],
    ),
    (
        "mri showed a disc protrusion",
        &["known_disc_or_stenosis"],
        &[],
    ),
    (
        "degenerative disc disease",
        &["known_disc_or_stenosis"],
        &[],
    ),
    (
        "had a herniated disc in 2019",
        &["known_disc_or_stenosis"],
        &[],
    ),
    ("herniated disk", &["known_disc_or_stenosis"], &[]),
    ("no disc problems", &[], &["known_disc_or_stenosis"]),
    (
        "never been diagnosed with a herniated disc",
        &[],
        &["known_disc_or_stenosis"],
    ),
    (
        "mri showed no disc herniation",
        &[],
        &["known_disc_or_stenosis"],
    ),
    // ── radiating_pain ────────────────────────────────────────────────────
    ("it shoots down my arm", &["radiating_pain"], &[]),
    ("radiates into my hand", &["radiating_pain"], &[]),
    (
        "pain goes down my right arm",
        &["radiating_pain"],
        &["!pain_spreads_to_jaw_or_arm"],
    ),
    ("shooting pain into my fingers", &["radiating_pain"], &[]),
    ("it wraps around to the front", &["radiating_pain"], &[]),
    ("electric shock down my arm", &["radiating_pain"], &[]),
    ("the pain travels down my arm", &["radiating_pain"], &[]),
    ("doesn't radiate", &[], &["radiating_pain"]),
    ("no radiating pain", &[], &["radiating_pain"]),
    ("it doesnt go down my arms", &[], &["radiating_pain"]),
    ("it stays in one spot", &[], &["radiating_pain"]),
    // ── worse_with_cough_sneeze ───────────────────────────────────────────
    ("it hurts when i sneeze", &["worse_with_cough_sneeze"], &[]),
    (
        "coughing sends a jolt through my back",
        &["worse_with_cough_sneeze"],
        &[],
    ),
    ("sneezing is agony", &["worse_with_cough_sneeze"], &[]),
    ("coughing makes it worse", &["worse_with_cough_sneeze"], &[]),
    (
        "every time i cough it kills",
        &["worse_with_cough_sneeze"],
        &[],
    ),
    (
        "hurts to cough or sneeze",
        &["worse_with_cough_sneeze"],
        &[],
    ),
    (
        "coughing doesn't make it worse",
        &[],
        &["worse_with_cough_sneeze"],
    ),
    ("no pain when i cough", &[], &["worse_with_cough_sneeze"]),
    // ── neck_movement_arm_symptoms ────────────────────────────────────────
    (
        "turning my head sends pain down my arm",
        &["neck_movement_arm_symptoms", "radiating_pain"],
        &[],
    ),
    (
        "when i look up my arm tingles",
        &["neck_movement_arm_symptoms", "tingling"],
        &[],
    ),
    (
        "tilting my head makes my fingers tingle",
        &["neck_movement_arm_symptoms", "tingling"],
        &[],
    ),
    (
        "moving my neck makes my arm hurt",
        &["neck_movement_arm_symptoms"],
        &[],
    ),
    (
        "bending my neck back sends shooting pain into my hand",
        &["neck_movement_arm_symptoms", "radiating_pain"],
        &[],
    ),
    (
        "moving my neck doesn't cause any arm symptoms",
        &[],
        &["neck_movement_arm_symptoms"],
    ),
    // ── low_fluid_intake ──────────────────────────────────────────────────
    ("i barely drink water", &["low_fluid_intake"], &[]),
    ("i dont drink enough water", &["low_fluid_intake"], &[]),
    ("hardly drank anything all day", &["low_fluid_intake"], &[]),
    ("i forget to drink", &["low_fluid_intake"], &[]),
    ("i only drink coffee", &["low_fluid_intake"], &[]),
    ("definitely dehydrated", &["low_fluid_intake"], &[]),
    ("i drink plenty of water", &[], &["low_fluid_intake"]),
    ("i stay well hydrated", &[], &["low_fluid_intake"]),
    ("drink lots of water", &[], &["low_fluid_intake"]),
    // ── heavy_sweating ────────────────────────────────────────────────────
    (
        "sweating buckets at the gym",
        &["heavy_sweating"],
        &["!sweating_nausea"],
    ),
    (
        "ran a half marathon in the heat",
        &["heavy_sweating"],
        &["!home_care_tried"],
    ),
    (
        "working outside in the heat all day",
        &["heavy_sweating"],
        &["!home_care_tried"],
    ),
    ("did hot yoga", &["heavy_sweating"], &[]),
    (
        "drenched in sweat after my run",
        &["heavy_sweating"],
        &["!sweating_nausea"],
    ),
    (
        "i sweat a lot at work",
        &["heavy_sweating"],
        &["!sweating_nausea"],
    ),
    ("no heavy sweating", &[], &["heavy_sweating"]),
    // ── cramps_elsewhere ──────────────────────────────────────────────────
    (
        "my calves cramp at night",
        &["cramps_elsewhere"],
        &["!upper_back_spasm", "!pain_at_rest_or_night"],
    ),
    ("leg cramps", &["cramps_elsewhere"], &["!upper_back_spasm"]),
    (
        "cramps in my feet",
        &["cramps_elsewhere"],
        &["!upper_back_spasm"],
    ),
    (
        "my hands cramp up",
        &["cramps_elsewhere"],
        &["!upper_back_spasm"],
    ),
    (
        "charley horse in my calf",
        &["cramps_elsewhere"],
        &["!upper_back_spasm"],
    ),
    ("calf cramps", &["cramps_elsewhere"], &[]),
    ("no cramps anywhere else", &[], &["cramps_elsewhere"]),
    ("no leg cramps", &[], &["cramps_elsewhere"]),
    // ── diuretic_or_laxative_use ──────────────────────────────────────────
    ("im on water pills", &["diuretic_or_laxative_use"], &[]),
    ("i take furosemide", &["diuretic_or_laxative_use"], &[]),
    (
        "take laxatives every day",
        &["diuretic_or_laxative_use"],
        &[],
    ),
    (
        "on a diuretic for my blood pressure",
        &["diuretic_or_laxative_use"],
        &[],
    ),
    ("taking lasix", &["diuretic_or_laxative_use"], &[]),
    ("on hctz", &["diuretic_or_laxative_use"], &[]),
    ("not on any water pills", &[], &["diuretic_or_laxative_use"]),
    ("no laxatives", &[], &["diuretic_or_laxative_use"]),
    // ── vomiting_or_diarrhea ──────────────────────────────────────────────
    ("had a stomach bug", &["vomiting_or_diarrhea"], &[]),
    ("diarrhea for two days", &["vomiting_or_diarrhea"], &[]),
    ("diahrea since tuesday", &["vomiting_or_diarrhea"], &[]),
    ("diarrhoea", &["vomiting_or_diarrhea"], &[]),
    ("had food poisoning", &["vomiting_or_diarrhea"], &[]),
    ("loose stools", &["vomiting_or_diarrhea"], &[]),
    (
        "been throwing up",
        &["vomiting_or_diarrhea", "abdominal_symptoms"],
        &[],
    ),
    ("no vomiting or diarrhea", &[], &["vomiting_or_diarrhea"]),
    ("no diarrhoea", &[], &["vomiting_or_diarrhea"]),
    // ── high_alcohol_intake ───────────────────────────────────────────────
    ("i drink a lot", &["high_alcohol_intake"], &[]),
    ("a bottle of wine a night", &["high_alcohol_intake"], &[]),
    ("6 beers a night", &["high_alcohol_intake"], &[]),
    ("heavy drinker", &["high_alcohol_intake"], &[]),
    ("binge drinking on weekends", &["high_alcohol_intake"], &[]),
    ("i drink too much", &["high_alcohol_intake"], &[]),
    ("i drink alcohol every day", &["high_alcohol_intake"], &[]),
    ("i dont drink alcohol", &[], &["high_alcohol_intake"]),
    ("im teetotal", &[], &["high_alcohol_intake"]),
    // ── fever ─────────────────────────────────────────────────────────────
    ("running a fever", &["fever"], &[]),
    ("temp of 101", &["fever"], &[]),
    ("feverish", &["fever"], &[]),
    ("ive got a temperature", &["fever"], &[]),
    ("temp is 38.5", &["fever"], &[]),
    ("febrile", &["fever"], &[]),
    ("i have a fevar", &["fever"], &[]),
    ("burning up and shivering", &["fever", "chills"], &[]),
    ("no fever", &[], &["fever"]),
    ("denies fever", &[], &["fever"]),
    ("temperature normal", &[], &["fever"]),
    ("afebrile", &[], &["fever"]),
    ("fever - none", &[], &["fever"]),
    ("havent had a fever", &[], &["fever"]),
    ("no temp", &[], &["fever"]),
    // ── chills ────────────────────────────────────────────────────────────
    ("shaking chills", &["chills"], &[]),
    ("got the chills", &["chills"], &[]),
    ("shivering all night", &["chills"], &[]),
    ("rigors", &["chills"], &[]),
    ("chils and sweats", &["chills"], &[]),
    ("teeth chattering", &["chills"], &[]),
    ("no chills", &[], &["chills"]),
    ("no shivering", &[], &["chills"]),
    // ── weight_loss_unexplained ───────────────────────────────────────────
    (
        "lost 10 pounds without trying",
        &["weight_loss_unexplained"],
        &[],
    ),
    (
        "lost weight for no reason",
        &["weight_loss_unexplained"],
        &[],
    ),
    (
        "dropped a stone without dieting",
        &["weight_loss_unexplained"],
        &[],
    ),
    (
        "my clothes are getting loose",
        &["weight_loss_unexplained"],
        &[],
    ),
    (
        "unintentional weight loss",
        &["weight_loss_unexplained"],
        &[],
    ),
    ("lost 5kg in a month", &["weight_loss_unexplained"], &[]),
    ("no weight loss", &[], &["weight_loss_unexplained"]),
    ("weight is stable", &[], &["weight_loss_unexplained"]),
    ("havent lost any weight", &[], &["weight_loss_unexplained"]),
    (
        "i lost weight on purpose",
        &[],
        &["weight_loss_unexplained"],
    ),
    // ── numbness ──────────────────────────────────────────────────────────
    ("my hand goes numb", &["numbness"], &[]),
    ("numbness in my fingers", &["numbness"], &[]),
    ("numbnes in my arm", &["numbness"], &[]),
    ("cant feel my fingertips", &["numbness"], &[]),
    ("my arm feels dead", &["numbness"], &[]),
    ("numb patch on my forearm", &["numbness"], &[]),
    ("loss of sensation in my hand", &["numbness"], &[]),
    ("no feeling in my thumb", &["numbness"], &[]),
    ("my foot keeps going numb", &["numbness"], &[]),
    ("no numbness", &[], &["numbness"]),
    ("denies numbness", &[], &["numbness"]),
    ("numbness - none", &[], &["numbness"]),
    ("without any numbness", &[], &["numbness"]),
    ("i dont have any numbness", &[], &["numbness"]),
    ("no numbess or tingeling", &[], &["numbness", "tingling"]),
    // ── tingling ──────────────────────────────────────────────────────────
    ("pins and needles in my fingers", &["tingling"], &[]),
    (
        "pins n needles down my arm",
        &["tingling", "radiating_pain"],
        &[],
    ),
    ("tingeling in my fingers", &["tingling"], &[]),
    ("tingly hands", &["tingling"], &[]),
    ("my fingers tingle", &["tingling"], &[]),
    ("buzzing in my hand", &["tingling"], &[]),
    ("prickly feeling in my fingers", &["tingling"], &[]),
    ("paresthesias in the right hand", &["tingling"], &[]),
    ("no tingling", &[], &["tingling"]),
    ("no pins and needles", &[], &["tingling"]),
    ("denies tingling", &[], &["tingling"]),
    // ── limb_weakness ─────────────────────────────────────────────────────
    ("my arm feels weak", &["limb_weakness"], &[]),
    ("weakness in my left hand", &["limb_weakness"], &[]),
    ("keep dropping things", &["limb_weakness"], &[]),
    ("cant grip properly", &["limb_weakness"], &[]),
    ("my grip is weak", &["limb_weakness"], &[]),
    ("my leg gives out", &["limb_weakness"], &[]),
    ("cant lift my arm above my head", &["limb_weakness"], &[]),
    ("my arm has no strength", &["limb_weakness"], &[]),
    ("no weakness", &[], &["limb_weakness"]),
    ("strength is fine", &[], &["limb_weakness"]),
    ("no arm or leg weakness", &[], &["limb_weakness"]),
    // ── bowel_bladder_dysfunction ─────────────────────────────────────────
    (
        "cant control my bladder",
        &["bowel_bladder_dysfunction"],
        &[],
    ),
    ("i wet myself", &["bowel_bladder_dysfunction"], &[]),
    ("cant pee", &["bowel_bladder_dysfunction"], &[]),
    (
        "peed myself without realising",
        &["bowel_bladder_dysfunction"],
        &[],
    ),
    (
        "lost control of my bowels",
        &["bowel_bladder_dysfunction"],
        &[],
    ),
    (
        "i couldnt hold my bladder",
        &["bowel_bladder_dysfunction"],
        &[],
    ),
    (
        "havent been able to pee since last night",
        &["bowel_bladder_dysfunction"],
        &[],
    ),
    (
        "having accidents with my bladder",
        &["bowel_bladder_dysfunction"],
        &[],
    ),
    (
        "can't empty my bladder",
        &["bowel_bladder_dysfunction"],
        &[],
    ),
    ("incontinent of urine", &["bowel_bladder_dysfunction"], &[]),
    (
        "pooped my pants without feeling it",
        &["bowel_bladder_dysfunction"],
        &[],
    ),
    (
        "no problems with my bladder or bowels",
        &[],
        &["bowel_bladder_dysfunction"],
    ),
    (
        "bladder and bowels are fine",
        &[],
        &["bowel_bladder_dysfunction"],
    ),
    ("no incontinence", &[], &["bowel_bladder_dysfunction"]),
    ("peeing normally", &[], &["bowel_bladder_dysfunction"]),
    // ── saddle_numbness ───────────────────────────────────────────────────
    ("numb down there", &["saddle_numbness"], &[]),
    ("numbness in my groin", &["saddle_numbness"], &[]),
    ("cant feel when i wipe", &["saddle_numbness"], &[]),
    ("my bum is numb", &["saddle_numbness"], &[]),
    (
        "numb between my legs",
        &["saddle_numbness"],
        &["!both_legs_affected"],
    ),
    ("saddle area feels numb", &["saddle_numbness"], &[]),
    ("no numbness in the groin", &[], &["saddle_numbness"]),
    ("no saddle numbness", &[], &["saddle_numbness"]),
    // ── both_legs_affected ────────────────────────────────────────────────
    (
        "both my legs are tingling",
        &["both_legs_affected", "tingling"],
        &[],
    ),
    (
        "both legs feel weak",
        &["both_legs_affected", "limb_weakness"],
        &[],
    ),
    (
        "numbness in both legs",
        &["both_legs_affected", "numbness"],
        &[],
    ),
    ("pain down both legs", &["both_legs_affected"], &[]),
    (
        "my legs are both numb",
        &["both_legs_affected", "numbness"],
        &[],
    ),
    (
        "tingling in both feet",
        &["both_legs_affected", "tingling"],
        &[],
    ),
    (
        "bilateral leg numbness",
        &["both_legs_affected", "numbness"],
        &[],
    ),
    (
        "my legs have gone numb",
        &["both_legs_affected", "numbness"],
        &[],
    ),
    ("both legs are fine", &[], &["both_legs_affected"]),
    ("nothing in either leg", &[], &["!both_legs_affected"]),
    // ── back_lump_or_deformity ────────────────────────────────────────────
    (
        "theres a lump on my spine",
        &["back_lump_or_deformity"],
        &[],
    ),
    (
        "a bump sticking out of my back",
        &["back_lump_or_deformity"],
        &[],
    ),
    (
        "swelling on my upper back",
        &["back_lump_or_deformity"],
        &[],
    ),
    (
        "my spine looks curved now",
        &["back_lump_or_deformity"],
        &[],
    ),
    (
        "a hard lump next to my spine",
        &["back_lump_or_deformity"],
        &[],
    ),
    (
        "my back has changed shape",
        &["back_lump_or_deformity"],
        &[],
    ),
    (
        "new hump on my upper back",
        &["back_lump_or_deformity"],
        &[],
    ),
    ("no lump or swelling", &[], &["back_lump_or_deformity"]),
    ("no lumps", &[], &["back_lump_or_deformity"]),
    // ── gait_disturbance ──────────────────────────────────────────────────
    ("i keep stumbling", &["gait_disturbance"], &[]),
    (
        "my legs feel like jelly",
        &["gait_disturbance"],
        &["!both_legs_affected"],
    ),
    ("walking like im drunk", &["gait_disturbance"], &[]),
    ("cant walk straight", &["gait_disturbance"], &[]),
    ("unsteady on my feet", &["gait_disturbance"], &[]),
    ("my balance is off", &["gait_disturbance"], &[]),
    (
        "tripping over my own feet",
        &["gait_disturbance"],
        &["!minor_fall_or_whiplash"],
    ),
    (
        "my legs wont do what i tell them",
        &["gait_disturbance"],
        &[],
    ),
    ("walking is fine", &[], &["gait_disturbance"]),
    ("no trouble walking", &[], &["gait_disturbance"]),
    ("balance is fine", &[], &["gait_disturbance"]),
    // ── significant_trauma ────────────────────────────────────────────────
    ("car crash on the motorway", &["significant_trauma"], &[]),
    ("was in a car accident", &["significant_trauma"], &[]),
    ("fell off a ladder", &["significant_trauma"], &[]),
    ("fell down the stairs", &["significant_trauma"], &[]),
    ("fell off the roof", &["significant_trauma"], &[]),
    (
        "got tackled hard playing rugby",
        &["significant_trauma"],
        &[],
    ),
    ("hit by a car", &["significant_trauma"], &[]),
    ("motorcycle accident", &["significant_trauma"], &[]),
    ("head on collision", &["significant_trauma"], &[]),
    (
        "fell about 10 feet onto concrete",
        &["significant_trauma"],
        &[],
    ),
    ("thrown from a horse", &["significant_trauma"], &[]),
    ("no accident or injury", &[], &["significant_trauma"]),
    ("no trauma", &[], &["significant_trauma"]),
    (
        "havent had any fall or accident",
        &[],
        &["significant_trauma", "minor_fall_or_whiplash"],
    ),
    // ── chest_pain ────────────────────────────────────────────────────────
    ("chest pain", &["chest_pain"], &[]),
    ("pressure in my chest", &["chest_pain"], &[]),
    ("my chest feels tight and heavy", &["chest_pain"], &[]),
    ("squeezing feeling in my chest", &["chest_pain"], &[]),
    ("tightness across my chest", &["chest_pain"], &[]),
    ("crushing feeling in my chest", &["chest_pain"], &[]),
    ("pain in the centre of my chest", &["chest_pain"], &[]),
    ("sharp pain in my chest", &["chest_pain"], &[]),
    (
        "feels like an elephant sitting on my chest",
        &["chest_pain"],
        &[],
    ),
    ("chest hurts", &["chest_pain"], &[]),
    ("no chest pain", &[], &["chest_pain"]),
    ("denies chest pain", &[], &["chest_pain"]),
    ("no pain in my chest", &[], &["chest_pain"]),
    ("without chest pain", &[], &["chest_pain"]),
    // ── pain_spreads_to_jaw_or_arm ────────────────────────────────────────
    (
        "the pain goes into my jaw",
        &["pain_spreads_to_jaw_or_arm"],
        &[],
    ),
    (
        "spreads to my left arm",
        &["pain_spreads_to_jaw_or_arm"],
        &[],
    ),
    (
        "radiates up into my jaw",
        &["pain_spreads_to_jaw_or_arm"],
        &[],
    ),
    ("my jaw aches too", &["pain_spreads_to_jaw_or_arm"], &[]),
    (
        "pain down my left arm",
        &["pain_spreads_to_jaw_or_arm", "radiating_pain"],
        &[],
    ),
    ("left arm pain", &["pain_spreads_to_jaw_or_arm"], &[]),
    ("no jaw pain", &[], &["pain_spreads_to_jaw_or_arm"]),
    (
        "it doesnt go into my jaw",
        &[],
        &["pain_spreads_to_jaw_or_arm"],
    ),
    // ── sweating_nausea ───────────────────────────────────────────────────
    ("im sweating", &["sweating_nausea"], &[]),
    ("cold sweat", &["sweating_nausea"], &[]),
    ("clammy and sick", &["sweating_nausea"], &[]),
    ("feeling nausious", &["sweating_nausea"], &[]),
    ("light-headed", &["sweating_nausea"], &[]),
    ("queasy", &["sweating_nausea"], &[]),
    (
        "feel like im going to throw up",
        &["sweating_nausea"],
        &["!abdominal_symptoms", "!vomiting_or_diarrhea"],
    ),
    ("no nausea", &[], &["sweating_nausea"]),
    ("not sweating", &[], &["sweating_nausea"]),
    ("no nausea or sweating", &[], &["sweating_nausea"]),
    // ── shortness_of_breath ───────────────────────────────────────────────
    ("cant catch my breath", &["shortness_of_breath"], &[]),
    ("short of breath", &["shortness_of_breath"], &[]),
    ("SOB", &["shortness_of_breath"], &[]),
    ("breathless", &["shortness_of_breath"], &[]),
    ("struggling to breathe", &["shortness_of_breath"], &[]),
    ("i get winded easily now", &["shortness_of_breath"], &[]),
    ("cant get enough air", &["shortness_of_breath"], &[]),
    ("no shortness of breath", &[], &["shortness_of_breath"]),
    ("breathing fine", &[], &["shortness_of_breath"]),
    ("no trouble breathing", &[], &["shortness_of_breath"]),
    ("not short of breath", &[], &["shortness_of_breath"]),
    // ── tearing_pain ──────────────────────────────────────────────────────
    ("tearing pain", &["tearing_pain"], &[]),
    ("felt like something ripped", &["tearing_pain"], &[]),
    ("ripping pain through to my back", &["tearing_pain"], &[]),
    ("worst pain of my life", &["tearing_pain"], &[]),
    ("worst pain ive ever felt", &["tearing_pain"], &[]),
    ("it felt like something tore inside", &["tearing_pain"], &[]),
    ("no tearing pain", &[], &["tearing_pain"]),
    ("not a tearing feeling", &[], &["tearing_pain"]),
    // ── coughing_blood ────────────────────────────────────────────────────
    ("coughing up blood", &["coughing_blood"], &[]),
    (
        "blood when i cough",
        &["coughing_blood"],
        &["!worse_with_cough_sneeze"],
    ),
    ("coughed up some blood", &["coughing_blood"], &[]),
    ("bloody phlegm", &["coughing_blood"], &[]),
    ("spitting up blood", &["coughing_blood"], &[]),
    ("hemoptysis", &["coughing_blood"], &[]),
    ("no blood when i cough", &[], &["coughing_blood"]),
    ("not coughing up blood", &[], &["coughing_blood"]),
    // ── fainting ──────────────────────────────────────────────────────────
    ("i passed out", &["fainting"], &[]),
    ("fainted", &["fainting"], &[]),
    ("nearly blacked out", &["fainting"], &[]),
    ("felt like i was going to pass out", &["fainting"], &[]),
    ("collapsed in the kitchen", &["fainting"], &[]),
    ("everything went black", &["fainting"], &[]),
    ("felt faint", &["fainting"], &[]),
    ("havent fainted", &[], &["fainting"]),
    ("no fainting", &[], &["fainting"]),
    // ── cancer_history ────────────────────────────────────────────────────
    ("i had breast cancer in 2019", &["cancer_history"], &[]),
    ("history of prostate cancer", &["cancer_history"], &[]),
    ("im a cancer survivor", &["cancer_history"], &[]),
    ("treated for lymphoma", &["cancer_history"], &[]),
    ("had a melanoma removed", &["cancer_history"], &[]),
    ("in remission from leukemia", &["cancer_history"], &[]),
    ("i had cancer years ago", &["cancer_history"], &[]),
    ("no history of cancer", &[], &["cancer_history"]),
    ("never had cancer", &[], &["cancer_history"]),
    ("no cancer", &[], &["cancer_history"]),
    // ── immunosuppression ─────────────────────────────────────────────────
    ("im on chemo", &["immunosuppression"], &[]),
    ("i had a kidney transplant", &["immunosuppression"], &[]),
    ("on immunosuppressants", &["immunosuppression"], &[]),
    ("hiv positive", &["immunosuppression"], &[]),
    ("on methotrexate", &["immunosuppression"], &[]),
    (
        "weakened immune system",
        &["immunosuppression"],
        &["!limb_weakness"],
    ),
    ("on biologics for my crohns", &["immunosuppression"], &[]),
    ("not on any immunosuppressants", &[], &["immunosuppression"]),
    ("no chemo", &[], &["immunosuppression"]),
    // ── iv_drug_use ───────────────────────────────────────────────────────
    ("i inject heroin", &["iv_drug_use"], &[]),
    ("iv drug user", &["iv_drug_use"], &[]),
    ("i shoot up", &["iv_drug_use"], &[]),
    ("injecting drugs", &["iv_drug_use"], &[]),
    ("i use iv drugs", &["iv_drug_use"], &[]),
    ("no iv drug use", &[], &["iv_drug_use"]),
    ("never injected drugs", &[], &["iv_drug_use"]),
    // ── recent_infection_or_spinal_procedure ──────────────────────────────
    (
        "had a spinal injection last week",
        &["recent_infection_or_spinal_procedure"],
        &[],
    ),
    (
        "had an epidural 2 weeks ago",
        &["recent_infection_or_spinal_procedure"],
        &[],
    ),
    (
        "back surgery 3 weeks ago",
        &["recent_infection_or_spinal_procedure"],
        &[],
    ),
    (
        "recovering from pneumonia",
        &["recent_infection_or_spinal_procedure"],
        &[],
    ),
    (
        "just finished antibiotics for a bad infection",
        &["recent_infection_or_spinal_procedure"],
        &[],
    ),
    ("had sepsis", &["recent_infection_or_spinal_procedure"], &[]),
    (
        "had a facet joint injection",
        &["recent_infection_or_spinal_procedure"],
        &[],
    ),
    (
        "no recent infections",
        &[],
        &["recent_infection_or_spinal_procedure"],
    ),
    (
        "havent had any back surgery",
        &[],
        &["recent_infection_or_spinal_procedure"],
    ),
    // ── osteoporosis_or_steroids ──────────────────────────────────────────
    ("i have osteoporosis", &["osteoporosis_or_steroids"], &[]),
    ("osteopenia", &["osteoporosis_or_steroids"], &[]),
    (
        "been on prednisone for 6 months",
        &["osteoporosis_or_steroids", "immunosuppression"],
        &[],
    ),
    (
        "take steroid tablets long term",
        &["osteoporosis_or_steroids", "immunosuppression"],
        &[],
    ),
    ("brittle bones", &["osteoporosis_or_steroids"], &[]),
    ("low bone density", &["osteoporosis_or_steroids"], &[]),
    ("no osteoporosis", &[], &["osteoporosis_or_steroids"]),
    (
        "bone density scan was normal",
        &[],
        &["osteoporosis_or_steroids"],
    ),
    ("not on steroids", &[], &["osteoporosis_or_steroids"]),
    // ── band_rash ─────────────────────────────────────────────────────────
    ("rash in a band around my side", &["band_rash"], &[]),
    ("i think i have shingles", &[], &["?band_rash"]),
    ("shingles", &["band_rash"], &[]),
    (
        "blistering rash on one side of my chest",
        &["band_rash"],
        &["!chest_pain"],
    ),
    ("painful blisters in a stripe", &["band_rash"], &[]),
    ("red rash wrapping around my ribs", &["band_rash"], &[]),
    ("rash across one side of my back", &["band_rash"], &[]),
    ("no rash", &[], &["band_rash"]),
    ("no rashes or blisters", &[], &["band_rash"]),
    ("skin looks normal", &[], &["band_rash"]),
    // ── abdominal_symptoms ────────────────────────────────────────────────
    (
        "pain under my right ribs after fatty food",
        &["abdominal_symptoms"],
        &[],
    ),
    ("stomach pain", &["abdominal_symptoms"], &[]),
    ("upper belly pain", &["abdominal_symptoms"], &[]),
    ("yellow eyes", &["abdominal_symptoms"], &[]),
    ("my skin looks yellow", &["abdominal_symptoms"], &[]),
    ("epigastric pain", &["abdominal_symptoms"], &[]),
    ("heartburn", &["abdominal_symptoms"], &["!chest_pain"]),
    ("no stomach pain", &[], &["abdominal_symptoms"]),
    ("tummy is fine", &[], &["abdominal_symptoms"]),
    // ── urinary_symptoms ──────────────────────────────────────────────────
    ("burning when i pee", &["urinary_symptoms"], &[]),
    ("blood in my urine", &["urinary_symptoms"], &[]),
    (
        "it hurts to pee",
        &["urinary_symptoms"],
        &["!bowel_bladder_dysfunction"],
    ),
    ("pain in my side near my kidney", &["urinary_symptoms"], &[]),
    ("flank pain", &["urinary_symptoms"], &[]),
    ("i think i have a uti", &[], &["?urinary_symptoms"]),
    ("uti", &["urinary_symptoms"], &[]),
    ("painful urination", &["urinary_symptoms"], &[]),
    ("stinging when i wee", &["urinary_symptoms"], &[]),
    ("no burning when i pee", &[], &["urinary_symptoms"]),
    ("no urinary symptoms", &[], &["urinary_symptoms"]),
    (
        "peeing is normal",
        &[],
        &["urinary_symptoms", "bowel_bladder_dysfunction"],
    ),
    // ── morning_stiffness ─────────────────────────────────────────────────
    (
        "stiff every morning for an hour",
        &["morning_stiffness"],
        &[],
    ),
    ("morning stiffness", &["morning_stiffness"], &[]),
    (
        "really stiff when i wake up, eases after a hot shower",
        &["morning_stiffness"],
        &[],
    ),
    (
        "takes an hour to loosen up in the morning",
        &["morning_stiffness"],
        &[],
    ),
    (
        "stiff first thing in the morning",
        &["morning_stiffness"],
        &[],
    ),
    ("no morning stiffness", &[], &["morning_stiffness"]),
    ("not stiff in the morning", &[], &["morning_stiffness"]),
    // ── context: negation before and after ────────────────────────────────
    (
        "denies fever, chills or weight loss",
        &[],
        &["fever", "chills", "weight_loss_unexplained"],
    ),
    (
        "without numbness or tingling",
        &[],
        &["numbness", "tingling"],
    ),
    ("never had chest pain", &[], &["chest_pain"]),
    ("don't have any tingling", &[], &["tingling"]),
    ("numbness — none", &[], &["numbness"]),
    ("fever: negative", &[], &["fever"]),
    (
        "i have no numbness, no tingling and no weakness",
        &[],
        &["numbness", "tingling", "limb_weakness"],
    ),
    ("free of fever", &[], &["fever"]),
    ("fever went away", &[], &["fever"]),
    // ── context: pseudo-triggers ──────────────────────────────────────────
    (
        "not only my back but also my chest hurts",
        &["chest_pain"],
        &[],
    ),
    ("no increase in numbness", &["numbness"], &[]),
    (
        "no doubt the pins and needles are getting worse",
        &["tingling"],
        &[],
    ),
    (
        "painkillers give no relief",
        &["home_care_tried"],
        &["improving"],
    ),
    // ── context: termination ──────────────────────────────────────────────
    ("no fever but i have chills", &["chills"], &["fever"]),
    (
        "no chest pain, however i feel short of breath",
        &["shortness_of_breath"],
        &["chest_pain"],
    ),
    (
        "no fever though my hands are numb",
        &["numbness"],
        &["fever"],
    ),
    (
        "no symptoms except tingling in my fingers",
        &["tingling"],
        &[],
    ),
    ("no fever. my hands are numb", &["numbness"], &["fever"]),
    (
        "no numbness; pins and needles in my left hand",
        &["tingling"],
        &["numbness"],
    ),
    (
        "nothing else apart from a tingling in my thumb",
        &["tingling"],
        &[],
    ),
    // ── context: uncertainty → neither present nor absent ─────────────────
    ("might have a fever", &[], &["?fever"]),
    (
        "not sure if its numbness or just stiffness",
        &[],
        &["?numbness"],
    ),
    ("possibly some tingling", &[], &["?tingling"]),
    ("maybe a slight fever", &[], &["?fever"]),
    ("could be chest pain?", &[], &["?chest_pain"]),
    (
        "im not sure whether ive lost weight",
        &[],
        &["?weight_loss_unexplained"],
    ),
    // ── context: historical → not present ─────────────────────────────────
    ("i had a fever last year", &[], &["!fever"]),
    ("i used to get pins and needles", &[], &["!tingling"]),
    ("years ago i had chest pain", &[], &["!chest_pain"]),
    ("history of kidney stones", &[], &["!urinary_symptoms"]),
    ("i had a fever last year but none now", &[], &["fever"]),
    ("i fainted as a teenager", &[], &["!fainting"]),
    ("i had shingles in 2015", &[], &["!band_rash"]),
    // history by nature stays present
    (
        "i had a slipped disc years ago",
        &["known_disc_or_stenosis"],
        &[],
    ),
    (
        "history of osteoporosis",
        &["osteoporosis_or_steroids"],
        &[],
    ),
    ("i had lymphoma as a kid", &["cancer_history"], &[]),
    (
        "breast cancer in 2015, all clear since",
        &["cancer_history"],
        &[],
    ),
    // ── context: hypothetical → not present ───────────────────────────────
    ("if i get numbness i'll go to the er", &[], &["!numbness"]),
    ("in case of chest pain call 999", &[], &["!chest_pain"]),
    ("what should i watch for, fever?", &[], &["!fever"]),
    (
        "should i worry about losing bladder control",
        &[],
        &["!bowel_bladder_dysfunction"],
    ),
    (
        "what if i start coughing up blood",
        &[],
        &["!coughing_blood"],
    ),
    (
        "the doctor said to look out for numbness in my legs",
        &[],
        &["!numbness"],
    ),
    // ── context: experiencer → not present ────────────────────────────────
    (
        "my father had spinal stenosis and i have a spasm in my upper back",
        &["upper_back_spasm"],
        &["!known_disc_or_stenosis"],
    ),
    (
        "my mom has osteoporosis but i dont",
        &[],
        &["!osteoporosis_or_steroids"],
    ),
    (
        "family history of cancer. i have a knot in my back",
        &["muscle_knot"],
        &["!cancer_history"],
    ),
    (
        "my brother had a herniated disc, i just have spasms",
        &["upper_back_spasm"],
        &["!known_disc_or_stenosis"],
    ),
    (
        "my sister had shingles last month. i am worried",
        &["stress_anxiety"],
        &["!band_rash"],
    ),
    (
        "in my family there is a lot of cancer",
        &[],
        &["!cancer_history"],
    ),
    // ── writing for someone else: that person is the patient ─────────────
    (
        "my mom, 72, has upper back spasms and a fever",
        &["upper_back_spasm", "fever"],
        &[],
    ),
    (
        "my dad (80) has osteoporosis and slipped on the ice",
        &["osteoporosis_or_steroids", "minor_fall_or_whiplash"],
        &[],
    ),
    (
        "my husband has a spasm between his shoulder blades and his arm is numb",
        &["upper_back_spasm", "numbness"],
        &[],
    ),
    (
        "my daughter is 16 and her upper back keeps cramping",
        &["upper_back_spasm"],
        &[],
    ),
    // ── false-positive guards ─────────────────────────────────────────────
    (
        "my chest muscles feel tight when i stretch",
        &["tight_chest_muscles"],
        &["!chest_pain"],
    ),
    (
        "i do chest stretches every morning",
        &[],
        &["!chest_pain", "!morning_stiffness"],
    ),
    ("i sleep on my side", &[], &[]),
    (
        "i stretch my legs every hour",
        &[],
        &["!both_legs_affected"],
    ),
    ("my legs are fine", &[], &["!both_legs_affected"]),
    (
        "walked my dog in the heat",
        &["heavy_sweating"],
        &["!home_care_tried"],
    ),
    (
        "slipped on the ice",
        &["minor_fall_or_whiplash"],
        &["!home_care_tried"],
    ),
    (
        "pain between my shoulder blades",
        &[],
        &["!upper_back_spasm"],
    ),
    ("the office temperature is freezing", &[], &["!fever"]),
    ("i can only turn my head about 45 degrees", &[], &["!fever"]),
    (
        "54F with upper back spasm",
        &["upper_back_spasm"],
        &["!fever"],
    ),
    (
        "my computer crashed and i lost a days work",
        &["screen_work"],
        &["!significant_trauma"],
    ),
    (
        "a faint ache between my shoulder blades",
        &[],
        &["!fainting"],
    ),
    (
        "i keep tearing up from the stress",
        &["stress_anxiety"],
        &["!tearing_pain"],
    ),
    (
        "my phone keeps buzzing with work emails",
        &[],
        &["!tingling"],
    ),
    (
        "water retention in my ankles",
        &[],
        &["!bowel_bladder_dysfunction"],
    ),
    (
        "i have good bladder control",
        &[],
        &["!bowel_bladder_dysfunction"],
    ),
    ("blood test was normal", &[], &["!coughing_blood"]),
    ("im sick of this pain", &[], &["!sweating_nausea"]),
    (
        "i have high speed internet at home",
        &[],
        &["!significant_trauma"],
    ),
    ("the rest of my body feels fine", &[], &["!home_care_tried"]),
    (
        "heat rash from the gym",
        &[],
        &["!band_rash", "!home_care_tried"],
    ),
    ("i play the drums", &[], &[]),
    ("i sit on a yoga ball", &[], &[]),
    ("i feel it when i breathe in deeply", &[], &[]),
    // ── realistic messages: several findings at once ──────────────────────
    ("been having spasms in my upper back for about a week, worse when i sit at my desk, no numbness or tingling", &["upper_back_spasm", "worse_after_sitting", "screen_work"], &["numbness", "tingling"]),
    ("my traps are rock hard and i get headaches most afternoons, super stressed with work", &["upper_back_spasm", "tension_headache", "stress_anxiety"], &[]),
    ("pulled something in my upper back deadlifting yesterday, it seized up straight away", &["heavy_lifting", "upper_back_spasm", "started_during_activity"], &[]),
    ("hi, 45f, muscle spasm under my right shoulder blade since saturday. ibuprofen helps a bit", &["upper_back_spasm", "home_care_tried"], &[]),
    ("spasm in upper back. also feel really dizzy and sweaty", &["upper_back_spasm", "sweating_nausea"], &[]),
    ("sharp pain between shoulder blades and my chest feels heavy", &["chest_pain"], &[]),
    ("back pain between my shoulder blades with a squeezing in my chest, feeling sick", &["chest_pain", "sweating_nausea"], &[]),
    ("the pain goes into my jaw and left arm and im clammy", &["pain_spreads_to_jaw_or_arm", "sweating_nausea"], &[]),
    ("upper back spasm after a fall down the stairs last night, my legs are tingling", &["upper_back_spasm", "significant_trauma", "both_legs_affected", "tingling"], &[]),
    ("i cant wee and my bum feels numb, back is killing me", &["bowel_bladder_dysfunction", "saddle_numbness"], &[]),
    ("spasms between my shoulder blades, had a bit of a temperature yesterday and shivery", &["upper_back_spasm", "fever", "chills"], &[]),
    ("upper back spasms. i'm on prednisone for my arthritis and have been for a year", &["upper_back_spasm", "osteoporosis_or_steroids", "immunosuppression"], &[]),
    ("had a slipped disc in my neck years ago, now pins and needles in my thumb", &["known_disc_or_stenosis", "tingling"], &[]),
    ("i'm a nurse, lift patients all day, upper back went into spasm at work", &["heavy_lifting", "upper_back_spasm"], &[]),
    ("mid back spasm. been coughing a lot with a chest infection and every cough hurts", &["upper_back_spasm", "recent_infection_or_spinal_procedure", "worse_with_cough_sneeze"], &[]),
    ("dull ache between shoulder blades for 3 months, lost about a stone without trying, sweats at night", &["weight_loss_unexplained"], &[]),
    ("upper back spasm, otherwise well. no chest pain, no shortness of breath, no fever, no weakness", &["upper_back_spasm"], &["chest_pain", "shortness_of_breath", "fever", "limb_weakness"]),
    ("denies bowel or bladder problems, denies saddle numbness", &[], &["bowel_bladder_dysfunction", "saddle_numbness"]),
    ("no weight loss, no fevers, no night pain", &[], &["weight_loss_unexplained", "fever", "pain_at_rest_or_night"]),
    ("No history of cancer, osteoporosis or steroid use.", &[], &["cancer_history", "osteoporosis_or_steroids"]),
    ("not diabetic, not on steroids, never used iv drugs", &[], &["osteoporosis_or_steroids", "iv_drug_use"]),
    ("i play cricket on weekends and bowled a lot on sunday, now my upper back is in spasm", &["swinging_sport", "upper_back_spasm"], &[]),
    ("spasm started after a game of squash", &["swinging_sport", "upper_back_spasm"], &[]),
    ("cramping in my upper back after moving house", &["upper_back_spasm", "heavy_lifting"], &[]),
    ("twinge between shoulder blades when i reached for the remote, now it keeps spasming", &["awkward_movement", "upper_back_spasm"], &[]),
    ("crappy chair and i work in a call centre 8 hours a day", &["screen_work", "poor_workstation"], &[]),
    ("student, studying on my bed with my laptop for hours", &["poor_workstation", "screen_work"], &[]),
    ("my neck pokes forward when i game and i'm hunched", &["forward_head_posture", "rounded_shoulders"], &[]),
    ("i've been so anxious my jaw is clenched all day and my shoulders are tight", &["stress_anxiety", "tense_shoulders"], &[]),
    ("since the baby came i get maybe 4 hours sleep", &["poor_sleep"], &[]),
    ("drank hardly any water during a 6 hour hike in the heat and my calves cramped", &["low_fluid_intake", "heavy_sweating", "cramps_elsewhere"], &["!upper_back_spasm"]),
    ("had gastro with vomiting and diarrhoea all weekend", &["vomiting_or_diarrhea"], &[]),
    ("i drink about 4 or 5 beers a night", &["high_alcohol_intake"], &[]),
    ("on furosemide for my heart", &["diuretic_or_laxative_use"], &[]),
    // ── red flags worded plainly ──────────────────────────────────────────
    ("my number one problem is the spasm, a number of things make it worse", &["upper_back_spasm"], &["!numbness"]),
    ("my child jumped on me and my back seized", &["upper_back_spasm"], &["!chills"]),
    ("i looked up and it locked", &["upper_back_spasm"], &[]),
    ("fewer spasms than yesterday", &["upper_back_spasm"], &["!fever"]),
    ("i was painting the ceiling all day", &["awkward_movement"], &["!fainting"]),
    ("heart is racing and i feel faint", &["fainting"], &["!home_care_tried"]),
    ("my arm went dead for a few minutes", &["numbness"], &[]),
    ("fingers feel fuzzy", &["tingling"], &[]),
    ("both hands tingle and my grip is weaker", &["tingling", "limb_weakness"], &[]),
    ("i keep dropping my phone", &["limb_weakness"], &[]),
    ("had an accident and wet myself this morning", &["bowel_bladder_dysfunction"], &["!significant_trauma"]),
    ("can't feel my bum on the toilet seat", &["saddle_numbness"], &[]),
    ("my legs feel weak and wobbly", &["both_legs_affected", "limb_weakness", "gait_disturbance"], &[]),
    ("weird swelling on my spine", &["back_lump_or_deformity"], &[]),
    ("i'm walking like a penguin and keep losing my balance", &["gait_disturbance"], &[]),
    ("was in a car accident on the highway", &["significant_trauma"], &[]),
    ("tight band across my chest", &["chest_pain"], &[]),
    ("pain wraps around my chest like a band", &["chest_pain", "radiating_pain"], &[]),
    ("crushing pain in my chest and upper back", &["chest_pain"], &[]),
    ("heaviness in my left arm", &["pain_spreads_to_jaw_or_arm", "limb_weakness"], &[]),
    ("breaking out in a cold sweat", &["sweating_nausea"], &[]),
    ("can't breathe properly", &["shortness_of_breath"], &[]),
    ("tearing feeling between my shoulder blades", &["tearing_pain"], &[]),
    ("i coughed up blood this morning", &["coughing_blood"], &[]),
    ("i blacked out for a second", &["fainting"], &[]),
    ("had bowel cancer 5 years ago", &["cancer_history"], &[]),
    ("i'm on chemotherapy for breast cancer", &["immunosuppression", "cancer_history"], &[]),
    ("i use heroin", &["iv_drug_use"], &[]),
    ("had a spinal fusion six weeks ago", &["recent_infection_or_spinal_procedure"], &[]),
    ("osteoporosis and i'm 78", &["osteoporosis_or_steroids"], &[]),
    ("a stripe of blisters round my left side", &["band_rash"], &[]),
    ("yellowish eyes and pale poo", &["abdominal_symptoms"], &[]),
    ("it burns when i pee and my side hurts", &["urinary_symptoms"], &[]),
    ("stiff as a board every morning for a good hour", &["morning_stiffness"], &[]),
    // ── denials said plainly ──────────────────────────────────────────────
    ("no numbness, no tingling, no weakness, bladder fine", &[], &["numbness", "tingling", "limb_weakness", "bowel_bladder_dysfunction"]),
    ("nothing like chest pain or breathlessness", &[], &["chest_pain", "shortness_of_breath"]),
    ("haven't passed out", &[], &["fainting"]),
    ("no blood in my urine", &[], &["urinary_symptoms"]),
    ("never smoked, never had cancer", &[], &["cancer_history"]),
    ("no trouble with my waterworks", &[], &["!bowel_bladder_dysfunction"]),
    ("zero numbness", &[], &["numbness"]),
    ("I do not have a fever", &[], &["fever"]),
    ("doesnt hurt to breathe and im not short of breath", &[], &["shortness_of_breath"]),
];

/// Values: (text, finding, expected value or "-" for not read). Numbers are compared exactly;
/// choices by name.
const VALUE_CASES: &[(&str, &str, &str)] = &[
    // duration_hours
    ("spasm for the past 3 days", "duration_hours", "72"),
    ("since last tuesday", "duration_hours", "72"),
    ("it started 3 days ago", "duration_hours", "72"),
    ("been going on a week and a half", "duration_hours", "252"),
    ("since the weekend", "duration_hours", "144"),
    ("for over a week", "duration_hours", "168"),
    ("for 2 wks", "duration_hours", "336"),
    ("for the last 48 hrs", "duration_hours", "48"),
    ("since yesterday", "duration_hours", "24"),
    ("since last night", "duration_hours", "12"),
    ("started this morning", "duration_hours", "6"),
    ("for about a month", "duration_hours", "720"),
    ("for a couple of days", "duration_hours", "48"),
    ("couple days now", "duration_hours", "48"),
    ("for a few days", "duration_hours", "72"),
    ("for 10 days", "duration_hours", "240"),
    ("for 6 weeks", "duration_hours", "1008"),
    ("since monday", "duration_hours", "96"),
    ("since Sunday", "duration_hours", "120"),
    ("for three days now", "duration_hours", "72"),
    ("its been 5 days", "duration_hours", "120"),
    ("for an hour", "duration_hours", "1"),
    ("since 2 days", "duration_hours", "48"),
    ("since last week", "duration_hours", "168"),
    ("about 10 days ago", "duration_hours", "240"),
    ("for a fortnight", "duration_hours", "336"),
    ("for a couple weeks", "duration_hours", "336"),
    ("past 3 months", "duration_hours", "2160"),
    ("for months", "duration_hours", "2160"),
    ("for weeks", "duration_hours", "336"),
    ("since the day before yesterday", "duration_hours", "48"),
    ("two and a half days", "duration_hours", "60"),
    ("for 3-4 days", "duration_hours", "96"),
    ("started 2 hrs ago", "duration_hours", "2"),
    // The episode's duration, not an earlier episode's, a break's or the recurrences' span.
    (
        "Three years ago I had the same thing and the numbness lasted a couple of weeks. This time it started yesterday.",
        "duration_hours",
        "24",
    ),
    (
        "I've had spasms on and off for years; this one started 3 days ago",
        "duration_hours",
        "72",
    ),
    ("it has been coming and going for 3 weeks", "duration_hours", "504"),
    (
        "back at the gym after 4 months off and it has hurt since yesterday",
        "duration_hours",
        "24",
    ),
    ("mid back spasm x 5 days", "duration_hours", "120"),
    (
        "for 2 days, worse for the last 3 hours",
        "duration_hours",
        "48",
    ),
    ("last 5 days", "duration_hours", "120"),
    ("since thursday", "duration_hours", "24"),
    ("3 days", "duration_hours", "72"),
    ("I sit 10 hours a day", "duration_hours", "-"),
    ("I'm 45 years old", "duration_hours", "-"),
    ("I had it 3 years ago", "duration_hours", "-"),
    ("moved furniture on saturday", "duration_hours", "-"),
    // pain_severity
    ("pain is 7 out of 10", "pain_severity", "7"),
    ("it's about a 6", "pain_severity", "6"),
    ("pain level 8", "pain_severity", "8"),
    ("10/10 pain", "pain_severity", "10"),
    ("8/10", "pain_severity", "8"),
    ("pain scale 7", "pain_severity", "7"),
    ("like a 9", "pain_severity", "9"),
    ("7 out of ten", "pain_severity", "7"),
    ("seven out of ten", "pain_severity", "7"),
    ("6-7/10", "pain_severity", "7"),
    ("9 on the pain scale", "pain_severity", "9"),
    ("pain score: 5", "pain_severity", "5"),
    ("excruciating", "pain_severity", "9"),
    ("just a mild ache", "pain_severity", "3"),
    ("unbearable", "pain_severity", "9"),
    ("severe pain", "pain_severity", "8"),
    ("3/10 at rest, 7/10 when i move", "pain_severity", "7"),
    ("I'm 54", "pain_severity", "-"),
    ("a 6 hour drive", "pain_severity", "-"),
    ("i sit 10 hours a day", "pain_severity", "-"),
    // age
    ("I'm 54 (F)", "age", "54"),
    ("54F, upper back spasm", "age", "54"),
    ("a 60 yo man", "age", "60"),
    ("aged 70", "age", "70"),
    ("34 year old", "age", "34"),
    ("im 29", "age", "29"),
    ("male 45", "age", "45"),
    ("45M here", "age", "45"),
    ("I am a 52 year old woman", "age", "52"),
    ("I'm 61 years old", "age", "61"),
    ("age 38", "age", "38"),
    ("63yo", "age", "63"),
    ("in my early 40s", "age", "42"),
    ("in my late fifties", "age", "58"),
    ("in my mid-30s", "age", "35"),
    ("my dad, 80, has back spasms", "age", "80"),
    ("just turned 50", "age", "50"),
    ("25 y/o", "age", "25"),
    ("(32M) desk worker", "age", "32"),
    ("42 yrs old", "age", "42"),
    ("F, 29", "age", "29"),
    ("I'm 5 days into this", "age", "-"),
    ("im 6 foot tall", "age", "-"),
    ("I'm 100% sure it's a spasm", "age", "-"),
    // sex
    ("I'm a woman", "sex", "female"),
    ("54F", "sex", "female"),
    ("a 60 yo man", "sex", "male"),
    ("male, 40", "sex", "male"),
    ("I'm a guy", "sex", "male"),
    ("(32M) desk worker", "sex", "male"),
    ("woman, 38", "sex", "female"),
    ("F, 29", "sex", "female"),
    ("45 year old female", "sex", "female"),
    ("I'm male", "sex", "male"),
    ("I'm female", "sex", "female"),
    ("I'm a 40 year old man", "sex", "male"),
    ("my mom (72) has upper back spasms", "sex", "female"),
    ("my wife says I slouch", "sex", "-"),
    // sitting_hours_per_day
    (
        "I sit at a desk 9-10 hrs a day",
        "sitting_hours_per_day",
        "10",
    ),
    ("I sit 10 hours a day", "sitting_hours_per_day", "10"),
    ("desk job", "sitting_hours_per_day", "8"),
    (
        "at my computer 12 hours a day",
        "sitting_hours_per_day",
        "12",
    ),
    (
        "I work 8 hour shifts at a desk",
        "sitting_hours_per_day",
        "8",
    ),
    ("sit for eight hours a day", "sitting_hours_per_day", "8"),
    (
        "about 10 hrs/day on the laptop",
        "sitting_hours_per_day",
        "10",
    ),
    (
        "I drive a truck 11 hours a day",
        "sitting_hours_per_day",
        "11",
    ),
    ("I sleep 6 hours a day", "sitting_hours_per_day", "-"),
    ("I walk 2 hours a day", "sitting_hours_per_day", "-"),
    // location
    (
        "spasm between my shoulderblades",
        "location",
        "between_shoulder_blades",
    ),
    (
        "in between the shoulder blades",
        "location",
        "between_shoulder_blades",
    ),
    (
        "right between my shoulders",
        "location",
        "between_shoulder_blades",
    ),
    (
        "pain between my sholder blades",
        "location",
        "between_shoulder_blades",
    ),
    ("interscapular pain", "location", "between_shoulder_blades"),
    (
        "between the scapulas",
        "location",
        "between_shoulder_blades",
    ),
    ("top of my shoulders", "location", "top_of_shoulders"),
    ("base of my neck", "location", "top_of_shoulders"),
    ("my traps are killing me", "location", "top_of_shoulders"),
    (
        "where my neck meets my shoulder",
        "location",
        "top_of_shoulders",
    ),
    (
        "under my left shoulder blade",
        "location",
        "one_side_upper_back",
    ),
    (
        "right side of my upper back",
        "location",
        "one_side_upper_back",
    ),
    (
        "next to my right shoulder blade",
        "location",
        "one_side_upper_back",
    ),
    (
        "just under the right scapula",
        "location",
        "one_side_upper_back",
    ),
    ("middle of my back", "location", "mid_back"),
    ("mid-back", "location", "mid_back"),
    ("at bra strap level", "location", "mid_back"),
    ("thoracic spine", "location", "mid_back"),
    ("wraps around my ribs", "location", "wraps_around_ribs"),
    ("around my ribcage", "location", "wraps_around_ribs"),
    ("along my ribs", "location", "wraps_around_ribs"),
    ("lower back", "location", "lower_back"),
    ("lumbar area", "location", "lower_back"),
    ("I sleep on my side", "location", "-"),
    ("lying on my right side hurts", "location", "-"),
];

fn now() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(NOW).expect("valid time")
}

/// What the reader made of a text, for failure messages.
fn describe(kb: &KnowledgeBase, evidence: &upperback_core::Evidence) -> String {
    let mut present = Vec::new();
    let mut absent = Vec::new();
    for (id, observation) in evidence.known() {
        let finding = kb.finding(id);
        match (&observation.value, &finding.kind) {
            (Value::Absent, _) => absent.push(finding.id.clone()),
            (Value::Number(n), _) => present.push(format!("{}={n}", finding.id)),
            (Value::Choice(c), FindingKind::Choice { choices }) => {
                present.push(format!("{}={}", finding.id, choices[*c as usize]))
            }
            _ => present.push(finding.id.clone()),
        }
    }
    format!("read present {present:?} absent {absent:?}")
}

/// Checks one case; `Err` says what went wrong.
fn check(kb: &KnowledgeBase, (text, present, absent): &Case) -> Result<(), String> {
    let reading = Reader::embedded()
        .read(kb, text, Some(&now()))
        .map_err(|e| format!("{text:?}: {e}"))?;
    let evidence = &reading.evidence;
    let status = |id: &str| {
        let finding = kb
            .finding_id(id)
            .unwrap_or_else(|| panic!("unknown finding `{id}` in case {text:?}"));
        evidence.status(finding)
    };
    let mut problems = Vec::new();
    for id in *present {
        if status(id) != Status::Present {
            problems.push(format!("{id} should be present"));
        }
    }
    for entry in *absent {
        if let Some(id) = entry.strip_prefix('!') {
            if status(id) == Status::Present {
                problems.push(format!("{id} should not be present"));
            }
        } else if let Some(id) = entry.strip_prefix('?') {
            if status(id) != Status::Unknown {
                problems.push(format!("{id} should be unknown"));
            }
        } else if status(entry) != Status::Absent {
            problems.push(format!("{entry} should be absent"));
        }
    }
    for (id, _) in evidence.known() {
        let finding = kb.finding(id);
        if finding.red_flag
            && evidence.status(id) == Status::Present
            && !present.contains(&finding.id.as_str())
        {
            problems.push(format!("red flag {} invented", finding.id));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{text:?}: {}; {}",
            problems.join(", "),
            describe(kb, evidence)
        ))
    }
}

fn check_value(
    kb: &KnowledgeBase,
    (text, id, expected): &(&str, &str, &str),
) -> Result<(), String> {
    let reading = Reader::embedded()
        .read(kb, text, Some(&now()))
        .map_err(|e| format!("{text:?}: {e}"))?;
    let finding = kb
        .finding_id(id)
        .unwrap_or_else(|| panic!("unknown finding `{id}`"));
    let read = match (
        reading.evidence.get(finding).map(|o| &o.value),
        &kb.finding(finding).kind,
    ) {
        (None, _) => "-".to_string(),
        (Some(Value::Number(n)), _) => format!("{n}"),
        (Some(Value::Choice(c)), FindingKind::Choice { choices }) => choices[*c as usize].clone(),
        (Some(other), _) => format!("{other:?}"),
    };
    if read == *expected {
        Ok(())
    } else {
        Err(format!("{text:?}: {id} expected {expected}, read {read}"))
    }
}

fn assert_cases(cases: &[Case]) {
    let (total, failures) = run(cases);
    assert!(
        failures.is_empty(),
        "{} of {total} cases fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn run(cases: &[Case]) -> (usize, Vec<String>) {
    let kb = KnowledgeBase::embedded();
    let failures: Vec<String> = cases.iter().filter_map(|c| check(kb, c).err()).collect();
    (cases.len(), failures)
}

#[test]
fn every_finding_read_in_plain_words() {
    let (total, failures) = run(CASES);
    eprintln!("{} of {total} sentence cases pass", total - failures.len());
    assert!(
        failures.is_empty(),
        "{} of {total} sentence cases fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn values_read_in_plain_words() {
    let kb = KnowledgeBase::embedded();
    let failures: Vec<String> = VALUE_CASES
        .iter()
        .filter_map(|c| check_value(kb, c).err())
        .collect();
    eprintln!(
        "{} of {} value cases pass",
        VALUE_CASES.len() - failures.len(),
        VALUE_CASES.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {} value cases fail:\n{}",
        failures.len(),
        VALUE_CASES.len(),
        failures.join("\n")
    );
}

#[test]
fn every_finding_of_the_catalogue_has_cases() {
    let kb = KnowledgeBase::embedded();
    let mut missing = Vec::new();
    for finding in &kb.findings {
        let id = finding.id.as_str();
        let in_cases = CASES
            .iter()
            .filter(|(_, present, absent)| {
                present.contains(&id)
                    || absent
                        .iter()
                        .any(|a| a.trim_start_matches(['!', '?']) == id)
            })
            .count();
        let in_values = VALUE_CASES.iter().filter(|(_, f, _)| *f == id).count();
        if in_cases + in_values < 4 {
            missing.push(format!("{id} ({})", in_cases + in_values));
        }
    }
    assert!(missing.is_empty(), "fewer than 4 cases: {missing:?}");
}

/// Prints what the reader made of `READ_DEBUG` (a text): every phrase, its outcome and the
/// trigger that decided it. `READ_DEBUG="..." cargo test --test reader_sentences -- --ignored
/// --nocapture debug_reading`.
#[test]
#[ignore = "a debugging aid, run by hand"]
fn debug_reading() {
    let Ok(text) = std::env::var("READ_DEBUG") else {
        return;
    };
    let kb = KnowledgeBase::embedded();
    let reading = Reader::embedded().read(kb, &text, Some(&now())).unwrap();
    for m in &reading.mentions {
        eprintln!(
            "{:?} {} {:?} {:?} trigger {:?} corrected {:?}",
            m.span.text,
            m.finding,
            m.shown_value,
            m.outcome,
            m.trigger.as_ref().map(|t| (&t.kind, &t.span.text)),
            m.corrected
        );
    }
    eprintln!(
        "about {:?}; {}",
        reading.about,
        describe(kb, &reading.evidence)
    );
}

// ── Cases that need a change in the context rules (knowledge/context_rules.toml) ─────────────

#[test]
fn colon_no_after_a_finding() {
    assert_cases(&[
        ("chills: no", &[], &["chills"]),
        ("chest pain: no", &[], &["chest_pain"]),
        ("fever - no", &[], &["fever"]),
    ]);
}

#[test]
fn writer_after_family_history() {
    assert_cases(&[
        (
            "family history of cancer, i have a knot in my back",
            &["muscle_knot"],
            &["!cancer_history"],
        ),
        (
            "family history of stenosis, i have spasms",
            &["upper_back_spasm"],
            &["!known_disc_or_stenosis"],
        ),
    ]);
}

#[test]
fn consequence_after_a_past_event() {
    assert_cases(&[(
        "my sister had shingles last month so i am worried",
        &["stress_anxiety"],
        &["!band_rash"],
    )]);
}

#[test]
fn runs_in_the_family_after_the_condition() {
    assert_cases(&[
        (
            "cancer runs in my family and im scared",
            &[],
            &["!cancer_history"],
        ),
        (
            "back problems and disc herniations run in the family",
            &[],
            &["!known_disc_or_stenosis"],
        ),
    ]);
}

#[test]
fn relative_as_the_carer() {
    assert_cases(&[
        ("my wife massaged it", &["home_care_tried"], &[]),
        (
            "my husband rubbed in some voltaren",
            &["home_care_tried"],
            &[],
        ),
    ]);
}

#[test]
fn red_flags_as_a_heading() {
    assert_cases(&[(
        "no red flags: no weight loss, no fevers, no night pain",
        &[],
        &["weight_loss_unexplained", "fever", "pain_at_rest_or_night"],
    )]);
}

#[test]
fn relative_acting_on_the_writer() {
    assert_cases(&[(
        "my child jumped on my back and it seized",
        &["upper_back_spasm"],
        &[],
    )]);
}

#[test]
fn call_centre_is_not_a_conditional() {
    assert_cases(&[(
        "i work in a call centre 8 hours a day with headphones on and a crappy chair",
        &["screen_work", "poor_workstation"],
        &[],
    )]);
}

#[test]
fn denial_does_not_reach_a_new_clause() {
    assert_cases(&[
        ("no fever, my hands are numb", &["numbness"], &["fever"]),
        (
            "no chest pain, i have pins and needles in my fingers",
            &["tingling"],
            &["chest_pain"],
        ),
    ]);
}
