from django.contrib import admin

from haat.jobs.models import Category, Skill


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
