"""Unary calls/s and latency of python3-grpcio against a server: sequential SinkService.GetStatus calls on one channel,
with a deadline per call as the .NET run sets.

Usage: bench_client.py <stub_dir> <host:port> <seconds>. Prints "<calls> <seconds> <p50_ms> <p99_ms>".
"""
import sys
import time

sys.path.insert(0, sys.argv[1])

import grpc  # noqa: E402
import sink_pb2 as pb  # noqa: E402
import sink_pb2_grpc  # noqa: E402

with grpc.insecure_channel(sys.argv[2]) as channel:
    stub = sink_pb2_grpc.SinkServiceStub(channel)
    request = pb.GetStatusRequest()
    for _ in range(200):
        stub.GetStatus(request, timeout=10)
    latencies = []
    deadline = time.perf_counter() + float(sys.argv[3])
    started = time.perf_counter()
    while time.perf_counter() < deadline:
        t = time.perf_counter()
        stub.GetStatus(request, timeout=10)
        latencies.append(time.perf_counter() - t)
    elapsed = time.perf_counter() - started
    latencies.sort()
    p50 = latencies[len(latencies) // 2] * 1000
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000
    print("%d %.3f %.3f %.3f" % (len(latencies), elapsed, p50, p99), flush=True)
