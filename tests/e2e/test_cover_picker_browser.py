"""Issue 16 in a real browser: an editor chooses an article's cover from the union's media library in the picker
dialog (keyboard and mouse), the alt text follows the library unless written for the picture chosen, and the public
article shows the picture (a WebP source, a srcset of renditions) with that alt text and as its og:image."""

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from app.extensions import db
from app.media.models import MediaItem
from app.news.models import Article, ArticleStatus
from tenants.context import tenant_context
from tenants.models import Tenant
from tests.e2e.test_editorial_browser import _sign_in, _watch_csp

pytestmark = pytest.mark.e2e

ALT = "Đại biểu hai nước cắt băng khánh thành lớp học hữu nghị"


def _published_article_and_another_image(slug: str) -> tuple[Article, MediaItem]:
    """The newest public Vietnamese article of the demo union and a library image that is not its cover."""
    tenant = db.session.scalar(sa.select(Tenant).where(Tenant.slug == slug))
    with tenant_context(tenant.id):
        article = next(a for a in db.session.scalars(sa.select(Article).where(
            Article.status == ArticleStatus.PUBLISHED, Article.locale == "vi", Article.translation_of_id.is_(None))
            .order_by(Article.published_at.desc())) if a.is_public)  # not one scheduled for later
        images = db.session.scalars(sa.select(MediaItem).where(MediaItem.kind == "image")
                                    .order_by(MediaItem.id)).all()
        image = next(i for i in images if not (article.cover_url or "").startswith(f"/media/{i.id}/"))
        db.session.expunge_all()
    return article, image


def test_cover_chosen_in_the_picker_is_shown_as_a_picture_with_its_alt_text(live_server, page):
    base, port = live_server
    article, image = _published_article_and_another_image("hai-duong")
    violations = _watch_csp(page)
    _sign_in(page, base, "editor@hai-duong.demo")
    page.goto(f"{base}/manage/hai-duong/news/{article.id}")
    expect(page.get_by_role("heading", level=1)).to_have_text(article.title)

    cover = page.get_by_label("Ảnh bìa (chọn từ thư viện)")
    alt = page.get_by_label("Mô tả ảnh bìa (văn bản thay thế)")
    expect(cover).to_be_visible()
    opener = page.get_by_role("button", name="Chọn từ thư viện…")
    expect(page.locator("img.cover-preview")).to_be_visible()  # the current cover's thumbnail

    # the dialog opens, Esc closes it and the focus goes back to the button
    opener.click()
    dialog = page.get_by_role("dialog", name="Ảnh trong thư viện")
    expect(dialog).to_be_visible()
    expect(dialog.locator("button[aria-pressed='true']")).to_be_focused()  # the current cover is chosen
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    expect(opener).to_be_focused()

    # choose another library image
    opener.click()
    choice = dialog.get_by_role("button", name=image.alt_text)
    expect(choice).to_be_visible()
    expect(choice.locator("img")).to_have_attribute("src", re.compile(rf"/media/{image.id}/"))
    choice.focus()
    page.keyboard.press("Enter")  # chosen by keyboard
    expect(dialog).to_have_count(0)
    expect(opener).to_be_focused()
    expect(cover).to_have_value(str(image.id))
    expect(page.locator("img.cover-preview")).to_have_attribute("src", re.compile(rf"/media/{image.id}/"))

    # saved without alt text: the library's description is the alt text (a cover is never stored without one)
    alt.fill("")
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="Đã lưu bài viết.")).to_be_visible()
    expect(cover).to_have_value(str(image.id))
    expect(alt).to_have_value("")  # follows the library
    with tenant_context(article.tenant_id):
        stored = db.session.execute(sa.select(Article.cover_url, Article.cover_alt)
                                    .where(Article.id == article.id)).one()
        db.session.rollback()
    assert stored.cover_url.startswith(f"/media/{image.id}/") and stored.cover_alt == image.alt_text

    # an alt text of one's own, written for this article
    alt.fill(ALT)
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="Đã lưu bài viết.")).to_be_visible()
    expect(alt).to_have_value(ALT)
    expect(cover).to_have_value(str(image.id))

    # that text describes this picture: choosing another empties it (the other's library text would apply),
    # choosing this one back restores it
    other = next(o for o in cover.locator("option").all()
                 if o.get_attribute("value") not in ("0", "-1", str(image.id))).get_attribute("value")
    opener.click()
    dialog.locator("button.image-choice").filter(has=page.locator(f"img[src*='/media/{other}/']")).click()
    expect(cover).to_have_value(other)
    expect(alt).to_have_value("")
    cover.select_option(str(image.id))  # the select alone works too
    expect(alt).to_have_value(ALT)

    # the public article: a <picture> with a WebP source and renditions, the alt text written, the og:image
    page.goto(f"http://hai-duong.localhost:{port}/tin/{article.id}/{article.slug}")
    figure = page.locator("article figure.cover")
    picture = figure.locator("picture")
    expect(picture).to_have_count(1)
    webp = picture.locator("source[type='image/webp']")
    expect(webp).to_have_attribute("srcset", re.compile(rf"/media/{image.id}/w320-[^ ]+\.webp 320w, .*\.webp \d+w"))
    img = picture.locator("img")
    expect(img).to_have_attribute("alt", ALT)
    expect(img).to_have_attribute("srcset", re.compile(rf"/media/{image.id}/w640-[^ ]+\.jpg 640w"))
    expect(img).to_have_attribute("sizes", re.compile(r"\S"))
    expect(img).to_have_attribute("loading", "eager")  # the article's own cover is above the fold
    expect(figure.locator("figcaption")).to_have_text(ALT)
    assert img.evaluate("i => i.complete && i.naturalWidth > 0"), "the picture loads"
    assert img.evaluate("i => i.currentSrc").endswith(".webp"), "Chromium takes the WebP source"
    og_image = page.locator("meta[property='og:image']")
    expect(og_image).to_have_attribute(  # the 1280 px rendition, or the image itself when it is no wider
        "content", re.compile(rf"^http://hai-duong\.localhost:{port}/media/{image.id}/(w1280-)?[^/]+\.jpg$"))
    shared = page.evaluate("url => fetch(url).then(r => [r.status, r.headers.get('content-type')])",
                           og_image.get_attribute("content"))
    assert shared == [200, "image/jpeg"], shared

    # in the lists the same picture is lazy-loaded, with the same alt text
    page.goto(f"http://hai-duong.localhost:{port}/tin-tuc/")
    teaser = page.locator(f"picture:has(img[alt='{ALT}'])").first
    expect(teaser.locator("source[type='image/webp']")).to_have_count(1)
    expect(teaser.locator("img")).to_have_attribute("loading", "lazy")
    expect(teaser.locator("img")).to_have_attribute("srcset", re.compile(rf"/media/{image.id}/"))
    assert not violations, violations  # no script or style refused by the CSP
