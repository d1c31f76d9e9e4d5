"""python3-grpcio as a third-party client of cdcaspire.consistency.v1.ConsistencyService.

Usage: consistency_client.py STUB_DIR TARGET TOKEN. Prints one JSON object per line.
"""
import json
import sys

import grpc

sys.path.insert(0, sys.argv[1])
import consistency_pb2 as pb  # noqa: E402
import consistency_pb2_grpc as rpc  # noqa: E402

target, token = sys.argv[2], sys.argv[3]
with grpc.insecure_channel(target) as channel:
    grpc.channel_ready_future(channel).result(timeout=30)
    stub = rpc.ConsistencyServiceStub(channel)

    progress, results = 0, []
    for item in stub.Check(pb.CheckRequest(mode=pb.MODE_FULL), timeout=120):
        if item.HasField("progress"):
            progress += 1
        else:
            r = item.result
            results.append({"table": r.table, "missing": r.missing, "extra": r.extra, "mismatched": r.mismatched,
                            "rows": r.rows_checked, "error": r.error,
                            "differences": [{"key": d.key, "kind": pb.DifferenceKind.Name(d.kind),
                                             "fields": [[f.field, f.row_value, f.document_value] for f in d.fields]}
                                            for d in r.differences]})
    print(json.dumps({"call": "check", "progress": progress, "results": results}))

    try:
        list(stub.Repair(pb.RepairRequest(table="products"), timeout=30))
        print(json.dumps({"call": "repair-anonymous", "code": "OK"}))
    except grpc.RpcError as e:
        print(json.dumps({"call": "repair-anonymous", "code": e.code().name}))

    meta = [("authorization", "Bearer " + token)]
    repaired = [i.result for i in stub.Repair(pb.RepairRequest(table="products", keys=["2"]), metadata=meta, timeout=60) if i.HasField("result")]
    print(json.dumps({"call": "repair", "indexed": repaired[0].repaired.indexed, "error": repaired[0].error}))

    try:
        stages = list(stub.Resync(pb.ResyncRequest(table="products"), metadata=meta, timeout=120))
        print(json.dumps({"call": "resync", "code": "OK", "stages": [p.stage for p in stages],
                          "new_index": stages[-1].new_index, "detail": stages[-1].detail}))
    except grpc.RpcError as e:
        print(json.dumps({"call": "resync", "code": e.code().name, "message": e.details()}))

    listed = stub.ListResults(pb.ListResultsRequest(table="products"), timeout=30)
    print(json.dumps({"call": "list", "ids": [r.id for r in listed.results]}))
