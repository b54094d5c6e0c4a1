using Slipway.Core.Deployment;
using Slipway.Core.Signatures;
using Slipway.Deploy.Contracts;
using Slipway.Deploy.Tests.Gates;

namespace Slipway.Deploy.Tests.Contracts;

public sealed class InputContractCheckTests
{
    private static readonly TimeSpan Day = TimeSpan.FromHours(24);

    private static Func<ModelSignature, ModelSignature> Columns(params (string Name, ColumnType Type, bool Required)[] columns) =>
        s => s with { Inputs = SignatureSchema.FromColumns(columns.Select(c => new ColumnSpec(c.Type, c.Name, c.Required))) };

    private static Func<ModelSignature, ModelSignature> Tensor(string dtype, params long[] shape) =>
        s => s with { Inputs = SignatureSchema.FromTensors([new TensorSpec(dtype, shape, "input")]) };

    private static (string, ColumnType, bool)[] Iris(ColumnType type = ColumnType.Float) =>
        GateFixture.IrisColumns.Select(c => (c, type, true)).ToArray();

    [Fact]
    public async Task An_identical_or_safely_widened_contract_has_no_problems()
    {
        await using var fixture = await GateFixture.CreateAsync();
        var current = await fixture.RegisterAsync("iris", columns: GateFixture.IrisColumns);
        var same = await fixture.RegisterAsync("iris", columns: GateFixture.IrisColumns);

        // float -> double is one of MLflow's safe upcasts; an optional extra column is never a problem.
        var wider = await fixture.RegisterAsync("iris", signature: Columns([.. Iris(ColumnType.Double), ("notes", ColumnType.String, false)]));
        var check = new InputContractCheck(fixture.Registry, null, fixture.Time);

        Assert.Empty(await check.CheckAsync(same, current, Day, CancellationToken.None));
        Assert.Empty(await check.CheckAsync(wider, current, Day, CancellationToken.None));
        Assert.Empty(await check.CheckAsync(same, null, Day, CancellationToken.None));
    }

    [Fact]
    public async Task Missing_columns_and_unsafe_type_changes_against_the_current_signature_are_listed_by_input_name()
    {
        await using var fixture = await GateFixture.CreateAsync();
        var current = await fixture.RegisterAsync("iris", signature: Columns(
            ("sepal_length", ColumnType.Double, true), ("sepal_width", ColumnType.Long, true), ("petal_length", ColumnType.Integer, true), ("petal_width", ColumnType.String, true)));
        var target = await fixture.RegisterAsync("iris", signature: Columns(
            ("sepal_length", ColumnType.Float, true),   // double -> float loses precision
            ("sepal_width", ColumnType.Double, true),   // long -> double: not exact above 2^53, refused as MLflow does
            ("petal_length", ColumnType.Long, true),    // integer -> long: safe
            ("petal_width", ColumnType.Double, true),   // string -> double
            ("age", ColumnType.Long, true),             // not sent today
            ("comment", ColumnType.String, false)));    // optional: never a problem

        var problems = await new InputContractCheck(fixture.Registry, null, fixture.Time).CheckAsync(target, current, Day, CancellationToken.None);

        Assert.Equal(
            [
                new ContractProblem(ContractProblemKind.MissingColumn, "age", "long", string.Empty, "current signature"),
                new ContractProblem(ContractProblemKind.TypeChange, "petal_width", "double", "string", "current signature"),
                new ContractProblem(ContractProblemKind.TypeChange, "sepal_length", "float", "double", "current signature"),
                new ContractProblem(ContractProblemKind.TypeChange, "sepal_width", "double", "long", "current signature"),
            ],
            problems);
        Assert.Equal("missing column 'age': the model requires long; absent from the current signature", problems[0].ToString());
    }

    [Fact]
    public async Task Tensor_shape_and_kind_changes_against_the_current_signature()
    {
        await using var fixture = await GateFixture.CreateAsync();
        var tensor = await fixture.RegisterAsync("iris");
        var wider = await fixture.RegisterAsync("iris", signature: Tensor("float32", -1, 5));
        var anyWidth = await fixture.RegisterAsync("iris", signature: Tensor("float32", -1, -1));
        var rank3 = await fixture.RegisterAsync("iris", signature: Tensor("float32", -1, 2, 2));
        var doubles = await fixture.RegisterAsync("iris", signature: Tensor("float64", -1, 4));
        var ints = await fixture.RegisterAsync("iris", signature: Tensor("int64", -1, 4));
        var table = await fixture.RegisterAsync("iris", columns: GateFixture.IrisColumns);
        var check = new InputContractCheck(fixture.Registry, null, fixture.Time);

        Assert.Equal(
            [new ContractProblem(ContractProblemKind.ShapeChange, "input", "[-1, 5]", "[-1, 4]", "current signature")],
            await check.CheckAsync(wider, tensor, Day, CancellationToken.None));
        Assert.Equal(
            [new ContractProblem(ContractProblemKind.ShapeChange, "input", "[-1, 2, 2]", "[-1, 4]", "current signature")],
            await check.CheckAsync(rank3, tensor, Day, CancellationToken.None));
        Assert.Empty(await check.CheckAsync(anyWidth, tensor, Day, CancellationToken.None)); // -1 matches anything
        Assert.Empty(await check.CheckAsync(doubles, tensor, Day, CancellationToken.None)); // float32 -> float64
        Assert.Equal(
            [new ContractProblem(ContractProblemKind.TypeChange, "input", "int64", "float32", "current signature")],
            await check.CheckAsync(ints, tensor, Day, CancellationToken.None));
        var kind = Assert.Single(await check.CheckAsync(tensor, table, Day, CancellationToken.None));
        Assert.Equal(ContractProblemKind.KindChange, kind.Kind);
        Assert.Equal("tensors (input)", kind.Expected);
        Assert.Equal("columns (sepal_length, sepal_width, petal_length, petal_width)", kind.Actual);
    }

    [Fact]
    public async Task Logged_inputs_reveal_missing_columns_type_changes_and_kind_changes()
    {
        await using var fixture = await GateFixture.CreateAsync();
        var serving = await fixture.RegisterAsync("iris", columns: GateFixture.IrisColumns);
        await fixture.LogIrisTrafficAsync(serving, GateFixture.IrisRows(5), TimeSpan.FromMinutes(10));
        var extra = await fixture.RegisterAsync("iris", signature: Columns([.. Iris(), ("petal_area", ColumnType.Float, true)]));
        var longs = await fixture.RegisterAsync("iris", signature: Columns([("sepal_length", ColumnType.Long, true), .. Iris().Skip(1)]));
        var doubles = await fixture.RegisterAsync("iris", signature: Columns(Iris(ColumnType.Double)));
        var tensor = await fixture.RegisterAsync("iris");
        var check = new InputContractCheck(fixture.Registry, fixture.Monitoring, fixture.Time);

        var report = await check.ExamineAsync(serving, null, Day, CancellationToken.None);
        Assert.Empty(report.Problems);
        Assert.Equal(5, report.LoggedRows);
        Assert.True(report.ComparedWithLogs);

        Assert.Equal(
            [new ContractProblem(ContractProblemKind.MissingColumn, "petal_area", "float", string.Empty, "logged inputs")],
            await check.CheckAsync(extra, null, Day, CancellationToken.None));
        Assert.Equal(
            [new ContractProblem(ContractProblemKind.TypeChange, "sepal_length", "long", "float32", "logged inputs")],
            await check.CheckAsync(longs, null, Day, CancellationToken.None));
        Assert.Empty(await check.CheckAsync(doubles, null, Day, CancellationToken.None));
        Assert.Equal(
            [
                new ContractProblem(ContractProblemKind.KindChange, "inputs", "tensors (input)", "columns (sepal_length, sepal_width, petal_length, petal_width)", "current signature"),
                new ContractProblem(ContractProblemKind.KindChange, "inputs", "tensors (input)", "columns (petal_length, petal_width, sepal_length, sepal_width)", "logged inputs"),
            ],
            await check.CheckAsync(tensor, serving, Day, CancellationToken.None));

        // Both sources report the same missing column, current signature first.
        Assert.Equal(
            ["current signature", "logged inputs"],
            (await check.CheckAsync(extra, serving, Day, CancellationToken.None)).Select(p => p.Source));
    }

    [Fact]
    public async Task Logged_tensor_widths_reveal_shape_changes_and_old_traffic_is_outside_the_window()
    {
        await using var fixture = await GateFixture.CreateAsync();
        var serving = await fixture.RegisterAsync("iris");
        await fixture.LogIrisTrafficAsync(serving, GateFixture.IrisRows(4), TimeSpan.FromHours(2));
        var wider = await fixture.RegisterAsync("iris", signature: Tensor("float32", -1, 5));
        var check = new InputContractCheck(fixture.Registry, fixture.Monitoring, fixture.Time);

        Assert.Equal(
            [new ContractProblem(ContractProblemKind.ShapeChange, "input", "[-1, 5]", "[-1, 4]", "logged inputs")],
            await check.CheckAsync(wider, null, Day, CancellationToken.None));

        var report = await check.ExamineAsync(wider, null, TimeSpan.FromHours(1), CancellationToken.None);
        Assert.Empty(report.Problems);
        Assert.False(report.ComparedWithLogs);
        Assert.Equal("no requests to 'iris' were logged in the last 1h", report.LoggedNote);

        var nowhere = await new InputContractCheck(fixture.Registry, fixture.Work.Combine("absent"), fixture.Time).ExamineAsync(wider, serving, Day, CancellationToken.None);
        Assert.Equal("the inference log folder does not exist", nowhere.LoggedNote);
        Assert.Single(nowhere.Problems);
    }
}
