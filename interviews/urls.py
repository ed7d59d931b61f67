from django.urls import path

from interviews.views import accounts, dev, filing, findings, pages, request_actions, requests
from interviews.views import calendar as calendar_views
from interviews.views import dashboard as dashboard_views
from interviews.views import imports as import_views
from interviews.views import manager as manager_views
from interviews.views import owner as owner_views
from interviews.views import preferences as preference_views
from interviews.views import slack as slack_views

urlpatterns = [
    # Marketers: the list, filing, a request's page and what they do on it.
    path("", requests.home, name="home"),
    path("requests/new/", filing.request_new, name="request_new"),
    path("requests/<int:pk>/", requests.request_detail, name="request_detail"),
    path("requests/<int:pk>/edit/", request_actions.edit, name="request_edit"),
    path("requests/<int:pk>/comments/", request_actions.comment, name="request_comment"),
    path("requests/<int:pk>/schedule/", request_actions.schedule, name="request_schedule"),
    path(
        "requests/<int:pk>/customer-declined/",
        request_actions.customer_declined,
        name="request_customer_declined",
    ),
    path("requests/<int:pk>/complete/", request_actions.complete, name="request_complete"),
    path("requests/<int:pk>/interview.ics", calendar_views.interview_ics, name="interview_ics"),
    path("requests/<int:pk>/cancel/", request_actions.cancel, name="request_cancel"),
    # What interviews taught: the library, its export, adding and correcting findings, and
    # what the owner already has about the customer.
    path("findings/", findings.library_page, name="findings"),
    path("findings/export.csv", findings.library_export, name="findings_export"),
    path("findings/<int:pk>/edit/", findings.finding_edit, name="finding_edit"),
    path("requests/<int:pk>/findings/", findings.findings_add, name="findings_add"),
    path("requests/<int:pk>/context/", findings.sales_context_add, name="sales_context_add"),
    # Customer accounts and the people at them.
    path("accounts/", accounts.account_list, name="account_list"),
    path("accounts/search/", accounts.account_search, name="account_search"),
    path("accounts/<int:pk>/", accounts.account_detail, name="account_detail"),
    path("candidates/<int:pk>/", accounts.candidate_detail, name="candidate_detail"),
    # Public: the agreement in plain words, linked from every email.
    path("how-it-works/", pages.how_it_works, name="how_it_works"),
    path("dev/mailbox/", dev.dev_mailbox, name="dev_mailbox"),
    path("dev/mailbox/<str:mail_id>/", dev.dev_mailbox_message, name="dev_mailbox_message"),
    path("dev/mailbox/<str:mail_id>/html/", dev.dev_mailbox_html, name="dev_mailbox_html"),
    # Owners: answers from email links (no login), signed in, their queue, account pauses.
    # Before the answers: "notes" is not an answer (they would 404 it).
    path("r/<str:token>/notes/", owner_views.share_context_link, name="share_context_link"),
    path("r/<str:token>/<slug:action>/", owner_views.action_link, name="action_link"),
    path("requests/<int:pk>/answer/<slug:action>/", owner_views.answer, name="answer"),
    path("waiting/", owner_views.queue, name="owner_queue"),
    path("accounts/<int:pk>/pause/", owner_views.pause_account, name="pause_account"),
    path("accounts/<int:pk>/unpause/", owner_views.unpause_account, name="unpause_account"),
    # Each person's own settings: where requests reach them.
    path("settings/", preference_views.preferences, name="preferences"),
    path("settings/slack-lookup/", preference_views.slack_lookup, name="slack_lookup"),
    # The Slack app: clicks and modal submissions, and events (signed by Slack).
    path("slack/interactivity/", slack_views.interactivity, name="slack_interactivity"),
    path("slack/events/", slack_views.events, name="slack_events"),
    # Managers' overrides.
    path("requests/<int:pk>/manage/<slug:action>/", manager_views.manage, name="manage"),
    # Managers' dashboard, its CSV exports, and the digest's one-click unsubscribe.
    path("dashboard/", dashboard_views.dashboard_page, name="dashboard"),
    path(
        "dashboard/export/<slug:table>.csv",
        dashboard_views.dashboard_export,
        name="dashboard_export",
    ),
    path(
        "digest/unsubscribe/<str:token>/",
        dashboard_views.digest_unsubscribe,
        name="digest_unsubscribe",
    ),
    # Managers: CRM import (upload, preview, confirm).
    path("imports/", import_views.upload, name="crm_import"),
    path("imports/confirm/", import_views.confirm, name="crm_import_confirm"),
    path("imports/cancel/", import_views.cancel, name="crm_import_cancel"),
]
