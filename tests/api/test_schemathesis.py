"""Every operation of /api/v1/openapi.json, driven by schemathesis with generated input — valid and invalid, with a
valid token for the staff ones: never a server error, and every answer (status, content type, body) as the
description says."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = {GenerationMode.POSITIVE: 25, GenerationMode.NEGATIVE: 10}


@pytest.fixture
def api_world(national, tenant_a, make_category, make_article, make_document, make_member, make_page,
              make_api_token, make_period):
    """Content on the platform host's union and on tinh-a, a reporting period, and a token of tinh-a's admin with
    every scope."""
    for tenant in (national, tenant_a):
        category = make_category(tenant, "Tin hoạt động")
        make_article(tenant, "Giao lưu hữu nghị", category=category, tags=("Hữu nghị",))
        make_document(tenant, "Kế hoạch đối ngoại nhân dân")
        make_member(tenant, "Hội hữu nghị Việt – Lào")
        make_page(tenant, "Chức năng, nhiệm vụ", slug="chuc-nang-nhiem-vu")
    make_period(2025)
    _, text = make_api_token(tenant_a, ("content:read", "content:write", "reports:write"), role="admin")
    return text


def _runner(operation, mode: GenerationMode, examples: int, headers: dict):
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=examples, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    def run(case):
        case.call_and_validate(headers=headers, checks=CHECKS)

    return run


def _leaves(error: BaseException) -> list[BaseException]:
    """The failures themselves, out of Hypothesis's groups of them."""
    inner = getattr(error, "exceptions", None)
    return [leaf for one in inner for leaf in _leaves(one)] if inner else [error]


def test_every_operation_answers_as_described(app, api_world):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    failures, operations = [], 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        headers = {"Authorization": f"Bearer {api_world}"} if operation.path.startswith("/api/v1/manage") else {}
        for mode, examples in EXAMPLES.items():
            run = _runner(operation, mode, examples, headers)
            try:
                run()
            except Unsatisfiable:  # nothing invalid to send (an operation without parameters): nothing to try
                assert mode == GenerationMode.NEGATIVE and not operation.query and not operation.body, operation.path
            except Exception as failure:  # noqa: BLE001 - collected: every operation is tried, then all reported
                failures += [f"{operation.method.upper()} {operation.path} ({mode}): {one}" for one in _leaves(failure)]
    assert operations >= 20, "the description lost operations"
    assert not failures, "\n\n".join(failures)
