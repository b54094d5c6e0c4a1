using Slipway.Core.Signatures;
using Slipway.Core.Statistics.Drift;
using Slipway.Monitoring.Reference;
using Slipway.Testing;

namespace Slipway.Monitoring.Tests.Reference;

public sealed class ReferenceDataReaderTests
{
    private static readonly ModelSignature Signature = new(
        SignatureSchema.FromColumns([new ColumnSpec(ColumnType.Double, "age"), new ColumnSpec(ColumnType.String, "city"), new ColumnSpec(ColumnType.Boolean, "member")]),
        null);

    [Fact]
    public async Task Csv_is_typed_by_the_signature_keeping_only_its_inputs_with_missing_values()
    {
        using var work = new TempDirectory();
        var path = work.Combine("ref.csv");
        File.WriteAllLines(path, ["label,member,city,age", "1,true,Oslo,31.5", "0,false,,", "1,true,42,7"]);

        var columns = await ReferenceDataReader.ReadAsync(path, Signature, CancellationToken.None);

        Assert.Equal(["age", "city", "member"], columns.Select(c => c.Name));
        Assert.Equal(FeatureKind.Numeric, columns[0].Kind);
        Assert.Equal(31.5, columns[0].Numbers![0]);
        Assert.True(double.IsNaN(columns[0].Numbers![1]));
        Assert.Equal(FeatureKind.Categorical, columns[1].Kind);
        Assert.Equal<string?>(["Oslo", null, "42"], columns[1].Categories!.AsEnumerable());
        Assert.Equal(FeatureKind.Categorical, columns[2].Kind);
        Assert.Equal<string?>(["true", "false", "true"], columns[2].Categories!.AsEnumerable());
    }

    [Fact]
    public async Task Without_a_signature_every_column_is_read_and_numbers_are_inferred()
    {
        using var work = new TempDirectory();
        var path = work.Combine("ref.csv");
        File.WriteAllLines(path, ["x,name", "1,a", ",b", "2.5,3"]);

        var columns = await ReferenceDataReader.ReadAsync(path, null, CancellationToken.None);

        Assert.Equal(FeatureKind.Numeric, columns[0].Kind);
        Assert.Equal(3, columns[0].Length);
        Assert.Equal(2.5, columns[0].Numbers![2]);
        Assert.Equal(FeatureKind.Categorical, columns[1].Kind);
        Assert.Equal<string?>(["a", "b", "3"], columns[1].Categories!.AsEnumerable());
    }

    [Fact]
    public async Task Parquet_written_by_the_writer_reads_back_the_same_columns_and_is_typed_by_a_signature()
    {
        using var work = new TempDirectory();
        var path = work.Combine("ref.parquet");
        DriftColumn[] written =
        [
            DriftColumn.Numeric("age", [1, double.NaN, 3]),
            DriftColumn.Categorical("city", ["Oslo", null, "Rome"]),
            DriftColumn.Categorical("member", ["true", "false", null]),
            DriftColumn.Numeric("label", [0, 1, 0]),
        ];
        await using (var stream = File.Create(path))
        {
            await ReferenceDataWriter.WriteAsync(stream, written, CancellationToken.None);
        }

        var inferred = await ReferenceDataReader.ReadAsync(path, null, CancellationToken.None);
        Assert.Equal(["age", "city", "member", "label"], inferred.Select(c => c.Name));
        Assert.Equal(FeatureKind.Numeric, inferred[0].Kind);
        Assert.Equal(1, inferred[0].Numbers![0]);
        Assert.True(double.IsNaN(inferred[0].Numbers![1]));
        Assert.Equal<string?>(["Oslo", null, "Rome"], inferred[1].Categories!.AsEnumerable());

        var typed = await ReferenceDataReader.ReadAsync(path, Signature, CancellationToken.None);
        Assert.Equal(["age", "city", "member"], typed.Select(c => c.Name));
        Assert.Equal<string?>(["true", "false", null], typed[2].Categories!.AsEnumerable());
    }

    [Fact]
    public async Task Bad_files_fail_with_a_message_naming_the_problem()
    {
        using var work = new TempDirectory();
        var text = work.Combine("bad.csv");
        File.WriteAllLines(text, ["member,city,age", "true,Oslo,31", "false,Rome,old"]);
        var error = await Assert.ThrowsAsync<ReferenceDataException>(() => ReferenceDataReader.ReadAsync(text, Signature, CancellationToken.None));
        Assert.Equal("bad.csv: row 2, column 'age': 'old' is not a number.", error.Message);

        var missing = work.Combine("missing.csv");
        File.WriteAllLines(missing, ["member,age", "true,31"]);
        error = await Assert.ThrowsAsync<ReferenceDataException>(() => ReferenceDataReader.ReadAsync(missing, Signature, CancellationToken.None));
        Assert.Contains("no column 'city'", error.Message, StringComparison.Ordinal);

        var empty = work.Combine("empty.csv");
        File.WriteAllText(empty, string.Empty);
        error = await Assert.ThrowsAsync<ReferenceDataException>(() => ReferenceDataReader.ReadAsync(empty, null, CancellationToken.None));
        Assert.Contains("'empty.csv' is empty", error.Message, StringComparison.Ordinal);

        var headerOnly = work.Combine("header.csv");
        File.WriteAllLines(headerOnly, ["age"]);
        error = await Assert.ThrowsAsync<ReferenceDataException>(() => ReferenceDataReader.ReadAsync(headerOnly, null, CancellationToken.None));
        Assert.Contains("no rows", error.Message, StringComparison.Ordinal);

        var json = work.Combine("data.json");
        File.WriteAllText(json, "{}");
        error = await Assert.ThrowsAsync<ReferenceDataException>(() => ReferenceDataReader.ReadAsync(json, null, CancellationToken.None));
        Assert.Contains("unknown extension '.json'", error.Message, StringComparison.Ordinal);

        var notParquet = work.Combine("fake.parquet");
        File.WriteAllText(notParquet, "age\n1\n");
        error = await Assert.ThrowsAsync<ReferenceDataException>(() => ReferenceDataReader.ReadAsync(notParquet, null, CancellationToken.None));
        Assert.Contains("'fake.parquet' is not a readable Parquet file", error.Message, StringComparison.Ordinal);
    }
}
