#!/usr/bin/env python3
"""Drives the page of `twinmatch serve` in headless Chromium, as a coordinator would use it, by keyboard.

Starts `twinmatch serve` on a free loopback port and Debian's chromedriver, then: types the start of a
city's name, takes the suggestion with Enter, asks for partners with Enter, checks that the shortlist
(with reason bars) and the map appear, opens a pair's explanation, checks the CSV download, checks that
markup typed into the box is shown as text, and takes screenshots at laptop and phone widths.

Usage: scripts/browser-test.py TWINMATCH_BINARY OUT_DIR   (only the Python standard library is needed)
Exit status 0 when every check passed; 77 when chromium or chromedriver is missing.
"""
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

ENTER, ESCAPE, ARROW_DOWN = "\ue007", "\ue00c", "\ue015"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Driver:
    """The few WebDriver commands the test needs, over chromedriver's HTTP API."""

    def __init__(self, port):
        self.base = f"http://127.0.0.1:{port}"
        caps = {"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1100", "--lang=en-GB"]}}}}
        self.session = self.call("POST", "/session", caps)["sessionId"]

    def call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else (b"{}" if method == "POST" else None)
        req = urllib.request.Request(self.base + path, data=data, method=method, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=60) as r:
            return json.loads(r.read() or b"{}").get("value")

    def s(self, method, path, body=None):
        return self.call(method, f"/session/{self.session}{path}", body)

    def go(self, url):
        self.s("POST", "/url", {"url": url})

    def js(self, script, *args):
        return self.s("POST", "/execute/sync", {"script": script, "args": list(args)})

    def find(self, css):
        found = self.s("POST", "/element", {"using": "css selector", "value": css})
        if not isinstance(found, dict) or "element-6066-11e4-a52e-4f735466cecf" not in found:
            raise AssertionError(f"no element {css}: {found}")
        return found["element-6066-11e4-a52e-4f735466cecf"]

    def type(self, css, text):
        self.s("POST", f"/element/{self.find(css)}/value", {"text": text})

    def wait(self, script, what, timeout=30):
        end = time.time() + timeout
        while time.time() < end:
            value = self.js(script)
            if value:
                return value
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {what}")

    def screenshot(self, path):
        import base64
        with open(path, "wb") as f:
            f.write(base64.b64decode(self.s("GET", "/screenshot")))

    def size(self, width, height):
        self.s("POST", "/window/rect", {"width": width, "height": height})

    def quit(self):
        try:
            self.s("DELETE", "")
        except Exception:
            pass


def main():
    binary, out = sys.argv[1], sys.argv[2]
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver_bin = shutil.which("chromedriver") or ("/usr/bin/chromedriver" if os.path.exists("/usr/bin/chromedriver") else None)
    if not browser or not driver_bin:
        print("browser test skipped: chromium and chromedriver are needed (apt-get install chromium chromium-driver)")
        return 77
    os.makedirs(out, exist_ok=True)
    server = subprocess.Popen([binary, "serve", "--port", "0", "--quiet"], stderr=subprocess.PIPE, text=True)
    chrome_port = free_port()
    chromedriver = subprocess.Popen([driver_bin, f"--port={chrome_port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    checks = 0
    driver = None
    try:
        line = server.stderr.readline()
        match = re.search(r"listening on (http://\S+/)", line)
        assert match, f"serve did not start: {line}"
        base = match.group(1)
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{chrome_port}/status", timeout=1)
                break
            except Exception:
                time.sleep(0.1)
        driver = Driver(chrome_port)

        driver.go(base)
        driver.wait("return document.querySelectorAll('#theme option').length > 5", "the vocabulary in the form")
        checks += 1
        driver.type("#city", "Annec")
        first = driver.wait("const li = document.querySelector('#suggestions li'); return li && !document.querySelector('#suggestions').hidden && li.textContent",
                            "suggestions as one types")
        assert first.startswith("Annecy"), first
        checks += 1
        driver.type("#city", ENTER)  # takes the first suggestion
        assert driver.js("return document.querySelector('#city').value") == "Annecy"
        driver.type("#city", ENTER)  # asks for the list
        rows = driver.wait("return document.querySelectorAll('#rows tr').length", "the shortlist")
        assert rows == 10, rows
        checks += 1
        assert driver.js("return document.querySelectorAll('#rows ul.reasons li .bar span').length") >= 20, "reason bars"
        assert driver.js("return document.querySelector('#map svg.map') !== null && document.querySelectorAll('#map .candidate').length") == 10, "the map"
        assert "Annecy" in driver.js("return document.querySelector('#results-title').textContent")
        checks += 1
        assert "city=3037543" in driver.js("return location.search"), "the list's link"
        csv_href = driver.js("return document.querySelector('#csv').href")
        with urllib.request.urlopen(csv_href, timeout=30) as r:
            assert r.headers["Content-Type"].startswith("text/csv") and r.read().decode().startswith("rank,id,name")
        checks += 1
        driver.size(1280, 1900)
        time.sleep(0.3)
        driver.screenshot(os.path.join(out, "serve-desktop.png"))
        driver.size(1280, 1100)

        driver.js("document.querySelector('#rows .why').click()")
        driver.wait("return document.querySelector('#pair').open && document.querySelectorAll('#pair-body ul.reasons li').length > 0", "the pair's explanation")
        assert "↔" in driver.js("return document.querySelector('#pair-title').textContent")
        checks += 1
        driver.screenshot(os.path.join(out, "serve-pair.png"))
        driver.js("document.querySelector('#pair').close()")

        driver.size(390, 900)
        time.sleep(0.3)
        width = driver.js("return document.documentElement.scrollWidth")
        assert width <= 400, f"the page is {width} px wide at phone width"
        checks += 1
        driver.screenshot(os.path.join(out, "serve-phone.png"))
        driver.size(1280, 1100)

        markup = "<img src=x onerror=window.pwned=1>"
        driver.js("document.querySelector('#city').value = ''")
        driver.type("#city", markup + ENTER)
        status = driver.wait("const s = document.querySelector('#status'); return s.classList.contains('error') && s.textContent", "the error for a name found nowhere")
        assert markup in status, status
        assert driver.js("return window.pwned === undefined && document.querySelector('#status img') === null"), "markup ran"
        checks += 1

        driver.go(base + "?city=3177700&mode=diaspora&max-per-country=2")
        driver.wait("return document.querySelectorAll('#rows tr').length", "a shared link's list")
        assert driver.js("return document.querySelector('#mode').value") == "diaspora"
        checks += 1
        print(f"browser test: {checks} passed, 0 failed; screenshots in {out}")
        return 0
    except Exception as e:
        print(f"browser test: {checks} passed, 1 failed: {e}")
        if driver:
            try:
                driver.screenshot(os.path.join(out, "serve-failure.png"))
            except Exception:
                pass
        return 1
    finally:
        if driver:
            driver.quit()
        chromedriver.terminate()
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
