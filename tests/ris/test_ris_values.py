"""RIS value codecs: names as the databases write them.

``name_from_ris`` reads the common "Family, Given" and particle names without the
general parser; these cases must come out exactly as ``core.names.parse_name`` reads them.
"""

from __future__ import annotations

import pytest

from refconv.converters.core import names
from refconv.converters.ris import values


@pytest.mark.parametrize(
    "value",
    [
        "van der Berg, Jan",
        "de la Cruz, María José",
        "von Neumann, John",
        "van Gogh, Vincent",
        "van Berg, Jr.",
        "van Group, Jan",
        "van 2Berg, Jan",
        "van Mu\u0308ller, Jan",
        "De Luca, Giulia",
        "van der Berg, Jan, III",
        "d' Alembert, Jean",
    ],
)
def test_particle_names_as_parse_name(value: str) -> None:
    assert values.name_from_ris(value) == names.parse_name(value)
