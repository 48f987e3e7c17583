"""Demo data for ``loyalty-server serve --demo`` (SQLite) and for tests."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from sync import protocol as p
from sync.server import service as svc
from sync.server.app import run_tx
from sync.server.config import Settings
from sync.server.keys import add_key

DEMO_ADMIN_TOKEN = "demo-admin-token"
DEMO_KEY_PASSPHRASE = b"demo-key-passphrase"
DEMO_BRANCH = "BKK01"

DEMO_REWARDS = [
    p.RewardInfo(code="COFFEE", name_th="กาแฟเย็น 1 แก้ว", name_en="Iced coffee", points_cost=100, stock=None,
                 active=True),
    p.RewardInfo(code="TOTE", name_th="กระเป๋าผ้า", name_en="Tote bag", points_cost=300, stock=50, active=True),
    p.RewardInfo(code="VOUCHER100", name_th="บัตรกำนัล 100 บาท", name_en="100 baht voucher", points_cost=400,
                 stock=None, active=True),
]


@dataclass(frozen=True)
class DemoInfo:
    branch: str
    enrollment_codes: list[str]
    admin_token: str


def seed_demo(engine: Engine, settings: Settings, terminals: int = 2) -> DemoInfo:
    """Branch BKK01, staff (demo-only PINs: cashier 1111, manager 9999), rewards, default rules, an offline policy, a
    member-code signing key, and ``terminals`` enrollment codes."""
    from pos_app.core.rules import default_rules

    now = svc.utcnow()

    def reference(conn) -> None:  # type: ignore[no-untyped-def]
        svc.add_branch(conn, DEMO_BRANCH, "Bangkok Siam (สยาม)", now)
        # demo-only PINs (documented): they bypass the PIN policy
        svc.upsert_staff(conn, "cashier1", "สมหญิง (cashier)", "cashier", "1111", None, demo=True)
        svc.upsert_staff(conn, "manager1", "สมชาย (manager)", "manager", "9999", None, demo=True)
        for reward in DEMO_REWARDS:
            svc.upsert_reward(conn, reward)
        svc.set_rules(conn, default_rules(1).to_json(), now)
        svc.set_policy(conn, {"max_points_per_redemption": 500, "max_points_per_member_per_terminal": 1000,
                              "max_points_per_terminal": 5000, "max_hours_since_sync": 24})
        add_key(conn, "DEMO1", now, settings.key_passphrase or DEMO_KEY_PASSPHRASE)

    run_tx(engine, reference)
    codes = [run_tx(engine, lambda c: svc.issue_enrollment_code(c, DEMO_BRANCH, now, 24 * 7))[0]
             for _ in range(terminals)]
    return DemoInfo(branch=DEMO_BRANCH, enrollment_codes=codes, admin_token=DEMO_ADMIN_TOKEN)


def demo_settings(data_dir: Path) -> Settings:
    import os

    data_dir.mkdir(parents=True, exist_ok=True)
    return Settings(database_url=f"sqlite:///{data_dir / 'loyalty-demo.sqlite3'}",
                    admin_token_sha256=Settings.hash_token(DEMO_ADMIN_TOKEN), key_passphrase=DEMO_KEY_PASSPHRASE,
                    pin_wave_failures=int(os.environ.get("LOYALTY_PIN_WAVE_FAILURES", "10")),
                    pin_wave_minutes=int(os.environ.get("LOYALTY_PIN_WAVE_MINUTES", "15")))


DEMO_CONSOLE_USER = "demo-admin"
DEMO_CONSOLE_PASSWORD = "loyalty-demo-2026"  # demo-only, printed by ``serve --demo``


def seed_demo_console(engine: Engine, settings: Settings) -> None:
    """The demo's head-office console account (administrator), once per demo database."""
    from sqlalchemy import Connection, select

    from sync.server import models as m
    from sync.server.console.auth import add_user

    def run(conn: Connection) -> None:
        if conn.execute(select(m.console_users.c.id).where(m.console_users.c.username == DEMO_CONSOLE_USER)).first():
            return
        add_user(conn, DEMO_CONSOLE_USER, DEMO_CONSOLE_PASSWORD, "admin", settings.clock(),
                 display_name="Demo administrator", by="demo")

    run_tx(engine, run)
