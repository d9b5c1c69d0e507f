using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace Trading.Workflow.Web.Tests.Infrastructure;

/// <summary>Signs in through the real static-SSR login form, antiforgery token included.</summary>
public static class FormClient
{
    public static async Task<IHtmlDocument> GetDocumentAsync(this HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        response.EnsureSuccessStatusCode();
        return await new HtmlParser().ParseDocumentAsync(await response.Content.ReadAsStringAsync());
    }

    /// <summary>Posts the login form and returns the response (a redirect on success, the form again on failure).</summary>
    public static async Task<HttpResponseMessage> PostLoginAsync(this HttpClient client, string userName, string password)
    {
        var form = (await client.GetDocumentAsync("/Account/Login")).QuerySelector<IHtmlFormElement>("form[method=post]")
                   ?? throw new InvalidOperationException("The login page has no form.");
        var fields = form.Elements.OfType<IHtmlInputElement>()
            .Where(i => i.Type == "hidden" && !string.IsNullOrEmpty(i.Name))
            .Select(i => new KeyValuePair<string, string>(i.Name!, i.Value))
            .Append(new("Input.UserName", userName))
            .Append(new("Input.Password", password));
        return await client.PostAsync(form.GetAttribute("action") is { Length: > 0 } action ? action : "/Account/Login", new FormUrlEncodedContent(fields));
    }

    /// <summary>The login form's error message in a response, or null when it shows none.</summary>
    public static async Task<string?> LoginErrorAsync(this HttpResponseMessage response)
    {
        var page = await new HtmlParser().ParseDocumentAsync(await response.Content.ReadAsStringAsync());
        return page.QuerySelector("[data-testid=login-error]")?.TextContent;
    }

    public static async Task SignInAsync(this HttpClient client, string userName, string password = "Demo@2026")
    {
        var response = await client.PostLoginAsync(userName, password);
        // A client that follows redirects lands on the return page; one that does not sees the redirect.
        var landedElsewhere = response.IsSuccessStatusCode
                              && response.RequestMessage?.RequestUri?.AbsolutePath.StartsWith("/Account/Login", StringComparison.Ordinal) == false;
        if (response.StatusCode != HttpStatusCode.Redirect && !landedElsewhere)
        {
            throw new InvalidOperationException($"Sign-in of {userName} failed with {(int)response.StatusCode}.");
        }
    }
}
