"""What an initiative or a budget line is spent on."""

from __future__ import annotations

from enum import StrEnum

from domain.shared import RuleViolation


class Category(StrEnum):
    HARDWARE = "hardware"
    SOFTWARE = "software"
    SECURITY = "security"
    BACKUP_DR = "backup_dr"
    NETWORK = "network"
    CLOUD = "cloud"
    COMPLIANCE = "compliance"
    TRAINING = "training"
    OTHER = "other"

    @classmethod
    def parse(cls, value: str, *, field: str = "category") -> Category:
        try:
            return cls(value)
        except ValueError:
            allowed = ", ".join(c.value for c in cls)
            raise RuleViolation(f"category is one of {allowed}", field=field) from None
