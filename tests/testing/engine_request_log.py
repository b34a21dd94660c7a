#!/usr/bin/env python3
"""A logging pass-through in front of a real engine socket, for tests.

usage: engine_request_log.py LISTEN_SOCKET ENGINE_SOCKET LOG_FILE [--before-first-delete CMD]

Accepts connections on LISTEN_SOCKET, forwards every byte both ways to
ENGINE_SOCKET unchanged, and appends "METHOD /path" of each HTTP request line
the client sends to LOG_FILE (so a test can assert which requests a command
made). With --before-first-delete, CMD (run with sh -c) runs once, right
before the first DELETE request is forwarded: a test makes the real engine
refuse that request (e.g. by starting a container that mounts the volume
about to be removed). Stops when killed (by its pid); loops are bounded by
the connections' own lifetimes. Local unix sockets only.
"""
import os
import re
import socket
import subprocess
import sys
import threading

REQUEST_LINE = re.compile(rb"^(GET|HEAD|POST|PUT|DELETE|PATCH|OPTIONS) (\S+) HTTP/1\.[01]\r?$")


def main():
    listen_path, engine_path, log_path = sys.argv[1:4]
    hook = None
    if len(sys.argv) > 5 and sys.argv[4] == "--before-first-delete":
        hook = sys.argv[5]
    state = {"hook": hook}
    lock = threading.Lock()
    if os.path.exists(listen_path):
        os.unlink(listen_path)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(listen_path)
    server.listen(16)
    while True:
        client, _ = server.accept()
        threading.Thread(target=serve, args=(client, engine_path, log_path, state, lock), daemon=True).start()


def serve(client, engine_path, log_path, state, lock):
    engine = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    engine.connect(engine_path)
    threading.Thread(target=pump, args=(engine, client), daemon=True).start()
    pending = b""
    while True:
        data = client.recv(65536)
        if not data:
            break
        pending += data
        # Log each complete request line seen at the start of a line.
        lines = pending.split(b"\n")
        pending = lines.pop()[-65536:]
        for line in lines:
            match = REQUEST_LINE.match(line)
            if not match:
                continue
            with lock:
                with open(log_path, "ab") as log:
                    log.write(match.group(1) + b" " + match.group(2) + b"\n")
                if match.group(1) == b"DELETE" and state["hook"]:
                    subprocess.run(["sh", "-c", state["hook"]], check=False, timeout=60)
                    state["hook"] = None
        engine.sendall(data)
    engine.shutdown(socket.SHUT_WR)


def pump(source, sink):
    try:
        while True:
            data = source.recv(65536)
            if not data:
                break
            sink.sendall(data)
    except OSError:
        pass
    try:
        sink.shutdown(socket.SHUT_WR)
    except OSError:
        pass


if __name__ == "__main__":
    main()
