"""Contracts: created from an accepted award; funding, work, delivery and acceptance come with the contracts
issue."""
