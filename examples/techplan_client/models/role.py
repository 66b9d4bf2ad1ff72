from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    CLIENT = "client"
    EDITOR = "editor"
    VIEWER = "viewer"

    def __str__(self) -> str:
        return str(self.value)
