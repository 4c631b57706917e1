"""Reads of the ledger: balances, statements and the invariant check behind ``haat ledger verify``."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, F, Q, QuerySet, Sum

from haat.ledger.models import Account, AccountKind, HotDelta, Phase, Transfer


@dataclass(frozen=True)
class Balance:
    """Totals of one account, hot deltas included. ``available`` is what may be spent or moved now."""

    debits_pending: int
    debits_posted: int
    credits_pending: int
    credits_posted: int

    @property
    def posted(self) -> int:
        return self.credits_posted - self.debits_posted

    @property
    def available(self) -> int:
        return self.credits_posted - self.debits_posted - self.debits_pending

    @property
    def held(self) -> int:
        return self.debits_pending


def balance(account: Account) -> Balance:
    account.refresh_from_db(fields=["debits_pending", "debits_posted", "credits_pending", "credits_posted"])
    extra = [0, 0, 0, 0]
    if account.is_hot:
        sums = HotDelta.objects.filter(account=account).aggregate(
            dp=Sum("debits_pending"),
            dpo=Sum("debits_posted"),
            cp=Sum("credits_pending"),
            cpo=Sum("credits_posted"),
        )
        extra = [sums["dp"] or 0, sums["dpo"] or 0, sums["cp"] or 0, sums["cpo"] or 0]
    return Balance(
        debits_pending=account.debits_pending + extra[0],
        debits_posted=account.debits_posted + extra[1],
        credits_pending=account.credits_pending + extra[2],
        credits_posted=account.credits_posted + extra[3],
    )


def find_account(kind: AccountKind, reference: str, currency: str) -> Account | None:
    """An existing account, or ``None`` (reading never creates accounts)."""
    return Account.objects.filter(kind=kind, reference=reference, currency=currency).first()


def user_accounts(user_id: int, kind: AccountKind | None = None) -> QuerySet[Account]:
    accounts = Account.objects.filter(owner_id=user_id)
    return accounts.filter(kind=kind) if kind else accounts


@dataclass(frozen=True)
class StatementLine:
    transfer: Transfer
    amount: int  # signed: + money in, - money out (posted effect on this account)
    balance_after: int


def statement(
    account: Account, *, since: datetime | None = None, until: datetime | None = None
) -> Iterator[StatementLine]:
    """Posted movements of one account, oldest first, with the running posted balance after each.

    Pending holds are not lines; their posting or voiding is.
    """
    transfers = (
        Transfer.objects.filter(Q(debit_account=account) | Q(credit_account=account))
        .filter(phase__in=[Phase.POSTED, Phase.POST_PENDING])
        .order_by("created_at", "id")
    )
    running = 0
    opening_done = since is None
    for transfer in transfers.filter(created_at__lt=until) if until else transfers:
        signed = transfer.amount if transfer.credit_account_id == account.pk else -transfer.amount
        running += signed
        if not opening_done and transfer.created_at < since:  # type: ignore[operator]
            continue
        opening_done = True
        yield StatementLine(transfer=transfer, amount=signed, balance_after=running)


# --- Invariants ---------------------------------------------------------------------------------------------


@dataclass
class VerifyReport:
    accounts: int = 0
    transfers: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _transfer_sums() -> dict[int, list[int]]:
    """Per account, the four totals recomputed from the transfers alone."""
    sums: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    effects = {
        Phase.PENDING: ((0, 1),),
        Phase.POSTED: ((1, 1),),
        Phase.POST_PENDING: ((0, -1), (1, 1)),
        Phase.VOID_PENDING: ((0, -1),),
    }
    rows = Transfer.objects.values("debit_account_id", "credit_account_id", "phase").annotate(
        total=Sum("amount")
    )
    for row in rows:
        for column, sign in effects[Phase(row["phase"])]:
            sums[row["debit_account_id"]][column] += sign * row["total"]
            sums[row["credit_account_id"]][column + 2] += sign * row["total"]
    return sums


def verify() -> VerifyReport:
    """Check every ledger invariant on the live database (read-only)."""
    report = VerifyReport()
    recomputed = _transfer_sums()
    deltas: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for row in HotDelta.objects.values("account_id").annotate(
        dp=Sum("debits_pending"),
        dpo=Sum("debits_posted"),
        cp=Sum("credits_pending"),
        cpo=Sum("credits_posted"),
    ):
        deltas[row["account_id"]] = [row["dp"], row["dpo"], row["cp"], row["cpo"]]

    per_currency: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for account in Account.objects.order_by("pk").iterator():
        report.accounts += 1
        stored = [
            account.debits_pending,
            account.debits_posted,
            account.credits_pending,
            account.credits_posted,
        ]
        effective = [s + d for s, d in zip(stored, deltas[account.pk], strict=True)]
        if effective != recomputed[account.pk]:
            report.problems.append(
                f"Account {account} totals {effective} differ from the sum of its transfers {recomputed[account.pk]}."
            )
        if account.no_negative and effective[1] + effective[0] > effective[3]:
            report.problems.append(
                f"Account {account} is below zero: {effective[3] - effective[1] - effective[0]}."
            )
        if min(effective) < 0:
            report.problems.append(f"Account {account} has a negative total: {effective}.")
        for i in range(4):
            per_currency[account.currency][i] += effective[i]

    for currency, (dp, dpo, cp, cpo) in sorted(per_currency.items()):
        if dpo != cpo:
            report.problems.append(f"{currency}: posted debits {dpo} ≠ posted credits {cpo}.")
        if dp != cp:
            report.problems.append(f"{currency}: pending debits {dp} ≠ pending credits {cp}.")

    report.transfers = Transfer.objects.count()
    mixed = Transfer.objects.exclude(currency=F("debit_account__currency")).count()
    mixed += Transfer.objects.exclude(currency=F("credit_account__currency")).count()
    if mixed:
        report.problems.append(f"{mixed} transfer(s) mix currencies.")
    repeated = Transfer.objects.values("id").annotate(n=Count("id")).filter(n__gt=1).count()
    if repeated:
        report.problems.append(f"{repeated} transfer id(s) repeat.")
    bad_resolution = (
        Transfer.objects.filter(phase__in=[Phase.POST_PENDING, Phase.VOID_PENDING])
        .exclude(pending__phase=Phase.PENDING)
        .count()
    )
    if bad_resolution:
        report.problems.append(f"{bad_resolution} resolution(s) point at a transfer that is not pending.")
    return report
