//! Person-name normalisation.
//!
//! Names are compared after a lossy but stable transformation: Unicode compatibility
//! decomposition (NFKD), transliteration to ASCII (diacritics are stripped, other scripts are
//! romanised by [`deunicode`]), lowercasing, and every character that is not a letter or a digit
//! (punctuation, hyphens, apostrophes) turned into a space. Whitespace is collapsed.
//!
//! Nothing here guesses a name's origin: the same rules apply to every name, as
//! `shared/spec/indicators.md` requires.
//!
//! ```
//! use muster_normalize::name::{name_key, normalize_name};
//!
//! assert_eq!(normalize_name("  José   GARCÍA-López "), "jose garcia lopez");
//! assert_eq!(name_key("García, José"), name_key("jose garcia"));
//! ```

use unicode_normalization::UnicodeNormalization;

/// Normalises a person's name for comparison, keeping token order.
///
/// Steps: NFKD, transliteration to ASCII (diacritics removed), lowercase, every character that is
/// not an ASCII letter or digit becomes a space, runs of whitespace collapse to one space, and
/// the result is trimmed. The output is idempotent: normalising it again returns it unchanged.
///
/// ```
/// use muster_normalize::name::normalize_name;
///
/// assert_eq!(normalize_name("O'Brien,  Mary-Ann"), "o brien mary ann");
/// assert_eq!(normalize_name("Ｊｏｈｎ"), "john"); // full-width letters (NFKD)
/// assert_eq!(normalize_name("..."), "");
/// ```
pub fn normalize_name(input: &str) -> String {
    // ASCII is its own NFKD form and transliteration: skip both (the common case, and the
    // hot path of entity resolution)
    let ascii: std::borrow::Cow<'_, str> = if input.is_ascii() {
        input.into()
    } else {
        let decomposed: String = input.nfkd().collect();
        deunicode::deunicode(&decomposed).into()
    };
    let mut out = String::with_capacity(ascii.len());
    let mut pending_space = false;
    for ch in ascii.chars() {
        if ch.is_ascii_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.push(ch.to_ascii_lowercase());
        } else {
            pending_space = true;
        }
    }
    out
}

/// The tokens of [`normalize_name`], in their original order.
///
/// ```
/// use muster_normalize::name::name_tokens;
///
/// assert_eq!(name_tokens("Kim Jong-Su"), vec!["kim", "jong", "su"]);
/// assert!(name_tokens(" - ").is_empty());
/// ```
pub fn name_tokens(input: &str) -> Vec<String> {
    normalize_name(input)
        .split(' ')
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

/// An order-insensitive key for a name: the tokens of [`normalize_name`], sorted and joined by
/// a single space, so `"García, José"` and `"jose garcia"` give the same key.
///
/// ```
/// use muster_normalize::name::name_key;
///
/// assert_eq!(name_key("García, José"), "garcia jose");
/// assert_eq!(name_key("jose garcia"), "garcia jose");
/// ```
pub fn name_key(input: &str) -> String {
    let mut tokens = name_tokens(input);
    tokens.sort_unstable();
    tokens.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn strips_diacritics_and_lowercases() {
        assert_eq!(normalize_name("ÉLODIE Müller"), "elodie muller");
        assert_eq!(normalize_name("Łukasz Żółć"), "lukasz zolc");
        assert_eq!(normalize_name("Ñandú"), "nandu");
    }

    #[test]
    fn punctuation_and_hyphens_become_spaces() {
        assert_eq!(normalize_name("Smith-Jones, Jr."), "smith jones jr");
        assert_eq!(normalize_name("d'Arcy"), "d arcy");
        assert_eq!(normalize_name("A.B.\tC\n\nD"), "a b c d");
    }

    #[test]
    fn keeps_token_order_and_collapses_whitespace() {
        assert_eq!(normalize_name("   Garcia    Jose  "), "garcia jose");
        assert_eq!(normalize_name("Jose Garcia"), "jose garcia");
    }

    #[test]
    fn compatibility_forms_are_folded() {
        // Full-width and ligature forms decompose under NFKD.
        assert_eq!(normalize_name("ＡＮＮＡ"), "anna");
        assert_eq!(normalize_name("ﬁona"), "fiona");
    }

    #[test]
    fn other_scripts_are_romanised() {
        let hangul = normalize_name("김정은");
        assert!(!hangul.is_empty());
        assert!(hangul.chars().all(|c| c.is_ascii_lowercase() || c == ' '));
        let cyr = normalize_name("Дмитрий Иванов");
        assert_eq!(cyr, "dmitrii ivanov");
    }

    #[test]
    fn empty_and_symbol_only_inputs() {
        assert_eq!(normalize_name(""), "");
        assert_eq!(normalize_name("--- ,,, "), "");
        assert_eq!(name_key(""), "");
        assert!(name_tokens("").is_empty());
    }

    #[test]
    fn key_is_order_insensitive() {
        assert_eq!(name_key("García, José"), name_key("jose garcia"));
        assert_eq!(name_key("Mary-Ann O'Neil"), name_key("O'Neil, Mary Ann"));
        assert_ne!(name_key("Mary Ann"), name_key("Mary Anne"));
    }

    #[test]
    fn tokens_match_normalized() {
        assert_eq!(
            name_tokens("Anne-Marie  de la Cruz"),
            vec!["anne", "marie", "de", "la", "cruz"]
        );
    }

    proptest! {
        #[test]
        fn never_panics(s in any::<String>()) {
            let _ = normalize_name(&s);
            let _ = name_key(&s);
            let _ = name_tokens(&s);
        }

        #[test]
        fn normalize_is_idempotent(s in any::<String>()) {
            let once = normalize_name(&s);
            prop_assert_eq!(normalize_name(&once), once.clone());
            prop_assert!(once.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == ' '));
            prop_assert!(!once.contains("  "));
            prop_assert_eq!(once.trim(), once.as_str());
        }

        #[test]
        fn key_is_idempotent_and_permutation_invariant(
            words in proptest::collection::vec("[A-Za-zéüñ]{1,8}", 1..5),
            sep in "[ ,.-]{1,3}",
        ) {
            let joined = words.join(&sep);
            let mut reversed = words.clone();
            reversed.reverse();
            let rev_joined = reversed.join(" ");
            let key = name_key(&joined);
            prop_assert_eq!(name_key(&rev_joined), key.clone());
            prop_assert_eq!(name_key(&key), key);
        }
    }
}
