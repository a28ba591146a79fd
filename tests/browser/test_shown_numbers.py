"""The browser tests' reading of numbers as the page shows them (no browser needed)."""

import pytest
from st_driver import count_of, shown_matches


@pytest.mark.parametrize(
    ("shown", "value", "matches"),
    [
        ("2.36", 2.3604, True),
        ("2.36", 2.3549, False),
        ("2.36", 2.366, False),
        ("7836", 7836.4, True),
        ("7836", 7836.6, False),
        ("1.235e+04", 12346.0, True),
        ("1.235e+04", 12356.0, False),
        ("0.0004162", 0.00041624, True),
        ("-0.070", -0.0704, True),
        ("−0.070", -0.0696, True),
        ("0", 0.0, True),
        ("0", 0.6, False),
    ],
)
def test_a_value_matches_what_is_shown_to_the_shown_precision(shown, value, matches):
    assert shown_matches(shown, value) is matches


def test_counts_are_read_as_k_of_p():
    assert count_of("12 of 20") == (12, 20)
    with pytest.raises(AssertionError):
        count_of("12/20")
