#!/usr/bin/env python3
"""Misbehaving Prometheus-API peers on 127.0.0.1 for prometheus_history_test.sh.

The first path segment picks the behaviour (stackfit is given
http://127.0.0.1:PORT/<mode> as its --prometheus URL):
  hang      accepts the connection, reads the request, never answers
  error422  HTTP 422 with Prometheus' error JSON
  status    HTTP 200 whose body says "status":"error"
  deep      HTTP 200, JSON nested 100,000 levels deep
  types     HTTP 200, a matrix whose values have the wrong types
  robject   HTTP 200, a matrix whose "result" is an object, not an array
  rstring   HTTP 200, a matrix whose "result" is a string
  vector    HTTP 200, resultType "vector" (an instant query's answer)
  noresult  HTTP 200, "data" without "result"
  huge      HTTP 200, a body of 80 MB (one 80 MB string)
  warn      HTTP 200, an empty matrix with a partial-data warning
  flaky     HTTP 503 for the first 2 requests, then empty matrices
  e400      HTTP 400 bad_data (never retried)
Prints the port on stdout, then serves until killed.
"""
import socket
import sys
import threading

EMPTY = b'{"status":"success","data":{"resultType":"matrix","result":[]}}'
BODIES = {
    "error422": (422, b'{"status":"error","errorType":"execution","error":"query processing would load too many samples into memory"}'),
    "status": (200, b'{"status":"error","errorType":"timeout","error":"query timed out in expression evaluation"}'),
    "deep": (200, b'{"status":"success","data":{"junk":' + b"[" * 100000),
    "types": (200, b'{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"pod":"p"},"values":[["x",1]]}]}}'),
    "robject": (200, b'{"status":"success","data":{"resultType":"matrix","result":{"metric":{"pod":"p"},"values":[]}}}'),
    "rstring": (200, b'{"status":"success","data":{"resultType":"matrix","result":"[]"}}'),
    "vector": (200, b'{"status":"success","data":{"resultType":"vector","result":[{"metric":{"pod":"p"},"value":[1,"1"]}]}}'),
    "noresult": (200, b'{"status":"success","data":{"resultType":"matrix"}}'),
    "warn": (200, b'{"status":"success","data":{"resultType":"matrix","result":[]},"warnings":["partial response: store 10.0.0.7:10901 unavailable"]}'),
    "e400": (400, b'{"status":"error","errorType":"bad_data","error":"invalid parameter \\"query\\": 1:1: parse error"}'),
}
flaky_count = [0]
lock = threading.Lock()


def answer(conn, status, body):
    reason = {200: "OK", 400: "Bad Request", 422: "Unprocessable Entity", 503: "Service Unavailable"}[status]
    head = f"HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    conn.sendall(head.encode() + body)


def serve(conn):
    try:
        request = b""
        while b"\r\n\r\n" not in request:
            chunk = conn.recv(65536)
            if not chunk:
                return
            request += chunk
        path = request.split(b" ", 2)[1].decode()
        mode = path.strip("/").split("/")[0]
        if mode == "hang":
            threading.Event().wait(3600)
            return
        if mode == "huge":
            size = 80 * 1024 * 1024
            conn.sendall(f"HTTP/1.1 200 OK\r\nContent-Length: {size}\r\nConnection: close\r\n\r\n".encode())
            conn.sendall(b'{"status":"' + b"x" * (size - 13) + b'"}')
            return
        if mode == "flaky":
            with lock:
                flaky_count[0] += 1
                n = flaky_count[0]
            if n <= 2:
                answer(conn, 503, b"upstream busy")
            else:
                answer(conn, 200, EMPTY)
            return
        status, body = BODIES.get(mode, (404, b"not found"))
        answer(conn, status, body)
    except OSError:
        pass
    finally:
        conn.close()


listener = socket.socket()
listener.bind(("127.0.0.1", 0))
listener.listen(64)
print(listener.getsockname()[1], flush=True)
while True:
    c, _ = listener.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
