"""GET /openapi.json is static for a process: the document (~13k nodes) is built by the first request,
and later ones, at any base path, answer from it instead of walking every route again."""
from chalicelib.handlers import openapi, openapi_document
from chalicelib.handlers.lazy_routes import all_routes
from tests.support.api import client


def test_the_api_description_is_built_once_per_process_and_answered_from_after(monkeypatch):
    # Given a process that has not described its API yet
    described = []
    describe = openapi_document._operation
    monkeypatch.setattr(openapi_document, "_operation", lambda *args: described.append(args[0]) or describe(*args))
    openapi_document.document.cache_clear()
    openapi.described_at.cache_clear()
    with client() as c:
        # When the description is asked for again and again, also at another base path
        first, again = c.http.get("/openapi.json"), c.http.get("/openapi.json")
        openapi.described_at("https://api.acme.example/api")

    # Then every operation was described once, and the answers are the same text
    assert len(described) == len(all_routes())
    assert first.status_code == again.status_code == 200 and first.body == again.body
