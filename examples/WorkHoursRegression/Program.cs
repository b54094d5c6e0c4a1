// Trains a linear regression of weekly working hours on the UCI Adult census data with ML.NET, one epoch at a time,
// and tracks it on a Slipway (or any MLflow) server: parameters, test metrics after every epoch, the dataset, and the
// model as an MLflow model directory; then registers that model from runs:/RUN_ID/model.
//
//   dotnet run --project examples/WorkHoursRegression -- http://127.0.0.1:8080 [--data data/adult/adult.data] [--epochs 10] [--model work-hours]
//
// The server URL may also come from MLFLOW_TRACKING_URI.
using System.Globalization;
using WorkHoursRegression;

var options = ExampleOptions.Parse(args, Environment.GetEnvironmentVariable);
if (options is null)
{
    await Console.Error.WriteLineAsync(ExampleOptions.Usage);
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

try
{
    var result = await TrackedTraining.RunAsync(options, Console.Out, cancel.Token);
    Console.WriteLine(string.Create(
        CultureInfo.InvariantCulture,
        $"registered {result.ModelName} version {result.Version} from runs:/{result.RunId}/model (test RMSE {result.TestRmse:0.00} hours)"));
    return 0;
}
catch (OperationCanceledException) when (cancel.IsCancellationRequested)
{
    await Console.Error.WriteLineAsync("cancelled.");
    return 130;
}
catch (Exception e) when (e is Slipway.Core.Registry.RegistryException or HttpRequestException or IOException)
{
    await Console.Error.WriteLineAsync("error: " + e.Message);
    return 1;
}
