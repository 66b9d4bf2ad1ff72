"""Technology plans: initiatives with a quarter, a cost and the strategy goals they serve."""

from domain.plan.aggregate import InitiativeStatus, TechnologyPlan
from domain.plan.costs import Period, RecurringCost, annual_run_rate

__all__ = ["InitiativeStatus", "Period", "RecurringCost", "TechnologyPlan", "annual_run_rate"]
