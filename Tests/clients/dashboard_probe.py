#!/usr/bin/env python3
"""Loads the dashboard in headless Chromium and prints, as JSON, what a person would see.

    dashboard_probe.py CHROMIUM URL WIDTH HEIGHT [SCREENSHOT.png]

Talks to Chromium over the DevTools protocol on a pipe (--remote-debugging-pipe: JSON messages
ended by a NUL byte, fd 3 to the browser, fd 4 from it), so it needs only the standard library.
Waits until the page rendered its cards or showed an error, then reports the header, the cards,
the tables' rows, the error box, whether the token form shows, the page's and each section's
width against the viewport, and chart labels that end outside the chart.
"""
import base64
import fcntl
import json
import os
import subprocess
import sys
import tempfile
import time

# Runs in the page once it has settled; returns everything the test checks.
SNAPSHOT = r"""
(() => {
  const text = (e) => e ? e.textContent.trim() : null;
  const shown = (e) => !!e && getComputedStyle(e).display !== "none";
  const svg = document.getElementById("chart");
  const box = svg.getBoundingClientRect();
  const clipped = [...svg.querySelectorAll("text")]
    .filter((t) => { const b = t.getBoundingClientRect(); return b.left < box.left - 0.5 || b.right > box.right + 0.5; })
    .map((t) => t.textContent);
  const tables = {};
  for (const table of document.querySelectorAll("table")) {
    tables[table.id] = [...table.querySelectorAll("tr")].slice(1).map((tr) => [...tr.cells].map((c) => c.textContent.trim()));
  }
  return {
    subtitle: text(document.getElementById("subtitle")),
    cards: [...document.querySelectorAll("#cards .card")].map((c) => ({
      label: text(c.querySelector(".label")), value: text(c.querySelector(".value")), note: text(c.querySelector(".note")) })),
    tables,
    error: shown(document.getElementById("error")) ? text(document.getElementById("error")) : null,
    token_form_shown: shown(document.getElementById("auth")),
    inner_width: window.innerWidth,
    scroll_width: document.documentElement.scrollWidth,
    overflowing_sections: [...document.querySelectorAll("section, .card")]
      .filter((s) => s.scrollWidth > s.clientWidth + 1).map((s) => text(s.querySelector("h2, .label"))),
    clipped_chart_labels: clipped,
  };
})()
"""

# True once the dashboard rendered its cards or showed an error (false while the previous page is still up).
SETTLED = r"""
(() => {
  const error = document.getElementById("error");
  return !!document.querySelector("#cards .card") || (!!error && getComputedStyle(error).display !== "none");
})()
"""


class Browser:
    def __init__(self, chromium, width, height):
        to_browser_read, self.to_browser = os.pipe()
        self.from_browser, from_browser_write = os.pipe()
        # Moved above fd 9 first, so placing them at 3 and 4 in the child cannot overwrite one another.
        child_read, child_write = (fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10) for fd in (to_browser_read, from_browser_write))
        os.close(to_browser_read)
        os.close(from_browser_write)
        self.profile = tempfile.TemporaryDirectory(prefix="semcache-chromium-", ignore_cleanup_errors=True)

        def child_fds():  # the browser reads commands from fd 3 and writes answers to fd 4
            os.dup2(child_read, 3)
            os.dup2(child_write, 4)

        self.process = subprocess.Popen(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--remote-debugging-pipe", f"--user-data-dir={self.profile.name}", f"--window-size={width},{height}", "about:blank"],
            close_fds=False, preexec_fn=child_fds, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(child_read)
        os.close(child_write)
        self.next_id = 0
        self.buffer = b""
        self.session = None

    def send(self, method, params=None, session=True):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            message["sessionId"] = self.session
        os.write(self.to_browser, json.dumps(message).encode() + b"\0")
        while True:
            answer = self.receive()
            if answer.get("id") == self.next_id:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                return answer.get("result", {})

    def receive(self):
        while b"\0" not in self.buffer:
            chunk = os.read(self.from_browser, 1 << 16)
            if not chunk:
                raise RuntimeError("chromium closed the DevTools pipe")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def evaluate(self, expression):
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in result:
            raise RuntimeError(f"page script failed: {result['exceptionDetails']}")
        return result["result"].get("value")

    def close(self):
        self.process.kill()
        self.process.wait()
        os.close(self.to_browser)
        os.close(self.from_browser)
        self.profile.cleanup()


def main():
    chromium, url, width, height = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    screenshot = sys.argv[5] if len(sys.argv) > 5 else None
    browser = Browser(chromium, width, height)
    try:
        page = next(t for t in browser.send("Target.getTargets")["targetInfos"] if t["type"] == "page")
        browser.session = browser.send("Target.attachToTarget", {"targetId": page["targetId"], "flatten": True})["sessionId"]
        browser.send("Emulation.setDeviceMetricsOverride", {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
        browser.send("Page.enable")
        browser.send("Page.navigate", {"url": url})
        deadline = time.monotonic() + 20
        while not browser.evaluate(SETTLED):
            if time.monotonic() > deadline:
                raise RuntimeError("the dashboard showed neither cards nor an error within 20 s")
            time.sleep(0.1)
        time.sleep(0.3)  # let the chart and tables of the same render land
        report = browser.evaluate(SNAPSHOT)
        if screenshot:
            shot = browser.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})
            with open(screenshot, "wb") as out:
                out.write(base64.b64decode(shot["data"]))
        print(json.dumps(report))
    finally:
        browser.close()


if __name__ == "__main__":
    main()
