using Trading.Workflow.Domain.Documents;

namespace Trading.Workflow.Domain.Notices;

/// <summary>
/// A document published with a notice: the file store keeps its bytes by <see cref="Sha256"/>; the portal shows the
/// hash beside the link so anyone can check what they downloaded.
/// </summary>
public sealed record NoticeAttachment(string Sha256, string Name, long Length)
{
    public static NoticeAttachment From(StoredFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        return Create(file.Sha256, file.Name, file.Length);
    }

    /// <summary>Checks the parts of an attachment read back from a client or the database.</summary>
    public static NoticeAttachment Create(string sha256, string name, long length)
    {
        if (sha256 is not { Length: 64 } || !sha256.All(char.IsAsciiHexDigitLower))
        {
            throw new DomainRuleException(NoticeRules.AttachmentInvalid, "An attachment is named by the lower-case SHA-256 of its bytes.");
        }

        if (length <= 0)
        {
            throw new DomainRuleException(NoticeRules.AttachmentInvalid, "An attachment has at least one byte.");
        }

        return new NoticeAttachment(sha256, FilePolicy.CleanName(name), length);
    }
}
