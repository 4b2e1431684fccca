//! The OpenAPI 3 document, generated from the handlers' annotations and the Rust types.

use utoipa::OpenApi;

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

/// The document as JSON.
pub fn json() -> String {
    ApiDoc::openapi()
        .to_json()
        .unwrap_or_else(|_| "{}".to_string())
}
