"""Accounts: users, profiles, languages, portfolio, time zones and API tokens."""
