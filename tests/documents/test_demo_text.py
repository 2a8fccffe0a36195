"""The demo's documents carry real PDFs whose text is read by the extraction task: a search without accents
finds them by words only their file contains, on Hải Dương's and Vĩnh Phúc's sites."""

import time

import pytest
import sqlalchemy as sa

from app.core.vntext import fold
from app.demo.directory import BODIES, DOCUMENTS
from app.demo.loader import load_demo
from app.demo.pdf import vietnamese_font
from app.documents.models import Document
from app.extensions import db
from tenants.scoping import all_tenants
from tests.conftest import SERVICES


def statuses() -> dict[str, str]:
    with all_tenants("test: demo document text"):
        return {f"{d.tenant_id}:{d.number}": d.text_status for d in db.session.scalars(sa.select(Document))}


@pytest.mark.timeout(600)
def test_demo_documents_are_found_by_the_text_of_their_pdf(app, browser, request):
    if vietnamese_font() is None:
        pytest.skip("no TTF font with Vietnamese glyphs: the demo keeps its plain PDFs")
    worker = request.getfixturevalue("live_worker") if SERVICES else None
    load_demo()
    deadline = time.time() + 120
    while "pending" in statuses().values():
        if time.time() > deadline:
            pytest.fail("demo document text not read:\n" + (worker.log_path.read_text()[-3000:] if worker else ""))
        time.sleep(0.5)
        db.session.expire_all()
    assert set(statuses().values()) == {"ok"}
    load_demo()  # run twice, as CI does: nothing is stored or read again
    assert set(statuses().values()) == {"ok"}

    decision = next(d for d in DOCUMENTS["hai-duong"] if d["number"] == "308/QĐ-UBND")
    assert "nghi dinh" not in fold(decision["title"] + " " + decision["summary"])  # only its PDF says it
    assert any("Nghị định số 80/2020/NĐ-CP" in line for line in BODIES["308/QĐ-UBND"])
    for host, number in (("hai-duong.localhost:5000", "308/QĐ-UBND"), ("vinh-phuc.localhost:5000", "12-CT/TW")):
        page = browser.get("/tim-kiem", host=host, query_string={"q": "nghi dinh 80"}).get_data(as_text=True)
        assert number in page and "<mark>Nghị</mark> <mark>định</mark> số <mark>80</mark>" in page, host
