"""Binary targets: which columns are two-valued, which label is 1, and the binary sample."""

import numpy as np
import pandas as pd
import pytest

from regcore.data import DataError, make_design, read_csv, target_problems, usable_targets
from regcore.data.binary import binary_target, encode_binary
from regcore.datasets import CHURN_COEF, CHURN_INTERCEPT, make_churn, sample_bytes, sample_info


@pytest.mark.parametrize(
    ("values", "labels"),
    [
        ([0, 1, 1, 0], ("0", "1")),
        ([0.0, 1.0, np.nan, 1.0], ("0", "1")),
        ([1, 2, 2, 1], ("1", "2")),  # two numbers: the larger is 1, as classes_[1]
        ([-1, 1, 1], ("-1", "1")),
        ([True, False, True], ("False", "True")),
        (["yes", "no", "yes"], ("no", "yes")),
        (["Yes", "no", None, "no"], ("no", "Yes")),  # case puts "Yes" first: still the 1
        (["FALSE", "TRUE"], ("FALSE", "TRUE")),
        (["positive", "negative"], ("negative", "positive")),
        (["b", "a", "b"], ("a", "b")),  # two neutral labels: the second sorted
        (["ham", "spam"], ("ham", "spam")),
    ],
)
def test_two_valued_columns_are_binary_with_the_positive_label_second(values, labels):
    found = binary_target(pd.Series(values))
    assert found is not None and found.labels == labels
    assert found.positive == labels[1]


@pytest.mark.parametrize(
    "values",
    [
        ["a", "b", "c"],
        [0, 1, 2],
        ["yes", None, "yes"],
        [np.nan, np.nan],
        list(pd.date_range("2020-01-01", periods=2)) * 2,
    ],
)
def test_one_or_three_values_or_dates_are_not_binary(values):
    assert binary_target(pd.Series(values)) is None


def test_text_labels_are_coded_0_1_with_missing_left_missing():
    series = pd.Series(["Yes", "no", None, "Yes"], dtype="str")
    target = binary_target(series)
    codes = encode_binary(series, target)
    np.testing.assert_array_equal(codes[[0, 1, 3]], [1.0, 0.0, 1.0])
    assert np.isnan(codes[2])
    np.testing.assert_array_equal(target.codes([1.0, 0.0]), [1.0, 0.0])


def test_numeric_two_values_keep_their_numbers_and_code_the_larger_as_1():
    target = binary_target(pd.Series([1, 2, 2]))
    assert target.values == (1.0, 2.0)
    np.testing.assert_array_equal(target.codes([2.0, 1.0, 2.0]), [1.0, 0.0, 1.0])


def frame(n=40, seed=3):
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "x": rng.normal(size=n),
            "colour": pd.Series(rng.choice(["red", "green", "blue"], n), dtype="str"),
            "answer": pd.Series(rng.choice(["approved", "denied"], n), dtype="str"),
        }
    )


def test_a_two_label_text_column_is_a_usable_target_and_three_labels_are_not():
    df = frame()
    assert usable_targets(df) == ["x", "answer"]
    problems = target_problems(df)
    assert set(problems) == {"colour"} and "more than two labels" in problems["colour"]


def test_a_two_label_target_gives_a_0_1_design_that_names_the_label_that_is_1():
    df = frame()
    design = make_design(df, "answer")
    assert design.binary is not None and design.binary.positive == "denied"
    assert set(np.unique(design.y_train)) == {0.0, 1.0}
    rows = np.concatenate([design.train_rows, design.test_rows])
    y = np.concatenate([design.y_train, design.y_test])
    np.testing.assert_array_equal(y, (df["answer"].iloc[rows] == "denied").to_numpy(float))
    assert any("'denied' is 1" in line for line in design.lines)
    assert make_design(df, "x").binary is None


def test_a_binary_target_with_missing_labels_drops_those_rows():
    df = frame()
    df.loc[[0, 5], "answer"] = None
    design = make_design(df, "answer")
    assert design.n_train + design.n_test == len(df) - 2
    assert any("2 rows with a missing target" in line for line in design.lines)


def test_three_label_text_target_is_refused_with_a_plain_reason():
    with pytest.raises(DataError, match="more than two labels"):
        make_design(frame(), "colour")


def test_the_churn_sample_follows_its_stated_logistic_truth():
    info = sample_info("Churn (binary)")
    assert info.target == "churn" and sorted(info.true_nonzero) == sorted(CHURN_COEF)
    assert len(info.true_nonzero) == 5 and len(info.true_coef) == 19
    df = make_churn()
    assert df.shape == (600, 21) and set(df["churn"]) == {"yes", "no"}
    assert df["plan"].nunique() == 3
    # the stated logits explain the labels better than chance: mean log-likelihood per row
    logits = CHURN_INTERCEPT + sum(b * df[name] for name, b in CHURN_COEF.items())
    p = 1 / (1 + np.exp(-logits))
    y = (df["churn"] == "yes").to_numpy(float)
    loglik = np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    assert loglik > np.log(0.5) + 0.15
    assert make_churn().equals(df)  # seeded


def test_the_churn_sample_reads_as_a_binary_target_through_the_reader():
    table, report = read_csv(sample_bytes("Churn (binary)"))
    assert report.column_kinds["churn"] == "boolean"  # yes/no read as 1/0
    design = make_design(table, "churn")
    assert design.binary is not None and design.binary.values == (0.0, 1.0)
    assert "plan=plus" in design.feature_names
