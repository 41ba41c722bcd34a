"""WSGI entry point: `flask --app wsgi run`, or any WSGI server pointed at `wsgi:app`."""

import gc
import os

# Start-up (the registry's modules, then the application) makes objects that live as long as the process: the
# cycle collector would walk them again and again while they are made (a fifth of a command's start-up) and
# find nothing to free, so it waits until they are all made.
gc.disable()
try:
    from registry import create_app

    # Under `flask --app wsgi <command>` (Flask's command line sets FLASK_RUN_FROM_CLI), the pages and the API are
    # registered when first needed: most commands never need them. A WSGI server gets them at once.
    app = create_app(defer_web_part=os.environ.get("FLASK_RUN_FROM_CLI") == "true")
finally:
    from registry.core import collector

    collector.settle()  # what is loaded now lives as long as the process (registry/core/collector.py)
