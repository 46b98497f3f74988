"""The review (granskning): its comment threads under each question, and its own chapter.

The chapter holds the comments on the whole assessment, the comments on questions the report does
not print, and the sign-off. Every post is user text and is escaped like all user text.
"""

from __future__ import annotations

from typing import Any


from ..i18n import msg
from ..context import ReportContext, fmt_date
from ..toolkit.model import Block, Para
from ..toolkit.markup import para, shorten
from ..prose import mid_sentence


def _comment_tree(ctx: ReportContext) -> tuple[list[Any], dict[str, list[Any]]]:
    """The review comments as threads: (top-level posts, replies by the id they answer), oldest first.

    A reply whose comment is missing (or that answers itself) is shown as a post of its own."""
    posts = sorted(ctx.comments, key=lambda c: (fmt_date(c.at), str(c.at), c.id))
    ids = {c.id for c in posts}
    top: list[Any] = []
    replies: dict[str, list[Any]] = {}
    for c in posts:
        if not c.reply_to or c.reply_to not in ids or c.reply_to == c.id:
            top.append(c)
        else:
            replies.setdefault(c.reply_to, []).append(c)
    return top, replies


def _comment_paragraphs(ctx: ReportContext, post: Any, replies: dict[str, list[Any]], depth: int = 0,
                        seen: set[str] | None = None) -> list[Block]:
    """One post and, indented under it, the replies to it (a thread), each escaped like all user text."""
    seen = set() if seen is None else seen
    if post.id in seen:  # a loop of replies in a hand-edited file: each post once
        return []
    seen.add(post.id)
    key = {"reply": "report.comment_reply", "sign_off": "report.comment_sign_off"}.get(post.kind, "report.comment_by")
    who = msg(ctx.lang, key, author=f"<b>{para(post.author)}</b>", date=fmt_date(post.at))
    style = "comment" if depth == 0 else "reply"
    out: list[Block] = [Para(f"{who}: {para(post.text)}", style)]
    for r in replies.get(post.id, []):
        out += _comment_paragraphs(ctx, r, replies, min(depth + 1, 1), seen)
    return out


def comments_on(ctx: ReportContext, criterion_id: str) -> list[Block]:
    """The review's threads on one question, under the question in its section chapter."""
    top, replies = _comment_tree(ctx)
    threads = [c for c in top if c.criterion == criterion_id]
    if not threads:
        return []
    out: list[Block] = [Para(f"<b>{msg(ctx.lang, 'report.comments_on_question')}:</b>", "small")]
    for c in threads:
        out += _comment_paragraphs(ctx, c, replies)
    return out


def review_chapter(ctx: ReportContext) -> list[Block]:
    """Granskning: the comments on the whole assessment, comments on questions not printed, and the sign-off."""
    m = ctx.assessment.metadata
    top, replies = _comment_tree(ctx)
    whole = [c for c in top if c.criterion is None and c.kind != "sign_off"]
    sign_offs = [c for c in top if c.kind == "sign_off"]
    elsewhere = [c for c in top if c.criterion is not None and c.criterion not in ctx.shown]
    on_questions = sum(1 for c in top if c.criterion is not None and c.criterion in ctx.shown)
    if not (top or m.adopted_at or m.adopted_by):
        return []
    out: list[Block] = [ctx.heading(msg(ctx.lang, "report.review_title"))]
    if whole:
        out.append(Para(para(msg(ctx.lang, "report.review_whole")), "body"))
        for c in whole:
            out += _comment_paragraphs(ctx, c, replies)
    else:
        out.append(Para(para(msg(ctx.lang, "report.review_no_whole")), "body"))
    if on_questions:
        out.append(Para(para(msg(ctx.lang, "report.review_on_questions", count=on_questions)), "muted"))
    if elsewhere:
        out.append(ctx.heading(msg(ctx.lang, "report.review_elsewhere"), 1))
        for c in elsewhere:
            number = ctx.numbers.get(c.criterion)
            label = shorten(ctx.criterion_label(c.criterion), 160)
            out.append(Para(para(f"{number} {label}" if number else label), "small"))
            out += _comment_paragraphs(ctx, c, replies)
    out.append(ctx.heading(msg(ctx.lang, "report.review_sign_off"), 1))
    if m.adopted_at and m.adopted_by:
        line = msg(ctx.lang, "report.review_adopted_by", date=fmt_date(m.adopted_at), by=para(m.adopted_by))
    elif m.adopted_at:
        line = msg(ctx.lang, "report.review_adopted", date=fmt_date(m.adopted_at))
    else:
        line = msg(ctx.lang, "report.review_not_adopted", status=para(mid_sentence(msg(ctx.lang, f"common.status_{m.status.value}"))))
    out.append(Para(line, "body"))
    for c in sign_offs:
        out += _comment_paragraphs(ctx, c, replies)
    return out
