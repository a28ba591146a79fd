"""regcore: lasso, ridge and elastic-net paths you can see.

One objective everywhere (see ``regcore.penalties``):

    (1/n)·Σᵢ (yᵢ − b − xᵢᵀw)²  +  λ·[α·‖w‖₁ + (1 − α)·‖w‖₂²]
"""

from regcore.penalties import L1, L2, ElasticNet as ElasticNetPenalty, soft_threshold

__all__ = ["L1", "L2", "ElasticNetPenalty", "soft_threshold"]
