"""Which host a portal's passkeys belong to, and which pages may use them."""
from chalicelib.domain.passkeys import relying_party, user_handle


def test_a_portal_under_an_api_gateway_stage_binds_its_passkeys_to_the_host_whatever_the_path():
    rp = relying_party("https://abc123.execute-api.eu-west-1.amazonaws.com/api")

    assert rp.rp_id == "abc123.execute-api.eu-west-1.amazonaws.com"
    assert rp.origins == ("https://abc123.execute-api.eu-west-1.amazonaws.com",)


def test_a_custom_domain_keeps_its_port_in_the_origin_only():
    assert relying_party("https://billing.example.com:8443/") == relying_party("https://billing.example.com:8443")
    assert relying_party("https://billing.example.com:8443").origins == ("https://billing.example.com:8443",)


def test_the_local_stack_on_an_ip_address_binds_passkeys_to_localhost_on_the_same_port():
    rp = relying_party("http://127.0.0.1:8000")

    assert rp.rp_id == "localhost"
    assert rp.origins == ("http://localhost:8000", "http://127.0.0.1:8000")


def test_the_user_handle_names_no_one_and_stays_with_the_contact():
    handle = user_handle("org_1", "cus_1", "con_1")

    assert len(handle) == 32 and b"org_1" not in handle
    assert handle == user_handle("org_1", "cus_1", "con_1") != user_handle("org_1", "cus_1", "con_2")
