"""Two application nodes as an operator runs them (`make serve`'s gunicorn, PRODUCTION mode) on one scratch
PostgreSQL database and one Redis, each with its own instance folder and document storage, and a browser that
talks to either of them through one cookie jar, as behind a load balancer."""

import html
import http.client
import os
import re
import secrets
import signal
import subprocess
import time
import urllib.parse
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from sqlalchemy import create_engine, make_url, text

from tests.core.test_serve import GUNICORN, free_port

ROOT = Path(__file__).resolve().parents[2]
FLASK = [str(GUNICORN.with_name("flask")), "--app", "wsgi"]
#: The PostgreSQL server the scratch database is made on (TEST_DATABASE_URL's when set), and the Redis database
#: the nodes share their limits in.
POSTGRES = os.environ.get("TEST_DATABASE_URL") or "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
REDIS = os.environ.get("MULTINODE_REDIS_URL", "redis://127.0.0.1:6379/14")
UNREACHABLE_REDIS = "redis://127.0.0.1:1/14"  # nothing listens on port 1
#: The host name the browser asks for, whichever node answers (the load balancer's).
HOST = "registre.test"
CSRF = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"')


def unanswered_services() -> str | None:
    """Why the two nodes cannot run here (PostgreSQL or Redis not answering), or None."""
    try:
        engine = create_engine(POSTGRES.replace("postgresql://", "postgresql+psycopg://", 1),
                               connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as error:  # noqa: BLE001 - any failure means: no PostgreSQL to run on
        return f"PostgreSQL does not answer at {make_url(POSTGRES).render_as_string()} ({type(error).__name__})"
    import redis

    try:
        redis.Redis.from_url(REDIS, socket_connect_timeout=3).ping()
    except redis.RedisError as error:
        return f"Redis does not answer at {REDIS} ({type(error).__name__})"
    return None


class ScratchDatabase:
    """A new PostgreSQL database beside POSTGRES, dropped (connections and all) by drop()."""

    def __init__(self):
        url = make_url(POSTGRES.replace("postgresql://", "postgresql+psycopg://", 1))
        self.name = f"test_nodes_{os.getpid()}_{secrets.token_hex(3)}"
        self.admin = create_engine(url, isolation_level="AUTOCOMMIT")
        with self.admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{self.name}"'))
        self.url = url.set(database=self.name).render_as_string(hide_password=False)

    def drop(self) -> None:
        with self.admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
        self.admin.dispose()


def cli(env: dict, *arguments: str, stdin: str = "") -> str:
    """A command of the README (`flask --app wsgi ...`), run as the operator runs it; its output."""
    done = subprocess.run([*FLASK, *arguments], cwd=ROOT, env=env, input=stdin, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, f"flask {' '.join(arguments)}: {done.stdout}{done.stderr}"
    return done.stdout


@dataclass
class Node:
    """One gunicorn serving the application on its own port, from its own instance folder."""

    name: str
    port: int
    process: subprocess.Popen
    log: Path

    @classmethod
    def start(cls, name: str, env: dict, folder: Path) -> "Node":
        """gunicorn as `make serve` starts it (PRODUCTION set, a trusted local proxy), one worker; the application
        made with this node's instance folder."""
        folder.mkdir(parents=True, exist_ok=True)
        instance = folder / "instance"
        port = free_port()
        log = folder / "gunicorn.log"
        with log.open("w") as output:
            process = subprocess.Popen(
                [str(GUNICORN), "--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "4",
                 "--access-logfile", "-", "--error-logfile", "-", "--forwarded-allow-ips", "127.0.0.1",
                 "--control-socket", str(folder / "gunicorn.ctl"),  # the default is one per machine user
                 f"registry:create_app(instance_path={str(instance)!r})"],
                cwd=ROOT, env={**env, "PRODUCTION": "1", "STORAGE_DIR": str(folder / "storage")},
                stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
        return cls(name, port, process, log)

    def wait_until_serving(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"node {self.name} stopped:\n{self.log.read_text()}")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                connection.request("GET", "/connexion", headers={"Host": HOST, "X-Forwarded-Proto": "https"})
                if connection.getresponse().status == 200:
                    return
            except OSError:
                pass
            finally:
                connection.close()
            time.sleep(0.2)
        raise RuntimeError(f"node {self.name} did not answer within {seconds} s:\n{self.log.read_text()}")

    def stop(self) -> None:
        """gunicorn and its worker, always (a worker left behind would hold the database): SIGINT is gunicorn's
        quick shutdown, SIGKILL the last resort."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


@dataclass
class Worker:
    """The job queue's worker (`make worker`), in its own instance folder, as on a third machine."""

    process: subprocess.Popen
    log: Path

    @classmethod
    def start(cls, env: dict, folder: Path) -> "Worker":
        folder.mkdir(parents=True, exist_ok=True)
        log = folder / "worker.log"
        with log.open("w") as output:
            process = subprocess.Popen([*FLASK, "worker"], cwd=ROOT,
                                       env={**env, "STORAGE_DIR": str(folder / "storage")},
                                       stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
        return cls(process, log)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)  # RQ's warm shutdown: the job under way ends first
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


@dataclass
class Response:
    status: int
    headers: dict
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    @property
    def location(self) -> str:
        return self.headers.get("location", "")

    def csrf_token(self) -> str:
        return html.unescape(CSRF.search(self.text).group(1))


@dataclass
class Browser:
    """One user's browser behind the load balancer: one cookie jar whichever node answers, one client address
    (the proxy's X-Forwarded-For: the limits count per client)."""

    address: str
    cookies: dict = field(default_factory=dict)

    def request(self, node: Node, method: str, path: str, form: dict | list | None = None) -> Response:
        headers = {"Host": HOST, "X-Forwarded-For": self.address, "X-Forwarded-Proto": "https",
                   "Referer": f"https://{HOST}{path}"}  # the CSRF check on HTTPS compares origins
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", node.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers)
            answer = connection.getresponse()
            response = Response(answer.status, {k.lower(): v for k, v in answer.getheaders()}, answer.read())
            for header, value in answer.getheaders():
                if header.lower() == "set-cookie":
                    self._keep(value)
            return response
        finally:
            connection.close()

    def _keep(self, set_cookie: str) -> None:
        name, _, rest = set_cookie.partition("=")
        value, *attributes = rest.split(";")
        expired = any(a.strip().lower() in ("max-age=0", "expires=thu, 01 jan 1970 00:00:00 gmt") for a in attributes)
        if expired or not value:
            self.cookies.pop(name, None)
        else:
            self.cookies[name] = value

    def get(self, node: Node, path: str) -> Response:
        return self.request(node, "GET", path)

    def post(self, node: Node, path: str, form: dict | list) -> Response:
        return self.request(node, "POST", path, form)

    def sign_in(self, node: Node, email: str, password: str) -> Response:
        token = self.get(node, "/connexion").csrf_token()
        return self.post(node, "/connexion", {"csrf_token": token, "email": email, "password": password})


class FormFields(HTMLParser):
    """The fields a browser would send from a page's form as it stands (values, checked boxes, selected
    options, texts), in order."""

    def __init__(self, action: str):
        super().__init__()
        self.action, self.inside, self.fields = action, False, []
        self._select = self._textarea = None
        self._options: list[tuple[str, bool]] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self.inside = attributes.get("action") == self.action
        if not self.inside or "disabled" in attributes:
            return
        name = attributes.get("name")
        kind = attributes.get("type", "text")
        if tag == "input" and name and kind not in ("submit", "button", "file"):
            if kind not in ("checkbox", "radio"):
                self.fields.append((name, attributes.get("value", "")))
            elif "checked" in attributes:
                self.fields.append((name, attributes.get("value", "on")))
        elif tag == "textarea" and name:
            self._textarea = [name, ""]
        elif tag == "select" and name:
            self._select, self._options = name, []
        elif tag == "option" and self._select:
            self._options.append((attributes.get("value", ""), "selected" in attributes))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self._textarea is not None:
            self.fields.append((self._textarea[0], self._textarea[1].removeprefix("\n")))
            self._textarea = None
        elif tag == "select" and self._select:
            chosen = [value for value, selected in self._options if selected] or [v for v, _ in self._options[:1]]
            self.fields.extend((self._select, value) for value in chosen)
            self._select = None


def form_fields(page: Response, action: str) -> list[tuple[str, str]]:
    parser = FormFields(action)
    parser.feed(page.text)
    return parser.fields
