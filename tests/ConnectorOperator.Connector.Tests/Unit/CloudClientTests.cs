using System.Net;
using System.Text;
using ConnectorOperator.Connector.Bot;
using ConnectorOperator.Connector.Cloud;
using ConnectorOperator.Connector.Configuration;
using ConnectorOperator.Connector.Tests.Support;

namespace ConnectorOperator.Connector.Tests.Unit;

public sealed class CloudClientTests
{
    /// <summary>Answers every request with a scripted response and remembers the requests.</summary>
    private sealed class ScriptedHandler(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        public List<HttpRequestMessage> Requests { get; } = [];

        public List<string> Bodies { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(request);
            Bodies.Add(request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken));
            return answer(request);
        }
    }

    private static HttpResponseMessage Json(HttpStatusCode status, string body) =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    private const string BaseUris = """{"baseURIs":[{"service":"agentVep","account":"123","baseURI":"vep.example:8443"},{"service":"asyncMessagingEnt","account":"123","baseURI":"msg.example"}]}""";

    [Fact]
    public async Task Bare_csds_host_means_https_and_wss()
    {
        var handler = new ScriptedHandler(_ => Json(HttpStatusCode.OK, BaseUris));
        var resolver = new DomainResolver(new HttpClient(handler), "csds.example", "123", new ManualTimeProvider(), TimeSpan.FromSeconds(60));

        var domains = await resolver.ResolveAsync(false, CancellationToken.None);

        Assert.Equal("https://csds.example/api/account/123/service/baseURI.json?version=1.0", handler.Requests[0].RequestUri!.ToString());
        Assert.Equal(new Uri("https://vep.example:8443/"), domains.AgentVep);
        Assert.Equal(new Uri("wss://msg.example/"), domains.MessagingSocket);
    }

    [Fact]
    public async Task Explicit_http_csds_means_http_and_ws_and_results_are_cached_for_a_minute()
    {
        var clock = new ManualTimeProvider();
        var handler = new ScriptedHandler(_ => Json(HttpStatusCode.OK, BaseUris));
        var resolver = new DomainResolver(new HttpClient(handler), "http://127.0.0.1:5000", "123", clock, TimeSpan.FromSeconds(60));

        var domains = await resolver.ResolveAsync(false, CancellationToken.None);
        await resolver.ResolveAsync(false, CancellationToken.None);
        Assert.Single(handler.Requests);
        Assert.Equal(new Uri("ws://msg.example/"), domains.MessagingSocket);

        await resolver.ResolveAsync(true, CancellationToken.None);
        Assert.Equal(2, handler.Requests.Count);
        clock.Advance(TimeSpan.FromSeconds(61));
        await resolver.ResolveAsync(false, CancellationToken.None);
        Assert.Equal(3, handler.Requests.Count);
    }

    [Fact]
    public async Task Facade_messaging_is_the_fallback_socket_service()
    {
        var handler = new ScriptedHandler(_ => Json(HttpStatusCode.OK, """{"baseURIs":[{"service":"agentVep","baseURI":"vep"},{"service":"facadeMsg","baseURI":"facade"}]}"""));
        var resolver = new DomainResolver(new HttpClient(handler), "csds", "1", new ManualTimeProvider(), TimeSpan.Zero);

        Assert.Equal(new Uri("wss://facade/"), (await resolver.ResolveAsync(false, CancellationToken.None)).MessagingSocket);
    }

    [Fact]
    public async Task Unknown_account_says_to_check_the_account_number()
    {
        var handler = new ScriptedHandler(_ => Json(HttpStatusCode.NotFound, "{}"));
        var resolver = new DomainResolver(new HttpClient(handler), "csds.example", "12345678", new ManualTimeProvider(), TimeSpan.Zero);

        var error = await Assert.ThrowsAsync<CloudFailureException>(() => resolver.ResolveAsync(false, CancellationToken.None));

        Assert.Equal("account 12345678 is not known at csds.example (domain lookup returned 404): check spec.accountId", error.Message);
    }

    [Fact]
    public async Task Refused_login_says_what_to_fix_and_never_echoes_the_credentials()
    {
        var handler = new ScriptedHandler(_ => Json(HttpStatusCode.Unauthorized, """{"error":"invalid credentials"}"""));
        var credentials = new LoginCredentials { AppKey = "k-value-1", AppSecret = "s-value-2", AccessToken = "t-value-3", AccessTokenSecret = "ts-value-4" };
        var login = new LoginClient(new HttpClient(handler), "123", "bot1", credentials, new SecretRedactor(credentials.SecretValues()));

        var error = await Assert.ThrowsAsync<CloudFailureException>(() => login.LoginAsync(new Uri("http://vep/"), CancellationToken.None));

        Assert.Equal(ConnectorReasons.Unauthorized, error.Reason);
        Assert.StartsWith("login for agent user 'bot1' was refused (401): check the credentials Secret and that the user is enabled and uses API-key login", error.Message, StringComparison.Ordinal);
        var body = handler.Bodies[0];
        Assert.Contains("\"appKey\":\"k-value-1\"", body, StringComparison.Ordinal);
        foreach (var secret in credentials.SecretValues())
        {
            Assert.DoesNotContain(secret, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Login_reads_the_session_and_refresh_sends_csrf_with_the_cookie()
    {
        var handler = new ScriptedHandler(request =>
        {
            if (request.RequestUri!.AbsolutePath.EndsWith("/login", StringComparison.Ordinal))
            {
                var response = Json(HttpStatusCode.OK, """{"bearer":"bearer-abc","csrf":"csrf-def","sessionTTl":"1200","config":{"userId":"123.7","loginName":"bot1"}}""");
                response.Headers.Add("Set-Cookie", "session_id=cookie-ghi; Path=/; HttpOnly");
                return response;
            }

            return Json(HttpStatusCode.OK, "{}");
        });
        var redactor = new SecretRedactor();
        var login = new LoginClient(new HttpClient(handler), "123", "bot1", new LoginCredentials { Password = "pw-12345" }, redactor);

        var session = await login.LoginAsync(new Uri("http://vep/"), CancellationToken.None);
        await login.RefreshAsync(new Uri("http://vep/"), session, CancellationToken.None);

        Assert.Equal("123.7", session.UserId);
        Assert.Equal("session_id=cookie-ghi", session.SessionCookie);
        var refresh = handler.Requests[1];
        Assert.Equal("/api/account/123/refresh", refresh.RequestUri!.AbsolutePath);
        Assert.Equal("session_id=cookie-ghi", refresh.Headers.GetValues("Cookie").Single());
        Assert.Contains("csrf-def", handler.Bodies[1], StringComparison.Ordinal);
        Assert.Equal("x *** *** ***", redactor.Redact("x bearer-abc csrf-def cookie-ghi"));
        Assert.DoesNotContain("bearer-abc", session.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Bot_answer_parsing_follows_the_bot_contract()
    {
        var answer = BotClient.Parse("""{"replies":[{"text":"Hello!"},{"structuredContent":{"type":"vertical"}}],"action":{"type":"escalate","skillId":20},"seen":true}""");

        Assert.Equal(2, answer.Replies.Count);
        Assert.Equal("Hello!", answer.Replies[0].Text);
        Assert.NotNull(answer.Replies[1].StructuredContent);
        Assert.Equal(new BotAction("escalate", "20"), answer.Action);
        Assert.True(answer.Answered);
        Assert.False(BotClient.Parse("""{"replies":[],"seen":false}""").Answered);
        Assert.False(BotClient.Parse("").Answered);
    }
}
