"""python3-grpcio as a client of our server. One case per process; prints one JSON line per event.

Usage: interop_client.py <stub_dir> <host:port> <case> [token]
Run with /usr/bin/python3 (Debian's interpreter, which has grpcio).
"""
import json
import sys
import time

sys.path.insert(0, sys.argv[1])

import grpc  # noqa: E402
import health_pb2  # noqa: E402
import health_pb2_grpc  # noqa: E402
import interop_pb2 as pb  # noqa: E402
import interop_pb2_grpc  # noqa: E402

TARGET, CASE = sys.argv[2], sys.argv[3]
TOKEN = sys.argv[4] if len(sys.argv) > 4 else ""


def emit(**fields):
    print(json.dumps(fields), flush=True)


def error(e):
    emit(event="error", code=e.code().name, details=e.details())


def md(pairs):
    return {k: (v.hex() if isinstance(v, bytes) else v) for k, v in pairs}


def run(channel, stub):
    if CASE == "echo":
        response, call = stub.Echo.with_call(
            pb.EchoRequest(text="héllo"),
            metadata=[("x-text", "plain"), ("x-data-bin", b"\x00\x01\xfe"), ("y-ignored", "no")],
            timeout=10)
        emit(event="ok", text=response.text, headers=md(call.initial_metadata()), trailers=md(call.trailing_metadata()))
    elif CASE == "echo-gzip":
        response = stub.Echo(pb.EchoRequest(text="compressed " * 100), compression=grpc.Compression.Gzip, timeout=10)
        emit(event="ok", text=response.text)
    elif CASE == "count":
        indexes = [r.index for r in stub.Count(pb.CountRequest(count=5), timeout=10)]
        emit(event="ok", indexes=indexes)
    elif CASE == "cancel-stream":
        call = stub.Count(pb.CountRequest(count=1000, delay_ms=50, tag="py-cancel"), timeout=30)
        received = [next(call).index, next(call).index]
        call.cancel()
        emit(event="cancelled", received=received, code=call.code().name)
    elif CASE == "deadline":
        started = time.monotonic()
        try:
            stub.Slow(pb.SlowRequest(delay_ms=10000, tag="py-deadline"), timeout=0.3)
            emit(event="ok")
        except grpc.RpcError as e:
            emit(event="error", code=e.code().name, details=e.details(), seconds=time.monotonic() - started)
    elif CASE == "fail":
        try:
            stub.Fail(pb.FailRequest(code=9, message="table ünïcode 100% failed\nline2"), timeout=10)
        except grpc.RpcError as e:
            error(e)
    elif CASE == "throw":
        try:
            stub.Throw(pb.EchoRequest(), timeout=10)
        except grpc.RpcError as e:
            error(e)
    elif CASE in ("unknown-method", "unknown-service", "unbound"):
        path = {"unknown-method": "/cdcaspire.interop.v1.Interop/Nope",
                "unknown-service": "/cdcaspire.nothing.v1.Nothing/Nope",
                "unbound": "/cdcaspire.interop.v1.Interop/Unbound"}[CASE]
        call = channel.unary_unary(path, request_serializer=pb.EchoRequest.SerializeToString,
                                   response_deserializer=pb.EchoResponse.FromString)
        try:
            call(pb.EchoRequest(), timeout=10)
        except grpc.RpcError as e:
            error(e)
    elif CASE == "large":
        payload = bytes(range(256)) * (3 * 1024 * 1024 // 256)
        echoed = stub.Echo(pb.EchoRequest(payload=payload), timeout=30)
        large = stub.Large(pb.LargeRequest(size=3 * 1024 * 1024), timeout=30)
        emit(event="ok", echoed=len(echoed.payload), same=echoed.payload == payload, large=len(large.payload))
    elif CASE == "too-large":
        try:
            stub.Echo(pb.EchoRequest(payload=b"x" * (5 * 1024 * 1024)), timeout=30)
        except grpc.RpcError as e:
            error(e)
    elif CASE in ("secret-none", "secret-wrong", "secret-right"):
        metadata = {"secret-none": [], "secret-wrong": [("authorization", "Bearer wrong-token")],
                    "secret-right": [("authorization", "Bearer " + TOKEN)]}[CASE]
        try:
            response = stub.Secret(pb.EchoRequest(text="s"), metadata=metadata, timeout=10)
            emit(event="ok", text=response.text)
        except grpc.RpcError as e:
            error(e)
    elif CASE == "health-check":
        health = health_pb2_grpc.HealthStub(channel)
        overall = health.Check(health_pb2.HealthCheckRequest(service=""), timeout=10)
        named = health.Check(health_pb2.HealthCheckRequest(service="sink"), timeout=10)
        try:
            health.Check(health_pb2.HealthCheckRequest(service="nope"), timeout=10)
            unknown = "OK"
        except grpc.RpcError as e:
            unknown = e.code().name
        emit(event="ok", overall=health_pb2.HealthCheckResponse.ServingStatus.Name(overall.status),
             named=health_pb2.HealthCheckResponse.ServingStatus.Name(named.status), unknown=unknown)
    elif CASE == "health-watch":
        # Prints each status; the test flips the check after the first one and waits for the second.
        health = health_pb2_grpc.HealthStub(channel)
        call = health.Watch(health_pb2.HealthCheckRequest(service="toggle"), timeout=30)
        for i, response in enumerate(call):
            emit(event="status", status=health_pb2.HealthCheckResponse.ServingStatus.Name(response.status))
            if i == 1:
                call.cancel()
                break
    else:
        emit(event="unknown-case", case=CASE)


with grpc.insecure_channel(TARGET) as channel:
    try:
        run(channel, interop_pb2_grpc.InteropStub(channel))
    except grpc.RpcError as e:
        error(e)
