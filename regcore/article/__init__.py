"""The seed article "Intuitions on L1 and L2 Regularisation", computed: one module per concept.

In the article's order:

- ``norms``: ‖w‖₁, ‖w‖₂, ‖w‖ₚ and the unit ball ‖w‖ₚ = 1;
- ``losses``: the model ŷ = wx + b, Error, its gradient (H), L, L1 = L + λ|w|, L2 = L + λw²
  as functions of w;
- ``updates``: the update rules with η, with η = 1 and H, and rearranged (3.1), (3.2), (4);
- ``trajectory``: many steps of each rule, and summaries (sign changes, exact zeros);
- ``overfitting``: a small flexible model that overfits, and λ curing it (intuitions A–D);
- ``sparsity``: a fitted model written as an equation, exact and near zeros;
- ``geometry``: the two-weight picture, the L1 diamond and the L2 disc.

``checks`` holds the plain-language checks of the lesson's settings (η, λ, step counts);
data go through ``regcore.solvers.problem.check_xy``, the one validation of (X, y).
"""
