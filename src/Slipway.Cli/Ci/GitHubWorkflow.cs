namespace Slipway.Cli.Ci;

/// <summary>
/// The GitHub Actions workflow of <c>slipway ci init --github</c>. It runs on <c>repository_dispatch</c> (a Slipway
/// webhook on <c>https://api.github.com/repos/OWNER/REPO/dispatches</c> sends <c>model_version.created</c> with the
/// MLflow event as the client payload) or by hand with a version; a push that changes <c>slipway/policy-ALIAS.yaml</c>
/// stores that gate policy as a new revision.
/// </summary>
public static class GitHubWorkflow
{
    /// <summary>Where the workflow goes.</summary>
    public const string Path = ".github/workflows/slipway-deploy.yml";

    /// <summary>The workflow for <paramref name="settings"/>.</summary>
    public static CiWorkflow Create(CiSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var (model, alias, deployment) = (settings.Model, settings.Alias, settings.Deployment);

        // The steps every job that runs slipway starts with; lines after the first carry the steps' indentation.
        var install = string.Join(
            '\n',
            "- uses: actions/setup-dotnet@v4",
            "        with:",
            "          dotnet-version: \"10.0.x\"",
            "      - name: Install slipway",
            $"        run: dotnet tool install --global Slipway --version {settings.SlipwayVersion} ${{SLIPWAY_NUGET_SOURCE:+--add-source \"$SLIPWAY_NUGET_SOURCE\"}}");
        var yaml = $$$"""
            # Written by `slipway ci init --github`: validate, build, roll out and promote a version of {{{model}}}.
            # Deploys on a Slipway webhook to https://api.github.com/repos/OWNER/REPO/dispatches (event model_version.created;
            # its secret is a token allowed to dispatch) or by hand; a push that changes slipway/ stores the gate policy.
            # Needs: secret SLIPWAY_TRACKING_URI (the Slipway server), secret KUBECONFIG (for the rollout);
            # optional variables SLIPWAY_IMAGE_REPOSITORY (default ghcr.io/OWNER/{{{model}}}) and SLIPWAY_NUGET_SOURCE.
            name: slipway-deploy-{{{model}}}

            on:
              repository_dispatch:
                types: [model_version.created]
              push:
                branches: [main]
                paths: ["slipway/**"]
              workflow_dispatch:
                inputs:
                  version:
                    description: "Version of {{{model}}} to deploy"
                    required: true
                    type: string

            permissions:
              contents: read
              packages: write

            concurrency:
              group: slipway-deploy-{{{model}}}-{{{alias}}}
              cancel-in-progress: false

            env:
              SLIPWAY_TRACKING_URI: ${{ secrets.SLIPWAY_TRACKING_URI }}
              SLIPWAY_NUGET_SOURCE: ${{ vars.SLIPWAY_NUGET_SOURCE }}
              MODEL: "{{{model}}}"
              ALIAS: "{{{alias}}}"
              IMAGE_REPOSITORY: ${{ vars.SLIPWAY_IMAGE_REPOSITORY || format('ghcr.io/{0}/{{{model}}}', github.repository_owner) }}

            jobs:
              policy:
                if: github.event_name == 'push'
                runs-on: ubuntu-latest
                steps:
                  - uses: actions/checkout@v4
                  {{{install}}}
                  - name: Store the gate policy as a new revision
                    run: slipway policy set "$MODEL" "$ALIAS" slipway/policy-{{{alias}}}.yaml

              validate:
                if: github.event_name == 'workflow_dispatch' || (github.event_name == 'repository_dispatch' && github.event.client_payload.data.name == '{{{model}}}')
                runs-on: ubuntu-latest
                outputs:
                  version: ${{ steps.version.outputs.version }}
                steps:
                  - uses: actions/checkout@v4
                  {{{install}}}
                  - id: version
                    name: The version to deploy
                    env:
                      DISPATCHED: ${{ github.event.client_payload.data.version }}
                      REQUESTED: ${{ inputs.version }}
                    run: echo "version=${DISPATCHED:-$REQUESTED}" >> "$GITHUB_OUTPUT"
                  - name: Gates (recorded dry run)
                    run: slipway promote "$MODEL" "${{ steps.version.outputs.version }}" --alias "$ALIAS" --dry-run --reason "github run ${{ github.run_id }}"

              build:
                needs: validate
                runs-on: ubuntu-latest
                env:
                  VERSION: ${{ needs.validate.outputs.version }}
                steps:
                  {{{install}}}
                  - name: Build the image
                    run: slipway build "models:/$MODEL/$VERSION" --out build --image "$IMAGE_REPOSITORY:$VERSION" --builder buildah
                  - name: Push the image
                    run: |
                      echo "${{ secrets.GITHUB_TOKEN }}" | buildah login --username "${{ github.actor }}" --password-stdin "${IMAGE_REPOSITORY%%/*}"
                      buildah push "$IMAGE_REPOSITORY:$VERSION"

              rollout:
                needs: [validate, build]
                runs-on: ubuntu-latest
                environment: production
                env:
                  VERSION: ${{ needs.validate.outputs.version }}
                steps:
                  - uses: azure/setup-kubectl@v4
                  - name: Roll out
                    env:
                      KUBECONFIG_DATA: ${{ secrets.KUBECONFIG }}
                    run: |
                      echo "$KUBECONFIG_DATA" > "$RUNNER_TEMP/kubeconfig"
                      export KUBECONFIG="$RUNNER_TEMP/kubeconfig"
                      kubectl set image deployment/{{{deployment}}} serve="$IMAGE_REPOSITORY:$VERSION"
                      kubectl rollout status deployment/{{{deployment}}} --timeout=5m

              promote:
                needs: [validate, rollout]
                runs-on: ubuntu-latest
                env:
                  VERSION: ${{ needs.validate.outputs.version }}
                steps:
                  {{{install}}}
                  - name: Promote (gated and recorded)
                    run: slipway promote "$MODEL" "$VERSION" --alias "$ALIAS" --reason "github run ${{ github.run_id }}"
                  - uses: azure/setup-kubectl@v4
                    if: failure()
                  - name: Undo the rollout when the promotion failed
                    if: failure()
                    env:
                      KUBECONFIG_DATA: ${{ secrets.KUBECONFIG }}
                    run: |
                      echo "$KUBECONFIG_DATA" > "$RUNNER_TEMP/kubeconfig"
                      KUBECONFIG="$RUNNER_TEMP/kubeconfig" kubectl rollout undo deployment/{{{deployment}}}

            """;
        return new CiWorkflow(Path, yaml);
    }
}
