"""Sample generator: the vectorized point-in-ring test agrees with the plain one, and the national
benchmark shape covers every municipality with distinct folders and plausible sizes."""

import random
from pathlib import Path

import pytest

from pipeline.sample import national
from pipeline.sample.generate import generate
from pipeline.sample.geo import Sampler, _inside, _polygons, _Ring

CODES = Path(__file__).resolve().parents[3] / "shared" / "data" / "codes"


@pytest.mark.parametrize("code", ["352021", "352152", "353434", "350001"])
def test_vectorized_ring_test_matches_the_plain_one(code: str) -> None:
    rng = random.Random(code)
    rings = _polygons(code)
    boxes = [_Ring(r) for r in rings]
    inside = 0
    for _ in range(3000):
        ring_index = rng.randrange(len(rings))
        x0, y0, x1, y1 = boxes[ring_index].box
        x, y = rng.uniform(x0 - 0.01, x1 + 0.01), rng.uniform(y0 - 0.01, y1 + 0.01)
        expected = _inside((x, y), rings[ring_index])
        assert boxes[ring_index].contains(x, y) == expected, (code, x, y)
        inside += expected
    assert 0 < inside < 3000  # both answers occur


def test_points_of_a_body_elsewhere_fall_inside_a_borrowed_outline() -> None:
    sampler = Sampler("011002", ("札幌市中央",), random.Random(1))
    assert sampler.rings, "a body outside Yamaguchi borrows an outline"
    for _ in range(200):
        lat, lon, town, _address = sampler.point()
        assert 33.5 < lat < 35 and 130.5 < lon < 132.5 and town == "札幌市中央"


@pytest.mark.skipif(not CODES.is_dir(), reason="national code lists not present (../shared/data/codes)")
def test_national_shape_lists_every_municipality_once() -> None:
    bodies = national.bodies(CODES)
    assert len(bodies) == 1741
    assert len({b.code for b in bodies}) == 1741
    assert all(len(b.code) == 6 and b.slug for b in bodies)
    assert abs(sum(b.population for b in bodies) - national.JAPAN_POPULATION) < 10_000
    assert len(national.select(bodies, 0.1)) == 175
    tables = generate(bodies[0].code, [2024], scale=0.05, profile=national.profile(bodies[0]))
    assert len(tables.cases) > 0 and set(tables.cases["town"]) <= set(national.profile(bodies[0]).towns)
