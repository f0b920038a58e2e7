"""/api/v1/partnerships/{id}/stakeholders: a partnership's stakeholder register (read, add, re-rate, edit,
remove), through the stakeholders app's selectors, form and services, as its page does."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Router, Status

from commonground.web.access import Action
from commonground.web.api.auth import request_token
from commonground.web.api.errors import ApiError, valid_form
from commonground.web.api.locking import LockedRecords, view_etag
from commonground.web.api.schemas import Id, StakeholderIn, StakeholderList, StakeholderOut, errors
from commonground.web.api.scopes import partnership_scope
from commonground.web.partnerships.selectors import PartnershipAccess
from commonground.web.records import StaleEditError
from commonground.web.stakeholders import selectors, services
from commonground.web.stakeholders.forms import EntryForm
from commonground.web.stakeholders.models import RegisterEntry
from commonground.web.stakeholders.selectors import Register, RegisterRow

router = Router(tags=["stakeholders"])


def _out(row: RegisterRow) -> StakeholderOut:
    entry, view = row.entry, row.view
    source = "partners" if entry is None else ("re-rated" if entry.is_adjustment else "added")
    return StakeholderOut.model_validate(
        {
            "id": entry.pk if entry else None, "version": entry.version if entry else None,
            "name": view.name, "source": source, "named_by": list(row.named_by),
            "power": view.power, "interest": view.interest, "legitimacy": row.legitimacy,
            "urgency": row.urgency, "stance": row.stance, "notes": entry.notes if entry else "",
            "quadrant": view.quadrant, "strategy": view.strategy, "salience_class": view.salience_class,
            "salience": view.salience,
        }
    )  # fmt: skip


def _bound(payload: StakeholderIn, *, version: int, taken: frozenset[str], fixed_name: str = "") -> EntryForm:
    """The register page's own form, bound to the body: its rules (a name not already in the register)
    decide here too; its problems are 422 with their paths."""
    data = payload.model_dump() | {"stance": payload.stance or "", "version": version}
    return valid_form(EntryForm(data, taken=taken, fixed_name=fixed_name), what="stakeholder")


def _entry_row(access: PartnershipAccess, entry: RegisterEntry) -> RegisterRow:
    row = selectors.register_build(access=access).row_for_entry(entry.pk)
    assert row is not None  # every entry of the partnership is a row of its register
    return row


# Its ETag: "stakeholder-<entry id>-v<version>-<digest>" (the partners' ratings merged in move it).
LOCK: LockedRecords[RegisterEntry, StakeholderOut] = LockedRecords(
    "stakeholder", "register entry", lambda access, entry: _out(_entry_row(access, entry))
)


def _saved(response: HttpResponse, access: PartnershipAccess, entry_id: int) -> StakeholderOut:
    return LOCK.answer(response, access, selectors.entry_get(access=access, entry_id=entry_id))


@router.get(
    "/{partnership_id}/stakeholders",
    response={200: StakeholderList, **errors()},
    summary="A partnership's stakeholder register",
)
def stakeholder_list(request: HttpRequest, response: HttpResponse, partnership_id: Id) -> StakeholderList:
    """Every stakeholder of the register, most salient first: the partners' merged stakeholders (re-rated
    where the partnership did) and those it added."""
    access = partnership_scope(request, partnership_id=partnership_id, action=Action.VIEW)
    register: Register = selectors.register_build(access=access)
    items = [_out(row) for row in register.rows]
    out = StakeholderList(items=items, partners=register.partners, count=len(items))
    response["ETag"] = view_etag("stakeholders", partnership_id, out)
    return out


@router.post(
    "/{partnership_id}/stakeholders",
    response={201: StakeholderOut, **errors(400, 403)},
    summary="Add a stakeholder no partner names",
)
def stakeholder_add(
    request: HttpRequest, response: HttpResponse, partnership_id: Id, payload: StakeholderIn
) -> Status[StakeholderOut]:
    """Add a stakeholder to the register (write token, a role that may edit); its ETag comes back."""
    access = partnership_scope(request, partnership_id=partnership_id, action=Action.EDIT)
    register = selectors.register_build(access=access)
    form = _bound(payload, version=0, taken=register.taken_names())
    try:
        entry = services.entry_add(
            access=access, name=form.cleaned_data["name"], ratings=form.ratings(),
            user=request_token(request).user,
        )  # fmt: skip
    except services.RegisterError as exc:
        raise ApiError(422, str(exc)) from None
    response["Location"] = request.build_absolute_uri(f"{request.path.rstrip('/')}/{entry.pk}")
    return Status(201, _saved(response, access, entry.pk))


@router.post(
    "/{partnership_id}/stakeholders/re-ratings",
    response={201: StakeholderOut, **errors(400, 403, 409)},
    summary="Re-rate a partners' stakeholder for this partnership",
)
def stakeholder_rerate(
    request: HttpRequest, response: HttpResponse, partnership_id: Id, payload: StakeholderIn
) -> Status[StakeholderOut]:
    """The partnership's own ratings of a stakeholder the partners name (``name`` as the register lists
    it); the partners' profiles are not changed. 409 when it is re-rated already: change that entry."""
    access = partnership_scope(request, partnership_id=partnership_id, action=Action.EDIT)
    register = selectors.register_build(access=access)
    row = register.row_for_merged(payload.name)
    if row is None or row.merged is None:
        raise ApiError(
            422, "No stakeholder of the partners' profiles has this name; nothing was saved.",
            problems=[("body.payload.name", "Name a stakeholder the register lists with source 'partners'.")],
        )  # fmt: skip
    if row.entry is not None:
        raise ApiError(409, f"{row.view.name} is re-rated already (entry {row.entry.pk}): change that entry.")
    form = _bound(payload, version=0, taken=frozenset(), fixed_name=row.view.name)
    try:
        entry = services.entry_adjust(
            access=access, merged_name=row.view.name, ratings=form.ratings(), user=request_token(request).user
        )
    except StaleEditError:  # re-rated meanwhile
        raise ApiError(409, f"{row.view.name} was re-rated meanwhile: change that entry.") from None
    response["Location"] = request.build_absolute_uri(f"{request.path.rsplit('/', 1)[0]}/{entry.pk}")
    return Status(201, _saved(response, access, entry.pk))


@router.get(
    "/{partnership_id}/stakeholders/{entry_id}",
    response={200: StakeholderOut, **errors()},
    summary="One added or re-rated stakeholder",
)
def stakeholder_get(
    request: HttpRequest, response: HttpResponse, partnership_id: Id, entry_id: Id
) -> StakeholderOut:
    """A register entry as its row shows it; its ETag goes into If-Match of a later change."""
    access = partnership_scope(request, partnership_id=partnership_id, action=Action.VIEW)
    return _saved(response, access, entry_id)


@router.put(
    "/{partnership_id}/stakeholders/{entry_id}",
    response={200: StakeholderOut, **errors(400, 403, 412, 428)},
    openapi_extra=LOCK.if_match,
    summary="Change an added or re-rated stakeholder",
)
def stakeholder_update(
    request: HttpRequest, response: HttpResponse, partnership_id: Id, entry_id: Id, payload: StakeholderIn
) -> StakeholderOut:
    """Replace a register entry's values, if If-Match is still current (a re-rated one keeps its name)."""
    access = partnership_scope(request, partnership_id=partnership_id, action=Action.EDIT)
    entry = selectors.entry_get(access=access, entry_id=entry_id)

    def change(version: int) -> None:
        register = selectors.register_build(access=access)
        row = register.row_for_entry(entry.pk)
        fixed = row.view.name if row is not None and row.merged is not None else entry.merged_name
        form = _bound(
            payload, version=version, taken=register.taken_names(except_entry=entry.pk), fixed_name=fixed
        )
        try:
            services.entry_update(
                access=access, entry=entry, name=form.cleaned_data["name"], ratings=form.ratings(),
                expected_version=version, user=request_token(request).user,
            )  # fmt: skip
        except services.RegisterError as exc:
            raise ApiError(422, str(exc)) from None

    LOCK.guarded(request, access, entry, change)
    return _saved(response, access, entry.pk)


@router.delete(
    "/{partnership_id}/stakeholders/{entry_id}",
    response={204: None, **errors(403, 412, 428)},
    openapi_extra=LOCK.if_match,
    summary="Remove an added stakeholder, or reset a re-rated one",
)
def stakeholder_delete(request: HttpRequest, partnership_id: Id, entry_id: Id) -> Status[None]:
    """Remove an added stakeholder, or reset a re-rated one to the partners' ratings, if If-Match is
    still current."""
    access = partnership_scope(request, partnership_id=partnership_id, action=Action.EDIT)
    entry = selectors.entry_get(access=access, entry_id=entry_id)
    LOCK.guarded(
        request, access, entry,
        lambda version: services.entry_delete(
            access=access, entry=entry, expected_version=version, user=request_token(request).user
        ),
    )  # fmt: skip
    return Status(204, None)
