//! Digital-currency address normalisation and the per-currency OFAC address lists.

use crate::error::{IntelError, LineError, Result};
use crate::util::utf8_lossy;

/// The embedded per-currency lists (`data/sanctions/crypto/sanctioned_addresses_<CUR>.txt`).
pub(crate) const EMBEDDED_LISTS: &[(&str, &[u8])] = &[
    (
        "ARB",
        include_bytes!("../../../../data/sanctions/crypto/sanctioned_addresses_ARB.txt"),
    ),
    (
        "BCH",
        include_bytes!("../../../../data/sanctions/crypto/sanctioned_addresses_BCH.txt"),
    ),
    (
        "BSC",
        include_bytes!("../../../../data/sanctions/crypto/sanctioned_addresses_BSC.txt"),
    ),
    (
        "BSV",
        include_bytes!("../../../../data/sanctions/crypto/sanctioned_addresses_BSV.txt"),
    ),
    (
        "BTG",
        include_bytes!("../../../../data/sanctions/crypto/sanctioned_addresses_BTG.txt"),
    ),
    (
        "DASH",
        include_bytes!("../../../../data/sanctions/crypto/sanctioned_addresses_DASH.txt"),
    ),
    (
        "ETC",
        include_bytes!("../../../../data/sanctions/crypto/sanctioned_addresses_ETC.txt"),
    ),
    (
        "ETH",
        include_bytes!("../../../../data/sanctions/crypto/sanctioned_addresses_ETH.txt"),
    ),
    (
        "LTC",
        include_bytes!("../../../../data/sanctions/crypto/sanctioned_addresses_LTC.txt"),
    ),
    (
        "TRX",
        include_bytes!("../../../../data/sanctions/crypto/sanctioned_addresses_TRX.txt"),
    ),
    (
        "USDC",
        include_bytes!("../../../../data/sanctions/crypto/sanctioned_addresses_USDC.txt"),
    ),
    (
        "USDT",
        include_bytes!("../../../../data/sanctions/crypto/sanctioned_addresses_USDT.txt"),
    ),
    (
        "XBT",
        include_bytes!("../../../../data/sanctions/crypto/sanctioned_addresses_XBT.txt"),
    ),
    (
        "XMR",
        include_bytes!("../../../../data/sanctions/crypto/sanctioned_addresses_XMR.txt"),
    ),
    (
        "XRP",
        include_bytes!("../../../../data/sanctions/crypto/sanctioned_addresses_XRP.txt"),
    ),
    (
        "XVG",
        include_bytes!("../../../../data/sanctions/crypto/sanctioned_addresses_XVG.txt"),
    ),
    (
        "ZEC",
        include_bytes!("../../../../data/sanctions/crypto/sanctioned_addresses_ZEC.txt"),
    ),
];

const BECH32_CHARSET: &str = "023456789acdefghjklmnpqrstuvwxyz";

/// The comparison key of an address:
///
/// * `0x` + hex (Ethereum-style, EIP-55 checksums use letter case only as a checksum), and any
///   other all-hex string of 32+ characters: lowercase;
/// * bech32 / bech32m (`bc1`, `ltc1`, `tb1`) and Bitcoin Cash cashaddr (`bitcoincash:q...`,
///   `q...`, `p...`): lowercase (these encodings are case-insensitive), `bitcoincash:` removed;
/// * everything else (base58: Bitcoin `1...`/`3...`, Litecoin, Tron, Monero, Zcash, XRP, ...):
///   unchanged, because base58 is case-sensitive.
///
/// Returns `None` for empty or non-address-like input (whitespace inside, non-ASCII).
pub(crate) fn normalize_address(addr: &str) -> Option<String> {
    let a = addr.trim();
    if a.is_empty()
        || a.len() > 256
        || !a
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b':' || b == b'_' || b == b'-')
    {
        return None;
    }
    let lower = a.to_ascii_lowercase();
    if let Some(hex) = lower.strip_prefix("0x")
        && !hex.is_empty()
        && hex.bytes().all(|b| b.is_ascii_hexdigit())
    {
        return Some(lower);
    }
    if lower.len() >= 32 && lower.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Some(lower);
    }
    let in_charset = |s: &str| !s.is_empty() && s.chars().all(|c| BECH32_CHARSET.contains(c));
    for hrp in ["bc1", "ltc1", "tb1"] {
        if let Some(rest) = lower.strip_prefix(hrp)
            && in_charset(rest)
        {
            return Some(lower);
        }
    }
    let cash = lower.strip_prefix("bitcoincash:").unwrap_or(&lower);
    if cash.len() == 42 && (cash.starts_with('q') || cash.starts_with('p')) && in_charset(cash) {
        return Some(cash.to_string());
    }
    Some(a.to_string())
}

/// Parses one list (one address per line; blank lines and `#` comments ignored).
pub(crate) fn parse_list(bytes: &[u8], label: &str) -> Result<Vec<String>> {
    let text = utf8_lossy(bytes);
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        if normalize_address(t).is_some() {
            out.push(t.to_string());
        } else {
            errors.push(LineError::new(
                label,
                i + 1,
                t,
                "not a digital currency address",
            ));
        }
    }
    if !errors.is_empty() {
        return Err(IntelError::InvalidLines {
            file: label.to_string(),
            errors,
        });
    }
    Ok(out)
}

/// The currency code of a list file name `sanctioned_addresses_<CUR>.txt`.
pub(crate) fn currency_of_file(name: &str) -> Option<&str> {
    let cur = name
        .strip_prefix("sanctioned_addresses_")?
        .strip_suffix(".txt")?;
    (!cur.is_empty() && cur.bytes().all(|b| b.is_ascii_alphanumeric())).then_some(cur)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalisation() {
        let eth = "0x098B716B8Aaf21512996dC57EB0615e2383E2f96";
        assert_eq!(
            normalize_address(eth),
            normalize_address(&eth.to_lowercase())
        );
        assert_eq!(
            normalize_address("BC1QXY2KGDYGJRSQTZQ2N0YRF2493P83KKFJHX0WLH").as_deref(),
            Some("bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh")
        );
        assert_eq!(
            normalize_address("bitcoincash:qpusmp64rajses77x95g9ah825mtyyv74smwwkxhx3").as_deref(),
            Some("qpusmp64rajses77x95g9ah825mtyyv74smwwkxhx3")
        );
        // base58 is case-sensitive
        assert_ne!(
            normalize_address("1Kuf2Rd8mDyAViwBozGTNYnvWL8uYFrkVo"),
            normalize_address("1kuf2rd8mdyaviwbozgtnynvwl8uyfrkvo")
        );
        assert_eq!(normalize_address("a b"), None);
        assert_eq!(normalize_address(""), None);
        assert_eq!(
            currency_of_file("sanctioned_addresses_XBT.txt"),
            Some("XBT")
        );
        assert_eq!(currency_of_file("LICENSE"), None);
    }
}
