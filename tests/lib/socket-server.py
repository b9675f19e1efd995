#!/usr/bin/python3
# A unix socket server for the tests of entrypoint mode's socket probe:
#   socket-server.py MODE PATH
# MODE: silent  (accepts, never writes)
#       hello   (reads the request, writes "hello\n", closes: neither
#                engine answer; it reads first, as a server does: closed
#                before the client has sent, the client's send would fail)
#       docker  (answers any request as dockerd answers GET /_ping)
#       grpc    (writes an HTTP/2 SETTINGS frame on accept, as gRPC servers do)
#       dgram   (a datagram socket)
# Prints "listening PID" once bound (mode 0666), then serves until killed,
# one connection at a time in its accept loop (ward asks one question per
# connection, one after the other) and, as root, at a raised priority: a
# loaded machine must not turn an answer into the silence ward refuses.
import os, socket, sys, threading

mode, path = sys.argv[1], sys.argv[2]
PING = (b"HTTP/1.0 200 OK\r\nApi-Version: 1.41\r\nOstype: linux\r\n"
        b"Server: Docker/20.10.24 (linux)\r\nContent-Length: 2\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n\r\nOK")
SETTINGS = bytes([0, 0, 6, 4, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0x40, 0])

kind = socket.SOCK_DGRAM if mode == "dgram" else socket.SOCK_STREAM
s = socket.socket(socket.AF_UNIX, kind)
s.bind(path)
os.chmod(path, 0o666)
if kind == socket.SOCK_STREAM:
    s.listen(16)
print("listening", os.getpid(), flush=True)
held = []

def serve(c):
    if mode == "hello":
        c.recv(4096); c.sendall(b"hello\n"); c.close()
    elif mode == "grpc":
        c.sendall(SETTINGS); held.append(c)
    elif mode == "docker":
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = c.recv(4096)
            if not chunk:
                break
            data += chunk
        if data.startswith(b"GET /_ping"):
            c.sendall(PING)
        else:
            c.sendall(b"HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n")
        c.close()
    else:
        held.append(c)

if kind == socket.SOCK_DGRAM:
    threading.Event().wait()
try:
    os.nice(-10)
except OSError:
    pass
while True:
    c, _ = s.accept()
    c.settimeout(5)  # a client that never sends holds up no other
    try:
        serve(c)
    except OSError:
        c.close()
