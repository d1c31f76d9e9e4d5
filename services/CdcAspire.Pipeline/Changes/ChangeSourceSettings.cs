namespace CdcAspire.Pipeline.Changes;

/// <summary>
/// A source's own settings check, registered keyed by the source's name (<see cref="SourceNames"/>) beside its keyed
/// <see cref="IChangeSource"/>. Run at start (with the <c>Cdc</c> options' validation) for the source <c>Cdc:Source</c>
/// selects and only for it, so the direct topology never needs <c>ConnectionStrings:kafka</c>.
/// </summary>
/// <param name="validate">Throws <see cref="Microsoft.Extensions.Options.OptionsValidationException"/> naming the keys to fix.</param>
public sealed class ChangeSourceSettings(Action validate)
{
    public void Validate() => validate();
}
