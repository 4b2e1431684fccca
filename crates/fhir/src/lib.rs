//! FHIR R4 and CDS Hooks: the interview as a Questionnaire, answers from a QuestionnaireResponse, results as a Bundle, decision-support cards.
