"""The merchant console's users: created with the API key, signing in with the portal's rules,
sessions of their own (never a portal session, nor a portal session theirs), roles on the admin API,
and an audit entry for every change."""
from dataclasses import replace

from chalicelib import bootstrap
from chalicelib.domain.second_factor import code_for, step_at
from chalicelib.tables.merchant_users import merchant_login_key
from chalicelib.tables.metrics import WRITES, counting_calls
from tests.support.api import client
from tests.support.call_shapes import calls_made
from tests.support.console import PASSWORD, a_console
from tests.support.portal import PASSWORD as PORTAL_PASSWORD
from tests.support.portal import login
from tests.support.subscriptions import a_shop


def test_an_api_key_creates_the_first_user_who_signs_in_and_reads_the_admin_api(aws):
    with client() as c:
        console = a_console(c)

        created = console.key.post("/admin/merchant-users", {"email": "Olivia@Acme.example", "role": "admin",
                                                             "password": PASSWORD})
        signed = console.sign_in("olivia@acme.example")
        olivia = console.anonymous.as_(signed.json["token"])

        assert created.status == 201 and created.json["email"] == "olivia@acme.example"
        assert "password" not in str(created.json) and "hash" not in str(created.json)
        assert signed.status == 200 and signed.json["token_type"] == "Bearer"
        assert olivia.get("/admin/organization").status == 200
        me = olivia.get("/console/auth/me").json
        assert (me["user"]["role"], me["may_change"], me["org_id"]) == ("admin", True, console.org_id)


def test_the_console_session_check_reads_the_user_with_the_organization_its_routes_read(aws):
    with client() as c:
        # Given a signed-in console user
        console = a_console(c)
        console.user("olivia@acme.example", "admin")
        olivia = console.anonymous.as_(console.sign_in("olivia@acme.example").json["token"])

        # When the console asks who she is, and reads the organization
        with calls_made() as me_calls:
            me = olivia.get("/console/auth/me")
        with calls_made() as organization_calls:
            organization = olivia.get("/admin/organization")

        # Then each is the session, then the user and the organization in one call
        assert me.status == organization.status == 200
        assert me_calls == organization_calls == [
            ("GetItem", ("merchant_sessions",)), ("BatchGetItem", ("merchant_users", "organizations"))]


def test_a_wrong_password_and_an_unknown_email_get_the_same_answer(aws):
    with client() as c:
        console = a_console(c)
        console.user("olivia@acme.example", "admin")

        wrong = console.sign_in("olivia@acme.example", "not the password at all")
        unknown = console.sign_in("nobody@acme.example", "not the password at all")

        assert wrong.status == unknown.status == 401
        assert wrong.json["error"] == unknown.json["error"]


def test_repeated_failures_lock_the_account_like_a_portal_account(aws):
    with client() as c:
        console = a_console(c)
        console.user("olivia@acme.example", "admin")

        answers = [console.sign_in("olivia@acme.example", f"wrong guess number {n}").status for n in range(12)]

        assert 429 in answers


def test_the_same_email_twice_is_refused(aws):
    with client() as c:
        console = a_console(c)
        console.user("olivia@acme.example", "admin")

        again = console.key.post("/admin/merchant-users", {"email": "olivia@acme.example", "role": "support",
                                                           "password": PASSWORD})

        assert again.status == 409


def test_a_portal_session_never_opens_the_admin_api_nor_a_console_session_the_portal(aws):
    with client() as c:
        shop = a_shop(c, preferences=None)
        olivia = a_console(c, "Other Merchant").signed_in("olivia@acme.example", "admin")
        portal_token = login(shop.api, shop.acme.org.org_id, shop.zoe.email, PORTAL_PASSWORD).json["token"]

        assert shop.api.as_(portal_token).get("/admin/organization").status == 401
        assert shop.api.as_(portal_token).get("/console/auth/me").status == 401
        assert olivia.get("/portal/me").status == 401
        assert shop.acme.admin.get("/console/auth/me").status == 401   # an API key is no console session


def test_signing_out_ends_the_session_at_once(aws):
    with client() as c:
        olivia = a_console(c).signed_in("olivia@acme.example", "admin")

        assert olivia.post("/console/auth/logout").status == 204
        assert olivia.get("/admin/organization").status == 401


def test_a_password_change_ends_every_other_session_of_the_user(aws):
    with client() as c:
        console = a_console(c)
        first = console.signed_in("olivia@acme.example", "admin")
        second = console.anonymous.as_(console.sign_in("olivia@acme.example").json["token"])

        changed = first.post("/console/auth/change-password", {"current_password": PASSWORD,
                                                               "new_password": "a brand new harbour lantern"})

        assert changed.status == 200 and changed.json == {"other_sessions_ended": 1}
        assert second.get("/admin/organization").status == 401
        assert first.get("/admin/organization").status == 200
        assert console.sign_in("olivia@acme.example").status == 401


def test_a_console_session_alone_cannot_set_up_a_second_factor_that_would_keep_its_user_out(aws):
    with client() as c:
        # Given Olivia's console session in the hands of someone who does not know her password
        console = a_console(c)
        olivia = console.signed_in("olivia@acme.example", "admin")

        # When they set up a second factor with it, without her password or with a wrong one
        bare = olivia.post("/console/auth/second-factor")
        wrong = olivia.post("/console/auth/second-factor", {"current_password": "not her password at all"})

        # Then neither is given a secret, and her password alone still signs her in
        assert (bare.status, list(bare.json["error"]["details"]["fields"])) == (400, ["current_password"])
        assert (wrong.status, wrong.json["error"]["details"]["field_codes"]) == (
            400, {"current_password": "wrong_password"})
        assert console.sign_in("olivia@acme.example").json["token"]


def test_a_console_session_alone_creates_no_user_that_would_outlive_it(aws):
    with client() as c:
        # Given Olivia's console session in the hands of someone who does not know her password
        console = a_console(c)
        olivia = console.signed_in("olivia@acme.example", "admin")
        mallory = {"email": "mallory@acme.example", "role": "admin", "password": "a lasting way back in for me"}

        # When it creates a console user without her password, and with a wrong one
        with counting_calls() as calls:
            bare = olivia.post("/admin/merchant-users", mallory)
        wrong = olivia.post("/admin/merchant-users", {**mallory, "current_password": "not her password at all"})

        # Then neither makes the user (the first writes nothing at all), and nobody signs in as it
        assert (bare.status, bare.json["error"]["details"]["field_codes"]) == (
            400, {"current_password": "current_password_needed"})
        assert not set(calls.operations) & WRITES
        assert (wrong.status, wrong.json["error"]["details"]["field_codes"]) == (
            400, {"current_password": "wrong_password"})
        assert [u["email"] for u in olivia.get("/admin/merchant-users").json["items"]] == ["olivia@acme.example"]
        assert console.sign_in(mallory["email"], mallory["password"]).status == 401


def test_wrong_current_passwords_given_to_create_a_user_count_towards_the_lockout(aws):
    with client() as c:
        # Given a stolen console session guessing Olivia's password by creating users six times
        console = a_console(c)
        olivia = console.signed_in("olivia@acme.example", "admin")
        for guess in range(6):
            olivia.post("/admin/merchant-users", {"email": "sam@acme.example", "role": "support", "password": PASSWORD,
                                                  "current_password": f"guess number {guess} goes here"})

        # Then the next attempt, and her next sign-in, have to wait, as after six failed sign-ins
        answer = olivia.post("/admin/merchant-users", {"email": "sam@acme.example", "role": "support",
                                                       "password": PASSWORD, "current_password": PASSWORD})
        assert (answer.status, answer.headers["Retry-After"]) == (429, "1")
        assert console.sign_in("olivia@acme.example").status == 429


def test_a_console_admin_creates_a_user_with_her_current_password_and_an_api_key_needs_none(aws):
    with client() as c:
        # Given Olivia signed in to the console, and the organization's API key
        console = a_console(c)
        olivia = console.signed_in("olivia@acme.example", "admin")

        # When she creates Sam with her current password, and the key creates Kim with none
        sam = olivia.post("/admin/merchant-users", {"email": "sam@acme.example", "role": "support",
                                                    "password": PASSWORD, "current_password": PASSWORD})
        kim = console.key.post("/admin/merchant-users", {"email": "kim@acme.example", "role": "support",
                                                         "password": PASSWORD})

        # Then both are made and sign in
        assert (sam.status, kim.status) == (201, 201), (sam.json, kim.json)
        assert console.sign_in("sam@acme.example").status == 200
        assert console.sign_in("kim@acme.example").status == 200


def test_a_user_with_a_second_factor_signs_in_with_a_code_after_the_password(aws):
    with client() as c:
        console = a_console(c)
        olivia = console.signed_in("olivia@acme.example", "admin")
        secret = olivia.post("/console/auth/second-factor", {"current_password": PASSWORD}).json["secret"]
        confirmed = olivia.post("/console/auth/second-factor/confirm", {"code": code_for(secret, step_at(bootstrap.now()))})

        first = console.sign_in("olivia@acme.example")
        challenge = first.json["second_factor"]["challenge"]
        done = console.anonymous.post("/console/auth/login/second-factor", {
            "organization": console.org_id, "challenge": challenge, "code": confirmed.json["recovery_codes"][0]})

        assert confirmed.status == 200 and "token" not in first.json
        assert done.status == 200 and console.anonymous.as_(done.json["token"]).get("/admin/organization").status == 200


def test_every_console_route_but_signing_in_and_resetting_a_password_needs_a_console_session(aws):
    from chalicelib.handlers.lazy_routes import all_routes
    console_routes = [spec for spec in all_routes() if spec.path.startswith("/console")]
    public = {spec.path for spec in console_routes if spec.auth == "public"}

    with client() as c:
        anonymous = a_console(c).anonymous
        answers = {(s.method, s.path): anonymous.call(s.method, s.path, {}).status
                   for s in console_routes if s.auth != "public"}

    assert public == {"/console/auth/login", "/console/auth/login/second-factor", "/console/auth/forgot-password",
                      "/console/auth/reset-password"}
    assert set(answers.values()) == {401}


def test_changing_a_users_role_ends_their_sessions_and_the_new_role_holds(aws):
    with client() as c:
        console = a_console(c)
        olivia = console.signed_in("olivia@acme.example", "admin")
        sam_id = console.user("sam@acme.example", "support")["user_id"]
        sam = console.anonymous.as_(console.sign_in("sam@acme.example").json["token"])

        promoted = olivia.patch(f"/admin/merchant-users/{sam_id}", {"role": "admin", "current_password": PASSWORD})
        ended = sam.get("/admin/organization").status
        sam = console.anonymous.as_(console.sign_in("sam@acme.example").json["token"])

        assert promoted.status == 200 and promoted.json["role"] == "admin"
        assert ended == 401
        assert sam.put("/admin/preferences", {"preferences": {}}).status == 200


def test_a_disabled_user_cannot_sign_in_and_nobody_changes_their_own_account(aws):
    with client() as c:
        console = a_console(c)
        olivia = console.signed_in("olivia@acme.example", "admin")
        me = olivia.get("/console/auth/me").json["user"]["user_id"]
        sam_id = console.user("sam@acme.example", "support")["user_id"]

        disabled = console.key.patch(f"/admin/merchant-users/{sam_id}", {"status": "disabled"})
        own = olivia.patch(f"/admin/merchant-users/{me}", {"role": "support"})
        elsewhere = a_console(c, "Globex Corp").key.patch(f"/admin/merchant-users/{sam_id}", {"status": "active"})

        assert disabled.status == 200 and console.sign_in("sam@acme.example").status == 401
        assert own.status == 422 and own.json["error"]["code"] == "own_account"
        assert elsewhere.status == 404


def test_a_console_session_alone_neither_enables_a_disabled_user_nor_makes_one_admin(aws):
    with client() as c:
        # Given Olivia's console session in the hands of someone who does not know her password,
        # Sam a support user, and Dana a user the organization disabled
        console = a_console(c)
        olivia = console.signed_in("olivia@acme.example", "admin")
        sam_id = console.user("sam@acme.example", "support")["user_id"]
        dana_id = console.user("dana@acme.example", "admin")["user_id"]
        console.key.patch(f"/admin/merchant-users/{dana_id}", {"status": "disabled"})

        # When it makes Sam admin and enables Dana again, without her password and with a wrong one
        with counting_calls() as calls:
            bare = [olivia.patch(f"/admin/merchant-users/{sam_id}", {"role": "admin"}),
                    olivia.patch(f"/admin/merchant-users/{dana_id}", {"status": "active"})]
        wrong = [olivia.patch(f"/admin/merchant-users/{sam_id}", {"role": "admin", "current_password": "not hers"}),
                 olivia.patch(f"/admin/merchant-users/{dana_id}", {"status": "active", "current_password": "nor this"})]

        # Then each is refused next to the field, the first two writing nothing at all, and nothing changed
        assert [(a.status, a.json["error"]["details"]["field_codes"]) for a in bare] == [
            (400, {"current_password": "current_password_needed"})] * 2
        assert not set(calls.operations) & WRITES
        assert [(a.status, a.json["error"]["details"]["field_codes"]) for a in wrong] == [
            (400, {"current_password": "wrong_password"})] * 2
        users = {u["email"]: (u["role"], u["status"]) for u in olivia.get("/admin/merchant-users").json["items"]}
        assert users["sam@acme.example"] == ("support", "active")
        assert users["dana@acme.example"] == ("admin", "disabled")
        assert console.sign_in("dana@acme.example").status == 401


def test_with_her_current_password_an_admin_makes_a_user_admin_and_enables_one_again(aws):
    with client() as c:
        # Given Olivia signed in, Sam a support user and Dana a disabled one
        console = a_console(c)
        olivia = console.signed_in("olivia@acme.example", "admin")
        sam_id = console.user("sam@acme.example", "support")["user_id"]
        dana_id = console.user("dana@acme.example", "support")["user_id"]
        console.key.patch(f"/admin/merchant-users/{dana_id}", {"status": "disabled"})

        # When she makes Sam admin and enables Dana, each with her current password
        promoted = olivia.patch(f"/admin/merchant-users/{sam_id}", {"role": "admin", "current_password": PASSWORD})
        enabled = olivia.patch(f"/admin/merchant-users/{dana_id}", {"status": "active", "current_password": PASSWORD})

        # Then both are done, and Dana signs in again
        assert (promoted.status, promoted.json["role"]) == (200, "admin")
        assert (enabled.status, enabled.json["status"]) == (200, "active")
        assert console.sign_in("dana@acme.example").status == 200


def test_taking_access_away_needs_no_password_and_an_api_key_needs_none_to_give_it(aws):
    with client() as c:
        # Given Olivia signed in, Kim an admin and Sam a support user
        console = a_console(c)
        olivia = console.signed_in("olivia@acme.example", "admin")
        kim_id = console.user("kim@acme.example", "admin")["user_id"]
        sam_id = console.user("sam@acme.example", "support")["user_id"]

        # When she makes Kim support and disables Sam without her password (a role given again is no
        # change either), and the API key then makes Kim admin and enables Sam again
        lowered = olivia.patch(f"/admin/merchant-users/{kim_id}", {"role": "support"})
        disabled = olivia.patch(f"/admin/merchant-users/{sam_id}", {"status": "disabled"})
        same = olivia.patch(f"/admin/merchant-users/{kim_id}", {"role": "support"})
        raised = console.key.patch(f"/admin/merchant-users/{kim_id}", {"role": "admin"})
        enabled = console.key.patch(f"/admin/merchant-users/{sam_id}", {"status": "active"})

        # Then every one of them is done
        assert [a.status for a in (lowered, disabled, same, raised, enabled)] == [200] * 5
        assert (raised.json["role"], enabled.json["status"]) == ("admin", "active")


def test_another_organizations_user_answers_404_like_a_missing_one_whoever_asks(aws):
    with client() as c:
        # Given Sam, a disabled support user of Acme, and Gina, an admin of Globex signed in to its console
        acme = a_console(c)
        sam_id = acme.user("sam@acme.example", "support")["user_id"]
        acme.key.patch(f"/admin/merchant-users/{sam_id}", {"status": "disabled"})
        globex = a_console(c, "Globex Corp")
        gina = globex.signed_in("gina@globex.example", "admin")

        # When Gina, with her password, and Globex's key try to enable Sam and make him admin
        change = {"status": "active", "role": "admin", "current_password": PASSWORD}
        answers = [gina.patch(f"/admin/merchant-users/{sam_id}", change),
                   globex.key.patch(f"/admin/merchant-users/{sam_id}", change)]
        missing = gina.patch("/admin/merchant-users/merchant_user_nobody", change)

        # Then each answers as for a user that does not exist, and Sam stays as he was
        assert [(a.status, a.json["error"]) for a in answers] == [(404, missing.json["error"])] * 2
        sam = next(u for u in acme.key.get("/admin/merchant-users").json["items"] if u["user_id"] == sam_id)
        assert (sam["role"], sam["status"]) == ("support", "disabled")


def test_a_session_ends_at_once_when_its_user_is_disabled_or_demoted_even_one_the_sessions_index_missed(aws):
    with client() as c:
        # Given Olivia and Sam, admins with live sessions
        console = a_console(c)
        olivia = console.signed_in("olivia@acme.example", "admin")
        sam = console.signed_in("sam@acme.example", "admin")
        users = bootstrap.adapters().uow.merchant_users

        # When Olivia is disabled and Sam made support behind the sessions' backs (as when a session
        # was started while the change was made, and the index that ends them had not seen it yet)
        found = users.find(merchant_login_key(console.org_id, "olivia@acme.example"))
        users.save(replace(found, status="disabled"))
        found = users.find(merchant_login_key(console.org_id, "sam@acme.example"))
        users.save(replace(found, role="support"))

        # Then Olivia's session opens nothing, and Sam's acts with his role as it is now
        assert olivia.get("/admin/organization").status == 401
        assert sam.get("/admin/organization").status == 200
        assert sam.put("/admin/preferences", {"preferences": {}}).json["error"]["code"] == "role_forbids"
