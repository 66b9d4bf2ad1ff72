"""Plans, budgets, standards and assessments answer named schemas (issue 11 item 1): every 2xx
JSON body of their operations is a `$ref` to a component msgspec rendered from its Struct, and
those components state ids, statuses and money as they are sent."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import TestClient

from tests.api.test_openapi import document

AREAS = (
    "/v1/clients/{client_id}/plans",
    "/v1/plans/{plan_id}",
    "/v1/clients/{client_id}/budgets",
    "/v1/budgets/{budget_id}",
    "/v1/standards",
    "/v1/clients/{client_id}/assessments",
    "/v1/assessments/{assessment_id}",
)


@pytest.fixture(scope="module")
def doc(http: TestClient[Any]) -> dict[str, Any]:
    return document(http)


def answers(doc: dict[str, Any]) -> dict[tuple[str, str, str], dict[str, Any]]:
    """The JSON schema of every 2xx answer of the area's operations, by (method, path, status)."""
    found = {}
    for path, item in doc["paths"].items():
        if not path.startswith(AREAS):
            continue
        for method, operation in item.items():
            if not isinstance(operation, dict):
                continue
            for status, response in operation.get("responses", {}).items():
                if status.startswith("2"):
                    found[method, path, status] = response["content"]["application/json"]["schema"]
    return found


def component(doc: dict[str, Any], ref: dict[str, Any]) -> dict[str, Any]:
    name = ref["$ref"].removeprefix("#/components/schemas/")
    return dict(doc["components"]["schemas"][name])


def prop(doc: dict[str, Any], schema: str, *path: str) -> dict[str, Any]:
    """The schema of a property, following `$ref`s, arrays and the non-null half of a union."""
    node: dict[str, Any] = doc["components"]["schemas"][schema]
    for name in path:
        while "$ref" in node or "anyOf" in node or "items" in node:
            if "$ref" in node:
                node = component(doc, node)
            elif "anyOf" in node:
                node = next(n for n in node["anyOf"] if n.get("type") != "null")
            else:
                node = node["items"]
        node = node["properties"][name]
    while "$ref" in node or "anyOf" in node:
        node = component(doc, node) if "$ref" in node else node["anyOf"][0]
    return node


def test_every_answer_is_a_named_schema(doc: dict[str, Any]) -> None:
    found = answers(doc)
    assert len(found) >= 25, sorted(found)
    schemas = doc["components"]["schemas"]
    for operation, schema in found.items():
        assert set(schema) == {"$ref"}, operation
        name = schema["$ref"].removeprefix("#/components/schemas/")
        assert schemas[name]["type"] == "object", operation
        assert schemas[name]["additionalProperties"] is False, operation


def test_which_schema_each_answers(doc: dict[str, Any]) -> None:
    found = answers(doc)
    expected = {
        ("get", "/v1/clients/{client_id}/plans", "200"): "PlanPage",
        ("post", "/v1/clients/{client_id}/plans", "201"): "PlanOut",
        ("post", "/v1/plans/{plan_id}/initiatives/{initiative_id}/{action}", "200"): "PlanOut",
        ("get", "/v1/clients/{client_id}/budgets", "200"): "BudgetPage",
        ("post", "/v1/budgets/{budget_id}/actuals", "201"): "BudgetOut",
        ("get", "/v1/standards", "200"): "StandardPage",
        ("post", "/v1/standards/{standard_id}/retire", "200"): "StandardOut",
        ("get", "/v1/clients/{client_id}/assessments", "200"): "AssessmentPage",
        ("get", "/v1/assessments/{assessment_id}", "200"): "AssessmentOut",
        # a finding proposed answers the plan it went into
        ("post", "/v1/assessments/{assessment_id}/findings/{standard_id}/propose", "201"): (
            "PlanOut"
        ),
    }
    for operation, name in expected.items():
        assert found[operation] == {"$ref": f"#/components/schemas/{name}"}, operation


def test_ids_are_uuids(doc: dict[str, Any]) -> None:
    for schema, path in [
        ("PlanOut", ("id",)),
        ("PlanOut", ("strategy_id",)),
        ("PlanOut", ("initiatives", "id")),
        ("PlanOut", ("initiatives", "source", "standard_id")),
        ("PlanPage", ("items", "client_id")),
        ("BudgetOut", ("plan_id",)),
        ("BudgetOut", ("lines", "initiative_id")),
        ("BudgetOut", ("actuals", "line_id")),
        ("StandardOut", ("id",)),
        ("AssessmentOut", ("items", "standard_id")),
        ("AssessmentPage", ("items", "id")),
    ]:
        assert prop(doc, schema, *path) == {"type": "string", "format": "uuid"}, (schema, path)
    goal_ids = doc["components"]["schemas"]["InitiativeOut"]["properties"]["goal_ids"]
    assert goal_ids["items"] == {"type": "string", "format": "uuid"}


def test_statuses_and_categories_are_enums(doc: dict[str, Any]) -> None:
    assert prop(doc, "PlanOut", "initiatives", "status")["enum"] == [
        "approved",
        "cancelled",
        "done",
        "in_progress",
        "proposed",
    ]
    assert set(prop(doc, "BudgetOut", "status")["enum"]) == {
        "draft",
        "submitted",
        "approved",
        "closed",
    }
    assert set(prop(doc, "BudgetOut", "lines", "kind")["enum"]) == {"capex", "opex"}
    assert prop(doc, "BudgetOut", "lines", "quarter")["enum"] == ["Q1", "Q2", "Q3", "Q4"]
    assert "backup_dr" in prop(doc, "StandardOut", "category")["enum"]
    assert set(prop(doc, "StandardOut", "status")["enum"]) == {"active", "retired"}
    assert set(prop(doc, "AssessmentOut", "items", "result")["enum"]) == {
        "aligned",
        "misaligned",
        "not_applicable",
    }
    by_category = prop(doc, "BudgetOut", "totals", "by_category")
    assert "backup_dr" in by_category["propertyNames"]["enum"]


def test_money_is_integer_minor_units_with_a_currency(doc: dict[str, Any]) -> None:
    money = doc["components"]["schemas"]["MoneyOut"]
    assert money["properties"]["amount_minor"] == {"type": "integer"}
    assert money["required"] == ["amount_minor", "currency"]
    assert prop(doc, "PlanOut", "initiatives", "one_time_cost", "amount_minor") == {
        "type": "integer"
    }
    assert prop(doc, "PlanOut", "initiatives", "recurring_cost", "quantity") == {"type": "integer"}
    assert prop(doc, "BudgetOut", "totals", "by_quarter", "Q3", "variance") == money
    assert prop(doc, "BudgetPage", "items", "totals", "planned") == money
    assert prop(doc, "BudgetOut", "lines", "amount_minor") == {"type": "integer"}
    assert prop(doc, "BudgetOut", "currency")["pattern"] == "^[A-Z]{3}$"
    recorded = prop(doc, "BudgetOut", "actuals", "recorded_at")
    assert recorded["type"] == "string"
    assert recorded["format"] == "date-time"


def test_sometimes_null_fields_are_required(doc: dict[str, Any]) -> None:
    """A nullable field is always sent; only a command's `position` and `created_id` may be
    absent."""
    schemas = doc["components"]["schemas"]
    for name in ("PlanOut", "BudgetOut", "StandardOut", "AssessmentOut"):
        props, required = set(schemas[name]["properties"]), set(schemas[name]["required"])
        assert props - required == {"position", "created_id"}, name
    for name in ("InitiativeOut", "BudgetLineOut", "AssessmentItemOut", "AssessmentSummaryOut"):
        assert set(schemas[name]["properties"]) == set(schemas[name]["required"]), name
