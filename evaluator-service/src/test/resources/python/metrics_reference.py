"""scikit-learn's figures for kft's metrics test.

usage: metrics_reference.py CASES_JSON -> one result object per case, as a JSON list
Each case: {"y_true": [...], "y_pred": [...], "labels": n, "zero_division": 0|1, "scores": [...]?}
"""
import json
import sys

from sklearn.metrics import (accuracy_score, confusion_matrix, matthews_corrcoef,
                             precision_recall_fscore_support, roc_auc_score)


def main():
    results = []
    for case in json.load(open(sys.argv[1])):
        t, p, labels, zd = case["y_true"], case["y_pred"], list(range(case["labels"])), case["zero_division"]
        out = {"accuracy": accuracy_score(t, p),
               "confusion": confusion_matrix(t, p, labels=labels).tolist(),
               "mcc": matthews_corrcoef(t, p)}
        for average in ["micro", "macro", "weighted"]:
            pr, rc, f1, _ = precision_recall_fscore_support(t, p, labels=labels, average=average,
                                                            zero_division=zd)
            out[average] = [pr, rc, f1]
        pr, rc, f1, support = precision_recall_fscore_support(t, p, labels=labels, average=None,
                                                              zero_division=zd)
        out["per_class"] = [[float(a), float(b), float(c), int(d)] for a, b, c, d in zip(pr, rc, f1, support)]
        if "scores" in case:
            out["roc_auc"] = roc_auc_score(t, case["scores"])
        results.append(out)
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
