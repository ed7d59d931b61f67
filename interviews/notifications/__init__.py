"""Notifications: how a change reaches people, and the delivery of what the workflow queued.

Rendering (`emails`, `slack` messages, `calendar_files`, the weekly `digest`) and delivery
(`outbox`, the Slack and email channels). The domain below writes `Notification` rows and
asks for delivery by task name; nothing below this package imports it.
"""
