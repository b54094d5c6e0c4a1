namespace Slipway.Core.Tracking;

/// <summary>
/// Generates readable run names of the form <c>adjective-noun-NNN</c> (e.g. <c>brisk-heron-042</c>), as MLflow names
/// runs that were started without a name. Names are not unique; the run id is.
/// </summary>
public static class RunNameGenerator
{
    private static readonly string[] Adjectives =
    [
        "amber", "ancient", "bold", "brave", "bright", "brisk", "calm", "clever", "cosmic", "crisp",
        "daring", "dapper", "eager", "early", "fancy", "fearless", "gentle", "gleaming", "golden", "grand",
        "happy", "hardy", "honest", "humble", "jolly", "keen", "kind", "lively", "loyal", "lucid",
        "mellow", "merry", "mighty", "nimble", "noble", "patient", "placid", "polished", "proud", "quiet",
        "rapid", "rustic", "sharp", "shiny", "silent", "sleek", "smooth", "snowy", "steady", "stellar",
        "sunny", "swift", "tidy", "tranquil", "upbeat", "valiant", "vivid", "warm", "wise", "zesty",
    ];

    private static readonly string[] Nouns =
    [
        "albatross", "badger", "beacon", "birch", "bison", "canyon", "cedar", "comet", "condor", "coral",
        "crane", "delta", "dune", "eagle", "ember", "falcon", "fern", "fjord", "gecko", "glacier",
        "harbor", "hawk", "heron", "ibis", "island", "jaguar", "kestrel", "lagoon", "lantern", "lynx",
        "maple", "meadow", "mesa", "meteor", "moose", "nebula", "oak", "orca", "otter", "owl",
        "panda", "pebble", "pine", "quartz", "raven", "reef", "ridge", "river", "salmon", "sparrow",
        "spruce", "summit", "tern", "tide", "tundra", "valley", "walrus", "willow", "wren", "yak",
    ];

    /// <summary>A new name; <paramref name="random"/> defaults to <see cref="Random.Shared"/> (pass a seeded one in tests).</summary>
    public static string Next(Random? random = null)
    {
        random ??= Random.Shared;

        // Not security relevant: names only need to be easy to tell apart at a glance.
#pragma warning disable CA5394
        var adjective = Adjectives[random.Next(Adjectives.Length)];
        var noun = Nouns[random.Next(Nouns.Length)];
        var number = random.Next(1000);
#pragma warning restore CA5394
        return FormattableString.Invariant($"{adjective}-{noun}-{number:D3}");
    }
}
