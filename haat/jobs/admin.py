from django.contrib import admin
from django.http import HttpRequest

from haat.jobs.models import Category, Job, JobAttachment, JobInvitation, NdaAcceptance, Skill


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "name_bn", "parent", "position", "slug"]
    list_filter = ["parent"]
    search_fields = ["name", "name_bn", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ["name", "name_bn", "category", "slug"]
    list_filter = ["category"]
    search_fields = ["name", "name_bn", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class JobAttachmentInline(admin.TabularInline):
    model = JobAttachment
    extra = 0
    fields = ["original_name", "size", "uploaded_at"]
    readonly_fields = ["original_name", "size", "uploaded_at"]
    can_delete = False


class JobInvitationInline(admin.TabularInline):
    model = JobInvitation
    extra = 0
    fields = ["freelancer", "message", "invited_at"]
    readonly_fields = ["freelancer", "message", "invited_at"]
    can_delete = False


class NdaAcceptanceInline(admin.TabularInline):
    model = NdaAcceptance
    extra = 0
    fields = ["user", "accepted_at", "ip_address"]
    readonly_fields = ["user", "accepted_at", "ip_address"]
    can_delete = False


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    """Staff read jobs here; buyers change them through the site, so state rules and search stay in step."""

    list_display = ["title", "buyer", "status", "visibility", "is_confidential", "currency", "published_at"]
    list_filter = ["status", "visibility", "is_confidential", "currency"]
    search_fields = ["title", "buyer__email"]
    date_hierarchy = "created_at"
    raw_id_fields = ["buyer"]
    inlines = [JobAttachmentInline, JobInvitationInline, NdaAcceptanceInline]
    readonly_fields = [
        "buyer",
        "title",
        "description",
        "category",
        "skills",
        "budget_min",
        "budget_max",
        "currency",
        "deadline",
        "bidding_closes_at",
        "visibility",
        "is_confidential",
        "status",
        "created_at",
        "updated_at",
        "published_at",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
