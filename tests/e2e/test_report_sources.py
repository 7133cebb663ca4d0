"""/report answers which sources bring seekers who are met, and where workers are short:
the funnel by source in the summary and the CSV, and the chart of seekers by area and week."""

import csv
import io
import struct

from tests.e2e.conftest import Team
from tests.e2e.scenarios import accepted_and_met, enter_contact, kyiv_areas


async def test_report_shows_the_funnel_by_source_and_the_area_chart(team: Team) -> None:
    await kyiv_areas(team)
    _anna, oper = await accepted_and_met(team)  # Maria and Lena, "Instagram ad", Podil
    await enter_contact(oper, "Ira Sokol", "+380441234569", "Obolon", source="street event")
    seq = team.fake.seq
    await team.admin.send("/report 7")
    summary = await team.admin.wait_reply(contains="Report", after=seq)
    assert "By source" in summary.text
    assert "Instagram ad: 2 new → 1 dispatched → 1 reached → 1 met (50% met)" in summary.text
    assert "street event: 1 new → 0 dispatched → 0 reached → 0 met (0% met)" in summary.text
    photos = []
    while len(photos) < 2:
        photos.append(await team.fake.wait_for(
            team.admin.id, lambda m: m.kind == "photo" and m not in photos, after=seq))
    areas = photos[1]
    assert areas.photo[:4] == b"\x89PNG"
    assert struct.unpack(">II", areas.photo[16:24]) == (900, 1500)
    doc = await team.fake.wait_for(team.admin.id, lambda m: m.kind == "document", after=seq)
    rows = list(csv.DictReader(io.StringIO(doc.document_bytes.decode("utf-8-sig"))))
    assert {"section": "source", "who": "Instagram ad", "metric": "met", "value": "1"} in rows
    assert {"section": "source", "who": "Instagram ad", "metric": "met_share", "value": "0.5"} in rows
    assert {"section": "area_week", "who": "podil", "metric": "2026-11-23", "value": "2"} in rows
    assert {"section": "area_week", "who": "obolon", "metric": "2026-11-23", "value": "1"} in rows
    # Anna (Podil, capacity 5 by default) holds Maria
    assert {"section": "area_free_capacity", "who": "podil", "metric": "free_capacity",
            "value": "4"} in rows
