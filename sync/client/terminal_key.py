"""Ask the server to certify this terminal's own card-signing key (``POST /v1/terminal-key``).

The terminal then signs new members' cards itself, offline (docs/member-codes.md). Kept beside the protocol
module rather than in it: the endpoint is an addition that older servers answer with 404 (reported as
``Refused``), and a terminal then simply keeps waiting for server-signed codes.
"""

from __future__ import annotations

import base64
from typing import Any

from pydantic import BaseModel, ConfigDict


class TerminalKeyAnswer(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    key_id: str
    certificate: str


def certify(client: Any, public_key: bytes) -> TerminalKeyAnswer:
    """``client``: a :class:`sync.client.SyncClient`. Raises ``Offline`` / ``Refused`` like every call."""
    answer: TerminalKeyAnswer = client.api._call(
        "POST", "/v1/terminal-key", TerminalKeyAnswer,
        json={"public_key_b64": base64.b64encode(public_key).decode("ascii")})
    return answer
