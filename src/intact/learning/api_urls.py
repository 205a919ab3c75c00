"""API of the learning app, under /api/v1/organisations/<org>/."""

from django.urls import path

from intact.learning import api

app_name = "learning_api"
_P = "organisations/<slug:org>/"
urlpatterns = [
    path(_P + "conversation-topics/", api.TopicList.as_view(), name="topic_list"),
    path(
        _P + "counsellor-conversations/", api.ConversationList.as_view(), name="conversation_list"
    ),
    path(
        _P + "counsellor-conversations/<int:pk>/",
        api.ConversationDetail.as_view(),
        name="conversation_detail",
    ),
    path(
        _P + "counsellor-conversation-counts/",
        api.ConversationCounts.as_view(),
        name="conversation_counts",
    ),
    path(_P + "facilitators/", api.FacilitatorList.as_view(), name="facilitator_list"),
    path(_P + "activities/", api.ActivityList.as_view(), name="activity_list"),
    path(_P + "activities/<int:pk>/", api.ActivityDetail.as_view(), name="activity_detail"),
    path(_P + "activity-totals/", api.ActivityTotals.as_view(), name="activity_totals"),
    path(_P + "case-law-tags/", api.TagList.as_view(), name="tag_list"),
    path(_P + "moral-cases/", api.MoralCaseList.as_view(), name="case_list"),
    path(_P + "moral-cases/<int:pk>/", api.MoralCaseDetail.as_view(), name="case_detail"),
]
