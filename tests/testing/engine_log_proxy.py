#!/usr/bin/env python3
"""A logging proxy for the engine socket: listens on a unix socket, forwards
every connection byte for byte to the real engine socket, and writes the
request line of every HTTP request the client sends (keep-alive and pipelined
requests included) to a log file, one line each, flushed at once.

usage: engine_log_proxy.py LISTEN_SOCKET ENGINE_SOCKET LOG_FILE

Requests are framed as HTTP/1.1 frames them: a request line, headers up to an
empty line, then a body of Content-Length bytes, or chunks under
Transfer-Encoding: chunked. A stream that cannot be framed (a broken header,
a protocol upgrade) logs one "UNPARSED ..." line and is then only forwarded,
so the test that reads the log fails rather than misses a request. Answers
are forwarded untouched. Runs until killed; each connection is two threads.
"""
import socket
import sys
import threading

k_max_head_bytes = 1 << 20


class RequestLog:
    def __init__(self, path):
        self.file = open(path, "a", buffering=1)
        self.lock = threading.Lock()

    def write(self, line):
        with self.lock:
            self.file.write(line + "\n")


class RequestFramer:
    """Feeds client bytes in; logs each request line it completes."""

    def __init__(self, log):
        self.log = log
        self.buf = b""
        self.body_left = 0       # bytes of a Content-Length body still to skip
        self.chunked = False     # inside a chunked body
        self.broken = False

    def feed(self, data):
        if self.broken:
            return
        self.buf += data
        while self.step():
            pass

    def step(self):
        if self.body_left:
            n = min(self.body_left, len(self.buf))
            self.buf, self.body_left = self.buf[n:], self.body_left - n
            return bool(self.buf)
        if self.chunked:
            return self.skip_chunk()
        end = self.buf.find(b"\r\n\r\n")
        if end < 0:
            if len(self.buf) > k_max_head_bytes:
                self.give_up("head larger than 1 MiB")
            return False
        head, self.buf = self.buf[:end].decode("latin-1"), self.buf[end + 4:]
        lines = head.split("\r\n")
        self.log.write(lines[0])
        headers = {}
        for line in lines[1:]:
            name, sep, value = line.partition(":")
            if not sep:
                self.give_up("header without colon: " + line[:80])
                return False
            headers[name.strip().lower()] = value.strip()
        if "upgrade" in headers.get("connection", "").lower():
            self.give_up("protocol upgrade")
            return False
        if headers.get("transfer-encoding", "").lower() == "chunked":
            self.chunked = True
        elif headers.get("content-length", "0").isdigit():
            self.body_left = int(headers.get("content-length", "0"))
        else:
            self.give_up("Content-Length " + headers["content-length"][:40])
            return False
        return bool(self.buf) or self.chunked

    def skip_chunk(self):
        end = self.buf.find(b"\r\n")
        if end < 0:
            return False
        size_text = self.buf[:end].split(b";")[0].strip()
        try:
            size = int(size_text, 16)
        except ValueError:
            self.give_up("chunk size " + size_text[:40].decode("latin-1"))
            return False
        if size == 0:  # last chunk; no trailers are sent by the clients we log
            if len(self.buf) < end + 4:
                return False
            self.buf, self.chunked = self.buf[end + 4:], False
            return bool(self.buf)
        if len(self.buf) < end + 2 + size + 2:
            return False
        self.buf = self.buf[end + 2 + size + 2:]
        return bool(self.buf)

    def give_up(self, why):
        self.log.write("UNPARSED " + why)
        self.broken = True


def pump(src, dst, framer):
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            if framer:
                framer.feed(data)
            dst.sendall(data)
    except OSError:
        pass
    for s in (dst, src):
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def serve(client, engine_path, log):
    upstream = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        upstream.connect(engine_path)
    except OSError as e:
        log.write("UPSTREAM " + str(e))
        client.close()
        return
    threading.Thread(target=pump, args=(upstream, client, None), daemon=True).start()
    pump(client, upstream, RequestFramer(log))


def main():
    listen_path, engine_path, log_path = sys.argv[1:4]
    log = RequestLog(log_path)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(listen_path)
    server.listen(64)
    while True:
        client, _ = server.accept()
        threading.Thread(target=serve, args=(client, engine_path, log), daemon=True).start()


if __name__ == "__main__":
    main()
