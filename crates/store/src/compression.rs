//! Results kept compressed (the SQLite backend): zstd with a dictionary.
//!
//! An assessment's result is ~10 KB of JSON, most of it sentences of the knowledge base
//! (advice, warning signs, sources) that every result repeats. zstd, primed with a
//! dictionary holding those sentences, keeps it in well under 1 KB: measured on the 30
//! development vignettes, 7.0 KB → 0.39 KB on average at level 3 with the server's
//! dictionary (0.99 KB with the knowledge base alone); the bench's 10 KB result in 0.70 KB,
//! ~9 µs to compress. A commit then writes, and a checkpoint copies, a tenth of the pages.
//!
//! The caller (the server) hands the store the dictionary's bytes — the knowledge base as
//! JSON, then the result for no evidence — with [`crate::Store::use_result_dictionary`]. The store keeps every dictionary it
//! was given, named by the SHA-256 of its bytes, in `result_dictionaries`, and each
//! compressed row names its own, so a row written under an older knowledge base still reads
//! back, byte for byte, after an upgrade.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use sha2::{Digest, Sha256};
use zstd_safe::{CCtx, CDict, DCtx, DDict};

use crate::StoreError;

/// zstd level 3: measured on the vignettes (with the knowledge base alone as the
/// dictionary), level 1 gives 1.13 KB in 10.6 µs, level 3 0.97 KB in 10.0 µs, level 6
/// 0.89 KB in 35 µs.
const LEVEL: i32 = 3;

/// A result larger than this after decompression is refused as corrupt (results are
/// ~10 KB; the HTTP body limit is 64 KiB).
const MAX_RESULT_BYTES: u64 = 16 * 1024 * 1024;

/// The dictionary new rows are compressed with.
pub(crate) struct Encoder {
    /// Its row in `result_dictionaries`.
    pub id: i64,
    dictionary: CDict<'static>,
}

impl Encoder {
    /// The result as a zstd frame (with its content size, so that reading knows how much
    /// room it needs).
    pub fn compress(&self, json: &str) -> Result<Vec<u8>, StoreError> {
        thread_local! {
            // A compression context is ~1 MB of tables: one per thread, reused.
            static CONTEXT: RefCell<CCtx<'static>> = RefCell::new(CCtx::create());
        }
        let mut out = Vec::with_capacity(zstd_safe::compress_bound(json.len()));
        CONTEXT
            .with(|context| {
                context.borrow_mut().compress_using_cdict(
                    &mut out,
                    json.as_bytes(),
                    &self.dictionary,
                )
            })
            .map_err(|code| {
                StoreError::internal_msg(format!(
                    "cannot compress a result: {}",
                    zstd_safe::get_error_name(code)
                ))
            })?;
        Ok(out)
    }
}

/// The SHA-256 of a dictionary, its name in `result_dictionaries`.
pub(crate) fn digest(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

/// The dictionaries this store knows: the one new rows use, and those rows were written
/// with (loaded from the database when first needed).
#[derive(Default)]
pub(crate) struct Dictionaries {
    current: RwLock<Option<Arc<Encoder>>>,
    decoders: RwLock<HashMap<i64, Arc<DDict<'static>>>>,
}

impl Dictionaries {
    /// The dictionary new rows are compressed with, if any.
    pub fn current(&self) -> Option<Arc<Encoder>> {
        self.current
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Makes `bytes` (stored as row `id`) the dictionary of new rows.
    pub fn set_current(&self, id: i64, bytes: &[u8]) {
        self.learn(id, bytes);
        let encoder = Encoder {
            id,
            dictionary: CDict::create(bytes, LEVEL),
        };
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = Some(Arc::new(encoder));
    }

    /// Whether row `id`'s dictionary is loaded.
    pub fn knows(&self, id: i64) -> bool {
        self.decoders
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .contains_key(&id)
    }

    /// Loads the dictionary of row `id` for reading.
    pub fn learn(&self, id: i64, bytes: &[u8]) {
        self.decoders
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .entry(id)
            .or_insert_with(|| Arc::new(DDict::create(bytes)));
    }

    /// The JSON text of a compressed result.
    pub fn decompress(&self, dictionary: i64, frame: &[u8]) -> Result<String, StoreError> {
        thread_local! {
            static CONTEXT: RefCell<DCtx<'static>> = RefCell::new(DCtx::create());
        }
        let decoder = self
            .decoders
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(&dictionary)
            .cloned()
            .ok_or_else(|| {
                StoreError::internal_msg(format!(
                    "a result needs dictionary {dictionary}, which the database does not hold"
                ))
            })?;
        let size = match zstd_safe::get_frame_content_size(frame) {
            Ok(Some(size)) if size <= MAX_RESULT_BYTES => size as usize,
            _ => {
                return Err(StoreError::internal_msg(
                    "a compressed result is corrupt (no content size)",
                ))
            }
        };
        let mut out = Vec::with_capacity(size);
        CONTEXT
            .with(|context| {
                context
                    .borrow_mut()
                    .decompress_using_ddict(&mut out, frame, &decoder)
            })
            .map_err(|code| {
                StoreError::internal_msg(format!(
                    "a compressed result is corrupt: {}",
                    zstd_safe::get_error_name(code)
                ))
            })?;
        String::from_utf8(out)
            .map_err(|_| StoreError::internal_msg("a compressed result is not UTF-8"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DICTIONARY: &str = r#"{"advice":[{"id":"heat","text":"Try heat: a heat wrap, a warm pack or a warm shower for 15 to 20 minutes.","source":"ACP-2017"}]}"#;

    #[test]
    fn a_result_comes_back_byte_for_byte_and_smaller() {
        let dictionaries = Dictionaries::default();
        dictionaries.set_current(7, DICTIONARY.as_bytes());
        let encoder = dictionaries.current().expect("a current dictionary");
        assert_eq!(encoder.id, 7);
        let json = r#"{"care_plan":{"advice":[{"cause":null,"id":"heat","text":"Try heat: a heat wrap, a warm pack or a warm shower for 15 to 20 minutes.","source":"ACP-2017"}]},"é":"ü"}"#;
        let frame = encoder.compress(json).unwrap();
        assert!(frame.len() < json.len() / 2, "{} bytes", frame.len());
        assert_eq!(dictionaries.decompress(7, &frame).unwrap(), json);
    }

    #[test]
    fn an_unknown_dictionary_or_a_corrupt_frame_is_an_error_not_a_panic() {
        let dictionaries = Dictionaries::default();
        dictionaries.set_current(1, DICTIONARY.as_bytes());
        let frame = dictionaries.current().unwrap().compress("{}").unwrap();
        assert!(dictionaries.decompress(2, &frame).is_err());
        assert!(dictionaries.decompress(1, b"not zstd").is_err());
        assert!(dictionaries
            .decompress(1, &frame[..frame.len() - 1])
            .is_err());
        assert!(dictionaries.knows(1) && !dictionaries.knows(2));
    }
}
