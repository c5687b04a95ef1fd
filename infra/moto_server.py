"""moto's server, handling one request at a time.

moto applies a DynamoDB TransactWriteItems by copying the tables, writing,
and putting the copy back when a condition fails, without a lock: two
transactions at once can undo each other's writes or fail with
"dictionary changed size during iteration". DynamoDB itself runs
transactions in isolation (serializably). Serving one request at a time
gives moto that guarantee, so the concurrency tests (20 invoices, 50
payments at once) test our optimistic retries and not moto's races.

It also answers GET /_hisaab/messages with moto's record of the SMS (SNS)
and mail (SES) it received, in the shape of /moto-api/data.json but
without the other services: data.json also dumps every DynamoDB item,
which takes seconds and megabytes once the tests have written a lot.

Usage: python infra/moto_server.py HOST PORT
"""

import json
import sys
import threading

from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import run_simple

app = DomainDispatcherApplication(create_backend_app)
lock = threading.Lock()


def messages():
    """The tracked SNS and SES model instances, as /moto-api/data.json has them."""
    from moto.core.model_instances import model_data

    out = {}
    for service in ("sns", "ses"):
        out[service] = {}
        for name, model in sorted(model_data.get(service, {}).items()):
            rows = []
            for instance in model.instances_tracked:
                row = {}
                for attr in dir(instance):
                    if attr.startswith("_"):
                        continue
                    try:
                        value = getattr(instance, attr)
                        json.dumps(value)
                    except (TypeError, AttributeError, ValueError):
                        continue
                    row[attr] = value
                rows.append(row)
            out[service][name] = rows
    return json.dumps(out).encode()


def one_at_a_time(environ, start_response):
    with lock:
        if environ.get("PATH_INFO") == "/_hisaab/messages":
            body = messages()
            start_response("200 OK", [("Content-Type", "application/json")])
            return [body]
        return list(app(environ, start_response))


if __name__ == "__main__":
    host, port = sys.argv[1], int(sys.argv[2])
    run_simple(
        host,
        port,
        one_at_a_time,
        threaded=True,
        request_handler=MotoRequestHandler,
    )
