//! The small condition language of triage rules and evidence tests, e.g.
//! `duration_hours > 72 & improving is not yes & home_care_tried is not no`.
//!
//! Grammar (`&` binds tighter than `|`):
//! ```text
//! any   := all ('|' all)*
//! all   := atom ('&' atom)*
//! atom  := '(' any ')'
//!        | ID                                  bool finding present
//!        | ID 'is' ['not'] ('yes'|'no'|'unknown')
//!        | ID ('>'|'>='|'<'|'<='|'=') NUMBER   numeric finding, known
//!        | ID '=' CHOICE                       choice finding has that value
//! ```

use crate::evidence::{Evidence, Status};
use crate::knowledge::{FindingId, FindingKind};

/// A comparison operator on a numeric finding.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Comparison {
    Greater,
    GreaterOrEqual,
    Less,
    LessOrEqual,
    Equal,
}

/// A parsed, validated condition over evidence.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    /// The bool finding is present.
    Present(FindingId),
    /// The finding's status is (or, negated, is not) the given one.
    Status {
        finding: FindingId,
        status: Status,
        negated: bool,
    },
    /// The numeric finding is known and the comparison holds.
    Compare {
        finding: FindingId,
        comparison: Comparison,
        value: f64,
    },
    /// The choice finding is known and has this value.
    ChoiceIs {
        finding: FindingId,
        choice: u16,
    },
    All(Vec<Condition>),
    Any(Vec<Condition>),
}

/// Why a condition could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} (at character {position} of `{text}`)")]
pub struct ConditionError {
    pub message: String,
    pub position: usize,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Identifier(String),
    Number(f64),
    And,
    Or,
    Open,
    Close,
    Compare(Comparison),
}

/// Resolves a finding id to its index and kind.
type Lookup<'l, 'k> = dyn Fn(&str) -> Option<(FindingId, &'k FindingKind)> + 'l;

impl Condition {
    /// Parses a condition; `lookup` resolves finding ids to their index and kind.
    pub fn parse<'k>(text: &str, lookup: &Lookup<'_, 'k>) -> Result<Condition, ConditionError> {
        let tokens = tokenize(text)?;
        let mut parser = Parser {
            text,
            tokens,
            position: 0,
            lookup,
        };
        let condition = parser.any()?;
        if parser.position < parser.tokens.len() {
            return Err(parser.error("unexpected text after the condition"));
        }
        Ok(condition)
    }

    /// Evaluates the condition. When it holds, `trace` receives each finding that made it
    /// hold, with its status (an unknown finding can satisfy `is not yes`); on failure
    /// `trace` is left as it was.
    pub fn evaluate(&self, evidence: &Evidence, trace: &mut Vec<(FindingId, Status)>) -> bool {
        let mark = trace.len();
        let holds = match self {
            Condition::Present(f) => {
                let holds = evidence.status(*f) == Status::Present;
                if holds {
                    trace.push((*f, Status::Present));
                }
                holds
            }
            Condition::Status {
                finding,
                status,
                negated,
            } => {
                let actual = evidence.status(*finding);
                let holds = (actual == *status) != *negated;
                if holds {
                    trace.push((*finding, actual));
                }
                holds
            }
            Condition::Compare {
                finding,
                comparison,
                value,
            } => {
                let holds = evidence.number(*finding).is_some_and(|n| match comparison {
                    Comparison::Greater => n > *value,
                    Comparison::GreaterOrEqual => n >= *value,
                    Comparison::Less => n < *value,
                    Comparison::LessOrEqual => n <= *value,
                    Comparison::Equal => n == *value,
                });
                if holds {
                    trace.push((*finding, Status::Present));
                }
                holds
            }
            Condition::ChoiceIs { finding, choice } => {
                let holds = evidence.choice(*finding) == Some(*choice);
                if holds {
                    trace.push((*finding, Status::Present));
                }
                holds
            }
            Condition::All(parts) => parts.iter().all(|p| p.evaluate(evidence, trace)),
            Condition::Any(parts) => {
                // Evaluate every branch so the explanation names every finding that holds.
                let mut any = false;
                for part in parts {
                    any |= part.evaluate(evidence, trace);
                }
                any
            }
        };
        if !holds {
            trace.truncate(mark);
        }
        holds
    }

    /// Every finding the condition mentions, each once, in knowledge-base order.
    pub fn findings(&self) -> Vec<FindingId> {
        let mut out = Vec::new();
        self.collect_findings(&mut out);
        out.sort();
        out.dedup();
        out
    }

    fn collect_findings(&self, out: &mut Vec<FindingId>) {
        match self {
            Condition::Present(f) => out.push(*f),
            Condition::Status { finding, .. }
            | Condition::Compare { finding, .. }
            | Condition::ChoiceIs { finding, .. } => out.push(*finding),
            Condition::All(parts) | Condition::Any(parts) => {
                parts.iter().for_each(|p| p.collect_findings(out))
            }
        }
    }
}

fn tokenize(text: &str) -> Result<Vec<(usize, Token)>, ConditionError> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    let error = |message: &str, position: usize| ConditionError {
        message: message.to_string(),
        position,
        text: text.to_string(),
    };
    while i < chars.len() {
        let c = chars[i];
        let start = i;
        let token = match c {
            ' ' | '\t' | '\n' => {
                i += 1;
                continue;
            }
            '&' => Token::And,
            '|' => Token::Or,
            '(' => Token::Open,
            ')' => Token::Close,
            '>' | '<' => {
                let or_equal = chars.get(i + 1) == Some(&'=');
                if or_equal {
                    i += 1;
                }
                Token::Compare(match (c, or_equal) {
                    ('>', false) => Comparison::Greater,
                    ('>', true) => Comparison::GreaterOrEqual,
                    ('<', false) => Comparison::Less,
                    _ => Comparison::LessOrEqual,
                })
            }
            '=' => {
                if chars.get(i + 1) == Some(&'=') {
                    i += 1;
                }
                Token::Compare(Comparison::Equal)
            }
            c if c.is_ascii_digit() || c == '-' || c == '.' => {
                let mut end = i + 1;
                while end < chars.len() && (chars[end].is_ascii_digit() || chars[end] == '.') {
                    end += 1;
                }
                let literal: String = chars[i..end].iter().collect();
                let number = literal
                    .parse::<f64>()
                    .map_err(|_| error(&format!("`{literal}` is not a number"), start))?;
                i = end - 1;
                Token::Number(number)
            }
            c if c.is_ascii_alphabetic() || c == '_' => {
                let mut end = i + 1;
                while end < chars.len() && (chars[end].is_ascii_alphanumeric() || chars[end] == '_')
                {
                    end += 1;
                }
                let word: String = chars[i..end].iter().collect();
                i = end - 1;
                Token::Identifier(word)
            }
            other => return Err(error(&format!("unexpected character `{other}`"), start)),
        };
        tokens.push((start, token));
        i += 1;
    }
    Ok(tokens)
}

struct Parser<'t, 'l, 'k> {
    text: &'t str,
    tokens: Vec<(usize, Token)>,
    position: usize,
    lookup: &'l Lookup<'l, 'k>,
}

impl Parser<'_, '_, '_> {
    fn error(&self, message: &str) -> ConditionError {
        let position = self
            .tokens
            .get(self.position)
            .map(|(p, _)| *p)
            .unwrap_or(self.text.chars().count());
        ConditionError {
            message: message.to_string(),
            position,
            text: self.text.to_string(),
        }
    }

    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.position).map(|(_, t)| t)
    }

    fn next(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.position).map(|(_, t)| t.clone());
        self.position += 1;
        token
    }

    fn any(&mut self) -> Result<Condition, ConditionError> {
        let mut parts = vec![self.all()?];
        while self.peek() == Some(&Token::Or) {
            self.position += 1;
            parts.push(self.all()?);
        }
        Ok(if parts.len() == 1 {
            parts.pop().expect("one part")
        } else {
            Condition::Any(parts)
        })
    }

    fn all(&mut self) -> Result<Condition, ConditionError> {
        let mut parts = vec![self.atom()?];
        while self.peek() == Some(&Token::And) {
            self.position += 1;
            parts.push(self.atom()?);
        }
        Ok(if parts.len() == 1 {
            parts.pop().expect("one part")
        } else {
            Condition::All(parts)
        })
    }

    fn atom(&mut self) -> Result<Condition, ConditionError> {
        match self.peek().cloned() {
            Some(Token::Open) => {
                self.position += 1;
                let inner = self.any()?;
                if self.next() != Some(Token::Close) {
                    self.position -= 1;
                    return Err(self.error("expected `)`"));
                }
                Ok(inner)
            }
            Some(Token::Identifier(id)) => {
                let Some((finding, kind)) = (self.lookup)(&id) else {
                    return Err(self.error(&format!("unknown finding `{id}`")));
                };
                self.position += 1;
                match self.peek().cloned() {
                    Some(Token::Identifier(word)) if word == "is" => {
                        self.position += 1;
                        let negated =
                            matches!(self.peek(), Some(Token::Identifier(w)) if w == "not");
                        if negated {
                            self.position += 1;
                        }
                        let status = match self.next() {
                            Some(Token::Identifier(w)) if w == "yes" => Status::Present,
                            Some(Token::Identifier(w)) if w == "no" => Status::Absent,
                            Some(Token::Identifier(w)) if w == "unknown" => Status::Unknown,
                            _ => {
                                self.position -= 1;
                                return Err(
                                    self.error("expected `yes`, `no` or `unknown` after `is`")
                                );
                            }
                        };
                        if status != Status::Unknown && *kind != FindingKind::Bool {
                            return Err(self.error(&format!(
                                "`{id}` is not a bool finding; compare it instead"
                            )));
                        }
                        Ok(Condition::Status {
                            finding,
                            status,
                            negated,
                        })
                    }
                    Some(Token::Compare(comparison)) => {
                        self.position += 1;
                        match (kind, self.next()) {
                            (FindingKind::Number { .. }, Some(Token::Number(value))) => {
                                Ok(Condition::Compare {
                                    finding,
                                    comparison,
                                    value,
                                })
                            }
                            (FindingKind::Choice { choices }, Some(Token::Identifier(value)))
                                if comparison == Comparison::Equal =>
                            {
                                match choices.iter().position(|c| *c == value) {
                                    Some(choice) => Ok(Condition::ChoiceIs {
                                        finding,
                                        choice: choice as u16,
                                    }),
                                    None => {
                                        self.position -= 1;
                                        Err(self.error(&format!(
                                            "`{value}` is not a choice of `{id}` ({})",
                                            choices.join(", ")
                                        )))
                                    }
                                }
                            }
                            _ => {
                                self.position -= 1;
                                Err(self.error(&format!(
                                    "`{id}` cannot be compared that way: numbers take > >= < <= = NUMBER, choices take = VALUE"
                                )))
                            }
                        }
                    }
                    _ => {
                        if *kind != FindingKind::Bool {
                            self.position -= 1;
                            return Err(self.error(&format!(
                                "`{id}` is not a bool finding: write a comparison such as `{id} >= 6`"
                            )));
                        }
                        Ok(Condition::Present(finding))
                    }
                }
            }
            _ => Err(self.error("expected a finding id or `(`")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::{Observation, Value};
    use crate::knowledge::KnowledgeBase;

    fn parse(text: &str) -> Result<Condition, ConditionError> {
        let kb = KnowledgeBase::embedded();
        Condition::parse(text, &|id| {
            kb.finding_id(id).map(|f| (f, &kb.finding(f).kind))
        })
    }

    #[test]
    fn precedence_and_over_or() {
        let kb = KnowledgeBase::embedded();
        let f = |id| kb.finding_id(id).unwrap();
        let c = parse("fever & chills | numbness").unwrap();
        assert_eq!(
            c,
            Condition::Any(vec![
                Condition::All(vec![
                    Condition::Present(f("fever")),
                    Condition::Present(f("chills"))
                ]),
                Condition::Present(f("numbness"))
            ])
        );
    }

    #[test]
    fn errors_point_at_the_problem() {
        assert!(parse("fever &")
            .unwrap_err()
            .message
            .contains("expected a finding"));
        assert!(parse("fevr")
            .unwrap_err()
            .message
            .contains("unknown finding `fevr`"));
        assert!(parse("age")
            .unwrap_err()
            .message
            .contains("not a bool finding"));
        assert!(parse("location = knee")
            .unwrap_err()
            .message
            .contains("not a choice"));
        assert!(parse("(fever")
            .unwrap_err()
            .message
            .contains("expected `)`"));
        assert!(parse("fever is maybe").unwrap_err().message.contains("yes"));
        assert!(parse("fever $").is_err());
    }

    #[test]
    fn unknown_is_not_no() {
        let kb = KnowledgeBase::embedded();
        let c = parse("improving is not yes").unwrap();
        let mut evidence = Evidence::new(kb);
        let mut trace = Vec::new();
        assert!(
            c.evaluate(&evidence, &mut trace),
            "unknown satisfies `is not yes`"
        );
        assert_eq!(
            trace,
            [(kb.finding_id("improving").unwrap(), Status::Unknown)]
        );
        trace.clear();
        evidence.set(
            kb.finding_id("improving").unwrap(),
            Observation::answer(Value::Present),
        );
        assert!(!c.evaluate(&evidence, &mut trace));
        let present = parse("fever").unwrap();
        assert!(!present.evaluate(&Evidence::new(kb), &mut trace));
        let number = parse("age >= 50").unwrap();
        assert!(
            !number.evaluate(&Evidence::new(kb), &mut trace),
            "unknown number never compares"
        );
    }

    #[test]
    fn trace_names_every_finding_that_held() {
        let kb = KnowledgeBase::embedded();
        let evidence = kb
            .parse_answers(r#"{"significant_trauma": true, "numbness": true, "tingling": true, "limb_weakness": false}"#)
            .unwrap();
        let c = parse("significant_trauma & (numbness | tingling | limb_weakness)").unwrap();
        let mut trace = Vec::new();
        assert!(c.evaluate(&evidence, &mut trace));
        let names: Vec<&str> = trace
            .iter()
            .map(|(f, _)| kb.finding(*f).id.as_str())
            .collect();
        assert_eq!(names, ["significant_trauma", "numbness", "tingling"]);
    }
}
