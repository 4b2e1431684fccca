//! The published lookup tables, as data.
//!
//! Each table is laid out exactly as printed in `shared/clinical/ergonomics.md` (same rows, same
//! column order) so a reviewer can compare them cell by cell. Lookups go through the small
//! functions at the bottom, which clamp every axis to the table's range so no input can index out
//! of bounds.

/// RULA Table A (McAtamney & Corlett 1993): upper-arm and wrist posture score.
///
/// Rows are upper arm 1–6 × lower arm 1–3 (row `(ua - 1) * 3 + (la - 1)`); columns are wrist 1–4
/// × wrist twist 1–2 (column `(w - 1) * 2 + (t - 1)`), i.e. `W1T1 W1T2 W2T1 … W4T2`.
pub const RULA_TABLE_A: [[u8; 8]; 18] = [
    // W1T1 W1T2 W2T1 W2T2 W3T1 W3T2 W4T1 W4T2
    [1, 2, 2, 2, 2, 3, 3, 3], // UA1 LA1
    [2, 2, 2, 2, 3, 3, 3, 3], // UA1 LA2
    [2, 3, 3, 3, 3, 3, 4, 4], // UA1 LA3
    [2, 3, 3, 3, 3, 4, 4, 4], // UA2 LA1
    [3, 3, 3, 3, 3, 4, 4, 4], // UA2 LA2
    [3, 4, 4, 4, 4, 4, 5, 5], // UA2 LA3
    [3, 3, 4, 4, 4, 4, 5, 5], // UA3 LA1
    [3, 4, 4, 4, 4, 4, 5, 5], // UA3 LA2
    [4, 4, 4, 4, 4, 5, 5, 5], // UA3 LA3
    [4, 4, 4, 4, 4, 5, 5, 5], // UA4 LA1
    [4, 4, 4, 4, 4, 5, 5, 5], // UA4 LA2
    [4, 4, 4, 5, 5, 5, 6, 6], // UA4 LA3
    [5, 5, 5, 5, 5, 6, 6, 7], // UA5 LA1
    [5, 6, 6, 6, 6, 7, 7, 7], // UA5 LA2
    [6, 6, 6, 7, 7, 7, 7, 8], // UA5 LA3
    [7, 7, 7, 7, 7, 8, 8, 9], // UA6 LA1
    [8, 8, 8, 8, 8, 9, 9, 9], // UA6 LA2
    [9, 9, 9, 9, 9, 9, 9, 9], // UA6 LA3
];

/// RULA Table B (McAtamney & Corlett 1993): neck, trunk and leg posture score.
///
/// Rows are neck 1–6; columns are trunk 1–6 × legs 1–2 (column `(t - 1) * 2 + (l - 1)`), i.e.
/// `T1L1 T1L2 T2L1 … T6L2`.
pub const RULA_TABLE_B: [[u8; 12]; 6] = [
    // T1L1 T1L2 T2L1 T2L2 T3L1 T3L2 T4L1 T4L2 T5L1 T5L2 T6L1 T6L2
    [1, 3, 2, 3, 3, 4, 5, 5, 6, 6, 7, 7], // neck 1
    [2, 3, 2, 3, 4, 5, 5, 5, 6, 7, 7, 7], // neck 2
    [3, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 7], // neck 3
    [5, 5, 5, 6, 6, 7, 7, 7, 7, 7, 8, 8], // neck 4
    [7, 7, 7, 7, 7, 8, 8, 8, 8, 8, 8, 8], // neck 5
    [8, 8, 8, 8, 8, 8, 8, 9, 9, 9, 9, 9], // neck 6
];

/// RULA Table C (McAtamney & Corlett 1993): grand score from Score C (rows 1–8+) and Score D
/// (columns 1–7+).
pub const RULA_TABLE_C: [[u8; 7]; 8] = [
    [1, 2, 3, 3, 4, 5, 5], // C 1
    [2, 2, 3, 4, 4, 5, 5], // C 2
    [3, 3, 3, 4, 4, 5, 6], // C 3
    [3, 3, 3, 4, 5, 6, 6], // C 4
    [4, 4, 4, 5, 6, 7, 7], // C 5
    [4, 4, 5, 6, 6, 7, 7], // C 6
    [5, 5, 6, 6, 7, 7, 7], // C 7
    [5, 5, 6, 7, 7, 7, 7], // C 8+
];

/// ROSA chair table (Sonne, Villalta & Andrews 2012).
///
/// Rows are seat height + seat-pan depth, 2–8 (row `value - 2`); columns are armrests + back
/// support, 2–9 (column `value - 2`).
pub const ROSA_CHAIR: [[u8; 8]; 7] = [
    //  2  3  4  5  6  7  8  9
    [2, 2, 3, 4, 5, 6, 7, 8], // 2
    [2, 2, 3, 4, 5, 6, 7, 8], // 3
    [3, 3, 3, 4, 5, 6, 7, 8], // 4
    [4, 4, 4, 4, 5, 6, 7, 8], // 5
    [5, 5, 5, 5, 6, 7, 8, 9], // 6
    [6, 6, 6, 7, 7, 8, 8, 9], // 7
    [7, 7, 7, 8, 8, 9, 9, 9], // 8
];

/// ROSA monitor-and-telephone table (Sonne, Villalta & Andrews 2012).
///
/// Rows are telephone + duration, 0–6; columns are monitor + duration, 0–7.
pub const ROSA_MONITOR_TELEPHONE: [[u8; 8]; 7] = [
    //  0  1  2  3  4  5  6  7
    [1, 1, 1, 2, 3, 4, 5, 6], // 0
    [1, 1, 2, 2, 3, 4, 5, 6], // 1
    [1, 2, 2, 3, 3, 4, 6, 7], // 2
    [2, 2, 3, 3, 4, 5, 6, 8], // 3
    [3, 3, 4, 4, 5, 6, 7, 8], // 4
    [4, 4, 5, 5, 6, 7, 8, 9], // 5
    [5, 5, 6, 7, 8, 8, 9, 9], // 6
];

/// ROSA mouse-and-keyboard table (Sonne, Villalta & Andrews 2012).
///
/// Rows are mouse + duration, 0–7; columns are keyboard + duration, 0–7.
pub const ROSA_MOUSE_KEYBOARD: [[u8; 8]; 8] = [
    //  0  1  2  3  4  5  6  7
    [1, 1, 1, 2, 3, 4, 5, 6], // 0
    [1, 1, 2, 3, 4, 5, 6, 7], // 1
    [1, 2, 2, 3, 4, 5, 6, 7], // 2
    [2, 3, 3, 3, 5, 6, 7, 8], // 3
    [3, 4, 4, 5, 5, 6, 7, 8], // 4
    [4, 5, 5, 6, 6, 7, 8, 9], // 5
    [5, 6, 6, 7, 7, 8, 8, 9], // 6
    [6, 7, 7, 8, 8, 9, 9, 9], // 7
];

/// Clamp `v` into `lo..=hi` and return its zero-based offset from `lo`.
fn axis(v: i32, lo: i32, hi: i32) -> usize {
    // Clamping (rather than panicking) is the contract's rule for ROSA and keeps RULA lookups
    // total even for hand-built inputs.
    (v.clamp(lo, hi) - lo) as usize
}

/// RULA Table A lookup; upper arm 1–6, lower arm 1–3, wrist 1–4, twist 1–2 (each clamped).
pub fn rula_a(upper_arm: u8, lower_arm: u8, wrist: u8, twist: u8) -> u8 {
    let row = axis(upper_arm.into(), 1, 6) * 3 + axis(lower_arm.into(), 1, 3);
    let col = axis(wrist.into(), 1, 4) * 2 + axis(twist.into(), 1, 2);
    RULA_TABLE_A[row][col]
}

/// RULA Table B lookup; neck 1–6, trunk 1–6, legs 1–2 (each clamped).
pub fn rula_b(neck: u8, trunk: u8, legs: u8) -> u8 {
    let col = axis(trunk.into(), 1, 6) * 2 + axis(legs.into(), 1, 2);
    RULA_TABLE_B[axis(neck.into(), 1, 6)][col]
}

/// RULA Table C lookup: `Table C[min(C, 8)][min(D, 7)]` (and at least 1 on each axis).
pub fn rula_c(score_c: u8, score_d: u8) -> u8 {
    RULA_TABLE_C[axis(score_c.into(), 1, 8)][axis(score_d.into(), 1, 7)]
}

/// ROSA chair table lookup; rows clamped to 2–8, columns to 2–9.
pub fn rosa_chair(height_plus_depth: i32, armrests_plus_back: i32) -> u8 {
    ROSA_CHAIR[axis(height_plus_depth, 2, 8)][axis(armrests_plus_back, 2, 9)]
}

/// ROSA monitor-and-telephone lookup; telephone clamped to 0–6, monitor to 0–7.
pub fn rosa_monitor_telephone(telephone: i32, monitor: i32) -> u8 {
    ROSA_MONITOR_TELEPHONE[axis(telephone, 0, 6)][axis(monitor, 0, 7)]
}

/// ROSA mouse-and-keyboard lookup; both axes clamped to 0–7.
pub fn rosa_mouse_keyboard(mouse: i32, keyboard: i32) -> u8 {
    ROSA_MOUSE_KEYBOARD[axis(mouse, 0, 7)][axis(keyboard, 0, 7)]
}

#[cfg(test)]
mod tests {
    use super::*;

    // Every cell, reached through the lookup function, equals the raw table cell: this proves
    // the row/column arithmetic for every lookup path.
    #[test]
    fn table_a_every_cell_via_lookup() {
        for ua in 1..=6u8 {
            for la in 1..=3u8 {
                for w in 1..=4u8 {
                    for t in 1..=2u8 {
                        let row = usize::from((ua - 1) * 3 + (la - 1));
                        let col = usize::from((w - 1) * 2 + (t - 1));
                        assert_eq!(rula_a(ua, la, w, t), RULA_TABLE_A[row][col]);
                    }
                }
            }
        }
    }

    #[test]
    fn table_b_every_cell_via_lookup() {
        for n in 1..=6u8 {
            for t in 1..=6u8 {
                for l in 1..=2u8 {
                    let col = usize::from((t - 1) * 2 + (l - 1));
                    assert_eq!(rula_b(n, t, l), RULA_TABLE_B[usize::from(n - 1)][col]);
                }
            }
        }
    }

    #[test]
    fn table_c_every_cell_via_lookup() {
        for c in 1..=8u8 {
            for d in 1..=7u8 {
                assert_eq!(
                    rula_c(c, d),
                    RULA_TABLE_C[usize::from(c - 1)][usize::from(d - 1)]
                );
            }
        }
    }

    #[test]
    fn rosa_tables_every_cell_via_lookup() {
        for r in 2..=8 {
            for c in 2..=9 {
                assert_eq!(
                    rosa_chair(r, c),
                    ROSA_CHAIR[(r - 2) as usize][(c - 2) as usize]
                );
            }
        }
        for r in 0..=6 {
            for c in 0..=7 {
                assert_eq!(
                    rosa_monitor_telephone(r, c),
                    ROSA_MONITOR_TELEPHONE[r as usize][c as usize]
                );
            }
        }
        for r in 0..=7 {
            for c in 0..=7 {
                assert_eq!(
                    rosa_mouse_keyboard(r, c),
                    ROSA_MOUSE_KEYBOARD[r as usize][c as usize]
                );
            }
        }
    }

    // Cells typed by hand from the printed spec, independent of the arrays above.
    #[test]
    fn spot_checks_typed_from_spec() {
        assert_eq!(rula_a(1, 1, 1, 1), 1);
        assert_eq!(rula_a(1, 1, 3, 2), 3);
        assert_eq!(rula_a(2, 2, 3, 1), 3); // typist worked example
        assert_eq!(rula_a(2, 3, 4, 1), 5);
        assert_eq!(rula_a(4, 3, 2, 2), 5);
        assert_eq!(rula_a(5, 1, 4, 2), 7);
        assert_eq!(rula_a(5, 3, 4, 2), 8);
        assert_eq!(rula_a(6, 1, 1, 1), 7);
        assert_eq!(rula_a(6, 3, 1, 1), 9);
        assert_eq!(rula_b(1, 1, 1), 1);
        assert_eq!(rula_b(1, 1, 2), 3);
        assert_eq!(rula_b(3, 2, 1), 3); // typist worked example
        assert_eq!(rula_b(2, 3, 1), 4);
        assert_eq!(rula_b(4, 6, 2), 8);
        assert_eq!(rula_b(6, 4, 1), 8);
        assert_eq!(rula_b(6, 4, 2), 9);
        assert_eq!(rula_c(4, 4), 4); // typist worked example
        assert_eq!(rula_c(1, 7), 5);
        assert_eq!(rula_c(3, 7), 6);
        assert_eq!(rula_c(5, 6), 7);
        assert_eq!(rula_c(8, 1), 5);
        assert_eq!(rula_c(8, 4), 7);
        assert_eq!(rosa_chair(2, 2), 2);
        assert_eq!(rosa_chair(5, 5), 4); // poor set-up worked example
        assert_eq!(rosa_chair(7, 5), 7);
        assert_eq!(rosa_chair(8, 9), 9);
        assert_eq!(rosa_chair(6, 2), 5);
        assert_eq!(rosa_monitor_telephone(2, 4), 3); // poor set-up worked example
        assert_eq!(rosa_monitor_telephone(3, 7), 8);
        assert_eq!(rosa_monitor_telephone(6, 3), 7);
        assert_eq!(rosa_monitor_telephone(0, 0), 1);
        assert_eq!(rosa_mouse_keyboard(4, 4), 5); // poor set-up worked example
        assert_eq!(rosa_mouse_keyboard(3, 1), 3);
        assert_eq!(rosa_mouse_keyboard(7, 0), 6);
        assert_eq!(rosa_mouse_keyboard(1, 7), 7);
    }

    #[test]
    fn axes_clamp_instead_of_panicking() {
        assert_eq!(rula_a(0, 0, 0, 0), rula_a(1, 1, 1, 1));
        assert_eq!(rula_a(200, 9, 9, 9), 9);
        assert_eq!(rula_b(9, 9, 9), 9);
        assert_eq!(rula_c(13, 13), rula_c(8, 7));
        assert_eq!(rula_c(0, 0), 1);
        assert_eq!(rosa_chair(1, 1), rosa_chair(2, 2));
        assert_eq!(rosa_chair(12, 12), 9);
        assert_eq!(rosa_monitor_telephone(-1, 8), rosa_monitor_telephone(0, 7));
        assert_eq!(rosa_monitor_telephone(7, 0), rosa_monitor_telephone(6, 0));
        assert_eq!(rosa_mouse_keyboard(-1, 9), rosa_mouse_keyboard(0, 7));
    }

    // Published tables never decrease along any axis; a typo in a cell would usually break this.
    #[test]
    fn tables_are_monotone() {
        for ua in 1..=6u8 {
            for la in 1..=3u8 {
                for w in 1..=4u8 {
                    for t in 1..=2u8 {
                        let v = rula_a(ua, la, w, t);
                        assert!(rula_a(ua + 1, la, w, t) >= v || ua == 6);
                        assert!(rula_a(ua, la, w, t + 1) >= v || t == 2);
                        assert!(rula_a(ua, la, w + 1, t) >= v || w == 4);
                    }
                }
            }
        }
        for r in 0..7 {
            for c in 0..7 {
                assert!(ROSA_CHAIR[r][c + 1] >= ROSA_CHAIR[r][c]);
                if r < 6 {
                    assert!(ROSA_CHAIR[r + 1][c] >= ROSA_CHAIR[r][c]);
                }
            }
        }
        for c in 1..=8u8 {
            for d in 1..7u8 {
                assert!(rula_c(c, d + 1) >= rula_c(c, d));
            }
        }
    }
}
