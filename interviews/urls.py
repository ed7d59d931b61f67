from django.urls import path

from interviews.views import dev, requests

urlpatterns = [
    path("", requests.home, name="home"),
    path("requests/<int:pk>/", requests.request_detail, name="request_detail"),
    path("dev/mailbox/", dev.dev_mailbox, name="dev_mailbox"),
    path("dev/mailbox/<str:mail_id>/", dev.dev_mailbox_message, name="dev_mailbox_message"),
    path("dev/mailbox/<str:mail_id>/html/", dev.dev_mailbox_html, name="dev_mailbox_html"),
]
