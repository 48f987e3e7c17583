"""Head-office accounts of the console: roles, passwords, sessions, CSRF tokens, login throttling, the audit log.

* Passwords are argon2id hashes (argon2-cffi, like staff PINs); at least 12 characters.
* A session is a random 256-bit token in an HttpOnly, SameSite=Strict cookie (Secure unless the request came
  over plain HTTP to a loopback address, i.e. the demo); the database keeps only its SHA-256, so a copy of the
  database does not sign anyone in. A new token is made at every sign-in (no session fixation) and deleted at
  sign-out; sessions last ``SESSION_HOURS``.
* Every form carries the session's CSRF token (the sign-in form a double-submit cookie); a POST without the right
  one is refused before anything else happens.
* Failed sign-ins are counted per user name as typed, whether the account exists or not (no enumeration): after
  ``MAX_FAILURES`` the name is locked for ``LOCK_MINUTES``, even for the right password.
* They are also counted per client address (an IPv6 address by its /64, which one machine usually has whole):
  ``MAX_ADDRESS_FAILURES`` within ``ADDRESS_WINDOW_MINUTES`` lock every sign-in from that address for
  ``LOCK_MINUTES``. This stops one machine trying a few passwords on many names (which the per-name lockout
  alone lets through) without letting anyone lock a real user out from elsewhere.
* Every change made through the console is written to ``console_audit``: who, when, what, before and after.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, delete, insert, select, update

from sync.server import models as m

SESSION_HOURS = 10
MAX_FAILURES = 5
LOCK_MINUTES = 15
MIN_PASSWORD = 12
MAX_ADDRESS_FAILURES = 20
ADDRESS_WINDOW_MINUTES = 15

# Roles and what each may do. "area" limits members, flags and terminals to the user's branches.
ROLES: dict[str, frozenset[str]] = {
    "admin": frozenset({"dashboard", "members", "members.write", "flags", "flags.write", "terminals",
                        "terminals.write", "rules", "rules.write", "rewards", "rewards.write", "rewards.stock",
                        "vouchers", "vouchers.write", "reports", "users", "audit", "privacy"}),
    "marketing": frozenset({"dashboard", "rules", "rules.write", "rewards", "rewards.write", "rewards.stock",
                            "vouchers", "vouchers.write", "reports"}),
    "operations": frozenset({"dashboard", "terminals", "terminals.write", "flags", "flags.write", "vouchers",
                             "reports"}),
    # "privacy": a member's data export and erasure (PDPA, docs/privacy.md)
    "support": frozenset({"dashboard", "members", "members.write", "flags", "flags.write", "vouchers", "privacy"}),
    # "rewards.stock" of an area manager: their branches' stock only (the pages check the branch)
    "area": frozenset({"dashboard", "members", "flags", "flags.write", "terminals", "rewards", "rewards.stock",
                       "reports"}),
    "readonly": frozenset({"dashboard", "members", "flags", "terminals", "rules", "rewards", "vouchers", "reports"}),
}
ROLE_NAMES = tuple(ROLES)

_hasher = PasswordHasher()
# Verified against when the user name is unknown, so an unknown name costs the same time as a wrong password.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


class ConsoleError(Exception):
    """A refusal shown to the user as one line (``code`` for tests and logs)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class User:
    id: int
    username: str
    display_name: str
    role: str
    branches: tuple[str, ...]

    def may(self, permission: str) -> bool:
        return permission in ROLES.get(self.role, frozenset())

    @property
    def limited_to_branches(self) -> bool:
        return self.role == "area"


@dataclass(frozen=True)
class Session:
    user: User
    csrf_token: str
    token_sha256: str


def _sha(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normal_username(name: str) -> str:
    return name.strip().lower()


def check_password_policy(password: str, username: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise ConsoleError("weak_password", f"The password must have at least {MIN_PASSWORD} characters.")
    if normal_username(username) in password.lower():
        raise ConsoleError("weak_password", "The password must not contain the user name.")
    if len(set(password)) < 5:
        raise ConsoleError("weak_password", "The password is too simple: use more different characters.")


def _user(row: Any) -> User:
    branches = tuple(b for b in (row.branches or "").split(",") if b)
    return User(id=row.id, username=row.username, display_name=row.display_name, role=row.role, branches=branches)


def add_user(conn: Connection, username: str, password: str, role: str, now: datetime, *,
             display_name: str | None = None, branches: tuple[str, ...] = (), by: str = "cli") -> User:
    name = normal_username(username)
    if not name or len(name) > 64 or not all(c.isalnum() or c in "._-@" for c in name):
        raise ConsoleError("invalid_username", "A user name is 1-64 letters, digits, '.', '_', '-' or '@'.")
    if role not in ROLES:
        raise ConsoleError("invalid_role", f"Unknown role {role!r}: one of {', '.join(ROLE_NAMES)}.")
    if role == "area" and not branches:
        raise ConsoleError("invalid_role", "An area manager needs at least one branch (--branch).")
    check_password_policy(password, name)
    if conn.execute(select(m.console_users.c.id).where(m.console_users.c.username == name)).first():
        raise ConsoleError("user_exists", f"The user {name} already exists.")
    known = set(conn.execute(select(m.branches.c.code)).scalars())
    unknown = [b for b in branches if b not in known]
    if unknown:
        raise ConsoleError("unknown_branch", f"Unknown branch: {', '.join(unknown)}.")
    user_id = conn.execute(insert(m.console_users).values(
        username=name, display_name=display_name or name, password_hash=_hasher.hash(password), role=role,
        branches=",".join(branches), active=True, created_at=now).returning(m.console_users.c.id)).scalar_one()
    audit(conn, by, "user.add", name, None, {"role": role, "branches": list(branches)}, now)
    return User(id=user_id, username=name, display_name=display_name or name, role=role, branches=tuple(branches))


def address_key(host: str) -> str:
    """The unit sign-in failures are counted by: the IPv4 address, or the /64 of an IPv6 address."""
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return host[:64] or "unknown"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{ip}/64", strict=False))
    return str(ip)


def _address_locked(conn: Connection, key: str, now: datetime) -> bool:
    row = conn.execute(select(m.console_ip_failures).where(m.console_ip_failures.c.address == key)).first()
    return row is not None and row.locked_until is not None and row.locked_until > now


def _address_failed(conn: Connection, key: str, now: datetime) -> None:
    t = m.console_ip_failures
    row = conn.execute(select(t).where(t.c.address == key).with_for_update()).first()
    if row is None:
        conn.execute(insert(t).values(address=key, failures=1, window_start=now, locked_until=None))
        return
    fresh = now - row.window_start > timedelta(minutes=ADDRESS_WINDOW_MINUTES)
    count = 1 if fresh else row.failures + 1
    locked = now + timedelta(minutes=LOCK_MINUTES) if count >= MAX_ADDRESS_FAILURES else None
    conn.execute(update(t).where(t.c.address == key).values(
        failures=0 if locked else count, window_start=now if (fresh or locked) else row.window_start,
        locked_until=locked))


def sign_in(conn: Connection, username: str, password: str, now: datetime,
            address: str = "unknown") -> tuple[str, Session] | ConsoleError:
    """Check the password (with throttling by name and by client ``address``); returns (cookie token, session),
    or the refusal. A refusal is returned, not raised, so that the failure count it wrote is committed with the
    transaction."""
    name = normal_username(username)[:64]
    key = address_key(address)
    if _address_locked(conn, key, now):
        audit(conn, name, "sign_in.refused", f"address {key}", None, {"address_locked": True}, now)
        return ConsoleError("address_locked", "Too many failed sign-ins from this network address: wait a while "
                                              "and try again, or ask an administrator.")
    failures = conn.execute(select(m.console_login_failures).where(
        m.console_login_failures.c.username == name).with_for_update()).first()
    if failures is not None and failures.locked_until is not None and failures.locked_until > now:
        return ConsoleError("locked", "Too many failed sign-ins: this account is locked for a while. "
                                      "Try again later or ask an administrator.")
    row = conn.execute(select(m.console_users).where(m.console_users.c.username == name)).first()
    ok = False
    try:
        ok = _hasher.verify(row.password_hash if row is not None else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        ok = False
    if not ok or row is None or not row.active:
        count = (failures.failures if failures is not None else 0) + 1
        locked = now + timedelta(minutes=LOCK_MINUTES) if count >= MAX_FAILURES else None
        if failures is None:
            conn.execute(insert(m.console_login_failures).values(username=name, failures=count,
                                                                 locked_until=locked, last_at=now))
        else:
            conn.execute(update(m.console_login_failures).where(m.console_login_failures.c.username == name)
                         .values(failures=0 if locked else count, locked_until=locked, last_at=now))
        _address_failed(conn, key, now)
        audit(conn, name, "sign_in.failed", name, None, {"locked": locked is not None, "address": key}, now)
        return ConsoleError("bad_credentials", "Wrong user name or password.")
    if failures is not None:
        conn.execute(delete(m.console_login_failures).where(m.console_login_failures.c.username == name))
    conn.execute(delete(m.console_sessions).where(m.console_sessions.c.expires_at < now))
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    conn.execute(insert(m.console_sessions).values(token_sha256=_sha(token), user_id=row.id, csrf_token=csrf,
                                                   created_at=now, expires_at=now + timedelta(hours=SESSION_HOURS)))
    audit(conn, name, "sign_in", name, None, None, now)
    return token, Session(user=_user(row), csrf_token=csrf, token_sha256=_sha(token))


def session_for(conn: Connection, token: str | None, now: datetime) -> Session | None:
    if not token or len(token) > 100:
        return None
    row = conn.execute(
        select(m.console_sessions, m.console_users)
        .join(m.console_users, m.console_users.c.id == m.console_sessions.c.user_id)
        .where(m.console_sessions.c.token_sha256 == _sha(token))).first()
    if row is None or row.expires_at <= now or not row.active:
        return None
    return Session(user=_user(row), csrf_token=row.csrf_token, token_sha256=row.token_sha256)


def sign_out(conn: Connection, session: Session, now: datetime) -> None:
    conn.execute(delete(m.console_sessions).where(m.console_sessions.c.token_sha256 == session.token_sha256))
    audit(conn, session.user.username, "sign_out", session.user.username, None, None, now)


def same_token(expected: str | None, given: str | None) -> bool:
    return bool(expected) and bool(given) and hmac.compare_digest(str(expected), str(given))


def audit(conn: Connection, username: str, action: str, target: str, before: Any, after: Any,
          now: datetime) -> None:
    def dump(value: Any) -> str | None:
        return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)

    conn.execute(insert(m.console_audit).values(at=now, username=username[:64], action=action, target=target[:200],
                                                before=dump(before), after=dump(after)))
