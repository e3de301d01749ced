{{/* Chart name, cut to the 63 characters a label value allows. */}}
{{- define "connector-operator.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Object name: the release name when it already contains the chart name, else release-chart. */}}
{{- define "connector-operator.fullname" -}}
{{- if contains .Chart.Name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{- define "connector-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "connector-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: operator
{{- end }}

{{- define "connector-operator.labels" -}}
{{ include "connector-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end }}

{{- define "connector-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "connector-operator.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "connector-operator.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{- define "connector-operator.replicas" -}}
{{- if .Values.leaderElection.enabled }}{{ .Values.replicaCount }}{{ else }}1{{ end }}
{{- end }}

{{/*
What the operator does to AgentConnectors, pods, Secrets, budgets and Events, and nothing more. The same
rules go into the ClusterRole or, with watchNamespaces, into a Role in each namespace.
*/}}
{{- define "connector-operator.rules" -}}
- apiGroups: [connectoroperator.dev]
  resources: [agentconnectors]
  verbs: [list, watch, patch]
- apiGroups: [connectoroperator.dev]
  resources: [agentconnectors/status]
  verbs: [update]
- apiGroups: [connectoroperator.dev]
  resources: [agentconnectors/finalizers]
  verbs: [update]
- apiGroups: [""]
  resources: [pods]
  verbs: [list, watch, create, delete]
- apiGroups: [""]
  resources: [secrets]
  verbs: [get, list, watch]
- apiGroups: [policy]
  resources: [poddisruptionbudgets]
  verbs: [list, watch, create, patch]
- apiGroups: [events.k8s.io]
  resources: [events]
  verbs: [create, patch]
{{- end }}
