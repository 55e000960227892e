//! String similarity without allocation, for the hot comparison loop.
//!
//! Jaro–Winkler here equals `strsim::jaro_winkler` (property-tested against it) but works on
//! bytes with fixed-size flag arrays for ASCII strings up to 64 bytes, which is every
//! normalised name; longer or non-ASCII strings fall back to `strsim`.

/// Jaro–Winkler similarity (prefix scale 0.1, up to 4 characters, boost above 0.7).
pub fn jaro_winkler(a: &str, b: &str) -> f64 {
    let (x, y) = (a.as_bytes(), b.as_bytes());
    if !a.is_ascii() || !b.is_ascii() || x.len() > 64 || y.len() > 64 {
        return strsim::jaro_winkler(a, b);
    }
    let j = jaro(x, y);
    if j <= 0.7 {
        return j;
    }
    let prefix = x.iter().zip(y).take(4).take_while(|(p, q)| p == q).count() as f64;
    j + 0.1 * prefix * (1.0 - j)
}

/// Jaro–Winkler when it can reach `min`; otherwise some value below `min` (0), found from a
/// cheap upper bound: a matched character of one string must occur in the other, so the
/// matches are at most the characters of each string whose byte occurs in the other.
pub fn jaro_winkler_min(a: &str, b: &str, min: f64) -> f64 {
    let (x, y) = (a.as_bytes(), b.as_bytes());
    // the bound counts bytes; non-ASCII text is compared in characters, so no bound there
    if x.is_empty() || y.is_empty() || x == y || !a.is_ascii() || !b.is_ascii() {
        return jaro_winkler(a, b);
    }
    let mask = |s: &[u8]| s.iter().fold(0u64, |m, &c| m | 1 << (c & 63));
    let (mx, my) = (mask(x), mask(y));
    let in_y = x.iter().filter(|&&c| my & (1 << (c & 63)) != 0).count();
    let in_x = y.iter().filter(|&&c| mx & (1 << (c & 63)) != 0).count();
    let m = in_y.min(in_x) as f64;
    let jaro_ub = (m / x.len() as f64 + m / y.len() as f64 + 1.0) / 3.0;
    // the Winkler boost adds at most 0.4 of the remainder
    let ub = if jaro_ub > 0.7 {
        jaro_ub + 0.4 * (1.0 - jaro_ub)
    } else {
        jaro_ub
    };
    if ub < min {
        return 0.0;
    }
    jaro_winkler(a, b)
}

fn jaro(x: &[u8], y: &[u8]) -> f64 {
    if x.is_empty() && y.is_empty() {
        return 1.0;
    }
    if x.is_empty() || y.is_empty() {
        return 0.0;
    }
    if x == y {
        return 1.0;
    }
    let window = (x.len().max(y.len()) / 2).saturating_sub(1);
    let mut xf = [false; 64];
    let mut yf = [false; 64];
    let mut matches = 0usize;
    for (i, &c) in x.iter().enumerate() {
        let lo = i.saturating_sub(window);
        let hi = (i + window + 1).min(y.len());
        for j in lo..hi {
            if !yf[j] && y[j] == c {
                xf[i] = true;
                yf[j] = true;
                matches += 1;
                break;
            }
        }
    }
    if matches == 0 {
        return 0.0;
    }
    let mut transpositions = 0usize;
    let mut j = 0usize;
    for (i, &c) in x.iter().enumerate() {
        if !xf[i] {
            continue;
        }
        while !yf[j] {
            j += 1;
        }
        if c != y[j] {
            transpositions += 1;
        }
        j += 1;
    }
    let m = matches as f64;
    (m / x.len() as f64 + m / y.len() as f64 + (m - (transpositions / 2) as f64) / m) / 3.0
}

/// At most one edit apart: one substitution, insertion, deletion or transposition of two
/// adjacent characters (Damerau–Levenshtein distance <= 1), in one pass.
pub fn within_one_edit(a: &str, b: &str) -> bool {
    let (x, y) = (a.as_bytes(), b.as_bytes());
    if x == y {
        return true;
    }
    let (lx, ly) = (x.len(), y.len());
    if lx.abs_diff(ly) > 1 {
        return false;
    }
    let pre = x.iter().zip(y).take_while(|(p, q)| p == q).count();
    let suf = x[pre..]
        .iter()
        .rev()
        .zip(y[pre..].iter().rev())
        .take_while(|(p, q)| p == q)
        .count();
    let (rx, ry) = (lx - pre - suf, ly - pre - suf);
    match (rx, ry) {
        (1, 1) | (1, 0) | (0, 1) => true,
        (2, 2) => x[pre] == y[pre + 1] && x[pre + 1] == y[pre],
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn known_values() {
        assert!(
            (jaro_winkler("martha", "marhta") - strsim::jaro_winkler("martha", "marhta")).abs()
                < 1e-12
        );
        assert_eq!(jaro_winkler("", ""), 1.0);
        assert_eq!(jaro_winkler("a", ""), 0.0);
        assert!(within_one_edit("123456789", "123456780"));
        assert!(within_one_edit("123456789", "123465789"));
        assert!(within_one_edit("smith", "smth"));
        assert!(!within_one_edit("123456789", "123465780"));
        assert!(!within_one_edit("abc", "cba"));
    }

    proptest! {
        #[test]
        fn jaro_winkler_matches_strsim(a in "[a-e ]{0,12}", b in "[a-e ]{0,12}") {
            prop_assert!((jaro_winkler(&a, &b) - strsim::jaro_winkler(&a, &b)).abs() < 1e-9);
        }

        #[test]
        fn bounded_jaro_winkler_is_exact_above_its_minimum(a in "[a-hé.@]{0,14}", b in "[a-hè.@]{0,14}", min in 0.5f64..0.95) {
            let exact = jaro_winkler(&a, &b);
            let bounded = jaro_winkler_min(&a, &b, min);
            if exact >= min {
                prop_assert!((bounded - exact).abs() < 1e-12);
            } else {
                prop_assert!(bounded < min);
            }
        }

        #[test]
        fn one_edit_matches_damerau(a in "[0-3]{0,9}", b in "[0-3]{0,9}") {
            prop_assert_eq!(within_one_edit(&a, &b), strsim::damerau_levenshtein(&a, &b) <= 1);
        }
    }
}
