"""The Python baseline of the serving load test: what `mlflow models serve` does for a scikit-learn model, without
MLflow itself. A Flask app trains scikit-learn's LogisticRegression on the iris data bundled with scikit-learn (the
model that testdata/models/iris_logreg.onnx was converted from) and answers POST /invocations with a
`dataframe_split` body by building a pandas DataFrame, calling predict_proba and returning {"predictions": ...}.

Usage: python3 flask_server.py PORT
"""
import sys

import pandas as pd
from flask import Flask, jsonify, request
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression

iris = load_iris(as_frame=True)
columns = list(iris.data.columns)
model = LogisticRegression(max_iter=1000).fit(iris.data.values, iris.target)
app = Flask(__name__)


@app.get("/health")
def health():
    return "OK"


@app.post("/invocations")
def invocations():
    body = request.get_json()
    split = body["dataframe_split"]
    frame = pd.DataFrame(split["data"], columns=split["columns"])
    probabilities = model.predict_proba(frame.values)
    labels = probabilities.argmax(axis=1)
    return jsonify({"predictions": [{"label": int(l), "probabilities": p.tolist()} for l, p in zip(labels, probabilities)]})


if __name__ == "__main__":
    import logging

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    app.run(host="127.0.0.1", port=int(sys.argv[1]), threaded=True)
