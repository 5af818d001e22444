from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from .adminmixins import MunicipalityOwnedAdmin
from .models import Department, Municipality, MunicipalityHost, MunicipalityRole, Organisation, Representation, User
from .selectors import municipality_role_in


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("__str__", "masked_national_id", "email", "is_staff", "has_totp", "is_active")
    list_filter = ("is_staff", "is_active", "departments")
    # Not by national identity number: a search travels in the URL, and URLs end up in access
    # logs, which our logging filter does not see.
    search_fields = ("first_name", "last_name", "email")
    ordering = ("last_name", "first_name")
    readonly_fields = ("masked_national_id", "last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("first_name", "last_name", "masked_national_id", "mobile", "preferred_language")}),
        (_("Access"), {"fields": ("is_active", "is_staff", "is_superuser", "is_national_operator", "departments",
                                  "groups")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "first_name", "last_name", "password1", "password2")}),)
    filter_horizontal = ("departments", "groups")

    @admin.display(description=_("national identity number"))
    def masked_national_id(self, obj):
        return obj.masked_national_id

    def get_queryset(self, request):
        # Whether staff have set up their one-time code, in the same query (IT sees who has not;
        # resetting a lost phone = deleting the user's authenticator under "MFA").
        totp = Authenticator.objects.filter(user=OuterRef("pk"), type=Authenticator.Type.TOTP)
        return super().get_queryset(request).annotate(_has_totp=Exists(totp))

    @admin.display(description=_("one-time code"), boolean=True, ordering="_has_totp")
    def has_totp(self, obj):
        return obj._has_totp if obj.is_staff else None


class RepresentationInline(admin.TabularInline):
    model = Representation
    extra = 0
    autocomplete_fields = ("person",)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "organisation_number")
    search_fields = ("name", "organisation_number")
    inlines = [RepresentationInline]


class MunicipalityHostInline(admin.TabularInline):
    model = MunicipalityHost
    extra = 0


class MunicipalityRoleInline(admin.TabularInline):
    model = MunicipalityRole
    extra = 0
    autocomplete_fields = ("user",)

    def get_queryset(self, request):
        # The operator's page of one municipality (the formset narrows it to that one).
        return MunicipalityRole.objects.with_scopes_disabled().all()


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    """The municipalities on the installation: the national operator (or IT) adds one with its
    host names, letterhead and sender identities; each municipality's choices are then edited
    here and in its own admin pages (departments, services, kindergartens, fees)."""

    list_display = ("name", "number", "primary_host", "email", "phone", "publish_statistics")
    search_fields = ("name", "number")
    inlines = [MunicipalityHostInline, MunicipalityRoleInline]
    fieldsets = (
        (None, {"fields": ("number", "name", "name_nn", "name_en", "name_se", "coat_of_arms")}),
        (_("Contact"), {"fields": ("email", "phone", "visiting_address", "website")}),
        (_("Sender identities"), {"fields": ("organisation_number", "archive_sender_id", "digital_post_sender_id",
                                             "idporten_onbehalfof")}),
        (_("Statistics"), {"fields": ("cost_per_paper_letter", "publish_statistics")}),
    )

    @staticmethod
    def _operates(request) -> bool:
        return request.user.is_active and (request.user.is_superuser or request.user.is_national_operator)

    @staticmethod
    def _administers(request) -> bool:
        # The municipal administrator of the municipality whose host this is (MunicipalityRole is
        # scoped to it), for that municipality only.
        return (request.user.is_active and request.user.is_staff and getattr(request, "municipality", None) is not None
                and municipality_role_in(user=request.user, role=MunicipalityRole.Role.ADMINISTRATOR))

    def has_module_permission(self, request):
        return self._operates(request) or self._administers(request)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    has_change_permission = has_view_permission

    def has_add_permission(self, request):
        return self._operates(request)  # a new municipality is the operator's

    def has_delete_permission(self, request, obj=None):
        return False  # cases and letters point at it: a municipality leaves by an export, not a delete

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset if self._operates(request) else queryset.filter(pk=request.municipality.pk)

    def get_readonly_fields(self, request, obj=None):
        # Its number and its ID-porten registration are the operator's; the rest is the municipality's.
        return () if self._operates(request) else ("number", "idporten_onbehalfof")

    def get_inlines(self, request, obj):
        return self.inlines if self._operates(request) else []


@admin.register(Department)
class DepartmentAdmin(MunicipalityOwnedAdmin, admin.ModelAdmin):
    list_display = ("name", "code", "email")
    prepopulated_fields = {"code": ("name",)}
