"""Importing accounts, owners and contacts from CRM exports (Salesforce, HubSpot, or a
custom column mapping): read, plan (a dry run, row by row), then apply in one transaction."""
