"""The monthly AWS bill of Hisaab at the seeds' scale, from the measured
operation counts (docs/benchmarks.md, the benches' counting table) and the
deployed settings (template.yaml: arm64, 256 MB, X-Ray tracing, one log
group). Prints the tables of docs/cost.md.

Usage: python3 infra/cost.py > /tmp/cost.md

Every price is in PRICES below and nowhere else; every assumption about
the workload is in WORKLOAD. A month is 30 days. Free tiers are left out
(the bill of an account past its first year).
"""
import math

# List prices, US dollars, Asia Pacific (Mumbai, ap-south-1) unless noted;
# as published on AWS's pricing pages (to the best of this repository's
# knowledge on 2026-12-01; this machine cannot reach them, so check them
# before relying on the total).
PRICES = {
    # AWS Lambda, arm64: per GB-second of duration (Init is billed too), per request.
    "lambda_gb_second_arm64": 0.0000133334,
    "lambda_request": 0.20 / 1e6,
    # API Gateway HTTP API, first 300 million requests a month.
    "http_api_request": 1.00 / 1e6,
    # DynamoDB on demand (Standard table class): per write and read request
    # unit, and storage per GB-month.
    "dynamodb_wru": 0.7116 / 1e6,
    "dynamodb_rru": 0.1423 / 1e6,
    "dynamodb_gb_month": 0.285,
    # Point-in-time recovery (continuous backups), per GB-month of table.
    "dynamodb_pitr_gb_month": 0.228,
    # SMS to India through SNS (AWS End User Messaging SMS), transactional,
    # per message part (160 GSM-7 or 70 Unicode characters).
    "sms_india": 0.0028,
    # SES: outbound mail.
    "ses_mail": 0.10 / 1000,
    # S3 Standard: storage per GB-month, PUT and GET/HEAD requests.
    "s3_gb_month": 0.025,
    "s3_put": 0.005 / 1000,
    "s3_get": 0.0004 / 1000,
    # X-Ray: traces recorded (Tracing: Active on every function).
    "xray_trace": 5.00 / 1e6,
    # CloudWatch Logs: ingestion per GB (us-east-1 price).
    "logs_gb": 0.50,
}

# Deployed settings (template.yaml Globals).
MEMORY_GB = 256 / 1024
# Assumed, not measured here (no AWS account): one DynamoDB, SNS, SES or
# S3 request from a function in the same region, and the function's own
# work per request (measured locally: about 1 ms a domain call on SQLite,
# docs/benchmarks.md).
AWS_CALL_MS = 6.0
COMPUTE_MS = 2.0
# Cold starts: the measured start-up (docs/benchmarks.md: 2.1–3.8 ms on
# x86-64; taken as 4 ms for a slower arm64 core) plus
# one SSM GetParameter for the signing key, for this share of invocations.
COLD_START_MS = 4.0 + AWS_CALL_MS
COLD_START_SHARE = 0.02
# X-Ray's default sampling: the first request each second, then 5 %.
XRAY_RESERVOIR_PER_DAY = 86_400
XRAY_RATE = 0.05
# CloudWatch Logs per invocation: the platform's START/END/REPORT lines
# in JSON, our INFO lines are rare.
LOG_BYTES_PER_INVOCATION = 700


def op(get=0, get_kb=0.5, queries=(), tx_writes=0, write_kb=1.0, sms=0, mail=0,
       s3_put=0, s3_get=0, aws_calls=None):
    """One request's work. `queries` is a list of (items, item KB, strongly
    consistent); `tx_writes` the writes of its TransactWriteItems (each 2
    WRU per KB, condition checks counted as writes to stay on the safe
    side); the caller's user item (one GetItem) is added for every
    authenticated request by `auth`."""
    rru = get * math.ceil(get_kb / 4)
    round_trips = get
    for items, kb, strong in queries:
        units = max(1, math.ceil(items * kb / 4))
        rru += units if strong else units / 2
        round_trips += 1
    wru = tx_writes * 2 * math.ceil(write_kb)
    if tx_writes:
        round_trips += 1
    round_trips += sms + mail + s3_put + s3_get
    return {
        "rru": rru, "wru": wru, "sms": sms, "mail": mail, "s3_put": s3_put,
        "s3_get": s3_get, "round_trips": round_trips if aws_calls is None else aws_calls,
    }


def auth(o, items=1):
    """The same request, authenticated: the caller's user (and business)
    items are read first."""
    o = dict(o)
    o["rru"] += items
    o["round_trips"] += items
    return o


# The seeds' scale, per day. Operation counts from docs/benchmarks.md
# where measured ("bench"), else estimated from the code ("estimate").
WORKLOAD = [
    # (area, what, requests a day, work of one request, source)
    ("dairy", "morning round: 10,000 marks in 20 bulk calls of 500", 20,
     auth(op(get=501, tx_writes=2500, write_kb=0.5, aws_calls=1001)), "bench"),
    ("dairy", "customers reading their month (2,000 a day)", 2000,
     auth(op(get=1, queries=[(3, 0.5, True)])), "bench"),
    ("dairy", "month settled into an invoice (10,000 a month)", 10000 / 30,
     auth(op(get=4, queries=[(3, 0.5, True)], tx_writes=10)), "estimate"),
    ("trader", "invoices issued", 300, auth(op(get=4, tx_writes=8)), "bench"),
    ("trader", "payments recorded on an invoice", 300, auth(op(get=3, tx_writes=8)), "bench"),
    ("trader", "invoice opened (with its payments)", 300,
     auth(op(get=1, queries=[(5, 1, True)])), "bench"),
    ("trader", "invoice list, first page", 100,
     auth(op(get=1, queries=[(50, 1, False)])), "bench"),
    ("trader", "dashboard, one year", 50,
     auth(op(get=2, queries=[(365, 0.2, True), (10, 0.5, False), (106, 0.2, True)])), "bench"),
    ("trader", "invoice PDF link (rendered once, stored, then fetched)", 300,
     auth(op(get=1, s3_put=1, s3_get=2)), "estimate"),
    ("registry", "company searches by name", 1000,
     auth(op(queries=[(20, 1, False)]), items=2), "bench"),
    ("registry", "company pages", 300, auth(op(get=1, queries=[(3, 1, True)]), items=2), "bench"),
    ("identity", "OTP sent (logins)", 2000, op(get=3, tx_writes=2, sms=1), "estimate"),
    ("identity", "OTP verified: a session", 2000, op(get=3, tx_writes=3), "estimate"),
    ("identity", "access token refreshed (8 a session)", 16000, op(get=2, tx_writes=2), "estimate"),
    ("reminders", "payment reminders by SMS (not built yet: #14)", 450,
     op(get=2, tx_writes=1, sms=1), "estimate"),
    ("reminders", "payment reminders by mail (not built yet: #14)", 450,
     op(get=2, tx_writes=1, mail=1), "estimate"),
]

# Stored data: a year of the dairy's records and the trader's invoices.
TABLE_GB = 3640000 * 0.5 / 1e6 + 300 * 365 * 3 / 1e6 + 1.0
# Rendered invoice PDFs expire after 30 days (the bucket's lifecycle rule).
PDF_GB = 300 * 30 * 60 / 1e6


def monthly():
    rows = []
    totals = {k: 0.0 for k in ("lambda", "api", "dynamodb", "sms", "mail", "s3", "xray", "logs")}
    requests_day = 0.0
    for area, what, per_day, o, source in WORKLOAD:
        n = per_day * 30
        requests_day += per_day
        ms = o["round_trips"] * AWS_CALL_MS + COMPUTE_MS
        ms += COLD_START_SHARE * COLD_START_MS
        c = {
            "lambda": n * (math.ceil(ms) / 1000 * MEMORY_GB * PRICES["lambda_gb_second_arm64"]
                           + PRICES["lambda_request"]),
            "api": n * PRICES["http_api_request"],
            "dynamodb": n * (o["rru"] * PRICES["dynamodb_rru"] + o["wru"] * PRICES["dynamodb_wru"]),
            "sms": n * o["sms"] * PRICES["sms_india"],
            "mail": n * o["mail"] * PRICES["ses_mail"],
            "s3": n * (o["s3_put"] * PRICES["s3_put"] + o["s3_get"] * PRICES["s3_get"]),
        }
        for k, v in c.items():
            totals[k] += v
        rows.append((area, what, per_day, o, ms, sum(c.values()), source))
    traced_day = min(requests_day, XRAY_RESERVOIR_PER_DAY) + max(
        0.0, requests_day - XRAY_RESERVOIR_PER_DAY) * XRAY_RATE
    totals["xray"] = traced_day * 30 * PRICES["xray_trace"]
    totals["logs"] = requests_day * 30 * LOG_BYTES_PER_INVOCATION / 1e9 * PRICES["logs_gb"]
    totals["dynamodb"] += TABLE_GB * (PRICES["dynamodb_gb_month"] + PRICES["dynamodb_pitr_gb_month"])
    totals["s3"] += PDF_GB * PRICES["s3_gb_month"]
    return rows, totals, requests_day


def main():
    rows, totals, requests_day = monthly()
    print("| area | what | requests a day | RRU | WRU | AWS calls | billed ms | a month | counts |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for area, what, per_day, o, ms, cost, source in rows:
        print(f"| {area} | {what} | {per_day:,.0f} | {o['rru']:,.1f} | {o['wru']:,.0f} | "
              f"{o['round_trips']:,} | {math.ceil(ms)} | ${cost:,.2f} | {source} |")
    print()
    names = {
        "lambda": "Lambda (arm64, 256 MB, requests and duration)",
        "api": "API Gateway HTTP API",
        "dynamodb": f"DynamoDB on demand (requests; {TABLE_GB:.1f} GB stored, with PITR)",
        "sms": "SMS to India (SNS)",
        "mail": "Mail (SES)",
        "s3": f"S3 (PDF requests; {PDF_GB:.2f} GB of PDFs kept 30 days)",
        "xray": "X-Ray traces (default sampling)",
        "logs": "CloudWatch Logs ingestion",
    }
    print("| service | a month |")
    print("| --- | ---: |")
    for k, v in sorted(totals.items(), key=lambda kv: -kv[1]):
        print(f"| {names[k]} | ${v:,.2f} |")
    print(f"| **total** ({requests_day * 30:,.0f} requests a month) | **${sum(totals.values()):,.2f}** |")
    print()
    print("| price | US dollars |")
    print("| --- | ---: |")
    for k, v in PRICES.items():
        print(f"| `{k}` | {v:.10g} |")


if __name__ == "__main__":
    main()
