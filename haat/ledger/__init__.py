"""Ledger: the double-entry book. The ONLY code in Haat that changes a balance."""
