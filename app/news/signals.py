"""Editorial events, raised by the console inside the transaction that causes them.

Receivers (notifications, cache invalidation, …) run synchronously in that same request and transaction,
so whatever they write (an outbox row, say) commits or rolls back with the event itself.
Every signal is sent with ``sender=article`` and keyword arguments ``actor`` (the user acting, or None for the
scheduler) and, where noted, ``comment``.
"""

from blinker import Namespace

_signals = Namespace()

article_submitted = _signals.signal("article-submitted")  # author → review; to the tenant's editors
article_returned = _signals.signal("article-returned")  # editor → author, with comment=...
article_approved = _signals.signal("article-approved")  # editor approved (published now or scheduled)
article_published = _signals.signal("article-published")  # the article became public (now, or by the scheduler)
article_unpublished = _signals.signal("article-unpublished")  # unpublished or archived
nomination_decided = _signals.signal("nomination-decided")  # national portal: approved=True/False, comment=...
