from django.contrib import admin

from accounts.adminmixins import MunicipalityOwnedAdmin

from .models import Application, ApplicationTypeConfig, Attachment
from .types import all_types


@admin.register(ApplicationTypeConfig)
class ApplicationTypeConfigAdmin(MunicipalityOwnedAdmin, admin.ModelAdmin):
    list_display = ["__str__", "type_key", "enabled", "processing_time", "position"]
    list_editable = ["enabled", "position"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "type_key":
            from django import forms

            return forms.ChoiceField(label=db_field.verbose_name,
                                     choices=[(t.key, t.title) for t in all_types()])
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class AttachmentInline(admin.TabularInline):
    model = Attachment
    fields = ["kind", "original_name", "content_type", "size", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    """For municipal IT: find a stuck draft or a submission. Personal data is not listed."""

    list_display = ["pk", "type_key", "status", "case", "updated_at"]
    list_filter = ["type_key", "status"]
    readonly_fields = ["type_key", "applicant", "organisation", "status", "case", "submitted_at", "language",
                       "created_at", "updated_at"]
    exclude = ["data", "submitted_summary", "municipality"]
    inlines = [AttachmentInline]

    def has_add_permission(self, request):
        return False
