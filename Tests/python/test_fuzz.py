"""Seeded random-input tests of the protocol decoder and method-parameter decoding.

Every input must end in a response or a clean close: no crash (signal), no hang, no malformed output.
`DBM_FUZZ_SEED` picks the seed (default fixed, so a run is reproducible), `DBM_FUZZ_ITERATIONS` the
number of mutated messages. An input that fails is written to Tests/Fuzz/corpus/found-*.bin; every file
there is replayed by `test_corpus_replays_cleanly`, so a fixed bug stays fixed.
"""
import glob
import json
import os
import random

import pytest

from conftest import server_binary
from dbm_rpc import DbmServer, RpcError
from fuzz_support import CORPUS, frame, run_raw, save_to_corpus

SEED = int(os.environ.get("DBM_FUZZ_SEED", "20261121"))
ITERATIONS = int(os.environ.get("DBM_FUZZ_ITERATIONS", "400"))

INIT = b'{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"capabilities":{}}}'
SEEDS = [
    b'{"jsonrpc":"2.0","id":1,"method":"DatabaseManager.execute_query","params":{"query":"SELECT 1","params":[1,"a",null]}}',
    b'{"jsonrpc":"2.0","id":2,"method":"SchemaDefinition.to_sql","params":{"schema":{"tables":[{"name":"t","columns":[{"name":"id","type":"integer"}]}]},"dialect":"postgresql"}}',
    b'[{"jsonrpc":"2.0","id":3,"method":"rpc.discover"},{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":3}}]',
    b'{"jsonrpc":"2.0","id":"s","method":"SchemaGenerator.validate_schema","params":{"schema":{"tables":[]},"dialect":"mysql"}}',
    b'{"jsonrpc":"2.0","id":4,"method":"manage_databases","params":{}}',
]
HOSTILE_VALUES = [
    b"1" * 400, b"-1e99999", b"1e-99999", b"18446744073709551616", b"-9223372036854775809", b"NaN", b"Infinity",
    b'"\\ud800"', b'"\\u0000"', b'"\xff\xfe"', b"[" * 2000 + b"]" * 2000, b'{"a":' * 2000 + b"1" + b"}" * 2000,
    b"null", b"true", b"[]", b"{}", b'"' + b"x" * 100000 + b'"',
]


def mutate(rng, body: bytes) -> bytes:
    choice = rng.randrange(8)
    data = bytearray(body)
    if choice == 0:  # truncation
        return bytes(data[: rng.randrange(len(data))])
    if choice == 1:  # byte flips
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
        return bytes(data)
    if choice == 2:  # random bytes inserted (invalid UTF-8 included)
        at = rng.randrange(len(data))
        return bytes(data[:at] + bytes(rng.randrange(256) for _ in range(rng.randint(1, 16))) + data[at:])
    if choice == 3:  # a value replaced by a hostile one
        at = data.find(b":", rng.randrange(len(data)))
        if at < 0:
            at = data.find(b":")
        end = at + 1
        while end < len(data) and data[end:end + 1] not in b",}]":
            end += 1
        return bytes(data[: at + 1] + rng.choice(HOSTILE_VALUES) + data[end:])
    if choice == 4:  # deep nesting around the whole message
        depth = rng.choice([100, 1000, 5000, 20000])
        return b"[" * depth + body + b"]" * depth
    if choice == 5:  # duplicated, spliced
        other = rng.choice(SEEDS)
        return bytes(data[: rng.randrange(len(data))] + other[rng.randrange(len(other)):])
    if choice == 6:  # chunk deleted
        a = rng.randrange(len(data))
        b = min(len(data), a + rng.randint(1, 20))
        return bytes(data[:a] + data[b:])
    return bytes(rng.choice(HOSTILE_VALUES))


def mutate_frame(rng, body: bytes) -> bytes:
    """Mutations of the framing itself: headers, lengths, separators."""
    choice = rng.randrange(6)
    if choice == 0:
        return b"Content-Length: %d\r\n\r\n" % rng.choice([0, -1, 2 ** 63, 10 ** 30, len(body) + 5]) + body
    if choice == 1:
        return b"Content-Length: " + bytes(rng.randrange(256) for _ in range(6)) + b"\r\n\r\n" + body
    if choice == 2:
        return b"Content-Type: x\r\n" * rng.randint(1, 3000) + frame(body)
    if choice == 3:
        full = frame(body)
        return full[: rng.randrange(len(full))]
    if choice == 4:
        return body.replace(b"\n", b"") + b"\n" + bytes(rng.randrange(256) for _ in range(rng.randint(1, 40))) + b"\n"
    return b"X" * rng.randint(1, 200000)


def test_mutated_messages_always_get_an_answer(tmp_path):
    """Mutated bodies in valid frames, each followed by a sentinel request in the same session: the server
    must answer the sentinel (so it neither crashed nor hung on the mutated message)."""
    rng = random.Random(SEED)
    binary = server_binary()
    server = DbmServer(binary, env={"DATABASE_URL": ""})
    server.initialize()
    sent = 0
    try:
        for i in range(ITERATIONS):
            data = mutate(rng, rng.choice(SEEDS))
            server.send_raw(frame(data))
            sentinel = f"sentinel-{i}"
            server.send({"jsonrpc": "2.0", "id": sentinel, "method": "dbm.fuzz.no_such_method"})
            try:
                response = server.wait_response(sentinel, timeout=30)
            except TimeoutError:
                code = server.proc.poll()
                if code is not None and code >= 0:  # a clean close (e.g. the mutation became `exit`): start again
                    server.kill()
                    server = DbmServer(binary, env={"DATABASE_URL": ""})
                    server.initialize()
                    continue
                path = save_to_corpus(frame(INIT) + frame(data), "no answer")
                pytest.fail(f"no answer after mutated message (exit {code}); input saved to {path}")
            assert response["error"]["code"] == -32601, response
            sent += 1
        assert sent > ITERATIONS * 0.9
        for key, responses in server.responses.items():
            for response in responses:
                assert "__invalid__" not in response, response
    finally:
        server.kill()


def test_mutated_frames_end_in_a_clean_close(tmp_path):
    """Framing-level garbage on a fresh server each time, stdin then closed: a clean exit, valid output."""
    rng = random.Random(SEED + 1)
    binary = server_binary()
    for i in range(max(20, ITERATIONS // 10)):
        data = frame(INIT) + mutate_frame(rng, rng.choice(SEEDS))
        try:
            code, responses = run_raw(binary, data, tmp_path)
        except Exception as exc:
            path = save_to_corpus(data, str(exc))
            raise AssertionError(f"{exc}; input saved to {path}")
        if code < 0:
            path = save_to_corpus(data, f"signal {-code}")
            pytest.fail(f"dbm-server died of signal {-code}; input saved to {path}")


WRONG_VALUES = [1, -1, 2 ** 64, 1.5e308, "x", "", "\u0000", "x\"; DROP TABLE t; --", True, None, [], [1, "a"], {}, {"a": {"b": [None]}},
                "\U0001F600" * 1000, "../" * 50 + "etc/passwd", "/dev/zero"]


def test_wrong_types_for_every_param_of_every_method(tmp_path):
    """Every registered method (from rpc.discover), every documented param, every wrong value: each call
    is answered (an error, or a result when the value happens to fit), and the session survives."""
    cwd = os.getcwd()
    os.chdir(tmp_path)  # a method that writes files with a relative path writes them here
    server = DbmServer(server_binary(), env={"DATABASE_URL": ""})
    try:
        server.initialize()
        document = server.request("rpc.discover")
        methods = [(m["name"], [p["name"] for p in m.get("params", [])]) for m in document["methods"]]
        assert len(methods) > 10
        calls = 0
        for name, params in methods:
            if name in ("shutdown", "exit", "initialize"):  # lifecycle: tested in test_session
                continue
            for param in params or ["params"]:
                for value in WRONG_VALUES:
                    id = server.request_async(name, {param: value})
                    response = server.wait_response(id, timeout=60)
                    assert "result" in response or "error" in response, response
                    if "error" in response:
                        assert response["error"]["code"] != -32603, (name, param, value, response)  # never an internal error
                    calls += 1
            # Positional params and a non-object, non-array params value.
            for params_value in ([1, 2, 3], "string", 5):
                server.send({"jsonrpc": "2.0", "id": f"p-{calls}", "method": name, "params": params_value})
                response = server.wait_response(f"p-{calls}", timeout=60)
                assert "result" in response or "error" in response
                calls += 1
        assert server.request("rpc.discover")["methods"]
        assert server.proc.poll() is None
    finally:
        server.kill()
        os.chdir(cwd)


def test_corpus_replays_cleanly(tmp_path):
    """Every regression input in Tests/Fuzz/corpus ends in a clean close with well-formed output."""
    files = sorted(glob.glob(os.path.join(CORPUS, "*.bin")))
    assert files, f"the corpus {CORPUS} is empty"
    binary = server_binary()
    for path in files:
        with open(path, "rb") as f:
            data = f.read()
        code, responses = run_raw(binary, data, tmp_path)
        assert code >= 0, f"{os.path.basename(path)}: dbm-server died of signal {-code}"
        for response in responses:
            assert isinstance(response, (dict, list)), (path, response)
