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
    # One operator's phone on two unrelated identities that share an SSN: two identities.
    p("s5", "Walter Brandt", "CO", dob="1975-01-30", national_id="318-42-7765", phone="720-555-0188"),
    p("s6", "Felix Navarro", "NY", dob="1990-06-12", national_id="318427765", phone="(720) 555-0188"),
], {"kind": "positive", "fires_for": ["s1", "s2", "s3", "s5", "s6"], "silent_for": ["s4"],
    "min_lr": {"s1": 80.0}})

# One claimed identity (same name, DOB, SSN) used at the same time with different contacts
# (the victim's identity run by two operators), next to the same person re-applying.
case("ID-STOLEN/positive_one_identity_two_operators_or_later", [
    p("c1", "Grace Holloway", "TX", dob="1985-05-05", national_id="401-33-2211",
      email="grace.holloway85@gmail.com", phone="512-555-0133", hired_at="2026-01-05T15:00:00Z"),
    p("c2", "Grace Holloway", "WA", dob="1985-05-05", national_id="401-33-2211",
      email="g.holloway.dev@outlook.com", phone="206-555-0177", rt="applicant",
      hired_at="", applied_at="2026-02-10T15:00:00Z"),
    # The same identity again, a year after an earlier applicant record, all contacts new.
    p("q1", "Henry Vale", "OH", dob="1979-10-10", national_id="233-41-9087", rt="applicant",
      email="henry.vale@gmail.com", phone="614-555-0190", hired_at="", applied_at="2025-01-15T15:00:00Z"),
    p("q2", "Henry Vale", "FL", dob="1979-10-10", national_id="233-41-9087",
      email="hvale.dev@outlook.com", phone="305-555-0123", hired_at="2026-03-01T15:00:00Z"),
], {"kind": "positive", "fires_for": ["c1", "c2", "q2"], "silent_for": ["q1"],
    "min_lr": {"c2": 15.0, "q2": 4.0}})

# Fabricated SSNs: area 666, group 00, a 9xx number that is no ITIN.
case("ID-STOLEN/positive_never_issued_ssns", [
    p("v1", "Owen Brooks", national_id="666-12-3456"),
    p("v2", "Lena Park", national_id="536-00-8726"),
    p("v3", "Ravi Menon", national_id="912-20-1234"),
    p("v4", "Ivy Stone", national_id="912-70-1234"),  # a valid ITIN shape
    p("v5", "Zoe Lam", national_id="536-22-0001"),
    # Sequential fabricated numbers behind one facilitator phone: not typos of each other.
    p("v6", "Carl Dunn", "WA", dob="1986-02-02", national_id="666-10-0001", phone="360-555-0111"),
    p("v7", "Rita Voss", "FL", dob="1991-09-09", national_id="666-10-0002", phone="(360) 555-0111"),
], {"kind": "positive", "fires_for": ["v1", "v2", "v3", "v6", "v7"], "silent_for": ["v4", "v5"]})

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

# ---------------- ID-RESUME ----------------
import random
rng = random.Random(6)
WORDS = ("designed built shipped migrated led owned scaled reduced improved automated tested "
         "service api platform pipeline dashboard cluster database queue cache frontend backend "
         "latency cost uptime throughput onboarding billing search payments analytics reporting "
         "kafka postgres redis react typescript python golang rust kubernetes terraform aws gcp "
         "team customers partners engineers product security compliance mobile web data").split()


def substance(n):
    return " ".join(rng.choice(WORDS) for _ in range(n)) + "."


BASE = ("Senior software engineer with nine years of experience building distributed payment "
        "systems. At Northwind Labs I designed the settlement service that moved four billion "
        "dollars a year, cut reconciliation time from six hours to twenty minutes, and mentored "
        "five engineers. Before that at Blue Harbor I rebuilt the checkout API in Go, added "
        "idempotency keys and retries, and brought the error rate under one in ten thousand "
        "requests. I led the migration from a monolith to twelve services on Kubernetes with "
        "zero downtime, wrote the runbooks and on-call rotation, and introduced contract tests "
        "between teams. Education: BS in Computer Science. Skills: Go, Rust, PostgreSQL, Kafka, "
        "Terraform, AWS.")


def resume(name, body):
    return f"{name}\n{body}"


copied = [
    p("d1", "Ethan Walker", "TX", dob="1990-02-11", resume_text=resume("Ethan Walker", BASE)),
    p("d2", "Lucas Bennett", "WA", dob="1988-07-23",
      resume_text=resume("Lucas Bennett", BASE.replace("nine years", "eight years").replace("five engineers", "six engineers"))),
    p("d3", "Noah Price", "FL", dob="1992-12-05",
      resume_text=resume("Noah Price", BASE.replace("Blue Harbor", "Red Summit") + " Open to remote work.")),
    p("d4", "Mia Flores", "OH", dob="1991-04-17", resume_text=resume("Mia Flores", substance(150))),
]
case("ID-RESUME/positive_one_resume_three_names", copied,
     {"kind": "positive", "fires_for": ["d1", "d2", "d3"], "silent_for": ["d4"], "min_lr": {"d1": 20.0}})

case("ID-RESUME/positive_same_photo_two_identities", [
    p("f1", "Olivia Grant", "TX", dob="1993-01-09", photo_hash="c3a5f00f1e2d3c4b"),
    p("f2", "Sophia Turner", "WA", dob="1987-10-30", photo_hash="c3a5f00f1e2d3c4a"),  # 1 bit
    p("f3", "Ava Collins", "FL", dob="1995-03-21", photo_hash="5a5a0ff0c3c3a5a5"),
    # A shared phone under unrelated names is two identities, not one person.
    p("f4", "Ryan Stone", "TX", dob="1985-03-15", phone="661-239-2973", photo_hash="9be1d2c3a4b5c6d7"),
    p("f5", "Kenji Mori", "WA", dob="1979-05-10", phone="(661) 239-2973", photo_hash="9be1d2c3a4b5c6d5"),
], {"kind": "positive", "fires_for": ["f1", "f2", "f4", "f5"], "silent_for": ["f3"]})

TEMPLATE_HEAD = ("Candidate profile prepared by Acme Talent Partners for our client. Acme Talent "
                 "Partners has verified this candidate's identity, work authorisation and "
                 "references; the summary below was written by the candidate and edited for "
                 "length by our recruiting team.")
TEMPLATE_FOOT = ("Submitted via Acme Talent Partners, 100 Main Street, Springfield; references "
                 "available on request. Availability: immediate, remote or hybrid. Rates and "
                 "conversion terms as agreed in the master services agreement with our client. Acme Talent "
                 "Partners is an equal opportunity staffing firm; all candidates are screened for "
                 "skills by our technical interview panel before they are submitted, and background "
                 "checks are completed before the first day of work.")
agency = [p(f"a{i}", n, st, dob=d, staffing_agency="Acme Talent Partners",
            resume_text=resume(n, TEMPLATE_HEAD + " " + substance(40) + " " + TEMPLATE_FOOT))
          for i, (n, st, d) in enumerate([("Liam Scott", "TX", "1990-05-05"), ("Emma Ward", "WA", "1985-06-16"),
                                          ("Oliver Hughes", "FL", "1994-09-27"), ("Isla Ross", "OH", "1989-11-03")])]
same = [p("s1", "Grace Holloway", "CO", dob="1985-05-05", email="grace.h@gmail.com", rt="applicant",
          resume_text=resume("Grace Holloway", BASE.replace("Northwind", "Contoso")), photo_hash="0f0f0f0f12345678"),
        p("s2", "Grace Holloway", "CO", dob="1985-05-05", email="grace.h@gmail.com",
          resume_text=resume("Grace Holloway", BASE.replace("Northwind", "Contoso") + " Rehired 2026."),
          photo_hash="0f0f0f0f12345679")]
blank = [p("b1", "Henry Adams", "NY", dob="1983-08-08", photo_hash="0000000000000000"),
         p("b2", "Chloe Baker", "NY", dob="1996-02-14", photo_hash="0000000000000000")]
short = [p("t1", "Jack Evans", "TX", dob="1990-10-10", resume_text="Python developer. Django, React, AWS. Remote."),
         p("t2", "Lily Morris", "WA", dob="1991-11-11", resume_text="Python developer. Django, React, AWS. Remote.")]
people = agency + same + blank + short
case("ID-RESUME/negative_agency_template_same_person_defaults", people,
     {"kind": "negative", "fires_for": [], "silent_for": [r["person_id"] for r in people]})

# ---------------- ID-CONTACT ----------------
case("ID-CONTACT/positive_disposable_mailbox_and_far_phone", [
    p("k1", "Ruth Gale", "TX", email="ruth.g@mailinator.com"),
    p("k2", "Omar Haddad", "TX", phone="(206) 555-0142"),            # Seattle number, Austin home
    p("k3", "Nina Roy", "FL", email="n.roy@mailinator.com", phone="415-555-0100"),
], {"kind": "positive", "fires_for": ["k1", "k2", "k3"], "silent_for": [], "min_lr": {"k3": 3.0}})
people = [
    p("l1", "Paul Kent", "TX", email="paul.kent@gmail.com", phone="512-555-0101"),
    p("l2", "Vera Cole", "NY", phone="312-555-0111"),                # Chicago: one hour only
    p("l3", "Ian Moss", "WA", phone="+44 20 7946 0958"),              # not a NANP number
    p("l4", "Tara Bell", "CO", phone="800-555-0123"),                # toll-free
]
case("ID-CONTACT/negative_local_neighbouring_foreign_tollfree", people,
     {"kind": "negative", "fires_for": [], "silent_for": [r["person_id"] for r in people]})
print("identity fixtures written")
