from enum import StrEnum


class LineKind(StrEnum):
    CAPEX = "capex"
    OPEX = "opex"

    def __str__(self) -> str:
        return str(self.value)
