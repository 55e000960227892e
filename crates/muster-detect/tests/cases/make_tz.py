#!/usr/bin/env python3
"""Writes the TZ-MISMATCH behaviour fixtures (contract tables as CSV plus expect.json).
Synthetic people only; every time is built from a local schedule in a named IANA zone.
Run from this folder: python3 make_tz.py"""
import csv, json, os, sys, random, shutil
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from fixture_io import write_case  # noqa: E402
DAY0 = datetime(2026, 3, 2)  # a Monday; US daylight saving time starts on 8 March 2026

PEOPLE_COLS = ["person_id", "record_type", "full_name", "date_of_birth", "email", "work_email", "phone",
               "address_line1", "address_line2", "city", "region", "postal_code", "country",
               "claimed_timezone", "hired_at", "staffing_agency"]
HOMES = {
    "TX": ("12 Oak St", "Austin", "TX", "78701", "America/Chicago"),
    "WA": ("400 Pine Ave", "Seattle", "WA", "98101", "America/Los_Angeles"),
    "NY": ("21 Hudson St", "New York", "NY", "10013", "America/New_York"),
}


def person(pid, state, zone=True):
    line1, city, region, zipc, tz = HOMES[state]
    return {"person_id": pid, "record_type": "employee", "full_name": f"Person {pid.upper()}",
            "date_of_birth": "1990-01-01", "email": f"{pid}@mail.example", "work_email": f"{pid}@corp.example",
            "phone": "", "address_line1": line1, "address_line2": "", "city": city, "region": region,
            "postal_code": zipc, "country": "US", "claimed_timezone": tz if zone else "",
            "hired_at": "2026-01-05T15:00:00Z", "staffing_agency": ""}


def ts(dt):
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def local_times(zone, days, hours, weekdays=range(5), minute=17):
    """UTC datetimes of `hours` (local hours of day) on `days` (offsets from DAY0) in `zone`,
    on local weekdays `weekdays` (0 = Monday). A night shift's hours after midnight belong to the
    next calendar day: pass hours >= 24."""
    z = ZoneInfo(zone)
    out = []
    for d in days:
        day = DAY0 + timedelta(days=d)
        if day.weekday() not in weekdays:
            continue
        for h in hours:
            local = (day + timedelta(hours=h, minutes=minute)).replace(tzinfo=z)
            out.append(local)
    return out


def write(case, tables, expect):
    write_case(HERE, case, tables, expect)

def signins(pid, times):
    return [{"time": ts(t), "account": f"{pid}@corp.example", "src_ip": "73.1.2.3", "outcome": "success"} for t in times]


def activity(pid, times, kind="commit"):
    return [{"time": ts(t), "person_id": pid, "kind": kind} for t in times]


def presence(dev, times):
    return [{"time": ts(t), "device_id": dev, "public_ip": "73.9.9.9"} for t in times]


def starts(dev, times):
    return [{"time": ts(t), "device_id": dev, "name": "code.exe", "event": "start"} for t in times]


SIGN = ["time", "account", "src_ip", "outcome"]
ACT = ["time", "person_id", "kind"]
PRES = ["time", "device_id", "public_ip"]
PROC = ["time", "device_id", "name", "event"]
DEV = ["device_id", "person_id"]
WORK = range(9, 18)      # a 09:00-18:00 working day
FOUR_WEEKS = range(28)

# ---------------- positives ----------------
# o1 claims Austin (America/Chicago) and works 09-18 Seoul weekdays (sign-ins and commits);
# o2 claims Austin and works 09-18 Shanghai weekdays, seen through device check-ins and process
# starts (Shanghai daytime claimed in New York would be 21:00-06:00 Sunday-Thursday in summer: a
# night shift, which the detection does not flag by design); o3 claims Seattle, works Shanghai hours, and the laptop is always on (a farm laptop
# checks in every hour); c1 is an ordinary Austin day worker.
ppl = [person("o1", "TX"), person("o2", "TX"), person("o3", "TX"), person("c1", "TX")]
seoul = local_times("Asia/Seoul", FOUR_WEEKS, WORK)
shanghai = local_times("Asia/Shanghai", FOUR_WEEKS, WORK)
always = [datetime(2026, 3, 2, tzinfo=timezone.utc) + timedelta(hours=h, minutes=5) for h in range(28 * 24)]
write("TZ-MISMATCH/positive_asian_daytime_claimed_us", {
    "people": (PEOPLE_COLS, ppl),
    "devices": (DEV, [{"device_id": "d-o2", "person_id": "o2"}, {"device_id": "d-o3", "person_id": "o3"}]),
    "signins": (SIGN, signins("o1", seoul[::2]) + signins("o3", shanghai[::3])
                + signins("c1", local_times("America/Chicago", FOUR_WEEKS, WORK))),
    "activity": (ACT, activity("o1", seoul[1::2]) + activity("o3", shanghai[1::3])),
    "device_presence": (PRES, presence("d-o2", shanghai) + presence("d-o3", always)),
    "processes": (PROC, starts("d-o2", shanghai[::4]))},
    {"detection": "TZ-MISMATCH", "kind": "positive", "fires_for": ["o1", "o2", "o3"], "silent_for": ["c1"],
     "min_lr": {"o1": 15, "o2": 15, "o3": 10}})

# s1 claims Austin, works 08-12 Austin time and a second block 10-16 Seoul time on weekdays.
split = local_times("America/Chicago", FOUR_WEEKS, range(8, 12)) + local_times("Asia/Seoul", FOUR_WEEKS, range(10, 16))
write("TZ-MISMATCH/positive_split_us_mornings_and_asian_daytime", {
    "people": (PEOPLE_COLS, [person("s1", "TX")]),
    "signins": (SIGN, signins("s1", split))},
    {"detection": "TZ-MISMATCH", "kind": "positive", "fires_for": ["s1"], "silent_for": [], "min_lr": {"s1": 3}})

# ---------------- negatives ----------------
# n1: Austin night shift 22:00-06:00 on nights starting Monday-Friday; n2: New York night shift
# 23:00-07:00 on nights starting Sunday-Thursday; n3: Seattle swing shift 15:00-23:00.
n1 = local_times("America/Chicago", FOUR_WEEKS, range(22, 30), weekdays=range(5))
n2 = local_times("America/New_York", FOUR_WEEKS, range(23, 31), weekdays=[6, 0, 1, 2, 3])
n3 = local_times("America/Los_Angeles", FOUR_WEEKS, range(15, 23))
write("TZ-MISMATCH/negative_night_and_swing_shifts", {
    "people": (PEOPLE_COLS, [person("n1", "TX"), person("n2", "NY"), person("n3", "WA")]),
    "signins": (SIGN, signins("n1", n1[::2]) + signins("n2", n2) + signins("n3", n3[::2])),
    "activity": (ACT, activity("n1", n1[1::2]) + activity("n3", n3[1::2]))},
    {"detection": "TZ-MISMATCH", "kind": "negative", "fires_for": [], "silent_for": ["n1", "n2", "n3"]})

# k1: Austin day worker on call: pages at 01:00-04:00 local two or three nights a week.
rng = random.Random(5)
pages = [t for t in local_times("America/Chicago", FOUR_WEEKS, range(25, 29), weekdays=range(7)) if rng.random() < 0.12]
write("TZ-MISMATCH/negative_on_call", {
    "people": (PEOPLE_COLS, [person("k1", "TX")]),
    "signins": (SIGN, signins("k1", local_times("America/Chicago", FOUR_WEEKS, WORK) + pages))},
    {"detection": "TZ-MISMATCH", "kind": "negative", "fires_for": [], "silent_for": ["k1"]})

# t1: New York worker who spends the third week in Seoul working local hours; t2: Austin worker
# with a week in London.
home = [d for d in FOUR_WEEKS if not 14 <= d < 21]
t1 = local_times("America/New_York", home, WORK) + local_times("Asia/Seoul", range(14, 21), WORK)
t2 = local_times("America/Chicago", home, WORK) + local_times("Europe/London", range(14, 21), WORK)
write("TZ-MISMATCH/negative_traveller_week_abroad", {
    "people": (PEOPLE_COLS, [person("t1", "NY"), person("t2", "TX")]),
    "signins": (SIGN, signins("t1", t1) + signins("t2", t2))},
    {"detection": "TZ-MISMATCH", "kind": "negative", "fires_for": [], "silent_for": ["t1", "t2"]})

# e1: Seattle worker keeping New York hours (06:00-15:00 Pacific); e2: early bird in Austin
# (06:00-14:00); e3: late owl in New York (12:00-21:00).
write("TZ-MISMATCH/negative_shifted_hours_on_purpose", {
    "people": (PEOPLE_COLS, [person("e1", "WA"), person("e2", "TX"), person("e3", "NY")]),
    "signins": (SIGN, signins("e1", local_times("America/Los_Angeles", FOUR_WEEKS, range(6, 15)))
                + signins("e2", local_times("America/Chicago", FOUR_WEEKS, range(6, 14)))
                + signins("e3", local_times("America/New_York", FOUR_WEEKS, range(12, 21))))},
    {"detection": "TZ-MISMATCH", "kind": "negative", "fires_for": [], "silent_for": ["e1", "e2", "e3"]})

# f1: Seoul hours but only three days (too few days); f2: 12 Seoul-hour sign-ins over two weeks
# (too few active hours); f3: Seoul hours with no claimed zone and no address zone (not judged).
f3 = person("f3", "TX")
f3.update({"region": "", "postal_code": "", "claimed_timezone": "", "country": ""})
write("TZ-MISMATCH/negative_too_little_data", {
    "people": (PEOPLE_COLS, [person("f1", "TX"), person("f2", "NY"), f3]),
    "signins": (SIGN, signins("f1", local_times("Asia/Seoul", range(3), WORK))
                + signins("f2", local_times("Asia/Seoul", range(14), [10]))
                + signins("f3", seoul))},
    {"detection": "TZ-MISMATCH", "kind": "negative", "fires_for": [], "silent_for": ["f1", "f2", "f3"]})

# a1: Austin day worker whose laptop never sleeps (hourly check-ins around the clock).
write("TZ-MISMATCH/negative_always_on_laptop", {
    "people": (PEOPLE_COLS, [person("a1", "TX")]),
    "devices": (DEV, [{"device_id": "d-a1", "person_id": "a1"}]),
    "device_presence": (PRES, presence("d-a1", always)),
    "signins": (SIGN, signins("a1", local_times("America/Chicago", FOUR_WEEKS, WORK)))},
    {"detection": "TZ-MISMATCH", "kind": "negative", "fires_for": [], "silent_for": ["a1"]})
print("TZ-MISMATCH fixtures written")
