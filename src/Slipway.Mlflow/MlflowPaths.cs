namespace Slipway.Mlflow;

/// <summary>The relative endpoint paths of MLflow's REST API 2.0 and Slipway's additions, shared by client and server.</summary>
public static class MlflowPaths
{
    /// <summary>Prefix of MLflow's REST API.</summary>
    public const string Api = "/api/2.0/mlflow/";

    /// <summary>Prefix MLflow's web UI uses for the same API.</summary>
    public const string AjaxApi = "/ajax-api/2.0/mlflow/";

    /// <summary>The artifact proxy: <c>PUT|GET artifacts/{path}</c>, <c>GET artifacts?path=</c> lists.</summary>
    public const string Artifacts = "/api/2.0/mlflow-artifacts/artifacts";

    /// <summary>Prefix of Slipway's own API.</summary>
    public const string Slipway = "/api/slipway/";

    /// <summary>POST.</summary>
    public const string CreateRegisteredModel = "registered-models/create";

    /// <summary>GET <c>?name=</c>.</summary>
    public const string GetRegisteredModel = "registered-models/get";

    /// <summary>POST.</summary>
    public const string RenameRegisteredModel = "registered-models/rename";

    /// <summary>PATCH.</summary>
    public const string UpdateRegisteredModel = "registered-models/update";

    /// <summary>DELETE.</summary>
    public const string DeleteRegisteredModel = "registered-models/delete";

    /// <summary>GET <c>?filter=&amp;max_results=&amp;order_by=&amp;page_token=</c>.</summary>
    public const string SearchRegisteredModels = "registered-models/search";

    /// <summary>POST.</summary>
    public const string SetRegisteredModelTag = "registered-models/set-tag";

    /// <summary>DELETE.</summary>
    public const string DeleteRegisteredModelTag = "registered-models/delete-tag";

    /// <summary>POST (and GET with query parameters).</summary>
    public const string GetLatestVersions = "registered-models/get-latest-versions";

    /// <summary>POST sets, DELETE deletes, GET <c>?name=&amp;alias=</c> resolves.</summary>
    public const string Alias = "registered-models/alias";

    /// <summary>POST.</summary>
    public const string CreateModelVersion = "model-versions/create";

    /// <summary>GET <c>?name=&amp;version=</c>.</summary>
    public const string GetModelVersion = "model-versions/get";

    /// <summary>PATCH.</summary>
    public const string UpdateModelVersion = "model-versions/update";

    /// <summary>DELETE.</summary>
    public const string DeleteModelVersion = "model-versions/delete";

    /// <summary>GET <c>?filter=&amp;max_results=&amp;order_by=&amp;page_token=</c>.</summary>
    public const string SearchModelVersions = "model-versions/search";

    /// <summary>GET <c>?name=&amp;version=</c>.</summary>
    public const string GetDownloadUri = "model-versions/get-download-uri";

    /// <summary>POST.</summary>
    public const string SetModelVersionTag = "model-versions/set-tag";

    /// <summary>DELETE.</summary>
    public const string DeleteModelVersionTag = "model-versions/delete-tag";

    /// <summary>POST.</summary>
    public const string CreateExperiment = "experiments/create";

    /// <summary>GET <c>?experiment_id=</c>.</summary>
    public const string GetExperiment = "experiments/get";

    /// <summary>GET <c>?experiment_name=</c>.</summary>
    public const string GetExperimentByName = "experiments/get-by-name";

    /// <summary>POST with a JSON body, or GET with query parameters.</summary>
    public const string SearchExperiments = "experiments/search";

    /// <summary>POST (a rename).</summary>
    public const string UpdateExperiment = "experiments/update";

    /// <summary>POST.</summary>
    public const string DeleteExperiment = "experiments/delete";

    /// <summary>POST.</summary>
    public const string RestoreExperiment = "experiments/restore";

    /// <summary>POST.</summary>
    public const string SetExperimentTag = "experiments/set-experiment-tag";

    /// <summary>POST.</summary>
    public const string DeleteExperimentTag = "experiments/delete-experiment-tag";

    /// <summary>POST.</summary>
    public const string CreateRun = "runs/create";

    /// <summary>GET <c>?run_id=</c> (or <c>run_uuid</c>).</summary>
    public const string GetRun = "runs/get";

    /// <summary>POST.</summary>
    public const string UpdateRun = "runs/update";

    /// <summary>POST.</summary>
    public const string DeleteRun = "runs/delete";

    /// <summary>POST.</summary>
    public const string RestoreRun = "runs/restore";

    /// <summary>POST.</summary>
    public const string LogMetric = "runs/log-metric";

    /// <summary>POST.</summary>
    public const string LogParameter = "runs/log-parameter";

    /// <summary>POST.</summary>
    public const string SetRunTag = "runs/set-tag";

    /// <summary>POST.</summary>
    public const string DeleteRunTag = "runs/delete-tag";

    /// <summary>POST.</summary>
    public const string LogBatch = "runs/log-batch";

    /// <summary>POST.</summary>
    public const string LogInputs = "runs/log-inputs";

    /// <summary>Records a logged model in the run's <c>mlflow.log-model.history</c> tag.</summary>
    public const string LogModel = "runs/log-model";

    /// <summary>POST with a JSON body (what MLflow clients send), or GET with query parameters (<c>experiment_ids</c> and <c>order_by</c> repeated).</summary>
    public const string SearchRuns = "runs/search";

    /// <summary>GET <c>?run_id=&amp;metric_key=&amp;max_results=&amp;page_token=</c>.</summary>
    public const string GetMetricHistory = "metrics/get-history";

    /// <summary>GET <c>?run_id=&amp;path=&amp;page_token=</c>.</summary>
    public const string ListRunArtifacts = "artifacts/list";

    /// <summary>Default page size of experiment and run search (MLflow's).</summary>
    public const int SearchTrackingDefault = 1000;

    /// <summary>Largest page size of experiment and run search (MLflow's).</summary>
    public const int SearchTrackingMax = 50_000;

    /// <summary>Default page size of registered model search (MLflow's).</summary>
    public const int SearchRegisteredModelsDefault = 100;

    /// <summary>Largest page size of registered model search (MLflow's).</summary>
    public const int SearchRegisteredModelsMax = 1000;

    /// <summary>Default page size of model version search (MLflow's; the client sends it explicitly).</summary>
    public const int SearchModelVersionsDefault = 10_000;

    /// <summary>Largest page size of model version search (MLflow's).</summary>
    public const int SearchModelVersionsMax = 200_000;

    /// <summary>Slipway: GET <c>models/{name}/aliases/history[?alias=]</c>, relative to <see cref="Slipway"/>.</summary>
    public const string AliasHistoryTemplate = "models/{name}/aliases/history";

    /// <summary>Slipway: GET <c>?uri=models:/...</c> resolves a model URI to a ready version.</summary>
    public const string Resolve = "resolve";

    /// <summary>Slipway: GET <c>?name=&amp;version=</c> lists a version's stored files.</summary>
    public const string ModelVersionFiles = "model-versions/files";

    /// <summary>Slipway: GET <c>?name=&amp;version=&amp;path=</c> downloads one file of a version.</summary>
    public const string ModelVersionFile = "model-versions/file";

    /// <summary>Slipway: GET <c>?name=&amp;alias=[&amp;revision=]</c> reads a gate policy; POST <c>{name, alias, document}</c> stores a new revision.</summary>
    public const string Policies = "policies";

    /// <summary>Slipway: GET <c>?name=[&amp;alias=]</c> lists every gate policy revision.</summary>
    public const string PolicyHistory = "policies/history";

    /// <summary>Slipway: POST <c>{name, version, alias, reason, mode, share, sticky_key, dry_run}</c> promotes; GET <c>?name=[&amp;alias=][&amp;max_results=]</c> lists records.</summary>
    public const string Promotions = "promotions";

    /// <summary>Slipway: POST <c>{name, alias, to_version, force, reason}</c> rolls an alias back.</summary>
    public const string Rollbacks = "rollbacks";

    /// <summary>Slipway: GET <c>?name=&amp;alias=</c> reads an alias's traffic split (<c>{"deployment": null}</c> when none).</summary>
    public const string Deployments = "deployments";

    /// <summary>Slipway: POST <c>{name, alias, promotion_id, promote, reason}</c> ends a canary or shadow.</summary>
    public const string DeploymentConclusions = "deployments/conclude";

    /// <summary>The header carrying the calling user's name (URI-escaped), recorded as who made a change.</summary>
    public const string UserHeader = "X-Slipway-User";
}
