"""The shipped country outlines, the Natural Earth projection and the country centroids."""

from __future__ import annotations

import math

import pycountry
import pytest

from viz.geo.centroids import centroids, ring_centroid
from viz.geo.projection import WORLD, Bounds, clip_ring, fit_aspect, natural_earth
from viz.geo.shapes import (
    FIGURE_RESOLUTION,
    MAP_RESOLUTION,
    RESOLUTIONS,
    country_shapes,
    ring_area,
)


def test_the_projection_matches_natural_earth_at_its_landmarks() -> None:
    """The equator spans 0.8707 pi either side (the projection's A0), the poles sit at
    1.4224 (its published height), the map's height over width is about 0.52, and the
    map is symmetric about both axes."""
    assert natural_earth(0, 0) == (0.0, 0.0)
    assert natural_earth(180, 0)[0] == pytest.approx(0.8707 * math.pi)
    assert natural_earth(0, 90)[1] == pytest.approx(1.4224, abs=1e-4)
    x, y = natural_earth(180, 0)[0], natural_earth(0, 90)[1]
    assert y / x == pytest.approx(0.52, abs=0.005)
    ax, ay = natural_earth(13.0, 55.6)
    bx, by = natural_earth(-13.0, -55.6)
    assert (ax, ay) == pytest.approx((-bx, -by))


def test_the_projection_keeps_places_in_order_and_narrows_towards_the_poles() -> None:
    london, berlin, malmo = (natural_earth(*p) for p in ((-0.13, 51.5), (13.4, 52.5), (13.0, 55.6)))
    assert london[0] < berlin[0] and berlin[1] < malmo[1]  # east is right, north is up
    # a degree of longitude is shorter at 60°N than on the equator, unlike Plate carrée
    assert natural_earth(1, 60)[0] < natural_earth(1, 0)[0]


def test_out_of_range_coordinates_are_clamped_to_the_world() -> None:
    assert natural_earth(200, 95) == natural_earth(180, 90)


def test_bounds_pad_to_a_minimum_and_unite() -> None:
    b = Bounds(0, 0, 0.1, 0.05).padded(0.0, minimum=1.0)
    assert (b.width, b.height) == pytest.approx((1.0, 1.0))
    assert b.min_x == pytest.approx(-0.45)
    assert Bounds(0, 0, 1, 1).union(Bounds(2, -1, 3, 0)) == Bounds(0, -1, 3, 1)


@pytest.mark.parametrize("resolution", RESOLUTIONS)
def test_every_outline_is_an_iso_country_within_the_map(resolution: str) -> None:
    shapes = country_shapes(resolution)
    assert {"GB", "DE", "FR", "SE", "US", "RU", "XK"} <= set(shapes)
    for code, shape in shapes.items():
        assert code == "XK" or pycountry.countries.get(alpha_2=code) is not None, code
        for polygon in shape.polygons:
            for ring in polygon:
                assert len(ring) >= 3
                lons = [lon for lon, _ in ring]
                # no ring jumps across the 180th meridian (a line across the world)
                assert min(lons) >= -180 and max(lons) <= 180, code
                assert max(lons) - min(lons) < 180, code
    assert "AQ" not in shapes


def test_the_map_outlines_are_finer_than_the_figures() -> None:
    def points(res: str) -> int:
        return sum(len(r) for s in country_shapes(res).values() for p in s.polygons for r in p)

    assert points(MAP_RESOLUTION) > 3 * points(FIGURE_RESOLUTION)
    with pytest.raises(ValueError, match="resolution must be one of"):
        country_shapes("10m")


def test_ring_centroid_and_area() -> None:
    square = ((0.0, 0.0), (2.0, 0.0), (2.0, 2.0), (0.0, 2.0))
    assert ring_area(square) == pytest.approx(4.0)
    assert ring_centroid(square) == pytest.approx((1.0, 1.0))
    assert ring_centroid(((1.0, 1.0), (1.0, 1.0), (1.0, 1.0))) == (1.0, 1.0)


@pytest.mark.parametrize(
    ("code", "lon", "lat"),
    [
        ("FR", (-5, 8), (42, 51)),  # metropolitan France, not pulled to French Guiana
        ("NO", (5, 31), (58, 71)),  # mainland Norway, not Svalbard
        ("GB", (-6, 2), (50, 58)),  # Great Britain
        ("RU", (30, 140), (45, 75)),  # one Russia, though it crosses the 180th meridian
        ("US", (-125, -67), (25, 49)),  # the 48 states, not Alaska
    ],
)
def test_a_countrys_centroid_is_in_its_mainland(
    code: str, lon: tuple[float, float], lat: tuple[float, float]
) -> None:
    clon, clat = centroids()[code]
    assert lon[0] < clon < lon[1] and lat[0] < clat < lat[1]


def test_world_bounds_hold_every_placed_point() -> None:
    for lon, lat in centroids().values():
        x, y = natural_earth(lon, lat)
        assert WORLD.min_x <= x <= WORLD.max_x and WORLD.min_y <= y <= WORLD.max_y


def test_a_ring_is_cut_to_a_box() -> None:
    box = Bounds(0, 0, 1, 1)
    half_out = [(-1.0, 0.25), (0.5, 0.25), (0.5, 0.75), (-1.0, 0.75)]
    cut = clip_ring(half_out, box)
    assert Bounds.of(cut) == Bounds(0, 0.25, 0.5, 0.75)
    assert ring_area(tuple(cut)) == pytest.approx(0.25)
    assert clip_ring([(2.0, 2.0), (3.0, 2.0), (3.0, 3.0)], box) == []


def test_fit_aspect_widens_a_tall_box_and_heightens_a_flat_one() -> None:
    tall = fit_aspect(Bounds(0, 0, 1, 4), 0.5, 1.0)
    assert (tall.width, tall.height, tall.min_x) == pytest.approx((4.0, 4.0, -1.5))
    flat = fit_aspect(Bounds(0, 0, 4, 1), 0.5, 1.0)
    assert (flat.width, flat.height) == pytest.approx((4.0, 2.0))
    assert fit_aspect(Bounds(0, 0, 2, 1.5), 0.5, 1.0) == Bounds(0, 0, 2, 1.5)
