"""What a merge does with each tenant table. Every tenant-scoped model has a rule here (tests/reorg checks it):
a new model without one makes the suite fail, so nothing a union owns is ever silently left behind.

- MOVE: the rows change tenant and keep their ids (so public URLs keep their paths).
- BY_SLUG: a row whose slug the successor already has is folded into the successor's (references repointed,
  the row dropped); the others move.
- DEDUPE: a row whose key the successor already has is dropped (the successor's stays: same member organisation,
  same subscriber); the others move.
- PAGES: the predecessor's page tree moves under one section page of the successor (its archive).
- STAY: history that remains the predecessor's (reports of its periods, visit counts, its mail and console
  bookkeeping); the predecessor is kept, merged and read-only, so these stay readable.
"""

from dataclasses import dataclass, field

MOVE, BY_SLUG, DEDUPE, PAGES, STAY = "move", "by_slug", "dedupe", "pages", "stay"


@dataclass(frozen=True)
class Rule:
    action: str
    key: tuple[str, ...] = ()  # BY_SLUG / DEDUPE: the columns (besides tenant_id) that must be unique
    refs: tuple[tuple[str, str], ...] = field(default=())  # BY_SLUG: (table, column) pointing at this table
    why: str = ""


RULES: dict[str, Rule] = {
    "news_category": Rule(BY_SLUG, ("slug",), (("news_article", "category_id"),)),
    "news_tag": Rule(BY_SLUG, ("slug",), (("news_article_tag", "tag_id"),)),
    "news_article": Rule(MOVE),
    "news_article_revision": Rule(MOVE),
    "news_article_tag": Rule(MOVE),
    "news_nomination": Rule(MOVE),
    "news_subscriber": Rule(DEDUPE, ("email",)),
    "page": Rule(PAGES),
    "page_revision": Rule(MOVE),
    "media_item": Rule(MOVE),
    "photo_album": Rule(MOVE),
    "photo_album_item": Rule(MOVE),
    "event": Rule(MOVE),
    "event_article": Rule(MOVE),
    "document": Rule(MOVE),
    # a duplicate's terms and chapters join the successor's same organisation (repointed before it is dropped)
    "member_organization": Rule(DEDUPE, ("slug",), (("member_term", "member_id"), ("member_chapter", "member_id"))),
    "member_term": Rule(MOVE),
    "member_chapter": Rule(MOVE),
    "partner_locality": Rule(MOVE),
    "partner_agreement": Rule(MOVE),
    "aid_project": Rule(MOVE),
    "aid_transaction": Rule(MOVE),
    "donor_proposal": Rule(MOVE),
    "api_token": Rule(STAY, why="a token for the predecessor's (read-only) console; the successor issues its own"),
    "menu_item": Rule(STAY, why="the predecessor's own menu; its pages move under the successor's archive section"),
    "site_theme": Rule(STAY, why="the predecessor's look stays with its archived site"),
    "webhook": Rule(STAY, why="the predecessor's endpoints; the successor registers its own"),
    "aid_import": Rule(STAY, why="a staged import belongs to the console that staged it"),
    "domain_request": Rule(STAY, why="the predecessor's own request for a host"),
    "invitation": Rule(STAY, why="an invitation to the predecessor's (now read-only) console"),
    "notification": Rule(STAY, why="what the predecessor's staff were told"),
    "outbox_message": Rule(STAY, why="mail already sent or queued for the predecessor"),
    "newsletter_watermark": Rule(STAY, why="the predecessor's last newsletter"),
    "report": Rule(STAY, why="reports of periods before the merge remain the predecessor's"),
    "report_attachment": Rule(STAY, why="with its report"),
    "report_event": Rule(STAY, why="with its report"),
    "report_narrative": Rule(STAY, why="with its report"),
    "report_score": Rule(STAY, why="with its report"),
    "report_value": Rule(STAY, why="with its report"),
    "visit_daily": Rule(STAY, why="visitor totals kept as the predecessor's history"),
    "visit_visitor": Rule(STAY, why="visitor totals kept as the predecessor's history"),
}

# The order rows move in does not matter to the database (in-tenant foreign keys are deferred to the commit);
# it matters to the folding: BY_SLUG tables (and any with references to repoint) first, so their references are
# repointed before the rows move.
ORDER = sorted(RULES, key=lambda table: (RULES[table].action != BY_SLUG and not RULES[table].refs, table))
