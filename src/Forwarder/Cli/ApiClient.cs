using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Forwarder.Api;

namespace Forwarder.Cli;

/// <summary>
/// Talks to a running forwarder's control API, over TCP or its Unix socket, as the API requires: bodies as
/// <c>application/json</c>, no Origin, Host the address dialled (<c>localhost</c> on a socket), the token when
/// given. A forwarder that does not answer is an <see cref="ApiUnreachableException"/> with a message saying what to check.
/// </summary>
public sealed class ApiClient : IDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    private readonly ApiAddress _address;
    private readonly HttpClient _http;

    public ApiClient(ApiAddress address, TimeSpan? timeout = null)
        : this(new ApiTarget(address), timeout)
    {
    }

    /// <param name="target">The address, and the token sent with every request when there is one.</param>
    public ApiClient(ApiTarget target, TimeSpan? timeout = null)
    {
        ApiAddress address = _address = target.Address;
        var handler = new SocketsHttpHandler { UseProxy = false, ConnectTimeout = TimeSpan.FromSeconds(3) };
        if (address.SocketPath is { } path)
        {
            handler.ConnectCallback = async (_, cancel) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancel);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
        }
        _http = new HttpClient(handler)
        {
            BaseAddress = new Uri(address.SocketPath is null ? $"http://{Dialled(address)}/" : "http://localhost/"),
            Timeout = timeout ?? DefaultTimeout,
        };
        if (target.Token is { } token)
            _http.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", token.AuthorizationValue);
    }

    /// <summary>
    /// The address to dial: a wildcard one (<c>0.0.0.0</c>, <c>::</c>, as given to <c>run --api</c>) is reached on
    /// loopback, so that Host names the address the API sees the connection arrive on.
    /// </summary>
    private static ApiAddress Dialled(ApiAddress address) => address.EndPoint switch
    {
        { } endPoint when endPoint.Address.Equals(IPAddress.Any) => ApiAddress.Tcp(new IPEndPoint(IPAddress.Loopback, endPoint.Port)),
        { } endPoint when endPoint.Address.Equals(IPAddress.IPv6Any) => ApiAddress.Tcp(new IPEndPoint(IPAddress.IPv6Loopback, endPoint.Port)),
        _ => address,
    };

    public Task<ApiResponse> GetAsync(string path, CancellationToken cancel = default) => SendAsync(HttpMethod.Get, path, null, cancel);

    /// <exception cref="ApiUnreachableException">Nothing answers at the address, or the answer took too long.</exception>
    public async Task<ApiResponse> SendAsync(HttpMethod method, string path, string? jsonBody, CancellationToken cancel = default)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        if (jsonBody is not null)
            request.Content = new StringContent(jsonBody, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        try
        {
            using HttpResponseMessage response = await _http.SendAsync(request, cancel);
            return new ApiResponse((int)response.StatusCode, await response.Content.ReadAsStringAsync(cancel));
        }
        catch (HttpRequestException e)
        {
            throw new ApiUnreachableException(_address, e);
        }
        catch (TaskCanceledException e) when (!cancel.IsCancellationRequested)
        {
            throw new ApiUnreachableException(_address, e); // timed out
        }
    }

    /// <summary>
    /// Sends a request whose answer is a stream (<c>POST /capture</c>): returns once the headers are in; the caller reads
    /// the body as it comes and disposes the response, which ends the request.
    /// </summary>
    /// <exception cref="ApiUnreachableException">Nothing answers at the address.</exception>
    public async Task<HttpResponseMessage> OpenStreamAsync(HttpMethod method, string path, CancellationToken cancel = default)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        try
        {
            return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel);
        }
        catch (HttpRequestException e)
        {
            throw new ApiUnreachableException(_address, e);
        }
        catch (TaskCanceledException e) when (!cancel.IsCancellationRequested)
        {
            throw new ApiUnreachableException(_address, e); // timed out
        }
    }

    public void Dispose() => _http.Dispose();
}
