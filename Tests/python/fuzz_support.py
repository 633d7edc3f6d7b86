"""Raw-byte sessions with dbm-server for the fuzz tests: feed bytes, close stdin, check the outcome."""
import json
import os
import subprocess

CORPUS = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "Fuzz", "corpus"))


def frames(data: bytes):
    """Splits the server's output (Content-Length frames, or JSON lines) into messages; raises on anything malformed."""
    bodies = []
    if data[:1] in (b"{", b"["):  # the server answers newline-delimited input the same way
        return [json.loads(line) for line in data.split(b"\n") if line.strip()]
    while data:
        head, sep, rest = data.partition(b"\r\n\r\n")
        if not sep:
            raise ValueError(f"unterminated header in server output: {data[:80]!r}")
        length = None
        for line in head.split(b"\r\n"):
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip())
        if length is None or len(rest) < length:
            raise ValueError(f"bad frame in server output: {head!r}")
        bodies.append(json.loads(rest[:length]))
        data = rest[length:]
    return bodies


def run_raw(binary, data: bytes, cwd, timeout=20):
    """Feeds `data` to a fresh server, closes its stdin and waits.

    Returns (returncode, responses). A clean close is an exit with a code >= 0 (no signal, no crash)
    within the timeout, with every byte it wrote being a well-formed JSON-RPC frame.
    """
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    proc = subprocess.Popen([binary], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd, env=env)
    try:
        out, _ = proc.communicate(data, timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise AssertionError(f"dbm-server hung on input {data[:120]!r}")
    except BrokenPipeError:
        out = proc.stdout.read()
        proc.wait(timeout)
    return proc.returncode, frames(out)


def frame(body: bytes) -> bytes:
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def save_to_corpus(data: bytes, reason: str):
    import hashlib
    os.makedirs(CORPUS, exist_ok=True)
    path = os.path.join(CORPUS, "found-" + hashlib.sha256(data).hexdigest()[:16] + ".bin")
    with open(path, "wb") as f:
        f.write(data)
    return path
