#!/usr/bin/env python3
"""Writes the seed corpus of every fuzzer (docs/fuzzing.md) into OUT/<name>/.

    make_seeds.py SOURCE_ROOT OUT

Seeds come from what the tests already use, read where they live at build
time, so nothing is copied into the repository: the string literals of the
parsers' *_test.cpp files (adjacent literals joined, escapes decoded),
tests/fixtures/, examples/, the fenced blocks of docs/, and the shared corpus
(SOURCE_ROOT/../shared/corpus) when it is there. Each seed is one file named
by the SHA-1 of its bytes; the folder is rewritten on every run.
"""
import hashlib
import pathlib
import re
import shutil
import sys

MAX_SEED_BYTES = 16384  # the fuzzers' -max_len (fuzz/run_fuzzer.sh)
FILE_SEPARATOR = b"\n#--- next file ---\n"  # fuzz_support.hpp's k_file_separator


def string_literals(path):
    """Every run of adjacent C++ string literals in `path`, decoded to bytes."""
    text = path.read_text(encoding="utf-8", errors="replace")
    runs, current, i, n = [], None, 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            i = text.find("\n", i)
            i = n if i < 0 else i
        elif text.startswith("/*", i):
            i = text.find("*/", i + 2)
            i = n if i < 0 else i + 2
        elif c == "'" and not (i > 0 and (text[i - 1].isalnum())):
            j = i + 1
            while j < n and text[j] != "'":
                j += 2 if text[j] == "\\" else 1
            i = j + 1
        elif m := re.compile(r'(?:u8|u|U|L)?R"([^(\s]*)\(').match(text, i):
            end = text.find(")" + m.group(1) + '"', m.end())
            end = n if end < 0 else end
            current = (current or b"") + text[m.end():end].encode()
            i = end + len(m.group(1)) + 2
            continue
        elif m := re.compile(r'(?:u8|u|U|L)?"').match(text, i):
            j, raw = m.end(), []
            while j < n and text[j] != '"':
                if text[j] == "\\" and j + 1 < n:
                    raw.append(text[j:j + 2])
                    j += 2
                else:
                    raw.append(text[j])
                    j += 1
            current = (current or b"") + decode_escapes("".join(raw))
            i = j + 1
            continue
        elif c.isspace():
            i += 1
            continue
        else:
            i += 1
        if current is not None:
            runs.append(current)
            current = None
    if current is not None:
        runs.append(current)
    return runs


def decode_escapes(body):
    out, i = bytearray(), 0
    simple = {"n": 10, "t": 9, "r": 13, "0": 0, "\\": 92, '"': 34, "'": 39, "a": 7, "b": 8, "f": 12, "v": 11}
    while i < len(body):
        if body[i] != "\\" or i + 1 >= len(body):
            out += body[i].encode()
            i += 1
            continue
        e = body[i + 1]
        if e == "x":
            m = re.match(r"[0-9a-fA-F]{1,2}", body[i + 2:])
            out.append(int(m.group(0), 16) if m else 0)
            i += 2 + (len(m.group(0)) if m else 0)
        elif e in "01234567":
            m = re.match(r"[0-7]{1,3}", body[i + 1:])
            out.append(int(m.group(0), 8) & 0xFF)
            i += 1 + len(m.group(0))
        else:
            out.append(simple.get(e, ord(e) & 0xFF))
            i += 2
    return bytes(out)


def fenced_blocks(path, language):
    blocks = re.findall(r"```" + language + r"\n(.*?)```", path.read_text(encoding="utf-8"), re.S)
    return [b.encode() for b in blocks]


def files(root, pattern, contains=None):
    out = []
    for p in sorted(root.glob(pattern)):
        if p.is_file():
            data = p.read_bytes()
            if contains is None or any(c in data for c in contains):
                out.append(data)
    return out


def tests_literals(src, names, min_bytes):
    out = []
    for name in names:
        for p in sorted(src.glob("src/**/" + name)):
            out += [s for s in string_literals(p) if len(s) >= min_bytes]
    return out


def seeds(src, shared):
    compose_markers = [b"services:"]
    compose = (tests_literals(src, ["compose_loader_test.cpp", "compose_merge_test.cpp",
                                    "compose_field_readers_test.cpp", "yaml_parser_test.cpp"], 8)
               + files(src, "examples/**/*.y*ml", compose_markers)
               + files(shared, "real/**/*.y*ml", compose_markers))
    compose = [c for c in compose if b":" in c]
    merge = [a + FILE_SEPARATOR + b for a, b in zip(compose, compose[1:] + compose[:1])]
    engine_json = (files(src, "tests/fixtures/engine/**/*.json") + files(src, "tests/fixtures/engine/**/*.jsonl")
                   + tests_literals(src, ["engine_json_test.cpp", "event_feed_test.cpp"], 2))
    bodies = engine_json[:8] or [b"{}"]
    http_answers = tests_literals(src, ["engine_http_test.cpp", "engine_client_test.cpp"], 8)
    for body in bodies:
        http_answers.append(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s"
                            % (len(body), body))
        chunks = b"".join(b"%x\r\n%s\r\n" % (len(line) + 1, line + b"\n") for line in body.split(b"\n") if line)
        http_answers.append(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks + b"0\r\n\r\n")
        http_answers.append(b"HTTP/1.0 404 Not Found\r\nConnection: close\r\n\r\n" + body)
    csv = tests_literals(src, ["usage_csv_reader_test.cpp"], 4) + [
        head(data, 200) for data in files(shared, "traces/**/*.csv")]
    return {
        "compose_file": compose,
        "compose_merge": merge,
        "env_interpolation": (files(src, "tests/fixtures/compose/*.env") + files(src, "examples/**/.env")
                              + tests_literals(src, ["compose_env_file_test.cpp",
                                                     "compose_interpolation_test.cpp"], 2)
                              + files(shared, "real/**/*.env") + files(shared, "real/**/*.example")),
        "kube_manifest": (files(src, "tests/fixtures/kube/**/*.y*ml") + files(src, "examples/**/*.y*ml", [b"kind:"])
                          + tests_literals(src, ["kube_loader_test.cpp", "kube_loader_errors_test.cpp",
                                                 "pod_resources_test.cpp"], 8)
                          + files(shared, "real/**/*.y*ml", [b"apiVersion"])),
        "quantity_duration": [s for s in tests_literals(src, ["quantity_test.cpp", "duration_test.cpp"], 1)
                              if len(s) <= 64],
        "engine_json": engine_json,
        "engine_http": http_answers,
        "http_request": tests_literals(src, ["http_request_test.cpp", "metrics_server_test.cpp"], 4),
        "prometheus_json": (tests_literals(src, ["prometheus_json_test.cpp", "prometheus_fold_test.cpp"], 2)
                            + fenced_blocks(src / "docs/prometheus.md", "json")),
        "recommend_json": (tests_literals(src, ["recommend_json_reader_test.cpp"], 2)
                           + fenced_blocks(src / "docs/recommend-json.md", "json")),
        "machine_catalog": (tests_literals(src, ["machine_catalog_test.cpp"], 4)
                            + fenced_blocks(src / "docs/machines.md", "yaml")),
        # Whole fixture logs, each of their lines, and the test's literal lines.
        "kernel_oom_log": kernel_log_seeds(src),
        # Cgroup paths, log folder and link names, pod names: the tests' literals and the fixture node's paths.
        "kube_node_names": kube_node_seeds(src),
        # The first byte chooses the chunk size (usage_csv_fuzzer.cpp): 64 bytes.
        "usage_csv": [b"?" + s for s in csv],
    }


def kernel_log_seeds(src):
    logs = files(src, "tests/fixtures/kernel-log/*.txt")
    lines = [line for log in logs for line in log.split(b"\n") if line.strip()]
    return logs + lines + tests_literals(src, ["kernel_oom_parser_test.cpp"], 4)


def kube_node_seeds(src):
    node = src / "tests/fixtures/kube-node"
    paths = sorted("/" + str(p.relative_to(base)) for base in (node / "systemd-v2", node / "cgroupfs-v1/memory")
                   if base.is_dir() for p in base.rglob("*") if p.is_dir())
    names = sorted(p.name for p in (node / "var-log").rglob("*")) if node.is_dir() else []
    literals = tests_literals(src, ["kube_cgroup_path_test.cpp", "kube_pod_logs_test.cpp",
                                    "kube_pod_owner_test.cpp"], 2)
    return [p.encode() for p in paths + names] + literals + [("\n".join(paths)).encode()]


def head(data, lines):
    return b"\n".join(data.split(b"\n")[:lines]) + b"\n"


def main():
    src, out = pathlib.Path(sys.argv[1]).resolve(), pathlib.Path(sys.argv[2])
    shared = src.parent / "shared" / "corpus"
    if not shared.is_dir():
        print(f"fuzz seeds: {shared} absent, seeding from the repository only", file=sys.stderr)
    for name, items in seeds(src, shared).items():
        folder = out / name
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        for data in items:
            data = data[:MAX_SEED_BYTES]
            (folder / hashlib.sha1(data).hexdigest()).write_bytes(data)
        if not items:
            sys.exit(f"fuzz seeds: no seed found for {name}")


if __name__ == "__main__":
    main()
