using Trading.Workflow.Engine.Model;
using Trading.Workflow.Engine.Parsing;
using Trading.Workflow.Engine.Validation;

namespace Trading.Workflow.Web.Designer;

/// <summary>One file given to the designer's import: its name and its text.</summary>
public sealed record ImportFile(string Name, string Text);

/// <summary>
/// One file as the browser uploads it: its name, its size as the browser reports it, and how to open it (with the most
/// bytes the stream may give, as <c>IBrowserFile.OpenReadStream</c> takes).
/// </summary>
public sealed record ImportUpload(string Name, long Size, Func<long, Stream> Open);

/// <summary>One imported file, converted to our attributes (<see cref="VendorImport"/>), with the processes it defines.</summary>
public sealed record ImportedFile(string Name, string Xml, int ConvertedAttributes, IReadOnlyList<string> ProcessIds, IReadOnlyList<DesignerProblem> Problems);

/// <summary>
/// The files imported together: those that could be read, validated as one set, and the problems of those that could
/// not (each naming its file).
/// </summary>
public sealed record ImportedSet(IReadOnlyList<ImportedFile> Files, IReadOnlyList<DesignerProblem> Unreadable)
{
    public bool Readable => Unreadable.Count == 0;

    /// <summary>The file defining the process, or null.</summary>
    public ImportedFile? Defining(string processId) => Files.FirstOrDefault(f => f.ProcessIds.Contains(processId, StringComparer.Ordinal));

    public IEnumerable<DesignerProblem> AllProblems => Unreadable.Concat(Files.SelectMany(f => f.Problems));
}

/// <summary>
/// Reads the files an administrator imports at once in the designer as one set, the way they will be deployed: a
/// call activity may name a process of any file of the set, whatever the order, and a process defined twice is an
/// error (<see cref="BpmnValidator.ValidateSet"/>).
/// </summary>
public sealed class DesignerImport(DesignerValidation validation)
{
    /// <summary>
    /// Reads uploaded files as the command line reads them (<see cref="BpmnParser.DecodeText"/>): a file over the
    /// parser's size limit gets its size message without being read, the encoding comes from the byte-order mark or the
    /// XML declaration, and bytes invalid in it are refused rather than replaced. Then as <see cref="Read"/>.
    /// </summary>
    public async Task<ImportedSet> ReadUploadsAsync(IReadOnlyList<ImportUpload> uploads, IReadOnlySet<string>? deployedProcessIds = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(uploads);
        var maxBytes = BpmnParserOptions.Default.MaxBytes;
        var files = new List<ImportFile>();
        var unreadable = new List<DesignerProblem>();
        foreach (var upload in uploads)
        {
            try
            {
                if (upload.Size > maxBytes)
                {
                    // The parser's own answer for a file over the limit, before a byte is read.
                    throw BpmnParser.TooLarge(maxBytes);
                }

                using var buffer = new MemoryStream();
                await using (var stream = upload.Open(maxBytes))
                {
                    await stream.CopyToAsync(buffer, cancellationToken);
                }

                files.Add(new ImportFile(upload.Name, BpmnParser.DecodeText(buffer.ToArray())));
            }
            catch (BpmnParseException e)
            {
                unreadable.Add(Unreadable(e, upload.Name));
            }
        }

        var read = Read(files, deployedProcessIds);
        return read with { Unreadable = [.. unreadable, .. read.Unreadable] };
    }

    /// <param name="files">The files, in the order chosen.</param>
    /// <param name="deployedProcessIds">Procedures already in the catalog that call activities may call; null skips that check.</param>
    public ImportedSet Read(IReadOnlyList<ImportFile> files, IReadOnlySet<string>? deployedProcessIds = null)
    {
        ArgumentNullException.ThrowIfNull(files);
        var unreadable = new List<DesignerProblem>();
        var converted = new List<(ImportFile File, VendorImportResult Result, BpmnDefinitions Definitions)>();
        foreach (var file in files)
        {
            try
            {
                var result = VendorImport.ToOurs(file.Text);
                converted.Add((file, result, BpmnParser.Parse(result.Xml)));
            }
            catch (BpmnParseException e)
            {
                unreadable.Add(Unreadable(e, file.Name));
            }
        }

        var problems = validation.CheckSet(converted.Select(c => c.Definitions).ToList(), deployedProcessIds);
        var imported = converted
            .Select((c, i) => new ImportedFile(
                c.File.Name,
                c.Result.Xml,
                c.Result.ConvertedAttributes,
                c.Definitions.Processes.Select(p => p.Id).ToList(),
                problems[i].Select(p => p with { File = c.File.Name }).ToList()))
            .ToList();
        return new ImportedSet(imported, unreadable);
    }

    private static DesignerProblem Unreadable(BpmnParseException e, string file) =>
        new(null, null, e.Code, ValidationSeverity.Error, e.MessageZh, e.MessageEn, e.LineNumber, file);
}
