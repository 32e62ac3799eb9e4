"""Secrets the portal must read back (a second factor's TOTP key) are stored sealed by KMS, not as
they are: whoever reads the table (a backup, an export, a console session) learns nothing usable.

Each is sealed with an encryption context naming whose it is (organization, contact, purpose): a
sealed value copied onto another account's item does not open there. The key is the stage's
(`PORTICO_SECRETS_KEY`, an alias or ARN the template creates); off AWS (tests on moto, `make run`
on moto's server) the key is made on first use, as the devstack makes its tables.

A value stored before sealing began (no prefix) is read as it is and sealed at its next change."""
from __future__ import annotations

import base64
from typing import Any, Callable

SEALED = "kms1:"


class SecretBox:
    def __init__(self, key_id: str, client_factory: Callable[[], Any], *, make_missing_key: bool):
        self._key_id, self._client, self._make_missing_key = key_id, client_factory, make_missing_key

    def seal(self, secret: str, context: dict[str, str]) -> str:
        try:
            answer = self._client().encrypt(KeyId=self._key_id, Plaintext=secret.encode(), EncryptionContext=context)
        except self._client().exceptions.NotFoundException:
            if not self._make_missing_key:
                raise
            self._make_key()
            answer = self._client().encrypt(KeyId=self._key_id, Plaintext=secret.encode(), EncryptionContext=context)
        return SEALED + base64.b64encode(answer["CiphertextBlob"]).decode()

    def open(self, stored: str, context: dict[str, str]) -> str:
        if not stored.startswith(SEALED):
            return stored     # stored before sealing began
        blob = base64.b64decode(stored[len(SEALED):])
        return self._client().decrypt(CiphertextBlob=blob, KeyId=self._key_id,
                                      EncryptionContext=context)["Plaintext"].decode()

    def _make_key(self) -> None:
        key = self._client().create_key(Description="Portico sealed secrets (local)")["KeyMetadata"]["KeyId"]
        if self._key_id.startswith("alias/"):
            self._client().create_alias(AliasName=self._key_id, TargetKeyId=key)
        else:
            self._key_id = key


def is_sealed(stored: str) -> bool:
    return stored.startswith(SEALED)
