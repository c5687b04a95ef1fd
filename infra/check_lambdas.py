"""Checks built Lambda zips: their size against the budget, and that an
arm64 `bootstrap` answers a sample event (under qemu-user on other
machines) through a fake Lambda Runtime API on 127.0.0.1.

Usage:
  python3 infra/check_lambdas.py sizes [name ...]      sizes of the built zips
  python3 infra/check_lambdas.py smoke NAME STATUS [MOTO_URL]
      NAME answers events/NAME.json with HTTP status STATUS; with MOTO_URL,
      against moto's DynamoDB, SNS and SES there (the table is created as
      template.yaml declares it). For a scheduled job (`job_<name>`),
      STATUS is `report`: it answers its scheduled event with its run's
      report (a JSON object with `due`).

The budget (docs/benchmarks.md): a function whose role grants only the
table is at most 3 MB zipped (3,000,000 bytes); any function at most 4 MB.
A function's access class is read from template.yaml (its role), so this
checks what is deployed. Stdlib and PyYAML (which cfn-lint brings) only.
"""
import http.server
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import zipfile

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGET = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
REGION = os.environ.get("AWS_REGION", "ap-south-1")
TABLE_ONLY_BUDGET = 3_000_000
ANY_BUDGET = 4_000_000


def load_template():
    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    with open(os.path.join(ROOT, "template.yaml")) as f:
        return yaml.load(f, Loader=Loader)


def create_table(endpoint, name):
    """The table of template.yaml, created on moto through boto3 (which
    moto brings): the CloudFormation properties are CreateTable's."""
    import boto3

    props = load_template()["Resources"]["Table"]["Properties"]
    client = boto3.client("dynamodb", endpoint_url=endpoint, region_name=REGION,
                          aws_access_key_id="test", aws_secret_access_key="test")
    client.create_table(
        TableName=name,
        BillingMode=props["BillingMode"],
        AttributeDefinitions=props["AttributeDefinitions"],
        KeySchema=props["KeySchema"],
        GlobalSecondaryIndexes=props["GlobalSecondaryIndexes"],
    )


def functions():
    """{route name: access class} from template.yaml's generated functions."""
    doc = load_template()
    out = {}
    for res in doc["Resources"].values():
        if res["Type"] != "AWS::Serverless::Function":
            continue
        props = res["Properties"]
        name = props["CodeUri"].split("/")[2]
        role = props["Role"]["Fn::GetAtt"][0]
        out[name] = doc["Resources"][role]["Properties"]["Policies"][0]["PolicyName"]
    return out


def zip_path(name):
    return os.path.join(TARGET, "lambda", name, "bootstrap.zip")


def sizes(names):
    classes = functions()
    names = names or sorted(n for n in classes if os.path.exists(zip_path(n)))
    if not names:
        sys.exit("no zips built: run bash infra/build-lambdas.sh")
    over = []
    print(f"{'function':<24} {'class':<28} {'zip bytes':>10} {'budget':>10}")
    for n in names:
        size = os.path.getsize(zip_path(n))
        budget = TABLE_ONLY_BUDGET if classes[n] in ("none", "read", "write") else ANY_BUDGET
        flag = "" if size <= budget else "  OVER"
        print(f"{n:<24} {classes[n]:<28} {size:>10,} {budget:>10,}{flag}")
        if size > budget:
            over.append(n)
    if over:
        sys.exit(f"over the size budget: {', '.join(over)}")


class FakeRuntime(http.server.BaseHTTPRequestHandler):
    """Serves one event at /2018-06-01/runtime/invocation/next and takes
    the answer; later polls are held until the process is stopped."""

    event = b""
    served = False
    answer = None
    done = threading.Event()

    def do_GET(self):
        if not self.path.endswith("/invocation/next"):
            self.send_error(404)
            return
        if FakeRuntime.served:
            FakeRuntime.done.wait(30)
            return
        FakeRuntime.served = True
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Lambda-Runtime-Aws-Request-Id", "smoke-1")
        self.send_header("Lambda-Runtime-Deadline-Ms", "9999999999999")
        self.send_header(
            "Lambda-Runtime-Invoked-Function-Arn",
            "arn:aws:lambda:ap-south-1:123456789012:function:smoke",
        )
        self.send_header("Lambda-Runtime-Trace-Id", "Root=1-00000000-000000000000000000000000")
        self.send_header("Content-Length", str(len(FakeRuntime.event)))
        self.end_headers()
        self.wfile.write(FakeRuntime.event)

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        FakeRuntime.answer = (self.path, body)
        self.send_response(202)
        self.end_headers()
        FakeRuntime.done.set()

    def log_message(self, *args):
        pass


def smoke(name, status, moto=None):
    with open(os.path.join(ROOT, "events", f"{name}.json"), "rb") as f:
        FakeRuntime.event = f.read()
    tmp = tempfile.mkdtemp()
    try:
        with zipfile.ZipFile(zip_path(name)) as z:
            z.extract("bootstrap", tmp)
        bootstrap = os.path.join(tmp, "bootstrap")
        os.chmod(bootstrap, 0o755)
        cmd = [bootstrap]
        if platform.machine() not in ("aarch64", "arm64"):
            qemu = shutil.which("qemu-aarch64") or sys.exit("qemu-aarch64 is missing (Debian qemu-user)")
            cmd = [qemu, "-L", "/usr/aarch64-linux-gnu", bootstrap]
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FakeRuntime)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        env = dict(
            os.environ,
            AWS_LAMBDA_RUNTIME_API=f"127.0.0.1:{server.server_address[1]}",
            AWS_LAMBDA_FUNCTION_NAME=name,
            AWS_LAMBDA_FUNCTION_VERSION="$LATEST",
            AWS_LAMBDA_FUNCTION_MEMORY_SIZE="256",
            AWS_LAMBDA_LOG_GROUP_NAME="smoke",
            AWS_LAMBDA_LOG_STREAM_NAME="smoke",
            AWS_REGION=REGION,
            AWS_ACCESS_KEY_ID=os.environ.get("AWS_ACCESS_KEY_ID", "smoke"),
            AWS_SECRET_ACCESS_KEY=os.environ.get("AWS_SECRET_ACCESS_KEY", "smoke"),
            HISAAB_TABLE="hisaab-smoke",
            HISAAB_SIGNING_KEY="s" * 48,
            HISAAB_MAIL_FROM="no-reply@example.com",
            HISAAB_APP_URL="https://app.example.com",
            HISAAB_BUCKET="hisaab-smoke-documents",
        )
        env.pop("HISAAB_SIGNING_KEY_PARAM", None)
        if moto:
            table = f"smoke-{os.getpid()}"
            create_table(moto, table)
            env.update(AWS_ENDPOINT_URL=moto, HISAAB_TABLE=table,
                       AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test")
        p = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        answered = FakeRuntime.done.wait(60)
        p.kill()
        logs = p.communicate()[0].decode(errors="replace")
        if not answered:
            sys.exit(f"{name} gave no answer in 60 s; its output:\n{logs}")
        path, body = FakeRuntime.answer
        if not path.endswith("/response"):
            sys.exit(f"{name} reported an error ({path}): {body[:500]!r}\n{logs}")
        res = json.loads(body)
        if status == "report":
            if not isinstance(res, dict) or "due" not in res:
                sys.exit(f"{name} answered no job report: {res}\n{logs}")
            where = f" on moto at {moto}" if moto else ""
            print(f"{name} (arm64, run by {os.path.basename(cmd[0])}{where}) answered "
                  f"events/{name}.json with its report: {json.dumps(res)}")
            return
        got = res.get("statusCode")
        if got != status:
            sys.exit(f"{name} answered {got}, not {status}: {res}\n{logs}")
        where = f" on moto at {moto}" if moto else ""
        print(f"{name} (arm64, run by {os.path.basename(cmd[0])}{where}) answered "
              f"events/{name}.json with {got}: {res.get('body', '')[:160]}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    if len(sys.argv) >= 2 and sys.argv[1] == "sizes":
        sizes(sys.argv[2:])
    elif len(sys.argv) in (4, 5) and sys.argv[1] == "smoke":
        status = sys.argv[3] if sys.argv[3] == "report" else int(sys.argv[3])
        smoke(sys.argv[2], status, sys.argv[4] if len(sys.argv) == 5 else None)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
