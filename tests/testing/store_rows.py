"""Rows for a stackfit sample store (docs/store-schema.md), for integration
tests that need hours of history a real recording cannot give in seconds:
`stackfit record` creates the store, then these add containers and one-minute
samples ending five minutes before now. Columns are named, so a schema that
adds one keeps these rows meaning what they say.

    sys.path.insert(0, SOURCE_DIR + "/tests/testing"); import store_rows
"""
import time

MiB = 1 << 20
NOW = time.time_ns()
SAMPLE_COLUMNS = ("container_key", "time_ns", "working_set_bytes", "usage_bytes", "rss_bytes", "cache_bytes",
                  "inactive_file_bytes", "peak_bytes", "oom_kills", "cpu_usage_ns", "cpu_throttled_periods",
                  "cpu_throttled_ns", "psi_some_avg10")


def container(db, project, key_id, service, limit):
    """A container of `project`/`service` with a memory limit (bytes or None); returns its key."""
    cur = db.execute("""INSERT INTO containers (engine_id, name, project, service, container_number, image,
        mem_request_bytes, mem_limit_bytes, cpu_request_millicores, cpu_limit_millicores, first_seen_ns,
        last_seen_ns, cgroup_path) VALUES (?, ?, ?, ?, 1, 'img', NULL, ?, NULL, NULL, ?, ?, ?)""",
                     (key_id, project + "-" + service + "-1", project, service, limit, NOW - 10**13, NOW,
                      "/docker/" + key_id))
    return cur.lastrowid


def samples(db, key, n, ws_of, cpu_per_min_ns=6 * 10**9, ooms_of=lambda i: 0):
    """n one-minute samples: working set ws_of(i) bytes, OOM counter ooms_of(i), steady CPU."""
    start = NOW - (n + 5) * 60 * 10**9
    rows = []
    for i in range(n):
        ws = ws_of(i)
        rows.append((key, start + i * 60 * 10**9, ws, ws, ws, 0, 0, None, ooms_of(i), i * cpu_per_min_ns, 0, 0, None))
    db.executemany(f"INSERT INTO samples ({', '.join(SAMPLE_COLUMNS)}) VALUES ({', '.join('?' * len(SAMPLE_COLUMNS))})",
                   rows)
