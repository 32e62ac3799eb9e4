"""The API describes itself from its declared models, and every request leaves one log line
that names ids, never secrets or personal data."""
import logging

from openapi_spec_validator import validate

from tests.support.api import Api, client
from tests.support.portal import PASSWORD, portal_organization, signed_in_customer


def test_openapi_describes_every_route_with_the_models_that_validate_requests(aws):
    from app import app
    with client() as c:
        answer = Api(c).get("/openapi.json")
    assert answer.status == 200
    document = answer.json
    validate(document)
    declared = {(path, method.upper()) for path, methods in document["paths"].items() for method in methods}
    routed = {(path, method) for path, entries in app.routes.items() for method in entries}
    assert declared == routed
    login = document["paths"]["/portal/auth/login"]["post"]
    schema_name = login["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert document["components"]["schemas"][schema_name]["additionalProperties"] is False
    assert "400" in login["responses"] and "security" not in login
    assert document["paths"]["/admin/customers"]["get"]["security"] == [{"merchantKey": []}, {"consoleSession": []}]


def test_each_request_logs_one_line_of_ids_without_secrets(aws, caplog):
    with client() as c:
        api = Api(c)
        acme = portal_organization(api)
        zoe = signed_in_customer(api, acme.org, acme.key)
        caplog.clear()
        with caplog.at_level(logging.INFO, logger="portico.requests"):
            zoe.portal.get("/portal/me")
            api.as_(None).post("/portal/auth/login", {"organization": acme.org.org_id, "email": zoe.email,
                                                      "password": PASSWORD})
    lines = [r.fields for r in caplog.records if r.name == "portico.requests"]
    assert [line["status"] for line in lines] == [200, 200]
    assert lines[0]["org_id"] == acme.org.org_id and lines[0]["customer_id"]
    text = caplog.text
    assert zoe.token not in text and PASSWORD not in text and zoe.email not in text
