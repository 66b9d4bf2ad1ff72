from enum import StrEnum


class V1AuditSearchAggregateTypeType3Type1(StrEnum):
    ASSESSMENT = "assessment"
    BUDGET = "budget"
    CLIENT = "client"
    PLAN = "plan"
    REVIEW = "review"
    STANDARD = "standard"
    STRATEGY = "strategy"

    def __str__(self) -> str:
        return str(self.value)
