//! The `upperback context --tsv` contract (`shared/contracts/context.md`): NegEx / ConText test-set rows
//! in, one `id, negation, temporality, experiencer` line per row out.

use std::borrow::Cow;
use std::io::{self, BufRead, BufWriter, Write};

use super::engine::{ContextEngine, Flags, Scratch};

/// What a TSV run did, for the caller to report.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TsvSummary {
    /// Data rows read and printed (the header is not counted).
    pub rows: usize,
    /// Rows whose concept was not found in their sentence; they were printed with the defaults
    /// `Affirmed`, `Recent`, `Patient` and the caller should warn about them on standard error.
    pub concepts_not_found: usize,
}

/// Why a TSV run stopped.
#[derive(Debug, thiserror::Error)]
pub enum ContextTsvError {
    /// The input could not be read.
    #[error("reading the TSV input failed: {0}")]
    Read(#[source] io::Error),
    /// The output could not be written.
    #[error("writing the annotations failed: {0}")]
    Write(#[source] io::Error),
    /// A data row does not have the identifier, concept and sentence columns.
    #[error("line {line}: expected at least 3 tab-separated columns (identifier, concept, sentence), found {found}")]
    Malformed {
        /// 1-based line number in the input (the header is line 1).
        line: usize,
        /// Number of columns found.
        found: usize,
    },
}

impl ContextEngine {
    /// Runs the `upperback context --tsv` contract: skips the header line, then for every data row prints
    /// `id\tAffirmed|Negated\tRecent|Historical|Not particular\tPatient|Other`, in input order.
    ///
    /// Blank lines are skipped. A row whose concept is not in its sentence is printed with the defaults
    /// and counted in [`TsvSummary::concepts_not_found`]. Invalid UTF-8 is read lossily rather than
    /// rejected, since the rows come from old clinical exports.
    pub fn run_tsv(
        &self,
        mut input: impl BufRead,
        output: impl Write,
    ) -> Result<TsvSummary, ContextTsvError> {
        let mut out = BufWriter::with_capacity(1 << 16, output);
        let mut summary = TsvSummary::default();
        let mut scratch = Scratch::default();
        let mut line = Vec::with_capacity(1024);
        let mut line_no = 0usize;
        loop {
            line.clear();
            let read = input
                .read_until(b'\n', &mut line)
                .map_err(ContextTsvError::Read)?;
            if read == 0 {
                break;
            }
            line_no += 1;
            if line_no == 1 {
                continue;
            }
            while matches!(line.last(), Some(b'\n' | b'\r')) {
                line.pop();
            }
            if line.iter().all(|b| b.is_ascii_whitespace()) {
                continue;
            }
            // Strict validation first: it is much faster than the lossy decoder on clean input.
            let text: Cow<'_, str> = match std::str::from_utf8(&line) {
                Ok(s) => Cow::Borrowed(s),
                Err(_) => String::from_utf8_lossy(&line),
            };
            let mut columns = text.splitn(4, '\t');
            let (Some(id), Some(concept), Some(sentence)) =
                (columns.next(), columns.next(), columns.next())
            else {
                return Err(ContextTsvError::Malformed {
                    line: line_no,
                    found: text.split('\t').count(),
                });
            };
            let flags = match self.concept_flags(&mut scratch, sentence, concept) {
                Some(flags) => flags,
                None => {
                    summary.concepts_not_found += 1;
                    Flags::default()
                }
            };
            summary.rows += 1;
            writeln!(
                out,
                "{}\t{}\t{}\t{}",
                id,
                if flags.negated { "Negated" } else { "Affirmed" },
                flags.temporality().negex_label(),
                flags.experiencer().negex_label()
            )
            .map_err(ContextTsvError::Write)?;
        }
        out.flush().map_err(ContextTsvError::Write)?;
        Ok(summary)
    }
}
