from django.urls import path

from intact.reporting import views_public as views

app_name = "reporting_public"
urlpatterns = [
    path("melden/", views.report_page, name="report"),
    path("melden/ontvangstbewijs/", views.receipt_confirm, name="receipt_confirm"),
    path("postbus/", views.mailbox, name="mailbox"),
    path("postbus/bericht/", views.mailbox_reply, name="mailbox_reply"),
    path("postbus/e-mail/", views.mailbox_email, name="mailbox_email"),
    path("postbus/gesprek/", views.mailbox_meeting, name="mailbox_meeting"),
    path("postbus/verslag-bevestigen/", views.mailbox_minutes_confirm, name="mailbox_minutes_confirm"),
    path("postbus/uitloggen/", views.mailbox_logout, name="mailbox_logout"),
    path("postbus/bijlage/<int:pk>/", views.mailbox_attachment, name="mailbox_attachment"),
]
