"""Webhook signing secrets: made, sealed at rest, and used to sign (Standard Webhooks).

A secret is `whsec_` + base64 of 32 random bytes. It is shown once (creation, rotation) and
stored only sealed with a key derived from TECHPLAN_SECRET_KEY, so a database dump alone does
not let anyone forge deliveries.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from collections.abc import Iterable

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from services.errors import ServiceError

PREFIX = "whsec_"


class WebhooksUnavailable(ServiceError):
    """The server is not configured for webhooks (no TECHPLAN_SECRET_KEY)."""

    status = 503
    title = "Service Unavailable"


class SecretUnreadable(Exception):
    """A sealed secret cannot be opened: TECHPLAN_SECRET_KEY changed or the value is damaged."""


def new_secret() -> str:
    return PREFIX + base64.b64encode(os.urandom(32)).decode()


class SecretBox:
    """Seals and opens webhook secrets with a Fernet key derived from TECHPLAN_SECRET_KEY."""

    def __init__(self, secret_key: str | None) -> None:
        if not secret_key:
            raise WebhooksUnavailable(
                "webhooks need TECHPLAN_SECRET_KEY: the server encrypts webhook secrets with it,"
                " and it is not set"
            )
        derived = HKDF(
            algorithm=hashes.SHA256(),
            length=32,
            salt=b"techplan",
            info=b"techplan webhook secrets v1",
        ).derive(secret_key.encode())
        self._fernet = Fernet(base64.urlsafe_b64encode(derived))

    def seal(self, secret: str) -> str:
        return self._fernet.encrypt(secret.encode()).decode()

    def open(self, sealed: str) -> str:
        try:
            return self._fernet.decrypt(sealed.encode()).decode()
        except InvalidToken:
            raise SecretUnreadable(
                "the webhook secret cannot be decrypted (was TECHPLAN_SECRET_KEY changed?)"
            ) from None


def sign(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    """`v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`, keyed with the secret's bytes."""
    key = base64.b64decode(secret.removeprefix(PREFIX))
    content = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(key, content, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def signature_header(secrets: Iterable[str], msg_id: str, timestamp: int, body: bytes) -> str:
    """One signature per secret, space separated: receivers accept any that verifies."""
    return " ".join(sign(s, msg_id, timestamp, body) for s in secrets)
