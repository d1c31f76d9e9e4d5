"""python3-grpcio as a client of the real sink (stubs generated from protos/sink.proto and the standard health.proto).

Usage: sink_client.py <stub_dir> <host:port> <case> [token]
Prints one JSON line. Run with /usr/bin/python3 (Debian's interpreter, which has grpcio).
"""
import json
import sys
import time

sys.path.insert(0, sys.argv[1])

import grpc  # noqa: E402
import health_pb2  # noqa: E402
import health_pb2_grpc  # noqa: E402
import sink_pb2 as pb  # noqa: E402
import sink_pb2_grpc  # noqa: E402

TARGET, CASE = sys.argv[2], sys.argv[3]
TOKEN = sys.argv[4] if len(sys.argv) > 4 else ""


def emit(**fields):
    print(json.dumps(fields), flush=True)


def run(channel):
    stub = sink_pb2_grpc.SinkServiceStub(channel)
    if CASE == "health":
        health = health_pb2_grpc.HealthStub(channel)
        overall = health.Check(health_pb2.HealthCheckRequest(service=""), timeout=10)
        emit(event="ok", status=health_pb2.HealthCheckResponse.ServingStatus.Name(overall.status))
    elif CASE == "unary":
        status = stub.GetStatus(pb.GetStatusRequest(), timeout=10)
        emit(event="ok", phase=pb.Phase.Name(status.pipeline.phase), tables=sorted(t.name for t in status.tables))
    elif CASE == "stream":
        # The current status first, then the change a pause (with the token) makes, then resume.
        call = stub.Watch(pb.WatchRequest(), timeout=30)
        phases = [pb.Phase.Name(next(call).pipeline.phase)]
        metadata = [("authorization", "Bearer " + TOKEN)]
        stub.Pause(pb.PauseRequest(reason="python"), metadata=metadata, timeout=10)
        reason = ""
        for update in call:
            if update.pipeline.phase == pb.PHASE_PAUSED:
                phases.append(pb.Phase.Name(update.pipeline.phase))
                reason = update.pipeline.reason
                break
        call.cancel()
        stub.Resume(pb.ResumeRequest(), metadata=metadata, timeout=10)
        emit(event="ok", phases=phases, reason=reason)
    elif CASE == "deadline":
        started = time.monotonic()
        try:
            for _ in stub.Watch(pb.WatchRequest(), timeout=0.5):
                pass
            emit(event="ended")
        except grpc.RpcError as e:
            emit(event="error", code=e.code().name, seconds=time.monotonic() - started)
    elif CASE in ("pause-none", "pause-wrong"):
        metadata = [] if CASE == "pause-none" else [("authorization", "Bearer wrong-token-hunter2")]
        try:
            stub.Pause(pb.PauseRequest(reason="nope"), metadata=metadata, timeout=10)
            emit(event="ok")
        except grpc.RpcError as e:
            emit(event="error", code=e.code().name, details=e.details())
    else:
        emit(event="unknown-case", case=CASE)


with grpc.insecure_channel(TARGET) as channel:
    try:
        run(channel)
    except grpc.RpcError as e:
        emit(event="error", code=e.code().name, details=e.details())
