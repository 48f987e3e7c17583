"""The head-office console: server-rendered pages under ``/console/`` in the same FastAPI application.

Jinja2 templates with autoescaping, plain HTML forms (no JavaScript), Thai and English. Accounts, sessions,
CSRF and the audit log are in ``auth.py``; the pages in ``pages.py``; docs/console.md describes it for users.
"""

from sync.server.console.pages import mount_console

__all__ = ["mount_console"]
