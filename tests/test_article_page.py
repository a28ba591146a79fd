"""The article page through AppTest: every section on every sample, links, and the numbers
it shows against regcore.article computed directly."""

from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import show
from regcore.article import overfitting
from regcore.datasets import sample_names

APP = str(Path(__file__).resolve().parents[1] / "app.py")
SECTIONS = (
    "0. Norms: how big is w?",
    "1–2. The model ŷ = wx + b and the losses L, L1, L2",
    "3. Gradient descent: the updates",
    "4. How is overfitting prevented? Intuitions A–D",
    "5. Near 0: the L1 subgradient step jitters, the proximal step lands on 0",
    "6. L1 removes features; L2 brings weights close to 0, not to 0",
    "7. Two weights: the L1 diamond and the L2 disc",
)


def article(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update(query)
    at.run()
    return at.switch_page("app_pages/descent.py").run()


def texts(at: AppTest) -> list[str]:
    return [show.unliteral(m.value) for m in at.markdown]


def assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


@pytest.mark.parametrize("sample", sample_names())
def test_every_section_runs_on_every_sample(sample):
    at = article(sample=sample)
    assert_clean(at)
    assert [h.value for h in at.header] == list(SECTIONS)
    assert len(at.get("vega_lite_chart")) >= 9
    lines = texts(at)
    assert any(t.startswith("**L1 proximal") for t in lines)
    assert any("**Look at** the terms written 0·name" in t for t in lines)
    assert any(t.startswith("- **A. Shift away") for t in lines)


def test_the_three_forms_show_the_articles_equation_numbers():
    at = article()
    assert_clean(at)
    numbers = {
        str(v)
        for frame in at.dataframe
        for v in frame.value.get("eq.", [])
        if frame.value is not None
    }
    assert {"0", "2", "4"} <= numbers
    assert numbers & {"1.1", "1.2"} and numbers & {"3.1", "3.2"}


def test_the_overfitting_metrics_are_regcores_numbers_at_the_chosen_lambda():
    at = article(of_penalty="L2 (ridge)", of_degree="10", of_seed="2")
    assert_clean(at)
    example = overfitting.make_example(seed=2, degree=10)
    s = overfitting.sweep(example, "ridge", overfitting.lambda_grid(example))
    shown = {m.label: m.value for m in at.metric}
    assert shown["test error at this λ"] == f"{s.test_mse[s.best_index]:.3g}"
    assert shown["train error at this λ"] == f"{s.train_mse[s.best_index]:.3g}"
    # moving λ to its smallest value: the training error falls, the test error rises
    at.select_slider(key="of_lam").set_value(f"{s.lambdas[-1]:.3g}").run()
    assert_clean(at)
    after = {m.label: m.value for m in at.metric}
    assert float(after["train error at this λ"]) < float(shown["train error at this λ"])
    assert float(after["test error at this λ"]) > float(shown["test error at this λ"])


def test_a_link_restores_the_articles_settings():
    at = article(norm_p="∞", gd_eta="0.1", gd_lam_ratio="0.5", of_penalty="L2 (ridge)")
    assert_clean(at)
    assert at.select_slider(key="norm_p").value == "∞"
    assert at.select_slider(key="gd_eta").value == 0.1
    assert at.slider(key="gd_lam_ratio").value == 0.5
    assert at.radio(key="of_penalty").value == "L2 (ridge)"
    norms = next(f.value for f in at.dataframe if "norm" in f.value.columns)
    assert norms["value"].iloc[2] == pytest.approx(0.8)  # ‖(0.6, −0.8)‖∞


def test_the_default_diamond_budget_lands_on_a_corner():
    at = article()
    assert_clean(at)
    lines = texts(at)
    assert any("weight exactly to 0: a corner of the diamond" in t for t in lines)
    optima = next(f.value for f in at.dataframe if "optimum" in f.value.columns)
    l1 = optima[optima["optimum"].str.startswith("L1")].iloc[0]
    assert (np.array([l1["w1"], l1["w2"]]) == 0.0).sum() == 1


def test_a_large_learning_rate_names_the_bias_not_the_weight():
    at = article(gd_eta="1.2")
    assert_clean(at)
    warning = " ".join(show.unliteral(w.value) for w in at.warning)
    assert "η = 1.2 is too large" in warning
    assert "bias b" in warning
