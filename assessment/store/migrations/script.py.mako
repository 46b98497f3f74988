"""${up_revision[:4]}: ${message}.

Released: never edited. A change of schema is a new revision after the last
(docs/storage.md, "Upgrades"). The DDL is written for SQLite and PostgreSQL;
where they differ each has its own text. Old servers refuse to write once it is
applied (they must restart): say in docs/storage.md whether it needs a restart.
"""

from __future__ import annotations

from alembic import op

revision = ${repr(up_revision)}
down_revision = ${repr(down_revision)}
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    ${upgrades if upgrades else "raise NotImplementedError('write the revision')"}


def downgrade() -> None:
    raise NotImplementedError("SKB does not downgrade a schema: restore the backup taken before the upgrade "
                              "(skb restore, docs/storage.md)")
