"""Reads of the directory shared by the locator page, the demo and the bench."""

import math
from dataclasses import dataclass

from django.db.models import F, FloatField, QuerySet, Value
from django.db.models.functions import ASin, Cos, Least, Power, Radians, Sin, Sqrt

from directory.communes import EARTH_RADIUS_KM
from directory.models import Professional

KM_PER_DEGREE = math.pi * EARTH_RADIUS_KM / 180  # along a meridian: 111.2 km


@dataclass(frozen=True)
class Area:
    """Where to look: a postcode and/or some communes (INSEE codes), or the circle of
    `radius_km` around `origin`; `origin` (latitude, longitude) also orders by distance."""

    origin: tuple[float, float] | None = None
    radius_km: float | None = None
    postcode: str = ""
    insee_codes: tuple[str, ...] = ()


def _float(value: float) -> Value:
    return Value(value, output_field=FloatField())


def distance_expression(latitude: float, longitude: float):
    """The haversine distance in km from (latitude, longitude) to each row, in SQL: the same
    functions on PostgreSQL and SQLite (where Django provides them), no PostGIS."""
    phi = Radians(F("latitude"))
    half_dphi = (phi - _float(math.radians(latitude))) / _float(2.0)
    half_dlambda = (Radians(F("longitude")) - _float(math.radians(longitude))) / _float(2.0)
    a = Power(Sin(half_dphi), 2) + _float(math.cos(math.radians(latitude))) * Cos(phi) * Power(
        Sin(half_dlambda), 2
    )
    return _float(2 * EARTH_RADIUS_KM) * ASin(Sqrt(Least(a, _float(1.0))))


def bounding_box(latitude: float, longitude: float, radius_km: float) -> dict:
    """Filters keeping the rows in the latitude/longitude rectangle around the circle: what
    the (specialty, latitude, longitude) index answers before any distance is computed."""
    dlat = radius_km / KM_PER_DEGREE
    cos_lat = math.cos(math.radians(min(89.0, abs(latitude) + dlat)))
    dlon = min(180.0, radius_km / (KM_PER_DEGREE * max(cos_lat, 1e-6)))
    return {
        "latitude__gte": latitude - dlat,
        "latitude__lte": latitude + dlat,
        "longitude__gte": longitude - dlon,
        "longitude__lte": longitude + dlon,
    }


def professionals_in(area: Area, *, specialty: str, tiers_payant_only: bool = False) -> QuerySet:
    """The visible professionals of `specialty` in `area`: nearest first (with `distance_km`)
    when the area has an origin, by name otherwise."""
    found = Professional.objects.filter(active=True, specialty=specialty)
    if tiers_payant_only:
        found = found.filter(tiers_payant=True)
    if area.postcode:
        found = found.filter(postcode=area.postcode)
    if area.insee_codes:
        found = found.filter(insee_code__in=area.insee_codes)
    if area.origin is None:
        return found.order_by("name", "pk")
    latitude, longitude = area.origin
    if area.radius_km is not None:
        found = found.filter(**bounding_box(latitude, longitude, area.radius_km))
    found = found.annotate(distance_km=distance_expression(latitude, longitude))
    if area.radius_km is not None:
        found = found.filter(distance_km__lte=area.radius_km)
    return found.order_by("distance_km", "name", "pk")
