namespace Slipway.Cli.CommandLine;

/// <summary>Clean-up of the temporary folders commands work in.</summary>
internal static class ScratchDirectory
{
    /// <summary>Deletes the folder and everything in it if it exists; a leftover folder never changes a command's outcome, so failures are ignored.</summary>
    public static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
            // Left behind in the temp folder; the command's result stands.
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
        }
    }
}
