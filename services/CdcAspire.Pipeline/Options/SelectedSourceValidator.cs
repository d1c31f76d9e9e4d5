using CdcAspire.Pipeline.Changes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CdcAspire.Pipeline.Options;

/// <summary>
/// At start, in a service that runs the pipeline: the source <c>Cdc:Source</c> names is registered in this service (a
/// keyed <see cref="IChangeSource"/>), and its own settings (<see cref="ChangeSourceSettings"/>) are valid.
/// </summary>
internal sealed class SelectedSourceValidator(IServiceProvider services) : IValidateOptions<CdcOptions>
{
    public ValidateOptionsResult Validate(string? name, CdcOptions options)
    {
        if (services.GetService<IServiceProviderIsKeyedService>() is not { } keyed || !keyed.IsKeyedService(typeof(IChangeSource), options.Source))
        {
            return ValidateOptionsResult.Fail($"{CdcOptions.SectionName}:Source '{options.Source}' is not available in this build.");
        }

        try
        {
            services.GetKeyedService<ChangeSourceSettings>(options.Source)?.Validate();
            return ValidateOptionsResult.Success;
        }
        catch (OptionsValidationException e)
        {
            return ValidateOptionsResult.Fail(e.Failures);
        }
    }
}
