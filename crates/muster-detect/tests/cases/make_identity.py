#!/usr/bin/env python3
"""Writes the identity-family fixtures (ID-STOLEN, SANCTIONS, ID-RESUME, ID-CONTACT): contract
tables as CSV plus expect.json. Synthetic people only; national ids are made up (the sanctions
cases use names, emails and addresses published on the OFAC SDN list, which muster embeds).
Run from this folder: python3 make_identity.py"""
import os, sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from fixture_io import write_case  # noqa: E402

COLS = ["person_id", "record_type", "full_name", "date_of_birth", "national_id", "email", "phone",
        "address_line1", "city", "region", "postal_code", "country", "applied_at", "hired_at",
        "terminated_at", "staffing_agency", "resume_text", "photo_hash", "portfolio_url"]
HOMES = {
    "TX": ("12 Oak St", "Austin", "TX", "78701"),
    "WA": ("400 Pine Ave", "Seattle", "WA", "98101"),
    "FL": ("9 Palm Rd", "Miami", "FL", "33101"),
    "OH": ("77 Elm Dr", "Columbus", "OH", "43004"),
    "CO": ("5 Aspen Ln", "Denver", "CO", "80202"),
    "NY": ("21 Hudson St", "New York", "NY", "10013"),
}


def p(pid, name, state="TX", **kw):
    line1, city, region, zipc = HOMES[state]
    row = {"person_id": pid, "record_type": kw.pop("rt", "employee"), "full_name": name,
           "date_of_birth": kw.pop("dob", "1990-01-01"), "email": f"{pid}@mail.example",
           "phone": "", "address_line1": line1, "city": city, "region": region, "postal_code": zipc,
           "country": "US", "hired_at": "2026-01-05T15:00:00Z"}
    row.update(kw)
    return row


def case(name, people, expect, tables=None):
    t = {"people": (COLS, people)}
    t.update(tables or {})
    det = name.split("/")[0]
    write_case(HERE, name, t, {"detection": det, **expect})


# ---------------- ID-STOLEN ----------------
# One SSN under three different identities in three states.
case("ID-STOLEN/positive_one_ssn_three_identities", [
    p("s1", "Emily Carter", "TX", dob="1991-03-14", national_id="536-22-8726"),
    p("s2", "Marcus Reed", "WA", dob="1987-11-02", national_id="536228726"),
    p("s3", "Tom Hale", "FL", dob="1993-06-30", national_id="536 22 8726"),
    p("s4", "Nora Quinn", "OH", dob="1989-08-19", national_id="412-55-0912"),
], {"kind": "positive", "fires_for": ["s1", "s2", "s3"], "silent_for": ["s4"],
    "min_lr": {"s1": 80.0}})

# One claimed identity (same name, DOB, SSN) used at the same time with different contacts
# (the victim's identity run by two operators), next to the same person re-applying.
case("ID-STOLEN/positive_one_identity_two_operators", [
    p("c1", "Grace Holloway", "TX", dob="1985-05-05", national_id="401-33-2211",
      email="grace.holloway85@gmail.com", phone="512-555-0133", hired_at="2026-01-05T15:00:00Z"),
    p("c2", "Grace Holloway", "WA", dob="1985-05-05", national_id="401-33-2211",
      email="g.holloway.dev@outlook.com", phone="206-555-0177", rt="applicant",
      hired_at="", applied_at="2026-02-10T15:00:00Z"),
], {"kind": "positive", "fires_for": ["c1", "c2"], "silent_for": []})

# Fabricated SSNs: area 666, group 00, a 9xx number that is no ITIN.
case("ID-STOLEN/positive_never_issued_ssns", [
    p("v1", "Owen Brooks", national_id="666-12-3456"),
    p("v2", "Lena Park", national_id="536-00-8726"),
    p("v3", "Ravi Menon", national_id="912-20-1234"),
    p("v4", "Ivy Stone", national_id="912-70-1234"),  # a valid ITIN shape
    p("v5", "Zoe Lam", national_id="536-22-0001"),
], {"kind": "positive", "fires_for": ["v1", "v2", "v3"], "silent_for": ["v4", "v5"]})

# Traps: re-application and rehire of one person; a married name; a DOB typo; a mistyped SSN
# (one digit) that collides with a colleague's; HR placeholders shared by many; a Canadian SIN
# starting with 9; a spreadsheet-dropped leading zero.
people = [
    # r1/r2: re-application, same contacts.
    p("r1", "Dana Whitfield", "NY", dob="1988-04-12", national_id="078-12-0345", rt="applicant",
      email="dana.w@gmail.com", phone="212-555-0177", hired_at="", applied_at="2025-06-01T12:00:00Z"),
    p("r2", "WHITFIELD, Dana", "NY", dob="1988-04-12", national_id="78120345",
      email="dana.w@gmail.com", phone="212-555-0177", hired_at="2025-08-01T12:00:00Z"),
    # h1/h2: rehire after termination, new email and phone (not concurrent).
    p("h1", "Luis Ortega", "CO", dob="1979-02-27", national_id="521-44-7788", phone="303-555-0101",
      email="luis.o@yahoo.com", hired_at="2019-03-01T12:00:00Z", terminated_at="2021-05-01T12:00:00Z"),
    p("h2", "Luis Ortega", "TX", dob="1979-02-27", national_id="521-44-7788", phone="512-555-0199",
      email="lortega@proton.me", hired_at="2025-09-01T12:00:00Z"),
    # m1/m2: married name, same DOB, same phone.
    p("m1", "Anna Fischer", "OH", dob="1992-07-07", national_id="287-65-4321", phone="614-555-0142",
      email="anna.fischer@gmail.com", rt="applicant", hired_at="", applied_at="2025-01-10T12:00:00Z"),
    p("m2", "Anna Koenig", "OH", dob="1992-07-07", national_id="287654321", phone="614-555-0142",
      email="anna.koenig@gmail.com"),
    # t1/t2: DOB typo (day/month swapped), same email.
    p("t1", "Sam Patel", "FL", dob="1990-03-04", national_id="589-10-2020", email="sam.patel@gmail.com",
      rt="applicant", hired_at="", applied_at="2025-11-01T12:00:00Z"),
    p("t2", "Sam Patel", "FL", dob="1990-04-03", national_id="589-10-2020", email="sam.patel@gmail.com"),
    # k1's SSN typed with one wrong digit on k2 equals j1's real SSN; k1 and k2 share an email.
    p("j1", "Priya Nair", "WA", dob="1994-09-09", national_id="455-21-9870", email="priya@nair.example"),
    p("k1", "Ben Ochoa", "TX", dob="1983-12-01", national_id="455-21-9876", email="ben.ochoa@gmail.com",
      rt="applicant", hired_at="", applied_at="2025-10-01T12:00:00Z"),
    p("k2", "Ben Ochoa", "TX", dob="1983-12-01", national_id="455-21-9870", email="ben.ochoa@gmail.com"),
    # k3: an SSN mistyped into area 955 whose real number the same person gave elsewhere.
    p("k3", "Ben Ochoa", "TX", dob="1983-12-01", national_id="955-21-9876", email="ben.ochoa@gmail.com",
      rt="applicant", hired_at="", applied_at="2025-09-01T12:00:00Z"),
    # Placeholders.
    p("x1", "Kim Lee", "TX", national_id="999-99-9999"),
    p("x2", "Jo March", "WA", national_id="999999999"),
    p("x3", "Al Green", "FL", national_id="123-45-6789"),
    p("x4", "Bea Ruiz", "OH", national_id="123456789"),
    p("x5", "Cy Young", "CO", national_id="000-00-0000"),
    p("x6", "Di Ross", "NY", national_id="000000000"),
    # A Canadian SIN starting with 9 (temporary resident), not an SSN.
    p("n1", "Marie Tremblay", "NY", national_id="912 201 234", country="CA"),
]
case("ID-STOLEN/negative_reapply_rehire_typos_placeholders", people,
     {"kind": "negative", "fires_for": [], "silent_for": [r["person_id"] for r in people]})

# ---------------- SANCTIONS ----------------
PAY = ["time", "person_id", "event", "method", "crypto_address", "account_holder_name"]
case("SANCTIONS/positive_listed_email_domain_website_and_wallet", [
    p("e1", "Alex Morgan", email="PKurui9999@gmail.com"),           # listed (Kimsuky), any case
    p("e2", "Chris Young", email="p.kurui9999+jobs@gmail.com"),      # Gmail dots and +tag
    p("e3", "Jamie Fox", email="hr@mofa.lat"),                       # listed website's domain
    p("e4", "Robin Hart"),                                           # paid to a Lazarus wallet
    p("e5", "Casey Diaz", portfolio_url="https://www.cdredos.site/about"),
    p("e6", "Taylor Kim", email="taylor.kim@gmail.com"),
], {"kind": "positive", "fires_for": ["e1", "e2", "e3", "e4", "e5"], "silent_for": ["e6"],
    "min_lr": {"e1": 500.0, "e2": 500.0, "e3": 100.0, "e4": 500.0, "e5": 100.0}},
    {"payroll": (PAY, [
        {"time": "2026-02-01T00:00:00Z", "person_id": "e4", "event": "account_change", "method": "crypto",
         "crypto_address": "0x098B716B8Aaf21512996dC57EB0615e2383E2f96", "account_holder_name": "Robin Hart"},
        {"time": "2026-02-01T00:00:00Z", "person_id": "e6", "event": "account_change", "method": "crypto",
         "crypto_address": "0x1111111111111111111111111111111111111111", "account_holder_name": "Kim Lee"},
    ])})

# A listed individual's name (another spelling and order) with the listed date of birth.
case("SANCTIONS/positive_listed_name_and_birth_date", [
    p("n1", "Yong-Chol KIM", dob="1962-02-18"),
    p("n2", "Jin Hyok Park", dob="1984-08-15"),
], {"kind": "positive", "fires_for": ["n1"], "silent_for": [], "min_lr": {"n1": 200.0}})

# Common names sharing tokens with listed names, a listed name whose date of birth differs from
# every listed one, free-mail and university domains.
people = [
    p("c1", "Kim Yong Chol", dob="1990-05-01"),
    p("c2", "Kim Lee", dob="1990-05-01"),
    p("c3", "Jin Park", dob="1991-02-03"),
    p("c4", "John Smith", dob="1980-01-01"),
    p("c5", "Sam Ortiz", email="sam.ortiz@gmail.com"),
    p("c6", "Ali Rahimi", email="a.rahimi@sharif.edu"),
    p("c7", "Lee Chol", dob="1975-01-01"),
]
case("SANCTIONS/negative_common_names_and_domains", people,
     {"kind": "negative", "fires_for": [], "silent_for": [r["person_id"] for r in people]})
print("identity fixtures written")
