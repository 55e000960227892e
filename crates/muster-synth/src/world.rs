//! Small value types of the synthetic world: addresses, network endpoints, Wi-Fi networks,
//! homes, phone numbers and bank accounts, with their random constructors and writers.

use rand::Rng;

use crate::catalog::{FOREIGN_CITIES, HOME_SSIDS, ROUTER_OUI, STREET_SUFFIX, STREETS};
use crate::out::RowBuf;
use crate::refdata::{RangeKind, RefData};
use crate::rng::{RngExt, pick};

/// What kind of delivery point an address is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AddrKind {
    /// A house or apartment.
    Home,
    /// A private mailbox at a pack-and-ship store ("Ste 110 PMB 2345").
    MailDrop,
    /// A PO box.
    PoBox,
}

/// A US postal address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Addr {
    pub place: u32,
    pub number: u32,
    pub street: u16,
    pub suffix: u8,
    /// Apartment / unit (0: none) or PMB / PO box number.
    pub unit: u16,
    pub kind: AddrKind,
}

impl Addr {
    /// A random home address at `place`.
    pub fn home<R: Rng + ?Sized>(rng: &mut R, place: u32) -> Self {
        let apt = rng.chance(0.22);
        Addr {
            place,
            number: if rng.chance(0.7) {
                rng.uint(100, 9999)
            } else {
                rng.uint(10, 29999)
            },
            street: rng.index(STREETS.len()) as u16,
            suffix: rng.index(STREET_SUFFIX.len()) as u8,
            unit: if apt { rng.uint(1, 2400) as u16 } else { 0 },
            kind: AddrKind::Home,
        }
    }

    /// A mail drop (PMB at a shipping store) or PO box at `place`.
    pub fn mail_drop<R: Rng + ?Sized>(rng: &mut R, place: u32) -> Self {
        let po = rng.chance(0.3);
        Addr {
            place,
            number: rng.uint(100, 9999),
            street: rng.index(STREETS.len()) as u16,
            suffix: rng.index(STREET_SUFFIX.len()) as u8,
            unit: rng.uint(100, 9999) as u16,
            kind: if po {
                AddrKind::PoBox
            } else {
                AddrKind::MailDrop
            },
        }
    }

    /// Writes line1 and line2 as two fields.
    pub fn write_lines(&self, r: &mut RowBuf) {
        match self.kind {
            AddrKind::PoBox => {
                r.raw("PO Box ").raw_u(u64::from(self.unit)).end().null();
            }
            AddrKind::Home | AddrKind::MailDrop => {
                let street = STREETS.get(self.street as usize).copied().unwrap_or("Main");
                let suffix = STREET_SUFFIX
                    .get(self.suffix as usize)
                    .copied()
                    .unwrap_or("St");
                r.raw_u(u64::from(self.number))
                    .raw(" ")
                    .raw(street)
                    .raw(" ")
                    .raw(suffix)
                    .end();
                if self.kind == AddrKind::MailDrop {
                    r.raw("Ste ")
                        .raw_u(u64::from(100 + self.number % 50))
                        .raw(" PMB ")
                        .raw_u(u64::from(self.unit))
                        .end();
                } else if self.unit > 0 {
                    if self.unit.is_multiple_of(3) {
                        r.raw("Unit ").raw_u(u64::from(self.unit % 400 + 1)).end();
                    } else {
                        r.raw("Apt ")
                            .raw_u(u64::from(self.unit % 40 + 1))
                            .raw_byte(b'A' + (self.unit % 6) as u8)
                            .end();
                    }
                } else {
                    r.null();
                }
            }
        }
    }

    /// A normalised one-line key of the address (lowercase), for ground truth.
    pub fn key(&self, rd: &RefData) -> String {
        let mut r = RowBuf::default();
        self.write_lines(&mut r);
        let parts: Vec<String> = r
            .fields()
            .map(|f| String::from_utf8_lossy(f).into_owned())
            .collect();
        let p = &rd.places[self.place as usize];
        let mut k = parts.join(" ").trim().to_string();
        k.push_str(&format!(", {}, {} {}", p.city, p.state, p.zip));
        k.to_lowercase()
    }

    /// Writes line1, line2, city, region, postal_code, country (six fields).
    pub fn write_full(&self, r: &mut RowBuf, rd: &RefData) {
        self.write_lines(r);
        let p = &rd.places[self.place as usize];
        r.s(&p.city).s(&p.state).s(&p.zip).s("US");
    }
}

/// Where a network address geolocates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Geo {
    /// A US place (index into `RefData::places`).
    Place(u32),
    /// A foreign city (index into `FOREIGN_CITIES`).
    Foreign(u8),
    /// Only the range's country is known.
    Country,
}

/// A public network address with its ASN range and geolocation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Endpoint {
    pub ip: u32,
    /// Index into `RefData::ranges`.
    pub range: u32,
    pub geo: Geo,
    /// The identity provider's own anonymous-proxy flag for this address.
    pub anon_flag: bool,
}

impl Endpoint {
    /// A residential ISP address located at `place`.
    pub fn residential<R: Rng + ?Sized>(rng: &mut R, rd: &RefData, place: u32) -> Self {
        let (ip, range) = rd.random_ip(rng, RangeKind::Residential);
        Endpoint {
            ip,
            range,
            geo: Geo::Place(place),
            anon_flag: false,
        }
    }

    /// A mobile carrier CGNAT egress address (geolocated to a big metro).
    pub fn mobile<R: Rng + ?Sized>(rng: &mut R, rd: &RefData) -> Self {
        let (ip, range) = rd.random_ip(rng, RangeKind::Mobile);
        Endpoint {
            ip,
            range,
            geo: Geo::Place(rd.random_place(rng)),
            anon_flag: false,
        }
    }

    /// An address of `kind` (VPN, hosting, ZTNA, unlisted, abroad, offshore).
    pub fn of_kind<R: Rng + ?Sized>(rng: &mut R, rd: &RefData, kind: RangeKind) -> Self {
        let (ip, range) = rd.random_ip(rng, kind);
        let country = rd.ranges[range as usize].country.as_str();
        let geo = if country == "US" {
            Geo::Place(rd.random_place(rng))
        } else if let Some(i) = FOREIGN_CITIES.iter().position(|c| c.0 == country) {
            Geo::Foreign(i as u8)
        } else {
            Geo::Country
        };
        let anon_flag = match kind {
            RangeKind::Vpn => rng.chance(0.6),
            RangeKind::Hosting => rng.chance(0.35),
            _ => false,
        };
        Endpoint {
            ip,
            range,
            geo,
            anon_flag,
        }
    }

    /// An address of an `abroad` ISP in `country` (any if unknown) located at foreign city `city`.
    pub fn abroad<R: Rng + ?Sized>(rng: &mut R, rd: &RefData, city: u8) -> Self {
        let cc = FOREIGN_CITIES
            .get(city as usize)
            .map(|c| c.0)
            .unwrap_or("DE");
        match rd.abroad_by_country.get(cc).and_then(|p| p.pick(rng)) {
            Some(ri) => Endpoint {
                ip: rd.ip_in_range(rng, ri),
                range: ri,
                geo: Geo::Foreign(city),
                anon_flag: false,
            },
            None => Self::of_kind(rng, rd, RangeKind::Abroad),
        }
    }

    /// The range kind of this address.
    pub fn kind(&self, rd: &RefData) -> RangeKind {
        rd.ranges[self.range as usize].kind
    }

    /// Whether the address belongs to a VPN / hosting / unlisted-hosting range (scheme anon_network).
    pub fn is_anon(&self, rd: &RefData) -> bool {
        matches!(
            self.kind(rd),
            RangeKind::Vpn | RangeKind::Hosting | RangeKind::Unlisted
        )
    }

    /// Latitude / longitude of the geolocation, if any.
    pub fn latlon(&self, rd: &RefData) -> Option<(f64, f64)> {
        match self.geo {
            Geo::Place(p) => rd.places.get(p as usize).map(|p| (p.lat, p.lon)),
            Geo::Foreign(c) => FOREIGN_CITIES.get(c as usize).map(|c| (c.3, c.4)),
            Geo::Country => None,
        }
    }

    /// Writes geo_country, geo_region, geo_city, geo_lat, geo_lon, asn, as_org, is_anonymous.
    pub fn write_geo(&self, r: &mut RowBuf, rd: &RefData) {
        let range = &rd.ranges[self.range as usize];
        match self.geo {
            Geo::Place(p) => {
                let p = &rd.places[p as usize];
                r.s("US")
                    .s(&p.state)
                    .s(&p.city)
                    .fixed(p.lat, 4)
                    .fixed(p.lon, 4);
            }
            Geo::Foreign(c) => match FOREIGN_CITIES.get(c as usize) {
                Some(c) => {
                    r.s(c.0).s(c.1).s(c.2).fixed(c.3, 4).fixed(c.4, 4);
                }
                None => {
                    r.s(&range.country).nulls(4);
                }
            },
            Geo::Country => {
                r.opt(Some(range.country.as_str()).filter(|c| !c.is_empty()))
                    .nulls(4);
            }
        }
        r.u(u64::from(range.asn)).s(&range.org).bool(self.anon_flag);
    }
}

/// A Wi-Fi network.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Wifi {
    pub bssid: u64,
    pub ssid: &'static str,
    /// Numeric suffix appended to the SSID (0: none).
    pub suffix: u16,
}

impl Wifi {
    /// A home router.
    pub fn home<R: Rng + ?Sized>(rng: &mut R) -> Self {
        let oui = u64::from(*pick(rng, ROUTER_OUI));
        let ssid = *pick(rng, HOME_SSIDS);
        let suffix = if ssid.ends_with('_') || ssid.ends_with('-') || rng.chance(0.5) {
            rng.uint(10, 9999) as u16
        } else {
            0
        };
        Wifi {
            bssid: (oui << 24) | u64::from(rng.random::<u32>() & 0xff_ffff),
            ssid,
            suffix,
        }
    }

    /// A named network (hotel, coworking, cafe) with a random access point.
    pub fn named<R: Rng + ?Sized>(rng: &mut R, ssid: &'static str) -> Self {
        let oui = u64::from(*pick(
            rng,
            &[0x00_0B_86u32, 0x34_FC_B9, 0x70_3A_0E, 0x94_B4_0F, 0xAC2316][..],
        ));
        Wifi {
            bssid: (oui << 24) | u64::from(rng.random::<u32>() & 0xff_ffff),
            ssid,
            suffix: 0,
        }
    }

    /// Writes wifi_bssid and wifi_ssid.
    pub fn write(&self, r: &mut RowBuf) {
        r.raw_mac(self.bssid).end().raw(self.ssid);
        if self.suffix > 0 {
            r.raw_u(u64::from(self.suffix));
        }
        r.end();
    }
}

/// A home: address, internet line (with one possible DHCP change) and Wi-Fi.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Home {
    pub addr: Addr,
    /// Address before and after `dhcp_day`.
    pub ip: [Endpoint; 2],
    /// Day index (from the window start) when the public address changes.
    pub dhcp_day: i64,
    pub wifi: Wifi,
    /// Private /24 of the LAN (192.168.x.0).
    pub lan: u32,
}

impl Home {
    /// A random home at `place` for a window of `days` days.
    pub fn new<R: Rng + ?Sized>(rng: &mut R, rd: &RefData, place: u32, days: u32) -> Self {
        let addr = Addr::home(rng, place);
        Self::at(rng, rd, addr, days)
    }

    /// A home at a given address.
    pub fn at<R: Rng + ?Sized>(rng: &mut R, rd: &RefData, addr: Addr, days: u32) -> Self {
        let a = Endpoint::residential(rng, rd, addr.place);
        let mut b = a;
        let dhcp_day = if rng.chance(0.25) {
            rng.int(1, i64::from(days.max(2)) - 1)
        } else {
            i64::MAX
        };
        if dhcp_day != i64::MAX {
            // same ISP range, new lease
            b.ip = rd.ip_in_range(rng, a.range);
        }
        let lan = (192 << 24)
            | (168 << 16)
            | (u32::from(*pick(rng, &[0u8, 1, 1, 1, 0, 86, 50, 4][..])) << 8);
        Home {
            addr,
            ip: [a, b],
            dhcp_day,
            wifi: Wifi::home(rng),
            lan,
        }
    }

    /// The public address on window day `day`.
    pub fn ip_on(&self, day: i64) -> Endpoint {
        if day >= self.dhcp_day {
            self.ip[1]
        } else {
            self.ip[0]
        }
    }
}

/// A US phone number (NANP).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Phone {
    pub area: u16,
    pub exch: u16,
    pub line: u16,
}

impl Phone {
    /// A number with an area code of `state` (or any area code with probability `p_other`).
    pub fn new<R: Rng + ?Sized>(rng: &mut R, rd: &RefData, state: &str, p_other: f64) -> Self {
        let local = rd
            .area_codes
            .get(state)
            .filter(|v| !v.is_empty() && !rng.chance(p_other));
        let area = match local {
            Some(v) => *pick(rng, v),
            None => *pick(rng, &rd.all_area_codes),
        };
        let mut exch = rng.uint(201, 989) as u16;
        if exch % 100 == 11 || exch == 555 {
            exch += 1;
        }
        Phone {
            area,
            exch,
            line: rng.uint(0, 9999) as u16,
        }
    }

    /// Writes the number in one of several common formats (`style` 0..=5).
    pub fn write(&self, r: &mut RowBuf, style: u8) {
        let (a, e, l) = (
            u64::from(self.area),
            u64::from(self.exch),
            u64::from(self.line),
        );
        match style % 6 {
            0 => r
                .raw("(")
                .raw_u(a)
                .raw(") ")
                .raw_u(e)
                .raw("-")
                .raw_u_pad(l, 4),
            1 => r.raw_u(a).raw("-").raw_u(e).raw("-").raw_u_pad(l, 4),
            2 => r
                .raw("+1 ")
                .raw_u(a)
                .raw(" ")
                .raw_u(e)
                .raw(" ")
                .raw_u_pad(l, 4),
            3 => r.raw_u(a).raw(".").raw_u(e).raw(".").raw_u_pad(l, 4),
            4 => r.raw("+1").raw_u(a).raw_u(e).raw_u_pad(l, 4),
            _ => r.raw("1").raw_u(a).raw_u(e).raw_u_pad(l, 4),
        };
        r.end();
    }
}

/// A bank account (ABA routing number + account number).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Bank {
    pub routing: u32,
    pub account: u64,
    pub digits: u8,
}

/// Completes an 8-digit ABA prefix with its check digit.
pub(crate) fn aba(prefix8: u32) -> u32 {
    let mut d = [0u32; 8];
    let mut x = prefix8;
    for k in (0..8).rev() {
        d[k] = x % 10;
        x /= 10;
    }
    let s = 3 * (d[0] + d[3] + d[6]) + 7 * (d[1] + d[4] + d[7]) + (d[2] + d[5]);
    prefix8 * 10 + (10 - s % 10) % 10
}

impl Bank {
    /// A random consumer account at one of a few hundred synthetic banks.
    pub fn new<R: Rng + ?Sized>(rng: &mut R) -> Self {
        // Federal Reserve district prefixes 01-12 (banks) and 21-32 (thrifts)
        let district = if rng.chance(0.8) {
            rng.uint(1, 12)
        } else {
            rng.uint(21, 32)
        };
        // a limited set of institutions per district so that many people share a bank
        let inst = rng.uint(0, 24) * 3571 % 1_000_000;
        let routing = aba(district * 1_000_000 + 10_000 + inst % 990_000);
        let digits = rng.uint(8, 12) as u8;
        let lo = 10u64.pow(u32::from(digits) - 1);
        Bank {
            routing,
            account: rng.random_range(lo..lo * 10),
            digits,
        }
    }

    /// Writes bank_routing and bank_account.
    pub fn write(&self, r: &mut RowBuf) {
        r.raw_u_pad(u64::from(self.routing), 9)
            .end()
            .raw_u_pad(self.account, usize::from(self.digits))
            .end();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn aba_ok(n: u32) -> bool {
        let s = format!("{n:09}");
        let d: Vec<u32> = s.bytes().map(|b| u32::from(b - b'0')).collect();
        (3 * (d[0] + d[3] + d[6]) + 7 * (d[1] + d[4] + d[7]) + (d[2] + d[5] + d[8]))
            .is_multiple_of(10)
    }

    #[test]
    fn routing_numbers_are_valid() {
        assert!(aba_ok(31_101_279));
        assert!(aba_ok(26_073_150));
        let mut rng = crate::rng::stream(1, 99, 0);
        for _ in 0..200 {
            let b = Bank::new(&mut rng);
            assert!(aba_ok(b.routing), "{}", b.routing);
        }
    }
}
