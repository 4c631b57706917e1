"""Payments: the fee schedule, deposits through gateways, payout methods, withdrawals, idempotent API calls.

Money itself only moves through ``haat.ledger``; this app decides *when* and *how much*.
"""
