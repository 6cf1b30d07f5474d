#!/usr/bin/python3
"""The scikit-learn baseline of the calibration benchmark (bench/Trainer.Bench `calibration`).

Reads the feature matrices the benchmark wrote (the bundle's own features: one row per lead snapshot, the
label last; empty cells are missing values), fits a logistic regression on the training + validation rows, and
writes its probability for every test row, one per line. The benchmark measures its calibration error with the
same code as LeadML's.

Usage: /usr/bin/python3 bench/calibration_baseline.py TRAIN.csv TEST.csv OUT.txt
Needs Debian's python3-sklearn (apt-get install -y python3-sklearn).
"""
import sys

import numpy as np
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler


def read(path):
    data = np.genfromtxt(path, delimiter=",", skip_header=1, missing_values="", filling_values=np.nan)
    if data.ndim == 1:
        data = data.reshape(1, -1)
    return data[:, :-1], data[:, -1]


def main(train_path, test_path, out_path):
    x, y = read(train_path)
    x_test, _ = read(test_path)
    # Columns empty on every training row carry nothing; the imputer would drop them, so drop them on both sides.
    keep = ~np.all(np.isnan(x), axis=0)
    model = make_pipeline(SimpleImputer(strategy="median"), StandardScaler(), LogisticRegression(max_iter=5000))
    model.fit(x[:, keep], y)
    p = model.predict_proba(x_test[:, keep])[:, 1]
    np.savetxt(out_path, p, fmt="%.9g")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
