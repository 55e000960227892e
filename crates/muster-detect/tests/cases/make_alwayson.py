#!/usr/bin/env python3
"""Writes the FARM-ALWAYSON behaviour fixtures (contract tables as CSV plus expect.json).
Synthetic people only. Human activity is drawn at random times inside working hours (bursty,
interval CV near 1); machine activity is periodic with a few seconds of jitter.
Run from this folder: python3 make_alwayson.py"""
import os, random, sys
from datetime import datetime, timedelta, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from fixture_io import ts, write_case  # noqa: E402

T0 = datetime(2026, 3, 2, tzinfo=timezone.utc)  # a Monday; days 5 and 6 are a weekend
DAYS = range(10)
PEOPLE = ["person_id", "record_type", "full_name", "work_email", "address_line1", "city", "region",
          "postal_code", "country", "claimed_timezone", "department"]
DEV = ["device_id", "person_id", "hostname", "model", "os"]
PRES = ["time", "device_id", "public_ip", "source"]
PROC = ["time", "device_id", "name", "event"]
SIGN = ["time", "account", "src_ip", "outcome", "app", "device_id"]
ACT = ["time", "person_id", "account", "kind", "device_id"]


def person(pid, dept="Engineering"):
    return {"person_id": pid, "record_type": "employee", "full_name": f"Person {pid.upper()}",
            "work_email": f"{pid}@corp.example", "address_line1": "12 Oak St", "city": "Austin",
            "region": "TX", "postal_code": "78701", "country": "US",
            "claimed_timezone": "America/Chicago", "department": dept}


def device(pid, hostname=None, model="Latitude 5440", os_="Windows 11 Enterprise"):
    return {"device_id": "d-" + pid, "person_id": pid, "hostname": hostname or f"LT-{pid.upper()}",
            "model": model, "os": os_}


def periodic(start_h, end_h, every_s, jitter_s, rng):
    """Times every `every_s` seconds from hour offset start_h to end_h (hours after T0)."""
    t = T0 + timedelta(hours=start_h, seconds=rng.randint(0, every_s - 1))
    end = T0 + timedelta(hours=end_h)
    out = []
    while t < end:
        out.append(t)
        t += timedelta(seconds=every_s + rng.randint(-jitter_s, jitter_s))
    return out


def human(days, hours, per_hour, rng, weekdays_only=True):
    """Random times inside UTC `hours` of each day (bursty: uniform points, some hours empty)."""
    out = []
    for d in days:
        if weekdays_only and (d % 7) >= 5:
            continue
        for h in hours:
            for _ in range(rng.randint(0, per_hour)):
                out.append(T0 + timedelta(days=d, hours=h, seconds=rng.randint(0, 3599)))
    return sorted(out)


def awake(dev, every_s, rng, start_h=0, end_h=24 * len(DAYS), source="edr"):
    return [{"time": ts(t), "device_id": dev, "public_ip": "73.1.2.3", "source": source}
            for t in periodic(start_h, end_h, every_s, 0, rng)]


def work_day_presence(dev, every_s, rng):
    """EDR heartbeats only while the laptop is open: 13:00-23:00 UTC (08:00-18:00 Chicago) on weekdays."""
    rows = []
    for d in DAYS:
        if d % 7 < 5:
            rows += awake(dev, every_s, rng, 24 * d + 13, 24 * d + 23)
    return rows


def acts(pid, times, kind):
    return [{"time": ts(t), "person_id": pid, "kind": kind, "device_id": "d-" + pid} for t in times]


def signs(pid, times, app="okta"):
    return [{"time": ts(t), "account": f"{pid}@corp.example", "src_ip": "73.1.2.3", "outcome": "success",
             "app": app, "device_id": "d-" + pid} for t in times]


WORK_UTC = range(13, 23)  # 08:00-18:00 in Chicago
ALL = range(24)


def write(case, people, devices, tables, expect):
    t = {"people": (PEOPLE, people), "devices": (DEV, devices)}
    t.update(tables)
    write_case(HERE, "FARM-ALWAYSON/" + case, t, expect)


def office_fleet(rng, ids, kind="chat"):
    """Ordinary colleagues: laptops awake in working hours, bursty chat and sign-ins."""
    pres, act, sign = [], [], []
    for pid in ids:
        pres += work_day_presence("d-" + pid, 3600, rng)
        act += acts(pid, human(DAYS, WORK_UTC, 8, rng), kind)
        sign += signs(pid, human(DAYS, WORK_UTC, 1, rng))
    return pres, act, sign


# ---------------- positives ----------------
rng = random.Random(11)
fleet = ["c1", "c2", "c3", "c4"]
pres, act, sign = office_fleet(rng, fleet, kind="input_active")
# w1: a farm laptop with a jiggler: input-activity events every 30 min, day and night, weekend too,
# plus the operator's own bursty work in Asian daytime (00:00-09:00 UTC).
pres += awake("d-w1", 3600, rng)
act += acts("w1", periodic(0, 24 * len(DAYS), 1800, 20, rng), "input_active")
act += acts("w1", human(DAYS, range(0, 9), 6, rng), "commit")
write("positive_jiggler_regular_input", [person(p) for p in fleet + ["w1"]],
      [device(p) for p in fleet + ["w1"]],
      {"device_presence": (PRES, pres), "activity": (ACT, act), "signins": (SIGN, sign)},
      {"detection": "FARM-ALWAYSON", "kind": "positive", "fires_for": ["w1"], "silent_for": fleet,
       "min_lr": {"w1": 20}})

rng = random.Random(12)
pres, act, sign = office_fleet(rng, fleet)
# s1: operators in shifts: bursty activity and sign-ins in every hour of every day, weekend included.
pres += awake("d-s1", 3600, rng)
act += acts("s1", human(DAYS, ALL, 5, rng, weekdays_only=False), "commit")
act += acts("s1", [T0 + timedelta(hours=h, minutes=rng.randint(0, 59)) for h in range(24 * len(DAYS))], "chat")
sign += signs("s1", human(DAYS, ALL, 1, rng, weekdays_only=False))
write("positive_operators_in_shifts", [person(p) for p in fleet + ["s1"]],
      [device(p) for p in fleet + ["s1"]],
      {"device_presence": (PRES, pres), "activity": (ACT, act), "signins": (SIGN, sign)},
      {"detection": "FARM-ALWAYSON", "kind": "positive", "fires_for": ["s1"], "silent_for": fleet,
       "min_lr": {"s1": 10}})

# ---------------- negatives ----------------
rng = random.Random(21)
pres, act, sign = office_fleet(rng, fleet)
# l1: laptop left on for the whole period (long job, docked): EDR heartbeats every 30 min around the
# clock, process inventory every hour, one job start; the person keeps ordinary hours.
pres += awake("d-l1", 1800, rng)
act += acts("l1", human(DAYS, WORK_UTC, 8, rng), "chat")
sign += signs("l1", human(DAYS, WORK_UTC, 1, rng))
proc = [{"time": ts(T0 + timedelta(hours=h)), "device_id": "d-l1", "name": "python.exe", "event": "running"}
        for h in range(24 * len(DAYS))]
proc.append({"time": ts(T0 + timedelta(hours=20)), "device_id": "d-l1", "name": "python.exe", "event": "start"})
write("negative_laptop_left_on_long_job", [person(p) for p in fleet + ["l1"]],
      [device(p) for p in fleet + ["l1"]],
      {"device_presence": (PRES, pres), "activity": (ACT, act), "signins": (SIGN, sign),
       "processes": (PROC, proc)},
      {"detection": "FARM-ALWAYSON", "kind": "negative", "fires_for": [], "silent_for": fleet + ["l1"]})

rng = random.Random(22)
ids = fleet + ["h1"]
pres, act, sign = office_fleet(rng, fleet)
# Fleet-wide heartbeats: a token refresh sign-in every 60 min and a scheduled task every 45 min on
# every awake laptop; h1's laptop never sleeps, so its heartbeats run day and night.
pres += awake("d-h1", 3600, rng)
act += acts("h1", human(DAYS, WORK_UTC, 8, rng), "chat")
proc = []
for pid in ids:
    spans = [(0, 24 * len(DAYS))] if pid == "h1" else [(24 * d + 13, 24 * d + 23) for d in DAYS if d % 7 < 5]
    for a, b in spans:
        sign += signs(pid, periodic(a, b, 3600, 5, rng), app="office365-token-refresh")
        proc += [{"time": ts(t), "device_id": "d-" + pid, "name": "gpupdate.exe", "event": "start"}
                 for t in periodic(a, b, 2700, 5, rng)]
write("negative_fleetwide_heartbeats", [person(p) for p in ids], [device(p) for p in ids],
      {"device_presence": (PRES, pres), "activity": (ACT, act), "signins": (SIGN, sign),
       "processes": (PROC, proc)},
      {"detection": "FARM-ALWAYSON", "kind": "negative", "fires_for": [], "silent_for": ids})

rng = random.Random(23)
pres, act, sign = office_fleet(rng, fleet)
# o1: on call all week including the weekend: laptop never sleeps, paged twice a night (sign-in
# and a ticket update), ordinary working days, sleeps in between.
pres += awake("d-o1", 3600, rng)
act += acts("o1", human(DAYS, WORK_UTC, 8, rng), "chat")
sign += signs("o1", human(DAYS, WORK_UTC, 1, rng))
for d in DAYS:
    for h in (6, 8):  # 01:00 and 03:00 in Chicago
        t = T0 + timedelta(days=d, hours=h, minutes=rng.randint(0, 50))
        sign += signs("o1", [t], app="pagerduty")
        act += acts("o1", [t + timedelta(minutes=4)], "ticket")
write("negative_on_call_engineer", [person(p) for p in fleet + ["o1"]],
      [device(p) for p in fleet + ["o1"]],
      {"device_presence": (PRES, pres), "activity": (ACT, act), "signins": (SIGN, sign)},
      {"detection": "FARM-ALWAYSON", "kind": "negative", "fires_for": [], "silent_for": fleet + ["o1"]})

rng = random.Random(24)
pres, act, sign = office_fleet(rng, fleet, kind="input_active")
# b1 owns a build agent (hostname and OS say so) that starts a job every 15 minutes around the clock;
# t1 works in IT and runs a monitoring script from their laptop every 10 minutes, day and night;
# an unassigned kiosk reports input activity every 30 minutes.
people = [person(p) for p in fleet] + [person("b1"), person("t1", dept="IT Operations")]
devs = [device(p) for p in fleet] + [device("b1", hostname="build-agent-07", model="PowerEdge R650",
                                             os_="Windows Server 2022"), device("t1"),
                                      {"device_id": "kiosk-lobby", "person_id": "", "hostname": "KIOSK-1",
                                       "model": "OptiPlex", "os": "Windows 11"}]
pres += awake("d-b1", 1800, rng) + awake("d-t1", 3600, rng) + awake("kiosk-lobby", 3600, rng)
proc = [{"time": ts(t), "device_id": "d-b1", "name": "msbuild.exe", "event": "start"}
        for t in periodic(0, 24 * len(DAYS), 900, 3, rng)]
proc += [{"time": ts(t), "device_id": "d-t1", "name": "check_services.ps1", "event": "start"}
         for t in periodic(0, 24 * len(DAYS), 600, 3, rng)]
act += [{"time": ts(t), "account": "kiosk-lobby@corp.example", "kind": "input_active", "device_id": "kiosk-lobby"}
        for t in periodic(0, 24 * len(DAYS), 1800, 20, rng)]
act += acts("t1", human(DAYS, WORK_UTC, 8, rng), "chat")
write("negative_build_server_it_staff_and_kiosk", people, devs,
      {"device_presence": (PRES, pres), "activity": (ACT, act), "signins": (SIGN, sign),
       "processes": (PROC, proc)},
      {"detection": "FARM-ALWAYSON", "kind": "negative", "fires_for": [],
       "silent_for": fleet + ["b1", "t1", "device:kiosk-lobby"]})
