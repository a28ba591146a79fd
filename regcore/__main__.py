"""Command line: fit a path or cross-validate from a CSV, write the path as CSV; save a model
and score new rows with it.

    python -m regcore path data.csv [--target NAME] [--penalty lasso] [--alpha 0.5] [--out path.csv]
    python -m regcore cv   data.csv [--target NAME] [--penalty lasso] [-k 10 | -k loo] [--seed 0]
    python -m regcore fit  data.csv --target y --penalty lasso --lam 1se --save model.json
    python -m regcore predict model.json new.csv [--out predictions.csv] [--unseen reference]
    python -m regcore samples            # list the built-in samples; fit, path, cv take --sample NAME

``fit`` chooses λ by cross-validation on the training rows (``--lam 1se`` or ``min``) or
takes a number, and saves the model as JSON (``regcore.model``); ``predict`` writes the
rows with a ``predicted <target>`` column, and the test error when the target is present.

The CSV goes through the same reader as the dashboard (``regcore.data.read_csv``), with the
same report; rows are split into training and test rows with --test-fraction and --seed.
Bad input ends with one plain message on stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path as FilePath

import numpy as np
import pandas as pd

from regcore.cv import cross_validate
from regcore.data import DataError, default_target, make_design, read_csv, safe_csv_bytes
from regcore.data.binary import file_classes
from regcore.data.design import fit_encoding
from regcore.datasets import sample_bytes, sample_names
from regcore.model import Model, load_model, read_rows
from regcore.path import PENALTIES, fit_path


def _folds(text: str) -> int | str:
    """-k: a number of folds, or "loo" (ridge's exact leave-one-out)."""
    return "loo" if text.lower() == "loo" else int(text)


def _lam(text: str) -> float | str:
    """--lam: "1se", "min" or a number."""
    return text.lower() if text.lower() in ("1se", "min") else float(text)


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="python -m regcore", description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="command", required=True)
    sub.add_parser("samples", help="list the built-in samples")
    commands = (
        ("path", "fit the whole λ path"),
        ("cv", "K-fold cross-validation"),
        ("fit", "fit one λ and save the model as JSON"),
    )
    for name, helptext in commands:
        p = sub.add_parser(name, help=helptext)
        p.add_argument("csv", nargs="?", help="a CSV file (or use --sample)")
        p.add_argument(
            "--sample", choices=sample_names(), help="a built-in sample instead of a file"
        )
        p.add_argument("--target", help="the column to predict (default: the last numeric column)")
        p.add_argument("--penalty", choices=PENALTIES, default="lasso")
        p.add_argument("--alpha", type=float, default=None, help="elastic-net mixing α in [0, 1]")
        p.add_argument("--n-lambdas", type=int, default=100)
        p.add_argument("--test-fraction", type=float, default=0.25)
        p.add_argument("--seed", type=int, default=0)
        p.add_argument(
            "--no-standardize", action="store_true", help="fit on the features as they are"
        )
        p.add_argument(
            "--unpenalized",
            nargs="+",
            default=[],
            metavar="COL",
            help="feature columns left unpenalised (penalty factor 0)",
        )
        if name == "fit":
            p.add_argument(
                "--lam", type=_lam, default="1se", help='λ: "1se" (default), "min" or a number'
            )
            p.add_argument("--save", required=True, help="write the model here (JSON)")
        else:
            p.add_argument("--out", help="write the path (or the CV curve) here as CSV")
            p.add_argument(
                "--stream",
                action="store_true",
                help="read the CSV in chunks of rows (any size; linear models with n ≫ p)",
            )
            p.add_argument(
                "--chunk-rows", type=int, default=200_000, help="rows per chunk (--stream)"
            )
            p.add_argument(
                "--save-moments", help="write the streamed moments here (.npz, --stream)"
            )
        if name in ("cv", "fit"):
            p.add_argument("-k", type=_folds, default=10, help='number of folds, or "loo" (ridge)')
        p.add_argument(
            "--family",
            choices=("gaussian", "logistic"),
            default="gaussian",
            help="logistic: a 0/1 target, the log-loss as the error",
        )
        p.add_argument(
            "--measure",
            choices=("deviance", "misclassification", "auc"),
            default="deviance",
            help="what scores a logistic path or CV (default deviance)",
        )
    p = sub.add_parser("predict", help="score a CSV with a saved model")
    p.add_argument("model", help="a model saved by fit (JSON)")
    p.add_argument("csv", help="the rows to score (CSV)")
    p.add_argument("--out", help="write the rows with their predictions here as CSV")
    p.add_argument(
        "--unseen",
        choices=("error", "reference"),
        default="error",
        help="a level never seen in training: refuse (default) or read it as the reference level",
    )
    return ap


def _frame_and_design(args):
    if args.sample:
        data = sample_bytes(args.sample)
    elif args.csv:
        data = FilePath(args.csv).read_bytes()
    else:
        raise DataError("Give a CSV file or --sample NAME.")
    df, report = read_csv(data)
    target = args.target or default_target(df)
    design = make_design(df, target, test_fraction=args.test_fraction, seed=args.seed)
    for line in report.lines + design.lines:
        print(f"# {line}", file=sys.stderr)
    return df, design, report


def _cross_validate(args, d, common):
    """K-fold cross-validation of the training rows with the command's family and measure."""
    logistic = args.family == "logistic"
    return cross_validate(
        d.X_train,
        d.y_train,
        k=args.k,
        seed=args.seed,
        family=args.family,
        measure=args.measure if logistic else None,
        **common,
    )


def _fit(args, d, df, report, common) -> None:
    """Fit the chosen λ on the training rows, report its test error, save the model."""
    logistic = args.family == "logistic"
    measure = args.measure if logistic else "mse"
    if isinstance(args.lam, float):
        path = fit_path(
            d.X_train,
            d.y_train,
            lambdas=[args.lam],
            feature_names=d.feature_names,
            family=args.family,
            **common,
        )
        index, rule = 0, "given"
    else:
        cv = _cross_validate(args, d, common)
        path = cv.path
        index = cv.index_1se if args.lam == "1se" else cv.index_min
        rule = f"lambda_{args.lam} of {args.k}-fold cross-validation"
    classes = file_classes(d, report.lines) if logistic else None
    model = Model.from_path(path, index, fit_encoding(df, d), lambda_rule=rule, classes=classes)
    model.save(args.save)
    test = path.loss(d.X_test, d.y_test, measure)[index]
    print(
        f"# {path.penalty} at λ = {model.lam:.6g} ({rule}): test "
        f"{'MSE' if measure == 'mse' else measure} {test:.6g}, "
        f"duality gap {model.gap:.3g}; wrote {args.save}",
        file=sys.stderr,
    )


def _predict(args) -> None:
    model = load_model(args.model)
    table, errors = model.score_table(
        read_rows(FilePath(args.csv).read_bytes()), unseen=args.unseen
    )
    for note in model.notes:
        print(f"# {note}", file=sys.stderr)
    if errors:
        measured = (
            f"deviance {errors['deviance']:.6g}, misclassification "
            f"{errors['misclassification']:.4f}, AUC {errors['auc']:.4f}"
            if model.logistic
            else f"MSE {errors['mse']:.6g}, R² {errors['r2']:.4f}"
        )
        print(
            f"# test error on {errors['rows']} rows with {model.encoding.target!r}: {measured}",
            file=sys.stderr,
        )
    _write(table, args.out)


def unpenalized_factors(names: list[str], unpenalized: list[str]):
    """Penalty factors with 0 for the named features (one-hot columns of a named categorical
    column included), or None when no feature is named."""
    if not unpenalized:
        return None
    factors = np.ones(len(names))
    for col in unpenalized:
        hits = [i for i, name in enumerate(names) if name == col or name.startswith(f"{col}=")]
        if not hits:
            raise ValueError(f"--unpenalized: no feature column is called {col!r}.")
        factors[hits] = 0.0
    return factors


def _write(frame, out: str | None) -> None:
    data = safe_csv_bytes(frame)
    if out:
        FilePath(out).write_bytes(data)
        print(f"wrote {out}", file=sys.stderr)
    else:
        sys.stdout.write(data.decode("utf-8-sig"))


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "samples":
            print("\n".join(sample_names()))
            return 0
        if args.command == "predict":
            _predict(args)
            return 0
        common = dict(
            penalty=args.penalty,
            alpha=args.alpha,
            n_lambdas=args.n_lambdas,
            standardize=not args.no_standardize,
        )
        if getattr(args, "stream", False):
            from regcore.moments.cli import run

            _write(run(args, common), args.out)
            return 0
        df, d, report = _frame_and_design(args)
        factors = unpenalized_factors(d.feature_names, args.unpenalized)
        if factors is not None:
            common["penalty_factor"] = factors
        if args.command == "fit":
            _fit(args, d, df, report, common)
            return 0
        measure = args.measure if args.family == "logistic" else "mse"
        if args.command == "path":
            path = fit_path(
                d.X_train, d.y_train, feature_names=d.feature_names, family=args.family, **common
            )
            frame = path.to_frame()
            test = path.loss(d.X_test, d.y_test, measure)
            frame.insert(3, f"train_{measure}", path.loss(d.X_train, d.y_train, measure))
            frame.insert(4, f"test_{measure}", test)
            best = int(np.argmax(test) if measure == "auc" else np.argmin(test))
            print(
                f"# {path.penalty}: {path.lambdas.size} λ, best test "
                f"{'MSE' if measure == 'mse' else measure} {test[best]:.6g} "
                f"at λ = {path.lambdas[best]:.6g}; largest duality gap {path.gap.max():.3g}",
                file=sys.stderr,
            )
            for note in path.notes if args.family == "logistic" else []:
                print(f"# {note}", file=sys.stderr)
        else:
            cv = _cross_validate(args, d, common)
            frame = pd.DataFrame(
                {
                    "lambda": cv.lambdas,
                    f"cv_{measure}": cv.mean,
                    "cv_se": cv.se,
                    "n_nonzero": cv.path.n_nonzero,
                }
            )
            print(f"# λ_min = {cv.lambda_min:.6g}, λ_1se = {cv.lambda_1se:.6g}", file=sys.stderr)
        _write(frame, args.out)
    except (DataError, ValueError, OSError) as err:
        print(f"regcore: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
