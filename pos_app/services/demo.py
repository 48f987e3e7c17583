"""Demo data for trying the counter on a standalone terminal (``pos-terminal init --demo``).

A standalone demo has no central server to sign member codes, so it makes its own demo chain key in the
data folder (``demo-chain-key.pem``) and signs its members' codes with it. An enrolled terminal never holds
a private key: its members' codes are signed by the server and arrive with sync.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from pos_app.core.member_codes import public_key_bytes, sign_member_code
from pos_app.ledger.canonical import ms_to_dt
from pos_app.ledger.files import write_private

DEMO_KEY_ID = "DEMO1"
# Demo-only PINs (documented in the README): they bypass the PIN policy and the window says so.
DEMO_STAFF = (("cashier-1", "สมใจ ใจดี", "cashier", "1111"), ("manager-1", "Manee Manager", "manager", "9999"))
DEMO_REWARDS = (
    ("COFFEE", "กาแฟเย็น 1 แก้ว", "Iced coffee", 120, None),
    ("BAG", "ถุงผ้ารักษ์โลก", "Reusable bag", 300, 50),
    ("VOUCHER100", "บัตรกำนัล 100 บาท", "100 baht voucher", 800, None),
)
DEMO_MEMBERS = (("สมชาย ใจดี", "0812345678"), ("Jane Doe", "0898765432"), ("วิภา รักษ์ดี", "0623456789"))


def demo_key(services: Any) -> Ed25519PrivateKey:
    path = services.data_dir / "demo-chain-key.pem"
    if path.exists():
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        assert isinstance(key, Ed25519PrivateKey)
        return key
    key = Ed25519PrivateKey.generate()
    write_private(path, key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
    return key


def seed_demo(services: Any) -> dict[str, Any]:
    """Idempotent: running it twice adds nothing new."""
    ledger = services.ledger
    key = demo_key(services)
    with ledger.write() as conn:
        ledger.put_signing_key(conn, DEMO_KEY_ID, public_key_bytes(key))
    existing_staff = {s.id for s in services.staff()}
    for staff_id, name, role, pin in DEMO_STAFF:
        if staff_id not in existing_staff:
            services.add_staff(name=name, role=role, pin=pin, staff_id=staff_id, demo=True)
    for code, th, en, cost, stock in DEMO_REWARDS:
        services.put_reward(code=code, name_th=th, name_en=en, points_cost=cost, stock=stock)
    members = []
    for name, phone in DEMO_MEMBERS:
        m = services.members.find_by_phone(phone) or services.members.enroll(
            name=name, phone=phone, operator_id="demo")
        if m.member_code is None:
            now = ms_to_dt(services.clock())
            code = sign_member_code(key, DEMO_KEY_ID, m.id, now, now + timedelta(days=3 * 365))
            with ledger.write() as conn:
                ledger.set_member_code(conn, m.id, code)
        members.append(m.id)
    return {"demo_members": members, "demo_staff": [s[0] for s in DEMO_STAFF]}
