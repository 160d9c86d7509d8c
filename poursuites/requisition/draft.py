"""The réquisition being filled, kept in the session between the steps (never in the register).

The draft holds plain strings in the shape of the code's payload: ``debtor``, ``creditor`` (with
``iban``) and ``representative`` (or None), ``kind`` and ``claims``, ``notes``.
"""

SESSION_KEY = "requisition"
# Each step and the draft keys it fills, in the order of the form.
STEPS = {
    "debtor": ("debtor",),
    "creditor": ("creditor", "representative"),
    "claims": ("kind", "claims"),
    "notes": ("notes",),
}


def load(session) -> dict:
    return dict(session.get(SESSION_KEY) or {})


def save(session, **parts) -> dict:
    draft = {**load(session), **parts}
    session[SESSION_KEY] = draft
    return draft


def clear(session) -> None:
    session.pop(SESSION_KEY, None)


def is_done(draft: dict, step: str) -> bool:
    return all(key in draft for key in STEPS[step])


def first_missing_step(draft: dict, *, before: str | None = None) -> str | None:
    """The first step not yet filled among those before ``before`` (all of them when None)."""
    for step in STEPS:
        if step == before:
            return None
        if not is_done(draft, step):
            return step
    return None


def is_complete(draft: dict) -> bool:
    return first_missing_step(draft) is None
