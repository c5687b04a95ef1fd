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

moto also backs a transaction up by deep-copying the whole table once per
write in it, so each transaction costs time in proportion to the table's
size (0.6 s per 5-write transaction on a table of a few thousand items).
`transact_write_items` below backs up only the items the transaction
touches and puts them back when it is cancelled, which is the same
all-or-nothing outcome.

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


def item_backed_up_transactions():
    """Replaces moto's whole-table backup of a transaction with a backup of
    the items it touches (safe because requests run one at a time)."""
    import copy
    import types

    import moto.dynamodb.models as models
    from moto.dynamodb.models.dynamo_type import DynamoType
    from moto.dynamodb.models.table import Table

    original = models.DynamoDBBackend.transact_write_items
    real_deepcopy = copy.deepcopy
    # Inside moto's transact_write_items a Table "copy" is the table itself:
    # its own rollback then changes nothing, and the one below restores.
    shim = types.SimpleNamespace(
        deepcopy=lambda x, *a: x if isinstance(x, Table) else real_deepcopy(x, *a)
    )

    def transact_write_items(self, transact_items):
        backups = []
        for entry in transact_items:
            _, op = next(iter(entry.items()))
            name = op.get("TableName")
            if name not in self.tables:
                continue
            table = self.tables[name]
            key = op.get("Key") or {
                a: op.get("Item", {}).get(a)
                for a in (table.hash_key_attr, table.range_key_attr)
                if a is not None
            }
            if any(v is None for v in key.values()):
                continue
            hash_value = DynamoType(key[table.hash_key_attr])
            range_value = (
                DynamoType(key[table.range_key_attr])
                if table.range_key_attr is not None
                else None
            )
            current = table.get_item(hash_value, range_value)
            old = current.to_json()["Attributes"] if current is not None else None
            backups.append((table, hash_value, range_value, real_deepcopy(old)))
        models.copy = shim
        try:
            return original(self, transact_items)
        except Exception:
            for table, hash_value, range_value, old in reversed(backups):
                if old is None:
                    if table.get_item(hash_value, range_value) is not None:
                        table.delete_item(hash_value, range_value)
                else:
                    table.put_item(old)
            raise
        finally:
            models.copy = copy

    models.DynamoDBBackend.transact_write_items = transact_write_items


item_backed_up_transactions()


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
