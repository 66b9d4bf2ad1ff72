"""Response bodies of the read side's views across objects: the audit trail, the portfolio, a
client's roadmap and alignment (services/api/responses.py). ("What changed since" and the
audit item itself are services/api/history_out.py's.)

The roadmap, the alignment and the portfolio show initiatives as the plans' read model holds
them: a plan's initiative (`InitiativeOut`) and the plan it belongs to.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

import msgspec

from domain.budget import BudgetStatus
from domain.goals import GoalStatus
from domain.shared import Priority
from services.api.history_out import AuditItemOut
from services.api.plans_out import InitiativeCountsOut, InitiativeOut
from services.api.responses import MoneyOut, Out
from services.api.tactical_schemas import QuarterText

Count = Annotated[int, msgspec.Meta(ge=0)]


class AuditPage(Out, kw_only=True):
    """`GET /v1/audit`: the decisions the key may see, newest first."""

    items: list[AuditItemOut]
    next_cursor: str | None


class PlannedInitiativeOut(InitiativeOut, kw_only=True):
    """An initiative of one of the client's plans (`plan_id`), as the read side shows it."""

    plan_id: UUID


class StrategyRefOut(Out, kw_only=True):
    """The client's active strategy, named."""

    id: UUID
    title: str


class PortfolioBudgetOut(Out, kw_only=True):
    """The client's budget for the fiscal year containing today: what is planned and what was
    spent, in the budget's currency."""

    id: UUID
    fiscal_year: int
    status: BudgetStatus
    planned: MoneyOut
    actual: MoneyOut


class PortfolioItemOut(Out, kw_only=True):
    """One client across its strategies, plans, budgets and assessments. `next_quarter` is
    the fiscal quarter after today's in the client's calendar; `health_score` the overall
    score of its latest completed assessment (null: none yet, or nothing scored)."""

    client_id: UUID
    name: str
    active_strategy: StrategyRefOut | None
    initiatives_by_status: InitiativeCountsOut
    current_budget: PortfolioBudgetOut | None
    unaligned_initiatives: Count
    next_quarter: QuarterText
    next_quarter_initiatives: list[PlannedInitiativeOut]
    health_score: Annotated[int, msgspec.Meta(ge=0, le=100)] | None


class PortfolioPage(Out, kw_only=True):
    """`GET /v1/portfolio`: one item per client the key may see."""

    items: list[PortfolioItemOut]
    next_cursor: str | None


class RoadmapQuarterOut(Out, kw_only=True):
    """One fiscal quarter (its first and last day in the client's calendar), its initiatives,
    what they cost once and the yearly run-rate their recurring costs add."""

    quarter: QuarterText
    starts_on: date
    ends_on: date
    initiatives: list[PlannedInitiativeOut]
    one_time_total: MoneyOut
    recurring_annual_total: MoneyOut


class RoadmapOut(Out, kw_only=True):
    """`GET /v1/clients/{cid}/roadmap`: every quarter of the range, empty ones too, and the
    initiatives not scheduled yet; cancelled initiatives are left out."""

    quarters: list[RoadmapQuarterOut]
    unscheduled: list[PlannedInitiativeOut]


class AlignmentGoalOut(Out, kw_only=True):
    """An active goal of the client's active strategy."""

    id: UUID
    strategy_id: UUID
    title: str
    description: str | None
    priority: Priority
    status: GoalStatus


class GoalAlignmentOut(Out, kw_only=True):
    """A goal and the initiatives serving it."""

    goal: AlignmentGoalOut
    initiatives: list[PlannedInitiativeOut]


class AlignmentOut(Out, kw_only=True):
    """`GET /v1/clients/{cid}/alignment`: the active strategy's goals with the initiatives
    serving them, the initiatives serving none, and the goals nothing serves (no active
    strategy: `strategy` null and no goals); cancelled initiatives are left out."""

    strategy: StrategyRefOut | None
    goals: list[GoalAlignmentOut]
    unaligned_initiatives: list[PlannedInitiativeOut]
    goals_without_initiatives: list[AlignmentGoalOut]
