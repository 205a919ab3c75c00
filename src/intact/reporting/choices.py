"""The reporting app's public choices, for other apps (they never import ``reporting.models``).

Re-exported unchanged from :mod:`intact.reporting.models`: codes and labels only.
"""

from intact.reporting.models import Channel, ReportStatus, ReportType

__all__ = ["Channel", "ReportStatus", "ReportType"]
