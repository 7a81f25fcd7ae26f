"""SQLite (`make demo`): two processes whose transactions read, then write, at the same moment
queue instead of one failing with "database is locked" (a red team had two shoppers paying at
once answered INTERNAL_SERVER_ERROR). The project's settings begin each transaction with BEGIN
IMMEDIATE; with SQLite's default deferred transactions both take a read lock, and the second
writer fails at once whatever the timeout."""
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

WRITER = """
import sys, time, django
django.setup()
from django.db import connection, transaction
start, mode = float(sys.argv[1]), sys.argv[2]
if mode != "settings":  # the settings' own effect, shown against SQLite's default
    connection.settings_dict["OPTIONS"]["transaction_mode"] = mode
time.sleep(max(0, start - time.time()))
with transaction.atomic():
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM t")
        time.sleep(0.5)  # the other process reads meanwhile
        cursor.execute("INSERT INTO t (n) VALUES (1)")
print("ok")
"""


@pytest.mark.parametrize("mode, expect_both", [("settings", True), ("DEFERRED", False)])
def test_two_read_then_write_transactions_queue(tmp_path, mode, expect_both):
    database = tmp_path / "shop.sqlite3"
    with sqlite3.connect(database) as db:
        db.execute("CREATE TABLE t (n INTEGER)")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "DJANGO_SETTINGS_MODULE": "headless_store.settings",
           "DEBUG": "1"}
    start = time.time() + 3
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(start), mode], cwd=ROOT, env=env, text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    results = [writer.communicate(timeout=60) for writer in writers]
    succeeded = sum(out.strip() == "ok" for out, _err in results)
    if expect_both:
        assert succeeded == 2, results
        with sqlite3.connect(database) as db:
            assert db.execute("SELECT COUNT(*) FROM t").fetchone() == (2,)
    else:
        assert succeeded == 1 and any("database is locked" in err for _out, err in results), results
