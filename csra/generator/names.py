"""Word lists for readable, deterministic names, e-mail addresses and comments."""

from __future__ import annotations

import numpy as np

NAME_PREFIXES = (
    "Acme", "Apex", "Aurora", "Beacon", "Birch", "Blue Harbor", "Bright", "Cascade", "Cedar",
    "Clearwater", "Cobalt", "Copper", "Crescent", "Delta", "Ember", "Evergreen", "Falcon",
    "Fieldstone", "Granite", "Greenleaf", "Harbor", "Helix", "Horizon", "Iron Bridge", "Juniper",
    "Keystone", "Lakeside", "Lumen", "Maple", "Meridian", "Momentum", "Northwind", "Nova", "Oak",
    "Orbit", "Pinnacle", "Polar", "Prairie", "Quantum", "Redwood", "Ridge", "River", "Sable",
    "Sierra", "Silverline", "Spruce", "Summit", "Sunrise", "Tidal", "Trident", "Union", "Vantage",
    "Vertex", "Westbrook", "Willow", "Zenith",
)
NAME_SUFFIXES = (
    "Analytics", "Bio", "Capital", "Cloud", "Consulting", "Data", "Dynamics", "Energy",
    "Foods", "Freight", "Health", "Holdings", "Industries", "Insurance", "Labs", "Learning",
    "Logistics", "Manufacturing", "Media", "Medical", "Mobility", "Networks", "Partners",
    "Pharma", "Retail", "Robotics", "Security", "Software", "Solutions", "Systems",
    "Technologies", "Travel",
)
LEGAL_FORMS = {"na": "Inc.", "emea": "Ltd", "apac": "Pty Ltd", "latam": "S.A."}
DOMAINS = {"na": ".com", "emea": ".eu", "apac": ".com.au", "latam": ".com.br"}
INDUSTRIES = (
    "software", "financial services", "healthcare", "manufacturing", "retail", "education",
    "logistics", "media", "professional services", "energy", "telecommunications", "nonprofit",
)
FIRST_NAMES = (
    "Alex", "Amara", "Ana", "Ben", "Carlos", "Chen", "Chloe", "Daniel", "Elena", "Emma", "Farah",
    "Felix", "Grace", "Hana", "Hugo", "Isabel", "Ivan", "Jada", "James", "Julia", "Kai", "Laura",
    "Leo", "Lina", "Lucas", "Maya", "Mateo", "Mia", "Nadia", "Noah", "Olivia", "Omar", "Priya",
    "Rafael", "Rosa", "Sam", "Sara", "Sofia", "Tariq", "Theo", "Uma", "Victor", "Wei", "Yara",
    "Yusuf", "Zoe",
)
LAST_NAMES = (
    "Adams", "Ahmed", "Alvarez", "Baker", "Bauer", "Brown", "Chen", "Costa", "Dubois", "Evans",
    "Fischer", "Garcia", "Gupta", "Hansen", "Hughes", "Ito", "Jensen", "Kim", "Kowalski", "Lee",
    "Lopez", "Martin", "Meyer", "Moreau", "Murphy", "Nguyen", "Novak", "Okafor", "Patel", "Perez",
    "Rossi", "Santos", "Schmidt", "Silva", "Singh", "Smith", "Tanaka", "Taylor", "Walsh", "Wang",
    "Weber", "Williams", "Wilson", "Yamamoto", "Zhang",
)
COMMENTS_POSITIVE = (
    "Great product, the team loves it.",
    "Onboarding was smooth and quick.",
    "Our CSM is super responsive.",
    "Saves us hours every week.",
    "Reporting is exactly what we needed.",
    "Support solved it the same day.",
)
COMMENTS_NEUTRAL = (
    "Does the job.",
    "Good overall, a few rough edges.",
    "Would like more integrations.",
    "Pricing is a bit high for what we use.",
    "OK, but the learning curve is steep.",
)
COMMENTS_NEGATIVE = (
    "Too slow and buggy lately.",
    "We barely use it anymore.",
    "Support took days to answer.",
    "Missing key features we were promised.",
    "Hard to justify the cost.",
    "Looking at alternatives.",
)


def slug(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def account_names(codes: np.ndarray, regions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Unique account names and their e-mail domains from unique integer codes."""
    from csra.generator.config import REGIONS

    n_pre, n_suf = len(NAME_PREFIXES), len(NAME_SUFFIXES)
    names = np.empty(len(codes), dtype=object)
    domains = np.empty(len(codes), dtype=object)
    for i, (code, region) in enumerate(zip(codes.tolist(), regions.tolist(), strict=True)):
        prefix = NAME_PREFIXES[code % n_pre]
        suffix = NAME_SUFFIXES[(code // n_pre) % n_suf]
        copy = code // (n_pre * n_suf)
        region_key = REGIONS[region]
        numbered = f" {copy + 1}" if copy else ""
        names[i] = f"{prefix} {suffix}{numbered} {LEGAL_FORMS[region_key]}"
        domains[i] = f"{slug(prefix + suffix)}{copy + 1 if copy else ''}{DOMAINS[region_key]}"
    return names, domains


def person_names(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    first = np.array(FIRST_NAMES, dtype=object)[rng.integers(0, len(FIRST_NAMES), n)]
    last = np.array(LAST_NAMES, dtype=object)[rng.integers(0, len(LAST_NAMES), n)]
    return first, last
