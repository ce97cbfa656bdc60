"""Real SPARQL servers for the tests, on loopback ports, with throwaway data directories.

- Oxigraph server (the `oxigraph` package from the package index, installed in .venv by
  .ci/setup): `oxigraph serve --location DIR --bind 127.0.0.1:PORT --union-default-graph`.
- Virtuoso 7 (Debian's `virtuoso-opensource`, installed by .ci/setup): `virtuoso-t +foreground
  +configfile DIR/virtuoso.ini` with a fresh database in DIR, its SQL and HTTP servers on
  loopback ports. At start-up (through isql) it gets: SPARQL_UPDATE for the anonymous "SPARQL"
  user (updates at /sparql) and a login `diplokg` with a random password and SPARQL_UPDATE
  (updates at /sparql-auth with HTTP digest auth); Virtuoso's own system graphs are made
  private, so the default graph of a query is the union of the data graphs only, as on the
  other backends.

- diplokg's own `diplokg serve` (`DiplokgServe`), as a subprocess of this Python with the
  work tree's sources first on its path, over a store directory the test has filled.

Each server starts in well under a second (Oxigraph, diplokg) or about two (Virtuoso) and is
stopped (terminate or Ctrl-C, then kill) at the end. `store_kinds()` names every store configuration the
contract tests run over; `open_kind()` opens one, empty.
"""

from __future__ import annotations

import atexit
import os
import re
import secrets
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

STORE_KINDS = (
    "oxigraph",
    "oxigraph-memory",
    "memory",
    "sparql-oxigraph",  # Graph Store PUT writes
    "sparql-oxigraph-update",  # SPARQL Update writes (no Graph Store endpoint)
    "sparql-virtuoso",  # digest login at /sparql-auth, Graph Store PUT at /sparql-graph-crud-auth
    "sparql-virtuoso-update",  # anonymous SPARQL Update at /sparql
)
SERVER_OF = {
    "sparql-oxigraph": "oxigraph_server",
    "sparql-oxigraph-update": "oxigraph_server",
    "sparql-virtuoso": "virtuoso_server",
    "sparql-virtuoso-update": "virtuoso_server",
}

VIRTUOSO_SYSTEM_GRAPHS = (
    "http://www.openlinksw.com/schemas/virtrdf#",
    "http://www.w3.org/ns/ldp#",
    "http://localuriqaserver/sparql",
)


class ServerError(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def oxigraph_binary() -> str | None:
    beside = Path(sys.executable).parent / "oxigraph"
    return str(beside) if beside.exists() else shutil.which("oxigraph")


def virtuoso_binaries() -> tuple[str, str] | None:
    server = shutil.which("virtuoso-t")
    isql = shutil.which("isql-vt") or shutil.which("isql-v")
    return (server, isql) if server and isql else None


class _Process:
    """A server process with its log file; `wait_http` polls a URL until it answers 200."""

    def __init__(self, argv: list[str], workdir: Path, name: str) -> None:
        self.name = name
        self.log_path = workdir / f"{name}.log"
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(argv, cwd=workdir, stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        atexit.register(self.stop)  # also when the session dies before its fixtures' teardown

    def log_tail(self, lines: int = 15) -> str:
        try:
            return "\n".join(self.log_path.read_text("utf-8", "replace").splitlines()[-lines:])
        except OSError:
            return ""

    def wait_http(self, url: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise ServerError(f"{self.name} exited with {self.proc.returncode} at start-up:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(url, timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.05)
        self.stop()
        raise ServerError(f"{self.name} did not answer {url} within {timeout:g} s:\n{self.log_tail()}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        if not self._log.closed:
            self._log.close()


class OxigraphServer:
    def __init__(self, workdir: Path, binary: str | None = None) -> None:
        binary = binary or oxigraph_binary()
        if binary is None:
            raise ServerError("the oxigraph server is not installed")
        started = time.monotonic()
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.query_url, self.update_url, self.gsp_url = (self.base + p for p in ("/query", "/update", "/store"))
        argv = [binary, "serve", "--location", str(workdir / "data"), "--bind", f"127.0.0.1:{self.port}", "--union-default-graph"]
        self._process = _Process(argv, workdir, "oxigraph")
        self._process.wait_http(self.query_url + "?query=ASK%7B%7D", timeout=20)
        self.startup_seconds = time.monotonic() - started

    def store(self, *, gsp: bool = True, **options):
        from diplokg.stores import SparqlStore

        return SparqlStore(self.query_url, update_url=self.update_url, gsp_url=self.gsp_url if gsp else "", **options)

    def stop(self) -> None:
        self._process.stop()


_VIRTUOSO_INI = """\
[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DisableTcpSocket = 0
MaxClientConnections = 10
CheckpointInterval = 0
CaseMode = 2
DirsAllowed = ., {d}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
ThreadsPerQuery = 2

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {d}/www
MaxClientConnections = 10
ServerThreads = 10
Charset = UTF-8

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 60
"""


class VirtuosoServer:
    user = "diplokg"

    def __init__(self, workdir: Path, binaries: tuple[str, str] | None = None) -> None:
        binaries = binaries or virtuoso_binaries()
        if binaries is None:
            raise ServerError("Virtuoso (virtuoso-t, isql-vt) is not installed")
        server, self._isql = binaries
        started = time.monotonic()
        self.sql_port, self.http_port = free_port(), free_port()
        while self.http_port == self.sql_port:
            self.http_port = free_port()
        self.base = f"http://127.0.0.1:{self.http_port}"
        self.query_url = self.base + "/sparql"
        self.auth_url = self.base + "/sparql-auth"
        self.gsp_url = self.base + "/sparql-graph-crud"
        self.gsp_auth_url = self.base + "/sparql-graph-crud-auth"
        self.password = secrets.token_hex(12)
        (workdir / "www").mkdir(exist_ok=True)
        ini = workdir / "virtuoso.ini"
        ini.write_text(_VIRTUOSO_INI.format(d=workdir, sql_port=self.sql_port, http_port=self.http_port))
        self._process = _Process([server, "+foreground", "+configfile", str(ini)], workdir, "virtuoso")
        self._process.wait_http(self.query_url + "?query=ASK%7B%7D", timeout=30)
        try:
            self._setup(workdir)
        except Exception:
            self._process.stop()
            raise
        self.startup_seconds = time.monotonic() - started

    def _setup(self, workdir: Path) -> None:
        private = "http://www.openlinksw.com/schemas/virtrdf#PrivateGraphs"
        lines = [
            'GRANT SPARQL_UPDATE TO "SPARQL";',
            f"DB.DBA.USER_CREATE('{self.user}', '{self.password}');",
            f'GRANT SPARQL_UPDATE TO "{self.user}";',
            f"DB.DBA.RDF_GRAPH_GROUP_CREATE('{private}', 1);",
            *(f"DB.DBA.RDF_GRAPH_GROUP_INS('{private}', '{g}');" for g in VIRTUOSO_SYSTEM_GRAPHS),
            "DB.DBA.RDF_DEFAULT_USER_PERMS_SET('nobody', 0, 1);",
            "DB.DBA.RDF_DEFAULT_USER_PERMS_SET('nobody', 7);",
            f"DB.DBA.RDF_DEFAULT_USER_PERMS_SET('{self.user}', 0, 1);",
            f"DB.DBA.RDF_DEFAULT_USER_PERMS_SET('{self.user}', 15);",
        ]
        script = workdir / "setup.sql"
        script.write_text("\n".join(lines) + "\n")
        out = ""
        for _ in range(50):  # the SQL port opens right after the HTTP one
            run = subprocess.run(
                [self._isql, f"127.0.0.1:{self.sql_port}", "dba", "dba", str(script)],
                capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL,
            )
            out = run.stdout + run.stderr
            if "Connect failed" not in out and "Cannot connect" not in out:
                break
            time.sleep(0.1)
        if run.returncode != 0 or "*** Error" in out:
            error = next((line for line in out.splitlines() if "Error" in line), out.strip()[-300:])
            raise ServerError(f"Virtuoso set-up through isql failed: {error.replace(self.password, '***')}")
        # the default graph must hold no system triples for anonymous queries
        url = self.query_url + "?query=" + urllib.parse.quote("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        req = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
        with urllib.request.urlopen(req, timeout=10) as r:
            body = r.read().decode("utf-8")
        if '"value": "0"' not in body.replace('"value":"0"', '"value": "0"'):
            raise ServerError(f"Virtuoso's default graph is not empty after set-up: {body[:300]}")

    def store(self, *, mode: str = "digest", gsp: bool = True, **options):
        """A SparqlStore: mode 'digest' (login at /sparql-auth) or 'anonymous' (/sparql)."""
        from diplokg.stores import SparqlStore

        if mode == "digest":
            return SparqlStore(
                self.query_url, update_url=self.auth_url, gsp_url=self.gsp_auth_url if gsp else "",
                user=self.user, password=self.password, auth="digest", **options,
            )
        return SparqlStore(self.query_url, gsp_url=self.gsp_url if gsp else "", **options)

    def stop(self) -> None:
        self._process.stop()


def wipe(store) -> None:
    """Drop every named graph the store's query endpoint may read (a fresh store for each test).

    Grouped rather than DISTINCT: Virtuoso answers `SELECT DISTINCT ?g { GRAPH ?g {...} }` from
    its graph list, private graphs included; a GROUP BY goes through the permission checks."""
    rows = store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g").rows
    for g, _n in rows:
        if str(g) not in VIRTUOSO_SYSTEM_GRAPHS:
            store.update(f"DROP SILENT GRAPH <{g}>")


def open_kind(kind: str, tmp_path: Path, servers, *, fresh: bool = True, sub: str = "store"):
    """A store of `kind` (one of STORE_KINDS). `servers(name)` gives a running server by its
    fixture name; `fresh` wipes a server store first (local kinds always start empty unless
    `sub` names an existing directory)."""
    from diplokg.stores import MemoryStore, OxigraphMemoryStore, OxigraphStore

    if kind == "oxigraph":
        return OxigraphStore(tmp_path / sub)
    if kind == "oxigraph-memory":
        return OxigraphMemoryStore()
    if kind == "memory":
        return MemoryStore()
    server = servers(SERVER_OF[kind])
    quick = {"backoff": 0.02}  # retries stay, with shorter pauses
    if kind == "sparql-oxigraph":
        store = server.store(**quick)
    elif kind == "sparql-oxigraph-update":
        store = server.store(gsp=False, **quick)
    elif kind == "sparql-virtuoso":
        store = server.store(mode="digest", **quick)
    elif kind == "sparql-virtuoso-update":
        store = server.store(mode="anonymous", gsp=False, **quick)
    else:
        raise ValueError(f"unknown store kind {kind!r}")
    if fresh:
        wipe(store)
    return store


class DiplokgServe:
    """`diplokg serve --store LOCATION --port 0 --quiet` in a subprocess (`python -m diplokg.cli`
    with this work tree's src first on PYTHONPATH), with `--allow-update` and the bearer
    `token` when one is given. `url` ends in '/'; `stop()` sends Ctrl-C, then kills."""

    SRC = Path(__file__).resolve().parents[1] / "src"

    def __init__(self, location: Path, *, token: str | None = None, startup_timeout: float = 60,
                 args: tuple[str, ...] = ()) -> None:
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in (str(self.SRC), os.environ.get("PYTHONPATH")) if p))
        argv = [sys.executable, "-m", "diplokg.cli", "serve", "--store", str(location), "--port", "0", "--quiet"] + list(args)
        if token is not None:
            env["DIPLOKG_TEST_SERVE_TOKEN"] = token
            argv += ["--allow-update", "--token-env", "DIPLOKG_TEST_SERVE_TOKEN"]
        self.proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                                     text=True, env=env,
                                     # Ctrl-C reaches it even when the test run ignores SIGINT
                                     preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        atexit.register(self.stop)
        first = self._first_line(startup_timeout)
        match = re.search(r"at (http://127\.0\.0\.1:(\d+)/) ", first)
        if not match:
            self.stop()
            raise ServerError(f"diplokg serve did not start: {first!r} {self.proc.stderr.read()[-2000:]}")
        self.url, self.port = match.group(1), int(match.group(2))
        self.endpoint = self.url + "sparql"

    def _first_line(self, timeout: float) -> str:
        with selectors.DefaultSelector() as sel:
            sel.register(self.proc.stdout, selectors.EVENT_READ)
            if not sel.select(timeout):
                return ""
        return self.proc.stdout.readline()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.communicate(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.communicate()


class ScriptedServer:
    """A tiny HTTP server on a loopback port whose answers a test scripts: `route(method,
    path, body)` returns (status, content_type, body bytes), optionally followed by a dict
    with "delay" (seconds before answering) and "headers" (extra response headers). Every
    request is recorded in `requests` as (method, path, headers, body). Use as a context
    manager; it serves from a daemon thread."""

    def __init__(self, route) -> None:
        import http.server
        import threading

        self.requests: list[tuple[str, str, dict, bytes]] = []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                server.requests.append((self.command, self.path, dict(self.headers), body))
                status, ctype, payload, *extra = route(self.command, self.path, body)
                options = extra[0] if extra else {}
                time.sleep(options.get("delay", 0))
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                for name, value in options.get("headers", {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                if status == 401:
                    self.send_header("WWW-Authenticate", 'Basic realm="test"')
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_DELETE = _answer

            def log_message(self, *args) -> None:
                pass

        self._httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()

    def __enter__(self) -> "ScriptedServer":
        return self

    def __exit__(self, *exc) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
