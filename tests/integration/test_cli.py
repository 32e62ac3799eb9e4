from chalicelib import cli
from chalicelib.bootstrap import services


def test_create_org_prints_a_key_that_opens_the_admin_api(aws, capsys):
    # When the operator creates an organization from the command line
    assert cli.main(["create-org", "--name", "Umbrella", "--email", "ops@umbrella.example"]) == 0
    printed = capsys.readouterr().out
    # Then the printed key belongs to the printed organization
    org_id = printed.split("organization: ")[1].split()[0]
    api_key = printed.split("(shown once): ")[1].strip()
    assert services().access.org_for_api_key(api_key) == org_id


def test_issue_key_for_an_unknown_org_fails_cleanly(aws, capsys):
    assert cli.main(["issue-key", "--org", "org_nope"]) == 1
    assert "No such organization" in capsys.readouterr().err


def test_create_org_refuses_a_currency_the_payment_service_does_not_accept(aws, capsys):
    # When the operator creates an organization in Iraqi dinars (Stripe has none)
    assert cli.main(["create-org", "--name", "Umbrella", "--email", "ops@umbrella.example", "--currency", "IQD"]) == 1

    # Then it says why, and creates nothing
    printed = capsys.readouterr()
    assert "--currency: IQD is not a currency the payment service accepts." in printed.err
    assert "organization:" not in printed.out


def test_create_org_takes_the_stage_default_time_zone_when_none_is_given(aws, capsys, monkeypatch):
    from chalicelib import bootstrap
    # Given a stage deployed with the default time zone Europe/Berlin
    monkeypatch.setenv("PORTICO_DEFAULT_TIME_ZONE", "Europe/Berlin")
    bootstrap.reset()

    # When the operator creates an organization without naming a time zone, and one naming its own
    assert cli.main(["create-org", "--name", "Umbrella", "--email", "ops@umbrella.example"]) == 0
    assert cli.main(["create-org", "--name", "Initech", "--email", "ops@initech.example",
                     "--time-zone", "America/Chicago"]) == 0

    # Then the first bills in Berlin's days, the second in Chicago's
    org_ids = [line.split("organization: ")[1] for line in capsys.readouterr().out.splitlines()
               if line.startswith("organization: ")]
    assert [services().access.organization(o).time_zone for o in org_ids] == ["Europe/Berlin", "America/Chicago"]
