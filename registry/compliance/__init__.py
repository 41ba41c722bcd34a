"""Compliance of an hôpital de proximité with the texts that require its partnerships (R6111-26, R6111-24 II).

``rules`` holds the requirements as versioned data with their citations and readings; ``checker.evaluate``
is a pure function of (hospital facts, convention facts, date, rule set). Nothing here queries the database:
an adapter fills the ``facts`` dataclasses.
"""
