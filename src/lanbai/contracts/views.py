"""Pages of the register (Chinese first; login required): list, detail with history and actions, filing,
the 成交额 reconciliation.  Thin: parse, call one service or selector, render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from lanbai.common.exceptions import ApplicationError, PermissionDeniedError, ValidationFailed
from lanbai.core.periods import Quarter
from lanbai.plans.selectors import plan_in_force, zone_list

from . import selectors, services
from .choices import ContractStatus, ContractType, RefusalGround
from .forms import ContractForm, RefuseForm

VERBS = {
    "update": "修改", "submit": "提交", "accept": "受理", "return": "退回补正", "register": "登记",
    "refuse": "不予登记", "amend": "变更", "revoke": "撤销",
}


@login_required
def contract_list(request):
    f = {k: request.GET.get(k, "") for k in ("status", "contract_type", "zone", "q")}
    year = request.GET.get("year", "")
    rows = selectors.contract_list(user=request.user, year=int(year) if year.isdigit() else None, **f)
    return render(request, "contracts/list.html", {
        "contracts": rows[:500], "count": rows.count(), "filters": f, "year": year,
        "statuses": ContractStatus.choices, "types": ContractType.choices,
        "zones": zone_list(plan=plan_in_force()),
    })


@login_required
def contract_detail(request, pk: int):
    contract = selectors.contract_get(user=request.user, pk=pk)
    actions = selectors.contract_actions(user=request.user, contract=contract)
    return render(request, "contracts/detail.html", {
        "c": contract,
        "history": selectors.contract_history(contract),
        "limit": selectors.time_limit(contract),
        "actions": [(a, VERBS[a]) for a in actions if a != "update"],
        "can_update": "update" in actions,
        "grounds": RefusalGround.choices,
        "error": request.GET.get("error", ""),
        "counted_in": _quarter_of(contract.registered_on),
    })


def _quarter_of(day) -> Quarter | None:
    """The quarter whose year-to-date 成交额 first counts a contract registered on ``day``."""
    return None if day is None else Quarter(day.year, (day.month - 1) // 3 + 1)


@login_required
def contract_edit(request, pk: int):
    """修改: the seller corrects a draft or a contract returned for correction (退回补正), then submits again."""
    contract = selectors.contract_get(user=request.user, pk=pk)
    if "update" not in selectors.contract_actions(user=request.user, contract=contract):
        raise PermissionDeniedError("只有卖方可以修改草稿或退回补正的技术合同")
    initial = {f: getattr(contract, f) for f in ContractForm.base_fields if f not in ("seller_zone", "buyer_zone",
                                                                                       "supplement_of")}
    initial |= {"seller_zone": contract.seller_zone.code, "buyer_zone": contract.buyer_zone.code
                if contract.buyer_zone else ""}
    form = ContractForm(request.POST or None, initial=initial)
    for fixed in ("seller_credit_code", "seller_zone", "supplement_of"):  # who files and what it amends stay
        form.fields[fixed].disabled = True
    error = ""
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        try:
            services.contract_update(user=request.user, contract=contract, data=data)
        except ApplicationError as exc:
            error = exc.message
        else:
            return redirect("contracts:detail", pk=contract.pk)
    return render(request, "contracts/form.html", {"form": form, "error": error, "contract": contract},
                  status=400 if error else 200)


@login_required
def contract_new(request):
    form = ContractForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        try:
            contract = services.contract_create(user=request.user, data=data)
        except ApplicationError as exc:
            error = exc.message
        else:
            return redirect("contracts:detail", pk=contract.pk)
    return render(request, "contracts/form.html", {"form": form, "error": error}, status=400 if error else 200)


@login_required
@require_POST
def contract_act(request, pk: int, verb: str):
    contract = selectors.contract_get(user=request.user, pk=pk)
    reason = request.POST.get("reason", "")
    try:
        if verb == "submit":
            services.contract_submit(user=request.user, contract=contract)
        elif verb == "accept":
            services.contract_accept(user=request.user, contract=contract)
        elif verb == "return":
            services.contract_return(user=request.user, contract=contract, reason=reason)
        elif verb == "register":
            services.contract_register(user=request.user, contract=contract)
        elif verb == "refuse":
            form = RefuseForm(request.POST)
            ground = form.data.get("ground", "")
            services.contract_refuse(user=request.user, contract=contract, ground=ground, reason=reason)
        elif verb == "revoke":
            services.contract_revoke(user=request.user, contract=contract, reason=reason)
        elif verb == "amend":
            field = request.POST.get("field", "")
            services.contract_amend(user=request.user, contract=contract,
                                    changes={field: request.POST.get("value", "")}, reason=reason)
        else:
            raise Http404
    except ApplicationError as exc:
        if exc.status_code in (403, 404):
            raise
        return render(request, "contracts/detail.html", {
            "c": contract, "history": selectors.contract_history(contract),
            "limit": selectors.time_limit(contract),
            "actions": [(a, VERBS[a]) for a in selectors.contract_actions(user=request.user, contract=contract)
                        if a != "update"],
            "grounds": RefusalGround.choices, "error": exc.message,
        }, status=exc.status_code)
    return redirect("contracts:detail", pk=pk)


@login_required
def turnover(request, period: Quarter | None = None):
    if period is None:
        text = request.GET.get("period", "")
        if not text:
            return redirect("contracts:turnover_period", period=Quarter(2019, 4))
        try:
            return redirect("contracts:turnover_period", period=Quarter.parse(text))
        except ValueError as exc:
            raise ValidationFailed(str(exc), field="period") from None
    rows = selectors.turnover(period=period, user=request.user)
    return render(request, "contracts/turnover.html", {"rows": rows, "period": period})
