"""python3-grpcio as a client of the DLQ service: List and GetStats from protos/dlq.proto, one JSON line each.

Usage: dlq_client.py <stub_dir> <host:port>
Run with /usr/bin/python3 (Debian's interpreter, which has grpcio).
"""
import json
import sys

sys.path.insert(0, sys.argv[1])

import grpc  # noqa: E402
import dlq_pb2 as pb  # noqa: E402
import dlq_pb2_grpc  # noqa: E402

with grpc.insecure_channel(sys.argv[2]) as channel:
    stub = dlq_pb2_grpc.DlqServiceStub(channel)
    listed = stub.List(pb.ListRequest(filter=pb.Filter(table="public.products"), page_size=2), timeout=10)
    print(json.dumps({
        "event": "list",
        "total": listed.total,
        "ids": [d.id for d in listed.dead_letters],
        "documentIds": [d.document_id for d in listed.dead_letters],
        "errorTypes": [d.error_type for d in listed.dead_letters],
        "states": [pb.State.Name(d.state) for d in listed.dead_letters],
        "next": listed.next_page_token,
    }), flush=True)
    stats = stub.GetStats(pb.GetStatsRequest(), timeout=10)
    print(json.dumps({
        "event": "stats",
        "byState": dict(stats.by_state),
        "byTable": dict(stats.by_table),
        "byErrorType": dict(stats.by_error_type),
        "breaker": stats.breaker.state,
    }), flush=True)
