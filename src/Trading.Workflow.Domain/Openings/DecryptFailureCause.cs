namespace Trading.Workflow.Domain.Openings;

/// <summary>Why a bid could not be opened.</summary>
public enum DecryptFailureCause
{
    /// <summary>The content key the bidder sent does not decrypt the bid (SM4 padding fails): a wrong key file or key.</summary>
    WrongKey,

    /// <summary>
    /// The bid decrypts, but a plaintext's SM3 or size differs from the manifest the bidder signed (also what a wrong key
    /// gives in the 1 in 256 cases where its garbage happens to end in valid padding).
    /// </summary>
    DigestMismatch,

    /// <summary>The bid letter decrypts and matches its digest but is not the letter the platform defines (price, duration, quality).</summary>
    LetterInvalid,

    /// <summary>The bidder did not decrypt before the window closed.</summary>
    WindowClosed,

    /// <summary>A stored ciphertext is missing or its SM3 no longer matches the manifest: the platform's storage failed.</summary>
    CiphertextDamaged,

    /// <summary>The stored manifest's signature no longer verifies against the bidder's key: the platform's records failed.</summary>
    SignatureInvalid,
}

/// <summary>Whose fault a failure is (电子招标投标办法 Art 31, domain.md §2).</summary>
public enum DecryptFault
{
    /// <summary>Treated as a withdrawal after the deadline: the deposit may be kept.</summary>
    Bidder,

    /// <summary>Platform, CA or network: treated as a withdrawal before the deadline, the deposit is refunded.</summary>
    Platform,
}

public static class DecryptFailures
{
    public static DecryptFault FaultOf(DecryptFailureCause cause) => cause switch
    {
        DecryptFailureCause.WrongKey or DecryptFailureCause.DigestMismatch or DecryptFailureCause.LetterInvalid or DecryptFailureCause.WindowClosed => DecryptFault.Bidder,
        DecryptFailureCause.CiphertextDamaged or DecryptFailureCause.SignatureInvalid => DecryptFault.Platform,
        _ => throw new ArgumentOutOfRangeException(nameof(cause), cause, "Unknown cause."),
    };

    /// <summary>
    /// A bidder's fault found at an attempt may still be cured by another attempt within the window (the right key file);
    /// a platform fault will not be, so it settles the bid at once.
    /// </summary>
    public static bool IsFinal(DecryptFailureCause cause) => FaultOf(cause) == DecryptFault.Platform || cause == DecryptFailureCause.WindowClosed;
}
