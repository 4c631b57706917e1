"""Reputation: ranking points and their history (reviews come with the contracts issue)."""
