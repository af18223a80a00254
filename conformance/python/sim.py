"""Starts the idconn-sim binary on a free loopback port and reads the KEY=VALUE lines it prints."""

import os
import subprocess
import threading


class Sim:
    """`idconn-sim <vendor> --port 0`, stopped on exit from the `with` block."""

    def __init__(self, vendor, keys, args=()):
        binary = os.environ.get("IDCONN_SIM_BIN")
        if not binary:
            raise SystemExit("IDCONN_SIM_BIN is not set (run conformance/run.sh)")
        self.process = subprocess.Popen(
            [binary, vendor, "--port", "0", *args], stdout=subprocess.PIPE, text=True
        )
        self.env = {}
        timer = threading.Timer(20, self.process.kill)
        timer.start()
        try:
            for line in self.process.stdout:
                key, sep, value = line.rstrip("\n").partition("=")
                if sep:
                    self.env[key] = value
                if all(k in self.env for k in keys):
                    break
        finally:
            timer.cancel()
        missing = [k for k in keys if k not in self.env]
        if missing:
            self.stop()
            raise SystemExit(f"idconn-sim {vendor} did not print {missing}")

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
        return False


def same(what, actual, expected):
    """Fails the story when `actual` differs from `expected`."""
    if actual != expected:
        raise AssertionError(f"{what}: expected {expected!r}, got {actual!r}")
    print(f"  ok  {what}")
