{{/* Common names and labels. */}}
{{- define "nvmelm.fullname" -}}
{{- printf "%s" .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "nvmelm.labels" -}}
app.kubernetes.io/name: nvme-lm-operator
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* Selector labels of one component: (dict "root" . "component" "operator"|"node-agent"). Never change: selectors are immutable. */}}
{{- define "nvmelm.selectorLabels" -}}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "nvmelm.operatorName" -}}{{ include "nvmelm.fullname" . }}-operator{{- end -}}
{{- define "nvmelm.agentName" -}}{{ include "nvmelm.fullname" . }}-agent{{- end -}}

{{- define "nvmelm.image" -}}
{{- $tag := default .root.Chart.AppVersion .root.Values.image.tag -}}
{{- printf "%s/%s/%s:%s" .root.Values.image.registry .root.Values.image.repository .name $tag -}}
{{- end -}}

{{/* The non-root user both images declare (build/images.sh, build/*.Dockerfile): distroless "nonroot". */}}
{{- define "nvmelm.nonRootUser" -}}65532{{- end -}}
