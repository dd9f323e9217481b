"""The published OpenAPI schema describes what the API answers and accepts."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client


@pytest.fixture
def components(db: None) -> dict[str, Any]:
    schema = Client().get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    return schema["components"]["schemas"]


def test_a_procedures_steps_and_a_dossiers_steps_are_two_components(
    components: dict[str, Any],
) -> None:
    # Both serializers were called StepSerializer: one "Step" component described both.
    assert "Step" not in components
    assert set(components["ProcessingStep"]["properties"]) == {"name", "role", "duration"}
    assert "due_at" in components["DossierStep"]["properties"]
    case_steps = components["Case"]["properties"]["steps"]["items"]["$ref"]
    assert case_steps == "#/components/schemas/ProcessingStep"


@pytest.mark.parametrize(
    ("component", "field"),
    [
        ("Agency", "parent"),
        ("Agency", "successor"),
        ("AgencyDetail", "parent"),
        ("Event", "to_unit"),
        ("Draft", "receiving_agency"),
        ("ResultVerification", "result"),
    ],
)
def test_fields_that_may_be_empty_are_nullable(
    components: dict[str, Any], component: str, field: str
) -> None:
    definition = components[component]["properties"][field]
    nullable = definition.get("nullable") or any(
        part.get("nullable") for part in definition.get("oneOf", definition.get("allOf", []))
    )
    assert nullable, definition


@pytest.mark.parametrize(
    ("component", "field"),
    [("DraftUpload", "file"), ("DossierFiling", "component_0"), ("ResultUpload", "file")],
)
def test_uploads_are_files_not_urls(components: dict[str, Any], component: str, field: str) -> None:
    assert components[component]["properties"][field] == {
        **components[component]["properties"][field],
        "type": "string",
        "format": "binary",
    }


def test_a_drafts_answers_and_an_uploads_component_have_their_types(
    components: dict[str, Any],
) -> None:
    assert components["Draft"]["properties"]["data"]["type"] == "object"
    assert components["PatchedDraftAnswers"]["properties"]["data"]["type"] == "object"
    assert components["DraftUpload"]["properties"]["component"]["minimum"] == 0
