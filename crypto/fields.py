"""
Encrypted model fields and the blind index.

An encrypted field holds plaintext on the model instance and a sealed token in
the database. Sealing happens in ``pre_save`` (which knows the row, so the
token is bound to it); opening happens in ``EncryptedModel.from_db``. The
database layer accepts only tokens made by ``pre_save``: ``QuerySet.update()``,
``bulk_update()`` and ``loaddata`` cannot write plaintext by mistake, and
lookups other than ``isnull`` are refused (search goes through blind indexes).

An encrypted field added to a table that already has rows must be
``null=True``: a migration cannot seal a default for rows it never loads, and
the column refuses an unsealed one.
"""

from __future__ import annotations

import datetime
import json
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.expressions import Combinable
from django.db.models.query_utils import DeferredAttribute

from crypto import core


class Sealed:
    """A value read from the database and not yet opened. It never prints."""

    __slots__ = ("token",)

    def __init__(self, token: str) -> None:
        self.token = token

    def __str__(self) -> str:
        raise core.DecryptionError("a sealed value was used before it was opened")

    def __repr__(self) -> str:
        return "<Sealed>"

    @property
    def key_id(self) -> str:
        return core.key_id_of(self.token)


_M = TypeVar("_M", bound=models.Model)
# What an EncryptedJSONField holds: answers by question.
Answers = dict[str, str]


class Ciphertext(str):
    """A token sealed by ``pre_save`` for one row; the only thing written to the column."""


class SealedAttribute(DeferredAttribute):
    """An encrypted field's value is opened the first time it is read, and kept
    open: a page that shows three of a child's fields decrypts three, not
    thirteen. Every value is still opened (and checked against its row) before
    any code sees it; nothing ever hands out ciphertext in place of plaintext."""

    field: Any

    def __get__(self, instance: Any, cls: Any = None) -> Any:
        if instance is None:
            return self
        value = super().__get__(instance, cls)
        if isinstance(value, Sealed):
            value = self.field.open(value, instance.pk)
            instance.__dict__[self.field.attname] = value
        return value

    # A data descriptor (with __set__), so that reading always comes here, even
    # when the instance already holds the value.
    def __set__(self, instance: Any, value: Any) -> None:
        instance.__dict__[self.field.attname] = value


class EncryptedMixin:
    encrypted = True
    descriptor_class = SealedAttribute
    # Change records say the field changed, never what to (audit/registration.py).
    audit_masked = True
    # Given by the model field this is mixed into.
    name: str
    attname: str
    model: type[models.Model]

    def get_internal_type(self) -> str:
        return "TextField"

    @property
    def label(self) -> str:
        return f"{self.model._meta.label_lower}.{self.name}"

    def serialise(self, value: Any) -> str:
        return str(value)

    def deserialise(self, text: str) -> Any:
        return text

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Sealed | None:
        return None if value is None else Sealed(value)

    def row_key(self, pk: object) -> object:
        # The same row must bind the same way however its key was spelt
        # ("ABC…" as text, or a UUID), so bind the primary key's Python value.
        return self.model._meta.pk.to_python(pk)

    def open(self, sealed: Sealed, pk: object) -> Any:
        return self.deserialise(core.decrypt_text(sealed.token, label=self.label, pk=self.row_key(pk)))

    def pre_save(self, model_instance: models.Model, add: bool) -> Ciphertext | None:
        value = getattr(model_instance, self.attname)
        if value is None:
            return None
        if isinstance(value, Sealed):
            raise core.DecryptionError(f"{self.label}: refusing to re-save a value never opened")
        plaintext = self.serialise(self.to_python(value))  # type: ignore[attr-defined]
        return Ciphertext(core.encrypt_text(plaintext, label=self.label, pk=self.row_key(model_instance.pk)))

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if value is None or isinstance(value, Ciphertext):
            return value
        raise TypeError(
            f"{self.label} is encrypted: it is written by Model.save() or bulk_create(), "
            "never by update(), bulk_update() or a raw value"
        )

    def get_placeholder(self, value: Any, compiler: Any, connection: Any) -> str:
        # Django asks the field for its placeholder for every value an UPDATE
        # or INSERT writes, expressions included (Value(), F(), Case() from
        # bulk_update), whichever manager built the query. Only a token sealed
        # for the row may pass.
        if value is None or isinstance(value, Ciphertext):
            return "%s"
        raise TypeError(
            f"{self.label} is encrypted: it is written by Model.save() or bulk_create(), "
            "never by an expression in update() or bulk_update()"
        )

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)  # type: ignore[misc]
        return None

    def get_transform(self, lookup_name: str) -> Any:
        return None

    def value_to_string(self, obj: models.Model) -> str:
        raise TypeError(f"{self.label} is encrypted and is not serialised in plaintext")


# A field's type parameters say what it takes and gives on a model instance; Any
# keeps those of the Django field extended (str for text, date for a date).
class EncryptedTextField(EncryptedMixin, models.TextField[Any, Any]):
    pass


class EncryptedCharField(EncryptedMixin, models.CharField[Any, Any]):
    """Plaintext length is validated by max_length; the column is unbounded text."""


class EncryptedEmailField(EncryptedMixin, models.EmailField[Any, Any]):
    pass


class EncryptedJSONField(EncryptedMixin, models.TextField[Answers | Combinable | None, Answers | None]):
    """A small mapping of answers (a record's category-specific details), sealed as JSON."""

    def to_python(self, value: Any) -> Any:
        if value is None or isinstance(value, (dict, list)):
            return value
        if isinstance(value, str):
            try:
                return json.loads(value)
            except ValueError:
                raise ValidationError("Enter valid JSON.", code="invalid") from None
        raise ValidationError("Enter valid JSON.", code="invalid")

    def serialise(self, value: Any) -> str:
        return json.dumps(value, sort_keys=True, ensure_ascii=False)

    def deserialise(self, text: str) -> Any:
        return json.loads(text)


class EncryptedDateField(EncryptedMixin, models.DateField[Any, Any]):
    def serialise(self, value: datetime.date) -> str:
        return value.isoformat()

    def deserialise(self, text: str) -> datetime.date:
        return datetime.date.fromisoformat(text)


class EncryptedQuerySet(models.QuerySet[_M]):
    """Refuses ``update()`` (and so ``bulk_update()``) of encrypted and derived
    fields: an expression such as ``Value("…")`` would otherwise reach the
    column without being sealed, and a blind index would drift from its source."""

    def update(self, **kwargs: Any) -> int:
        protected = {
            name
            for f in self.model._meta.concrete_fields
            if isinstance(f, EncryptedMixin | BlindIndexField)
            for name in (f.name, f.attname)
        }
        refused = sorted(protected & set(kwargs))
        if refused:
            raise TypeError(
                f"{', '.join(refused)} of {self.model.__name__} can only be written by save() "
                "(they are encrypted or derived from encrypted values)"
            )
        return super().update(**kwargs)

    update.alters_data = True  # type: ignore[attr-defined]

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> Any:
        # An upsert on a key other than the primary key would keep the existing
        # row's id but write values sealed for the new, discarded one.
        if kwargs.get("update_conflicts"):
            protected = {
                name
                for f in self.model._meta.concrete_fields
                if isinstance(f, EncryptedMixin | BlindIndexField)
                for name in (f.name, f.attname)
            }
            refused = sorted(protected & set(kwargs.get("update_fields") or ()))
            if refused:
                raise TypeError(
                    f"bulk_create(update_conflicts=True) cannot update {', '.join(refused)} of "
                    f"{self.model.__name__}: encrypted values are bound to the row they were sealed for"
                )
        return super().bulk_create(objs, *args, **kwargs)

    bulk_create.alters_data = True  # type: ignore[attr-defined]


class EncryptedModel(models.Model):
    """A model with encrypted fields (each opened when first read: SealedAttribute)."""

    objects = EncryptedQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, **kwargs: Any) -> None:
        # A blind index is saved whenever its source is, even with update_fields
        # (given, or implied by Django when the instance was loaded with only()
        # or defer()).
        update_fields = kwargs.get("update_fields")
        deferred = self.get_deferred_fields()
        if update_fields is None and deferred and not self._state.adding:
            update_fields = {
                f.attname
                for f in self._meta.concrete_fields
                if not f.primary_key and f.attname not in deferred
            }
        if update_fields is not None:
            names = set(update_fields)
            kwargs["update_fields"] = names | {
                f.name
                for f in self._meta.concrete_fields
                if isinstance(f, BlindIndexField) and f.source in names
            }
        super().save(**kwargs)

    @classmethod
    def encrypted_fields(cls) -> list[EncryptedMixin]:
        return [f for f in cls._meta.concrete_fields if isinstance(f, EncryptedMixin)]


class BlindIndexField(models.CharField[Any, Any]):
    """HMAC of another field's plaintext, kept in step on every save."""

    audit_masked = True

    def __init__(self, *args: Any, source: str, **kwargs: Any) -> None:
        self.source = source
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("db_index", True)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        for key in ("max_length", "editable", "db_index", "blank", "default"):
            kwargs.pop(key, None)
        return name, path, args, kwargs

    def digest(self, value: Any) -> str:
        """The index of a value as its source field would store it (a date of
        birth given as a datetime or a string is indexed as the date)."""
        value = model_field(self.model, self.source).to_python(value)
        if value is None or value == "":
            return ""
        label = f"{self.model._meta.label_lower}.{self.source}"
        return core.blind_index(value, label=label)

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        value = self.digest(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, value)
        return value


def model_field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    """A field of the model's own table, by name (never the far side of a relation)."""
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise TypeError(f"{model._meta.label}.{name} is not a field of its table")
    return field


def blind_index_field(model: type[models.Model], name: str) -> BlindIndexField:
    """A model's blind index, by name: what to search it with is its `digest()`."""
    field = model._meta.get_field(name)
    if not isinstance(field, BlindIndexField):
        raise TypeError(f"{model._meta.label}.{name} is not a blind index")
    return field


def open_all(*instances: models.Model) -> None:
    """Open every encrypted value of these rows and of the rows loaded with them
    (select_related), as reading each would. For code that keeps rows in memory."""
    seen: set[int] = set()
    pending = list(instances)
    while pending:
        instance = pending.pop()
        if id(instance) in seen:
            continue
        seen.add(id(instance))
        for field in instance._meta.concrete_fields:
            if isinstance(field, EncryptedMixin):
                getattr(instance, field.attname)
        pending.extend(v for v in instance._state.fields_cache.values() if isinstance(v, models.Model))
