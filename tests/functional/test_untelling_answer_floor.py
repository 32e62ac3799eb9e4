"""The answers that must not tell whether an account exists (a failed sign-in, a reset request, a
new sign-in email) are held to the deployment's floor, whichever kind they are; a successful
sign-in is not. What the floor hides is timing, which tests do not measure (bench/timing.py does):
these record the waits the routes ask for."""
import pytest

from chalicelib.config import reload
from chalicelib.handlers import answer_floor
from tests.support.api import Api, client
from tests.support.console import a_console
from tests.support.documents import a_scene
from tests.support.portal import PASSWORD, login
from tests.support.sign_in import WRONG, acme_and_zoe, forgot


@pytest.fixture
def waits(monkeypatch):
    """The floor at one minute (longer than anything takes here), and the waits asked for."""
    monkeypatch.setenv("PORTICO_UNTELLING_ANSWER_MS", "60000")
    reload()
    asked = []
    monkeypatch.setattr(answer_floor.time, "sleep", asked.append)
    yield asked
    monkeypatch.undo()
    reload()


def test_an_unknown_email_and_a_wrong_password_both_wait_for_the_floor(aws, waits):
    with client() as c:
        # Given Zoë's account at Acme
        api, acme, zoe = acme_and_zoe(c)
        waits.clear()

        # When someone signs in with an unknown email, then with Zoë's email and a wrong password
        unknown = login(api, acme.org.org_id, "nobody@globex.example", WRONG)
        wrong = login(api, acme.org.org_id, "zoe@globex.example", WRONG)

        # Then both answer 401, each after waiting out the floor
        assert unknown.status == wrong.status == 401
        assert len(waits) == 2 and all(59 < wait <= 60 for wait in waits)


def test_a_successful_sign_in_does_not_wait(aws, waits):
    with client() as c:
        api, acme, zoe = acme_and_zoe(c)
        waits.clear()
        assert login(api, acme.org.org_id, "zoe@globex.example", PASSWORD).status == 200
        assert waits == []


def test_reset_requests_for_an_account_and_an_unknown_email_both_wait_for_the_floor(aws, waits):
    with client() as c:
        api, acme, zoe = acme_and_zoe(c)
        waits.clear()
        assert forgot(api, acme.org.org_id, "zoe@globex.example").status == 202
        assert forgot(api, acme.org.org_id, "nobody@globex.example").status == 202
        assert len(waits) == 2 and all(59 < wait <= 60 for wait in waits)


def test_a_new_sign_in_email_waits_for_the_floor_and_other_profile_changes_do_not(aws, waits):
    with client() as c:
        scene = a_scene(Api(c))
        waits.clear()
        assert scene.zoe.portal.patch("/portal/profile", {"contact": {"first_name": "Zoey"}}).status == 200
        assert waits == []
        assert scene.zoe.portal.patch("/portal/profile", {"contact": {"email": "zoe.private@globex.example"},
                                                          "current_password": PASSWORD}).status == 200
        assert len(waits) == 1


def test_sign_in_link_requests_for_an_account_and_an_unknown_email_both_wait_for_the_floor(aws, waits):
    with client() as c:
        api, acme, zoe = acme_and_zoe(c)
        assert acme.admin.put("/admin/preferences", {"preferences": {"sign_in_with": "both"}}).status == 200
        waits.clear()
        for email in ("zoe@globex.example", "nobody@globex.example"):
            assert api.as_(None).post("/portal/auth/sign-in-links", {"organization": acme.org.org_id,
                                                                     "email": email}).status == 202
        assert len(waits) == 2 and all(59 < wait <= 60 for wait in waits)


def test_a_failed_console_sign_in_waits_for_the_floor_as_the_portals_does(aws, waits):
    with client() as c:
        console = a_console(c)
        console.user("olivia@acme.example", "admin")
        waits.clear()
        assert console.sign_in("olivia@acme.example", "not the password at all").status == 401
        assert console.sign_in("nobody@acme.example", "not the password at all").status == 401
        assert len(waits) == 2 and all(59 < wait <= 60 for wait in waits)
        waits.clear()
        assert console.sign_in("olivia@acme.example").status == 200
        assert waits == []
