"""Administration page (admins of a shared installation): users and their roles, the rule on
adopting one's own work, and the audit log.

Roles are granted and revoked with `skb grant` / `skb revoke` (docs/cli.md); this page shows
them, so an admin sees who has signed in and still needs a role. An admin of one
organisation sees that organisation's part of the audit log; an admin of every organisation
sees all of it. Every text from the database is escaped before it is drawn.
"""

import pandas as pd
import streamlit as st

from assessment.store.audit import events
from assessment.store.auth import ALL_ORGS, ROLE_LABELS, Role, roles_of, self_sign_off_allowed, users
from assessment.errors import Forbidden
from ui.i18n import t
from ui.session import actor, lang, store

L = lang()
me = actor()
admin_of = {org for org, role in roles_of(store(), me) if role == Role.ADMIN}
if not me.shared or not admin_of:
    st.info(t(L, "ui.admin_only"))
    st.stop()

st.title(t(L, "ui.page_admin"), anchor=False)

st.subheader(t(L, "ui.admin_users"), anchor=False)
try:
    people = users(store(), me)
except Forbidden as exc:
    st.error(exc.message(L))
    st.stop()


def _roles(held: dict[str, tuple[Role, ...]]) -> str:
    return "; ".join(f"{t(L, 'ui.every_org') if org == ALL_ORGS else org}: "
                     + ", ".join(ROLE_LABELS[L][r] for r in roles) for org, roles in held.items()) or "–"


# A data frame shows its cells as text, never as markdown.
st.dataframe(pd.DataFrame([{t(L, "ui.admin_user"): u.name, t(L, "ui.admin_display_name"): u.display_name,
                            t(L, "ui.admin_roles"): _roles(u.roles),
                            t(L, "ui.admin_last_seen"): u.last_seen[:16].replace("T", " ")} for u in people]),
             hide_index=True, width="stretch", key="admin_users")

st.subheader(t(L, "ui.admin_self_sign_off"), anchor=False)
orgs = sorted({ALL_ORGS} | {org for u in people for org in u.roles})
st.dataframe(pd.DataFrame([{t(L, "ui.audit_org"): t(L, "ui.every_org") if org == ALL_ORGS else org,
                            t(L, "ui.admin_self_sign_off"): t(L, "ui.setting_yes") if self_sign_off_allowed(
                                store(), None if org == ALL_ORGS else org) else t(L, "ui.setting_no")}
                           for org in orgs[:200]]), hide_index=True, width="stretch", key="admin_rules")

st.subheader(t(L, "ui.admin_audit"), anchor=False)
left, right = st.columns(2)
only_id = left.text_input(t(L, "ui.admin_audit_filter_id"), key="audit_id", max_chars=64).strip()
only_user = right.text_input(t(L, "ui.admin_audit_filter_user"), key="audit_user", max_chars=254).strip()
found = events(store(), assessment_id=only_id or None, actor=only_user or None,
               orgs=None if ALL_ORGS in admin_of else admin_of, limit=500)
st.dataframe(pd.DataFrame([{t(L, "ui.audit_at"): e.at.astimezone().strftime("%Y-%m-%d %H:%M:%S"),
                            t(L, "ui.audit_actor"): e.actor, t(L, "ui.audit_action"): e.action,
                            t(L, "ui.audit_assessment"): e.assessment_id or "", t(L, "ui.audit_org"): e.org,
                            t(L, "ui.audit_detail"): e.detail} for e in found]),
             hide_index=True, width="stretch", key="admin_audit")
