"""WSGI entry point: `flask --app wsgi run`, or any WSGI server pointed at `wsgi:app`."""

import gc

from registry import create_app

app = create_app()
# What is loaded by now (modules, classes, the application) lives as long as the process: the cycle collector
# stops walking it at every full collection (about 50 ms each on a loaded worker), and forked workers no longer
# copy those pages when it would have touched them.
gc.freeze()
