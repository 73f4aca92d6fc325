"""The one error type for business-rule violations raised by services."""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


class ApplicationError(Exception):
    """A request that breaks a business rule.

    ``field`` names the input at fault (or ``None`` for the whole request) so that views can
    attach the message to the right form field and the API can name it in its JSON error.
    ``errors`` may carry several fields at once (from model validation).
    """

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        code: str = "invalid",
        errors: dict[str, list[str]] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code
        self.errors = errors or {field or NON_FIELD_ERRORS: [str(message)]}

    def as_dict(self) -> dict[str, list[str]]:
        return {
            ("non_field_errors" if key == NON_FIELD_ERRORS else key): value
            for key, value in self.errors.items()
        }

    @classmethod
    def from_validation_error(cls, exc: ValidationError) -> ApplicationError:
        errors = {key: [str(m) for m in msgs] for key, msgs in exc.message_dict.items()}
        field, messages = next(iter(errors.items()))
        return cls(messages[0], field=None if field == NON_FIELD_ERRORS else field, errors=errors)
