"""What the API answers before a route runs (no session, a path it lacks, a body that is not JSON,
a method the path does not take) comes in the envelope of every answer, with the security headers
and nothing of the request echoed: on the local stack's gateway as the deployed template declares
(its GatewayResponses), and from Chalice's own checks inside the function."""
import pytest
import requests

from devstack.server import ApiServer, chalice_config
from infra.operations import gateway_responses
from devstack.launcher import free_port


@pytest.fixture
def local_api(aws):
    """The local stack's API server (chalice local behind our gateway answers), on a free port."""
    server = ApiServer(chalice_config(), free_port()).start()
    try:
        yield server.url
    finally:
        server.stop()


def in_the_envelope(answer: requests.Response, status: int, code: str) -> None:
    assert answer.status_code == status, (answer.status_code, answer.text)
    assert answer.json()["error"]["code"] == code, answer.json()
    assert set(answer.json()["error"]) == {"code", "message", "details"}
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert answer.headers["Content-Type"] == "application/json"


def test_a_portal_route_without_a_session_is_401_in_the_envelope(local_api):
    in_the_envelope(requests.get(f"{local_api}/portal/me", timeout=10), 401, "unauthenticated")


def test_a_path_the_api_lacks_is_404_and_echoes_no_authorization_header(local_api):
    answer = requests.get(f"{local_api}/no/such/path", headers={"Authorization": "Bearer tok_secret"}, timeout=10)

    in_the_envelope(answer, 404, "not_found")
    assert "tok_secret" not in answer.text


def test_a_body_that_is_not_json_is_415_in_the_envelope(local_api):
    answer = requests.post(f"{local_api}/portal/auth/login", data="email=zoe", timeout=10,
                           headers={"Content-Type": "application/x-www-form-urlencoded"})

    in_the_envelope(answer, 415, "unsupported_media_type")


def test_a_method_the_path_does_not_take_is_405_in_the_envelope(local_api):
    in_the_envelope(requests.delete(f"{local_api}/portal/auth/login", timeout=10), 405, "method_not_allowed")


def test_the_template_declares_every_answer_the_gateway_gives_itself_with_the_security_headers():
    declared = {r["Properties"]["ResponseType"]: r["Properties"] for r in gateway_responses().values()}

    assert {"MISSING_AUTHENTICATION_TOKEN", "REQUEST_TOO_LARGE",
            "UNSUPPORTED_MEDIA_TYPE", "THROTTLED", "DEFAULT_4XX", "DEFAULT_5XX"} <= set(declared)
    for response_type, properties in declared.items():
        assert '"error"' in properties["ResponseTemplates"]["application/json"], response_type
        assert properties["ResponseParameters"]["gatewayresponse.header.X-Content-Type-Options"] == "'nosniff'"
        assert "$" not in properties["ResponseTemplates"]["application/json"]   # nothing of the request
