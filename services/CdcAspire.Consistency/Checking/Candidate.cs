using CdcAspire.Consistency.V1;

namespace CdcAspire.Consistency.Checking;

/// <summary>A difference the first pass saw, to be confirmed by a re-check before it is reported.</summary>
public readonly record struct Candidate(string Id, DifferenceKind Kind);
