"""Load the benchmark tenant through the platform's own services: `vinh-phuc` with N published articles.

    DATABASE_URL=… SECRET_KEY=… .venv/bin/python bench/pages/load.py [N]

The national union on the platform host, the union created from the national template (pages, categories),
an editor, eight cover images in its media library, then N articles written, tagged and published by the
editorial workflow (create → approve at a past date). Seeded: the same N gives the same site every time.
"""

import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))

import sqlalchemy as sa  # noqa: E402

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from bench.pages import content  # noqa: E402

TENANT, HOST, PLACE = "vinh-phuc", "vinh-phuc.localhost", "Vĩnh Phúc"
EDITOR = "editor@vinh-phuc.bench"
PASSWORD = "bench-only-Huunghi-2025"  # noqa: S105 -- a throwaway database


def load(count: int) -> dict:
    from app.accounts.services import create_user
    from app.media.routes import media_url
    from app.media.services import store_upload
    from app.news import workflow
    from app.news.models import Article, Category
    from tenants.context import tenant_context
    from tenants.models import Tenant, TenantDomain, TenantKind
    from tenants.provision import create_tenant

    if db.session.scalar(sa.select(Tenant.id).where(Tenant.slug == "vufo")) is None:
        national = Tenant(slug="vufo", kind=TenantKind.NATIONAL, name_vi="Liên hiệp các tổ chức hữu nghị Việt Nam",
                          name_en="Viet Nam Union of Friendship Organizations")
        national.domains.append(TenantDomain(host="localhost", is_primary=True))
        db.session.add(national)
        db.session.commit()
    tenant = db.session.scalars(sa.select(Tenant).where(Tenant.slug == TENANT)).first()
    if tenant is None:
        tenant = create_tenant(slug=TENANT, host=HOST, name_vi=f"Liên hiệp các tổ chức hữu nghị tỉnh {PLACE}",
                               name_en="Vinh Phuc Union of Friendship Organizations")
        tenant.address = "Số 2 đường Nguyễn Trãi, phường Vĩnh Yên, tỉnh Phú Thọ"
        tenant.phone = "0211 3862 xxx"
        tenant.editor_in_chief = "Nguyễn Văn An"
        db.session.commit()
    editor = create_user(EDITOR, "Biên tập viên", PASSWORD, tenant=tenant, role="editor")
    with tenant_context(tenant.id):
        have = db.session.scalar(sa.select(sa.func.count(Article.id)))
        if have >= count:
            return {"articles": have, "loaded": 0}
        from app.media.models import MediaItem

        covers = list(db.session.scalars(sa.select(MediaItem).order_by(MediaItem.id)))
        for index in range(len(covers), len(content.COVER_COLOURS)):
            covers.append(store_upload(f"anh-bia-{index + 1}.jpg", content.cover_image(index),
                                       alt_text=f"Ảnh minh họa hoạt động hữu nghị số {index + 1}",
                                       uploaded_by_id=editor.id))
        with create_app().test_request_context(base_url=f"http://{HOST}"):  # media_url() builds a URL
            cover_urls = [media_url(item, 640) for item in covers]
        categories = list(db.session.scalars(sa.select(Category).order_by(Category.position)))
        rng = random.Random(f"lhhn-bench-{TENANT}")
        for number in range(1, count + 1):
            fields = content.article(rng, number, PLACE)
            if number <= have:
                continue  # already loaded by an earlier, interrupted run (the generator is deterministic)
            category = categories[number % len(categories)]
            article = workflow.create({
                "title": fields["title"], "summary": fields["summary"], "body_html": fields["body_html"],
                "source_line": fields["source_line"], "category_id": category.id, "featured": fields["featured"],
                "cover_url": cover_urls[fields["cover"]], "cover_alt": covers[fields["cover"]].alt_text,
                "locale": "vi"}, fields["tags"], editor)
            workflow.approve(article, editor, publish_at=fields["published_at"])
            if number % 250 == 0:
                print(f"  {number}/{count} articles", flush=True)
        return {"articles": count, "loaded": count - have}


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    started = time.monotonic()
    app = create_app()
    with app.app_context():
        result = load(count)
    print(f"bench tenant {TENANT}: {result['articles']} articles ({result['loaded']} loaded) "
          f"in {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
