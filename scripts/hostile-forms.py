#!/usr/bin/env python3
"""Hostile forms against every server function of a running demo server.

Reads each `#[server(... endpoint = "…")]` function's parameters from src/, signs in as
nobody, the demo partner, the demo admin and the payouts demo partner, and posts forms
built from bad values (empty, huge, negative, non-numbers, markup, control and
right-to-left characters, impossible dates), real ids from the demo database, missing
fields and unknown fields. Prints every answer of 500 or more, or no answer: a user's
mistake must be a 4xx. Needs Python's `requests`.

  python3 scripts/hostile-forms.py BASE_URL DATABASE_FILE [SEED] [ROUNDS]

  e.g. with `make run` serving the demo on its SQLite file:
  python3 scripts/hostile-forms.py http://127.0.0.1:3000 data/tributary.db 1 3
"""
import os
import random
import re
import sqlite3
import sys

import requests

BAD = ["", "0", "-1", "1", "9223372036854775807", "-9223372036854775808", "99999999999999999999999",
       "1e9", "abc", "<script>x</script>", "a" * 5000, "💥", "NaN", "1.005", "-0", " 12 ", "0.001",
       "12.345", "100000000000000", "null", "true", "on", "off", "' or 1=1 --", "../../etc", "%", "\t",
       "\u202e", "2026-13-45", "9999-12-31", "0000-00-00"]
LIST_QUERY = ["page", "from", "to", "sort", "status", "kind", "q", "on", "partner", "referred"]
IDS = {"partner_id": "partners", "payout_id": "payouts", "invoice_id": "invoices",
       "workspace_id": "workspaces", "tenant_id": "workspaces", "listing_id": "listings",
       "code_id": "referral_codes", "plan_id": "plans"}
SKIP = {"logout"}  # would end the session the rest of the round uses
PASSWORD = os.environ.get("TRIBUTARY_DEMO_PASSWORD", "demo-password-123")


def endpoints(src):
    found = {}
    for folder, _, files in os.walk(src):
        for name in files:
            if not name.endswith(".rs"):
                continue
            text = open(os.path.join(folder, name), encoding="utf-8").read()
            pattern = r'#\[server\(([^\]]*)\)\]\s*(?:#\[[^\]]*\]\s*)*pub async fn (\w+)\s*\((.*?)\)\s*->'
            for m in re.finditer(pattern, text, re.S):
                attrs, fn, args = m.groups()
                endpoint = re.search(r'endpoint\s*=\s*"([^"]+)"', attrs)
                params = re.findall(r'(\w+)\s*:\s*([^,]+(?:<[^>]*>)?)', args)
                found[endpoint.group(1) if endpoint else fn] = [(n, t.strip()) for n, t in params]
    return found


def form(params, mode, ids):
    fields = []
    for name, ty in params:
        if "ListQuery" in ty:
            fields += [(f"{name}[{k}]", random.choice(BAD)) for k in LIST_QUERY if random.random() < 0.5]
            continue
        if mode == "missing" and random.random() < 0.5:
            continue
        real = ids.get(name) or []
        value = random.choice(real) if real and random.random() < 0.6 else random.choice(BAD)
        if ty.startswith("Vec"):
            fields += [(f"{name}[{i}]", value) for i in range(random.randint(0, 3))]
        else:
            fields.append((name, value))
    if mode == "extra":
        fields.append(("bogus", "1"))
    return fields


def main():
    base, database = sys.argv[1], sys.argv[2]
    random.seed(int(sys.argv[3]) if len(sys.argv) > 3 else 1)
    rounds = int(sys.argv[4]) if len(sys.argv) > 4 else 3
    db = sqlite3.connect(database)
    ids = {k: [r[0] for r in db.execute(f"select id from {table}")] for k, table in IDS.items()}
    ids["code_id"] += [r[0] for r in db.execute("select id from invite_codes")]
    sessions = {}
    for role, email in [("anonymous", None), ("partner", "partner@tributary.test"),
                        ("admin", "admin@tributary.test"), ("payouts", "payouts@tributary.test")]:
        s = requests.Session()
        if email:
            r = s.post(f"{base}/api/login", data={"email": email, "password": PASSWORD},
                       headers={"accept": "application/json"})
            r.raise_for_status()
        sessions[role] = s
    src = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src")
    sent, failed = 0, []
    for _ in range(rounds):
        for endpoint, params in endpoints(src).items():
            if endpoint in SKIP:
                continue
            for role, s in sessions.items():
                for mode in ("full", "missing", "extra"):
                    fields = form(params, mode, ids)
                    try:
                        r = s.post(f"{base}/api/{endpoint}", data=fields,
                                   headers={"accept": "application/json"}, timeout=30)
                        sent += 1
                        if r.status_code >= 500:
                            failed.append((endpoint, role, fields, r.status_code, r.text[:300]))
                    except requests.RequestException as e:
                        failed.append((endpoint, role, fields, "no answer", str(e)[:200]))
    print(f"{sent} requests, {len(failed)} answered 500 or more (or not at all)")
    for endpoint, role, fields, status, text in failed:
        print(f"- {endpoint} as {role}: {status} {text}\n    {[(k, v[:40]) for k, v in fields]}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
