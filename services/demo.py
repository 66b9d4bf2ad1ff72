"""Demo data for `techplan dev`: a tenant "Demo MSP" with clients whose strategies changed.

Everything is created through the same command functions the API calls, under a Principal
for the demo tenant's admin key, so every event is a real one: history, time travel and the
read side show the demo like any other data.

The demo tells a story over the past months: each step runs at its own (backdated) time, so
the history reads like decisions taken at meetings, and `as_of` queries find something to
show. Steps of every client run in one chronological order, so timestamps also grow along the
notification log.

Adding to the demo: write a function that returns more `Step`s and append it to `SCRIPTS`;
steps find earlier ids in `Demo.ids`. Plans and budgets are added only when their command
modules import (they are optional parts of the service layer, like their routes).
Dates (target quarters, fiscal years) are computed from each step's own date, so the story
fits whatever day the demo is loaded.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, time, timedelta
from typing import Any
from uuid import UUID

from domain.calendar import FiscalQuarter, FiscalYear
from domain.category import Category
from domain.plan import Period
from domain.shared import Decision, Priority, Role
from services.api.common import Ctx
from services.api.schemas import (
    ClientIn,
    ClientPatch,
    DecisionIn,
    GoalIn,
    GoalPatch,
    PrincipleIn,
    StrategyIn,
)
from services.auth import Principal, authenticate, create_key, create_tenant
from services.bootstrap import Container
from services.commands import clients as client_commands
from services.commands import strategies as strategy_commands

DEMO_TENANT = "Demo MSP"

log = logging.getLogger("techplan.demo")


# ---------------------------------------------------------------- running a script


@dataclass
class Clock:
    now: datetime


@dataclass(frozen=True)
class DemoCtx(Ctx):
    """A command context whose decisions happen at the demo clock's time."""

    clock: Clock = field(default_factory=lambda: Clock(datetime.now(UTC)))

    def decision(self, rationale: str | None = None) -> Decision:
        return Decision(
            actor=self.principal.actor,
            at=self.clock.now,
            correlation_id=self.correlation_id,
            rationale=rationale,
        )


@dataclass(frozen=True)
class Step:
    """One request of the story, `days_ago` days before the demo is loaded."""

    days_ago: int
    what: str
    run: Callable[[Demo], Any]


@dataclass
class Demo:
    """The running script: the context of the current step and the ids made so far."""

    c: Container
    principal: Principal
    ctx: DemoCtx
    ids: dict[str, UUID] = field(default_factory=dict)
    start_months: dict[str, int] = field(default_factory=dict)
    principals: dict[str, Principal] = field(default_factory=dict)
    steps_run: int = 0

    def run(self, steps: list[Step], *, today: datetime) -> None:
        start_of = datetime.combine(today.date(), time(9, 0), tzinfo=UTC)
        previous: datetime | None = None
        # Oldest first; steps of the same day keep their order (sorted() is stable).
        for step in sorted(steps, key=lambda s: -s.days_ago):
            at = start_of - timedelta(days=max(step.days_ago, 1))
            if previous is not None and at <= previous:
                at = previous + timedelta(minutes=7)
            previous = at
            self.steps_run += 1
            self.ctx.clock.now = at
            self.ctx = replace(self.ctx, correlation_id=f"demo-{self.steps_run:03d}")
            try:
                step.run(self)
            except Exception as exc:
                raise RuntimeError(f"demo step {step.what!r} failed: {exc}") from exc

    # ------------------------------------------------------------ clients and strategies

    def client(
        self, key: str, name: str, *, fiscal_year_start_month: int = 1, currency: str = "USD"
    ) -> None:
        data = ClientIn(
            name=name, fiscal_year_start_month=fiscal_year_start_month, currency=currency
        )
        client, _ = client_commands.create_client(self.ctx, data)
        self.ids[key] = client.id
        self.start_months[key] = fiscal_year_start_month

    def client_key(self, key: str, client: str, name: str) -> None:
        """A portal key of role `client` for one client: its decisions carry its name."""
        with self.c.db.tx() as cur:
            _, secret = create_key(
                cur,
                tenant_id=self.principal.tenant_id,
                name=name,
                role=Role.CLIENT,
                client_ids=[self.ids[client]],
            )
        self.principals[key] = authenticate(self.c.db, f"Bearer {secret}")

    def as_(self, principal: str | None) -> DemoCtx:
        if principal is None:
            return self.ctx
        return replace(self.ctx, principal=self.principals[principal])

    # ------------------------------------------------------------ dates of the story

    def quarter(self, client: str, days_ahead: int) -> str:
        """The client's fiscal quarter `days_ahead` days after the current step."""
        day = (self.ctx.clock.now + timedelta(days=days_ahead)).date()
        return str(FiscalQuarter.containing(day, self.start_months[client]))

    def fiscal_year(self, client: str, days_ahead: int = 0) -> int:
        day = (self.ctx.clock.now + timedelta(days=days_ahead)).date()
        return FiscalYear.containing(day, self.start_months[client]).year

    def update_client(self, key: str, rationale: str, *, name: str | None = None) -> None:
        client_commands.update_client(
            self.ctx, self.ids[key], ClientPatch(rationale=rationale, name=name)
        )

    def strategy(
        self, key: str, client: str, title: str, vision: str, rationale: str | None = None
    ) -> None:
        data = StrategyIn(title=title, vision=vision, rationale=rationale)
        strategy, _ = strategy_commands.create_strategy(self.ctx, self.ids[client], data)
        self.ids[key] = strategy.id

    def goal(
        self,
        key: str,
        strategy: str,
        title: str,
        priority: Priority,
        description: str | None = None,
        rationale: str | None = None,
    ) -> None:
        data = GoalIn(title=title, description=description, priority=priority, rationale=rationale)
        _, _, goal_id = strategy_commands.add_goal(self.ctx, self.ids[strategy], data)
        self.ids[key] = goal_id

    def reprioritize(self, strategy: str, goal: str, priority: Priority, rationale: str) -> None:
        data = GoalPatch(rationale=rationale, priority=priority)
        strategy_commands.update_goal(self.ctx, self.ids[strategy], self.ids[goal], data)

    def reword(
        self,
        strategy: str,
        goal: str,
        rationale: str,
        *,
        title: str | None = None,
        description: str | None = None,
    ) -> None:
        data = GoalPatch(rationale=rationale, title=title, description=description)
        strategy_commands.update_goal(self.ctx, self.ids[strategy], self.ids[goal], data)

    def retire(self, strategy: str, goal: str, rationale: str) -> None:
        data = DecisionIn(rationale=rationale)
        strategy_commands.retire_goal(self.ctx, self.ids[strategy], self.ids[goal], data)

    def principle(self, key: str, strategy: str, statement: str) -> None:
        _, _, principle_id = strategy_commands.add_principle(
            self.ctx, self.ids[strategy], PrincipleIn(statement=statement)
        )
        self.ids[key] = principle_id

    def adopt(self, strategy: str, rationale: str) -> None:
        strategy_commands.adopt(self.ctx, self.ids[strategy], DecisionIn(rationale=rationale))

    # ------------------------------------------------------------ plans

    def plan(self, key: str, client: str, strategy: str, title: str) -> None:
        from services.api.tactical_schemas import PlanIn
        from services.commands import plans

        data = PlanIn(title=title, strategy_id=self.ids[strategy])
        plan, _ = plans.create_plan(self.ctx, self.ids[client], data)
        self.ids[key] = plan.id

    def initiative(
        self,
        key: str,
        plan: str,
        client: str,
        title: str,
        category: Category,
        goals: list[str],
        priority: Priority,
        *,
        days_ahead: int,
        one_time: int | None = None,
        monthly: tuple[int, int] | None = None,
        currency: str = "USD",
    ) -> None:
        """Propose an initiative; costs in major units, `monthly` is (price, quantity)."""
        from services.api.tactical_schemas import InitiativeIn, MoneyIn, RecurringCostIn
        from services.commands import plans

        data = InitiativeIn(
            title=title,
            category=category,
            goal_ids=[self.ids[g] for g in goals],
            target_quarter=self.quarter(client, days_ahead),
            one_time_cost=None
            if one_time is None
            else MoneyIn(amount_minor=one_time * 100, currency=currency),
            recurring_cost=None
            if monthly is None
            else RecurringCostIn(
                amount_minor=monthly[0] * 100,
                currency=currency,
                per=Period.MONTH,
                quantity=monthly[1],
            ),
            priority=priority,
        )
        _, _, initiative_id = plans.propose_initiative(self.ctx, self.ids[plan], data)
        self.ids[key] = initiative_id

    def change_initiative(
        self,
        plan: str,
        initiative: str,
        client: str,
        rationale: str,
        *,
        days_ahead: int | None = None,
        priority: Priority | None = None,
    ) -> None:
        """Reschedule (to the quarter `days_ahead` days after this step) or reprioritize."""
        from msgspec import UNSET

        from services.api.tactical_schemas import InitiativePatch
        from services.commands import plans

        data = InitiativePatch(
            rationale=rationale,
            target_quarter=UNSET if days_ahead is None else self.quarter(client, days_ahead),
            priority=UNSET if priority is None else priority,
        )
        plans.update_initiative(self.ctx, self.ids[plan], self.ids[initiative], data)

    def approve_initiative(
        self, plan: str, initiative: str, rationale: str, *, by: str | None = None
    ) -> None:
        from services.api.tactical_schemas import InitiativeActionIn
        from services.commands import plans

        data = InitiativeActionIn(rationale=rationale)
        plans.approve_initiative(self.as_(by), self.ids[plan], self.ids[initiative], data)

    def start_initiative(self, plan: str, initiative: str, rationale: str) -> None:
        from services.api.tactical_schemas import InitiativeActionIn
        from services.commands import plans

        data = InitiativeActionIn(rationale=rationale)
        plans.start_initiative(self.ctx, self.ids[plan], self.ids[initiative], data)

    # ------------------------------------------------------------ budgets

    def budget(self, key: str, client: str, plan: str | None, title: str, fiscal_year: int) -> None:
        from services.api.tactical_schemas import BudgetIn
        from services.commands import budgets

        data = BudgetIn(
            fiscal_year=fiscal_year,
            plan_id=None if plan is None else self.ids[plan],
            title=title,
        )
        budget, _ = budgets.create_budget(self.ctx, self.ids[client], data)
        self.ids[key] = budget.id

    def line(
        self,
        key: str,
        budget: str,
        category: Category,
        quarter: str,
        amount: int,
        kind: str,
        description: str,
        initiative: str | None = None,
    ) -> None:
        """A planned line; `amount` in major units."""
        from domain.budget import LineKind
        from services.api.tactical_schemas import LineIn
        from services.commands import budgets

        data = LineIn(
            category=category,
            quarter=quarter,  # type: ignore[arg-type]  # a QuarterLabel literal
            amount_minor=amount * 100,
            kind=LineKind(kind),
            initiative_id=None if initiative is None else self.ids[initiative],
            description=description,
        )
        _, _, line_id = budgets.add_line(self.ctx, self.ids[budget], data)
        self.ids[key] = line_id

    def cut_line(self, budget: str, line: str, amount: int, rationale: str) -> None:
        from services.api.tactical_schemas import LinePatch
        from services.commands import budgets

        data = LinePatch(rationale=rationale, amount_minor=amount * 100)
        budgets.update_line(self.ctx, self.ids[budget], self.ids[line], data)

    def budget_action(
        self, budget: str, action: str, rationale: str, *, by: str | None = None
    ) -> None:
        """submit, approve, reject, reopen or close."""
        from services.commands import budgets

        act = budgets.BUDGET_ACTIONS[action]
        act(self.as_(by), self.ids[budget], DecisionIn(rationale=rationale))

    def actual(self, budget: str, line: str, amount: int, note: str) -> None:
        from services.api.tactical_schemas import ActualIn
        from services.commands import budgets

        data = ActualIn(line_id=self.ids[line], amount_minor=amount * 100, note=note)
        budgets.record_actual(self.ctx, self.ids[budget], data)


# ---------------------------------------------------------------- the story

# The story reads as a table of steps: kept as written.
# fmt: off
H, C, M, L = Priority.HIGH, Priority.CRITICAL, Priority.MEDIUM, Priority.LOW


def dental() -> list[Step]:
    """A dental group: adopted strategy, a goal raised to critical after a peer's ransomware
    incident, a goal retired because a vendor now covers it."""
    s = "dental.strategy"
    return [
        Step(430, "dental: client", lambda d: d.client("dental", "Brightsmile Dental Group")),
        Step(425, "dental: strategy", lambda d: d.strategy(
            s, "dental", "IT strategy 2025-2027",
            "Six practices that never lose a patient record or a day of appointments, on "
            "systems the office managers can run without calling us.",
            "Kick-off workshop with the managing partners",
        )),
        Step(425, "dental: goal", lambda d: d.goal(
            "dental.records", s, "Protect patient records (HIPAA)", H,
            "Encryption at rest, MFA on the practice-management system, audit trail.",
        )),
        Step(425, "dental: goal", lambda d: d.goal(
            "dental.backups", s, "Immutable backups with tested restores", M,
            "Offsite, immutable copies of the practice-management database and imaging.",
        )),
        Step(425, "dental: goal", lambda d: d.goal(
            "dental.imaging", s, "Move the imaging archive off the on-premises NAS", M,
        )),
        Step(425, "dental: goal", lambda d: d.goal(
            "dental.portal", s, "Self-service patient portal", L,
            "Online booking, forms and reminders.",
        )),
        Step(424, "dental: principle", lambda d: d.principle(
            "dental.p1", s, "Cloud first for new systems, unless imaging latency rules it out.",
        )),
        Step(424, "dental: principle", lambda d: d.principle(
            "dental.p2", s, "Every system has a named owner and a restore tested each quarter.",
        )),
        Step(410, "dental: adopt", lambda d: d.adopt(
            s, "Approved by the managing partners at the annual review.",
        )),
        Step(300, "dental: reprioritize", lambda d: d.reprioritize(
            s, "dental.backups", C,
            "Ransomware incident at a peer practice in the region: two weeks of paper charts "
            "and no usable backup. The partners asked for immutable backups first.",
        )),
        Step(300, "dental: reword", lambda d: d.reword(
            s, "dental.backups",
            "Restores must be proven, not assumed: monthly restore drill added to the goal.",
            description="Offsite, immutable copies of the practice-management database and "
            "imaging, with a monthly restore drill reported to the partners.",
        )),
        Step(180, "dental: retire", lambda d: d.retire(
            s, "dental.portal",
            "The practice-management vendor now ships online booking and forms; no custom "
            "portal is needed.",
        )),
    ]


def law_firm() -> list[Step]:
    """A law firm (EUR, fiscal year from July): a first strategy, a merger, a rename and a
    second strategy that supersedes the first."""
    s1, s2 = "law.strategy", "law.strategy2"
    return [
        Step(400, "law: client", lambda d: d.client(
            "law", "Keller & Brandt Rechtsanwälte", fiscal_year_start_month=7, currency="EUR",
        )),
        Step(398, "law: strategy", lambda d: d.strategy(
            s1, "law", "Digital practice 2025",
            "A paperless firm whose partners work securely from court, home and office.",
        )),
        Step(398, "law: goal", lambda d: d.goal(
            "law.dms", s1, "GDPR-compliant document management", H,
            "One document management system with retention rules per matter.",
        )),
        Step(398, "law: goal", lambda d: d.goal(
            "law.remote", s1, "Secure remote work for partners", H,
        )),
        Step(398, "law: goal", lambda d: d.goal(
            "law.fileserver", s1, "Replace the end-of-life file server", M,
        )),
        Step(397, "law: principle", lambda d: d.principle(
            "law.p1", s1, "Client data stays in EU data centres.",
        )),
        Step(390, "law: adopt", lambda d: d.adopt(
            s1, "Signed off by the partners' meeting; budget follows in the fiscal year plan.",
        )),
        Step(200, "law: rename", lambda d: d.update_client(
            "law", "Merger with Hartmann Partner completed; new firm name registered.",
            name="Keller Brandt Hartmann Rechtsanwälte",
        )),
        Step(150, "law: strategy 2", lambda d: d.strategy(
            s2, "law", "Post-merger IT strategy 2026-2028",
            "One firm on one platform: a single document system, identity and phone system "
            "for both offices.",
            "The merger doubled the headcount and brought a second office and IT estate.",
        )),
        Step(150, "law: goal", lambda d: d.goal(
            "law2.consolidate", s2, "Consolidate both offices onto one tenant and DMS", C,
        )),
        Step(150, "law: goal", lambda d: d.goal(
            "law2.remote", s2, "Secure remote work for all fee earners", H,
        )),
        Step(150, "law: goal", lambda d: d.goal(
            "law2.telephony", s2, "Replace both phone systems with one cloud PBX", M,
        )),
        Step(149, "law: principle", lambda d: d.principle(
            "law2.p1", s2, "Client data stays in EU data centres.",
        )),
        Step(149, "law: principle", lambda d: d.principle(
            "law2.p2", s2, "No matter data on personal devices; managed devices only.",
        )),
        Step(140, "law: adopt 2", lambda d: d.adopt(
            s2, "Adopted by the merged partnership; replaces the pre-merger strategy.",
        )),
    ]


def manufacturer() -> list[Step]:
    """A manufacturer: the ERP deadline becomes critical, Wi-Fi is retired for a wired plan."""
    s = "mfg.strategy"
    return [
        Step(380, "mfg: client", lambda d: d.client(
            "mfg", "Northwind Precision Manufacturing", fiscal_year_start_month=10,
        )),
        Step(375, "mfg: strategy", lambda d: d.strategy(
            s, "mfg", "Plant IT roadmap",
            "Keep the lines running: a segmented plant network, a supported ERP and "
            "visibility of machine data.",
        )),
        Step(375, "mfg: goal", lambda d: d.goal(
            "mfg.segmentation", s, "Segment the OT network from office IT", H,
        )),
        Step(375, "mfg: goal", lambda d: d.goal(
            "mfg.erp", s, "Upgrade the ERP before the vendor ends support", M,
        )),
        Step(375, "mfg: goal", lambda d: d.goal(
            "mfg.wifi", s, "Shop-floor Wi-Fi coverage for handheld scanners", M,
        )),
        Step(375, "mfg: goal", lambda d: d.goal(
            "mfg.data", s, "Machine data dashboards for the plant manager", L,
        )),
        Step(370, "mfg: adopt", lambda d: d.adopt(
            s, "Approved by the CFO and plant manager at the quarterly business review.",
        )),
        Step(240, "mfg: reprioritize", lambda d: d.reprioritize(
            s, "mfg.erp", C,
            "The ERP vendor moved end of support forward by a year; unsupported after the "
            "next fiscal year.",
        )),
        Step(120, "mfg: retire", lambda d: d.retire(
            s, "mfg.wifi",
            "Scanner vendor switched to docked devices; wired stations at each line replace "
            "the Wi-Fi project.",
        )),
        Step(60, "mfg: reprioritize", lambda d: d.reprioritize(
            s, "mfg.data", M,
            "Plant manager wants scrap rates per line before the next customer audit.",
        )),
    ]


def property_manager() -> list[Step]:
    """A small client whose first strategy is still a draft."""
    s = "pm.strategy"
    return [
        Step(45, "pm: client", lambda d: d.client(
            "pm", "Harbor View Property Management", currency="CAD",
        )),
        Step(30, "pm: strategy", lambda d: d.strategy(
            s, "pm", "First IT strategy (draft)",
            "Tenants and owners served online; staff work from any building.",
        )),
        Step(30, "pm: goal", lambda d: d.goal(
            "pm.m365", s, "Move mail and files to Microsoft 365", H,
        )),
        Step(30, "pm: goal", lambda d: d.goal(
            "pm.portal", s, "Online maintenance requests for tenants", M,
        )),
    ]


def dental_plan() -> list[Step]:
    """The dental group's plan: the backup initiative pulled forward after the ransomware
    news and approved by the client's managing partner, with the partner's reasons."""
    p, c = "dental.plan", "dental"
    return [
        Step(405, "dental: plan", lambda d: d.plan(
            p, c, "dental.strategy", "Technology plan 2025-2027",
        )),
        Step(404, "dental: initiative", lambda d: d.initiative(
            "dental.i.backup", p, c, "Immutable offsite backup vault", Category.BACKUP_DR,
            ["dental.backups"], M, days_ahead=300, one_time=8_500, monthly=(75, 6),
        )),
        Step(404, "dental: initiative", lambda d: d.initiative(
            "dental.i.mfa", p, c, "MFA and disk encryption on every workstation",
            Category.SECURITY, ["dental.records"], H, days_ahead=90, one_time=4_200,
            monthly=(6, 48),
        )),
        Step(404, "dental: initiative", lambda d: d.initiative(
            "dental.i.imaging", p, c, "Imaging archive to cloud storage", Category.CLOUD,
            ["dental.imaging"], M, days_ahead=300, one_time=12_000, monthly=(310, 1),
        )),
        Step(396, "dental: approve", lambda d: d.approve_initiative(
            p, "dental.i.mfa", "HIPAA audit finding from last year; approved as proposed.",
        )),
        Step(299, "dental: pull forward", lambda d: d.change_initiative(
            p, "dental.i.backup", c,
            "Ransomware incident at a peer practice: the backup vault is pulled forward and "
            "becomes critical.",
            days_ahead=30, priority=C,
        )),
        Step(299, "dental: client key", lambda d: d.client_key(
            "dental.partner", "dental", "Dr. Maria Okafor, managing partner (Brightsmile)",
        )),
        Step(297, "dental: client approves", lambda d: d.approve_initiative(
            p, "dental.i.backup",
            "We saw what two weeks without records did to a colleague's practice. Approved: "
            "this comes before anything else this year.",
            by="dental.partner",
        )),
        Step(280, "dental: start", lambda d: d.start_initiative(
            p, "dental.i.backup", "Vault contract signed; rollout starts at the main practice.",
        )),
    ]


def dental_budget() -> list[Step]:
    """The dental budget: submitted, rejected at the client's review, the imaging line cut,
    approved by the managing partner, then the first invoice booked."""
    b, c = "dental.budget", "dental"
    return [
        Step(290, "dental: budget", lambda d: d.budget(
            b, c, "dental.plan", "IT budget", d.fiscal_year(c, 60),
        )),
        Step(290, "dental: line", lambda d: d.line(
            "dental.l.vault", b, Category.BACKUP_DR, "Q2", 8_500, "capex",
            "Backup vault appliance and setup", "dental.i.backup",
        )),
        Step(290, "dental: line", lambda d: d.line(
            "dental.l.vault_fee", b, Category.BACKUP_DR, "Q3", 1_350, "opex",
            "Vault subscription, 6 practices", "dental.i.backup",
        )),
        Step(290, "dental: line", lambda d: d.line(
            "dental.l.mfa", b, Category.SECURITY, "Q2", 4_200, "capex",
            "MFA tokens and encryption rollout", "dental.i.mfa",
        )),
        Step(290, "dental: line", lambda d: d.line(
            "dental.l.imaging", b, Category.CLOUD, "Q4", 12_000, "capex",
            "Imaging archive migration", "dental.i.imaging",
        )),
        Step(289, "dental: submit", lambda d: d.budget_action(
            b, "submit", "For the partners' review at the quarterly meeting.",
        )),
        Step(283, "dental: client rejects", lambda d: d.budget_action(
            b, "reject",
            "Too much capital this year with the new practice opening: cut the imaging "
            "migration to a first phase.",
            by="dental.partner",
        )),
        Step(282, "dental: cut line", lambda d: d.cut_line(
            b, "dental.l.imaging", 5_000,
            "Cut after the client's review: phase 1 only (two practices), the rest next year.",
        )),
        Step(282, "dental: resubmit", lambda d: d.budget_action(
            b, "submit", "Imaging reduced to phase 1 as the partners asked.",
        )),
        Step(280, "dental: client approves budget", lambda d: d.budget_action(
            b, "approve", "Approved with the reduced imaging phase. Backups first.",
            by="dental.partner",
        )),
        Step(250, "dental: actual", lambda d: d.actual(
            b, "dental.l.vault", 8_130, "Vault appliance invoice (below estimate)",
        )),
    ]


def manufacturer_plan() -> list[Step]:
    """The manufacturer's plan: the ERP upgrade approved, the segmentation project moved out
    by a budget freeze."""
    p, c = "mfg.plan", "mfg"
    return [
        Step(365, "mfg: plan", lambda d: d.plan(p, c, "mfg.strategy", "Plant IT plan")),
        Step(364, "mfg: initiative", lambda d: d.initiative(
            "mfg.i.segmentation", p, c, "Firewall and VLANs between OT and office networks",
            Category.NETWORK, ["mfg.segmentation"], H, days_ahead=120, one_time=38_000,
        )),
        Step(364, "mfg: initiative", lambda d: d.initiative(
            "mfg.i.erp", p, c, "ERP upgrade to the supported release", Category.SOFTWARE,
            ["mfg.erp"], H, days_ahead=270, one_time=65_000, monthly=(95, 40),
        )),
        Step(235, "mfg: approve", lambda d: d.approve_initiative(
            p, "mfg.i.erp",
            "CFO approved: vendor end of support moved forward, no room to wait.",
        )),
        Step(200, "mfg: budget freeze", lambda d: d.change_initiative(
            p, "mfg.i.segmentation", c,
            "Budget freeze after the loss of a major customer contract: capital projects "
            "other than the ERP wait two quarters.",
            days_ahead=200,
        )),
    ]


# fmt: on


def tactical() -> list[Step]:
    """Plans and budgets, when their command modules are there (see the module docstring)."""
    steps: list[Step] = []
    if _importable("services.commands.plans"):
        steps += dental_plan() + manufacturer_plan()
        if _importable("services.commands.budgets"):
            steps += dental_budget()
    return steps


def _importable(module: str) -> bool:
    try:
        importlib.import_module(module)
    except ImportError as exc:
        log.warning("demo without %s (%s)", module.rsplit(".", 1)[-1], exc)
        return False
    return True


SCRIPTS: list[Callable[[], list[Step]]] = [
    dental,
    law_firm,
    manufacturer,
    property_manager,
    tactical,
]


# ---------------------------------------------------------------- entry points


def find_demo_tenant(c: Container) -> UUID | None:
    with c.db.tx() as cur:
        cur.execute(
            "SELECT id FROM tenants WHERE name = %s ORDER BY created_at LIMIT 1", (DEMO_TENANT,)
        )
        row = cur.fetchone()
    return row["id"] if row else None


def load_demo(container: Container, *, now: datetime | None = None) -> dict[str, Any]:
    """Create the demo tenant, its admin key and its clients' histories (every time it is
    called: callers check `find_demo_tenant` first). Returns the tenant, the key and ids."""
    tenant = create_tenant(container.db, DEMO_TENANT)
    key = tenant["api_key"]["key"]
    principal = authenticate(container.db, f"Bearer {key}")
    today = now or datetime.now(UTC)
    ctx = DemoCtx(
        c=container,
        principal=principal,
        correlation_id="demo-000",
        if_match=None,
        clock=Clock(today),
    )
    demo = Demo(c=container, principal=principal, ctx=ctx)
    steps = [step for script in SCRIPTS for step in script()]
    demo.run(steps, today=today)
    return {
        "tenant_id": tenant["id"],
        "tenant_name": DEMO_TENANT,
        "api_key": key,
        "api_key_id": tenant["api_key"]["id"],
        "ids": {name: str(value) for name, value in demo.ids.items()},
        "steps": demo.steps_run,
    }
