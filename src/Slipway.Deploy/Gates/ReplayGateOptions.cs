namespace Slipway.Deploy.Gates;

/// <summary>The replay gate (<c>gates.replay</c>): the candidate must score its input example and recently logged requests without error.</summary>
/// <param name="Enabled">Whether the gate runs (<c>enabled</c>, default true).</param>
/// <param name="InputExample">Whether the version's input example is scored (<c>input_example</c>, default true; skipped when the version has none).</param>
/// <param name="LoggedRequests">How many logged rows of the model's recent traffic are replayed (<c>logged_requests</c>, default 200; 0 for none).</param>
public sealed record ReplayGateOptions(bool Enabled = true, bool InputExample = true, int LoggedRequests = 200);
