"""Staff pages of the organisations app, under /app/<org>/ (see docs/decisions/0004)."""

from django.urls import path

from intact.organisations import views

app_name = "organisations"
urlpatterns = [
    path("units/", views.unit_tree, name="unit_tree"),
    path("units/new/", views.unit_create, name="unit_create"),
    path("people/", views.person_list, name="person_list"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("roles/", views.membership_list, name="membership_list"),
    path("roles/<int:pk>/revoke/", views.membership_revoke, name="membership_revoke"),
    path("organs/", views.organ_list, name="organ_list"),
    path("organs/new/", views.organ_create, name="organ_create"),
    path("organs/<int:pk>/edit/", views.organ_edit, name="organ_edit"),
    path("organs/<int:pk>/delete/", views.organ_delete, name="organ_delete"),
]
