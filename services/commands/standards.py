"""Use cases on the tenant's standards library: add, edit and retire standards."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID, uuid4

from domain.category import Category
from domain.shared import UNSET, Unset
from domain.standard import InitiativeTemplate, Severity, Standard
from services.auth import EDIT
from services.commands.context import Context, change, requires

Result = tuple[Standard, int]


@dataclass(frozen=True, kw_only=True)
class CreateStandard:
    title: str
    category: Category
    weight: int
    severity: Severity
    question: str | None = None
    initiative_template: InitiativeTemplate | None = None
    rationale: str | None = None


@dataclass(frozen=True, kw_only=True)
class UpdateStandard:
    """None leaves a field as it is; for the nullable ones UNSET does, and None clears."""

    standard_id: UUID
    rationale: str
    title: str | None = None
    category: Category | None = None
    question: str | Unset | None = UNSET
    weight: int | None = None
    severity: Severity | None = None
    initiative_template: InitiativeTemplate | Unset | None = UNSET


@requires(EDIT)
def create_standard(ctx: Context, command: CreateStandard) -> Result:
    standard = Standard.create(
        id=uuid4(),
        tenant_id=ctx.principal.tenant_id,
        title=command.title,
        category=command.category,
        question=command.question,
        weight=command.weight,
        severity=command.severity,
        initiative_template=command.initiative_template,
        by=ctx.decision(command.rationale),
    )
    return standard, ctx.store.save(standard)


@requires(EDIT)
def update_standard(ctx: Context, command: UpdateStandard) -> Result:
    return change(
        ctx,
        Standard,
        command.standard_id,
        lambda standard: standard.update(
            title=command.title,
            category=command.category,
            question=command.question,
            weight=command.weight,
            severity=command.severity,
            initiative_template=command.initiative_template,
            by=ctx.decision(command.rationale),
        ),
    )


@requires(EDIT)
def retire_standard(ctx: Context, standard_id: UUID, rationale: str) -> Result:
    return change(
        ctx, Standard, standard_id, lambda standard: standard.retire(ctx.decision(rationale))
    )
