"""The Flask application class: its web part (the blueprints of pages and API, with the template globals and filters
they declare) can wait until something needs it.

A server registers it at once. A command (`flask --app wsgi <command>`) asks for it to wait: most commands never
build a URL, render a page or answer a request, and registering the blueprints means importing every route module
and compiling every URL rule, about half of a command's start-up. The first use of the URL map (a request, url_for,
a test request context) or of the template environment registers it, once, whichever thread comes first.
"""

import threading
from collections.abc import Callable

from flask import Flask


class RegistryApp(Flask):
    def __init__(self, *args, **kwargs) -> None:
        self._web_part: Callable[[Flask], None] | None = None
        self._web_lock = threading.RLock()  # re-entrant: registering reads the URL map and the template environment
        self._web_loading = False
        super().__init__(*args, **kwargs)

    def defer_web_part(self, register: Callable[[Flask], None]) -> None:
        """Register the web part with ``register(app)`` when it is first needed rather than now."""
        self._web_part = register

    def load_web_part(self) -> None:
        """Register the deferred web part now, if it is still waiting (a no-op otherwise)."""
        if self._web_part is None:
            return
        with self._web_lock:
            if self._web_part is None or self._web_loading:  # another thread did it, or this one is doing it
                return
            self._web_loading = True
            try:
                self._web_part(self)
                self._web_part = None
            finally:
                self._web_loading = False

    @property
    def url_map(self):
        self.load_web_part()
        return self._url_map

    @url_map.setter
    def url_map(self, value) -> None:
        self._url_map = value

    @property
    def jinja_env(self):
        self.load_web_part()
        return super().jinja_env  # Flask's, made once and kept in the instance's __dict__

    @property
    def debug(self) -> bool:
        return self.config["DEBUG"]

    @debug.setter
    def debug(self, value: bool) -> None:
        """As Flask's, without making the template environment (and so the web part) when there is none yet: Flask's
        command line sets it on every start, and an environment made later reads DEBUG itself."""
        self.config["DEBUG"] = value
        if self.config["TEMPLATES_AUTO_RELOAD"] is None and "jinja_env" in self.__dict__:
            self.__dict__["jinja_env"].auto_reload = value
