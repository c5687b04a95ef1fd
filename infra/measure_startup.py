"""Measures Lambda start-up: spawn a binary against a fake Lambda Runtime
API on 127.0.0.1 and time until its first `GET .../invocation/next`, i.e.
the whole init (config, AWS SDK clients, signing key) before the first
request could be served. Stdlib only.

Usage: python3 infra/measure_startup.py [--runs N] COMMAND [ARG ...]
  e.g. python3 infra/measure_startup.py --runs 20 target/release/get_me
       python3 infra/measure_startup.py node infra/startup/node-function.mjs
"""
import http.server
import os
import statistics
import subprocess
import sys
import threading
import time

first_next = threading.Event()


class Runtime(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if "invocation/next" in self.path:
            first_next.set()
            time.sleep(2)  # hold the long poll; the process is killed meanwhile

    def log_message(self, *args):
        pass


def main():
    args = sys.argv[1:]
    runs = 20
    if args[:1] == ["--runs"]:
        runs, args = int(args[1]), args[2:]
    if not args:
        sys.exit(__doc__)
    binary = args[0]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Runtime)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    # A Lambda's environment, not this machine's: no AWS_CA_BUNDLE (which
    # would make the functions parse a whole system bundle), no profiles.
    env = dict(
        PATH=os.environ.get("PATH", "/usr/bin:/bin"),
        HOME=os.environ.get("HOME", "/tmp"),
        LANG="C.UTF-8",
        TZ=":UTC",
        AWS_LAMBDA_RUNTIME_API=f"127.0.0.1:{server.server_address[1]}",
        AWS_LAMBDA_FUNCTION_NAME="probe",
        AWS_LAMBDA_FUNCTION_VERSION="$LATEST",
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE="256",
        AWS_LAMBDA_LOG_GROUP_NAME="probe",
        AWS_LAMBDA_LOG_STREAM_NAME="probe",
        AWS_REGION="ap-south-1",
        AWS_ACCESS_KEY_ID="probe",
        AWS_SECRET_ACCESS_KEY="probe",
        HISAAB_TABLE="hisaab-probe",
        HISAAB_SIGNING_KEY="x" * 48,
        HISAAB_MAIL_FROM="no-reply@example.com",
        HISAAB_APP_URL="https://app.example.com",
        HISAAB_BUCKET="hisaab-probe-documents",
    )
    times = []
    for _ in range(runs):
        first_next.clear()
        start = time.perf_counter()
        p = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if not first_next.wait(10):
            p.kill()
            sys.exit(f"{binary} never asked for an invocation")
        times.append((time.perf_counter() - start) * 1000)
        p.kill()
        p.wait()
    print(f"{' '.join(os.path.basename(a) for a in args)}: median {statistics.median(times):.1f} ms, "
          f"min {min(times):.1f} ms, max {max(times):.1f} ms over {runs} starts")


if __name__ == "__main__":
    main()
