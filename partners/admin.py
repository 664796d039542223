from django.contrib import admin

from partners.models import Structure, StructureMembership


class MembershipInline(admin.TabularInline):
    model = StructureMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Structure)
class StructureAdmin(admin.ModelAdmin):
    search_fields = ("name",)
    inlines = [MembershipInline]
