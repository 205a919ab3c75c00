"""API routes of reporting.

``/organisations/{organisation_slug}/reports/`` is one collection with two
audiences: ``POST`` is the public submission (no login, no CSRF), ``GET`` is
the staff inbox (session or token, the access policy). One view serves both
so that the path resolves to a single pattern; each method keeps its own
authentication and permissions.
"""

from django.urls import path
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny

from intact.reporting import api_public

try:  # the staff side's API (inbox); absent in a checkout without it
    from intact.reporting import api_staff
except ImportError:  # pragma: no cover
    api_staff = None

app_name = "reporting_api"

_COLLECTION = "organisations/<slug:organisation_slug>/reports/"

if api_staff is not None:

    class ReportCollectionView(api_public.MemoryUploadsMixin, api_staff.ReportListView):
        """GET: the staff inbox. POST: a reporter submits a report (public)."""

        parser_classes = [JSONParser, MultiPartParser]
        post = api_public.ReportSubmitView.post

        def get_authenticators(self):
            if getattr(self, "request", None) is not None and self.request.method == "POST":
                return []
            return super().get_authenticators()

        def get_permissions(self):
            if self.request.method == "POST":
                return [AllowAny()]
            return super().get_permissions()

    _collection_view = ReportCollectionView.as_view()
    _staff_patterns = [p for p in api_staff.urlpatterns if p.name != "report-list"]
else:  # pragma: no cover
    _collection_view = api_public.ReportSubmitView.as_view()
    _staff_patterns = []

urlpatterns: list = [
    path(_COLLECTION, _collection_view, name="report-list"),
    # Public: the reporter's mailbox (receipt -> short-lived token).
    path("mailbox/session", api_public.MailboxSessionView.as_view(), name="mailbox_session"),
    path("mailbox/report", api_public.MailboxReportView.as_view(), name="mailbox_report"),
    path("mailbox/messages", api_public.MailboxMessagesView.as_view(), name="mailbox_messages"),
    # Staff: one report, acknowledge, messages, notes, close (api_staff.py).
    *_staff_patterns,
]
