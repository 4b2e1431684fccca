//! The OpenAPI 3 document, generated from the handlers' annotations and the Rust types.

use utoipa::openapi::path::Operation;
use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
use utoipa::{Modify, OpenApi};

use crate::input::AssessmentRequest;
use crate::problem::Problem;
use crate::view::{
    AdviceView, AssessmentView, CarePlanView, CauseEvidenceView, CauseView, ChecklistItemView,
    FindingView, FiredRuleView, FollowUpView, FromTextView, InterviewQuestionView,
    InterviewStateView, KnowledgeBaseStampView, PossibleRedFlagView, ProgressView, SpanView,
    TriageView, TriggerView, WatchView,
};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "upperback",
        description = "Upper back (thoracic) spasm: triage (is it dangerous), contributing causes, and a care plan. \
                       Not a diagnosis and not a substitute for a clinician. Errors are application/problem+json (RFC 9457).",
        license(name = "Apache-2.0"),
    ),
    paths(
        crate::api::create_assessment,
        crate::api::get_assessment,
        crate::api::create_interview,
        crate::api::get_interview,
        crate::api::answer_interview,
        crate::api::knowledge_base,
        crate::api::openapi,
        crate::api::healthz,
        crate::api::metrics,
        crate::web::home,
        crate::web::assess_form,
        crate::web::start_interview_form,
        crate::web::interview_page,
        crate::web::answer_form,
        crate::web::result_page,
        crate::web::static_asset,
        crate::web::problem_page,
        crate::web_accounts::sign_in_page,
        crate::web_accounts::sign_in_form,
        crate::web_accounts::register_page,
        crate::web_accounts::register_form,
        crate::web_accounts::sign_out_form,
        crate::web_accounts::episodes_page,
        crate::web_accounts::new_episode_form,
        crate::web_accounts::episode_page,
        crate::web_accounts::check_in_form,
        crate::web_accounts::share_form,
        crate::web_accounts::queue_page,
        crate::ergonomics::rula,
        crate::ergonomics::rosa,
        crate::clinic::assess_questionnaire_response,
        crate::clinic::questionnaire,
        crate::clinic::questionnaires,
        crate::clinic::cds_discovery,
        crate::clinic::cds_patient_view,
        crate::workstation::form,
        crate::workstation::submit,
        crate::accounts::create_account,
        crate::accounts::create_session,
        crate::accounts::delete_session,
        crate::accounts::me,
        crate::accounts::share,
        crate::accounts::queue,
        crate::accounts::export,
        crate::accounts::erase,
        crate::diary::create_episode,
        crate::diary::list_episodes,
        crate::diary::get_episode,
        crate::diary::add_check_in,
        crate::diary::chart,
    ),
    components(schemas(
        AssessmentRequest,
        AssessmentView,
        TriageView,
        PossibleRedFlagView,
        InterviewStateView,
        InterviewQuestionView,
        ChecklistItemView,
        FromTextView,
        ProgressView,
        FiredRuleView,
        CauseView,
        CauseEvidenceView,
        FindingView,
        SpanView,
        TriggerView,
        CarePlanView,
        AdviceView,
        WatchView,
        FollowUpView,
        KnowledgeBaseStampView,
        Problem,
    )),
    modifiers(&CommonAnswers),
    tags(
        (name = "assessments", description = "Assess text and/or structured answers"),
        (name = "interviews", description = "The adaptive interview, one question at a time"),
        (name = "knowledge base", description = "The clinical content in use"),
        (name = "meta", description = "Health, metrics, this document, problem types"),
        (name = "web", description = "The server-rendered web page (HTML forms)"),
        (name = "ergonomics", description = "Workstation and posture scores (RULA, ROSA)"),
        (name = "fhir", description = "FHIR R4: the interview as a Questionnaire, QuestionnaireResponse assessment; Accept: application/fhir+json on assessments gives an R4 Bundle"),
        (name = "cds hooks", description = "CDS Hooks 2.0: the patient-view triage service"),
        (name = "accounts", description = "With --multi-user: accounts, sessions (Authorization: Bearer), sharing with a clinician, the clinician queue; export and erase of all of a person's data"),
        (name = "diary", description = "Episodes, check-ins, the follow-up rule (the knowledge base's hours) and the severity chart"),
    )
)]
pub struct ApiDoc;

/// The answers every operation can get from the layers around it, whatever the handler does:
/// stated once here rather than on each operation. A body that is not JSON, too large or of
/// another type (400, 413, 415) where there is a body; another site's request (403) where
/// something changes; the rate limit (429), the timeout (408) and a store that does not
/// answer (503) everywhere but the probes.
struct CommonAnswers;

impl Modify for CommonAnswers {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for (path, item) in openapi.paths.paths.iter_mut() {
            let probe = matches!(path.as_str(), "/healthz" | "/metrics");
            // Readable by anyone, with or without accounts.
            let public = probe
                || path.starts_with("/static/")
                || path.starts_with("/problems/")
                || matches!(
                    path.as_str(),
                    "/api/v1/openapi.json" | "/api/v1/knowledge-base" | "/cds-services"
                );
            let mut operations: Vec<(&mut Operation, bool)> = Vec::new();
            for (operation, changes) in [
                (item.get.as_mut(), false),
                (item.post.as_mut(), true),
                (item.put.as_mut(), true),
                (item.patch.as_mut(), true),
                (item.delete.as_mut(), true),
            ] {
                if let Some(operation) = operation {
                    operations.push((operation, changes));
                }
            }
            for (operation, changes) in operations {
                let has_body = operation.request_body.is_some();
                let mut add = |status: &str, why: &str| {
                    operation
                        .responses
                        .responses
                        .entry(status.to_string())
                        .or_insert_with(|| {
                            ResponseBuilder::new()
                                .description(why)
                                .content(
                                    "application/problem+json",
                                    ContentBuilder::new()
                                        .schema(Some(Ref::from_schema_name("Problem")))
                                        .build(),
                                )
                                .build()
                                .into()
                        });
                };
                if has_body {
                    add(
                        "400",
                        "The body is not valid JSON (or not valid UTF-8), or is empty",
                    );
                    add(
                        "422",
                        "The body is not what the operation takes; `field` names what is wrong",
                    );
                    add("413", "The body is over 64 KiB");
                    add(
                        "415",
                        "A browser's body that is not JSON (`Content-Type: application/json`)",
                    );
                }
                if changes {
                    add(
                        "403",
                        "A browser's request from another site, port or subdomain",
                    );
                }
                if !public {
                    add("401", "With --multi-user: no working session (`Authorization: Bearer`, or the session cookie)");
                }
                if !probe {
                    add("408", "The request took longer than the server's timeout");
                    add(
                        "429",
                        "Too many requests from this client; see `Retry-After`",
                    );
                    add("503", "The store does not answer; see `Retry-After`");
                }
            }
        }
    }
}

/// The document as JSON.
pub fn json() -> String {
    ApiDoc::openapi()
        .to_json()
        .unwrap_or_else(|_| "{}".to_string())
}
