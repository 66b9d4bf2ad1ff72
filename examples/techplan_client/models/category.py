from enum import StrEnum


class Category(StrEnum):
    BACKUP_DR = "backup_dr"
    CLOUD = "cloud"
    COMPLIANCE = "compliance"
    HARDWARE = "hardware"
    NETWORK = "network"
    OTHER = "other"
    SECURITY = "security"
    SOFTWARE = "software"
    TRAINING = "training"

    def __str__(self) -> str:
        return str(self.value)
