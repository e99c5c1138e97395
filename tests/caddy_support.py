"""Debian's Caddy with the project's deploy/Caddyfile, for tests/test_deploy_caddy.py.

The Caddyfile takes its addresses from the environment ({$NAME:default}), so the
tests run the very file production installs, with local ports, a scratch data
directory and Caddy's own certificate authority ("localhost" gets a certificate
from it; nothing is added to the system's trust store).
"""

import shutil
import socket
import ssl
import subprocess
import time
from pathlib import Path

from tests.production_support import BASE_DIR, Background, free_port

CADDYFILE = BASE_DIR / "deploy" / "Caddyfile"
CADDY = shutil.which("caddy") or "/usr/bin/caddy"


class Caddy(Background):
    def __init__(self, upstream, media_root, work_dir):
        self.https_port = free_port()
        self.http_port = free_port()
        self.upstream = upstream
        self.media_root = media_root
        self.work_dir = Path(work_dir)
        self.log_path = self.work_dir / "caddy.log"
        self.process = None

    @property
    def url(self):
        return f"https://localhost:{self.https_port}"

    def start(self, timeout=30):
        env = {
            "PATH": "/usr/bin:/bin",
            "HOME": str(self.work_dir),
            "XDG_DATA_HOME": str(self.work_dir / "data"),
            "XDG_CONFIG_HOME": str(self.work_dir / "config"),
            "SITE_ADDRESS": "localhost",
            "CADDY_ADMIN": "off",  # no shared admin port between test runs
            "CADDY_HTTP_PORT": str(self.http_port),
            "CADDY_HTTPS_PORT": str(self.https_port),
            "UPSTREAM": self.upstream,
            "MEDIA_ROOT": str(self.media_root),
        }
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(  # noqa: S603 - Debian's caddy, our config
                [CADDY, "run", "--config", str(CADDYFILE), "--adapter", "caddyfile"],
                cwd=self.work_dir,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"caddy stopped:\n{self.log()}")
            if self.root_certificate.exists() and self._answers():
                return self
            time.sleep(0.2)
        raise AssertionError(f"caddy did not start in {timeout} s:\n{self.log()}")

    @property
    def root_certificate(self):
        return self.work_dir / "data" / "caddy" / "pki" / "authorities" / "local" / "root.crt"

    def ssl_context(self):
        """Trusts Caddy's own certificate authority, and only that."""
        return ssl.create_default_context(cafile=str(self.root_certificate))

    def _answers(self):
        try:
            with (
                socket.create_connection(("127.0.0.1", self.https_port), timeout=2) as sock,
                self.ssl_context().wrap_socket(sock, server_hostname="localhost"),
            ):
                return True
        except (OSError, ssl.SSLError):
            return False
