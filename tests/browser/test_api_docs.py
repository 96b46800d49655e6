"""The API documentation page runs in Chromium under the Content-Security-Policy with only
local assets: Swagger UI draws the operations from /api/v1/schema/."""

import pytest


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_swagger_ui_renders_from_local_files(chromium, live_server):
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    problems, outside = [], []
    page.on("console", lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(live_server.url) else None)
    try:
        page.goto(f"{live_server.url}/api/v1/docs/")
        page.wait_for_selector("text=/api/v1/assessments/{assessment_pk}/scores/{criterion}/", timeout=15000)
        assert page.locator(".opblock").count() >= 10
    finally:
        context.close()
    assert not problems, problems
    assert not outside, outside
