"""The work catalogue: categories (two levels) and skills.

Names are stored in English and Bengali because operators edit the catalogue in the admin at run time, where
gettext cannot reach.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class LocalizedNameMixin(models.Model):
    name = models.CharField(_("name"), max_length=100)
    name_bn = models.CharField(_("name in Bengali"), max_length=100, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def localized_name(self) -> str:
        """The Bengali name when the page is in Bengali and one is set, else the English one."""
        if (get_language() or "en").startswith("bn") and self.name_bn:
            return self.name_bn
        return self.name


class Category(LocalizedNameMixin):
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")


class Skill(LocalizedNameMixin):
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="skills",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
