"""The article page: "Intuitions on L1 and L2 Regularisation", section by section, live.

Layout only: every number comes from ``regcore.article`` through the cached views of
``dashboard.article``; charts from ``regcore.charts.article`` and ``regcore.charts.descent``.
Every setting is bound to a query parameter (prefixes ``norm_``, ``gd_``, ``of_``, ``sp_``).
"""

import time

import numpy as np
import streamlit as st

from app_pages import _classify
from dashboard import article, loaders, show
from regcore.article.updates import RULES
from regcore.charts import article as article_charts
from regcore.charts import descent as descent_charts
from regcore.data import DataError

ETA_CHOICES = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9, 1.0, 1.05, 1.2]
P_CHOICES = {"0.5": 0.5, "0.75": 0.75, "1": 1.0, "1.5": 1.5, "2": 2.0, "3": 3.0, "4": 4.0}
P_CHOICES |= {"8": 8.0, "∞": float("inf")}
PLAY_FRAMES = 40
PLAY_PAUSE_SECONDS = 0.05
MAX_WEIGHT_ROWS = 40
CV_FOLDS = 5
FORM_TITLES = {
    "with η": "With the learning rate η",
    "η = 1": "With η = 1 and H = {H}",
    "rearranged": "Rearranged: what the penalty adds to w − H",
}
#: the article's H for each error: the squared error's, and the log-loss's (p = σ(wx + b))
H_OF = {"squared": "2x(wx + b − y)", "logistic": "(p − y)·x"}
RULE_NAMES = {"plain": "L (no penalty)", "l1": "L1", "l2": "L2"}


def square(build, what: str) -> None:
    """A square (w1, w2) picture at its own size: stretching it would make a disc an ellipse."""
    try:
        chart = build()
    except ValueError as exc:
        show.error(f"The {what} could not be drawn: {exc}")
        return
    st.altair_chart(chart, width="content")


loaded = loaders.load_or_stop()
digest, design_key = article.key(loaded)
data = loaded.source.data
lesson = article.lesson(digest, design_key, data)
names = lesson.names
# a two-valued target fitted by the logistic family: the lesson descends its log-loss
error = "logistic" if loaded.settings.family == "logistic" else "squared"
H_TEXT = H_OF[error]

st.title("L1 and L2 regularisation, step by step")
st.write(
    "A model that fits its training rows too closely (it *overfits*) predicts new rows badly. "
    "Regularisation adds a penalty on the size of the weights to what the model minimises. "
    "This page follows the article *Intuitions on L1 and L2 Regularisation* in its order: norms, "
    "the model and its losses, the gradient-descent updates in the article's three forms, why a "
    "penalty prevents overfitting (intuitions A–D), and why L1 sets weights to exactly 0 while "
    "L2 only brings them close."
)

# ---------------------------------------------------------------- 0. norms
st.header("0. Norms: how big is w?")
st.write(
    "L1 and L2 take their names from the 1-norm ‖w‖₁ = Σ|wⱼ| and the 2-norm ‖w‖₂ = (Σwⱼ²)^½; "
    "the p-norm is ‖w‖ₚ = (Σ|wⱼ|ᵖ)^(1/p). **Look at** the outline of all points of size 1: a "
    "diamond for p = 1 (with corners on the axes), a circle for p = 2, a square for p = ∞."
)
c1, c2, c3 = st.columns(3)
p_text = c1.select_slider("p", list(P_CHOICES), value="1.5", key="norm_p", bind="query-params")
w1 = c2.slider("w₁", -2.0, 2.0, 0.6, 0.1, key="norm_w1", bind="query-params")
w2 = c3.slider("w₂", -2.0, 2.0, -0.8, 0.1, key="norm_w2", bind="query-params")
balls, norm_table = article.norms_view(P_CHOICES[p_text], float(w1), float(w2))
left, right = st.columns([3, 2])
with left:
    square(lambda: article_charts.unit_balls_chart(balls, point=(w1, w2)), "unit balls")
with right:
    st.dataframe(norm_table, hide_index=True)
    st.caption(
        "The point w lies on the outline of its own size ‖w‖ₚ. For p < 1 the formula still "
        "measures size but is not a norm: its ball is not convex. L1 regularisation adds "
        "λ‖w‖₁; L2 adds λ‖w‖₂², the square without the root."
    )

# ---------------------------------------------------------------- 1–2. the model and losses
st.header("1–2. The model ŷ = wx + b and the losses L, L1, L2")
rows_used = f" (a sample of {len(lesson.y)} of them)" if lesson.sampled else ""
if error == "logistic":
    zero, one = _classify.labels_of(loaded)
    st.write(
        "With one feature x the model is ŷ = wx + b (w the weight, b the bias). This target has "
        f"two values ({show.literal(repr(one))} is 1, {show.literal(repr(zero))} is 0) and its "
        "model is logistic: p = 1/(1 + e^−(wx + b)) is the predicted probability of 1, and the "
        "loss L is the log-loss −y·log p − (1 − y)·log(1 − p), averaged over the training rows"
        + rows_used
        + ". L1 = L + λ|w| and L2 = L + λw², with λ > 0 chosen by hand. Features are "
        "standardised (mean 0, standard deviation 1) so that η and λ mean the same on every "
        "data set."
    )
else:
    st.write(
        "With one feature x the model is ŷ = wx + b (w the weight, b the bias). Its loss L is "
        "the squared error (wx + b − y)², averaged here over the training rows"
        + rows_used
        + ". L1 = L + λ|w| and L2 = L + λw², with λ > 0 chosen by hand. Features and target are "
        "standardised (mean 0, standard deviation 1) so that η and λ mean the same on every "
        "data set."
    )
c1, c2 = st.columns(2)
feature = c1.selectbox("Feature x", names, key="gd_feature", bind="query-params")
ratio = c2.slider(
    "λ, as a multiple of λ_max",
    0.0,
    2.0,
    1.2,
    0.05,
    key="gd_lam_ratio",
    bind="query-params",
    help="λ_max is the smallest λ at which L1's best w is exactly 0: there the penalty's "
    "pull λ is as strong as the data's pull |H| at w = 0.",
)
eta_col, steps_col = st.columns(2)
eta = eta_col.select_slider(
    "Learning rate η",
    ETA_CHOICES,
    value=0.05 if error == "squared" else 0.5,  # the log-loss curves 8× less: larger steps
    key="gd_eta",
    bind="query-params",
)
steps = steps_col.slider("Steps", 10, 1000, 200, 10, key="gd_steps", bind="query-params")
run = article.one_feature(
    digest, design_key, feature, float(ratio), float(eta), int(steps), data, error
)
st.caption(
    f"λ = {run.lam:.4g} = {ratio:g} × λ_max, λ_max = {run.lam_max:.4g}: below λ_max the penalty "
    "shrinks L1's best w, at and above it L1's best w is exactly 0."
)
curves, subgradients = article.loss_curves(digest, design_key, feature, run.lam, data, error)
st.write(
    "**Look at** where each curve is lowest: L2's minimum moves towards 0, L1's has a corner "
    "at w = 0 and, for λ ≥ λ_max, sits exactly on it."
)
left, right = st.columns([3, 2])
with left:
    show.chart(lambda: article_charts.loss_curves_chart(curves), "loss chart")
with right:
    show.chart(lambda: article_charts.subgradient_chart(subgradients), "|w| chart")
    st.caption(
        "|w| has no slope at w = 0: every line g·w with g between −1 and 1 touches it there "
        "from below (a *subgradient*). Away from 0 its slope is sign(w); the updates use sign(0) = 0."
    )

# ---------------------------------------------------------------- 3. gradient descent
st.header("3. Gradient descent: the updates")
st.write(
    "Gradient descent moves w against the slope of the loss, w_new = w − η·∂Loss/∂w, with "
    f"H = ∂L/∂w = {H_TEXT} averaged over the rows. The bias b always takes the plain step "
    "b − η·∂L/∂b: it is never penalised. **Look at** the four runs from w = 0: plain descent "
    "(eq. 0) heads for the unpenalised w"
    + (" of least squares" if error == "squared" else "")
    + "; the penalties pull it back towards 0."
)
if error == "logistic":
    st.info(
        "The log-loss's slope is H = (p − y)·x with p = 1/(1 + e^−(wx + b)) the predicted "
        "probability: the article's 2(wx + b − y) becomes (p − y), with no factor 2. The "
        "penalty's part of each step is the same: L1 pushes w by ∓λ, L2 shrinks it by 2λw."
    )
st.table(
    {
        "loss": [RULES[r].label for r in article.RULES_SHOWN],
        "w_new =": [RULES[r].formula for r in article.RULES_SHOWN],
    }
)
st.caption(
    "S(v, t) = sign(v)·max(|v| − t, 0), the soft-threshold. The plain and L2 steps are stable "
    + (
        f"for η < {run.eta_stable:.3g}; above it they blow up."
        if error == "squared"
        else f"for η < {run.eta_stable:.3g}, a bound from the log-loss's curvature, which "
        "p(1 − p) ≤ ¼ keeps at most ¼ of the squared error's; above it they may swing."
    )
)
if run.error:
    show.error(run.error)
    st.stop()
traj = run.traj
if traj["diverged"].any():
    diverged = sorted({RULES[r].label for r in traj.loc[traj["diverged"], "rule"]})
    st.warning(
        f"η = {eta} is too large: the loss of {', '.join(diverged)} grows without bound. Every "
        "rule moves the bias b by the same plain step b − η·∂L/∂b, and with η this large b "
        "swings further each step, even where w itself settles. Lower the learning rate."
    )

shown_col, play_col = st.columns([6, 1], vertical_alignment="bottom")
shown = shown_col.slider(
    "Show the steps up to", 1, int(steps), int(steps), key="gd_shown", bind="query-params"
)
play = play_col.button("▶ Play", key="gd_play", help="Replay the descent from step 0.")
trajectory_slot = st.empty()


def draw_trajectories(last_step: int) -> None:
    part = traj[traj["step"] <= last_step]
    with trajectory_slot.container():
        left, right = st.columns(2)
        with left:
            show.chart(
                lambda: descent_charts.trajectory_chart(part, title=f"w after {last_step} steps"),
                "trajectory chart",
            )
        with right:
            show.chart(
                lambda: descent_charts.loss_chart(part).properties(title="loss after each step"),
                "loss chart",
            )


if play:
    for k in np.unique(np.linspace(1, steps, PLAY_FRAMES).round().astype(int)):
        draw_trajectories(int(k))
        time.sleep(PLAY_PAUSE_SECONDS)
draw_trajectories(int(steps) if play else int(shown))

st.subheader("The article's three forms, on these numbers")
work_step = st.slider(
    "Work through the step after step",
    0,
    int(steps) - 1,
    min(3, int(steps) - 1),
    key="gd_work_step",
    bind="query-params",
    help="The plain run's w and b after this many steps are put into every form.",
)
worked = article.worked_example(
    digest, design_key, feature, float(ratio), float(eta), int(steps), int(work_step), data, error
)
if worked is not None:
    p_text = "" if worked.p_row is None else f"p = {worked.p_row:.4g}, "
    st.write(
        f"Take the plain run at step {worked.step}: w = {worked.w:.4g}, b = {worked.b:.4g}. For "
        f"the first training row, x = {worked.x_row:.4g} and y = {worked.y_row:.4g}, so "
        f"{p_text}{H_TEXT} = {worked.H_row:.4g}; averaged over all rows, "
        f"**H = {worked.H:.4g}**. With λ = {run.lam:.4g} and η = {eta}, each rule's next w is:"
    )
    forms = worked.forms
    for form, title in FORM_TITLES.items():
        title = title.format(H=H_TEXT)
        rows = forms[forms["form"] == form]
        st.markdown(f"**{title}**")
        st.dataframe(
            {
                "loss": [RULE_NAMES[r] for r in rows["rule"]],
                "eq.": list(rows["equation"]),
                "w_new =": list(rows["update"]),
                "with the numbers": list(rows["worked"]),
                "w_new": [f"{v:.4g}" for v in rows["w_new"]],
                "the penalty moves w by": [f"{v:+.4g}" for v in rows["penalty_move"]],
            },
            hide_index=True,
        )
    st.write(
        "**Look at** the last column of the rearranged forms (3.1), (3.2) and (4): apart from H, "
        "L1 moves w by ∓λ, which depends only on the **sign** of w; L2 moves it by −2λw, which "
        "depends on the sign **and the magnitude** of w, with λ **doubled**."
    )

# ---------------------------------------------------------------- 4. overfitting
st.header("4. How is overfitting prevented? Intuitions A–D")
st.write(
    "A model with many flexible features on few noisy rows: a polynomial "
    "ŷ = b + w₁x + w₂x² + … fitted to 15 rows drawn around the curve sin(πx). Least squares "
    "(λ = 0) bends through the training rows and misses the test rows. **Look at** the curve "
    "as you move λ, and at the two error curves below it."
)
c1, c2, c3 = st.columns(3)
degree = c1.slider("Degree of the polynomial", 3, 14, 12, key="of_degree", bind="query-params")
seed = c2.number_input("Seed of the rows", 0, 10_000, 2, key="of_seed", bind="query-params")
penalty_label = c3.radio(
    "Penalty", ["L1 (lasso)", "L2 (ridge)"], key="of_penalty", bind="query-params", horizontal=True
)
penalty = "lasso" if penalty_label.startswith("L1") else "ridge"
of = article.overfit(int(seed), int(degree))
sweep = of.sweeps[penalty]
lam_labels = [f"{v:.3g}" for v in of.lambdas]
lam_text = st.select_slider(
    "λ (from λ_max, where every weight is 0, down to almost no penalty)",
    lam_labels,
    value=lam_labels[sweep.best_index],
    key="of_lam",
    bind="query-params",
)
index = lam_labels.index(lam_text)
points, fit_curves, train_err, test_err, nonzero = article.overfit_picture(
    int(seed), int(degree), penalty, index
)
m1, m2, m3, m4 = st.columns(4)
m1.metric("train error at this λ", f"{train_err:.3g}")
m2.metric("test error at this λ", f"{test_err:.3g}")
m3.metric("least squares: train / test", f"{of.ls_train:.2g} / {of.ls_test:.2g}")
m4.metric("non-zero weights", f"{nonzero} of {degree}")
show.chart(lambda: article_charts.fit_chart(points, fit_curves), "fitted curves")
show.chart(
    lambda: article_charts.error_curves_chart(of.errors, lam_now=float(of.lambdas[index])),
    "error chart",
)
best = float(sweep.lambdas[sweep.best_index])
st.markdown(
    f"""
- **A. Shift away from the overfitted w.** Least squares (red) is what eq. 0, w − H, heads for: its
  training error is {of.ls_train:.2g} and its test error {of.ls_test:.2g}. Any λ > 0 pulls every
  weight away from that w, and the curve stops chasing single rows.
- **B. Settle for less than perfect.** As λ shrinks towards 0, the training error (green) keeps
  falling, but the test error (purple) rises again: a perfect fit to these rows fits their noise.
  The lowest test error here is at λ ≈ {best:.3g}, with a training error above the least-squares one.
- **C. λ does not depend on the data.** H depends on the model (w, b) and the data (x, y); λ is set by
  hand. So it can hold the weights back where the data alone would overfit.
- **D. Too large a λ underfits.** At the left end (λ_max) every L1 weight is 0 and the fit is a flat
  line: both errors are high. The useful λ lies between the two ends.
"""
)

# ---------------------------------------------------------------- 5. the jitter
st.header("5. Near 0: the L1 subgradient step jitters, the proximal step lands on 0")
st.write(
    "Equations 1.1 and 1.2 move w by the same ηλ whatever its size. When L1's best w is 0 the step "
    "overshoots: from a small positive w it jumps below 0, from there back above, and never lands "
    "exactly on 0. The proximal step first takes the plain step w − η·H and then soft-thresholds: "
    "any value within ηλ of 0 becomes exactly 0, and stays there. **Look at** the squares (w exactly "
    "0) against the circles."
)
show.chart(
    lambda: descent_charts.jitter_chart(
        traj, last=article.JITTER_WINDOW, eta=float(eta), lam=run.lam
    ),
    "jitter chart",
)
changes = run.changes.set_index("rule")
for rule in ("l1", "l1_prox"):
    if rule in changes.index:
        row = changes.loc[rule]
        crossings = int(row["crossings"])
        crossed = {0: "never crossed 0", 1: "crossed 0 once"}.get(
            crossings, f"crossed 0 {crossings} times"
        )
        where = "exactly 0" if row["ends_at_zero"] else f"{row['final_w']:.3g} (not 0)"
        st.write(
            f"**{RULES[rule].label}**: in the last {article.JITTER_WINDOW} steps w {crossed}, sat "
            f"exactly at 0 on {int(row['steps_at_zero'])} of them, and ended at {where}."
        )
if ratio < 1:
    st.info(
        "At this λ L1's best w is not 0, so both L1 rules settle near it. Raise λ above λ_max "
        "to see the jitter."
    )

# ---------------------------------------------------------------- 6. sparsity
st.header("6. L1 removes features; L2 brings weights close to 0, not to 0")


def sparsity_section() -> None:
    """L1 and L2 at their cross-validated λ_1se, as equations and with the update rules."""
    try:
        cv_lasso = loaded.cv_view("lasso", None, CV_FOLDS, "Lasso")
        cv_ridge = loaded.cv_view("ridge", None, CV_FOLDS, "Ridge")
    except DataError as exc:  # a two-valued target whose rarer class is too rare for K folds
        show.error(exc)
        return
    sp = article.sparsity_view(
        digest,
        design_key,
        float(cv_lasso.cv.lambda_1se),
        float(cv_ridge.cv.lambda_1se),
        data,
        error,
    )
    st.write(
        f"The whole data set, every feature standardised, fitted with L1 (λ = {sp.lam_lasso:.3g}) and "
        f"with L2 (λ = {sp.lam_ridge:.3g}), each at the λ that {CV_FOLDS}-fold cross-validation picks "
        "(λ_1se) on the training rows. Written as the article writes a model (target: "
        f"{show.literal(loaded.design.target)}):"
    )
    st.code(
        "L1:  " + sp.lasso_equation + "\nL2:  " + sp.ridge_equation, language=None, wrap_lines=True
    )
    exact_l1, exact_l2 = sp.count("lasso", "exactly 0"), sp.count("ridge", "exactly 0")
    near_l2 = sp.count("ridge", "near 0")
    st.write(
        f"**Look at** the terms written 0·name: L1 sets {exact_l1} of {len(sp.table)} weights to "
        "exactly 0, which removes those features from the model. L2 sets "
        f"{exact_l2 or 'none'} to exactly 0; "
        f"{near_l2} of its weights are near 0 (under 1 % of its largest), small but still there. "
        "L2's pull 2λw shrinks as w does, so it never quite reaches 0; L1's pull λ does not."
    )
    if len(sp.table) <= MAX_WEIGHT_ROWS:
        show.chart(lambda: article_charts.weights_compare_chart(sp.table), "weights chart")
    with st.expander("The same with the update rules, on every feature"):
        steps_all = st.slider(
            "Steps", 100, 3000, 1000, 100, key="gd_steps_all", bind="query-params"
        )
        eta_all, final, zero_counts = article.all_features(
            digest, design_key, sp.lam_lasso, int(steps_all), data, error
        )
        st.write(
            f"The four rules at λ = {sp.lam_lasso:.3g} on all {len(names)} standardised features "
            f"(η = {eta_all:.3g}, 0.9 × the stable limit), next to the exact lasso. Only the "
            "proximal rule leaves weights exactly at 0."
        )
        st.dataframe(
            zero_counts.drop(columns="rule").rename(
                columns={"label": "rule", "n_weights": "weights", "exact_zeros": "exactly 0"}
            ),
            hide_index=True,
        )
        if len(names) <= MAX_WEIGHT_ROWS:
            show.chart(lambda: descent_charts.weights_chart(final), "final weights chart")
        st.dataframe(descent_charts.weights_table(final))


sparsity_section()

# ---------------------------------------------------------------- 7. the diamond and the disc
st.header("7. Two weights: the L1 diamond and the L2 disc")
st.write(
    "A penalty is the same as a budget t on the size of the weights. With two features the error's "
    "contours are ellipses around the least-squares weights. **Look at** where the smallest ellipse "
    "first touches each shape: often a corner of the L1 diamond ‖w‖₁ ≤ t, where one weight is "
    "exactly 0; almost never an axis of the round L2 disc ‖w‖₂ ≤ t."
)
if error == "logistic":
    st.caption(
        "This picture keeps the squared error of the standardised 0/1 target, whose contours "
        "are ellipses (the log-loss's are convex curves but not ellipses)."
    )
if len(names) < 2:
    st.info("This picture needs at least two features.")
else:
    c1, c2, c3 = st.columns(3)
    f1 = c1.selectbox("First weight w₁: feature", names, key="gd_f1", bind="query-params")
    others = [n for n in names if n != f1]
    f2 = c2.selectbox("Second weight w₂: feature", others, key="gd_f2", bind="query-params")
    corner = article.corner_share(digest, design_key, f1, f2, data)
    share = c3.slider(
        "Budget t, as a share of ‖w_least squares‖₁",
        0.01,
        1.0,
        float(corner or 0.4),
        0.01,
        key="gd_radius",
        bind="query-params",
        help="The default is half the largest budget whose L1 optimum is a corner.",
    )
    pic = article.two_weights(digest, design_key, f1, f2, float(share), data)
    if pic.error:
        show.error(pic.error)
    else:
        square(
            lambda: descent_charts.constraint_chart(
                pic.frames, path=pic.path, axis_titles=(f1, f2)
            ),
            "contour chart",
        )
        optima = pic.frames["optima"]
        st.dataframe(
            optima[["label", "w1", "w2", "error", "lam"]].rename(
                columns={"label": "optimum", "lam": "λ"}
            ),
            hide_index=True,
        )
        l1 = optima.set_index("norm").loc["l1"]
        zero = [name for name, w in ((f1, l1["w1"]), (f2, l1["w2"])) if w == 0.0]
        st.write(
            f"The L1 optimum is the lasso at λ = {l1['lam']:.4g}; the proximal descent drawn in the "
            "picture runs at that λ and ends on it. "
            + (
                f"It sets {len(zero)} weight exactly to 0: a corner of the diamond."
                if zero
                else "Here both weights stay non-zero: shrink the budget to reach a corner"
                + (f" (below {2 * corner:.2f} of ‖w_least squares‖₁)." if corner else ".")
            )
        )
