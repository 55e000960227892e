#!/usr/bin/env python3
"""Writes the FARM-SHIP, FARM-MFA and FARM-WIFI behaviour fixtures (one folder per case, contract
tables as CSV plus expect.json). Synthetic people and addresses only. Run from this folder:
python3 make_farm.py"""
import csv, json, os, sys, shutil
from datetime import datetime, timedelta, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from fixture_io import ts, write_case  # noqa: E402
T0 = datetime(2026, 3, 2, tzinfo=timezone.utc)  # a Monday

PEOPLE_COLS = ["person_id", "record_type", "full_name", "date_of_birth", "email", "work_email", "phone",
               "address_line1", "address_line2", "city", "region", "postal_code", "country",
               "claimed_timezone", "hired_at", "department", "staffing_agency"]
HOMES = {
    "TX": ("12 Oak St", "Austin", "TX", "78701", "America/Chicago"),
    "WA": ("400 Pine Ave", "Seattle", "WA", "98101", "America/Los_Angeles"),
    "FL": ("9 Palm Rd", "Miami", "FL", "33101", "America/New_York"),
    "OH": ("77 Elm Dr", "Columbus", "OH", "43004", "America/New_York"),
    "CO": ("5 Aspen Ln", "Denver", "CO", "80202", "America/Denver"),
    "NY": ("21 Hudson St", "New York", "NY", "10013", "America/New_York"),
    "GA": ("310 Peach Tree Ct", "Atlanta", "GA", "30303", "America/New_York"),
}
DEVICE_COLS = ["device_id", "person_id", "shipped_at", "ship_to_line1", "ship_to_line2", "ship_to_city",
               "ship_to_region", "ship_to_postal_code", "ship_to_country", "ship_to_name"]
SIGNIN_COLS = ["time", "account", "src_ip", "outcome", "mfa_device_id"]
PRESENCE_COLS = ["time", "device_id", "wifi_bssid", "wifi_ssid"]




def person(pid, state, **kw):
    line1, city, region, zipc, tz = HOMES[state]
    return {"person_id": pid, "record_type": kw.get("record_type", "employee"),
            "full_name": kw.get("name", f"Person {pid.upper()}"), "date_of_birth": "1990-01-01",
            "email": f"{pid}@mail.example", "work_email": f"{pid}@corp.example", "phone": "",
            "address_line1": kw.get("line1", line1), "address_line2": kw.get("line2", ""), "city": city,
            "region": region, "postal_code": zipc, "country": "US", "claimed_timezone": tz,
            "hired_at": "2026-01-05T15:00:00Z", "department": kw.get("dept", "Engineering"),
            "staffing_agency": kw.get("agency", "")}


def write(case, tables, expect, extra=None):
    write_case(HERE, case, tables, expect, extra)

def ship(p, to=None, name=None, dev=None):
    """A device for person p, shipped to `to` = (line1, line2, city, region, zip) or the home."""
    if to is None:
        to = (p["address_line1"], p["address_line2"], p["city"], p["region"], p["postal_code"])
    line1, line2, city, region, zipc = to
    return {"device_id": dev or "d-" + p["person_id"], "person_id": p["person_id"],
            "shipped_at": ts(T0 - timedelta(days=60)), "ship_to_line1": line1, "ship_to_line2": line2,
            "ship_to_city": city, "ship_to_region": region, "ship_to_postal_code": zipc,
            "ship_to_country": "US", "ship_to_name": name or p["full_name"]}


def ids(people):
    return [p["person_id"] for p in people]


# ---------------- FARM-SHIP ----------------
DROP = ("1420 Desert Willow Dr", "", "Las Vegas", "NV", "89101")
farm = [person("p1", "TX"), person("p2", "WA"), person("p3", "FL"), person("p4", "OH")]
write("FARM-SHIP/positive_three_identities_one_drop_unit_variants", {
    "people": (PEOPLE_COLS, farm),
    "devices": (DEVICE_COLS, [
        ship(farm[0], DROP),
        ship(farm[1], ("1420 Desert Willow Drive", "Apt 2", "Las Vegas", "Nevada", "89101-2231"), name="Q Receiver"),
        ship(farm[2], ("1420 DESERT WILLOW DR #3", "", "LAS VEGAS", "NV", "89101")),
        ship(farm[3]),
    ])},
    {"detection": "FARM-SHIP", "kind": "positive", "fires_for": ["p1", "p2", "p3"], "silent_for": ["p4"],
     "min_lr": {"p1": 150, "p2": 150, "p3": 150}})

two = [person("t1", "TX"), person("t2", "GA"), person("t3", "OH")]
write("FARM-SHIP/positive_two_identities_one_drop", {
    "people": (PEOPLE_COLS, two),
    "devices": (DEVICE_COLS, [ship(two[0], DROP), ship(two[1], DROP), ship(two[2])])},
    {"detection": "FARM-SHIP", "kind": "positive", "fires_for": ["t1", "t2"], "silent_for": ["t3"],
     "min_lr": {"t1": 25, "t2": 25}})

lone = [person("m1", "WA"), person("m2", "FL"), person("m3", "CO")]
write("FARM-SHIP/positive_mail_drop_and_away_from_home", {
    "people": (PEOPLE_COLS, lone),
    "devices": (DEVICE_COLS, [
        # a private mailbox behind a suite at a mailbox store, addressed to another name
        ship(lone[0], ("3500 Commerce Pkwy Ste 100 PMB 245", "", "Henderson", "NV", "89052"), name="R Forwarder"),
        # a '#' box stacked behind a suite
        ship(lone[1], ("77 Harbor Blvd", "Suite 12 #408", "Newark", "DE", "19711")),
        # a plain address that is not the home: weak
        ship(lone[2], ("18 Cedar Ct", "", "Boise", "ID", "83702")),
    ])},
    {"detection": "FARM-SHIP", "kind": "positive", "fires_for": ["m1", "m2", "m3"], "silent_for": [],
     "min_lr": {"m1": 16, "m2": 8, "m3": 3}})

# households: two people claim the home they ship to (address written differently); roommates in
# one apartment with unit variants; a person shipped home
hh = [person("h1", "CO"), person("h2", "CO", line1="5 Aspen Lane"),
      person("h3", "NY", line1="21 Hudson Street", line2="Apt 4"), person("h4", "NY", line1="21 Hudson St #4")]
write("FARM-SHIP/negative_households", {
    "people": (PEOPLE_COLS, hh),
    "devices": (DEVICE_COLS, [
        ship(hh[0], ("5 ASPEN LN", "", "Denver", "CO", "80202")),
        ship(hh[1], ("5 Aspen Lane", "", "Denver", "Colorado", "80202-1111"), name="Casey Partner"),
        ship(hh[2], ("21 Hudson St Apt 4", "", "New York", "NY", "10013")),
        ship(hh[3], ("21 Hudson St", "Apartment 4", "New York", "NY", "10013")),
    ])},
    {"detection": "FARM-SHIP", "kind": "negative", "fires_for": [], "silent_for": ids(hh)})

# the company's office (any suite of the building) is on the office list
OFFICE = ("500 W. Harbor Boulevard", "Suite 210", "San Diego", "CA", "92101")
off = [person("o1", "TX"), person("o2", "WA"), person("o3", "FL")]
write("FARM-SHIP/negative_office_on_list", {
    "people": (PEOPLE_COLS, off),
    "devices": (DEVICE_COLS, [ship(p, OFFICE) for p in off])},
    {"detection": "FARM-SHIP", "kind": "negative", "fires_for": [], "silent_for": ids(off)},
    {"office_addresses.txt": "# company sites\n500 West Harbor Blvd, Ste 300, San Diego, CA 92101\n"})

# contractors of one staffing agency: the agency takes delivery at its own office
ag = [person("s1", "TX", agency="Acme Staffing", record_type="contractor"),
      person("s2", "WA", agency="ACME Staffing ", record_type="contractor"),
      person("s3", "FL", agency="acme staffing", record_type="contractor")]
write("FARM-SHIP/negative_staffing_agency_office", {
    "people": (PEOPLE_COLS, ag),
    "devices": (DEVICE_COLS, [ship(p, ("800 Market St", "Ste 400", "San Francisco", "CA", "94102")) for p in ag])},
    {"detection": "FARM-SHIP", "kind": "negative", "fires_for": [], "silent_for": ids(ag)})

# people of one metro who ship to the coworking space they work from
cw = [person(f"c{i}", "NY", line1=f"{100 + i} Broadway") for i in range(3)]
write("FARM-SHIP/negative_coworking_near_home", {
    "people": (PEOPLE_COLS, cw),
    "devices": (DEVICE_COLS, [ship(p, ("200 Park Ave", "Floor 12", "New York", "NY", "10017")) for p in cw])},
    {"detection": "FARM-SHIP", "kind": "negative", "fires_for": [], "silent_for": ids(cw)})

# an IT depot that receives everyone's laptops (not on the office list): at least the
# infrastructure threshold of people
states = list(HOMES)
depot = [person(f"q{i:02d}", states[i % len(states)], line1=f"{10 + i} Main St") for i in range(26)]
write("FARM-SHIP/negative_it_depot", {
    "people": (PEOPLE_COLS, depot),
    "devices": (DEVICE_COLS, [ship(p, ("9000 Logistics Way", "", "Memphis", "TN", "38118")) for p in depot])},
    {"detection": "FARM-SHIP", "kind": "negative", "fires_for": [], "silent_for": ids(depot)})


# address changes after the offer: one person's applicant record (ATS) and worker record (HRIS)
MOVE_COLS = PEOPLE_COLS + ["applied_at"]


def records(pid, state_then, state_now, applied="2025-11-20T15:00:00Z", **kw):
    """An applicant record and a worker record of one person (same personal email)."""
    a = person(pid + "a", state_then, record_type="applicant", name=kw.get("name", f"Person {pid.upper()}"))
    w = person(pid + "w", state_now, name=kw.get("name", f"Person {pid.upper()}"), line2=kw.get("line2", ""))
    if "line1" in kw:
        w["address_line1"] = kw["line1"]
    a["email"] = w["email"] = f"{pid}@mail.example"
    a["applied_at"], w["applied_at"] = applied, applied
    a["hired_at"] = ""
    return a, w


far_a, far_w = records("mv1", "TX", "OH")      # Austin -> Columbus, laptop to Columbus
loc_a, loc_w = records("mv2", "NY", "NY", line1="300 Canal St")   # across town
people = [far_a, far_w, loc_a, loc_w]
write("FARM-SHIP/positive_home_changed_after_application", {
    "people": (MOVE_COLS, people),
    "devices": (DEVICE_COLS, [ship(far_w), ship(loc_w)])},
    {"detection": "FARM-SHIP", "kind": "positive", "fires_for": ["mv1w", "mv2w"],
     "silent_for": ["mv1a", "mv2a"], "min_lr": {"mv1w": 4, "mv2w": 2}, "max_lr": {"mv2w": 2}})

# look-alikes: a new flat in the same building; a parent and child sharing one mailbox (other
# name, other birth date); a replacement laptop after a move two years into the job; an applicant
# record made after the hire (re-application); a mover whose records share nothing
same_a, same_w = records("nb1", "GA", "GA", line2="Apt 9")
fam_a, fam_w = records("nb2", "TX", "WA")
fam_a["full_name"], fam_a["date_of_birth"] = "Robin Elder", "1961-04-02"
rep_a, rep_w = records("nb3", "CO", "FL")
re_a, re_w = records("nb4", "WA", "GA", applied="2026-06-01T15:00:00Z")
re_w["applied_at"] = "2025-11-20T15:00:00Z"
un_a, un_w = records("nb5", "OH", "TX")
un_a["email"] = "someone.else@mail.example"
old_a, old_w = records("nb6", "FL", "CO", applied="2023-10-01T15:00:00Z")  # applied two years before
late = ship(rep_w)
late["shipped_at"] = "2028-02-01T15:00:00Z"
people = [same_a, same_w, fam_a, fam_w, rep_a, rep_w, re_a, re_w, un_a, un_w, old_a, old_w]
write("FARM-SHIP/negative_moves_that_are_not_after_the_offer", {
    "people": (MOVE_COLS, people),
    "devices": (DEVICE_COLS, [ship(same_w), ship(fam_w), late, ship(re_w), ship(un_w), ship(old_w)])},
    {"detection": "FARM-SHIP", "kind": "negative", "fires_for": [], "silent_for": ids(people)})


# one named recipient for the laptops of three identities at three different addresses
rc = [person("r1", "TX"), person("r2", "WA"), person("r3", "FL"), person("r4", "OH")]
write("FARM-SHIP/positive_one_recipient_for_three_identities", {
    "people": (PEOPLE_COLS, rc),
    "devices": (DEVICE_COLS, [
        ship(rc[0], ("18 Cedar Ct", "", "Boise", "ID", "83702"), name="Dana Q. Receiver"),
        ship(rc[1], ("92 Birch Rd", "", "Reno", "NV", "89501"), name="DANA RECEIVER"),
        ship(rc[2], ("7 Pine Pl", "Apt 3", "Tucson", "AZ", "85701"), name="Receiver, Dana"),
        ship(rc[3], ("40 Oak Ave", "", "Erie", "PA", "16501"), name="Sam Other"),
    ])},
    {"detection": "FARM-SHIP", "kind": "positive", "fires_for": ["r1", "r2", "r3"], "silent_for": [],
     "min_lr": {"r1": 80, "r2": 80, "r3": 80}, "max_lr": {"r4": 6}})

# look-alikes: a couple whose laptops go to the same parent (one household); two coworkers whose
# laptops go to the front desk of their coworking spaces; one person's two laptops to a relative
par = [person("u1", "CO"), person("u2", "CO", line1="5 Aspen Lane"),
       person("u3", "NY", line1="101 Broadway"), person("u4", "NY", line1="102 Broadway"),
       person("u5", "GA")]
write("FARM-SHIP/negative_recipients_that_are_not_a_facilitator", {
    "people": (PEOPLE_COLS, par),
    "devices": (DEVICE_COLS, [
        ship(par[0], ("9 Elm St", "", "Boulder", "CO", "80301"), name="Pat Parent"),
        ship(par[1], ("9 Elm St", "", "Boulder", "CO", "80301"), name="Pat Parent"),
        ship(par[2], ("200 Park Ave", "Floor 12", "New York", "NY", "10017"), name="Front Desk"),
        ship(par[3], ("1 Main St", "Floor 3", "Brooklyn", "NY", "11201"), name="Front Desk"),
        ship(par[4], ("3 Lake Dr", "", "Macon", "GA", "31201"), name="Robin Relative", dev="d-u5a"),
        ship(par[4], ("3 Lake Dr", "", "Macon", "GA", "31201"), name="Robin Relative", dev="d-u5b"),
    ])},
    {"detection": "FARM-SHIP", "kind": "negative", "fires_for": [], "silent_for": ["u3", "u4"],
     "max_lr": {"u1": 6, "u2": 6, "u5": 6}})


# ---------------- FARM-MFA ----------------
def signin(acct, mfa, n, start=0, outcome="success", ip="73.10.20.30"):
    return [{"time": ts(T0 + timedelta(days=start + i, hours=15)), "account": acct, "src_ip": ip,
             "outcome": outcome, "mfa_device_id": mfa} for i in range(n)]


mp = [person("p1", "TX"), person("p2", "WA"), person("p3", "FL"), person("p4", "OH")]
write("FARM-MFA/positive_three_people_one_authenticator", {
    "people": (PEOPLE_COLS, mp),
    "signins": (SIGNIN_COLS, signin("p1@corp.example", "okv-a1b2c3d4e5f6", 5)
                + signin("P2@Corp.Example", "okv-a1b2c3d4e5f6", 5)
                + signin("p3@corp.example", " okv-a1b2c3d4e5f6 ", 5)
                + signin("p4@corp.example", "okv-99887766aabb", 5))},
    {"detection": "FARM-MFA", "kind": "positive", "fires_for": ["p1", "p2", "p3"], "silent_for": ["p4"],
     "min_lr": {"p1": 200, "p2": 200, "p3": 200}})

m2 = [person("a1", "CO"), person("a2", "GA"), person("a3", "OH")]
write("FARM-MFA/positive_two_people_one_security_key", {
    "people": (PEOPLE_COLS, m2),
    "signins": (SIGNIN_COLS, signin("a1@corp.example", "yubikey-5c-1234567", 3)
                + signin("a2@corp.example", "yubikey-5c-1234567", 1, start=4)
                + signin("a3@corp.example", "yubikey-5c-7654321", 3))},
    {"detection": "FARM-MFA", "kind": "positive", "fires_for": ["a1", "a2"], "silent_for": ["a3"],
     "min_lr": {"a1": 60, "a2": 60}})

# one person with an admin and a user account; a couple sharing a phone; IT admins sharing a
# hardware token; a method name instead of a device id; an unmapped service account; a failed
# sign-in that names someone else's device
neg = [person("n1", "TX"), person("n2", "CO"), person("n3", "CO", line1="5 Aspen Lane"),
       person("n4", "WA", dept="IT"), person("n5", "FL", dept="IT Help Desk"), person("n6", "OH"),
       person("n7", "GA")]
write("FARM-MFA/negative_same_person_household_it_token_method", {
    "people": (PEOPLE_COLS, neg),
    "accounts": (["person_id", "account", "system"], [
        {"person_id": "n1", "account": "n1@corp.example", "system": "okta"},
        {"person_id": "n1", "account": "adm-n1@corp.example", "system": "entra"},
    ]),
    "signins": (SIGNIN_COLS, signin("n1@corp.example", "okv-111111aaaaaa", 3)
                + signin("adm-n1@corp.example", "okv-111111aaaaaa", 3)
                + signin("n2@corp.example", "okv-222222bbbbbb", 3)
                + signin("n3@corp.example", "okv-222222bbbbbb", 3)
                + signin("n4@corp.example", "hwtoken-helpdesk-01", 3)
                + signin("n5@corp.example", "hwtoken-helpdesk-01", 3)
                + signin("n6@corp.example", "push", 3) + signin("n7@corp.example", "PUSH", 3)
                + signin("n6@corp.example", "N/A", 3) + signin("n7@corp.example", "n/a", 3)
                + signin("svc-build@corp.example", "okv-777777cccccc", 3)
                + signin("n7@corp.example", "okv-777777cccccc", 3)
                + signin("n6@corp.example", "okv-888888dddddd", 3)
                + signin("n7@corp.example", "okv-888888dddddd", 1, outcome="failure"))},
    {"detection": "FARM-MFA", "kind": "negative", "fires_for": [], "silent_for": ids(neg)})


# ---------------- FARM-WIFI ----------------
def presence(pairs):
    """pairs: list of (device_id, bssid, hours (UTC), days)"""
    rows = []
    for dev, bssid, hours, days in pairs:
        for day in days:
            for h in hours:
                rows.append({"time": ts(T0 + timedelta(days=day, hours=h)), "device_id": dev,
                             "wifi_bssid": bssid, "wifi_ssid": "net"})
    return (PRESENCE_COLS, rows)


def devices(people):
    return (["device_id", "person_id"], [{"device_id": "d-" + p["person_id"], "person_id": p["person_id"]} for p in people])


ALL_HOURS = list(range(24))
wf = [person("p1", "TX"), person("p2", "WA"), person("p3", "FL"), person("p4", "OH")]
write("FARM-WIFI/positive_three_identities_one_access_point", {
    "people": (PEOPLE_COLS, wf), "devices": devices(wf),
    "device_presence": presence([("d-p1", "A4:2B:B0:11:22:33", ALL_HOURS, range(10)),
                                 ("d-p2", "a4-2b-b0-11-22-33", ALL_HOURS, range(10)),
                                 ("d-p3", "a42bb0112233", ALL_HOURS, range(10)),
                                 ("d-p4", "a4:2b:b0:99:88:77", ALL_HOURS, range(10))])},
    {"detection": "FARM-WIFI", "kind": "positive", "fires_for": ["p1", "p2", "p3"], "silent_for": ["p4"],
     "min_lr": {"p1": 400, "p2": 400, "p3": 400}})

w2 = [person("w1", "GA"), person("w2", "CO")]
write("FARM-WIFI/positive_two_identities", {
    "people": (PEOPLE_COLS, w2), "devices": devices(w2),
    "device_presence": presence([("d-w1", "10:20:30:40:50:60", ALL_HOURS, range(9)),
                                 ("d-w2", "10:20:30:40:50:60", ALL_HOURS, range(9))])},
    {"detection": "FARM-WIFI", "kind": "positive", "fires_for": ["w1", "w2"], "silent_for": [],
     "min_lr": {"w1": 40, "w2": 40}})

# a couple at home; coworkers on the space's Wi-Fi by day and at home at night; colleagues on the
# conference hotel Wi-Fi for four nights; placeholder BSSIDs
hh = [person("h1", "CO"), person("h2", "CO", line1="5 Aspen Lane")]
cw = [person(f"c{i}", "NY", line1=f"{100 + i} Broadway") for i in range(3)]
trip = [person("t1", "TX"), person("t2", "WA"), person("t3", "OH")]
zero = [person("z1", "FL"), person("z2", "GA")]
pairs = [("d-h1", "02:1a:11:00:00:01", ALL_HOURS, range(14)), ("d-h2", "02:1a:11:00:00:01", ALL_HOURS, range(14))]
wk = [d for d in range(21) if d % 7 < 5]
for i, p in enumerate(cw):
    pairs.append(("d-" + p["person_id"], "c0:ff:ee:00:00:01", list(range(14, 22)), wk))
    pairs.append(("d-" + p["person_id"], f"c0:ff:ee:10:00:0{i}", [0, 1, 2, 3, 23], range(21)))
for p in trip:
    pairs.append(("d-" + p["person_id"], "70:70:70:00:00:01", ALL_HOURS, range(3, 7)))
for p in zero:
    pairs.append(("d-" + p["person_id"], "00:00:00:00:00:00", ALL_HOURS, range(14)))
    pairs.append(("d-" + p["person_id"], "unknown", ALL_HOURS, range(14)))
people = hh + cw + trip + zero
write("FARM-WIFI/negative_household_coworking_hotel_placeholder", {
    "people": (PEOPLE_COLS, people), "devices": devices(people), "device_presence": presence(pairs)},
    {"detection": "FARM-WIFI", "kind": "negative", "fires_for": [], "silent_for": ids(people)})

# a coworking space: six members by day who go home at night, and two of them who leave their
# laptops on the space's Wi-Fi overnight for two weeks (the laptops "sleep" there together)
cs = [person(f"s{i}", "NY", line1=f"{200 + i} Broadway") for i in range(6)]
pairs = []
for i, p in enumerate(cs):
    pairs.append(("d-" + p["person_id"], "c0:ff:ee:20:00:01", list(range(14, 22)), wk))
    if i < 2:
        pairs.append(("d-" + p["person_id"], "c0:ff:ee:20:00:01", [23, 0, 1, 2, 3, 4, 5], range(14)))
    else:
        pairs.append(("d-" + p["person_id"], f"c0:ff:ee:30:00:0{i}", [0, 1, 2, 3, 23], range(21)))
write("FARM-WIFI/negative_coworking_laptops_left_overnight", {
    "people": (PEOPLE_COLS, cs), "devices": devices(cs), "device_presence": presence(pairs)},
    {"detection": "FARM-WIFI", "kind": "negative", "fires_for": [], "silent_for": ids(cs)})

# five identities whose laptops all stay the night on one access point: as many people as the
# venue rule looks at, but every one of them sleeps there, so it is a farm, not a venue
f5 = [person("f1", "TX"), person("f2", "WA"), person("f3", "FL"), person("f4", "OH"), person("f5", "CO")]
write("FARM-WIFI/positive_five_identities_all_overnight", {
    "people": (PEOPLE_COLS, f5), "devices": devices(f5),
    "device_presence": presence([("d-" + p["person_id"], "3c:84:6a:01:02:03", ALL_HOURS, range(10)) for p in f5])},
    {"detection": "FARM-WIFI", "kind": "positive", "fires_for": ids(f5), "silent_for": [],
     "min_lr": {p["person_id"]: 400 for p in f5}})

# six identities on one access point: two laptops on around the clock, four that are switched
# off at night (no nights anywhere). Few sleep there, but nobody has a home of their own
# elsewhere: a farm, not a daytime venue
f6 = [person(f"g{i}", st) for i, st in enumerate(["TX", "WA", "FL", "OH", "CO", "GA"])]
pairs = []
for i, p in enumerate(f6):
    hours = ALL_HOURS if i < 2 else list(range(13, 21))
    pairs.append(("d-" + p["person_id"], "3c:84:6a:09:08:07", hours, range(12)))
write("FARM-WIFI/positive_farm_laptops_off_at_night", {
    "people": (PEOPLE_COLS, f6), "devices": devices(f6), "device_presence": presence(pairs)},
    {"detection": "FARM-WIFI", "kind": "positive", "fires_for": ["g0", "g1"], "silent_for": []})

print("farm fixtures written")
