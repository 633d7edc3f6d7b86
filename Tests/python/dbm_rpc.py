"""A minimal JSON-RPC 2.0 client for dbm-server over stdio, standard library only.

It speaks the LSP base protocol (Content-Length framing) by default, or newline-delimited JSON.
Used by the pytest suite; also an example of driving dbm from another language.
"""
import json
import os
import subprocess
import threading
import queue


class RpcError(Exception):
    def __init__(self, error):
        super().__init__(error.get("message"))
        self.code = error.get("code")
        self.message = error.get("message")
        self.data = error.get("data")


class DbmServer:
    def __init__(self, binary=None, framing="content-length", args=(), env=None, preexec_fn=None):
        binary = binary or os.environ.get("DBM_SERVER", "dbm-server")
        self.framing = framing
        self.proc = subprocess.Popen(
            [binary, *args],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env={**os.environ, **(env or {})},
            preexec_fn=preexec_fn,
        )
        self.next_id = 0
        self.responses = {}
        self.notifications = queue.Queue()
        self.cond = threading.Condition()
        self.stderr_lines = []
        self.closed = False
        threading.Thread(target=self._read_stdout, daemon=True).start()
        threading.Thread(target=self._read_stderr, daemon=True).start()

    # -- transport ---------------------------------------------------------------------------------
    def send_raw(self, data: bytes):
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def send(self, message):
        body = json.dumps(message).encode()
        if self.framing == "content-length":
            self.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        else:
            self.send_raw(body + b"\n")

    def _read_message(self):
        out = self.proc.stdout
        if self.framing == "content-length":
            length = None
            while True:
                line = out.readline()
                if not line:
                    return None
                line = line.strip()
                if not line:
                    break
                name, _, value = line.decode().partition(":")
                if name.lower() == "content-length":
                    length = int(value.strip())
            return json.loads(out.read(length))
        line = out.readline()
        return json.loads(line) if line else None

    def _read_stdout(self):
        while True:
            try:
                message = self._read_message()
            except Exception as exc:  # a protocol violation by the server is a test failure
                message = {"__invalid__": repr(exc)}
            if message is None:
                break
            with self.cond:
                if isinstance(message, list) or "id" in message:
                    key = "batch" if isinstance(message, list) else json.dumps(message.get("id"))
                    self.responses.setdefault(key, []).append(message)
                    self.cond.notify_all()
                else:
                    self.notifications.put(message)
        with self.cond:
            self.closed = True
            self.cond.notify_all()

    def _read_stderr(self):
        for line in self.proc.stderr:
            self.stderr_lines.append(line.decode(errors="replace"))

    def wait_response(self, key, timeout=60):
        key = key if key == "batch" else json.dumps(key)
        with self.cond:
            ok = self.cond.wait_for(lambda: self.responses.get(key) or self.closed, timeout)
            if not self.responses.get(key):
                raise TimeoutError(f"no response for {key} (closed={self.closed}, ok={ok})")
            return self.responses[key].pop(0)

    # -- JSON-RPC ----------------------------------------------------------------------------------
    def request_async(self, method, params=None, id=None):
        if id is None:
            self.next_id += 1
            id = self.next_id
        message = {"jsonrpc": "2.0", "id": id, "method": method}
        if params is not None:
            message["params"] = params
        self.send(message)
        return id

    def request(self, method, params=None, timeout=120):
        response = self.wait_response(self.request_async(method, params), timeout)
        if "error" in response:
            raise RpcError(response["error"])
        return response["result"]

    def notify(self, method, params=None):
        message = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            message["params"] = params
        self.send(message)

    def initialize(self):
        return self.request("initialize", {"processId": os.getpid(), "clientInfo": {"name": "pytest"}, "capabilities": {}})

    def shutdown_and_exit(self, timeout=30):
        self.request("shutdown")
        self.notify("exit")
        return self.proc.wait(timeout)

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
