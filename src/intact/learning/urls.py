"""Staff pages of the learning app, under /app/<org>/learning/."""

from django.urls import path

from intact.learning import views

app_name = "learning"
urlpatterns = [
    path("learning/conversations/", views.conversation_list, name="conversation_list"),
    path("learning/conversations/new/", views.conversation_create, name="conversation_create"),
    path("learning/conversations/counts/", views.conversation_counts, name="conversation_counts"),
    path("learning/conversations/<int:pk>/", views.conversation_detail, name="conversation_detail"),
    path(
        "learning/conversations/<int:pk>/edit/", views.conversation_edit, name="conversation_edit"
    ),
    path(
        "learning/conversations/<int:pk>/delete/",
        views.conversation_delete,
        name="conversation_delete",
    ),
    path("learning/topics/", views.topic_list, name="topic_list"),
    path("learning/topics/<int:pk>/toggle/", views.topic_toggle, name="topic_toggle"),
    path("learning/activities/", views.activity_list, name="activity_list"),
    path("learning/activities/new/", views.activity_create, name="activity_create"),
    path("learning/activities/totals/", views.activity_totals, name="activity_totals"),
    path("learning/activities/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("learning/activities/<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("learning/activities/<int:pk>/delete/", views.activity_delete, name="activity_delete"),
    path("learning/facilitators/", views.facilitator_list, name="facilitator_list"),
    path(
        "learning/facilitators/<int:pk>/toggle/",
        views.facilitator_toggle,
        name="facilitator_toggle",
    ),
    path("learning/case-law/", views.case_list, name="case_list"),
    path("learning/case-law/new/", views.case_create, name="case_create"),
    path("learning/case-law/tags/", views.tag_list, name="tag_list"),
    path("learning/case-law/<int:pk>/", views.case_detail, name="case_detail"),
    path("learning/case-law/<int:pk>/edit/", views.case_edit, name="case_edit"),
    path("learning/case-law/<int:pk>/publish/", views.case_publish, name="case_publish"),
    path("learning/case-law/<int:pk>/delete/", views.case_delete, name="case_delete"),
    path("learning/manifesto/", views.manifesto, name="manifesto"),
    path("learning/import/", views.import_page, name="import"),
]
