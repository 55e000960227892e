#!/usr/bin/env python3
"""Open-loop load test of `muster serve`'s POST /v1/screen at a fixed request rate.

Requests are sent on a fixed schedule (not when the previous answer arrives), and each latency
is measured from the request's scheduled time, so a slow server cannot hide its queueing
(no coordinated omission). Every applicant has a new person_id; a share of them re-use a known
person's identity (name, date of birth, e-mail, phone) the way a re-application would, the rest
are new people. Standard library only.

usage: serve_load.py --url http://127.0.0.1:8080 --token TOKEN --people people.csv
                     [--columns SRC=DST,...] [--rate 200] [--seconds 30] [--reuse 0.1] [--connections 64]
"""
import argparse
import asyncio
import csv
import json
import random
import statistics
import sys
import time
from urllib.parse import urlparse


def applicants(people_csv, columns, n, reuse, seed):
    rng = random.Random(seed)
    rename = dict(p.split("=", 1) for p in columns.split(",") if "=" in p)
    known = []
    with open(people_csv, newline="") as f:
        for i, raw in enumerate(csv.DictReader(f)):
            row = {rename.get(k, k): v for k, v in raw.items()}
            if len(known) < 20000:
                known.append(row)
            elif rng.random() < 20000 / (i + 1):
                known[rng.randrange(20000)] = row
    out = []
    for i in range(n):
        if known and rng.random() < reuse:
            k = rng.choice(known)
            a = {c: k.get(c) for c in ("full_name", "given_name", "family_name", "date_of_birth",
                                       "email", "phone", "city", "region", "postal_code", "country")
                 if k.get(c)}
        else:
            a = {"given_name": f"Load{i}", "family_name": f"Applicant{rng.randrange(10**9)}",
                 "date_of_birth": f"19{rng.randrange(50, 99)}-0{rng.randrange(1, 9)}-1{rng.randrange(0, 9)}",
                 "email": f"load.{i}.{rng.randrange(10**9)}@example.org",
                 "phone": f"+1{rng.randrange(200, 999)}555{rng.randrange(1000, 9999)}",
                 "city": "Denver", "region": "CO", "country": "US"}
        a["person_id"] = f"LOAD-{seed}-{i}"
        out.append(json.dumps(a).encode())
    return out


class Conn:
    def __init__(self, host, port):
        self.host, self.port = host, port
        self.r = self.w = None

    async def request(self, head, body):
        if self.w is None:
            self.r, self.w = await asyncio.open_connection(self.host, self.port)
        self.w.write(head + body)
        await self.w.drain()
        status_line = await self.r.readline()
        length = 0
        while True:
            line = await self.r.readline()
            if line in (b"\r\n", b""):
                break
            k, _, v = line.decode("latin-1").partition(":")
            if k.lower() == "content-length":
                length = int(v.strip())
        await self.r.readexactly(length)
        return int(status_line.split()[1])


async def run(args):
    u = urlparse(args.url)
    host, port = u.hostname, u.port or 80
    total = int(args.rate * args.seconds)
    bodies = applicants(args.people, args.columns, total, args.reuse, args.seed)
    pool = asyncio.Queue()
    for _ in range(args.connections):
        pool.put_nowait(Conn(host, port))
    lat, statuses = [], {}
    start = time.perf_counter() + 0.5

    async def one(i, body):
        at = start + i / args.rate
        await asyncio.sleep(max(0.0, at - time.perf_counter()))
        conn = await pool.get()
        head = (f"POST /v1/screen HTTP/1.1\r\nHost: {host}:{port}\r\n"
                f"Authorization: Bearer {args.token}\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\n\r\n").encode()
        try:
            s = await conn.request(head, body)
        except (ConnectionError, asyncio.IncompleteReadError):
            conn.w = None
            s = 0
        lat.append((time.perf_counter() - at) * 1000.0)
        statuses[s] = statuses.get(s, 0) + 1
        pool.put_nowait(conn)

    t0 = time.perf_counter()
    await asyncio.gather(*(one(i, b) for i, b in enumerate(bodies)))
    wall = time.perf_counter() - t0
    lat.sort()
    q = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))]
    result = {
        "requests": len(lat), "target_rate": args.rate, "achieved_rate": round(len(lat) / wall, 1),
        "statuses": statuses, "p50_ms": round(q(0.50), 2), "p90_ms": round(q(0.90), 2),
        "p99_ms": round(q(0.99), 2), "max_ms": round(lat[-1], 2),
        "mean_ms": round(statistics.fmean(lat), 2),
    }
    print(json.dumps(result))
    return 0 if statuses.get(200, 0) == len(lat) else 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--url", required=True)
    ap.add_argument("--token", required=True)
    ap.add_argument("--people", required=True, help="the people file the server knows (CSV)")
    ap.add_argument("--columns", default="", help="SRC=DST,... as given to muster serve")
    ap.add_argument("--rate", type=float, default=200.0)
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--reuse", type=float, default=0.1)
    ap.add_argument("--connections", type=int, default=64)
    ap.add_argument("--seed", type=int, default=1)
    sys.exit(asyncio.run(run(ap.parse_args())))


if __name__ == "__main__":
    main()
