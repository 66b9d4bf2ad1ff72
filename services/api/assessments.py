"""/v1/clients/{cid}/assessments and /v1/assessments: a client checked against the library,
and its findings turned into initiatives."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from domain.assessment import Assessment
from projections import assessments as assessments_view
from projections import standards as standards_view
from services.api.assessment_schemas import AnswerIn, AssessmentIn, FindingIn
from services.api.assessments_out import AssessmentOut, AssessmentPage
from services.api.common import answer as typed_answer
from services.api.common import client_list, fresh, in_thread
from services.api.history import load_at
from services.api.params import AsOf, Limit, MinPosition, PageCursor, Version
from services.api.plans_out import PlanOut
from services.api.responses import typed
from services.api.schemas import DecisionIn
from services.api.tactical_schemas import quarter
from services.auth import EDIT, READ, Principal
from services.bootstrap import Container
from services.commands import assessments as commands
from services.commands.context import Context


@dataclass(frozen=True)
class ProjectedLibrary:
    """The active standards from the library's table (the handler first waits until it has
    folded every event committed so far, so a standard added a moment ago is included)."""

    container: Container

    def active_standard_ids(self, tenant_id: UUID) -> list[UUID]:
        with self.container.db.tenant_tx(tenant_id) as cur:
            return standards_view.active_ids(cur)


class ClientAssessmentsController(Controller):
    path = "/v1/clients/{client_id:uuid}/assessments"
    tags = ["assessments"]

    @post(
        "/",
        status_code=201,
        description="Without `standard_ids`, every active standard of the library.",
    )
    async def create(
        self,
        container: NamedDependency[Container],
        context: NamedDependency[Context],
        client_id: FromPath[UUID],
        data: JSONBody[AssessmentIn],
    ) -> Response[AssessmentOut]:
        if data.standard_ids is None:
            # Every active standard: the library's table must hold all committed so far.
            context.principal.require(*EDIT)
            head = await in_thread(container.store.max_position)
            await fresh(container, head, [standards_view.projection.name])
        assessment, position = await in_thread(
            commands.create_assessment,
            context,
            commands.CreateAssessment(
                client_id=client_id,
                title=data.title,
                standard_ids=data.standard_ids,
                rationale=data.rationale,
            ),
            ProjectedLibrary(container),
        )
        return typed_answer(AssessmentOut, assessment.view(), status=201, position=position)

    @get("/")
    async def list_assessments(
        self,
        container: NamedDependency[Container],
        principal: NamedDependency[Principal],
        client_id: FromPath[UUID],
        limit: Limit = 50,
        cursor: PageCursor = None,
        min_position: MinPosition = None,
    ) -> AssessmentPage:
        items = await client_list(
            container,
            principal,
            client_id,
            assessments_view.projection.name,
            assessments_view.list_assessments,
            limit=limit,
            cursor=cursor,
            min_position=min_position,
        )
        return typed(AssessmentPage, items)


class AssessmentController(Controller):
    path = "/v1/assessments/{assessment_id:uuid}"
    tags = ["assessments"]

    @get("/", sync_to_thread=True)
    def get_assessment(
        self,
        context: NamedDependency[Context],
        assessment_id: FromPath[UUID],
        version: Version = None,
        as_of: AsOf = None,
    ) -> Response[AssessmentOut]:
        context.principal.require(*READ)
        assessment = load_at(context, Assessment, assessment_id, version, as_of)
        return typed_answer(AssessmentOut, assessment.view())

    @post("/answers", sync_to_thread=True, status_code=200)
    def answer(
        self,
        context: NamedDependency[Context],
        assessment_id: FromPath[UUID],
        data: JSONBody[AnswerIn],
    ) -> Response[AssessmentOut]:
        assessment, position = commands.answer(
            context,
            commands.Answer(
                assessment_id=assessment_id,
                standard_id=data.standard_id,
                result=data.result,
                note=data.note,
                rationale=data.rationale,
            ),
        )
        return typed_answer(AssessmentOut, assessment.view(), position=position)

    @post("/complete", sync_to_thread=True, status_code=200)
    def complete(
        self,
        context: NamedDependency[Context],
        assessment_id: FromPath[UUID],
        data: JSONBody[DecisionIn],
    ) -> Response[AssessmentOut]:
        assessment, position = commands.complete(context, assessment_id, data.rationale)
        return typed_answer(AssessmentOut, assessment.view(), position=position)

    @post(
        "/findings/{standard_id:uuid}/propose",
        sync_to_thread=True,
        status_code=201,
        description="The standard's template becomes an initiative of the plan (`source` names "
        "the assessment and the standard) and the item points at it, in one transaction. "
        "Answers the plan; `If-Match` names the assessment's version.",
    )
    def propose(
        self,
        context: NamedDependency[Context],
        assessment_id: FromPath[UUID],
        standard_id: FromPath[UUID],
        data: JSONBody[FindingIn],
    ) -> Response[PlanOut]:
        plan, position, initiative_id = commands.propose_finding(
            context,
            commands.ProposeFinding(
                assessment_id=assessment_id,
                standard_id=standard_id,
                plan_id=data.plan_id,
                goal_ids=data.goal_ids,
                target_quarter=quarter(data.target_quarter),
                rationale=data.rationale,
            ),
        )
        return typed_answer(
            PlanOut, plan.view(), status=201, position=position, created_id=str(initiative_id)
        )
