namespace Slipway.Cli.Ci;

/// <summary>
/// The GitLab CI pipeline of <c>slipway ci init --gitlab</c>. It runs when a Slipway webhook posts to the project's
/// pipeline trigger (<c>/api/v4/projects/ID/ref/main/trigger/pipeline?token=TOKEN</c>; GitLab hands the MLflow event to
/// the pipeline as the file <c>$TRIGGER_PAYLOAD</c>, read with <c>slipway ci event</c>), or by hand with
/// <c>VERSION</c>; a push that changes <c>slipway/</c> stores the gate policy.
/// </summary>
public static class GitLabPipeline
{
    /// <summary>Where the pipeline goes.</summary>
    public const string Path = ".gitlab-ci.yml";

    /// <summary>The pipeline for <paramref name="settings"/>.</summary>
    public static CiWorkflow Create(CiSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var (model, alias, deployment) = (settings.Model, settings.Alias, settings.Deployment);
        var yaml = $$"""
            # Written by `slipway ci init --gitlab`: validate, build, roll out and promote a version of {{model}}.
            # Deploys when a Slipway webhook posts to https://GITLAB/api/v4/projects/ID/ref/main/trigger/pipeline?token=TOKEN
            # (event model_version.created; the event arrives as $TRIGGER_PAYLOAD) or by hand with VERSION set; a push that
            # changes slipway/ stores the gate policy. Needs CI/CD variables SLIPWAY_TRACKING_URI and KUBECONFIG (a file);
            # optional SLIPWAY_NUGET_SOURCE.
            stages: [policy, validate, build, rollout, promote, undo]

            variables:
              MODEL: "{{model}}"
              ALIAS: "{{alias}}"
              IMAGE_REPOSITORY: "$CI_REGISTRY_IMAGE/{{model}}"

            workflow:
              rules:
                - if: '$CI_PIPELINE_SOURCE == "trigger" || $CI_PIPELINE_SOURCE == "web" || $CI_PIPELINE_SOURCE == "api"'
                - if: '$CI_PIPELINE_SOURCE == "push"'
                  changes: ["slipway/**/*"]

            .slipway:
              image: mcr.microsoft.com/dotnet/sdk:10.0
              before_script:
                - dotnet tool install --global Slipway --version {{settings.SlipwayVersion}} ${SLIPWAY_NUGET_SOURCE:+--add-source "$SLIPWAY_NUGET_SOURCE"}
                - export PATH="$PATH:$HOME/.dotnet/tools"

            .deploy:
              rules:
                - if: '$CI_PIPELINE_SOURCE != "push"'

            policy:
              extends: .slipway
              stage: policy
              rules:
                - if: '$CI_PIPELINE_SOURCE == "push"'
              script:
                - slipway policy set "$MODEL" "$ALIAS" "slipway/policy-{{alias}}.yaml"

            validate:
              extends: [.slipway, .deploy]
              stage: validate
              script:
                - |
                  if [ -n "$TRIGGER_PAYLOAD" ]; then
                    slipway ci event "$TRIGGER_PAYLOAD" > event.env
                    . ./event.env
                    test "$SLIPWAY_EVENT_MODEL" = "$MODEL" || { echo "the event is about $SLIPWAY_EVENT_MODEL, not $MODEL"; exit 1; }
                    VERSION="$SLIPWAY_EVENT_VERSION"
                  fi
                  test -n "$VERSION" || { echo "set VERSION to the version of $MODEL to deploy"; exit 1; }
                  echo "VERSION=$VERSION" > deploy.env
                - slipway promote "$MODEL" "$VERSION" --alias "$ALIAS" --dry-run --reason "gitlab pipeline $CI_PIPELINE_ID"
              artifacts:
                reports:
                  dotenv: deploy.env

            build:
              extends: [.slipway, .deploy]
              stage: build
              variables:
                STORAGE_DRIVER: vfs
                BUILDAH_ISOLATION: chroot
              script:
                - apt-get update -qq && apt-get install -y -qq --no-install-recommends buildah
                - slipway build "models:/$MODEL/$VERSION" --out build --image "$IMAGE_REPOSITORY:$VERSION" --builder buildah
                - buildah login --username "$CI_REGISTRY_USER" --password "$CI_REGISTRY_PASSWORD" "$CI_REGISTRY"
                - buildah push "$IMAGE_REPOSITORY:$VERSION"

            rollout:
              extends: .deploy
              stage: rollout
              image:
                name: bitnami/kubectl:latest
                entrypoint: [""]
              environment:
                name: production
              script:
                - kubectl set image deployment/{{deployment}} serve="$IMAGE_REPOSITORY:$VERSION"
                - kubectl rollout status deployment/{{deployment}} --timeout=5m

            promote:
              extends: [.slipway, .deploy]
              stage: promote
              script:
                - slipway promote "$MODEL" "$VERSION" --alias "$ALIAS" --reason "gitlab pipeline $CI_PIPELINE_ID"

            undo-rollout:
              stage: undo
              needs: [promote]
              rules:
                - if: '$CI_PIPELINE_SOURCE != "push"'
                  when: on_failure
              image:
                name: bitnami/kubectl:latest
                entrypoint: [""]
              script:
                - kubectl rollout undo deployment/{{deployment}}

            """;
        return new CiWorkflow(Path, yaml);
    }
}
