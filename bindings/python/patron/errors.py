"""The exceptions patron raises.

Every failure of the library is a :class:`patron.Error` carrying

* ``code``: the stable lower-case name of the error code, the same names the
  C++ ``patron::Errc`` and the C ABI's ``PATRON_E*`` codes use
  (``"invalid_argument"``, ``"not_found"``, ...);
* ``field``: the input at fault (``"email"``, ``"[3].phone"``,
  ``"addresses[0].country"``), or ``""`` when no single input is.

The subclasses follow the codes and also derive from the built-in exception a
Python caller would expect: bad input is a :class:`ValueError`, a missing
record a :class:`LookupError`. Absence is not an error: ``find``-style
lookups return ``None`` or an empty list.
"""

from __future__ import annotations

__all__ = [
    "Error",
    "ValidationError",
    "NotFoundError",
    "AlreadyExistsError",
    "ConflictError",
    "PreconditionError",
    "StorageError",
    "InternalError",
]


class Error(Exception):
    """Base class of every patron error."""

    #: The code an instance gets when none is given.
    default_code: str = "internal"

    code: str
    field: str

    def __init__(self, message: str = "", *, code: str | None = None, field: str = "") -> None:
        super().__init__(message)
        self.code = code if code is not None else type(self).default_code
        self.field = field

    @property
    def message(self) -> str:
        """The human-readable message (also ``str(error)``)."""
        return str(self.args[0]) if self.args else ""

    def __repr__(self) -> str:
        extra = f", field={self.field!r}" if self.field else ""
        return f"{type(self).__name__}({self.message!r}, code={self.code!r}{extra})"


class ValidationError(Error, ValueError):
    """The input breaks a rule (``invalid_argument``); ``field`` names it."""

    default_code = "invalid_argument"


class NotFoundError(Error, LookupError):
    """The referenced record does not exist (``not_found``)."""

    default_code = "not_found"


class AlreadyExistsError(Error):
    """A unique value (an email, a customer number) is held by another record
    (``already_exists``); the message names the holder."""

    default_code = "already_exists"


class ConflictError(Error):
    """The request contradicts an earlier one (``conflict``), e.g. an
    idempotency key reused for a different request."""

    default_code = "conflict"


class PreconditionError(Error):
    """The current state does not allow the operation
    (``failed_precondition``), e.g. the database is closed or was written by a
    newer patron."""

    default_code = "failed_precondition"


class StorageError(Error):
    """The database failed (``storage``): I/O, corruption, busy beyond the
    timeout."""

    default_code = "storage"


class InternalError(Error):
    """A bug in patron (``internal``)."""

    default_code = "internal"


_BY_CODE: dict[str, type[Error]] = {
    "invalid_argument": ValidationError,
    "not_found": NotFoundError,
    "already_exists": AlreadyExistsError,
    "conflict": ConflictError,
    "failed_precondition": PreconditionError,
    "storage": StorageError,
    "internal": InternalError,
}


def _from_code(code: str, message: str, field: str = "") -> Error:
    """The exception for an error code (used by the C++ module)."""
    cls = _BY_CODE.get(code, Error)
    return cls(message, code=code, field=field)
