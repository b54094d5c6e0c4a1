"""An independent MLflow webhook receiver for Slipway's tests (Python standard library only).

It verifies X-MLflow-Signature exactly as MLflow's webhook documentation tells a receiver to (docs: "Webhooks",
FastAPI example): strip the "v1," prefix, HMAC-SHA256 the UTF-8 text "{delivery_id}.{timestamp}.{payload}" with the
secret, base64 the digest and compare in constant time; and it checks that X-MLflow-Timestamp is at most 300 s old.
Every request is appended to the log file as one JSON line (headers, raw body, verdicts, status answered).

Usage: mlflow_webhook_receiver.py --log FILE [--port N] [--secret S] [--responses 503,503,200] [--retry-after SECONDS]
Prints "listening PORT" once bound. Status codes are answered in the order given; the last one repeats.
"""

import argparse
import base64
import hashlib
import hmac
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MAX_TIMESTAMP_AGE = 300


def verify_mlflow_signature(payload: str, signature: str, secret: str, delivery_id: str, timestamp: str) -> bool:
    if not signature.startswith("v1,"):
        return False
    signature_b64 = signature.removeprefix("v1,")
    signed_content = f"{delivery_id}.{timestamp}.{payload}"
    expected = hmac.new(secret.encode("utf-8"), signed_content.encode("utf-8"), hashlib.sha256).digest()
    return hmac.compare_digest(signature_b64, base64.b64encode(expected).decode("utf-8"))


def verify_timestamp_freshness(timestamp: str) -> bool:
    try:
        age = int(time.time()) - int(timestamp)
    except (TypeError, ValueError):
        return False
    return 0 <= age <= MAX_TIMESTAMP_AGE


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--log", required=True)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--secret")
    parser.add_argument("--responses", default="200")
    parser.add_argument("--retry-after")
    args = parser.parse_args()
    statuses = [int(s) for s in args.responses.split(",")]
    lock = threading.Lock()
    state = {"count": 0}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            payload = body.decode("utf-8")
            delivery_id = self.headers.get("X-MLflow-Delivery-Id")
            timestamp = self.headers.get("X-MLflow-Timestamp")
            signature = self.headers.get("X-MLflow-Signature")
            verified = None
            if args.secret is not None:
                verified = bool(signature and delivery_id and timestamp) and verify_mlflow_signature(
                    payload, signature, args.secret, delivery_id, timestamp
                )
            with lock:
                index = state["count"]
                state["count"] += 1
                status = statuses[min(index, len(statuses) - 1)]
                if verified is False:
                    status = 401
                record = {
                    "path": self.path,
                    "content_type": self.headers.get("Content-Type"),
                    "delivery_id": delivery_id,
                    "timestamp": timestamp,
                    "signature": signature,
                    "verified": verified,
                    "fresh": verify_timestamp_freshness(timestamp),
                    "body": payload,
                    "status": status,
                    "received_at": time.time(),
                }
                with open(args.log, "a", encoding="utf-8") as log:
                    log.write(json.dumps(record) + "\n")
                    log.flush()
                    os.fsync(log.fileno())
            answer = json.dumps({"status": "success" if status < 300 else "error"}).encode("utf-8")
            self.send_response(status)
            if status == 429 and args.retry_after is not None:
                self.send_header("Retry-After", args.retry_after)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, format, *args):
            pass

    ThreadingHTTPServer.request_queue_size = 128
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    print(f"listening {server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
