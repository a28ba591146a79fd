"""Gradient descent page: the seed article's updates, step by step, and why L1 gives zeros.

Layout only: the updates, trajectories, constrained optima and charts come from
``regcore.updates`` and ``regcore.charts.descent``.
"""

import time

import numpy as np
import streamlit as st

import regcore
from dashboard import loaders, show, state, views
from regcore.article import geometry, trajectory, updates
from regcore.charts import descent as descent_charts
from regcore.penalties import lambda_max

RULES_SHOWN = ("plain", "l1", "l2", "l1_prox")
ETA_CHOICES = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9, 1.0, 1.05, 1.2]
JITTER_WINDOW = 30
PLAY_FRAMES = 40
PLAY_PAUSE_SECONDS = 0.05
MAX_WEIGHT_BARS = 40

loaded = loaders.load_or_stop()
Xs, y = views.standardized_training(loaded.design)
y_std = views.standardized_target(y)
names = list(Xs.columns)

st.title("Gradient descent, step by step")
st.write(
    "A model learns by nudging its weights against the slope of its error. With one feature the model is "
    "ŷ = w·x + b and the error is the mean squared error, Error = (1/n)·Σ(y − ŷ)². A penalty adds λ times "
    "the size of w to what is minimised, and so adds a pull towards 0 to every step:"
)
st.table(
    {
        "rule": [updates.RULES[r].label for r in RULES_SHOWN],
        "update of w (learning rate η)": [updates.RULES[r].formula for r in RULES_SHOWN],
    }
)
st.caption(
    "b always takes the plain step b ← b − η·∂Error/∂b: the intercept is never penalised. S(v, t) = "
    "sign(v)·max(|v| − t, 0) is the soft-threshold. The training rows"
    + (f" (a sample of {len(y)} of them)" if len(y) < loaded.design.n_train else "")
    + " are standardised, features to mean 0 and standard deviation 1, and in the first two sections the "
    "target too, so that η and λ mean the same on every data set."
)

# ---------------------------------------------------------------- one feature
st.header("One feature: ŷ = w·x + b")
c1, c2, c3, c4 = st.columns(4)
feature = c1.selectbox("Feature x", names, key="gd_feature")
x = Xs[feature].to_numpy()
lam_one_max = lambda_max(x[:, None], y_std)
ratio = c2.slider(
    "λ as a multiple of λ_max",
    0.0,
    2.0,
    1.2,
    0.05,
    key="gd_lam_ratio",
    help="λ_max is the smallest λ at which the lasso's best w for this feature is exactly 0.",
)
lam = ratio * lam_one_max
eta = c3.select_slider("Learning rate η", ETA_CHOICES, value=0.05, key="gd_eta")
steps = c4.slider("Steps", 10, 1000, 200, 10, key="gd_steps")
eta_stable = updates.eta_limit(x, lam=lam, rule="l2")
st.caption(
    f"λ = {lam:.4g} (λ_max = {lam_one_max:.4g}). The plain and L2 updates are stable for "
    f"η < {eta_stable:.3g}; above it they blow up."
)

try:
    traj = trajectory.trajectories(x, y_std, rules=RULES_SHOWN, eta=eta, lam=lam, steps=steps)
except ValueError as exc:
    show.error(exc)
    st.stop()
if traj["diverged"].any():
    diverged = sorted({updates.RULES[r].label for r in traj.loc[traj["diverged"], "rule"]})
    st.warning(f"η = {eta} is too large: {', '.join(diverged)} diverged. Lower the learning rate.")

shown_col, play_col = st.columns([6, 1], vertical_alignment="bottom")
shown = shown_col.slider("Show the steps up to", 1, steps, steps, key="gd_shown")
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
            show.chart(lambda: descent_charts.loss_chart(part), "loss chart")


if play:
    for k in np.unique(np.linspace(1, steps, PLAY_FRAMES).round().astype(int)):
        draw_trajectories(int(k))
        time.sleep(PLAY_PAUSE_SECONDS)
draw_trajectories(steps if play else shown)

# ---------------------------------------------------------------- the jitter
st.header("Why the L1 subgradient step jitters and the proximal step lands on 0")
st.write(
    "The L1 subgradient step moves w by the same ηλ whatever its size. When the best w is 0 the step "
    "overshoots: from a small positive w it jumps below 0, from there back above, and never lands exactly "
    "on 0. The proximal step first takes the plain error step and then soft-thresholds: any value within "
    "ηλ of 0 becomes exactly 0, and stays there. That is how a lasso solver produces exact zeros."
)
show.chart(
    lambda: descent_charts.jitter_chart(traj, last=JITTER_WINDOW, eta=eta, lam=lam), "jitter chart"
)
changes = trajectory.sign_changes(traj, last=JITTER_WINDOW).set_index("rule")
for rule in ("l1", "l1_prox"):
    if rule in changes.index:
        row = changes.loc[rule]
        where = "exactly 0" if row["ends_at_zero"] else f"{row['final_w']:.3g} (not 0)"
        st.write(
            f"**{updates.RULES[rule].label}**: crossed 0 {int(row['crossings'])} times in the last "
            f"{JITTER_WINDOW} steps, sat exactly at 0 on {int(row['steps_at_zero'])} of them, and ended at "
            f"{where}."
        )
if ratio < 1:
    st.info(
        "At this λ the lasso's best w is not 0, so both L1 rules settle near it. Raise λ above λ_max "
        "to see the jitter."
    )

# ---------------------------------------------------------------- two weights
st.header("Two weights: the L1 diamond and the L2 disc")
st.write(
    "A penalty is the same as a budget on the size of the weights. With two features, the error's contours "
    "are ellipses around the least-squares weights. The best point inside the L1 diamond ‖w‖₁ ≤ t is often "
    "a corner, where one weight is exactly 0; the best point inside the round L2 disc almost never is."
)
if len(names) < 2:
    st.info("This picture needs at least two features.")
else:
    c1, c2, c3 = st.columns(3)
    f1 = c1.selectbox("First weight w₁: feature", names, index=0, key="gd_f1")
    f2 = c2.selectbox(
        "Second weight w₂: feature", [n for n in names if n != f1], index=0, key="gd_f2"
    )
    X2 = Xs[[f1, f2]].to_numpy()
    w_ls = regcore.fit_path(X2, y_std, "none", standardize=False).coef[0]
    share = c3.slider(
        "Budget t as a share of ‖w_least squares‖₁", 0.05, 1.0, 0.4, 0.05, key="gd_radius"
    )
    radius = max(share * float(np.abs(w_ls).sum()), 1e-12)
    try:
        frames = geometry.two_weight_frames(X2, y_std, radius)
        l1 = frames["optima"].set_index("norm").loc["l1"]
        path2 = trajectory.trajectory(
            X2,
            y_std,
            rule="l1_prox",
            eta=0.9 * updates.eta_limit(X2),
            lam=float(l1["lam"]),
            steps=200,
            every=4,
            feature_names=[f1, f2],
        )
    except ValueError as exc:
        show.error(exc)
    else:
        left, right = st.columns([3, 2])
        with left:
            show.chart(
                lambda: descent_charts.constraint_chart(frames, path=path2, axis_titles=(f1, f2)),
                "contour chart",
            )
        with right:
            st.dataframe(
                frames["optima"][["label", "w1", "w2", "error", "lam"]].rename(
                    columns={"label": "optimum", "lam": "λ"}
                ),
                hide_index=True,
            )
            zero = [name for name, w in ((f1, l1["w1"]), (f2, l1["w2"])) if w == 0.0]
            st.write(
                f"The L1 optimum solves the lasso at λ = {l1['lam']:.4g}; the proximal descent drawn in "
                f"the picture runs at that λ and ends on it. "
                + (
                    f"It sets {len(zero)} weight exactly to 0."
                    if zero
                    else "Here both weights stay non-zero: shrink the budget to reach a corner."
                )
            )

# ---------------------------------------------------------------- all features
st.header("Every feature at once")
_, penalty, _ = state.current_model()
path_view = loaded.path_view("lasso", None)
chosen = st.session_state.get(state.LAMBDA_KEY)
lam_all = (
    float(chosen)
    if penalty == "lasso" and isinstance(chosen, float)
    else float(path_view.path.lambdas[path_view.best_index])
)
st.write(
    f"The same updates on all {len(names)} standardised features at λ = {lam_all:.4g} (the lasso λ "
    "on the Path page), next to the exact lasso solution. Only the proximal rule leaves weights exactly at 0."
)
c1, c2 = st.columns(2)
steps_all = c1.slider("Steps", 100, 3000, 1000, 100, key="gd_steps_all")
eta_all = 0.9 * updates.eta_limit(Xs, lam=lam_all, rule="l2")
c2.metric("learning rate η (0.9 × the stable limit)", f"{eta_all:.3g}")
with st.spinner("Running the updates…"):
    traj_all = trajectory.trajectories(
        Xs,
        y,
        rules=RULES_SHOWN,
        eta=eta_all,
        lam=lam_all,
        steps=steps_all,
        every=max(1, steps_all // 50),
    )
    exact = regcore.fit_path(Xs, y, "lasso", lambdas=[lam_all], standardize=False).coef[0]
    final = trajectory.final_weights(traj_all, exact=exact, exact_label="exact lasso")
counts = trajectory.zero_counts(final).drop(columns="rule")
st.dataframe(
    counts.rename(columns={"label": "rule", "n_weights": "weights", "exact_zeros": "exactly 0"}),
    hide_index=True,
)
if len(names) <= MAX_WEIGHT_BARS:
    show.chart(lambda: descent_charts.weights_chart(final), "weights chart")
with st.expander("Every final weight"):
    st.dataframe(descent_charts.weights_table(final))
