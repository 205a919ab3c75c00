"""The learning app's public choices, for other apps (they never import ``learning.models``).

Re-exported unchanged from :mod:`intact.learning.models`: codes and labels only.
"""

from intact.learning.models import ActivityType, ContactForm, FollowUp

__all__ = ["ActivityType", "ContactForm", "FollowUp"]
