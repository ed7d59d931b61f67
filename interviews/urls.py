from django.urls import path

from interviews import views

urlpatterns = [
    path("", views.home, name="home"),
    path("requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("dev/mailbox/", views.dev_mailbox, name="dev_mailbox"),
    path("dev/mailbox/<str:mail_id>/", views.dev_mailbox_message, name="dev_mailbox_message"),
    path("dev/mailbox/<str:mail_id>/html/", views.dev_mailbox_html, name="dev_mailbox_html"),
]
