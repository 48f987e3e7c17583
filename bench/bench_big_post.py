"""Server memory for one 50 MB POST to /v1/upload: unauthenticated, and with a valid terminal credential.

Starts ``loyalty-server serve --demo`` on loopback, reads the process's resident memory (VmRSS) before and after
each request and prints the figures. Before the body guard (sync/server/app.py ``BodyGuard``) the server read
and parsed the whole body first (88 -> 380 MB for one request, issue 7).

    python bench/bench_big_post.py
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

BIN = Path(sys.executable).parent
SIZE = 50 * 1024 * 1024


def rss_mb(pid: int) -> float:
    total = 0
    for child in [pid, *_children(pid)]:
        for line in Path(f"/proc/{child}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total / 1024


def _children(pid: int) -> list[int]:
    try:
        return [int(x) for x in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def post(url: str, headers: dict[str, str]) -> str:
    host, port = url.removeprefix("http://").split(":")
    body = b"[" + b"0," * (SIZE // 2 - 1) + b"0]"
    with socket.create_connection((host, int(port)), timeout=60) as s:
        head = ["POST /v1/upload HTTP/1.1", f"Host: {host}", "Content-Type: application/json",
                f"Content-Length: {len(body)}", "X-Loyalty-Protocol: 1"] + [f"{k}: {v}" for k, v in headers.items()]
        s.sendall(("\r\n".join(head) + "\r\n\r\n").encode())
        try:
            s.sendall(body)
        except OSError:
            pass  # the server answered and closed without reading the body
        answer = s.recv(4096).decode("latin-1")
    return answer.split("\r\n", 1)[0]


def main() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    demo = tempfile.mkdtemp(prefix="bench-big-post-")
    proc = subprocess.Popen([str(BIN / "loyalty-server"), "serve", "--demo", "--demo-dir", demo, "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/v1/hello", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit("server did not start")
            time.sleep(0.2)
        code = ""
        assert proc.stdout is not None
        for _ in range(12):
            line = proc.stdout.readline()
            if "enrollment code for terminal" in line:
                code = line.rsplit(":", 1)[1].strip()
                break
        data = Path(demo) / "terminal"
        subprocess.run([str(BIN / "pos-terminal"), "--data-dir", str(data), "--json", "enroll", "--server", url,
                        "--code", code], check=True, capture_output=True)
        import json

        cred = json.loads((data / "sync-credential.json").read_text())
        bearer = f"Bearer {cred['terminal_id']}.{cred['secret']}"
        base = rss_mb(proc.pid)
        print(f"server RSS at rest: {base:.0f} MB")
        for label, headers in (("unauthenticated", {}), ("with a valid terminal credential", {"Authorization": bearer})):
            before = rss_mb(proc.pid)
            status = post(url, headers)
            after = rss_mb(proc.pid)
            print(f"50 MB POST {label}: {status!r}; server RSS {before:.0f} -> {after:.0f} MB "
                  f"(ratio {after / before:.2f})")
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)


if __name__ == "__main__":
    main()
