"""Exchange rates: the national form and an all-or-nothing CSV import with Vietnamese row errors."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import sqlalchemy as sa

from app.aid import imports
from app.aid.models import ExchangeRate
from app.extensions import db


def rates():
    db.session.expire_all()
    return {(r.currency, r.valid_on): r.vnd_per_unit for r in db.session.scalars(sa.select(ExchangeRate))}


GOOD = b"currency,date,vnd_per_unit,source\nUSD,01/01/2024,24500,NHNN\nKRW,2024-01-01,18.25,\n"
BAD = (b"currency,date,vnd_per_unit,source\nUSD,01/01/2024,24500,NHNN\nGBP,31/02/2024,abc,\n"
       b"EUR,01/01/2024,-1,\nUSD,01/01/2024,24600,\n")


def test_parse_reports_every_bad_row_in_vietnamese():
    rows, errors = imports.parse_rates_csv(BAD)
    assert [r.currency for r in rows] == ["USD"]
    messages = [e.message for e in errors]
    assert messages[0].startswith("Dòng 3: mã tiền tệ «GBP» không hợp lệ")
    assert "ngày «31/02/2024» không đúng dạng dd/mm/yyyy" in messages[0]
    assert "tỷ giá «abc» phải là số dương" in messages[0]
    assert messages[1].startswith("Dòng 4: tỷ giá «-1»")
    assert messages[2] == "Dòng 5: trùng với dòng 2 (cùng tiền tệ và ngày)."


def test_import_is_all_or_nothing(app):
    try:
        imports.import_rates(BAD)
    except imports.ImportRejected as rejected:
        assert len(rejected.errors) == 3
    db.session.rollback()
    assert rates() == {}
    assert imports.import_rates(GOOD) == 2
    db.session.commit()
    assert rates() == {("USD", date(2024, 1, 1)): Decimal("24500"), ("KRW", date(2024, 1, 1)): Decimal("18.25")}


def test_rates_pages_by_role(browser, make_user, national):
    make_user("viewer@vufo.vn", national_role="national_viewer")
    browser.login("viewer@vufo.vn")
    assert browser.get("/national/aid/rates").status_code == 200
    assert browser.post("/national/aid/rates", {"currency": "USD", "valid_on": "2024-01-01", "vnd_per_unit": "1"},
                        token_from="/national/aid/rates").status_code == 403


def test_rate_form_and_csv_upload(browser, make_user, national):
    make_user("root@vufo.vn", national_role="platform_admin")
    browser.login("root@vufo.vn")
    saved = browser.post("/national/aid/rates", {"currency": "EUR", "valid_on": "2024-01-01",
                                                 "vnd_per_unit": "26500.75", "source": "NHNN"},
                         token_from="/national/aid/rates")
    assert saved.status_code == 302
    assert rates() == {("EUR", date(2024, 1, 1)): Decimal("26500.75")}
    bad_form = browser.post("/national/aid/rates", {"currency": "EUR", "valid_on": "2024-01-02", "vnd_per_unit": "1,5"},
                            token_from="/national/aid/rates")
    assert bad_form.status_code == 400
    rejected = browser.post("/national/aid/rates/import", {"file": (BytesIO(BAD), "rates.csv")},
                            token_from="/national/aid/rates", content_type="multipart/form-data")
    body = rejected.get_data(as_text=True)
    assert rejected.status_code == 400 and "Dòng 3:" in body and "Không nhập dữ liệu nào" in body
    assert len(rates()) == 1
    accepted = browser.post("/national/aid/rates/import", {"file": (BytesIO(GOOD), "rates.csv")},
                            token_from="/national/aid/rates", content_type="multipart/form-data")
    assert accepted.status_code == 302 and len(rates()) == 3
    garbage = browser.post("/national/aid/rates/import", {"file": (BytesIO(b"\xff\xfe\x00x"), "r.csv")},
                           token_from="/national/aid/rates", content_type="multipart/form-data")
    assert garbage.status_code == 400 and "UTF-8" in garbage.get_data(as_text=True)
