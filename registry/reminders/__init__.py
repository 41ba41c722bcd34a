"""Reminders by e-mail (docs/reminders.md): notice deadlines and ends of conventions to the hospitals' users,
statutory conventions missing or late to the ARS of the region; one digest per recipient, each reminder once.

due.py says what is due on a day and to whom, digest.py writes the mails in French, mailer.py sends them through
SMTP, models.py records what was sent, run.py ties them together for the `remind` command (cli.py).
"""
