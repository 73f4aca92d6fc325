"""The dates that matter to a contact (P31), and when each is next greeted (ADR 0036)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from rapport.core.models import TenantModel


class ImportantDate(TenantModel):
    """A date that matters to a contact (P31): birthday, name day, company anniversary."""

    class Kind(models.TextChoices):
        BIRTHDAY = "birthday", _("Birthday")
        NAME_DAY = "name_day", _("Name day")
        ANNIVERSARY = "company_anniversary", _("Company anniversary")
        OTHER = "other", _("Other")

    class Source(models.TextChoices):
        MANUAL = "manual", _("Entered")
        CALENDAR = "calendar", _("Name-day calendar")

    contact = models.ForeignKey(
        "clients.Contact",
        on_delete=models.CASCADE,
        related_name="important_dates",
        verbose_name=_("contact"),
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    month = models.PositiveSmallIntegerField(_("month"))
    day = models.PositiveSmallIntegerField(_("day"))
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    label = models.CharField(_("label"), max_length=120, blank=True)
    # A name day the calendar found for the contact's first name (care.namedays) is kept as a
    # row of its own, so the daily scan reads it like any other date (P31, ADR 0036). It is
    # rewritten whenever the contact changes; a name day the provider enters wins over it.
    source = models.CharField(
        _("source"), max_length=16, choices=Source.choices, default=Source.MANUAL
    )
    # The calendar's feast (e.g. "el:george"); a feast tied to Easter moves every year.
    feast = models.CharField(max_length=40, blank=True)
    # The next morning (08:00 in the contact's time zone, stored in UTC) when the greeting is
    # due. Only rows with a moment are in the partial index the scan reads.
    next_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["month", "day"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(month__gte=1, month__lte=12, day__gte=1, day__lte=31),
                name="important_date_valid_month_day",
            )
        ]
        indexes = [
            models.Index(fields=["workspace", "month", "day"], name="important_date_md"),
            models.Index(
                fields=["next_at"],
                condition=models.Q(next_at__isnull=False),
                name="important_date_next",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.day:02d}/{self.month:02d}"
