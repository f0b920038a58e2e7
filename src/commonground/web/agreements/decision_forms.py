"""Forms of the decisions: a proposal (with an optional rule of its own), a vote, an objection resolved,
the outcome statement. A rule is checked by the core ``DecisionRule``, its problems named by field."""

from __future__ import annotations

from typing import Any

from django import forms
from pydantic import ValidationError

from commonground.core.agreement.decisions import RULE_WORDS
from commonground.core.agreement.how import DecisionRule, RuleKind
from commonground.core.agreement.who import Partner
from commonground.web.agreements.tracking_forms import DATE

RULE_CHOICES = [
    ("", "The partnership's rule"),
    *((kind.value, words.capitalize()) for kind, words in RULE_WORDS.items()),
]


class ProposalForm(forms.Form):
    """A proposal put to the partners."""

    partner = forms.ChoiceField(label="Proposed for")
    title = forms.CharField(label="Title", max_length=200)
    proposal = forms.CharField(
        label="The proposal", required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    closes = forms.DateField(label="Voting closes on", widget=DATE)
    rule_kind = forms.ChoiceField(label="Decided by", choices=RULE_CHOICES, required=False)
    share = forms.FloatField(
        label="Supermajority: share of yes votes needed (%)", required=False, min_value=51, max_value=100
    )
    quota = forms.FloatField(
        label="Weighted: share of the weight needed (%)", required=False, min_value=1, max_value=100
    )
    quorum = forms.IntegerField(
        label="Quorum (partners taking part)", required=False, min_value=1, max_value=50
    )

    def __init__(self, *args: Any, partners: list[Partner], proposers: list[Partner], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.partners = partners
        partner_field = self.fields["partner"]
        assert isinstance(partner_field, forms.ChoiceField)
        partner_field.choices = [(p.id, p.name) for p in proposers]
        for partner in partners:
            self.fields[f"weight_{partner.id}"] = forms.FloatField(
                label=f"Weighted: weight of {partner.name}", required=False, min_value=0, max_value=1e9
            )

    def weight_fields(self) -> list[forms.BoundField]:
        """The per-partner weight fields, for the template."""
        return [self[f"weight_{p.id}"] for p in self.partners]

    def clean(self) -> dict[str, Any]:
        """Build the decision's own rule, if one is chosen, and name the field of each problem."""
        cleaned = super().clean() or {}
        kind = cleaned.get("rule_kind")
        if not kind:
            cleaned["rule"] = None
            return cleaned
        data: dict[str, Any] = {"kind": kind}
        if cleaned.get("share") is not None:
            data["share"] = cleaned["share"] / 100
        if cleaned.get("quota") is not None:
            data["quota"] = cleaned["quota"] / 100
        if cleaned.get("quorum") is not None:
            data["quorum"] = cleaned["quorum"]
        if kind == RuleKind.WEIGHTED.value:
            weights = {p.id: cleaned.get(f"weight_{p.id}") for p in self.partners}
            data["weights"] = {key: value for key, value in weights.items() if value is not None} or None
        try:
            cleaned["rule"] = DecisionRule.model_validate(data).model_dump(mode="json", exclude_none=True)
        except ValidationError as exc:
            for error in exc.errors(include_url=False):
                loc = error["loc"][0] if error["loc"] else None
                field = {"share": "share", "quota": "quota", "quorum": "quorum"}.get(str(loc), "rule_kind")
                message = str(error["msg"]).removeprefix("Value error, ")
                self.add_error(field, message)
        return cleaned


class VoteForm(forms.Form):
    """One partner's position on a proposal, with its reason."""

    partner = forms.CharField(max_length=64, widget=forms.HiddenInput)
    position = forms.ChoiceField(label="Position")
    reason = forms.CharField(
        label="Reason (needed for an objection or a block)", required=False, max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip

    def __init__(self, *args: Any, positions: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        position_field = self.fields["position"]
        assert isinstance(position_field, forms.ChoiceField)
        position_field.choices = positions


class ResolveForm(forms.Form):
    """A partner's objection resolved or withdrawn."""

    partner = forms.CharField(max_length=64, widget=forms.HiddenInput)


class OutcomeForm(forms.Form):
    """The outcome statement of a decided proposal and when to review it."""

    outcome = forms.CharField(
        label="Outcome statement", max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    review_date = forms.DateField(label="Review the decision on", required=False, widget=DATE)
