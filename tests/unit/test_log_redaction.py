"""What slips into a log message is masked: addresses, named secrets, tokens and keys; ids stay."""
import logging

from chalicelib.logs import CHATTY_LIBRARIES, logger, redact

TOKEN = "SH2qIrtC3yAk2zWczKCHGNwK_PzUVzuSK2-plfaziHM"   # what domain.tokens.new_token() makes


def test_an_email_address_keeps_its_first_letter_and_domain():
    assert redact("sent to zoe.keller@globex.example, cc hank@mail.globex.example") == \
        "sent to z***@globex.example, cc h***@mail.globex.example"


def test_named_secrets_lose_their_values_however_they_are_quoted():
    assert redact("{'current_password': 'velvet lantern orchard', \"token\": \"abc\"} secret=xyz") == \
        "{'current_password': [redacted], \"token\": [redacted]} secret=[redacted]"


def test_what_pydantic_quotes_of_the_input_is_dropped():
    assert redact("[type=string_too_short, input_value='short pass', input_type=str]") == \
        "[type=string_too_short, input_value=[redacted], input_type=str]"


def test_tokens_and_keys_are_replaced_and_ids_are_kept():
    text = f"session {TOKEN} key pk_admin_{TOKEN} stripe sk_test_51Habc whsec_x1 for sub_01JD5Z0000ABCDEFGHJKMNPQRS"
    assert redact(text) == ("session [redacted] key [redacted] stripe sk_[redacted] whsec_[redacted] "
                            "for sub_01JD5Z0000ABCDEFGHJKMNPQRS")


def test_a_portico_logger_masks_its_traceback_and_the_libraries_stay_at_warning(caplog):
    log = logger("portico.test")
    try:
        raise ValueError("no account for zoe@globex.example")
    except ValueError:
        with caplog.at_level(logging.DEBUG):
            log.exception("failed for %s", "zoe@globex.example")
    assert "zoe@globex.example" not in caplog.text
    assert "ValueError: no account for z***@globex.example" in caplog.text
    assert all(logging.getLogger(name).getEffectiveLevel() >= logging.WARNING for name in CHATTY_LIBRARIES)


def test_a_key_naming_its_organization_keeps_only_the_organization():
    assert TOKEN not in redact(f"key pk_admin_org_1.{TOKEN} session org_1.cus_1.{TOKEN}")
