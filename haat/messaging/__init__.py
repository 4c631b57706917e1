"""Messaging: threads between a buyer and a freelancer (interviews before an award, then the contract)."""
