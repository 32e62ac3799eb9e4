"""What a request does, as opposed to how long it takes: the DynamoDB calls it makes and the
password-hash work it spends, recorded so that tests can compare two requests that must not be
told apart (wall-clock times are measured in bench/, never asserted in tests)."""
from contextlib import contextmanager

from chalicelib.tables.base import shared_client


@contextmanager
def calls_made():
    """Every DynamoDB call meanwhile: (operation, the tables it names, without the stage prefix)."""
    calls = []

    def record(model, params, **_):
        calls.append((model.name, tuple(sorted(_tables(params)))))

    events = shared_client().meta.events
    events.register("before-parameter-build.dynamodb", record)
    try:
        yield calls
    finally:
        events.unregister("before-parameter-build.dynamodb", record)


def _tables(params: dict) -> set[str]:
    names = {params["TableName"]} if "TableName" in params else set(params.get("RequestItems", {}))
    for item in params.get("TransactItems", []):
        names |= {part["TableName"] for part in item.values()}
    return {name.rsplit("-", 1)[-1] for name in names}


@contextmanager
def hash_work(monkeypatch):
    """Every argon2 verification meanwhile, as the parameters of the hash verified against
    ("argon2id", "v=19", "m=...,t=...,p="): the work each costs."""
    import argon2
    verified = []
    verify = argon2.PasswordHasher.verify

    def recorded(self, stored_hash, password):
        text = stored_hash.decode() if isinstance(stored_hash, bytes) else stored_hash
        verified.append(tuple(text.split("$")[1:4]))
        return verify(self, stored_hash, password)

    with monkeypatch.context() as patched:
        patched.setattr(argon2.PasswordHasher, "verify", recorded)
        yield verified


@contextmanager
def accounts_decoded(monkeypatch):
    """How many portal account items were decoded meanwhile (found ones, and stand-ins for logins
    with none): the parsing work a sign-in spends besides its hash."""
    from chalicelib.tables.portal_users import PortalUserItem
    decoded = []
    decode = PortalUserItem.from_raw_data.__func__

    def recorded(cls, data):
        decoded.append(cls.__name__)
        return decode(cls, data)

    monkeypatch.setattr(PortalUserItem, "from_raw_data", classmethod(recorded))
    yield decoded
    monkeypatch.setattr(PortalUserItem, "from_raw_data", classmethod(decode))
