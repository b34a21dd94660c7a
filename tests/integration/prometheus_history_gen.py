#!/usr/bin/env python3
"""Generates cluster usage history for prometheus_history_test.sh.

Writes OpenMetrics text (for `promtool tsdb create-blocks-from openmetrics`)
and the per-workload figures stackfit must read back, computed here from the
generated samples with the same definitions stackfit documents (nearest-rank
p95, CPU rate between consecutive samples of one series, counter resets
skipped). 2 namespaces, 5 workloads, 7 pods, 4 days at 1-minute resolution,
one OOM kill (api), one leak (db), one 30-minute gap (api), a rollout
(worker: two ReplicaSets of one Deployment), a bare pod (debug-shell), a
ReplicaSet without kube_replicaset_owner (api: grouped by name).

usage: prometheus_history_gen.py OUT.om EXPECTED.json START_S DAYS [SAMPLES.csv]
SAMPLES.csv (for the store side, history_source_probe load): one row per
sample: service,instance,time_s,working_set,cpu_ns,oom_counter,limit,restart
"""
import json
import math
import random
import sys

out_path, expected_path, start_s, days = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
STEP = 60
N = days * 24 * 60
END = start_s + (N - 1) * STEP
MIB = 1024 * 1024
rng = random.Random(42)

# pod -> dict(ns, pod, container, owner (kind, name), rs_owner, first, last index, mem(i), cpu_rate_millicores(i), ...)
pods = []


def pod(ns, name, container, owner_kind, owner_name, first, last, mem, cpu, limit=None, gap=None, oom_at=None):
    pods.append(dict(ns=ns, pod=name, container=container, owner_kind=owner_kind, owner_name=owner_name,
                     first=first, last=last, mem=mem, cpu=cpu, limit=limit, gap=gap or (0, 0), oom_at=oom_at))


def noisy(base, spread):
    return lambda i: int(base + rng.randint(0, spread))


# shop/web: Deployment via kube_replicaset_owner, 2 replicas, limit 512 MiB
for p in ("web-6b7c9d8f5-x2k4p", "web-6b7c9d8f5-q9z7m"):
    pod("shop", p, "app", "ReplicaSet", "web-6b7c9d8f5", 0, N - 1, noisy(180 * MIB, 40 * MIB),
        lambda i: rng.randint(50, 400), limit=512 * MIB)
# shop/db: StatefulSet, a leak: +2 MiB per hour
pod("shop", "db-0", "postgres", "StatefulSet", "db", 0, N - 1, lambda i: 300 * MIB + i * 2 * MIB // 60 + rng.randint(0, MIB),
    lambda i: rng.randint(100, 900))
# shop/api: ReplicaSet without kube_replicaset_owner; OOM-killed on day 2; a 30-minute gap on day 3
OOM_AT = N // 2
def api_mem(i):
    if i < OOM_AT:
        return 200 * MIB + (312 * MIB * i) // OOM_AT
    return 150 * MIB + rng.randint(0, 20 * MIB)
pod("shop", "api-7c5d8b9f4-m2n4p", "api", "ReplicaSet", "api-7c5d8b9f4", 0, N - 1, api_mem,
    lambda i: rng.randint(10, 2500), limit=512 * MIB, gap=(3 * 1440 + 100, 3 * 1440 + 130), oom_at=OOM_AT)
# batch/debug-shell: a bare pod
pod("batch", "debug-shell", "sh", "<none>", "<none>", 0, N - 1, noisy(8 * MIB, MIB), lambda i: rng.randint(0, 5))
# batch/worker: a rollout half-way: two ReplicaSets, both owned by Deployment worker
pod("batch", "worker-5b6c7d8f9-abcde", "worker", "ReplicaSet", "worker-5b6c7d8f9", 0, N // 2 - 1,
    noisy(90 * MIB, 30 * MIB), lambda i: rng.randint(200, 1200))
pod("batch", "worker-9f8d7c6b5-fghjk", "worker", "ReplicaSet", "worker-9f8d7c6b5", N // 2, N - 1,
    noisy(100 * MIB, 30 * MIB), lambda i: rng.randint(200, 1200))
rs_owner = {("shop", "web-6b7c9d8f5"): ("Deployment", "web"),
            ("batch", "worker-5b6c7d8f9"): ("Deployment", "worker"),
            ("batch", "worker-9f8d7c6b5"): ("Deployment", "worker")}


def workload(p):
    if p["owner_kind"] == "<none>":
        return ("Pod", p["pod"])
    if p["owner_kind"] == "ReplicaSet":
        if (p["ns"], p["owner_name"]) in rs_owner:
            return rs_owner[(p["ns"], p["owner_name"])]
        return ("Deployment", p["owner_name"].rsplit("-", 1)[0])
    return (p["owner_kind"], p["owner_name"])


# Materialise samples: per pod a list of (index, mem_bytes, cpu_ns_counter)
for p in pods:
    samples = []
    counter_ns = rng.randint(10**9, 10**12)
    for i in range(p["first"], p["last"] + 1):
        if p["gap"][0] <= i < p["gap"][1]:
            continue
        if p["oom_at"] is not None and i == p["oom_at"]:
            counter_ns = rng.randint(0, 10**8)  # the restarted container's counter starts again
        else:
            counter_ns += p["cpu"](i) * STEP * 10**6  # millicores over 60 s, in ns
        samples.append((i, p["mem"](i), counter_ns))
    p["samples"] = samples


def lab(p, **extra):
    labels = dict(namespace=p["ns"], pod=p["pod"], container=p["container"], **extra)
    return "{" + ",".join(f'{k}="{v}"' for k, v in labels.items()) + "}"


with open(out_path, "w") as f:
    def family(name, rows):
        f.write(f"# TYPE {name} gauge\n")
        for labels, points in rows:
            for i, value in points:
                f.write(f"{name}{labels} {value} {start_s + i * STEP}\n")

    family("container_memory_working_set_bytes",
           [(lab(p, id="/kubepods/" + p["pod"]), [(i, m) for i, m, _ in p["samples"]]) for p in pods])
    family("container_cpu_usage_seconds_total",
           [(lab(p, id="/kubepods/" + p["pod"]), [(i, f"{c // 10**9}.{c % 10**9:09d}") for i, _, c in p["samples"]])
            for p in pods])
    family("container_oom_events_total",
           [(lab(p), [(i, 1 if p["oom_at"] is not None and i >= p["oom_at"] else 0) for i, _, _ in p["samples"]])
            for p in pods])
    family("kube_pod_container_resource_limits",
           [(lab(p, resource="memory", unit="byte"), [(i, p["limit"]) for i, _, _ in p["samples"]])
            for p in pods if p["limit"]])
    family("kube_pod_container_status_restarts_total",
           [(lab(p), [(i, 1 if p["oom_at"] is not None and i >= p["oom_at"] else 0) for i, _, _ in p["samples"]])
            for p in pods])
    family("kube_pod_container_status_last_terminated_reason",
           [(lab(p, reason="OOMKilled"), [(i, 1 if i >= p["oom_at"] else 0) for i, _, _ in p["samples"]])
            for p in pods if p["oom_at"] is not None])
    family("kube_pod_owner",
           [("{" + f'namespace="{p["ns"]}",pod="{p["pod"]}",owner_kind="{p["owner_kind"]}",'
             f'owner_name="{p["owner_name"]}",owner_is_controller="true"' + "}",
             [(i, 1) for i in range(p["first"], p["last"] + 1, 5)]) for p in pods])
    family("kube_replicaset_owner",
           [("{" + f'namespace="{ns}",replicaset="{rs}",owner_kind="{k}",owner_name="{n}"' + "}",
             [(i, 1) for i in range(0, N, 5)]) for (ns, rs), (k, n) in rs_owner.items()])
    f.write("# EOF\n")


def nearest_rank(values, pct):
    v = sorted(values)
    rank = max(1, min(len(v), math.ceil(pct / 100 * len(v))))
    return v[rank - 1]


groups = {}
for p in pods:
    kind, name = workload(p)
    g = groups.setdefault((p["ns"], kind, name, p["container"]), dict(pods=0, mem=[], cpu=[], limit=None, ooms=0, starts=0))
    g["pods"] += 1
    g["mem"] += [m for _, m, _ in p["samples"]]
    for (i0, _, c0), (i1, _, c1) in zip(p["samples"], p["samples"][1:]):
        if c1 >= c0:
            g["cpu"].append((c1 - c0) * 1000 // ((i1 - i0) * STEP * 10**9))
    if p["limit"]:
        g["limit"] = max(g["limit"] or 0, p["limit"])
    if p["oom_at"] is not None:
        g["ooms"] += 1
        g["starts"] += 1
    g["starts"] += 1  # every instance starts at its first point in the window (as the store stream does)

expected = []
for (ns, kind, name, container), g in sorted(groups.items()):
    expected.append(dict(namespace=ns, kind=kind, name=name, container=container, instances=g["pods"],
                         samples=len(g["mem"]), peak_bytes=max(g["mem"]), p95_bytes=nearest_rank(g["mem"], 95),
                         average_bytes=sum(g["mem"]) // len(g["mem"]), limit_bytes=g["limit"],
                         cpu_samples=len(g["cpu"]), cpu_p95_millicores=nearest_rank(g["cpu"], 95),
                         cpu_peak_millicores=max(g["cpu"]), oom_kills=g["ooms"], starts=g["starts"]))
json.dump(dict(start=start_s, end=END, workloads=expected), open(expected_path, "w"), indent=1)

if len(sys.argv) > 5:
    with open(sys.argv[5], "w") as f:
        for p in pods:
            kind, name = workload(p)
            service = f'{p["ns"]}/{kind}/{name}/{p["container"]}'
            for i, m, c in p["samples"]:
                ooms = 1 if p["oom_at"] is not None and i >= p["oom_at"] else 0
                restart = 1 if p["oom_at"] is not None and i == p["oom_at"] else 0
                f.write(f'{service},{p["pod"]}/{p["container"]},{start_s + i * STEP},{m},{c},{ooms},{p["limit"] or 0},{restart}\n')
