#!/usr/bin/env python3
"""Writes the detection behaviour fixtures (one folder per case, contract tables as CSV plus
expect.json). Synthetic people only. Run from this folder: python3 make_fixtures.py"""
import csv, json, os, sys, shutil
from datetime import datetime, timedelta, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from fixture_io import ts, write_case  # noqa: E402
T0 = datetime(2026, 3, 2, tzinfo=timezone.utc)  # a Monday

PEOPLE_COLS = ["person_id", "record_type", "full_name", "date_of_birth", "email", "work_email", "phone",
               "address_line1", "address_line2", "city", "region", "postal_code", "country",
               "claimed_timezone", "hired_at", "staffing_agency"]
HOMES = {
    "TX": ("12 Oak St", "Austin", "TX", "78701", "America/Chicago"),
    "WA": ("400 Pine Ave", "Seattle", "WA", "98101", "America/Los_Angeles"),
    "FL": ("9 Palm Rd", "Miami", "FL", "33101", "America/New_York"),
    "OH": ("77 Elm Dr", "Columbus", "OH", "43004", "America/New_York"),
    "CO": ("5 Aspen Ln", "Denver", "CO", "80202", "America/Denver"),
    "NY": ("21 Hudson St", "New York", "NY", "10013", "America/New_York"),
}


def person(pid, state, **kw):
    line1, city, region, zipc, tz = HOMES[state]
    row = {"person_id": pid, "record_type": "employee", "full_name": kw.get("name", f"Person {pid.upper()}"),
           "date_of_birth": kw.get("dob", "1990-01-01"), "email": kw.get("email", f"{pid}@mail.example"),
           "work_email": f"{pid}@corp.example", "phone": kw.get("phone", ""),
           "address_line1": kw.get("line1", line1), "address_line2": "", "city": city, "region": region,
           "postal_code": zipc, "country": "US", "claimed_timezone": tz, "hired_at": "2026-01-05T15:00:00Z",
           "staffing_agency": kw.get("agency", "")}
    return row

def write(case, tables, expect, extra=None):
    write_case(HERE, case, tables, expect, extra)

def devices(people):
    return (["device_id", "person_id"], [{"device_id": "d-" + p["person_id"], "person_id": p["person_id"]} for p in people])

def presence(pairs):
    """pairs: list of (device_id, ip, hours(list of UTC hours), days)"""
    rows = []
    for dev, ip, hours, days in pairs:
        for day in days:
            for h in hours:
                rows.append({"time": ts(T0 + timedelta(days=day, hours=h)), "device_id": dev, "public_ip": ip})
    return (["time", "device_id", "public_ip"], rows)

ALL_HOURS = list(range(24))
P = ["person_id"] and PEOPLE_COLS

# ---------------- FARM-IP ----------------
farm = [person("p1", "TX"), person("p2", "WA"), person("p3", "FL"), person("p4", "OH")]
write("FARM-IP/positive_three_identities_one_house", {
    "people": (P, farm), "devices": devices(farm),
    "device_presence": presence([("d-p1", "73.12.34.56", ALL_HOURS, range(10)),
                                 ("d-p2", "73.12.34.56", ALL_HOURS, range(10)),
                                 ("d-p3", "73.12.34.56", ALL_HOURS, range(10)),
                                 ("d-p4", "24.5.6.7", list(range(13, 23)), range(10))])},
    {"detection": "FARM-IP", "kind": "positive", "fires_for": ["p1", "p2", "p3"], "silent_for": ["p4"],
     "min_lr": {"p1": 400, "p2": 400, "p3": 400}})

hh = [person("p1", "CO"), person("p2", "CO")]
write("FARM-IP/negative_household_couple", {
    "people": (P, hh), "devices": devices(hh),
    "device_presence": presence([("d-p1", "73.99.1.2", ALL_HOURS, range(14)), ("d-p2", "73.99.1.2", ALL_HOURS, range(14))])},
    {"detection": "FARM-IP", "kind": "negative", "fires_for": [], "silent_for": ["p1", "p2"]})

mob = [person("m1", "TX"), person("m2", "WA"), person("m3", "FL"), person("m4", "OH")]
write("FARM-IP/negative_mobile_carrier_cgnat", {
    "people": (P, mob), "devices": devices(mob),
    # m1 and m2: both on one T-Mobile (AS21928) carrier-NAT address day and night for two weeks
    # (phones' hotspots, fixed-wireless home internet): shared by strangers, not a residence.
    # m3 and m4: the same pattern on a residential cable address (the control: it fires).
    "device_presence": presence([("d-m1", "172.58.10.20", ALL_HOURS, range(14)),
                                 ("d-m2", "172.58.10.20", ALL_HOURS, range(14)),
                                 ("d-m3", "73.50.60.70", ALL_HOURS, range(14)),
                                 ("d-m4", "73.50.60.70", ALL_HOURS, range(14))])},
    {"detection": "FARM-IP", "kind": "negative", "fires_for": ["m3", "m4"], "silent_for": ["m1", "m2"]})

cw = [person(f"c{i}", st) for i, st in enumerate(["NY", "NY", "NY", "NY", "NY"])]
for i, p in enumerate(cw):
    p["address_line1"] = f"{100 + i} Broadway"
pairs = []
for i, p in enumerate(cw):
    wk = [d for d in range(21) if d % 7 < 5]
    pairs.append(("d-" + p["person_id"], "64.20.30.40", list(range(14, 22)), wk))  # 9:00-17:00 EST
    pairs.append(("d-" + p["person_id"], f"71.1.2.{10 + i}", [0, 1, 2, 23], range(21)))  # home at night
write("FARM-IP/negative_coworking_daytime", {"people": (P, cw), "devices": devices(cw), "device_presence": presence(pairs)},
      {"detection": "FARM-IP", "kind": "negative", "fires_for": [], "silent_for": [p["person_id"] for p in cw]})

late = [person(f"l{i}", "NY", line1=f"{200 + i} Canal St") for i in range(3)]
pairs = []
for i, p in enumerate(late):
    wk = [d for d in range(21) if d % 7 < 5]
    pairs.append(("d-" + p["person_id"], "64.20.30.41", list(range(14, 22)), wk))      # 9:00-17:00 EST at the space
    pairs.append(("d-" + p["person_id"], "64.20.30.41", [3], [1, 8, 15]))             # stays until 22:00 EST three times
    pairs.append(("d-" + p["person_id"], f"71.1.3.{10 + i}", [4, 5, 6, 7], range(21)))  # sleeps at home
write("FARM-IP/negative_coworking_late_evenings", {"people": (P, late), "devices": devices(late), "device_presence": presence(pairs)},
      {"detection": "FARM-IP", "kind": "negative", "fires_for": [], "silent_for": [p["person_id"] for p in late]})

apt = [person(f"n{i}", "WA") for i in range(3)]
for i, p in enumerate(apt):
    p["address_line1"] = f"400 Pine Avenue Unit {101 + i}"
write("FARM-IP/negative_apartment_building_nat", {
    "people": (P, apt), "devices": devices(apt),
    "device_presence": presence([("d-" + p["person_id"], "73.50.60.70", ALL_HOURS, range(14)) for p in apt])},
    {"detection": "FARM-IP", "kind": "negative", "fires_for": [], "silent_for": [p["person_id"] for p in apt]})

trip = [person("t1", "TX"), person("t2", "WA"), person("t3", "OH")]
write("FARM-IP/negative_conference_hotel", {
    "people": (P, trip), "devices": devices(trip),
    "device_presence": presence([("d-" + p["person_id"], "98.100.1.1", ALL_HOURS, range(3, 7)) for p in trip])},
    {"detection": "FARM-IP", "kind": "negative", "fires_for": [], "silent_for": ["t1", "t2", "t3"]})

corp = [person("k1", "TX"), person("k2", "WA"), person("k3", "FL")]
write("FARM-IP/negative_corporate_egress", {
    "people": (P, corp), "devices": devices(corp),
    "device_presence": presence([("d-" + p["person_id"], "66.10.20.30", ALL_HOURS, range(10)) for p in corp])},
    {"detection": "FARM-IP", "kind": "negative", "fires_for": [], "silent_for": ["k1", "k2", "k3"]},
    {"corporate_egress.txt": "# our ZTNA exits\n66.10.20.0/24\n"})

# ---------------- NET-ANON ----------------
def signins(rows):
    return (["time", "account", "src_ip", "outcome"], rows)

def sign(acct, ip, n, start=0):
    return [{"time": ts(T0 + timedelta(hours=start + 5 * i)), "account": acct, "src_ip": ip, "outcome": "success"} for i in range(n)]

na = [person("v1", "TX"), person("v2", "WA"), person("v3", "OH")]
write("NET-ANON/positive_vpn_and_dprk", {
    "people": (P, na),
    "signins": signins(sign("v1@corp.example", "2.26.157.5", 10) + sign("v1@corp.example", "73.1.1.1", 2)
                       + sign("v2@corp.example", "175.45.176.10", 1) + sign("v2@corp.example", "73.2.2.2", 30)
                       + sign("v3@corp.example", "73.3.3.3", 20))},
    {"detection": "NET-ANON", "kind": "positive", "fires_for": ["v1", "v2"], "silent_for": ["v3"]})

write("NET-ANON/negative_occasional_consumer_vpn", {
    "people": (P, [person("u1", "TX")]),
    "signins": signins(sign("u1@corp.example", "2.26.157.5", 1) + sign("u1@corp.example", "73.4.4.4", 25))},
    {"detection": "NET-ANON", "kind": "negative", "fires_for": [], "silent_for": ["u1"]})

many = [person(f"z{i:02d}", ["TX", "WA", "FL", "OH", "CO", "NY"][i % 6]) for i in range(30)]
rows = []
for p in many:
    rows += sign(p["person_id"] + "@corp.example", "1.92.0.10", 10)  # a hosting range used as company ZTNA
write("NET-ANON/negative_company_ztna_in_cloud", {"people": (P, many), "signins": signins(rows)},
      {"detection": "NET-ANON", "kind": "negative", "fires_for": [], "silent_for": [p["person_id"] for p in many]})

# A residential address the company's threat-intel list names (known_bad.txt in a case folder is
# read as a [[lists.ip_tags]] list with tag known_bad); the same address unlisted stays silent.
write("NET-ANON/positive_known_bad_list", {
    "people": (P, [person("k1", "TX"), person("k2", "WA")]),
    "signins": signins(sign("k1@corp.example", "73.50.60.70", 6) + sign("k1@corp.example", "73.5.5.5", 6)
                       + sign("k2@corp.example", "73.50.60.71", 6) + sign("k2@corp.example", "73.6.6.6", 6))},
    {"detection": "NET-ANON", "kind": "positive", "fires_for": ["k1"], "silent_for": ["k2"], "min_lr": {"k1": 10}},
    {"known_bad.txt": "# example threat-intel list\n73.50.60.70\n"})

# ---------------- RMM-SOFTWARE ----------------
rm = [person("r1", "TX"), person("r2", "WA"), person("r3", "OH")]
rm_dev = devices(rm)
for d in rm_dev[1]:
    d["delivered_at"] = "2026-02-25T18:00:00Z"  # a week before the tools appear
rm_dev = (rm_dev[0] + ["delivered_at"], rm_dev[1])
write("RMM-SOFTWARE/positive_anydesk_and_crd", {
    "people": (P, rm), "devices": rm_dev,
    "processes": (["time", "device_id", "name", "path", "event"], [
        {"time": ts(T0), "device_id": "d-r1", "name": "AnyDesk.exe", "path": "C:\\Program Files (x86)\\AnyDesk\\AnyDesk.exe", "event": "running"},
        {"time": ts(T0), "device_id": "d-r2", "name": "remoting_host.exe", "path": "C:\\Program Files (x86)\\Google\\Chrome Remote Desktop\\CurrentVersion\\remoting_host.exe", "event": "running"},
        {"time": ts(T0), "device_id": "d-r3", "name": "chrome.exe", "path": "C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe", "event": "running"},
    ]),
    "software": (["device_id", "name", "publisher", "first_seen"], [
        {"device_id": "d-r2", "name": "RustDesk", "publisher": "Purslane Ltd", "first_seen": ts(T0)},
        {"device_id": "d-r3", "name": "Microsoft Teams", "publisher": "Microsoft", "first_seen": ts(T0)},
    ])},
    {"detection": "RMM-SOFTWARE", "kind": "positive", "fires_for": ["r1", "r2"], "silent_for": ["r3"],
     "min_lr": {"r1": 25, "r2": 60}})

it = [person("i1", "TX"), person("i2", "WA")]
write("RMM-SOFTWARE/negative_approved_tool_and_ordinary_apps", {
    "people": (P, it), "devices": devices(it),
    "processes": (["time", "device_id", "name", "path", "event"], [
        {"time": ts(T0), "device_id": "d-i1", "name": "TeamViewer.exe", "path": "C:\\Program Files\\TeamViewer\\TeamViewer.exe", "event": "running"},
        {"time": ts(T0), "device_id": "d-i2", "name": "Teams.exe", "path": "", "event": "running"},
        {"time": ts(T0), "device_id": "d-i2", "name": "setup.exe", "path": "C:\\Temp\\setup.exe", "event": "start"},
        {"time": ts(T0), "device_id": "d-i2", "name": "Code.exe", "path": "", "event": "running"},
        {"time": ts(T0), "device_id": "d-i2", "name": "zoom.exe", "path": "", "event": "running"},
    ])},
    {"detection": "RMM-SOFTWARE", "kind": "negative", "fires_for": [], "silent_for": ["i1", "i2"]},
    {"approved_rmm.txt": "# company standard\nTeamViewer\n"})

sc = [person("j1", "TX"), person("j2", "WA")]
write("RMM-SOFTWARE/negative_approved_by_product_alias", {
    "people": (P, sc), "devices": devices(sc),
    "processes": (["time", "device_id", "name", "path", "event"], [
        {"time": ts(T0), "device_id": "d-j1", "name": "ScreenConnect.ClientService.exe", "path": "C:\\Program Files (x86)\\ScreenConnect Client (1a2b3c4d5e6f)\\ScreenConnect.ClientService.exe", "event": "running"},
    ]),
    "software": (["device_id", "name", "publisher", "first_seen"], [
        {"device_id": "d-j2", "name": "ScreenConnect Client (1a2b3c4d5e6f)", "publisher": "ConnectWise, LLC.", "first_seen": ts(T0)},
    ]),
    "network": (["time", "device_id", "dst_port", "domain"], [
        {"time": ts(T0), "device_id": "d-j2", "dst_port": "443", "domain": "control.connectwise.com"},
    ])},
    {"detection": "RMM-SOFTWARE", "kind": "negative", "fires_for": [], "silent_for": ["j1", "j2"]},
    {"approved_rmm.txt": "ScreenConnect\n"})

RPROC = ["time", "device_id", "name", "path", "cmdline", "event"]
RSIGN = ["time", "account", "src_ip", "outcome", "device_id"]
HIRE = datetime(2026, 1, 5, 15, tzinfo=timezone.utc)
CRD_PIN = ('powershell.exe -NoProfile -Command "& \'C:\\Program Files (x86)\\Google\\Chrome Remote Desktop\\'
           'CurrentVersion\\remoting_start_host.exe\' --code=\'4/0AbCdEf\' '
           '--redirect-url=\'https://remotedesktop.google.com/_/oauthredirect\' --name=$Env:COMPUTERNAME --pin=482913"')


def first_signin(pid, when):
    return {"time": ts(when), "account": f"{pid}@corp.example", "src_ip": "73.4.5.6", "outcome": "success",
            "device_id": "d-" + pid}


def anydesk(dev, when):
    return {"time": ts(when), "device_id": dev, "name": "AnyDesk.exe",
            "path": "C:\\Program Files (x86)\\AnyDesk\\AnyDesk.exe", "cmdline": "", "event": "start"}


st = [person(p, s) for p, s in (("x1", "TX"), ("x2", "WA"), ("x3", "OH"), ("x4", "FL"))]
write("RMM-SOFTWARE/positive_stronger_two_tools_early_install_scripted_crd", {
    "people": (P, st), "devices": devices(st),
    "processes": (RPROC, [
        # x1: two different tools, months into the job
        anydesk("d-x1", T0 + timedelta(days=40)),
        {"time": ts(T0 + timedelta(days=41)), "device_id": "d-x1", "name": "TeamViewer.exe",
         "path": "C:\\Program Files\\TeamViewer\\TeamViewer.exe", "cmdline": "", "event": "start"},
        # x2: one tool, two days after the first sign-in
        anydesk("d-x2", HIRE + timedelta(days=3)),
        # x3: Chrome Remote Desktop set up by script with a fixed PIN, months into the job
        {"time": ts(T0 + timedelta(days=40)), "device_id": "d-x3", "name": "powershell.exe", "path": "",
         "cmdline": CRD_PIN, "event": "start"},
        # x4: one tool, months after the first sign-in (base ratio only)
        anydesk("d-x4", T0 + timedelta(days=40)),
    ]),
    "signins": (RSIGN, [first_signin(p, HIRE + timedelta(days=1)) for p in ("x1", "x2", "x3", "x4")])},
    {"detection": "RMM-SOFTWARE", "kind": "positive", "fires_for": ["x1", "x2", "x3", "x4"], "silent_for": [],
     "min_lr": {"x1": 25, "x2": 25, "x3": 25}, "max_lr": {"x4": 10}})

lt = [person("y1", "TX")]
write("RMM-SOFTWARE/negative_installed_months_after_first_login_base_ratio", {
    "people": (P, lt), "devices": devices(lt),
    "processes": (RPROC, [anydesk("d-y1", HIRE + timedelta(days=120))]),
    "signins": (RSIGN, [first_signin("y1", HIRE + timedelta(days=1)),
                        first_signin("y1", HIRE + timedelta(days=119))])},
    {"detection": "RMM-SOFTWARE", "kind": "negative", "fires_for": ["y1"], "silent_for": [],
     "max_lr": {"y1": 10}})

ap = [person("z1", "TX"), person("z2", "WA")]
write("RMM-SOFTWARE/negative_two_approved_tools_and_crd_scripted_by_it", {
    "people": (P, ap), "devices": devices(ap),
    "processes": (RPROC, [
        # z1: two approved tools, the day after the first sign-in
        anydesk("d-z1", HIRE + timedelta(days=2)),
        {"time": ts(HIRE + timedelta(days=2)), "device_id": "d-z1", "name": "TeamViewer.exe",
         "path": "C:\\Program Files\\TeamViewer\\TeamViewer.exe", "cmdline": "", "event": "start"},
        # z2: IT's own headless Chrome Remote Desktop deployment (approved)
        {"time": ts(HIRE + timedelta(days=2)), "device_id": "d-z2", "name": "powershell.exe", "path": "",
         "cmdline": CRD_PIN, "event": "start"},
        {"time": ts(HIRE + timedelta(days=2)), "device_id": "d-z2", "name": "remoting_host.exe",
         "path": "C:\\Program Files (x86)\\Google\\Chrome Remote Desktop\\CurrentVersion\\remoting_host.exe",
         "cmdline": "", "event": "start"},
    ]),
    "signins": (RSIGN, [first_signin(p, HIRE + timedelta(days=1)) for p in ("z1", "z2")])},
    {"detection": "RMM-SOFTWARE", "kind": "negative", "fires_for": [], "silent_for": ["z1", "z2"]},
    {"approved_rmm.txt": "# company standard tools\nTeamViewer\nAnyDesk\nChrome Remote Desktop\n"})

# ---------------- KVM-HARDWARE ----------------
kv = [person("h1", "TX"), person("h2", "WA"), person("h3", "OH")]
PER = ["time", "device_id", "vendor_id", "product_id", "vendor_name", "product_name", "serial", "interfaces", "event"]
write("KVM-HARDWARE/positive_pikvm_default_ids", {
    "people": (P, kv), "devices": devices(kv),
    "peripherals": (PER, [
        {"time": ts(T0), "device_id": "d-h1", "vendor_id": "0x1D6B", "product_id": "0104", "vendor_name": "PiKVM", "product_name": "PiKVM Composite Device", "serial": "CAFEBABE", "interfaces": "03:01:01;03:00:02;08:06:50", "event": "connected"},
        {"time": ts(T0), "device_id": "d-h3", "vendor_id": "046d", "product_id": "c52b", "vendor_name": "Logitech", "product_name": "USB Receiver", "serial": "", "interfaces": "03:01:01;03:01:02", "event": "connected"},
        {"time": ts(T0), "device_id": "spare-laptop-7", "vendor_id": "1d6b", "product_id": "0104", "vendor_name": "PiKVM", "product_name": "PiKVM Composite Device", "serial": "CAFEBABE", "interfaces": "", "event": "present"},
    ]),
    "displays": (["time", "device_id", "edid_manufacturer", "edid_product_code", "monitor_name", "serial"], [
        {"time": ts(T0), "device_id": "d-h2", "edid_manufacturer": "LNX", "edid_product_code": "", "monitor_name": "PiKVM", "serial": ""},
        {"time": ts(T0), "device_id": "d-h3", "edid_manufacturer": "DEL", "edid_product_code": "a0e1", "monitor_name": "DELL U2720Q", "serial": "X1"},
    ])},
    {"detection": "KVM-HARDWARE", "kind": "positive", "fires_for": ["h1", "h2"], "silent_for": ["h3"],
     "fires_for_devices": ["spare-laptop-7"]})

dv = [person("g1", "TX")]
write("KVM-HARDWARE/negative_developer_usb_gadget", {
    "people": (P, dv), "devices": devices(dv),
    "peripherals": (PER, [
        {"time": ts(T0), "device_id": "d-g1", "vendor_id": "1d6b", "product_id": "0104", "vendor_name": "Linux Foundation", "product_name": "Multifunction Composite Gadget", "serial": "0123456789", "interfaces": "02:02:ff;0a:00:00", "event": "connected"},
    ])},
    {"detection": "KVM-HARDWARE", "kind": "negative", "fires_for": [], "silent_for": ["g1"]})

# ---------------- ID-REUSE ----------------
ir = [person("a1", "TX", phone="(512) 555-0101", email="jo.smith+jobs@gmail.com"),
      person("a2", "WA", phone="+1 512 555 0101", email="josmith@gmail.com", name="Alex Green"),
      person("a3", "FL", phone="512.555.0101", name="Sam Brown"),
      person("a4", "OH", phone="614-555-0199")]
write("ID-REUSE/positive_phone_and_email_across_states", {"people": (P, ir)},
      {"detection": "ID-REUSE", "kind": "positive", "fires_for": ["a1", "a2", "a3"], "silent_for": ["a4"]})

# A shared pay account is PAY-SHARED's fact (make_pay.py); ID-REUSE no longer counts it, so one
# account is not counted twice.
pay = [person("b1", "TX"), person("b2", "WA")]
PAY = ["time", "person_id", "event", "method", "bank_routing", "bank_account", "account_holder_name"]
write("ID-REUSE/negative_shared_bank_is_pay_shared", {
    "people": (P, pay),
    "payroll": (PAY, [
        {"time": ts(T0), "person_id": p["person_id"], "event": "account_change", "method": "ach", "bank_routing": "021000021", "bank_account": "000123456789", "account_holder_name": "Q Facilitator"}
        for p in pay])},
    {"detection": "ID-REUSE", "kind": "negative", "fires_for": [], "silent_for": ["b1", "b2"]})

fam = [person("f1", "CO", phone="303-555-0142", name="Jordan Lee"), person("f2", "CO", phone="(303) 555-0142", name="Casey Lee")]
ag = [person("s1", "TX", phone="800-555-0100", email="talent@agency.example", agency="Acme Staffing", name="Ana Diaz"),
      person("s2", "WA", phone="800-555-0100", email="talent@agency.example", agency="ACME Staffing ", name="Bo Chen")]
same = [person("m1", "NY", phone="212-555-0177", name="Dana Whitfield", dob="1988-04-12"),
        person("m2", "NY", phone="212-555-0177", name="WHITFIELD, Dana", dob="1988-04-12", line1="21 Hudson Street Apt 4")]
same[0]["record_type"] = "applicant"
write("ID-REUSE/negative_household_agency_and_same_person", {"people": (P, fam + ag + same)},
      {"detection": "ID-REUSE", "kind": "negative", "fires_for": [], "silent_for": ["f1", "f2", "s1", "s2", "m1", "m2"]})
print("fixtures written")
