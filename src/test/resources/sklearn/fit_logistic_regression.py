"""Writes logistic-regression-fitted.json: models copied unedited from fitted scikit-learn LogisticRegressions,
with predict_proba's answers for some records, for LogisticRegressionTest. Run with scikit-learn installed
(Debian: apt-get install python3-sklearn):  python3 fit_logistic_regression.py
"""
import json

import sklearn
from sklearn.datasets import load_breast_cancer, load_iris
from sklearn.linear_model import LogisticRegression


def copied(clf, features, classes):
    """The model file's parameters as the README says to copy them, multi_class exactly as get_params() has it."""
    return {
        "classes": [str(c) for c in classes[clf.classes_]] if classes is not None else [str(c) for c in clf.classes_],
        "coefficients": [dict(zip(features, row)) for row in clf.coef_.tolist()],
        "intercepts": clf.intercept_.tolist(),
        "multi_class": clf.get_params()["multi_class"],
    }

def case(name, clf, features, classes, X):
    rows = X[:: max(1, len(X) // 12)][:12]
    return {
        "name": name,
        "features": features,
        "parameters": copied(clf, features, classes),
        "records": [dict(zip(features, row)) for row in rows.tolist()],
        "probabilities": clf.predict_proba(rows).tolist(),
    }

iris = load_iris()
iris_features = ["sepal_length", "sepal_width", "petal_length", "petal_width"]
three = LogisticRegression(max_iter=1000).fit(iris.data, iris.target)

cancer = load_breast_cancer()
cancer_features = [f.replace(" ", "_") for f in cancer.feature_names[:6]]
X2 = cancer.data[:, :6]
two = LogisticRegression(max_iter=5000).fit(X2, cancer.target)

json.dump({
    "scikit_learn": sklearn.__version__,
    "cases": [
        case("iris", three, iris_features, iris.target_names, iris.data),
        case("breast-cancer", two, cancer_features, cancer.target_names, X2),
    ],
}, open("logistic-regression-fitted.json", "w"), indent=1)
