//! Non-overlapping address-range tables with a bitmask per range.
//!
//! Input intervals (from CIDRs, start-end ranges or single addresses) may overlap and carry
//! different tag bits. [`IntervalBuilder`] splits them with a sweep line into sorted,
//! non-overlapping segments, each carrying the union of the bits that cover it, and merges
//! adjacent segments with equal masks. A lookup is one binary search.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::segments::{Key, bucket_index, last_start_at_or_before};

/// Maximum number of distinct bits a table can carry.
pub(crate) const MAX_BITS: usize = 16;

/// Collects tagged inclusive intervals over the IPv4 and IPv6 spaces.
#[derive(Debug, Default, Clone)]
pub(crate) struct IntervalBuilder {
    v4: Vec<(u128, u128, u8)>,
    v6: Vec<(u128, u128, u8)>,
}

impl IntervalBuilder {
    /// Adds the inclusive range `start..=end` with tag bit number `bit` (< 16).
    /// Both ends must be of the same family and `start <= end` (checked by callers).
    pub(crate) fn add(&mut self, range: AddrRange, bit: u8) {
        debug_assert!((bit as usize) < MAX_BITS);
        match range {
            AddrRange::V4(s, e) => self.v4.push((u128::from(s), u128::from(e), bit)),
            AddrRange::V6(s, e) => self.v6.push((s, e, bit)),
        }
    }

    /// Number of intervals added so far (both families).
    pub(crate) fn len(&self) -> usize {
        self.v4.len() + self.v6.len()
    }

    /// Builds the lookup tables.
    pub(crate) fn build(&self) -> RangeTables {
        let v4 = sweep(&self.v4, u128::from(u32::MAX));
        let v4 = RangeTable::new(
            v4.starts.iter().map(|&s| narrow(s)).collect(),
            v4.ends.iter().map(|&e| narrow(e)).collect(),
            v4.masks,
        );
        RangeTables {
            v4,
            v6: sweep(&self.v6, u128::MAX),
        }
    }
}

fn narrow(x: u128) -> u32 {
    u32::try_from(x).unwrap_or(u32::MAX)
}

/// An inclusive address range of one family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AddrRange {
    /// IPv4 `start..=end`.
    V4(u32, u32),
    /// IPv6 `start..=end`.
    V6(u128, u128),
}

impl AddrRange {
    /// The range covering exactly one address.
    pub(crate) fn single(ip: IpAddr) -> Self {
        match ip {
            IpAddr::V4(a) => AddrRange::V4(u32::from(a), u32::from(a)),
            IpAddr::V6(a) => AddrRange::V6(u128::from(a), u128::from(a)),
        }
    }

    /// The range `start..=end`, or `None` when the families differ or `start > end`.
    pub(crate) fn between(start: IpAddr, end: IpAddr) -> Option<Self> {
        match (start, end) {
            (IpAddr::V4(s), IpAddr::V4(e)) if s <= e => {
                Some(AddrRange::V4(u32::from(s), u32::from(e)))
            }
            (IpAddr::V6(s), IpAddr::V6(e)) if s <= e => {
                Some(AddrRange::V6(u128::from(s), u128::from(e)))
            }
            _ => None,
        }
    }

    /// The range of the CIDR block `ip/prefix` (host bits are ignored), or `None` when the prefix
    /// is too long for the family.
    pub(crate) fn cidr(ip: IpAddr, prefix: u8) -> Option<Self> {
        match ip {
            IpAddr::V4(a) => {
                if prefix > 32 {
                    return None;
                }
                let host_bits = 32 - u32::from(prefix);
                let mask = u32::MAX.checked_shl(host_bits).unwrap_or(0);
                let start = u32::from(a) & mask;
                Some(AddrRange::V4(start, start | !mask))
            }
            IpAddr::V6(a) => {
                if prefix > 128 {
                    return None;
                }
                let host_bits = 128 - u32::from(prefix);
                let mask = u128::MAX.checked_shl(host_bits).unwrap_or(0);
                let start = u128::from(a) & mask;
                Some(AddrRange::V6(start, start | !mask))
            }
        }
    }
}

/// Parses `ip`, `ip/prefix` or `start-end` (whitespace around `-` allowed). IPv6 may be bracketed.
pub(crate) fn parse_range(text: &str) -> Result<AddrRange, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("empty address".to_string());
    }
    if let Some((addr, prefix)) = text.split_once('/') {
        let ip = parse_ip(addr)?;
        let prefix: u8 = prefix
            .trim()
            .parse()
            .map_err(|_| format!("invalid prefix length {:?}", prefix.trim()))?;
        return AddrRange::cidr(ip, prefix)
            .ok_or_else(|| format!("prefix length /{prefix} too long for {ip}"));
    }
    if let Some((a, b)) = text.split_once('-') {
        // IPv6 addresses never contain '-', so this is a range.
        let (Ok(s), Ok(e)) = (parse_ip(a), parse_ip(b)) else {
            return Err(format!("invalid IP address or range {text:?}"));
        };
        return AddrRange::between(s, e)
            .ok_or_else(|| format!("invalid range {s} - {e} (mixed families or start > end)"));
    }
    Ok(AddrRange::single(parse_ip(text)?))
}

/// Parses an IPv4/IPv6 address, tolerating surrounding whitespace and `[...]` brackets.
pub(crate) fn parse_ip(text: &str) -> Result<IpAddr, String> {
    let t = text.trim();
    let t = t
        .strip_prefix('[')
        .and_then(|x| x.strip_suffix(']'))
        .unwrap_or(t);
    t.parse::<IpAddr>()
        .map_err(|_| format!("invalid IP address {:?}", text.trim()))
}

struct Swept {
    starts: Vec<u128>,
    ends: Vec<u128>,
    masks: Vec<u16>,
}

fn sweep(intervals: &[(u128, u128, u8)], max: u128) -> RangeTable<u128> {
    // Events: (position, +1/-1, bit). An interval [s, e] opens at s and closes at e + 1.
    let mut events: Vec<(u128, i8, u8)> = Vec::with_capacity(intervals.len() * 2);
    for &(s, e, bit) in intervals {
        let e = e.min(max);
        if s > e {
            continue;
        }
        events.push((s, 1, bit));
        if e < max {
            events.push((e + 1, -1, bit));
        }
    }
    events.sort_unstable();
    let mut counts = [0i64; MAX_BITS];
    let mut out = Swept {
        starts: Vec::new(),
        ends: Vec::new(),
        masks: Vec::new(),
    };
    let mut i = 0;
    while i < events.len() {
        let pos = events[i].0;
        while i < events.len() && events[i].0 == pos {
            let (_, delta, bit) = events[i];
            if let Some(c) = counts.get_mut(bit as usize) {
                *c += i64::from(delta);
            }
            i += 1;
        }
        let mask = counts
            .iter()
            .enumerate()
            .filter(|(_, c)| **c > 0)
            .fold(0u16, |m, (b, _)| m | (1 << b));
        if mask == 0 {
            continue;
        }
        let end = match events.get(i) {
            Some(&(next, _, _)) => next - 1,
            None => max,
        };
        // Merge with the previous segment when adjacent and equal.
        if let (Some(&last_end), Some(&last_mask)) = (out.ends.last(), out.masks.last())
            && last_mask == mask
            && last_end.checked_add(1) == Some(pos)
        {
            if let Some(e) = out.ends.last_mut() {
                *e = end;
            }
            continue;
        }
        out.starts.push(pos);
        out.ends.push(end);
        out.masks.push(mask);
    }
    RangeTable::new(out.starts, out.ends, out.masks)
}

/// Sorted non-overlapping inclusive ranges with a bitmask each.
#[derive(Debug, Clone, Default)]
pub(crate) struct RangeTable<T> {
    starts: Vec<T>,
    ends: Vec<T>,
    masks: Vec<u16>,
    /// Bucket index on the top 16 bits (see [`bucket_index`]).
    index: Vec<u32>,
}

impl<T: Key> RangeTable<T> {
    fn new(starts: Vec<T>, ends: Vec<T>, masks: Vec<u16>) -> Self {
        let index = bucket_index(&starts);
        RangeTable {
            starts,
            ends,
            masks,
            index,
        }
    }

    /// The mask of the range containing `x`, or 0.
    #[inline]
    pub(crate) fn get(&self, x: T) -> u16 {
        let Some(i) = last_start_at_or_before(&self.starts, &self.index, x) else {
            return 0;
        };
        match (self.ends.get(i), self.masks.get(i)) {
            (Some(&end), Some(&mask)) if x <= end => mask,
            _ => 0,
        }
    }

    /// Number of segments.
    pub(crate) fn len(&self) -> usize {
        self.starts.len()
    }

    /// The merged `(start, end)` segments, in order.
    pub(crate) fn segments(&self) -> impl Iterator<Item = (T, T)> + '_ {
        self.starts.iter().copied().zip(self.ends.iter().copied())
    }
}

/// The IPv4 and IPv6 tables built from one [`IntervalBuilder`].
#[derive(Debug, Clone, Default)]
pub(crate) struct RangeTables {
    pub(crate) v4: RangeTable<u32>,
    pub(crate) v6: RangeTable<u128>,
}

impl RangeTables {
    /// The mask for `ip`; IPv4-mapped IPv6 addresses (`::ffff:a.b.c.d`) are looked up as IPv4.
    #[inline]
    pub(crate) fn get(&self, ip: IpAddr) -> u16 {
        match ip {
            IpAddr::V4(a) => self.get_v4(a),
            IpAddr::V6(a) => match a.to_ipv4_mapped() {
                Some(v4) => self.get_v4(v4),
                None => self.get_v6(a),
            },
        }
    }

    #[inline]
    pub(crate) fn get_v4(&self, a: Ipv4Addr) -> u16 {
        self.v4.get(u32::from(a))
    }

    #[inline]
    pub(crate) fn get_v6(&self, a: Ipv6Addr) -> u16 {
        self.v6.get(u128::from(a))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(s: &str) -> AddrRange {
        parse_range(s).unwrap()
    }

    #[test]
    fn overlapping_tags_are_kept() {
        let mut b = IntervalBuilder::default();
        b.add(r("10.0.0.0/8"), 0);
        b.add(r("10.1.0.0/16"), 1);
        b.add(r("10.1.2.3"), 2);
        b.add(r("10.0.0.0/8"), 0); // duplicate
        let t = b.build();
        let g = |s: &str| t.get(s.parse().unwrap());
        assert_eq!(g("10.0.0.1"), 0b001);
        assert_eq!(g("10.1.0.0"), 0b011);
        assert_eq!(g("10.1.2.3"), 0b111);
        assert_eq!(g("10.1.2.4"), 0b011);
        assert_eq!(g("10.2.0.0"), 0b001);
        assert_eq!(g("10.255.255.255"), 0b001);
        assert_eq!(g("11.0.0.0"), 0);
        assert_eq!(g("9.255.255.255"), 0);
        assert_eq!(t.v4.len(), 5);
    }

    #[test]
    fn extremes() {
        let mut b = IntervalBuilder::default();
        b.add(r("0.0.0.0/0"), 3);
        b.add(r("255.255.255.255"), 1);
        b.add(r("::/0"), 0);
        let t = b.build();
        assert_eq!(t.get("0.0.0.0".parse().unwrap()), 0b1000);
        assert_eq!(t.get("255.255.255.255".parse().unwrap()), 0b1010);
        assert_eq!(
            t.get("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff".parse().unwrap()),
            1
        );
        // IPv4-mapped IPv6 goes to the IPv4 table.
        assert_eq!(t.get("::ffff:1.2.3.4".parse().unwrap()), 0b1000);
    }

    #[test]
    fn adjacent_equal_segments_merge() {
        let mut b = IntervalBuilder::default();
        b.add(r("10.0.0.0/25"), 0);
        b.add(r("10.0.0.128/25"), 0);
        assert_eq!(b.build().v4.len(), 1);
    }

    #[test]
    fn parse_errors() {
        assert!(parse_range("10.0.0.0/33").is_err());
        assert!(parse_range("10.0.0.0/x").is_err());
        assert!(parse_range("nope").is_err());
        assert!(parse_range("10.0.0.9 - 10.0.0.1").is_err());
        assert!(parse_range("10.0.0.1 - ::1").is_err());
        assert_eq!(
            parse_range("10.0.0.5/24").unwrap(),
            AddrRange::V4(0x0a00_0000, 0x0a00_00ff)
        );
        assert!(parse_range("[2001:db8::1]").is_ok());
    }
}
