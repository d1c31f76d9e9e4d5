using System.Diagnostics;
using CdcAspire.Grpc.Diagnostics;
using CdcAspire.Grpc.Protocol;
using Google.Protobuf;

namespace CdcAspire.Grpc.Client;

/// <summary>
/// One outbound call on the wire. Every failure leaves as an <see cref="RpcException"/>: HTTP and transport errors
/// are mapped to gRPC statuses, the deadline to DEADLINE_EXCEEDED, the caller's cancellation to CANCELLED.
/// Disposing before the end resets the HTTP/2 stream (the server's handler sees its token fire).
/// </summary>
internal sealed class ClientCall<TResponse> : IDisposable
    where TResponse : class, IMessage<TResponse>
{
    private readonly GrpcChannel _channel;
    private readonly string _service;
    private readonly string _method;
    private readonly string _path;
    private readonly MessageParser<TResponse> _parser;
    private readonly byte[] _requestFrame;
    private readonly Metadata? _headers;
    private readonly CancellationToken _userToken;
    private readonly CancellationTokenSource _deadline = new();
    private readonly CancellationTokenSource _linked;
    private readonly Activity? _activity;
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly TimeSpan? _timeout;
    private HttpRequestMessage? _request;
    private HttpResponseMessage? _response;
    private Stream? _body;
    private string? _encoding;
    private bool _finished;

    public ClientCall(GrpcChannel channel, string service, string method, MessageParser<TResponse> parser, IMessage request,
        CallOptions options, CancellationToken enumeratorToken)
    {
        _channel = channel;
        _service = service;
        _method = method;
        _path = service + "/" + method;
        _parser = parser;
        _requestFrame = MessageFraming.Frame(request, channel.Options.MaxSendMessageSize);
        _headers = options.Headers;
        _timeout = options.Timeout;
        _linked = CancellationTokenSource.CreateLinkedTokenSource(options.CancellationToken, enumeratorToken, _deadline.Token);
        _userToken = _linked.Token;
        if (options.Timeout is { } timeout)
        {
            _deadline.CancelAfter(timeout > TimeSpan.Zero ? timeout : TimeSpan.Zero);
        }

        var previous = Activity.Current;
        _activity = GrpcTelemetry.StartCall(ActivityKind.Client, service, method);
        _activity?.SetTag(GrpcTelemetry.ServerAddress, channel.Address.Host);
        _activity?.SetTag(GrpcTelemetry.ServerPort, channel.Address.Port);
        Activity.Current = previous; // the span covers the call, not the caller's code between stream reads
    }

    public Metadata ResponseHeaders { get; } = [];

    public Metadata Trailers { get; } = [];

    public async Task StartAsync()
    {
        try
        {
            _request = ClientProtocol.CreateRequest(_channel, _path, _requestFrame, _headers, _timeout, _activity);
            _response = await _channel.HttpClient.SendAsync(_request, HttpCompletionOption.ResponseHeadersRead, _userToken);
            ClientProtocol.CheckResponse(_response);
            ClientProtocol.CopyMetadata(_response.Headers, ResponseHeaders);
            _encoding = ClientProtocol.GetHeader(_response.Headers, GrpcProtocol.EncodingHeader);
            if (ClientProtocol.GetHeader(_response.Headers, GrpcProtocol.StatusHeader) is not null)
            {
                // Trailers-Only: the status came in the headers and there is no body.
                ClientProtocol.CopyMetadata(_response.Headers, Trailers);
                EndWithStatus(ClientProtocol.ReadStatus(_response.Headers));
                return;
            }

            _body = await _response.Content.ReadAsStreamAsync(_userToken);
        }
        catch (Exception ex) when (ex is not RpcException || !_finished)
        {
            throw Fail(ex);
        }
    }

    /// <summary>The next message, or null when the call ended with OK.</summary>
    public async Task<TResponse?> ReadNextAsync()
    {
        if (_finished)
        {
            return null;
        }

        try
        {
            var message = await MessageFraming.ReadAsync(_body!, _parser, _encoding,
                _channel.Options.MaxReceiveMessageSize, StatusCode.Internal, _userToken);
            if (message is not null)
            {
                return message;
            }

            ClientProtocol.CopyMetadata(_response!.TrailingHeaders, Trailers);
            EndWithStatus(ClientProtocol.ReadStatus(_response.TrailingHeaders));
            return null;
        }
        catch (Exception ex) when (ex is not RpcException || !_finished)
        {
            throw Fail(ex);
        }
    }

    public void Dispose()
    {
        if (!_finished)
        {
            Finish(StatusCode.Cancelled, "The call was disposed before it ended.");
        }

        // Disposing an unfinished response resets the HTTP/2 stream (RST_STREAM CANCEL).
        _response?.Dispose();
        _request?.Dispose();
        _linked.Dispose();
        _deadline.Dispose();
    }

    private void EndWithStatus((StatusCode Code, string Detail) status)
    {
        Finish(status.Code, status.Detail);
        if (status.Code != StatusCode.OK)
        {
            throw new RpcException(status.Code, status.Detail, Trailers);
        }
    }

    private RpcException Fail(Exception ex)
    {
        var error = ex switch
        {
            _ when _deadline.IsCancellationRequested => new RpcException(StatusCode.DeadlineExceeded, "Deadline exceeded.", null, ex),
            _ when _userToken.IsCancellationRequested => new RpcException(StatusCode.Cancelled, "The call was cancelled by the caller.", null, ex),
            RpcException rpc => rpc,
            HttpRequestException http when http.InnerException is HttpProtocolException protocol => ClientProtocol.FromReset(protocol),
            HttpProtocolException protocol => ClientProtocol.FromReset(protocol),
            HttpRequestException http => new RpcException(StatusCode.Unavailable,
                $"Cannot reach {_channel.Address}: {http.Message}", null, ex),
            IOException io => new RpcException(StatusCode.Unavailable, $"Connection to {_channel.Address} broke: {io.Message}", null, ex),
            _ => new RpcException(StatusCode.Internal, $"The call failed on the client: {ex.Message}", null, ex),
        };
        Finish(error.StatusCode, error.Detail);
        return error;
    }

    private void Finish(StatusCode status, string? detail)
    {
        if (_finished)
        {
            return;
        }

        _finished = true;
        GrpcTelemetry.SetStatus(_activity, status, status != StatusCode.OK, detail);
        _activity?.Dispose();
        _channel.Metrics.RecordClient(_service, _method, status, Stopwatch.GetElapsedTime(_started));
    }
}
