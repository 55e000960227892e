#!/usr/bin/env python3
"""Build the derived reference files in data/synth/ used by `muster synth` (crate muster-synth).

Run from the repository root:  python3 data/synth/build_synth_data.py
Deterministic (fixed seeds, sorted inputs): re-running it on the same inputs rewrites the same bytes.
Inputs (all under data/, see each folder's SOURCE.txt for origin and licence):
  geo/geonames_US.txt.gz            GeoNames US postal codes (CC BY 4.0)
  geo/census_zcta_centroids.csv.gz  Census 2021 ZCTA list (public domain) - keeps residential ZIPs only
  geo/nanp_area_codes.csv           libphonenumber-derived NPA -> state (Apache-2.0)
  ip/asn-ipv4.csv.gz                ip-location-db ASN ranges (CC BY 4.0: RouteViews, DB-IP, NRO)
  ip/geo-whois-asn-country-ipv4.csv.gz  ip-location-db country ranges (CC BY 4.0: NRO)
  ip/x4bnet/vpn-ipv4.txt, ip/x4bnet/datacenter-ipv4.txt  X4BNet lists_vpn (MIT)
Outputs (data/synth/): us_places.csv, area_codes.csv, residential_ranges.csv, anon_ranges.csv
"""

import bisect
import csv
import gzip
import io
import ipaddress
import math
import os
import random

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(ROOT, "data")
OUT = os.path.join(DATA, "synth")

# 2020 Census apportionment/resident population by state (+DC), thousands. Facts, public domain.
STATE_POP_K = {
    "AL": 5024, "AK": 733, "AZ": 7152, "AR": 3012, "CA": 39538, "CO": 5774, "CT": 3606, "DE": 990,
    "DC": 690, "FL": 21538, "GA": 10712, "HI": 1455, "ID": 1839, "IL": 12813, "IN": 6786, "IA": 3190,
    "KS": 2938, "KY": 4506, "LA": 4658, "ME": 1362, "MD": 6177, "MA": 7030, "MI": 10077, "MN": 5706,
    "MS": 2961, "MO": 6155, "MT": 1084, "NE": 1962, "NV": 3105, "NH": 1378, "NJ": 9289, "NM": 2118,
    "NY": 20201, "NC": 10439, "ND": 779, "OH": 11799, "OK": 3959, "OR": 4237, "PA": 13003, "RI": 1097,
    "SC": 5118, "SD": 887, "TN": 6911, "TX": 29146, "UT": 3272, "VT": 643, "VA": 8631, "WA": 7705,
    "WV": 1794, "WI": 5894, "WY": 577,
}

# State -> IANA zone. For states split between zones the zone of the majority of the population:
#   FL, KY, MI, IN -> Eastern (FL panhandle, western KY, 4 MI UP counties, NW/SW IN counties are Central);
#   TN, KS, NE, ND, SD, TX -> Central (E-TN is Eastern; W-KS/NE/ND/SD and El Paso TX are Mountain);
#   ID -> America/Boise (Mountain; the panhandle is Pacific); OR -> Pacific (Malheur county is Mountain);
#   AK -> America/Anchorage (Aleutians west of 169.5W are America/Adak); AZ -> America/Phoenix (no DST;
#   the Navajo Nation observes DST, ignored). Indiana uses America/Indiana/Indianapolis, Michigan
#   America/Detroit, Kentucky America/New_York (Louisville has its own zone; equivalent since 1974).
STATE_TZ = {
    "AL": "America/Chicago", "AK": "America/Anchorage", "AZ": "America/Phoenix", "AR": "America/Chicago",
    "CA": "America/Los_Angeles", "CO": "America/Denver", "CT": "America/New_York", "DE": "America/New_York",
    "DC": "America/New_York", "FL": "America/New_York", "GA": "America/New_York", "HI": "Pacific/Honolulu",
    "ID": "America/Boise", "IL": "America/Chicago", "IN": "America/Indiana/Indianapolis", "IA": "America/Chicago",
    "KS": "America/Chicago", "KY": "America/New_York", "LA": "America/Chicago", "ME": "America/New_York",
    "MD": "America/New_York", "MA": "America/New_York", "MI": "America/Detroit", "MN": "America/Chicago",
    "MS": "America/Chicago", "MO": "America/Chicago", "MT": "America/Denver", "NE": "America/Chicago",
    "NV": "America/Los_Angeles", "NH": "America/New_York", "NJ": "America/New_York", "NM": "America/Denver",
    "NY": "America/New_York", "NC": "America/New_York", "ND": "America/Chicago", "OH": "America/New_York",
    "OK": "America/Chicago", "OR": "America/Los_Angeles", "PA": "America/New_York", "RI": "America/New_York",
    "SC": "America/New_York", "SD": "America/Chicago", "TN": "America/Chicago", "TX": "America/Chicago",
    "UT": "America/Denver", "VT": "America/New_York", "VA": "America/New_York", "WA": "America/Los_Angeles",
    "WV": "America/New_York", "WI": "America/Chicago", "WY": "America/Denver",
}

STATE_NAMES = {}

TARGET_ZIPS = 1800
MIN_PER_STATE = 6

# kind, asn, label (the org column is the one in the ASN file)
RESIDENTIAL_ASNS = [
    ("residential", 7922, "Comcast"), ("residential", 33651, "Comcast"), ("residential", 33491, "Comcast"),
    ("residential", 20115, "Charter"), ("residential", 11427, "Charter"), ("residential", 10796, "Charter"),
    ("residential", 11426, "Charter"), ("residential", 12271, "Charter"), ("residential", 20001, "Charter"),
    ("residential", 33363, "Charter"), ("residential", 11351, "Charter"), ("residential", 7843, "Charter"),
    ("residential", 7018, "AT&T"), ("residential", 701, "Verizon"), ("residential", 6167, "Verizon"),
    ("residential", 22773, "Cox"), ("residential", 209, "CenturyLink/Lumen"), ("residential", 5650, "Frontier"),
    ("residential", 30036, "Mediacom"), ("residential", 11492, "Cable One"), ("residential", 12083, "WOW"),
    ("residential", 6128, "Cablevision/Optimum"), ("residential", 19108, "Suddenlink"),
    ("mobile", 21928, "T-Mobile"), ("mobile", 22394, "Verizon Wireless"), ("mobile", 20057, "AT&T Mobility"),
    ("abroad", 3320, "DE"), ("abroad", 2856, "GB"), ("abroad", 3215, "FR"), ("abroad", 1136, "NL"),
    ("abroad", 812, "CA"), ("abroad", 577, "CA"), ("abroad", 4713, "JP"), ("abroad", 8151, "MX"),
    ("abroad", 3352, "ES"), ("abroad", 1221, "AU"),
    # where remote workers really sit when a VPN drops: China Unicom / Chinanet, Rostelecom, and the
    # DPRK's own block (AS131279 Star JV, 175.45.176.0/22)
    ("offshore", 4837, "CN"), ("offshore", 4134, "CN"), ("offshore", 12389, "RU"), ("offshore", 131279, "KP"),
]
MAX_RANGES_PER_ASN = {"residential": 90, "mobile": 40, "abroad": 25, "offshore": 12}

# hosting ASNs preferred for the `hosting` kind (well-known clouds / VPS providers)
HOSTING_ASNS = {16509, 14618, 14061, 16276, 24940, 63949, 20473, 8075, 15169, 396982, 9009, 60068,
                212238, 36352, 55286, 46606, 54290, 62240, 51167, 197540, 8100, 29802, 40021}
ZTNA_ASNS = {53813, 22616, 62044}
UNLISTED_KEYWORDS = ("hosting", "server", "data center", "datacenter", "vps", "colocation")
UNLISTED_EXCLUDE = ("tire", "wheel", "university", "school", "bank")


def ip2int(s):
    return int(ipaddress.IPv4Address(s))


def int2ip(i):
    return str(ipaddress.IPv4Address(i))


def read_asn():
    rows = []
    with gzip.open(os.path.join(DATA, "ip", "asn-ipv4.csv.gz"), "rt", encoding="utf-8") as f:
        for r in csv.reader(f):
            rows.append((ip2int(r[0]), ip2int(r[1]), int(r[2]), r[3]))
    rows.sort()
    return rows


def read_country():
    starts, ends, ccs = [], [], []
    with gzip.open(os.path.join(DATA, "ip", "geo-whois-asn-country-ipv4.csv.gz"), "rt", encoding="utf-8") as f:
        for r in csv.reader(f):
            starts.append(ip2int(r[0]))
            ends.append(ip2int(r[1]))
            ccs.append(r[2])
    return starts, ends, ccs


def country_of(geo, a, b):
    """Country if the whole range [a,b] lies in one country range, else None."""
    starts, ends, ccs = geo
    i = bisect.bisect_right(starts, a) - 1
    if i < 0 or ends[i] < b:
        return None
    return ccs[i]


def read_cidrs(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            n = ipaddress.IPv4Network(line, strict=False)
            out.append((int(n.network_address), int(n.broadcast_address), line))
    out.sort()
    return out


def merged(intervals):
    m = []
    for a, b, *_ in sorted(intervals):
        if m and a <= m[-1][1] + 1:
            m[-1][1] = max(m[-1][1], b)
        else:
            m.append([a, b])
    return [x[0] for x in m], [x[1] for x in m]


def overlaps(idx, a, b):
    starts, ends = idx
    i = bisect.bisect_right(starts, b) - 1
    return i >= 0 and ends[i] >= a


def build_places():
    zcta = set()
    with gzip.open(os.path.join(DATA, "geo", "census_zcta_centroids.csv.gz"), "rt", encoding="utf-8") as f:
        rd = csv.reader(f)
        for r in rd:
            if r and r[0].isdigit():
                zcta.add(r[0].zfill(5))
    rows = []
    city_n = {}
    seen = set()
    with gzip.open(os.path.join(DATA, "geo", "geonames_US.txt.gz"), "rt", encoding="utf-8") as f:
        for line in f:
            p = line.rstrip("\n").split("\t")
            if len(p) < 11:
                continue
            zip_, city, state_name, st = p[1], p[2], p[3], p[4]
            if st not in STATE_TZ:
                continue
            STATE_NAMES[st] = state_name
            city_n[(city, st)] = city_n.get((city, st), 0) + 1
            if zip_ in seen or zip_ not in zcta:
                continue
            seen.add(zip_)
            rows.append((zip_, city, st, float(p[9]), float(p[10])))
    rows.sort()
    # population proxy of a ZIP: cities with many ZIP codes are big; a one-ZIP town is small.
    def pop_est(r):
        n = city_n[(r[1], r[2])]
        return 3000.0 * min(n, 12) ** 0.9

    rng = random.Random(20260901)
    by_state = {}
    for r in rows:
        by_state.setdefault(r[2], []).append(r)
    chosen = set()
    # Efraimidis-Spirakis weighted sampling without replacement, weight = pop_est * state share
    keyed = []
    for st, rs in sorted(by_state.items()):
        tot = sum(pop_est(r) for r in rs)
        for r in rs:
            w = pop_est(r) / tot * STATE_POP_K[st]
            keyed.append((rng.random() ** (1.0 / w), r))
    keyed.sort(key=lambda x: -x[0])
    for _, r in keyed[:TARGET_ZIPS]:
        chosen.add(r)
    for st, rs in sorted(by_state.items()):
        have = [r for r in rs if r in chosen]
        if len(have) < MIN_PER_STATE:
            rest = sorted((r for r in rs if r not in chosen), key=lambda r: (-pop_est(r), r[0]))
            for r in rest[: MIN_PER_STATE - len(have)]:
                chosen.add(r)
    out = []
    for st, rs in sorted(by_state.items()):
        sel = [r for r in rs if r in chosen]
        tot = sum(pop_est(r) for r in sel)
        for r in sel:
            # generator weight: state population spread over the chosen ZIPs by the proxy (persons per 1000)
            w = max(1, round(STATE_POP_K[st] * pop_est(r) / tot))
            out.append((r[0], r[1], r[2], f"{r[3]:.4f}", f"{r[4]:.4f}", STATE_TZ[st], w))
    out.sort()
    with open(os.path.join(OUT, "us_places.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["zip", "city", "state", "lat", "lon", "timezone", "weight"])
        w.writerows(out)
    print("us_places.csv", len(out), "zips,", len({r[2] for r in out}), "states")


def build_area_codes():
    name_to_st = {v: k for k, v in STATE_NAMES.items()}
    name_to_st["Washington D.C."] = "DC"
    name_to_st["Washington State"] = "WA"
    out = []
    with open(os.path.join(DATA, "geo", "nanp_area_codes.csv"), encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["region"] != "US":
                continue
            st = name_to_st.get(r["geo_en"])
            if st:
                out.append((r["npa"], st))
    out.sort()
    with open(os.path.join(OUT, "area_codes.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["npa", "state"])
        w.writerows(out)
    print("area_codes.csv", len(out), "npas,", len({s for _, s in out}), "states")


def build_ranges(asn_rows, geo, anon_idx):
    out = []
    by_asn = {}
    for a, b, asn, org in asn_rows:
        by_asn.setdefault(asn, []).append((a, b, org))
    for kind, asn, label in RESIDENTIAL_ASNS:
        want_cc = label if kind in ("abroad", "offshore") else "US"
        cands = []
        for a, b, org in by_asn.get(asn, []):
            if b - a + 1 < 256:
                continue
            if overlaps(anon_idx, a, b):
                continue
            if country_of(geo, a, b) != want_cc:
                continue
            cands.append((a, b, org))
        # largest blocks first (stable tie-break on address), capped per ASN
        cands.sort(key=lambda x: (-(x[1] - x[0]), x[0]))
        for a, b, org in sorted(cands[: MAX_RANGES_PER_ASN[kind]]):
            out.append((int2ip(a), int2ip(b), asn, org, kind, want_cc))
    with open(os.path.join(OUT, "residential_ranges.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["start_ip", "end_ip", "asn", "org", "kind", "country"])
        w.writerows(out)
    kinds = {}
    for r in out:
        kinds[r[4]] = kinds.get(r[4], 0) + 1
    print("residential_ranges.csv", len(out), kinds)


def asn_of(asn_rows, starts, a, b):
    i = bisect.bisect_right(starts, a) - 1
    if i >= 0 and asn_rows[i][1] >= b:
        return asn_rows[i][2], asn_rows[i][3]
    return None


def build_anon(asn_rows, geo, vpn, dc, anon_idx):
    starts = [r[0] for r in asn_rows]
    rng = random.Random(4242)
    out = []
    # vpn: known VPN networks (x4bnet vpn list), annotated with the ASN file
    vpn_c = []
    for a, b, cidr in vpn:
        hit = asn_of(asn_rows, starts, a, b)
        if hit and b - a + 1 >= 16:
            vpn_c.append((a, b, hit[0], hit[1], country_of(geo, a, b) or ""))
    rng.shuffle(vpn_c)
    vpn_sel = sorted(vpn_c[:300])
    # hosting: datacenter list minus vpn list, from well-known cloud / VPS ASNs
    vpn_idx = merged(vpn)
    dc_c = []
    ztna = []
    for a, b, cidr in dc:
        if overlaps(vpn_idx, a, b):
            continue
        hit = asn_of(asn_rows, starts, a, b)
        if not hit or b - a + 1 < 16:
            continue
        cc = country_of(geo, a, b) or ""
        if hit[0] in HOSTING_ASNS:
            dc_c.append((a, b, hit[0], hit[1], cc))
    rng.shuffle(dc_c)
    dc_sel = sorted(dc_c[:300])
    # ztna: the company's own ZTNA / VPN egress provider (Zscaler ASNs, US ranges, from the ASN file)
    for a, b, asn, org in asn_rows:
        if asn in ZTNA_ASNS and b - a + 1 >= 256 and country_of(geo, a, b) == "US":
            ztna.append((a, b, asn, org, "US"))
    ztna_sel = sorted(ztna)[:8]
    # unlisted: hosting-looking ASN ranges that are in NEITHER x4bnet list (a "private VPN" pool)
    un_c = []
    for a, b, asn, org in asn_rows:
        lo = org.lower()
        if not any(k in lo for k in UNLISTED_KEYWORDS) or any(k in lo for k in UNLISTED_EXCLUDE):
            continue
        if b - a + 1 < 256 or overlaps(anon_idx, a, b):
            continue
        cc = country_of(geo, a, b)
        if cc not in ("US", "SG", "HK", "JP", "DE", "NL", "GB"):
            continue
        un_c.append((a, b, asn, org, cc))
    rng.shuffle(un_c)
    un_sel = sorted(un_c[:150])
    for kind, sel in (("vpn", vpn_sel), ("hosting", dc_sel), ("ztna", ztna_sel), ("unlisted", un_sel)):
        for a, b, asn, org, cc in sel:
            out.append((int2ip(a), int2ip(b), asn, org, kind, cc))
    with open(os.path.join(OUT, "anon_ranges.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["start_ip", "end_ip", "asn", "org", "kind", "country"])
        w.writerows(out)
    print("anon_ranges.csv", len(out), {k: len(s) for k, s in
                                         (("vpn", vpn_sel), ("hosting", dc_sel), ("ztna", ztna_sel), ("unlisted", un_sel))})


def main():
    build_places()
    build_area_codes()
    asn_rows = read_asn()
    geo = read_country()
    vpn = read_cidrs(os.path.join(DATA, "ip", "x4bnet", "vpn-ipv4.txt"))
    dc = read_cidrs(os.path.join(DATA, "ip", "x4bnet", "datacenter-ipv4.txt"))
    anon_idx = merged(vpn + dc)
    build_ranges(asn_rows, geo, anon_idx)
    build_anon(asn_rows, geo, vpn, dc, anon_idx)


if __name__ == "__main__":
    main()
