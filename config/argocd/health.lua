-- Argo CD health check for connectoroperator.dev/AgentConnector (Lua 5.1, as Argo CD runs it).
-- Install: resource.customizations.health.connectoroperator.dev_AgentConnector in argocd-cm (docs/observability.md).
-- Healthy when Ready; Progressing while the operator reconciles (or has not seen this generation yet);
-- Degraded when Stalled or Offline for a real failure; Suspended when stopped (spec.running: false).
local hs = {}

local function condition(conditions, type)
  if conditions == nil then return nil end
  for _, c in ipairs(conditions) do
    if c.type == type then return c end
  end
  return nil
end

local function isTrue(c)
  return c ~= nil and c.status == "True"
end

local function message(c, fallback)
  if c ~= nil and c.message ~= nil and c.message ~= "" then return c.message end
  return fallback
end

-- Reasons of connectors that are still coming up, not failing (the operator's own starting reasons).
local starting = { Connecting = true, Starting = true, Pending = true, Draining = true }

local status = obj.status
if status == nil or status.conditions == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to report status"
  return hs
end

local generation = obj.metadata and obj.metadata.generation
if generation ~= nil and (status.observedGeneration == nil or status.observedGeneration < generation) then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to observe generation " .. tostring(generation)
  return hs
end

local ready = condition(status.conditions, "Ready")
local reconciling = condition(status.conditions, "Reconciling")
local stalled = condition(status.conditions, "Stalled")
local online = condition(status.conditions, "Online")

if status.state == "Stopped" then
  if isTrue(ready) then
    hs.status = "Suspended"
    hs.message = message(ready, "Stopped")
  else
    hs.status = "Progressing"
    hs.message = message(reconciling, "Stopping")
  end
elseif isTrue(stalled) then
  hs.status = "Degraded"
  hs.message = message(stalled, "Stalled")
elseif status.state == "Offline" then
  local reason = online and online.reason or ""
  if isTrue(reconciling) and starting[reason] then
    hs.status = "Progressing"
    hs.message = message(online, "Connectors are starting")
  else
    hs.status = "Degraded"
    hs.message = message(online, "Offline")
  end
elseif isTrue(ready) then
  hs.status = "Healthy"
  hs.message = message(ready, "Ready")
else
  hs.status = "Progressing"
  hs.message = message(reconciling, message(ready, "Reconciling"))
end
return hs
