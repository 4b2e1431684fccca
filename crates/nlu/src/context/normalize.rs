//! Text normalisation shared by rule phrases, concepts and the text being read.
//!
//! Matching runs on a normalised copy of the text: lower-cased, every run of white space collapsed to a
//! single space, typographic quotes and dashes folded to ASCII. `char_of` maps every byte of that copy
//! back to the Unicode scalar (char) index it came from, which is how trigger spans are reported in the
//! caller's own offsets.

/// A normalised copy of a text with its offset map.
#[derive(Debug, Default, Clone)]
pub(crate) struct Norm {
    /// Lower-cased, white-space-collapsed text.
    pub text: String,
    /// For every byte of `text`, the char index in the source it came from.
    pub char_of: Vec<u32>,
    /// Byte offsets in `text` of spaces that stand for a white-space run containing a line break; a line
    /// break ends a sentence (people list symptoms one per line).
    pub breaks: Vec<u32>,
    /// Number of chars in the source that was normalised.
    pub n_chars: u32,
    /// Every byte of `text` came from the char of the same index (`char_of[i] == i`): an ASCII
    /// source in which no white space was dropped or collapsed, the common case. Chars then
    /// map to bytes without a search.
    identity: bool,
}

/// Longest source (in bytes) the engine reads; offsets are stored as `u32` to keep the per-byte map small
/// and fast, so anything beyond this is ignored rather than allowed to overflow.
pub(crate) const MAX_TEXT_BYTES: usize = (u32::MAX / 2) as usize;

/// True for bytes that belong to a word: ASCII letters and digits, `_`, and any byte of a non-ASCII
/// character that survived normalisation (those are letters, digits or combining marks).
#[inline]
pub(crate) fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

/// Folds typographic punctuation to the ASCII character rules are written with; `None` leaves the char
/// to the general handling.
#[inline]
fn fold_punctuation(c: char) -> Option<char> {
    Some(match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{02BC}'
        | '\u{FF07}' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{2033}' | '\u{00AB}' | '\u{00BB}' => '"',
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FF0D}' => '-',
        '\u{2026}' | '\u{3002}' | '\u{FF0E}' => '.',
        '\u{FF1F}' => '?',
        '\u{FF01}' => '!',
        '\u{FF0C}' | '\u{3001}' => ',',
        '\u{FF1B}' => ';',
        '\u{FF1A}' => ':',
        _ => return None,
    })
}

/// ASCII white space exactly as `char::is_whitespace` sees it (which, unlike `u8::is_ascii_whitespace`,
/// includes vertical tab).
#[inline]
fn is_ascii_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r')
}

#[inline]
fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

impl Norm {
    /// Replaces the contents with the normalised form of `src` (reusing the buffers).
    pub fn fill(&mut self, src: &str) {
        self.text.clear();
        self.char_of.clear();
        self.breaks.clear();
        let src = clamp_str(src);
        self.text.reserve(src.len());
        self.char_of.reserve(src.len());
        if src.is_ascii() {
            self.fill_ascii(src);
            // Each stretch is copied byte for byte and each kept white-space char is one
            // space in its own place: only a dropped or collapsed run shortens the text.
            self.identity = self.text.len() == src.len();
            debug_assert!(
                !self.identity
                    || self
                        .char_of
                        .iter()
                        .enumerate()
                        .all(|(i, &c)| c as usize == i)
            );
            return;
        }
        self.identity = false;
        let mut pending_space: Option<u32> = None;
        let mut pending_break = false;
        let mut n: u32 = 0;
        for c in src.chars() {
            let i = n;
            n += 1;
            if c.is_whitespace() {
                if pending_space.is_none() {
                    pending_space = Some(i);
                }
                pending_break |= is_line_break(c);
                continue;
            }
            if let Some(space_at) = pending_space.take() {
                // Leading white space is dropped; interior runs become one space.
                if !self.text.is_empty() {
                    if pending_break {
                        self.breaks.push(self.text.len() as u32);
                    }
                    self.text.push(' ');
                    self.char_of.push(space_at);
                }
                pending_break = false;
            }
            if c.is_ascii() {
                self.text.push(c.to_ascii_lowercase());
                self.char_of.push(i);
            } else if let Some(folded) = fold_punctuation(c) {
                self.text.push(folded);
                self.char_of.push(i);
            } else if c.is_alphanumeric() || ('\u{0300}'..='\u{036F}').contains(&c) {
                for lower in c.to_lowercase() {
                    self.text.push(lower);
                    for _ in 0..lower.len_utf8() {
                        self.char_of.push(i);
                    }
                }
            } else {
                // Other symbols (bullets, emoji, arrows) separate words but carry no meaning here.
                self.text.push('#');
                self.char_of.push(i);
            }
        }
        self.n_chars = n;
    }

    /// The common case, done a stretch at a time: for ASCII text bytes are chars, and a lone
    /// space between words is already normalised, so everything between two other runs of
    /// white space is copied whole (lower-cased), its offsets a plain count.
    fn fill_ascii(&mut self, src: &str) {
        let bytes = src.as_bytes();
        let mut i = 0;
        // Leading white space is dropped.
        while i < bytes.len() && is_ascii_space(bytes[i]) {
            i += 1;
        }
        let mut stretch_start = i;
        while i < bytes.len() {
            if !is_ascii_space(bytes[i]) {
                i += 1;
                continue;
            }
            let run_start = i;
            while i < bytes.len() && is_ascii_space(bytes[i]) {
                i += 1;
            }
            if i == run_start + 1 && bytes[run_start] == b' ' && i < bytes.len() {
                continue;
            }
            self.push_ascii(src, stretch_start, run_start);
            // A run inside the text becomes one space; a trailing run is dropped.
            if i < bytes.len() {
                let run = &bytes[run_start..i];
                if run.iter().any(|b| matches!(b, b'\n' | b'\r' | 0x0B | 0x0C)) {
                    self.breaks.push(self.text.len() as u32);
                }
                self.text.push(' ');
                self.char_of.push(run_start as u32);
            }
            stretch_start = i;
        }
        self.push_ascii(src, stretch_start, bytes.len());
        self.n_chars = bytes.len() as u32;
    }

    /// Appends the ASCII stretch `src[start..end]` lower-cased, with its offsets.
    fn push_ascii(&mut self, src: &str, start: usize, end: usize) {
        if let Some(stretch) = src.get(start..end) {
            crate::overlapping::push_ascii_lowercase(&mut self.text, stretch);
            self.char_of.extend(start as u32..end as u32);
        }
    }

    /// Source char offset where the normalised byte range `[start, end)` begins and ends.
    #[inline]
    pub fn char_span(&self, start: usize, end: usize) -> (u32, u32) {
        let s = self.char_of.get(start).copied().unwrap_or(self.n_chars);
        let e = if end == 0 {
            s
        } else {
            self.char_of
                .get(end - 1)
                .map(|&c| c + 1)
                .unwrap_or(self.n_chars)
        };
        (s, e.max(s))
    }

    /// First normalised byte whose source char is at or after `char_idx`.
    #[inline]
    pub fn byte_at_char(&self, char_idx: u32) -> usize {
        if self.identity {
            return (char_idx as usize).min(self.char_of.len());
        }
        self.char_of.partition_point(|&c| c < char_idx)
    }
}

/// Cuts `src` to at most [`MAX_TEXT_BYTES`], on a char boundary.
fn clamp_str(src: &str) -> &str {
    if src.len() <= MAX_TEXT_BYTES {
        return src;
    }
    let mut end = MAX_TEXT_BYTES;
    while end > 0 && !src.is_char_boundary(end) {
        end -= 1;
    }
    src.get(..end).unwrap_or("")
}

/// The normalised form of a rule phrase or concept (no offset map).
pub(crate) fn normalize_phrase(phrase: &str) -> String {
    let mut norm = Norm::default();
    norm.fill(phrase);
    norm.text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collapses_white_space_and_lowercases() {
        let mut n = Norm::default();
        n.fill("  No   FEVER\n\tchills ");
        assert_eq!(n.text, "no fever chills");
        assert_eq!(n.breaks, vec![8]);
        assert_eq!(n.char_of.len(), n.text.len());
        assert_eq!(n.char_span(3, 8), (7, 12));
    }

    #[test]
    fn ascii_fast_path_agrees_with_general_path() {
        for src in [
            "",
            "   ",
            " a ",
            "No  FEVER,\n\tchills\x0b x ",
            "x\r\ny",
            "end   ",
            "one two  three\tfour \n five ",
            " lone spaces stay as they are",
        ] {
            fast_and_general_paths_agree(src);
        }
    }

    /// The ASCII fast path gives what the general path gives: the same text, offsets and
    /// line breaks (their positions, not only how many).
    fn fast_and_general_paths_agree(src: &str) {
        let mut fast = Norm::default();
        fast.fill(src);
        // Appending a non-ASCII char forces the general path; compare the common prefix.
        let mut general = Norm::default();
        general.fill(&format!("{src}\u{e9}"));
        let n = fast.text.len();
        assert!(general.text.starts_with(&fast.text), "{src:?}");
        assert_eq!(&general.char_of[..n], &fast.char_of[..], "{src:?}");
        let general_breaks: Vec<u32> = general
            .breaks
            .iter()
            .copied()
            .filter(|&b| (b as usize) < n)
            .collect();
        assert_eq!(general_breaks, fast.breaks, "{src:?}");
    }

    proptest::proptest! {
        #[test]
        fn any_ascii_text_reads_the_same_on_both_paths(src in "[a-zA-Z0-9 ,.'\n\t\r\x0b]{0,40}") {
            fast_and_general_paths_agree(&src);
        }
    }

    #[test]
    fn maps_multibyte_chars_to_char_offsets() {
        let mut n = Norm::default();
        n.fill("Ça don’t — ÉTÉ");
        assert_eq!(n.text, "ça don't - été");
        let pos = n.text.find("été").unwrap_or(0);
        assert_eq!(n.char_span(pos, n.text.len()), (11, 14));
    }
}
