"""A realistic stream of decisions, written fast: each client's story (strategy and goals,
a plan and its initiatives moving through their statuses, a budget with lines and actuals,
reviews, standards and an assessment whose finding becomes an initiative) is told by the
domain's own commands and saved straight to the event store, several events per save. Used
by the read-side tests and by `bench.readside`."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from uuid import UUID, uuid4

from domain.assessment import Assessment
from domain.budget import Budget
from domain.calendar import FiscalQuarter, FiscalYear
from domain.category import Category
from domain.client import Client
from domain.plan import InitiativeStatus, Period, RecurringCost, TechnologyPlan
from domain.plan.initiative import LOCKED, InitiativeSource
from domain.review import Review
from domain.scoring import Result
from domain.shared import Actor, Decision, Money, Priority, TechplanAggregate
from domain.standard import InitiativeTemplate, Standard
from domain.strategy import Strategy
from services.store import Store

ACTORS = (
    Actor("k-vera", "Vera (vCIO)", "editor"),
    Actor("k-ops", "Ops admin", "admin"),
    Actor("k-cfo", "Client CFO", "client"),
)
REASONS = (
    "board approved the security roadmap",
    "insurance requires immutable backups",
    "hardware is out of warranty",
    "budget pressure from the client's CFO",
    "ransomware incident at a peer company",
    "vendor raised licence prices",
    "compliance audit finding",
    "staff turnover needs training",
    "cloud migration reduces on-premise costs",
    "quarterly business review agreed it",
)
CATEGORIES = ("hardware", "software", "security", "backup_dr", "network", "cloud", "training")


@dataclass
class Story:
    """One client's aggregates, kept in memory while its events are written."""

    tenant_id: UUID
    client: Client
    strategy: Strategy
    plan: TechnologyPlan
    budget: Budget
    goals: list[UUID] = field(default_factory=list)
    initiatives: list[UUID] = field(default_factory=list)
    lines: list[UUID] = field(default_factory=list)


class Workload:
    def __init__(self, store: Store, *, seed: int = 7, tenants: int = 3) -> None:
        self.store = store
        self.rng = random.Random(seed)
        self.tenants = [uuid4() for _ in range(tenants)]
        self.saved = 0

    def by(self, rationale: str | None = "") -> Decision:
        reason = self.rng.choice(REASONS) if rationale == "" else rationale
        return Decision(self.rng.choice(ACTORS), datetime.now(UTC), uuid4().hex, reason)

    def save(self, *aggregates: TechplanAggregate) -> int:
        pending = sum(len(a.pending_events) for a in aggregates)
        position = self.store.save(*aggregates)
        self.saved += pending
        return position

    # ------------------------------------------------------------ the story of one client

    def client_story(self, rounds: int = 3) -> Iterator[int]:
        """Tell one client's story; yields the position after each save."""
        rng = self.rng
        tenant = rng.choice(self.tenants)
        today = datetime.now(UTC).date()
        client = Client.create(
            id=uuid4(),
            tenant_id=tenant,
            name=f"Client {uuid4().hex[:6]}",
            fiscal_year_start_month=rng.choice((1, 4, 7, 10)),
            currency="EUR",
            by=self.by(None),
        )
        strategy = Strategy.create(
            id=uuid4(),
            tenant_id=tenant,
            client_id=client.id,
            title="IT strategy",
            vision="Secure, simple, in the cloud",
            by=self.by(None),
        )
        goals = []
        for title in ("Resilience", "Security", "Cost control", "Productivity"):
            goal_id = uuid4()
            goals.append(goal_id)
            strategy.add_goal(
                goal_id=goal_id,
                title=title,
                description=None,
                priority=rng.choice(list(Priority)),
                by=self.by(None),
            )
        strategy.adopt(self.by())
        client.activate_strategy(strategy.id, self.by())
        yield self.save(client, strategy)

        plan = TechnologyPlan.create(
            id=uuid4(),
            tenant_id=tenant,
            client_id=client.id,
            title="Technology plan",
            strategy_id=strategy.id,
            by=self.by(None),
        )
        this_quarter = FiscalQuarter.containing(today, client.fiscal_year_start_month)
        story = Story(tenant, client, strategy, plan, self._budget(client, plan, today), goals)
        for _ in range(8):
            story.initiatives.append(self._propose(story, this_quarter))
        yield self.save(plan)

        client.open_budget(story.budget.id, story.budget.fiscal_year, self.by(None))
        for _ in range(6):
            line_id = uuid4()
            story.lines.append(line_id)
            story.budget.add_line(
                line_id=line_id,
                category=rng.choice(CATEGORIES),
                quarter=rng.choice(("Q1", "Q2", "Q3", "Q4")),
                amount_minor=rng.randrange(1_000, 5_000_000),
                kind=rng.choice(("capex", "opex")),
                by=self.by(None),
            )
        yield self.save(client, story.budget)

        for _ in range(rounds):
            for _ in range(10):
                self._change_initiative(story, this_quarter)
            yield self.save(plan)
        yield from self._budget_year(story)
        yield from self._review(story, today)
        yield from self._assessment(story)

    def _budget(self, client: Client, plan: TechnologyPlan, today: date) -> Budget:
        year = FiscalYear.containing(today, client.fiscal_year_start_month).year
        return Budget.create(
            id=uuid4(),
            tenant_id=client.tenant_id,
            client_id=client.id,
            fiscal_year=year,
            currency=client.currency,
            plan_id=plan.id,
            title=f"FY{year}",
            by=self.by(None),
        )

    def _propose(self, story: Story, this_quarter: FiscalQuarter) -> UUID:
        rng = self.rng
        initiative_id = uuid4()
        quarter: FiscalQuarter | None = this_quarter
        for _ in range(rng.randrange(0, 6)):
            quarter = quarter.next() if quarter else None
        if rng.random() < 0.1:
            quarter = None
        story.plan.propose_initiative(
            initiative_id=initiative_id,
            title=f"Initiative {initiative_id.hex[:6]}",
            category=rng.choice(CATEGORIES),
            goal_ids=rng.sample(story.goals, rng.randrange(0, 3)),
            target_quarter=quarter,
            one_time_cost=Money(rng.randrange(0, 2_000_000), "EUR") if rng.random() < 0.8 else None,
            recurring_cost=RecurringCost(rng.randrange(100, 10_000), "EUR", Period.MONTH, 2)
            if rng.random() < 0.5
            else None,
            priority=rng.choice(list(Priority)),
            currency="EUR",
            by=self.by(None),
        )
        return initiative_id

    def _change_initiative(self, story: Story, this_quarter: FiscalQuarter) -> None:
        rng, plan = self.rng, story.plan
        iid = rng.choice(story.initiatives)
        status = plan.initiative(iid).status
        if status in LOCKED:
            story.initiatives.append(self._propose(story, this_quarter))
            return
        moves = {
            InitiativeStatus.PROPOSED: (
                "approve",
                "defer",
                "reschedule",
                "reestimate",
                "retitle",
                "cancel",
            ),
            InitiativeStatus.APPROVED: ("start", "defer", "reestimate"),
            InitiativeStatus.IN_PROGRESS: ("complete", "retitle"),
        }[status]
        move = rng.choice(moves)
        by = self.by()
        if move == "approve":
            if not plan.initiative(iid).goal_ids:
                plan.update_initiative(iid, goal_ids=[story.goals[0]], currency="EUR", by=by)
            else:
                plan.approve_initiative(
                    iid, strategy_status="active", active_goal_ids=story.goals, by=by
                )
        elif move == "defer":
            current = plan.initiative(iid).target_quarter
            later = current.next() if current else this_quarter.next()
            plan.defer_initiative(iid, target_quarter=later, by=by)
        elif move == "reschedule":
            plan.update_initiative(
                iid, target_quarter=this_quarter.next().next(), currency="EUR", by=by
            )
        elif move == "reestimate":
            cost = Money(rng.randrange(0, 3_000_000), "EUR")
            plan.update_initiative(iid, one_time_cost=cost, currency="EUR", by=by)
        elif move == "retitle":
            plan.update_initiative(
                iid, title=f"Initiative {uuid4().hex[:8]}", currency="EUR", by=by
            )
        elif move == "cancel":
            plan.cancel_initiative(iid, by)
        elif move == "start":
            plan.start_initiative(iid, by)
        else:
            plan.complete_initiative(iid, by)

    def _budget_year(self, story: Story) -> Iterator[int]:
        budget = story.budget
        budget.update_line(
            story.lines[0], amount_minor=self.rng.randrange(1, 100_000), by=self.by()
        )
        budget.remove_line(story.lines[-1], self.by())
        budget.submit(self.by())
        budget.approve(self.by())
        yield self.save(budget)
        for line_id in story.lines[:3]:
            budget.record_actual(
                actual_id=uuid4(),
                line_id=line_id,
                amount_minor=self.rng.randrange(-1_000, 50_000),
                note="invoice",
                by=self.by(None),
            )
        yield self.save(budget)

    def _review(self, story: Story, today: date) -> Iterator[int]:
        review = Review.create(
            id=uuid4(),
            tenant_id=story.tenant_id,
            client_id=story.client.id,
            title="Quarterly business review",
            scheduled_for=today,
            attendees=["Vera", "CFO"],
            by=self.by(None),
        )
        review.update(attendees=["Vera", "CFO", "CEO"], by=self.by())
        yield self.save(review)
        review.complete(
            summary="Agreed the roadmap", head_position=self.store.max_position(), by=self.by()
        )
        yield self.save(review)

    def _assessment(self, story: Story) -> Iterator[int]:
        """Two standards join the tenant's library; the client is assessed against them, and
        a misaligned answer becomes an initiative (saved with the assessment, as the use case
        does)."""
        rng = self.rng
        standards = [
            Standard.create(
                id=uuid4(),
                tenant_id=story.tenant_id,
                title=f"Standard {uuid4().hex[:6]}",
                category=rng.choice(CATEGORIES),
                weight=rng.randrange(1, 11),
                severity=rng.choice(("low", "medium", "high", "critical")),
                initiative_template=InitiativeTemplate(
                    title="Close the gap",
                    description="What the finding needs",
                    category=Category.SECURITY,
                    one_time_cost=Money(rng.randrange(0, 500_000), "EUR"),
                    recurring_cost=None,
                    priority=Priority.HIGH,
                ),
                by=self.by(None),
            )
            for _ in range(2)
        ]
        yield self.save(*standards)
        assessment = Assessment.create(
            id=uuid4(),
            tenant_id=story.tenant_id,
            client_id=story.client.id,
            title="Assessment",
            standards=standards,
            by=self.by(None),
        )
        first, second = standards
        assessment.answer(first.id, result=Result.MISALIGNED, note="gap", by=self.by(None))
        assessment.answer(second.id, result=Result.ALIGNED, note=None, by=self.by(None))
        assessment.complete(self.by())
        yield self.save(assessment)
        template = assessment.finding(first.id)
        initiative_id = uuid4()
        story.plan.propose_initiative(
            initiative_id=initiative_id,
            title=template.title,
            description=template.description,
            category=template.category,
            goal_ids=story.goals[:1],
            target_quarter=None,
            one_time_cost=template.one_time_cost,
            recurring_cost=None,
            priority=template.priority,
            currency="EUR",
            source=InitiativeSource(assessment_id=assessment.id, standard_id=first.id),
            by=self.by(None),
        )
        assessment.propose_finding(
            first.id, plan_id=story.plan.id, initiative_id=initiative_id, by=self.by(None)
        )
        yield self.save(story.plan, assessment)

    # ------------------------------------------------------------ volume

    def write(self, events: int, rounds: int = 3) -> int:
        """Write client stories until at least `events` events are stored; returns the last
        position."""
        position = 0
        target = self.saved + events
        while self.saved < target:
            for position in self.client_story(rounds):  # noqa: B007
                pass
        return position
