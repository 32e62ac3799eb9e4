"""A secret sealed for one account opens only for that account, never shows as it is, and a value
stored before sealing began still reads."""
import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from chalicelib.gateways.sealed_secrets import SecretBox

ZOE = {"purpose": "second-factor", "organization": "org_1", "contact": "contact_zoe"}
BILL = {"purpose": "second-factor", "organization": "org_1", "contact": "contact_bill"}


@pytest.fixture
def box():
    with mock_aws():
        kms = boto3.client("kms", region_name="us-east-1")
        yield SecretBox("alias/portico-secrets", lambda: kms, make_missing_key=True)


def test_a_sealed_secret_opens_for_its_account_and_does_not_show_what_it_holds(box):
    sealed = box.seal("JBSWY3DPEHPK3PXP", ZOE)
    assert "JBSWY3DPEHPK3PXP" not in sealed
    assert box.open(sealed, ZOE) == "JBSWY3DPEHPK3PXP"


def test_a_sealed_secret_copied_to_another_account_does_not_open(box):
    sealed = box.seal("JBSWY3DPEHPK3PXP", ZOE)
    with pytest.raises(ClientError) as refused:
        box.open(sealed, BILL)
    assert refused.value.response["Error"]["Code"] == "InvalidCiphertextException"


def test_a_secret_stored_before_sealing_began_reads_as_it_is(box):
    assert box.open("JBSWY3DPEHPK3PXP", ZOE) == "JBSWY3DPEHPK3PXP"


def test_on_aws_a_missing_key_is_an_error_not_a_new_key():
    with mock_aws():
        kms = boto3.client("kms", region_name="us-east-1")
        box = SecretBox("alias/portico-secrets", lambda: kms, make_missing_key=False)
        with pytest.raises(ClientError):
            box.seal("JBSWY3DPEHPK3PXP", ZOE)
        assert kms.list_aliases()["Aliases"] == [] or all(
            a["AliasName"] != "alias/portico-secrets" for a in kms.list_aliases()["Aliases"])
