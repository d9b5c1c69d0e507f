using System.Text;

namespace Trading.Workflow.Domain.Notifications;

/// <summary>The title and body of a notification as the recipient reads it.</summary>
public sealed record RenderedNotification(string Title, string Body);

/// <summary>
/// A notification's text in Chinese and English, with <c>{name}</c> placeholders filled from the values a rule
/// gives (<c>{{</c> and <c>}}</c> for literal braces). <see cref="Channels"/> are the external channels it also goes
/// out through by default (the in-app notification is always recorded).
/// </summary>
public sealed record NotificationTemplate(
    string Key,
    string TitleZh,
    string BodyZh,
    string TitleEn,
    string BodyEn,
    IReadOnlyList<string>? Channels = null)
{
    public IReadOnlyList<string> DefaultChannels => Channels ?? [];

    public RenderedNotification Render(string language, IReadOnlyDictionary<string, string>? values)
    {
        var english = NotificationLanguage.Normalize(language) == NotificationLanguage.English;
        return new RenderedNotification(
            Fill(english ? TitleEn : TitleZh, values),
            Fill(english ? BodyEn : BodyZh, values));
    }

    /// <summary>The placeholder names a text uses (to check a template against the values its rule gives).</summary>
    public IReadOnlySet<string> Placeholders()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var text in new[] { TitleZh, BodyZh, TitleEn, BodyEn })
        {
            Scan(text, names.Add);
        }

        return names;
    }

    /// <summary>Replaces each <c>{name}</c>; a name without a value stays visible as <c>{name}</c> rather than vanish.</summary>
    public static string Fill(string text, IReadOnlyDictionary<string, string>? values)
    {
        var result = new StringBuilder(text.Length + 32);
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '{' && i + 1 < text.Length && text[i + 1] == '{')
            {
                result.Append('{');
                i += 2;
                continue;
            }

            if (c == '}' && i + 1 < text.Length && text[i + 1] == '}')
            {
                result.Append('}');
                i += 2;
                continue;
            }

            if (c == '{')
            {
                var end = text.IndexOf('}', i + 1);
                if (end > i)
                {
                    var name = text[(i + 1)..end];
                    if (values is not null && values.TryGetValue(name, out var value))
                    {
                        result.Append(value);
                        i = end + 1;
                        // A typed value (a reason) that already ends its sentence keeps the template's full stop from
                        // doubling it: "原因：缺少执照。。" reads as a typo to the recipient.
                        if (i < text.Length && IsFullStop(text[i]) && value.TrimEnd().Length > 0 && IsSentenceEnd(value.TrimEnd()[^1]))
                        {
                            i++;
                        }
                    }
                    else
                    {
                        result.Append(text[i..(end + 1)]);
                        i = end + 1;
                    }

                    continue;
                }
            }

            result.Append(c);
            i++;
        }

        return result.ToString();
    }

    private static bool IsFullStop(char c) => c is '。' or '.';

    private static bool IsSentenceEnd(char c) => c is '。' or '.' or '！' or '!' or '？' or '?';

    private static void Scan(string text, Func<string, bool> add)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '{')
            {
                continue;
            }

            if (i + 1 < text.Length && text[i + 1] == '{')
            {
                i++;
                continue;
            }

            var end = text.IndexOf('}', i + 1);
            if (end > i)
            {
                add(text[(i + 1)..end]);
                i = end;
            }
        }
    }
}

/// <summary>Every registered template by key (<see cref="NotificationsServiceCollectionExtensions.AddNotificationTemplate"/>).</summary>
public sealed class NotificationTemplates
{
    private readonly Dictionary<string, NotificationTemplate> _templates = new(StringComparer.Ordinal);

    public NotificationTemplates(IEnumerable<NotificationTemplate> templates)
    {
        foreach (var template in templates)
        {
            if (!_templates.TryAdd(template.Key, template))
            {
                throw new InvalidOperationException($"The notification template '{template.Key}' is registered twice.");
            }
        }
    }

    public IReadOnlyCollection<NotificationTemplate> All => _templates.Values;

    public NotificationTemplate Get(string key) =>
        _templates.TryGetValue(key, out var template)
            ? template
            : throw new InvalidOperationException($"No notification template '{key}' is registered (AddNotificationTemplate).");
}
