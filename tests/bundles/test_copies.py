"""The signed copies as the bundle reads them (registry/bundles/copies.py): plain values that say what the
conventions' entities say, the lifecycle rules applied to them as to a Convention."""

from datetime import date

import pytest

from registry.bundles.copies import load_signed_copies
from registry.bundles.scope import BundleScope, CommandLine
from registry.extensions import db


@pytest.mark.parametrize("at", [date(2026, 1, 1), date(2026, 8, 31), date(2026, 9, 1), date(2026, 12, 2),
                                date(2027, 1, 1), date(2031, 6, 1), date(2040, 1, 1)])
def test_each_copy_says_what_its_convention_says_on_any_day(world, at):
    copies = {copy.reference: copy for copy in load_signed_copies(BundleScope.of(region="27"), CommandLine())}
    assert {world.main.reference, world.avenant.reference, world.ended.reference} <= set(copies)
    for convention in (world.main, world.avenant, world.ended):
        db.session.refresh(convention)
        copy = copies[convention.reference]
        assert (copy.kind, copy.state_on(at), copy.end_on(at)) == (
            convention.kind, convention.state_on(at), convention.end_on(at))
        assert copy.parent_reference == (convention.parent.reference if convention.parent else None)
        assert copy.hospital_name == convention.hospital.name
        assert [(party.role, party.name, party.finess_et) for party in copy.parties] == [
            (party.role, party.organisation.display_name, party.organisation.finess_et)
            for party in convention.parties]
        assert [party.name for party in copy.partners] == [
            party.organisation.display_name for party in convention.partners]


def test_the_parties_of_each_batch_cost_one_query(world, count_queries, monkeypatch):
    monkeypatch.setattr("registry.bundles.copies.BATCH", 1)
    with count_queries() as queries:
        copies = list(load_signed_copies(BundleScope.of(region="27"), CommandLine()))
    assert len(queries) == 1 + len(copies)  # the rows, then the parties of each batch of one
