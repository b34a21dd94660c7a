#!/usr/bin/env python3
"""Compose peer comparison: docker-compose 1.29 `config` vs `stackfit inspect`.

Called by compose_peer_test.sh with <stackfit-binary> <corpus-dir>. Each case
copies corpus files into a temporary project folder (never touching the
corpus), lets docker-compose fix-ups create only what it refuses to run
without (empty build folders, empty env files), then compares per active
service: replicas, memory request/limit (bytes) and CPU request/limit
(millicores). docker-compose 1.29 prints services of inactive profiles too,
so its output is filtered by the same profiles here.
"""
import decimal
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile

import yaml

TIMEOUT_S = 120
MAX_FIXUPS = 40  # bounded retries: each one creates one missing folder/file

ZABBIX_STUB = ("services:\n  selenium: {image: selenium}\n  selenium-chrome: {image: chrome}\n"
               "  selenium-firefox: {image: firefox}\n")

# folder: corpus sub-folder; files: -f files in order; copies: other files the
# project needs; dotenv: corpus file copied as <project>/.env; stubs: files
# absent from the corpus, written with the given text; profiles: sets to try.
CASES = [
    dict(name="minecraft", folder="docker__awesome-compose", files=["minecraft__compose.yaml"]),
    dict(name="sentry", folder="getsentry__self-hosted", files=["docker-compose.yml"], dotenv=".env",
         profiles=[["feature-complete"], ["errors-only"]], compat=True),
    dict(name="docker-elk", folder="deviantony__docker-elk", files=["docker-compose.yml"],
         profiles=[[], ["setup"]]),
    dict(name="elasticsearch", folder="elastic__elasticsearch",
         files=["docs__reference__setup__install__docker__docker-compose.yml"],
         dotenv="docs__reference__setup__install__docker__.env"),
    dict(name="otel-demo", folder="open-telemetry__opentelemetry-demo", files=["compose.yaml"], dotenv=".env"),
    dict(name="otel-demo full", folder="open-telemetry__opentelemetry-demo",
         files=["compose.yaml", "compose.full.yaml"], dotenv=".env"),
    dict(name="otel-demo observability", folder="open-telemetry__opentelemetry-demo",
         files=["compose.yaml", "compose.full.yaml", "compose.observability.yaml"], dotenv=".env"),
    dict(name="netbox", folder="netbox-community__netbox-docker", files=["docker-compose.yml"]),
    dict(name="netbox override", folder="netbox-community__netbox-docker",
         files=["docker-compose.yml", "docker-compose.override.yml.example"]),
    dict(name="immich", folder="immich-app__immich", files=["docker__docker-compose.yml"], compat=True,
         env={"EXPOSE_PORT": "2283:2283"}),
    dict(name="swarmprom", folder="stefanprodan__swarmprom", files=["docker-compose.yml"]),
    dict(name="zabbix", folder="zabbix__zabbix-docker", files=["docker-compose_v3_alpine_mysql_latest.yaml"],
         copies=["compose_zabbix_components.yaml", "compose_databases.yaml"], dotenv=".env",
         stubs={"compose_additional_components.yaml": ZABBIX_STUB}, profiles=[[], ["all"]], compat=True),
    dict(name="signoz", folder="SigNoz__signoz", files=["deploy__docker__docker-compose.yaml"]),
    dict(name="mattermost", folder="mattermost__docker", files=["docker-compose.yml"], dotenv="env.example"),
    dict(name="airflow", folder="apache__airflow",
         files=["airflow-core__docs__howto__docker-compose__docker-compose.yaml"], profiles=[[], ["flower", "debug"]]),
]

# Compose files compared only through another case, or not comparable alone.
COVERED_ELSEWHERE = {
    "zabbix__zabbix-docker/compose_zabbix_components.yaml": "extends target of the zabbix entry file",
    "zabbix__zabbix-docker/compose_databases.yaml": "extends target of the zabbix entry file",
    "immich-app__immich/docker__hwaccel.ml.yml":
        "extends target only: services such as `cpu: {}` have no image, so both tools refuse it alone",
}

# Newer Compose-spec fields that docker-compose 1.29 refuses and that do not
# touch sizing. With compat=True both tools read a copy without them (PyYAML
# re-dump: anchors and merge keys come out expanded, values unchanged).
def strip_for_1_29(doc):
    doc.pop("name", None)
    for svc in (doc.get("services") or {}).values():
        if not isinstance(svc, dict):
            continue
        deps = svc.get("depends_on")
        if isinstance(deps, dict):
            for dep in deps.values():
                if isinstance(dep, dict):
                    dep.pop("restart", None)
                    dep.pop("required", None)
        for key in ("attach", "develop", "post_start", "pre_stop", "gpus", "models", "provider", "label_file"):
            svc.pop(key, None)
        env_files = svc.get("env_file")
        if isinstance(env_files, list):  # long syntax: the path (a missing one is created empty)
            svc["env_file"] = [e["path"] if isinstance(e, dict) else e for e in env_files]
        for port in svc.get("ports") or []:
            if isinstance(port, dict):
                port.pop("name", None)
                port.pop("app_protocol", None)
    return doc


FIXUPS = [
    (re.compile(r"build path (\S+) either does not exist"), "folder"),
    (re.compile(r"Couldn't find env file: (\S+)"), "file"),
    (re.compile(r"Error reading seccomp profile: .*No such file or directory: '([^']+)'"), "json"),
]


def go_ram_in_bytes(value):
    """go-units RAMInBytes: <number>[ ][kmgtp][i][b], base 1024, truncated."""
    if isinstance(value, bool):
        raise ValueError("boolean byte value %r" % value)
    if isinstance(value, (int, float)):
        return int(value)
    m = re.fullmatch(r"\s*([0-9.]+(?:[eE][+-]?[0-9]+)?)\s*([kKmMgGtTpP]?)([iI]?[bB]?)\s*", str(value))
    if not m:
        raise ValueError("invalid byte value %r" % value)
    unit = 1024 ** ("kmgtp".index(m.group(2).lower()) + 1) if m.group(2) else 1
    return int(decimal.Decimal(m.group(1)) * unit)


def millicores(value):
    return int(math.ceil(decimal.Decimal(str(value)) * 1000))


def non_zero(v):
    return None if v in (None, 0) else v


def expected_values(svc):
    """What docker-compose's normalised service says, in stackfit's units."""
    deploy = svc.get("deploy") or {}
    res = deploy.get("resources") or {}
    limits = res.get("limits") or {}
    reservations = res.get("reservations") or {}

    def mem(legacy, section):
        raw = svc.get(legacy, section.get("memory"))
        return non_zero(None if raw is None else go_ram_in_bytes(raw))

    cpu_limit = None
    if svc.get("cpus") is not None:
        cpu_limit = millicores(svc["cpus"])
    elif limits.get("cpus") is not None:
        cpu_limit = millicores(limits["cpus"])
    elif svc.get("cpu_quota") and int(svc["cpu_quota"]) > 0:
        period = int(svc.get("cpu_period") or 100000)
        cpu_limit = -(-int(svc["cpu_quota"]) * 1000 // period)
    cpu_request = millicores(reservations["cpus"]) if reservations.get("cpus") is not None else None
    replicas = svc.get("scale", deploy.get("replicas", 1))
    return {
        "replicas": int(replicas),
        "memory.request_bytes": mem("mem_reservation", reservations),
        "memory.limit_bytes": mem("mem_limit", limits),
        "cpu.request_millicores": non_zero(cpu_request),
        "cpu.limit_millicores": non_zero(cpu_limit),
    }


def actual_values(svc):
    return {
        "replicas": svc["replicas"],
        "memory.request_bytes": svc["memory"]["request_bytes"],
        "memory.limit_bytes": svc["memory"]["limit_bytes"],
        "cpu.request_millicores": svc["cpu"]["request_millicores"],
        "cpu.limit_millicores": svc["cpu"]["limit_millicores"],
    }


def is_active(svc, profiles):
    own = svc.get("profiles") or []
    return not own or "*" in profiles or any(p in profiles for p in own)


def clean_environment(extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("COMPOSE_")}
    env.pop("DOCKER_HOST", None)
    env.update(extra)
    return env


def prepare_project(case, corpus):
    project = tempfile.mkdtemp(prefix="stackfit-compose-peer-")
    os.chmod(project, 0o755)
    src = os.path.join(corpus, case["folder"])
    for name in case["files"] + case.get("copies", []):
        shutil.copyfile(os.path.join(src, name), os.path.join(project, name))
    if case.get("dotenv"):
        shutil.copyfile(os.path.join(src, case["dotenv"]), os.path.join(project, ".env"))
    if case.get("compat"):
        for name in case["files"] + case.get("copies", []):
            path = os.path.join(project, name)
            with open(path) as f:
                doc = strip_for_1_29(yaml.safe_load(f))
            with open(path, "w") as f:
                yaml.safe_dump(doc, f, default_flow_style=False, sort_keys=False)
    for name, text in case.get("stubs", {}).items():
        with open(os.path.join(project, name), "w") as f:
            f.write(text)
    return project


def run(cmd, cwd, extra_env):
    return subprocess.run(cmd, cwd=cwd, env=clean_environment(extra_env), capture_output=True, text=True,
                          timeout=TIMEOUT_S)


def docker_compose_config(project, files, profiles, extra_env):
    """docker-compose config, creating missing build folders / env files."""
    cmd = ["docker-compose"]
    for p in profiles:
        cmd += ["--profile", p]
    for f in files:
        cmd += ["-f", os.path.join(project, f)]
    cmd += ["config"]
    for _ in range(MAX_FIXUPS):
        proc = run(cmd, project, extra_env)
        if proc.returncode == 0:
            return yaml.safe_load(proc.stdout), None
        for pattern, kind in FIXUPS:
            m = pattern.search(proc.stderr)
            if m:
                path = os.path.join(project, m.group(1))
                if not os.path.realpath(path).startswith(os.path.realpath(project) + os.sep):
                    return None, "docker-compose wants %s outside the project" % m.group(1)
                if kind == "folder":
                    os.makedirs(path, exist_ok=True)
                else:
                    os.makedirs(os.path.dirname(path), exist_ok=True)
                    with open(path, "a") as f:
                        f.write("{}" if kind == "json" else "")
                break
        else:
            lines = [l for l in proc.stderr.strip().splitlines() if l.strip()]
            return None, "docker-compose config refused it: " + (lines[-1] if lines else "exit %d" % proc.returncode)
    return None, "more than %d missing folders/files" % MAX_FIXUPS


def stackfit_inspect(stackfit, project, files, profiles, extra_env):
    cmd = [stackfit, "inspect", "--format", "json"]
    for f in files:
        cmd += ["-f", os.path.join(project, f)]
    for p in profiles:
        cmd += ["--profile", p]
    proc = run(cmd, project, extra_env)
    if proc.returncode != 0:
        return None, proc.stderr.strip()
    return json.loads(proc.stdout), None


def compare(label, expected_services, report):
    """Returns (services compared, mismatches) and prints each mismatch."""
    mismatches = 0
    theirs = {name: expected_values(svc) for name, svc in expected_services.items()}
    ours = {svc["name"]: actual_values(svc) for svc in report["services"]}
    for name in sorted(set(theirs) ^ set(ours)):
        where = "only in docker-compose" if name in theirs else "only in stackfit"
        print("MISMATCH %s: service %s %s" % (label, name, where))
        mismatches += 1
    for name in sorted(set(theirs) & set(ours)):
        for field, value in theirs[name].items():
            if ours[name][field] != value:
                print("MISMATCH %s: %s %s: docker-compose %r, stackfit %r" % (label, name, field, value,
                                                                             ours[name][field]))
                mismatches += 1
    declared = sum(1 for n in set(theirs) & set(ours) for f, v in theirs[n].items()
                   if v is not None and f != "replicas")
    return len(set(theirs) & set(ours)), declared, mismatches


def compose_files_in_corpus(corpus):
    out = []
    for folder in sorted(os.listdir(corpus)):
        path = os.path.join(corpus, folder)
        if not os.path.isdir(path):
            continue
        for name in sorted(os.listdir(path)):
            try:
                with open(os.path.join(path, name)) as f:
                    doc = yaml.safe_load(f)
            except Exception:  # not YAML, several documents (Kubernetes), ...
                continue
            if isinstance(doc, dict) and "services" in doc:
                out.append(folder + "/" + name)
    return out


def run_case(case, profiles, stackfit, corpus, totals):
    label = case["name"] + (" --profile " + ",".join(profiles) if profiles else "")
    project = prepare_project(case, corpus)
    try:
        config, why = docker_compose_config(project, case["files"], profiles, case.get("env", {}))
        if config is None:
            totals["skipped"].append((label, why))
            return
        report, err = stackfit_inspect(stackfit, project, case["files"], profiles, case.get("env", {}))
        if report is None:
            print("MISMATCH %s: docker-compose accepts it, stackfit refuses: %s" % (label, err))
            totals["mismatches"] += 1
            return
        active = {n: s for n, s in (config.get("services") or {}).items() if is_active(s, profiles)}
        count, declared, bad = compare(label, active, report)
        totals["runs"] += 1
        totals["services"] += count
        totals["declared"] += declared
        totals["mismatches"] += bad
        print("ok   %s: %d services%s" % (label, count, "" if not bad else ", %d mismatches" % bad))
    finally:
        shutil.rmtree(project, ignore_errors=True)


def main():
    stackfit, corpus = os.path.abspath(sys.argv[1]), sys.argv[2]
    totals = {"runs": 0, "services": 0, "declared": 0, "mismatches": 0, "skipped": []}
    covered = set()
    for case in CASES:
        covered.update(case["folder"] + "/" + f for f in case["files"] + case.get("copies", []))
        for profiles in case.get("profiles", [[]]):
            run_case(case, profiles, stackfit, corpus, totals)
    for path in compose_files_in_corpus(corpus):
        if path in COVERED_ELSEWHERE:
            totals["skipped"].append((path, COVERED_ELSEWHERE[path]))
        elif path not in covered:
            totals["skipped"].append((path, "no comparison case written for it"))
    for what, why in totals["skipped"]:
        print("skipped %s: %s" % (what, why))
    print("compose peer: %d files compared, %d services, %d declared memory/cpu values, %d mismatches, "
          "%d skipped" % (totals["runs"], totals["services"], totals["declared"], totals["mismatches"],
                          len(totals["skipped"])))
    return 1 if totals["mismatches"] else 0


if __name__ == "__main__":
    sys.exit(main())
