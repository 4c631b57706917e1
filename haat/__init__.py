"""Haat: a self-hostable outsourcing marketplace with escrow."""
