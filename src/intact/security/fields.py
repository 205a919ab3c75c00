"""Model fields whose values are encrypted at rest (DESIGN rule 3).

The plaintext lives only in memory: ``pre_save`` encrypts with the data key of
the instance's organisation, ``from_db_value`` decrypts. A model with such a
field names its organisation through ``organisation_id`` or by defining
``crypto_organisation_id``. ``QuerySet.update()`` with a plain string is
refused, so plaintext can never reach the database by that side door.
Encrypted fields cannot be filtered or ordered on; search works on what the
selectors decrypt or on separate, non-confidential fields.
"""

from __future__ import annotations

import json
from typing import Any

from django.db import models

from intact.security import crypto


class Ciphertext(bytes):
    """Bytes known to come from :func:`crypto.encrypt`."""


def _organisation_id(instance: Any) -> int:
    org_id = getattr(instance, "crypto_organisation_id", None)
    if org_id is None:
        org_id = getattr(instance, "organisation_id", None)
    if org_id is None:
        raise ValueError(f"{type(instance).__name__} has no organisation to encrypt for")
    return int(org_id)


class _EncryptedField(models.BinaryField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("editable", True)
        super().__init__(*args, **kwargs)

    def _serialise(self, value: Any) -> bytes:
        raise NotImplementedError

    def _deserialise(self, raw: bytes) -> Any:
        raise NotImplementedError

    def pre_save(self, model_instance: Any, add: bool) -> Any:
        value = getattr(model_instance, self.attname)
        if value is None:
            return None
        return Ciphertext(crypto.encrypt(_organisation_id(model_instance), self._serialise(value)))

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if value is None:
            return None
        if not isinstance(value, Ciphertext):
            raise TypeError(
                f"{self.name}: only encrypted values may be written; save through the model"
            )
        return connection.Database.Binary(bytes(value))

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None:
            return None
        return self._deserialise(crypto.decrypt(bytes(value)))

    def to_python(self, value: Any) -> Any:
        return value

    def value_to_string(self, obj: Any) -> str:
        return "[encrypted]"

    def get_default(self) -> Any:
        if self.has_default():
            return self.default() if callable(self.default) else self.default
        return None if self.null else self._empty()

    def _empty(self) -> Any:
        raise NotImplementedError

    def formfield(self, **kwargs: Any) -> Any:
        return None


class EncryptedTextField(_EncryptedField):
    """Text encrypted with the organisation's data key."""

    def _serialise(self, value: Any) -> bytes:
        return str(value).encode("utf-8")

    def _deserialise(self, raw: bytes) -> str:
        return raw.decode("utf-8")

    def _empty(self) -> str:
        return ""


class EncryptedJSONField(_EncryptedField):
    """A JSON value encrypted with the organisation's data key."""

    def _serialise(self, value: Any) -> bytes:
        return json.dumps(value, ensure_ascii=False, sort_keys=True).encode("utf-8")

    def _deserialise(self, raw: bytes) -> Any:
        return json.loads(raw.decode("utf-8"))

    def _empty(self) -> Any:
        return {}
