"""Runs the same queries in muster's engine and in DuckDB over one folder of Parquet tables.

Each query is written once with `{t}` standing for a table: muster's engine registers the
tables by name; DuckDB reads `read_parquet('DIR/<table>/*.parquet')`. Both sides run each query
RUNS times in one process after a warm-up run (so both read from the page cache) and report the
median of the timed runs. Results are compared (row counts and checksums must agree).
"""
import statistics, subprocess, sys, time

import duckdb

DIR, RUNS, SQLBIN = sys.argv[1], int(sys.argv[2]), sys.argv[3]

# The cores of three detections, reduced to one row so printing costs nothing:
QUERIES = {
    # TZ-MISMATCH: each account's sign-ins per hour of the day
    "hour profile per account (TZ-MISMATCH's core)": """
        SELECT count(*) AS groups, sum(n) AS rows FROM (
          SELECT account, extract(hour FROM time) AS h, count(*) AS n
          FROM {signins} WHERE account IS NOT NULL GROUP BY account, extract(hour FROM time))""",
    # FARM-IP: distinct people per source IP and day, through the accounts table
    "people per IP and day via accounts (FARM-IP's core)": """
        SELECT count(*) AS groups, sum(p) AS people FROM (
          SELECT s.src_ip, CAST(s.time AS DATE) AS d, count(DISTINCT a.person_id) AS p
          FROM {signins} s JOIN {accounts} a ON lower(s.account) = lower(a.account)
          WHERE s.src_ip IS NOT NULL
          GROUP BY s.src_ip, CAST(s.time AS DATE))""",
    # FARM-WIFI / presence: distinct devices per network per day
    "devices per network and day (FARM-WIFI's core)": """
        SELECT count(*) AS groups, sum(n) AS devices FROM (
          SELECT wifi_bssid, CAST(time AS DATE) AS d, count(DISTINCT device_id) AS n
          FROM {device_presence} WHERE wifi_bssid IS NOT NULL
          GROUP BY wifi_bssid, CAST(time AS DATE))""",
}
TABLES = ["signins", "accounts", "device_presence"]


def muster(sql):
    q = sql.format(**{t: t for t in TABLES})
    out = subprocess.run([SQLBIN, DIR, q], env={"MUSTER_REPEAT": str(RUNS + 1)},
                         capture_output=True, text=True, check=True)
    secs = [float(l.split()[1]) for l in out.stderr.splitlines() if l.startswith("seconds ")]
    nums = [c.strip() for c in out.stdout.splitlines()[3].strip("|").split("|")]
    return statistics.median(secs[1:]), nums


def duck(sql):
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")  # days of UTC timestamps, as muster's engine counts them
    q = sql.format(**{t: f"read_parquet('{DIR}/{t}/*.parquet')" for t in TABLES})
    times, row = [], None
    for i in range(RUNS + 1):
        t = time.perf_counter()
        row = con.execute(q).fetchone()
        if i:
            times.append(time.perf_counter() - t)
    return statistics.median(times), [str(v) for v in row]


print(f"DuckDB {duckdb.__version__}, {RUNS} timed runs after one warm-up, medians; data {DIR}")
print("| query | muster s | DuckDB s | muster / DuckDB | results agree |")
print("|---|---:|---:|---:|---|")
for name, sql in QUERIES.items():
    m, mr = muster(sql)
    d, dr = duck(sql)
    print(f"| {name} | {m:.3f} | {d:.3f} | {m / d:.2f}x | {'yes' if mr == dr else f'NO: {mr} vs {dr}'} |")
