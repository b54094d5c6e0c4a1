{{/* The release's resource name prefix: RELEASE-slipway, or RELEASE when it already says slipway; 63 characters at most. */}}
{{- define "slipway.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "slipway.serverName" -}}
{{- printf "%s-server" (include "slipway.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels every resource carries. */}}
{{- define "slipway.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "slipway.serverSelector" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: server
{{- end -}}

{{/* The image REPOSITORY:TAG of an `image` map, falling back to the chart's image and appVersion. */}}
{{- define "slipway.image" -}}
{{- $root := index . 0 -}}
{{- $image := index . 1 | default dict -}}
{{- $repository := $image.repository | default $root.Values.image.repository -}}
{{- $tag := $image.tag | default $root.Values.image.tag | default $root.Chart.AppVersion -}}
{{- printf "%s:%v" $repository $tag -}}
{{- end -}}

{{/* The registry URL serving pods pull from. */}}
{{- define "slipway.trackingUri" -}}
{{- if .Values.serving.trackingUri -}}
{{- .Values.serving.trackingUri -}}
{{- else -}}
{{- if not .Values.server.enabled -}}
{{- fail "serving.trackingUri is required when server.enabled is false: the URL of the Slipway registry the serving pods pull from" -}}
{{- end -}}
{{- printf "http://%s.%s.svc:%v" (include "slipway.serverName" .) .Release.Namespace .Values.server.service.port -}}
{{- end -}}
{{- end -}}

{{/*
One serving model's settings: the entry merged over serving.defaults, with its Kubernetes name (slipway-NAME-ALIAS,
what generated CI workflows roll out). Input: (list ROOT INDEX ENTRY); output: YAML, read back with fromYaml.
*/}}
{{- define "slipway.servingModel" -}}
{{- $root := index . 0 -}}
{{- $index := index . 1 -}}
{{- $entry := index . 2 -}}
{{- $where := printf "serving.models[%d]" $index -}}
{{- $name := required (printf "%s.name is required: the registered model's name" $where) $entry.name -}}
{{- $alias := required (printf "%s.alias is required: the alias to serve, such as champion" $where) $entry.alias -}}
{{- /* Not sprig's merge: it would let a default true win over an entry's false. */ -}}
{{- $model := deepCopy $root.Values.serving.defaults -}}
{{- range $key, $value := $entry -}}
{{- if and (kindIs "map" $value) (kindIs "map" (index $model $key)) (has $key (list "autoscaling" "podDisruptionBudget" "readinessProbe" "livenessProbe" "startupProbe")) -}}
{{- $merged := deepCopy (index $model $key) -}}
{{- range $inner, $innerValue := $value -}}
{{- $_ := set $merged $inner $innerValue -}}
{{- end -}}
{{- $_ := set $model $key $merged -}}
{{- else -}}
{{- $_ := set $model $key (deepCopy $value) -}}
{{- end -}}
{{- end -}}
{{- $deployment := $entry.deploymentName | default (printf "slipway-%s-%s" $name $alias) -}}
{{- if not (regexMatch "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$" $deployment) -}}
{{- fail (printf "%s: %q is not a valid Kubernetes name (lowercase letters, digits and '-'); set %s.deploymentName, and use the same name in the CI workflow" $where $deployment $where) -}}
{{- end -}}
{{- if gt (len $deployment) 63 -}}
{{- fail (printf "%s: %q is longer than 63 characters; set %s.deploymentName" $where $deployment $where) -}}
{{- end -}}
{{- $_ := set $model "deploymentName" $deployment -}}
{{- $model | toYaml -}}
{{- end -}}

{{- define "slipway.servingSelector" -}}
{{- $root := index . 0 -}}
{{- $model := index . 1 -}}
app.kubernetes.io/name: {{ $root.Chart.Name }}
app.kubernetes.io/instance: {{ $root.Release.Name }}
app.kubernetes.io/component: serving
slipway.io/deployment: {{ $model.deploymentName }}
{{- end -}}

{{/* The restricted pod security profile: non-root (the images' uid 10001), read-only root, no capabilities. */}}
{{- define "slipway.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
fsGroup: 10001
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "slipway.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop: ["ALL"]
{{- end -}}
