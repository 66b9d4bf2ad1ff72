from enum import StrEnum


class WebhookPatchStatusType3Type1(StrEnum):
    DISABLED = "disabled"
    ENABLED = "enabled"

    def __str__(self) -> str:
        return str(self.value)
