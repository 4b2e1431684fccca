//! Per-thread scratch buffers for the hot path of reading a text.

use std::cell::RefCell;
use std::thread::LocalKey;

/// Runs `f` with this thread's buffers in `key`, so that reading one text after another does
/// not allocate them afresh. Re-entered on the same thread (never today), `f` gets fresh
/// buffers instead.
pub(crate) fn with_scratch<T: Default, R>(
    key: &'static LocalKey<RefCell<T>>,
    f: impl FnOnce(&mut T) -> R,
) -> R {
    key.with(|cell| match cell.try_borrow_mut() {
        Ok(mut scratch) => f(&mut scratch),
        Err(_) => f(&mut T::default()),
    })
}
