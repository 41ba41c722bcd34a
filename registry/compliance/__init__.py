"""Compliance of an hôpital de proximité with the texts in force (L6111-3-2, L6111-3-3, R6111-24 II), and with
the 2016 R6111-26 kept as a rule set of its own.

``rules`` holds the requirements as versioned data with their citations and readings; ``checker.evaluate``
is a pure function of (hospital facts, convention facts, date, rule set). Nothing here queries the database:
an adapter fills the ``facts`` dataclasses.
"""
