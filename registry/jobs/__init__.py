"""Slow work on a job queue (RQ on Redis) when ``REDIS_URL`` is set, with a page showing its progress to the user
who asked for it; without ``REDIS_URL`` the same work runs inline, in the request, as it always has.

``queue`` enqueues and reads the job records, ``progress`` is what a job function calls (its progress, its
result, its failure in French), ``worker`` runs the jobs inside the application (``flask --app wsgi worker``),
``routes`` serves the job page ``/taches/<id>``, its JSON and its result file.
"""
