#!/usr/bin/env python3
"""Writes the money-family fixtures (PAY-SHARED, PAY-CHURN, PAY-PROVIDER): contract tables as CSV
plus expect.json. Synthetic people only. Run from this folder: python3 make_pay.py
Addresses: 73.x residential, 2.26.157.5 a commercial VPN exit, 1.92.0.10 a hosting range,
175.45.176.10 DPRK space (the same as the NET-ANON fixtures)."""
import os, sys
from datetime import datetime, timedelta, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from fixture_io import ts, write_case  # noqa: E402

PEOPLE_COLS = ["person_id", "record_type", "full_name", "date_of_birth", "email", "work_email",
               "address_line1", "address_line2", "city", "region", "postal_code", "country",
               "hired_at", "staffing_agency"]
PAY_COLS = ["time", "person_id", "event", "method", "bank_routing", "bank_account",
            "account_holder_name", "provider", "crypto_address", "amount", "currency", "change_ip"]
HOMES = {
    "TX": ("12 Oak St", "Austin", "TX", "78701", "US"),
    "WA": ("400 Pine Ave", "Seattle", "WA", "98101", "US"),
    "FL": ("9 Palm Rd", "Miami", "FL", "33101", "US"),
    "OH": ("77 Elm Dr", "Columbus", "OH", "43004", "US"),
    "CO": ("5 Aspen Ln", "Denver", "CO", "80202", "US"),
    "NY": ("21 Hudson St", "New York", "NY", "10013", "US"),
    "PL": ("ul. Mokotowska 12", "Warszawa", "", "00-640", "PL"),
    "IN": ("14 MG Road", "Bengaluru", "KA", "560001", "IN"),
}
STATES = ["TX", "WA", "FL", "OH", "CO", "NY"]
HIRED = datetime(2026, 1, 5, 15, tzinfo=timezone.utc)


def person(pid, home, name=None, rtype="employee", agency="", line1=None, dob="1990-01-01", hired=HIRED):
    l1, city, region, zipc, country = HOMES[home]
    return {"person_id": pid, "record_type": rtype, "full_name": name or f"Person {pid.upper()}",
            "date_of_birth": dob, "email": f"{pid}@mail.example", "work_email": f"{pid}@corp.example",
            "address_line1": line1 or l1, "address_line2": "", "city": city, "region": region,
            "postal_code": zipc, "country": country, "hired_at": ts(hired), "staffing_agency": agency}


def pay(pid, when, event="account_change", method="ach", routing="", account="", holder="", provider="",
        crypto="", ip=""):
    return {"time": ts(when), "person_id": pid, "event": event, "method": method, "bank_routing": routing,
            "bank_account": account, "account_holder_name": holder, "provider": provider,
            "crypto_address": crypto, "amount": "2500.00" if event == "payment" else "",
            "currency": "USD" if event == "payment" else "", "change_ip": ip}


def salary(pid, n=4, **kw):
    """n biweekly payments from 2026-01-16 to the same destination."""
    return [pay(pid, datetime(2026, 1, 16, 14, tzinfo=timezone.utc) + timedelta(days=14 * i), event="payment", **kw)
            for i in range(n)]


def write(case, people, rows, expect, extra=None):
    write_case(HERE, case, {"people": (PEOPLE_COLS, people), "payroll": (PAY_COLS, rows)}, expect, extra)


D = lambda y, m, d, h=15: datetime(y, m, d, h, tzinfo=timezone.utc)  # noqa: E731

# ---------------- PAY-SHARED ----------------
# (moved from ID-REUSE, which no longer counts bank accounts: one fact, one detection)
ppl = [person("b1", "TX"), person("b2", "WA"), person("b3", "OH")]
rows = []
for p in ("b1", "b2"):
    rows += [pay(p, D(2026, 1, 7), routing="021000021", account="000123456789", holder="Q Facilitator")]
    rows += salary(p, routing="021000021", account="000123456789", holder="Q Facilitator")
rows += [pay("b3", D(2026, 1, 7), routing="021000021", account="000999888777", holder="Person B3")]
write("PAY-SHARED/positive_one_bank_account_two_salaries", ppl, rows,
      {"detection": "PAY-SHARED", "kind": "positive", "fires_for": ["b1", "b2"], "silent_for": ["b3"],
       "min_lr": {"b1": 50}})

big = [person(f"q{i:02d}", STATES[i % 6], line1=f"{10 + i} Main St") for i in range(26)]
write("PAY-SHARED/positive_one_account_paying_26_people", big,
      [pay(p["person_id"], D(2026, 1, 7), routing="021000021", account="5550001111", holder="Q Facilitator")
       for p in big],
      {"detection": "PAY-SHARED", "kind": "positive", "fires_for": [p["person_id"] for p in big],
       "silent_for": [], "min_lr": {"q00": 150}})

# Three identities at three homes paid to one TRON address; a fourth to its own address.
cr = [person("c1", "TX"), person("c2", "FL"), person("c3", "NY"), person("c4", "CO")]
addr = "TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE"
rows = []
for p in ("c1", "c2", "c3"):
    rows += salary(p, method="crypto", crypto=addr, holder="Person " + p.upper())
rows += salary("c4", method="crypto", crypto="TLa2f6VPqDgRE67v1736s7bJ8Ray5wYjU7", holder="Person C4")
write("PAY-SHARED/positive_crypto_address_three_people", cr, rows,
      {"detection": "PAY-SHARED", "kind": "positive", "fires_for": ["c1", "c2", "c3"], "silent_for": ["c4"],
       "min_lr": {"c1": 150}})

# Traps: spouses at one home on a joint account; a joint account naming both holders at two
# homes; payroll placeholders; contractors paid through their staffing agency's account; paper
# checks carrying the company's own account; one person with an applicant and an employee record.
neg = [person("h1", "CO", name="Jordan Lee"), person("h2", "CO", name="Casey Lee"),
       person("j1", "TX", name="Riley Park"), person("j2", "WA", name="Morgan Park"),
       person("p1", "TX"), person("p2", "WA"), person("p3", "FL"), person("p4", "OH"), person("p5", "NY"),
       person("g1", "TX", rtype="contractor", agency="Acme Staffing"),
       person("g2", "FL", rtype="contractor", agency="Acme Staffing"),
       person("g3", "NY", rtype="contractor", agency="ACME STAFFING "),
       person("k1", "TX"), person("k2", "OH"),
       person("m1", "NY", name="Dana Whitfield", dob="1988-04-12", rtype="applicant"),
       person("m2", "NY", name="WHITFIELD, Dana", dob="1988-04-12", line1="21 Hudson Street Apt 4")]
rows = []
for p in ("h1", "h2"):
    rows += salary(p, routing="102000021", account="44556677", holder="Jordan & Casey Lee")
for p in ("j1", "j2"):
    rows += salary(p, routing="122000661", account="88776655", holder="Riley Park and Morgan Park")
for p, acct in (("p1", "000000000"), ("p2", "000000000"), ("p3", "PENDING"), ("p4", "PENDING"),
                ("p5", "123456789")):
    rows += [pay(p, D(2026, 1, 6), routing="000000000", account=acct, holder="")]
for p in ("g1", "g2", "g3"):
    rows += salary(p, routing="026009593", account="7001002003", holder="Acme Staffing LLC")
for p in ("k1", "k2"):
    rows += salary(p, method="check", routing="021000021", account="99887766", holder="")
for p in ("m1", "m2"):
    rows += [pay(p, D(2026, 1, 6), routing="021000021", account="31415926", holder="Dana Whitfield")]
# 26 new hires parked on the company's default clearing account before they give their own:
# set up, never paid, while the table records payments to others.
parked = [person(f"n{i:02d}", STATES[i % 6], line1=f"{50 + i} Birch St") for i in range(26)]
neg += parked
for p in parked:
    rows += [pay(p["person_id"], D(2026, 2, 2), routing="021000021", account="7777000011",
                 holder="Example Corp Payroll Clearing")]
write("PAY-SHARED/negative_household_agency_placeholders_checks", neg, rows,
      {"detection": "PAY-SHARED", "kind": "negative", "fires_for": [],
       "silent_for": [p["person_id"] for p in neg]})

# ---------------- PAY-CHURN ----------------
ch = [person("n1", "TX"), person("n2", "WA"), person("n3", "FL"), person("n4", "OH"), person("n5", "NY")]
rows = [
    # n1: set-up, then three changes to new banks in the first seven weeks
    pay("n1", D(2026, 1, 7), routing="021000021", account="11112222", holder="Person N1", ip="73.10.0.1"),
    pay("n1", D(2026, 1, 20), routing="026009593", account="22223333", holder="Person N1", ip="73.10.0.1"),
    pay("n1", D(2026, 2, 3), routing="122000661", account="33334444", holder="Person N1", ip="73.10.0.1"),
    pay("n1", D(2026, 2, 20), routing="111000025", account="44445555", holder="Person N1", ip="73.10.0.1"),
    # n2: one change, made from a commercial VPN exit
    pay("n2", D(2026, 1, 7), routing="021000021", account="55556666", holder="Person N2", ip="73.10.0.2"),
    pay("n2", D(2026, 4, 1), routing="026009593", account="66667777", holder="Person N2", ip="2.26.157.5"),
    # n3: one change from DPRK address space
    pay("n3", D(2026, 1, 7), routing="021000021", account="77778888", holder="Person N3", ip="73.10.0.3"),
    pay("n3", D(2026, 2, 7), routing="026009593", account="88889999", holder="Person N3", ip="175.45.176.10"),
    # n4: two changes within six months, late in tenure, from home
    pay("n4", D(2025, 3, 1), routing="021000021", account="12121212", holder="Person N4", ip="73.10.0.4"),
    pay("n4", D(2026, 2, 1), routing="026009593", account="23232323", holder="Person N4", ip="73.10.0.4"),
    pay("n4", D(2026, 4, 15), routing="122000661", account="34343434", holder="Person N4", ip="73.10.0.4"),
    # n5: set-up and a single change months later, from home: an ordinary life event
    pay("n5", D(2026, 1, 7), routing="021000021", account="45454545", holder="Person N5", ip="73.10.0.5"),
    pay("n5", D(2026, 6, 1), routing="026009593", account="56565656", holder="Person N5", ip="73.10.0.5"),
]
ch[3]["hired_at"] = ts(datetime(2025, 2, 24, 15, tzinfo=timezone.utc))
# n6: payment rows only (as from NACHA files): pay lands in a new account three times in two months
ch.append(person("n6", "CO"))
for k, acct in enumerate(["61616161", "61616161", "62626262", "63636363", "64646464"]):
    rows.append(pay("n6", D(2026, 1, 16) + timedelta(days=14 * k), event="payment", routing="021000021",
                    account=acct, holder="Person N6"))
write("PAY-CHURN/positive_frequent_vpn_and_dprk_changes", ch, rows,
      {"detection": "PAY-CHURN", "kind": "positive", "fires_for": ["n1", "n2", "n3", "n4", "n6"],
       "silent_for": ["n5"], "min_lr": {"n1": 30, "n3": 1000, "n4": 8, "n6": 30}})

# Traps: set-up plus one correction at onboarding; a split deposit set up on one day; re-saving
# the same account; a payday that still pays the old account after a change; a bank merger moving seven people from one routing number to another in one
# week (m1 had also changed banks in January: without the merger rule that is two changes); a
# change made through the company's ZTNA exit in a hosting range (corporate_egress.txt).
tr = [person("o1", "TX"), person("o2", "WA"), person("o3", "FL"), person("o4", "NY"), person("e1", "OH")]
tr += [person(f"m{i}", STATES[i % 6], line1=f"{30 + i} Bank St") for i in range(1, 8)]
rows = [
    pay("o1", D(2026, 1, 7), routing="021000021", account="10101010", holder="Person O1", ip="73.20.0.1"),
    pay("o1", D(2026, 1, 16), routing="026009593", account="20202020", holder="Person O1", ip="73.20.0.1"),
    pay("o2", D(2026, 1, 7, 15), routing="021000021", account="30303030", holder="Person O2", ip="73.20.0.2"),
    pay("o2", D(2026, 1, 7, 16), routing="021000021", account="40404040", holder="Person O2", ip="73.20.0.2"),
    pay("o3", D(2026, 1, 7), routing="021000021", account="50505050", holder="Person O3", ip="73.20.0.3"),
    pay("o3", D(2026, 3, 7), routing="021000021", account="50-50-50-50", holder="Person O3", ip="73.20.0.3"),
    pay("o3", D(2026, 4, 7), routing="021000021", account="5050 5050", holder="Person O3", ip="73.20.0.3"),
    # o4: one change; the next payday still pays the old account (payroll cut-off), then the new one
    pay("o4", D(2026, 1, 7), routing="021000021", account="80808080", holder="Person O4", ip="73.20.0.5"),
    pay("o4", D(2026, 1, 16), event="payment", routing="021000021", account="80808080", holder="Person O4"),
    pay("o4", D(2026, 1, 26), routing="026009593", account="90909090", holder="Person O4", ip="73.20.0.5"),
    pay("o4", D(2026, 1, 30), event="payment", routing="021000021", account="80808080", holder="Person O4"),
    pay("o4", D(2026, 2, 13), event="payment", routing="026009593", account="90909090", holder="Person O4"),
    pay("o4", D(2026, 2, 27), event="payment", routing="026009593", account="90909090", holder="Person O4"),
    pay("e1", D(2026, 1, 7), routing="021000021", account="60606060", holder="Person E1", ip="73.20.0.4"),
    pay("e1", D(2026, 5, 7), routing="026009593", account="70707070", holder="Person E1", ip="1.92.0.10"),
]
for i in range(1, 8):
    pid = f"m{i}"
    rows.append(pay(pid, D(2025, 6, 2), routing="053000196", account=f"9{i}000001", holder=f"Person M{i}",
                    ip=f"73.30.0.{i}"))
    if i == 1:
        rows.append(pay(pid, D(2026, 1, 12), routing="053000196", account="91000002", holder="Person M1",
                        ip="73.30.0.1"))
    rows.append(pay(pid, D(2026, 3, 2 + i % 4, 9), routing="121000248", account=f"8{i}000003",
                    holder=f"Person M{i}", ip=f"73.30.0.{i}"))
write("PAY-CHURN/negative_onboarding_split_merger_corporate", tr, rows,
      {"detection": "PAY-CHURN", "kind": "negative", "fires_for": [],
       "silent_for": [p["person_id"] for p in tr]},
      {"corporate_egress.txt": "# our ZTNA exit (a cloud range)\n1.92.0.0/24\n"})

# ---------------- PAY-PROVIDER ----------------
pv = [person("w1", "TX", name="Alex Morgan"), person("w2", "WA", name="Sam Rivera"),
      person("w3", "FL", name="Jamie Chen"), person("w4", "OH", name="Taylor Brooks"),
      person("w5", "NY", name="Robin Ellis"), person("w6", "CO", name="Drew Carter"),
      person("y1", "TX", name="Kim Novak", rtype="contractor")]
rows = []
rows += salary("w1", method="payout_provider", provider="Payoneer", routing="", account="4100223344",
               holder="Alex Morgan")
rows += salary("w2", method="crypto", crypto="0x52908400098527886E0F7030069857D2E4169EE7", holder="Sam Rivera")
rows += salary("w3", routing="021000021", account="66001122", holder="Quinn Facilitator")
rows += salary("w4", method="payout_provider", provider="TransferWise", account="8800112233",
               holder="Harbor Lane Holdings LLC")
rows += salary("w5", method="payout_provider", provider="LianLian Pay", account="5511223344", holder="Robin Ellis")
rows += salary("w6", routing="021000021", account="77001122", holder="Drew Carter")
rows += salary("y1", method="crypto", crypto="bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", holder="Kim Novak")
write("PAY-PROVIDER/positive_w2_payout_crypto_and_other_holder", pv, rows,
      {"detection": "PAY-PROVIDER", "kind": "positive", "fires_for": ["w1", "w2", "w3", "w4", "w5", "y1"],
       "silent_for": ["w6"], "min_lr": {"w1": 8, "w2": 20, "w3": 10, "w4": 40, "w5": 20}})

# Traps: contractors abroad paid through Wise / Payoneer (also to their own company); a married
# name change; holder names with diacritics, middle initials, another order, initials; a joint
# account naming the worker; agency contractors paid to the agency; paper checks.
nv = [person("x1", "PL", name="Anna Kowalska", rtype="contractor"),
      person("x2", "IN", name="Ravi Kumar", rtype="contractor"),
      person("x3", "TX", name="Dana Whitfield"),
      person("x4", "WA", name="José García López"),
      person("x5", "CO", name="Casey Lee"),
      person("x6", "NY", name="Kenji Nakamura"),
      person("x7", "FL", name="Lee Adams", rtype="contractor", agency="Acme Staffing"),
      person("x8", "OH", name="Pat Quinn"),
      person("x9", "TX", name="Morgan Hale")]
rows = []
rows += salary("x1", method="payout_provider", provider="Wise", account="1200334455", holder="Anna Kowalska")
rows += salary("x2", method="payout_provider", provider="Payoneer", account="1300445566",
               holder="Kumar Software Consulting Pvt Ltd")
rows += salary("x3", routing="021000021", account="14005566", holder="Dana Brooks")
rows += salary("x4", routing="122000661", account="15006677", holder="GARCIA LOPEZ, Jose M.")
rows += salary("x5", routing="102000021", account="16007788", holder="Jordan & Casey Lee")
rows += salary("x6", routing="021000021", account="17008899", holder="K. Nakamura")
rows += salary("x7", routing="026009593", account="7001002003", holder="Acme Staffing LLC")
rows += salary("x8", method="check", holder="")
rows += salary("x9", routing="021000021", account="18009900", holder="Morgan J Hale")
write("PAY-PROVIDER/negative_contractors_abroad_and_name_variants", nv, rows,
      {"detection": "PAY-PROVIDER", "kind": "negative", "fires_for": [],
       "silent_for": [p["person_id"] for p in nv]})
print("pay fixtures written")
