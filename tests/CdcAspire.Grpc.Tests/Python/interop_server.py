"""python3-grpcio as a server for our client. Prints "PORT <n>", then one line per event ("CANCELLED <tag>");
stops when stdin closes. Usage: interop_server.py <stub_dir>. Run with /usr/bin/python3.
"""
import sys
import threading
import time
from concurrent import futures

sys.path.insert(0, sys.argv[1])

import grpc  # noqa: E402
import health_pb2  # noqa: E402
import health_pb2_grpc  # noqa: E402
import interop_pb2 as pb  # noqa: E402
import interop_pb2_grpc  # noqa: E402

CODES = {c.value[0]: c for c in grpc.StatusCode}


def event(text):
    print(text, flush=True)


def wait_active(context, seconds):
    """Sleeps up to `seconds` while the call is alive; False when it was cancelled or its deadline passed."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if not context.is_active():
            return False
        time.sleep(0.01)
    return context.is_active()


class Interop(interop_pb2_grpc.InteropServicer):
    def Echo(self, request, context):
        echoed = [(k, v) for k, v in context.invocation_metadata() if k.startswith("x-")]
        context.send_initial_metadata(echoed)
        context.set_trailing_metadata([("x-trailer", "done"), ("x-trailer-bin", b"\x01\x02")])
        if request.text == "gzip":
            context.set_compression(grpc.Compression.Gzip)
        return pb.EchoResponse(text=request.text, payload=request.payload)

    def Count(self, request, context):
        # grpcio stops pulling a cancelled stream's generator, so cancellation is seen by the termination callback.
        state = {"finished": False}
        context.add_callback(lambda: None if state["finished"] else event("CANCELLED " + request.tag))
        for i in range(request.count):
            if request.delay_ms:
                wait_active(context, request.delay_ms / 1000)
            yield pb.CountResponse(index=i)
        state["finished"] = True

    def Fail(self, request, context):
        context.abort(CODES[request.code], request.message)

    def Slow(self, request, context):
        if not wait_active(context, request.delay_ms / 1000):
            event("CANCELLED " + request.tag)
        return pb.SlowResponse()

    def Large(self, request, context):
        return pb.LargeResponse(payload=b"L" * request.size)


class Health(health_pb2_grpc.HealthServicer):
    def Check(self, request, context):
        if request.service == "":
            return health_pb2.HealthCheckResponse(status=health_pb2.HealthCheckResponse.SERVING)
        context.abort(grpc.StatusCode.NOT_FOUND, "unknown service")

    def Watch(self, request, context):
        yield health_pb2.HealthCheckResponse(status=health_pb2.HealthCheckResponse.SERVING)
        if wait_active(context, 0.2):
            yield health_pb2.HealthCheckResponse(status=health_pb2.HealthCheckResponse.NOT_SERVING)
        wait_active(context, 30)


server = grpc.server(futures.ThreadPoolExecutor(max_workers=8))
interop_pb2_grpc.add_InteropServicer_to_server(Interop(), server)
health_pb2_grpc.add_HealthServicer_to_server(Health(), server)
port = server.add_insecure_port("127.0.0.1:0")
server.start()
event("PORT %d" % port)
stopped = threading.Event()
threading.Thread(target=lambda: (sys.stdin.read(), stopped.set()), daemon=True).start()
stopped.wait()
server.stop(0)
