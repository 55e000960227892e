#!/usr/bin/env python3
"""Writes the GEO-MISMATCH and GEO-TRAVEL behaviour fixtures (contract tables as CSV plus
expect.json). Synthetic people only. Addresses were chosen for what muster's embedded data says
of them: 73.x / 24.x / 98.x / 71.x and 2601:1c0:: are Comcast (AS7922, US, untagged);
172.56.20.1 is T-Mobile USA (a mobile carrier); 116.228.5.6 China Telecom (CN); 121.160.3.4
Korea Telecom (KR); 46.21.3.4 a German ISP (DE, untagged); 117.200.3.4 BSNL (IN);
85.214.3.4 Strato (DE, tagged hosting); 203.0.113.0/24 is the fixtures' corporate egress.
Run from this folder: python3 make_geo.py"""
import math, os, sys
from datetime import datetime, timedelta, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from fixture_io import write_case, ts  # noqa: E402

DAY0 = datetime(2026, 3, 2, tzinfo=timezone.utc)  # a Monday
PEOPLE_COLS = ["person_id", "record_type", "full_name", "work_email", "address_line1", "city",
               "region", "postal_code", "country", "hired_at"]
HOMES = {  # ZIP centroids from the embedded Census ZCTA file
    "TX": ("12 Oak St", "Austin", "TX", "78701", 30.270569, -97.742589),
    "NY": ("21 Hudson St", "New York", "NY", "10013", 40.720051, -74.004809),
    "WA": ("400 Pine Ave", "Seattle", "WA", "98101", 47.610902, -122.336422),
    # The Census internal point of ZCTA 99503 lies 448 km west of Anchorage, where it is.
    "AK": ("6714 Autumn St", "Anchorage", "AK", "99503", 62.043689, -158.174466),
}
# Places as an identity provider geolocates them: (city, region, country, lat, lon).
AUSTIN = ("Austin", "Texas", "US", 30.2672, -97.7431)
DALLAS = ("Dallas", "Texas", "US", 32.7767, -96.7970)          # ~290 km from Austin
SEATTLE = ("Seattle", "Washington", "US", 47.6062, -122.3321)
ASHBURN = ("Ashburn", "Virginia", "US", 39.0438, -77.4874)
LAS_VEGAS = ("Las Vegas", "Nevada", "US", 36.1699, -115.1398)
DENVER = ("Denver", "Colorado", "US", 39.7392, -104.9903)
NEW_YORK = ("New York", "New York", "US", 40.7128, -74.0060)
SHANGHAI = ("Shanghai", "Shanghai", "CN", 31.2304, 121.4737)
SEOUL = ("Seoul", "Seoul", "KR", 37.5665, 126.9780)
BERLIN = ("Berlin", "Berlin", "DE", 52.5200, 13.4050)
FRANKFURT = ("Frankfurt", "Hesse", "DE", 50.1109, 8.6821)
LONDON = ("London", "England", "GB", 51.5074, -0.1278)
BANGALORE = ("Bengaluru", "Karnataka", "IN", 12.9716, 77.5946)
US_CENTROID = ("", "", "US", 37.751, -97.822)                  # a country-level guess
ANCHORAGE = ("Anchorage", "Alaska", "US", 61.19, -149.8938)


def person(pid, state, hired="2025-06-02T15:00:00Z"):
    line1, city, region, zipc, _, _ = HOMES[state]
    return {"person_id": pid, "record_type": "employee", "full_name": f"Person {pid.upper()}",
            "work_email": f"{pid}@corp.example", "address_line1": line1, "city": city,
            "region": region, "postal_code": zipc, "country": "US", "hired_at": hired}


SIGN = ["time", "account", "src_ip", "outcome", "geo_city", "geo_region", "geo_country",
        "geo_lat", "geo_lon"]
PRES = ["time", "device_id", "public_ip", "lat", "lon", "accuracy_m"]
DEV = ["device_id", "person_id", "managed", "ship_to_postal_code"]


def signin(pid, t, ip, place):
    city, region, country, lat, lon = place
    return {"time": ts(t), "account": f"{pid}@corp.example", "src_ip": ip, "outcome": "success",
            "geo_city": city, "geo_region": region, "geo_country": country,
            "geo_lat": lat, "geo_lon": lon}


def weekdays(n_days, start=0):
    """Weekday offsets from DAY0 in [start, start + n_days)."""
    return [d for d in range(start, start + n_days) if (DAY0 + timedelta(days=d)).weekday() < 5]


def daily(pid, days, ip, place, hours=(15, 18, 21)):
    return [signin(pid, DAY0 + timedelta(days=d, hours=h), ip, place) for d in days for h in hours]


def presence(dev, days, ip, point, hours=(14, 17, 20), acc=30):
    return [{"time": ts(DAY0 + timedelta(days=d, hours=h, minutes=5)), "device_id": dev,
             "public_ip": ip, "lat": point[0] if point else "", "lon": point[1] if point else "",
             "accuracy_m": acc if point else ""} for d in days for h in hours]


def offset(lat, lon, km, bearing_deg):
    """The point `km` away from (lat, lon) on an initial bearing (spherical Earth)."""
    r = 6371.0088
    d, b = km / r, math.radians(bearing_deg)
    p1, l1 = math.radians(lat), math.radians(lon)
    p2 = math.asin(math.sin(p1) * math.cos(d) + math.cos(p1) * math.sin(d) * math.cos(b))
    l2 = l1 + math.atan2(math.sin(b) * math.sin(d) * math.cos(p1), math.cos(d) - math.sin(p1) * math.sin(p2))
    return round(math.degrees(p2), 5), round(math.degrees(l2), 5)


def write(case, tables, expect, extra=None):
    write_case(HERE, case, tables, expect, extra)


SIX_WEEKS = weekdays(42)
EGRESS = "203.0.113.0/24  # the company's VPN concentrator\n"

# ============================ GEO-MISMATCH ============================
# a1 claims Austin and signs in every working day from Shanghai (China Telecom); c1 is an
# ordinary Austin worker on Comcast.
write("GEO-MISMATCH/positive_abroad_every_day", {
    "people": (PEOPLE_COLS, [person("a1", "TX"), person("c1", "TX")]),
    "signins": (SIGN, daily("a1", SIX_WEEKS, "116.228.5.6", SHANGHAI, hours=(1, 4, 7))
                + daily("c1", SIX_WEEKS, "73.1.2.3", AUSTIN))},
    {"detection": "GEO-MISMATCH", "kind": "positive", "fires_for": ["a1"], "silent_for": ["c1"],
     "min_lr": {"a1": 7}})

# h1 claims Seattle; the laptop's Wi-Fi position and the sign-ins are 301 miles (484 km) east
# of the claimed home every day (HYPR's case): elsewhere in the US, the domestic ratio.
far = offset(HOMES["WA"][4], HOMES["WA"][5], 484.4, 100)
far_place = ("Elsewhere", "Idaho", "US", far[0], far[1])
write("GEO-MISMATCH/positive_laptop_301_miles_from_home", {
    "people": (PEOPLE_COLS, [person("h1", "WA")]),
    "devices": (DEV, [{"device_id": "d-h1", "person_id": "h1", "managed": "true", "ship_to_postal_code": "98101"}]),
    "device_presence": (PRES, presence("d-h1", SIX_WEEKS, "24.5.6.7", far)),
    "signins": (SIGN, daily("h1", SIX_WEEKS, "24.5.6.7", far_place))},
    {"detection": "GEO-MISMATCH", "kind": "positive", "fires_for": ["h1"], "silent_for": [],
     "min_lr": {"h1": 3}})

# f1 claims New York; the laptop sits in Las Vegas (Wi-Fi positioning, shipped to a Las Vegas
# ZIP) and the account signs in from Seoul: laptop never where the account signs in.
# f2 claims New York; the laptop is at home every day but the account signs in from Shanghai.
write("GEO-MISMATCH/positive_laptop_never_where_account_signs_in", {
    "people": (PEOPLE_COLS, [person("f1", "NY"), person("f2", "NY")]),
    "devices": (DEV, [{"device_id": "d-f1", "person_id": "f1", "managed": "true", "ship_to_postal_code": "89101"},
                      {"device_id": "d-f2", "person_id": "f2", "managed": "true", "ship_to_postal_code": "10013"}]),
    "device_presence": (PRES, presence("d-f1", SIX_WEEKS, "98.33.4.5", (36.1716, -115.1391)) +
                        presence("d-f2", SIX_WEEKS, "71.200.3.4", (40.7201, -74.0049))),
    "signins": (SIGN, daily("f1", SIX_WEEKS, "121.160.3.4", SEOUL, hours=(0, 3, 6))
                + daily("f2", SIX_WEEKS, "116.228.5.6", SHANGHAI, hours=(1, 4, 7)))},
    {"detection": "GEO-MISMATCH", "kind": "positive", "fires_for": ["f1", "f2"], "silent_for": [],
     "min_lr": {"f1": 12, "f2": 12}})

# t1: Austin worker with a two-week conference trip to Berlin; t2: Austin worker with a week in
# Las Vegas and a week in New York; t3: New York worker abroad in London for three days.
trip = weekdays(14, 14)
write("GEO-MISMATCH/negative_travellers", {
    "people": (PEOPLE_COLS, [person("t1", "TX"), person("t2", "TX"), person("t3", "NY")]),
    "signins": (SIGN, daily("t1", [d for d in SIX_WEEKS if d not in trip], "73.1.2.3", AUSTIN)
                + daily("t1", trip, "46.21.3.4", BERLIN)
                + daily("t2", [d for d in SIX_WEEKS if d not in trip], "73.22.10.5", AUSTIN)
                + daily("t2", trip[:5], "24.5.6.7", LAS_VEGAS) + daily("t2", trip[5:], "98.33.4.5", NEW_YORK)
                + daily("t3", [d for d in SIX_WEEKS if d not in (21, 22, 23)], "71.200.3.4", NEW_YORK)
                + daily("t3", [21, 22, 23], "46.21.3.4", LONDON))},
    {"detection": "GEO-MISMATCH", "kind": "negative", "fires_for": [], "silent_for": ["t1", "t2", "t3"]})

# v1 (Austin) always signs in through the company VPN concentrator, geolocated in Ashburn;
# v2 (Austin) through a hosting exit in Germany (NET-ANON's business); v3 (Austin) from a
# T-Mobile address the provider geolocates at the carrier's Seattle hub.
write("GEO-MISMATCH/negative_vpn_egress_and_mobile_carrier", {
    "people": (PEOPLE_COLS, [person("v1", "TX"), person("v2", "TX"), person("v3", "TX")]),
    "signins": (SIGN, daily("v1", SIX_WEEKS, "203.0.113.10", ASHBURN)
                + daily("v2", SIX_WEEKS, "85.214.3.4", BERLIN)
                + daily("v3", SIX_WEEKS, "172.56.20.1", SEATTLE))},
    {"detection": "GEO-MISMATCH", "kind": "negative", "fires_for": [], "silent_for": ["v1", "v2", "v3"]},
    {"corporate_egress.txt": EGRESS})

# e1 (Austin): the home ISP is geolocated in Dallas, 290 km away (city-level error); e2
# (Austin): the provider gives only the US country centroid, without a city; e3 (Austin): the
# laptop is at home by Wi-Fi while its check-in address is geolocated nowhere (no mmdb); e4
# lives in Anchorage, whose ZIP's Census point is 448 km away: the provider names the claimed
# city, and the laptop's Wi-Fi position is next to those sign-ins.
write("GEO-MISMATCH/negative_geolocation_error", {
    "people": (PEOPLE_COLS, [person("e1", "TX"), person("e2", "TX"), person("e3", "TX"), person("e4", "AK")]),
    "devices": (DEV, [{"device_id": "d-e3", "person_id": "e3", "managed": "true", "ship_to_postal_code": "78701"},
                      {"device_id": "d-e4", "person_id": "e4", "managed": "true", "ship_to_postal_code": "99503"}]),
    "device_presence": (PRES, presence("d-e3", SIX_WEEKS, "73.1.2.3", (30.27, -97.74))
                        + presence("d-e4", SIX_WEEKS, "50.145.223.225", (61.1809, -149.8852))),
    "signins": (SIGN, daily("e1", SIX_WEEKS, "73.1.2.3", DALLAS)
                + daily("e2", SIX_WEEKS, "73.22.10.5", US_CENTROID)
                + daily("e3", SIX_WEEKS, "73.1.2.3", AUSTIN)
                + daily("e4", SIX_WEEKS, "50.145.223.225", ANCHORAGE))},
    {"detection": "GEO-MISMATCH", "kind": "negative", "fires_for": [], "silent_for": ["e1", "e2", "e3", "e4"]})

# s1 (Austin): abroad, but on only eight days in total (too little to call persistent).
write("GEO-MISMATCH/negative_too_few_days", {
    "people": (PEOPLE_COLS, [person("s1", "TX")]),
    "signins": (SIGN, daily("s1", SIX_WEEKS[:8], "116.228.5.6", SHANGHAI))},
    {"detection": "GEO-MISMATCH", "kind": "negative", "fires_for": [], "silent_for": ["s1"]})

# ============================ GEO-TRAVEL ============================
HIRED = "2026-02-23T15:00:00Z"  # a week before DAY0: the first 90 days cover the data
# n1 (new hire, Austin): every working day a sign-in at home on Comcast, then three hours later
# one from Shanghai; q1 is an ordinary Austin worker.
alt = []
for d in weekdays(21):
    alt += [signin("n1", DAY0 + timedelta(days=d, hours=14), "73.1.2.3", AUSTIN),
            signin("n1", DAY0 + timedelta(days=d, hours=17), "116.228.5.6", SHANGHAI),
            signin("n1", DAY0 + timedelta(days=d, hours=20), "73.1.2.3", AUSTIN)]
write("GEO-TRAVEL/positive_new_hire_us_and_china", {
    "people": (PEOPLE_COLS, [person("n1", "TX", HIRED), person("q1", "TX", HIRED)]),
    "signins": (SIGN, alt + daily("q1", weekdays(21), "73.22.10.5", AUSTIN))},
    {"detection": "GEO-TRAVEL", "kind": "positive", "fires_for": ["n1"], "silent_for": ["q1"],
     "min_lr": {"n1": 11}})

# w1 (Austin, hired long ago): on three days, Austin and Seattle within one hour (domestic).
dom = daily("w1", weekdays(21), "73.1.2.3", AUSTIN)
for d in (2, 9, 16):
    dom.append(signin("w1", DAY0 + timedelta(days=d, hours=15, minutes=40), "98.33.4.5", SEATTLE))
# k1 (New York): within one day US, Korea, China and back to Korea.
multi = daily("k1", weekdays(21), "71.200.3.4", NEW_YORK, hours=(14,))
multi += [signin("k1", DAY0 + timedelta(days=8, hours=h), ip, pl) for h, ip, pl in
          [(16, "121.160.3.4", SEOUL), (19, "116.228.5.6", SHANGHAI), (23, "121.160.3.4", SEOUL)]]
write("GEO-TRAVEL/positive_domestic_hops_and_countries_back_and_forth", {
    "people": (PEOPLE_COLS, [person("w1", "TX"), person("k1", "NY")]),
    "signins": (SIGN, dom + multi)},
    {"detection": "GEO-TRAVEL", "kind": "positive", "fires_for": ["w1", "k1"], "silent_for": [],
     "min_lr": {"w1": 2.5, "k1": 3.5}})

# r1 (New York): flies to London (7 h gate to gate) and back a week later; r2 (Austin): a
# three-hour flight to Denver and back; l1 (Austin): an itinerary with a layover, Austin ->
# Frankfurt -> Bengaluru within 24 hours (three countries, none revisited).
fly = daily("r1", weekdays(7), "71.200.3.4", NEW_YORK, hours=(13,))
fly += [signin("r1", DAY0 + timedelta(days=7, hours=12), "71.200.3.4", NEW_YORK),
        signin("r1", DAY0 + timedelta(days=7, hours=20), "46.21.3.4", LONDON)]
fly += daily("r1", range(8, 15), "46.21.3.4", LONDON, hours=(10,))
fly += [signin("r1", DAY0 + timedelta(days=14, hours=19), "71.200.3.4", NEW_YORK)]
den = daily("r2", weekdays(14), "73.1.2.3", AUSTIN, hours=(14,))
den += [signin("r2", DAY0 + timedelta(days=3, hours=18), "24.5.6.7", DENVER),
        signin("r2", DAY0 + timedelta(days=4, hours=22), "73.1.2.3", AUSTIN)]
lay = daily("l1", weekdays(7), "73.22.10.5", AUSTIN, hours=(14,))
lay += [signin("l1", DAY0 + timedelta(days=8, hours=h), ip, pl) for h, ip, pl in
        [(2, "73.22.10.5", AUSTIN), (13, "46.21.3.4", FRANKFURT), (23, "117.200.3.4", BANGALORE)]]
write("GEO-TRAVEL/negative_real_flights_and_layover", {
    "people": (PEOPLE_COLS, [person("r1", "NY"), person("r2", "TX"), person("l1", "TX")]),
    "signins": (SIGN, fly + den + lay)},
    {"detection": "GEO-TRAVEL", "kind": "negative", "fires_for": [], "silent_for": ["r1", "r2", "l1"]})

# x1 (Austin): home sign-ins interleaved hourly with the company VPN (Ashburn) and a hosting
# exit (Germany); x2 (Austin): home broadband and a T-Mobile phone geolocated at the Seattle hub;
# x3 (Austin): IPv4 and IPv6 of one Comcast connection, the IPv6 geolocated in Denver.
mix = []
for d in weekdays(21):
    for h, ip, pl in [(14, "73.1.2.3", AUSTIN), (15, "203.0.113.10", ASHBURN), (16, "85.214.3.4", FRANKFURT),
                      (17, "73.1.2.3", AUSTIN)]:
        mix.append(signin("x1", DAY0 + timedelta(days=d, hours=h), ip, pl))
    for h, ip, pl in [(14, "73.22.10.5", AUSTIN), (15, "172.56.20.1", SEATTLE), (16, "73.22.10.5", AUSTIN)]:
        mix.append(signin("x2", DAY0 + timedelta(days=d, hours=h), ip, pl))
    for h, ip, pl in [(14, "98.33.4.5", AUSTIN), (15, "2601:1c0:1234::1", DENVER), (16, "98.33.4.5", AUSTIN)]:
        mix.append(signin("x3", DAY0 + timedelta(days=d, hours=h), ip, pl))
write("GEO-TRAVEL/negative_vpn_mobile_dual_stack", {
    "people": (PEOPLE_COLS, [person("x1", "TX"), person("x2", "TX"), person("x3", "TX")]),
    "signins": (SIGN, mix)},
    {"detection": "GEO-TRAVEL", "kind": "negative", "fires_for": [], "silent_for": ["x1", "x2", "x3"]},
    {"corporate_egress.txt": EGRESS})

# g1 (Austin): one impossible hop on one day (a geolocation glitch), never again.
one = daily("g1", weekdays(21), "73.1.2.3", AUSTIN)
one.append(signin("g1", DAY0 + timedelta(days=3, hours=15, minutes=30), "24.5.6.7", SEATTLE))
write("GEO-TRAVEL/negative_single_glitch", {
    "people": (PEOPLE_COLS, [person("g1", "TX")]),
    "signins": (SIGN, one)},
    {"detection": "GEO-TRAVEL", "kind": "negative", "fires_for": [], "silent_for": ["g1"]})

# ============================ NET-SHIFT ============================
# Accounts are activated before the start date; hire is DAY0 + 14 unless said otherwise.
SIGN_DEV = SIGN + ["device_id"]
HIRE14 = ts(DAY0 + timedelta(days=14, hours=15))


def on(rows, dev):
    for r in rows:
        r["device_id"] = dev
    return rows


CONTROL = on(daily("c9", weekdays(42), "73.22.10.5", AUSTIN, hours=(15,)), "d-c9")
CONTROL_DEV = {"device_id": "d-c9", "person_id": "c9", "managed": "true", "ship_to_postal_code": "78701"}

# s1 (LevelBlue): onboarding sign-ins from Shanghai for two weeks, then from the hire date on a
# Dallas residential address with no company device (the managed laptop d-s1 never signs in).
# s2: Shanghai, then a US hosting exit (one of LevelBlue's published addresses) on no device.
# s3: US VPN / hosting exits only, then a US residential address on no device.
base = weekdays(14)
after = weekdays(21, 14)
write("NET-SHIFT/positive_abroad_then_us_unmanaged", {
    "people": (PEOPLE_COLS, [person("s1", "TX", HIRE14), person("s2", "NY", HIRE14),
                             person("s3", "WA", HIRE14), person("c9", "TX", HIRE14)]),
    "devices": (DEV, [{"device_id": "d-s1", "person_id": "s1", "managed": "true", "ship_to_postal_code": "78701"},
                      CONTROL_DEV]),
    "signins": (SIGN_DEV, daily("s1", base, "116.228.5.6", SHANGHAI, hours=(2, 6))
                + daily("s1", after, "73.1.2.3", DALLAS)
                + daily("s2", base, "116.228.5.6", SHANGHAI, hours=(2, 6))
                + daily("s2", after, "155.94.199.59", ("Los Angeles", "California", "US", 34.05, -118.24))
                + daily("s3", base, "45.33.2.1", ("Newark", "New Jersey", "US", 40.73, -74.17), hours=(2, 6))
                + daily("s3", after, "24.5.6.7", SEATTLE)
                + CONTROL)},
    {"detection": "NET-SHIFT", "kind": "positive", "fires_for": ["s1", "s2", "s3"], "silent_for": ["c9"],
     "min_lr": {"s1": 5.5, "s2": 5.5, "s3": 3.5}})

# r1 relocates from Bengaluru for the job: foreign sign-ins, then from the start date on the
# managed company laptop. r2 moved to the US forty days before the start date (outside the
# window). r3 relocates with a week between the last foreign sign-in and the first US one.
# p1 starts on a personal device at home during onboarding (no foreign baseline), then the
# laptop. e1 (hired in 2025) spends two weeks abroad and comes back to a personal computer.
r1 = daily("r1", base, "117.200.3.4", BANGALORE, hours=(4, 8)) + on(daily("r1", after, "98.33.4.5", NEW_YORK), "d-r1")
r2 = daily("r2", weekdays(10), "117.200.3.4", BANGALORE) + daily("r2", weekdays(32, 10), "71.200.3.4", NEW_YORK)
r3 = daily("r3", weekdays(9), "117.200.3.4", BANGALORE) + daily("r3", after, "73.22.10.5", AUSTIN)
p1 = daily("p1", weekdays(7, 7), "73.1.2.3", AUSTIN) + on(daily("p1", after, "73.1.2.3", AUSTIN), "d-p1")
e1 = daily("e1", weekdays(14), "46.21.3.4", BERLIN) + daily("e1", after, "24.5.6.7", SEATTLE)
write("NET-SHIFT/negative_relocation_personal_device_and_trips", {
    "people": (PEOPLE_COLS, [person("r1", "NY", HIRE14), person("r2", "NY", ts(DAY0 + timedelta(days=50))),
                             person("r3", "TX", HIRE14), person("p1", "TX", HIRE14),
                             person("e1", "WA", "2025-01-06T15:00:00Z"), person("c9", "TX", HIRE14)]),
    "devices": (DEV, [{"device_id": "d-r1", "person_id": "r1", "managed": "true", "ship_to_postal_code": "10013"},
                      {"device_id": "d-p1", "person_id": "p1", "managed": "true", "ship_to_postal_code": "78701"},
                      CONTROL_DEV]),
    "signins": (SIGN_DEV, r1 + r2 + r3 + p1 + e1 + CONTROL)},
    {"detection": "NET-SHIFT", "kind": "negative", "fires_for": [],
     "silent_for": ["r1", "r2", "r3", "p1", "e1", "c9"]})
print("GEO fixtures written")
