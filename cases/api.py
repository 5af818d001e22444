"""The cases API (/api/v1/): the citizen's own cases, and the caseworkers' queue, case and
transitions, with the same scoping as the pages (cases.selectors). Thin views: parse with an
input serializer, call a service, answer with an output serializer."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.staff import is_caseworker

from . import selectors, services
from .models import Case, CaseAccessLog, Decision
from .transitions import CASEWORKER, TransitionNotAllowed, allowed_targets


class IsCaseworker(BasePermission):
    message = gettext_lazy("Only caseworkers may use this endpoint.")

    def has_permission(self, request, view):
        return is_caseworker(request.user)


# --- Output ---------------------------------------------------------------------------------

class PublicEventSerializer(serializers.Serializer):
    kind = serializers.CharField()
    to_status = serializers.CharField()
    text = serializers.CharField()
    created_at = serializers.DateTimeField()


class StaffEventSerializer(PublicEventSerializer):
    from_status = serializers.CharField()
    public = serializers.BooleanField()
    internal_text = serializers.CharField()
    actor = serializers.SerializerMethodField()

    def get_actor(self, event) -> str | None:
        return event.actor.get_full_name() or event.actor.email if event.actor else None


class CitizenCaseSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    case_number = serializers.CharField()
    title = serializers.CharField()
    application_type = serializers.CharField()
    status = serializers.CharField()
    status_text = serializers.SerializerMethodField(help_text="The status in plain language, in the request's language.")
    received_at = serializers.DateTimeField()

    def get_status_text(self, case) -> str:
        return case.citizen_status


class CitizenCaseDetailSerializer(CitizenCaseSerializer):
    expected_decision_date = serializers.SerializerMethodField()
    appeal_deadline = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField()

    def get_expected_decision_date(self, case) -> str | None:
        date = selectors.case_citizen_view(case=case).expected_decision_date
        return date.isoformat() if date else None

    def get_appeal_deadline(self, case) -> str | None:
        date = selectors.case_citizen_view(case=case).appeal_deadline
        return date.isoformat() if date else None

    def get_timeline(self, case) -> list[dict]:
        return PublicEventSerializer(selectors.case_public_timeline(case=case), many=True).data


class QueueCaseSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    case_number = serializers.CharField()
    title = serializers.CharField()
    application_type = serializers.CharField()
    status = serializers.CharField()
    department = serializers.CharField(source="department.code")
    applicant_name = serializers.CharField(source="applicant.get_full_name")
    assigned_to = serializers.SerializerMethodField()
    received_at = serializers.DateTimeField()
    deadline = serializers.DateField()
    days_left = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()
    version = serializers.IntegerField()

    def get_assigned_to(self, case) -> str | None:
        return case.assigned_to.get_full_name() if case.assigned_to else None

    def get_days_left(self, case) -> int | None:
        return selectors.days_left(case)

    def get_overdue(self, case) -> bool:
        left = selectors.days_left(case)
        return (case.status in selectors.OPEN_STATUSES and case.deadline_paused_at is None
                and left is not None and left < 0)


class StaffCaseDetailSerializer(QueueCaseSerializer):
    allowed_transitions = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField()

    def get_allowed_transitions(self, case) -> list[str]:
        return allowed_targets(case.status, CASEWORKER)

    def get_timeline(self, case) -> list[dict]:
        return StaffEventSerializer(selectors.case_full_timeline(case=case), many=True).data


# --- Input ----------------------------------------------------------------------------------

class TransitionInputSerializer(serializers.Serializer):
    to_status = serializers.ChoiceField(
        choices=[c for c in Case.Status.choices if c[0] not in (Case.Status.DECIDED, Case.Status.AWAITING_INFORMATION)],
        help_text="A decision and a request for information have their own endpoints (decision/, information-requests/).")
    expected_version = serializers.IntegerField(min_value=1, help_text="The version you saw; 409 if the case changed.")
    public_text = serializers.CharField(required=False, allow_blank=True, default="")
    internal_text = serializers.CharField(required=False, allow_blank=True, default="")


class DecisionInputSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Decision.Outcome.choices)
    reasoning = serializers.CharField()
    legal_basis = serializers.CharField()
    expected_version = serializers.IntegerField(min_value=1, help_text="The version you saw; 409 if the case changed.")


class InformationRequestInputSerializer(serializers.Serializer):
    text = serializers.CharField(help_text="What the applicant must send; the letter and their task say it.")
    documents_requested = serializers.CharField(required=False, allow_blank=True, default="")
    due_date = serializers.DateField()
    expected_version = serializers.IntegerField(min_value=1, help_text="The version you saw; 409 if the case changed.")


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="In the request's language")
    code = serializers.CharField(required=False)
    from_status = serializers.CharField(required=False)
    to_status = serializers.CharField(required=False)


class ConflictSerializer(ErrorSerializer):
    case = QueueCaseSerializer()


# --- Views ----------------------------------------------------------------------------------

class CitizenCaseList(generics.ListAPIView):
    """The logged-in citizen's cases (or, acting for an organisation, the organisation's)."""

    serializer_class = CitizenCaseSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        return selectors.case_list_for_party(party=self.request.party)


class CitizenCaseDetail(APIView):
    """One of the citizen's cases with its public timeline. Someone else's case is a 404."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: CitizenCaseDetailSerializer, 404: ErrorSerializer})
    def get(self, request, pk):
        case = selectors.case_get_for_user(user=request.user, pk=pk, party=request.party)
        return Response(CitizenCaseDetailSerializer(case).data)


class CaseworkerQueue(generics.ListAPIView):
    """The caseworker's queue: cases of their departments, oldest deadline first."""

    serializer_class = QueueCaseSerializer
    permission_classes = [IsCaseworker]

    @extend_schema(parameters=[
        OpenApiParameter("status", str, enum=Case.Status.values),
        OpenApiParameter("type", str, description="Application type key"),
        OpenApiParameter("assigned", str, enum=["me", "none"]),
        OpenApiParameter("overdue", bool),
    ])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = self.request.query_params
        queryset = selectors.case_list_for_caseworker(user=self.request.user)
        if params.get("status"):
            queryset = queryset.filter(status=params["status"])
        if params.get("type"):
            queryset = queryset.filter(application_type=params["type"])
        if params.get("assigned") == "me":
            queryset = queryset.filter(assigned_to=self.request.user)
        elif params.get("assigned") == "none":
            queryset = queryset.filter(assigned_to__isnull=True)
        if params.get("overdue") in ("true", "1"):
            queryset = queryset.filter(selectors.overdue_q(timezone.localdate()))
        return queryset.order_by("deadline", "received_at", "pk")


class CaseworkerCaseDetail(APIView):
    """A case of the caseworker's departments with its full timeline. Recorded in the access log."""

    permission_classes = [IsCaseworker]

    @extend_schema(responses={200: StaffCaseDetailSerializer, 404: ErrorSerializer})
    def get(self, request, pk):
        case = selectors.case_get_for_user(user=request.user, pk=pk, as_staff=True)
        services.case_access_record(case=case, user=request.user, channel=CaseAccessLog.Channel.API)
        return Response(StaffCaseDetailSerializer(case).data)


class _CaseworkerCaseOperation(APIView):
    """One operation on a case of the caseworker's departments: parse the input, call the one
    service, answer with the case as it is now; the service's refusals as 400/403/409."""

    permission_classes = [IsCaseworker]
    input_serializer: type[serializers.Serializer]

    def operate(self, *, case, by, data) -> None:
        raise NotImplementedError

    def post(self, request, pk):
        case = selectors.case_get_for_user(user=request.user, pk=pk, as_staff=True)
        data_in = self.input_serializer(data=request.data)
        data_in.is_valid(raise_exception=True)
        try:
            self.operate(case=case, by=request.user, data=data_in.validated_data)
        except services.CaseChanged as changed:
            return Response({"detail": _("Someone else changed the case first. Nothing was saved."),
                             "code": "case_changed", "case": QueueCaseSerializer(changed.case).data},
                            status=status.HTTP_409_CONFLICT)
        except TransitionNotAllowed as refused:
            return Response({"detail": refused.user_message, "code": "transition_not_allowed",
                             "from_status": refused.from_status, "to_status": refused.to_status},
                            status=status.HTTP_400_BAD_REQUEST)
        except DjangoValidationError as error:
            return Response({"detail": " ".join(error.messages), "code": "invalid"}, status=status.HTTP_400_BAD_REQUEST)
        except DjangoPermissionDenied:
            return Response({"detail": _("You may not change this case."), "code": "permission_denied"},
                            status=status.HTTP_403_FORBIDDEN)
        case = selectors.case_get_for_user(user=request.user, pk=pk, as_staff=True)
        return Response(StaffCaseDetailSerializer(case).data)


_RESPONSES = {200: StaffCaseDetailSerializer, 400: ErrorSerializer, 404: ErrorSerializer, 409: ConflictSerializer}


class CaseworkerTransition(_CaseworkerCaseOperation):
    """Change a case's status (under review, closed, reopened on appeal …). A decision and a
    request for information are their own operations."""

    input_serializer = TransitionInputSerializer

    @extend_schema(request=TransitionInputSerializer, responses=_RESPONSES)
    def post(self, request, pk):
        return super().post(request, pk)

    def operate(self, *, case, by, data):
        services.case_transition(case=case, to_status=data["to_status"], by=by, expected_version=data["expected_version"],
                                 public_text=data["public_text"], internal_text=data["internal_text"])


class CaseworkerDecision(_CaseworkerCaseOperation):
    """Decide the case: outcome, reasons and legal basis; the decision letter goes to the applicant."""

    input_serializer = DecisionInputSerializer

    @extend_schema(request=DecisionInputSerializer, responses=_RESPONSES)
    def post(self, request, pk):
        return super().post(request, pk)

    def operate(self, *, case, by, data):
        services.case_decide(case=case, by=by, outcome=data["outcome"], reasoning=data["reasoning"],
                             legal_basis=data["legal_basis"], expected_version=data["expected_version"])


class CaseworkerInformationRequest(_CaseworkerCaseOperation):
    """Ask the applicant for information by a date: a letter and a task on their case page; the
    deadline pauses until they answer."""

    input_serializer = InformationRequestInputSerializer

    @extend_schema(request=InformationRequestInputSerializer, responses=_RESPONSES)
    def post(self, request, pk):
        return super().post(request, pk)

    def operate(self, *, case, by, data):
        services.case_request_information(case=case, by=by, text=data["text"],
                                          documents_requested=data["documents_requested"],
                                          due_date=data["due_date"], expected_version=data["expected_version"])


urlpatterns = [
    path("cases/", CitizenCaseList.as_view(), name="api-cases-list"),
    path("cases/<uuid:pk>/", CitizenCaseDetail.as_view(), name="api-cases-detail"),
    path("caseworker/cases/", CaseworkerQueue.as_view(), name="api-caseworker-queue"),
    path("caseworker/cases/<uuid:pk>/", CaseworkerCaseDetail.as_view(), name="api-caseworker-case"),
    path("caseworker/cases/<uuid:pk>/transitions/", CaseworkerTransition.as_view(), name="api-caseworker-transition"),
    path("caseworker/cases/<uuid:pk>/decision/", CaseworkerDecision.as_view(), name="api-caseworker-decision"),
    path("caseworker/cases/<uuid:pk>/information-requests/", CaseworkerInformationRequest.as_view(),
         name="api-caseworker-information-request"),
]
