"""A tiny Chrome DevTools Protocol driver over ``--remote-debugging-pipe`` (stdlib only, no browser download)."""

from __future__ import annotations

import base64
import fcntl
import json
import os
import shutil
import subprocess
import tempfile
import threading
from typing import Any

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--remote-debugging-pipe", "--window-size=1440,900", "--hide-scrollbars"]


def _high(fd: int) -> int:
    moved = fcntl.fcntl(fd, fcntl.F_DUPFD, 10)
    os.close(fd)
    return moved


class CDPError(RuntimeError):
    """A DevTools command failed or timed out."""


class Browser:
    """Headless Chromium with one page, driven over the DevTools pipe (fd 3 in, fd 4 out)."""

    def __init__(self, executable: str = CHROMIUM, timeout: float = 20.0) -> None:
        self.timeout = timeout
        self.profile = tempfile.mkdtemp(prefix="mockapi-chromium-")
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()
        # The child's ends move above fd 10 first, so placing them at 3 and 4 never clobbers one with the other.
        to_child_r, from_child_w = _high(to_child_r), _high(from_child_w)
        shell = f'exec 3<&{to_child_r} 4>&{from_child_w} {to_child_r}<&- {from_child_w}>&-; exec "$@"'
        self.proc = subprocess.Popen(["bash", "-c", shell, "bash", executable, *FLAGS, f"--user-data-dir={self.profile}",
                                      "about:blank"], pass_fds=(to_child_r, from_child_w),
                                     stdout=subprocess.DEVNULL, stderr=None if os.environ.get("CDP_DEBUG") else subprocess.DEVNULL)
        os.close(to_child_r)
        os.close(from_child_w)
        self._next = 0
        self._replies: dict[int, dict[str, Any]] = {}
        self._cond = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        target = self.send("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        self.send("Page.enable", session=True)
        self.send("Runtime.enable", session=True)

    def _read(self) -> None:
        buffer = b""
        while True:
            data = os.read(self._from_child, 65536)
            if not data:
                break
            buffer += data
            while b"\0" in buffer:
                raw, buffer = buffer.split(b"\0", 1)
                message = json.loads(raw)
                if "id" in message:
                    with self._cond:
                        self._replies[message["id"]] = message
                        self._cond.notify_all()
        with self._cond:
            self._cond.notify_all()

    def send(self, method: str, session: bool = False, **params: Any) -> dict[str, Any]:
        """Run one DevTools command and return its result."""
        with self._cond:
            self._next += 1
            ident = self._next
        message: dict[str, Any] = {"id": ident, "method": method, "params": params}
        if session:
            message["sessionId"] = self.session
        os.write(self._to_child, json.dumps(message).encode() + b"\0")
        with self._cond:
            if not self._cond.wait_for(lambda: ident in self._replies or not self._reader.is_alive(), self.timeout):
                raise CDPError(f"{method} timed out")
            reply = self._replies.pop(ident, None)
        if reply is None:
            raise CDPError(f"chromium exited during {method}")
        if "error" in reply:
            raise CDPError(f"{method}: {reply['error']}")
        return reply.get("result", {})

    def goto(self, url: str) -> None:
        """Open ``url`` and wait until the document has loaded."""
        self.send("Page.navigate", session=True, url=url)
        self.wait_for("document.readyState === 'complete' && location.href !== 'about:blank'")

    def js(self, expression: str) -> Any:
        """Evaluate JavaScript in the page (awaiting promises) and return its JSON value."""
        result = self.send("Runtime.evaluate", session=True, expression=expression, awaitPromise=True, returnByValue=True)
        if "exceptionDetails" in result:
            raise CDPError(f"{expression[:80]}: {result['exceptionDetails'].get('exception', {}).get('description')}")
        return result["result"].get("value")

    def wait_for(self, condition: str, timeout_ms: int = 10_000) -> Any:
        """Wait in the page until ``condition`` is truthy; return its value."""
        return self.js(f"""new Promise((resolve, reject) => {{
            const started = Date.now();
            (function check() {{
                let value; try {{ value = ({condition}); }} catch (e) {{ value = undefined; }}
                if (value) resolve(value);
                else if (Date.now() - started > {timeout_ms}) reject(new Error("timed out waiting for: " + {json.dumps(condition)}));
                else setTimeout(check, 25);
            }})();
        }})""")

    def click(self, selector: str) -> None:
        """Click the first element matching ``selector``."""
        self.js(f"document.querySelector({json.dumps(selector)}).click()")

    def fill(self, selector: str, value: str) -> None:
        """Type ``value`` into an input (firing ``input`` as a user would)."""
        self.js(f"""(() => {{ const el = document.querySelector({json.dumps(selector)});
            el.value = {json.dumps(value)}; el.dispatchEvent(new Event('input', {{bubbles: true}})); }})()""")

    def screenshot(self, path: str) -> None:
        """Save a PNG of the viewport."""
        data = self.send("Page.captureScreenshot", session=True, format="png")["data"]
        with open(path, "wb") as out:
            out.write(base64.b64decode(data))

    def close(self) -> None:
        """Quit Chromium and remove its profile."""
        try:
            self.send("Browser.close")
        except CDPError:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._to_child)
        os.close(self._from_child)
        shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self) -> "Browser":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
