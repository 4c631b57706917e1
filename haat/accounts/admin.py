from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from haat.accounts.models import ApiToken, PortfolioItem, Profile, ProfileLanguage, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active", "date_joined"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Personal info", {"fields": ("first_name", "last_name")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Important dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


class ProfileLanguageInline(admin.TabularInline):
    model = ProfileLanguage
    extra = 0


class PortfolioItemInline(admin.StackedInline):
    model = PortfolioItem
    extra = 0


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "display_name", "headline", "country", "time_zone"]
    search_fields = ["user__email", "display_name", "company_name", "headline"]
    list_filter = ["country"]
    filter_horizontal = ["skills"]
    inlines = [ProfileLanguageInline, PortfolioItemInline]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
    search_fields = ["user__email", "name", "prefix"]
    readonly_fields = ["token_hash", "prefix", "created_at", "last_used_at"]
