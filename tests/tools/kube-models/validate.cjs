// Validates Kubernetes objects against the models that kubernetes-models generates from the real Kubernetes OpenAPI
// (and prometheus-operator's CRD schemas for ServiceMonitor). No schema here is written by hand.
//
// usage: node validate.cjs MODELS_DIR < objects.json
//   MODELS_DIR: where fetch-kube-models.sh installed the packages (its node_modules).
//   stdin: a JSON array of objects. stdout: a JSON array, one entry per object:
//   {"apiVersion","kind","name","model": "<module>"|null, "errors": ["<path> <message>", ...]}
// A kind without a model is reported with model null, for the caller to decide (never silently passed).
"use strict";
const { createRequire } = require("node:module");
const path = require("node:path");
const fs = require("node:fs");

const modelsDir = process.argv[2];
if (!modelsDir) {
  console.error("usage: node validate.cjs MODELS_DIR < objects.json");
  process.exit(2);
}
const load = createRequire(path.join(path.resolve(modelsDir), "package.json"));

// apiVersion "v1" -> kubernetes-models/v1/<Kind>; "apps/v1" -> kubernetes-models/apps/v1/<Kind>;
// monitoring.coreos.com lives in the prometheus-operator package.
function moduleFor(apiVersion, kind) {
  const [groupOrVersion, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  if (groupOrVersion === "monitoring.coreos.com") {
    return `@kubernetes-models/prometheus-operator/monitoring.coreos.com/${version}/${kind}`;
  }
  return groupOrVersion === "" ? `kubernetes-models/v1/${kind}` : `kubernetes-models/${groupOrVersion}/${version}/${kind}`;
}

const objects = JSON.parse(fs.readFileSync(0, "utf8"));
const results = objects.map((object) => {
  const result = { apiVersion: object.apiVersion, kind: object.kind, name: object.metadata?.name ?? null, model: null, errors: [] };
  const module = moduleFor(String(object.apiVersion ?? ""), String(object.kind ?? ""));
  let Model;
  try {
    Model = load(module)[object.kind];
  } catch {
    return result;
  }
  if (typeof Model !== "function") {
    return result;
  }
  result.model = module;
  try {
    new Model(object).validate();
  } catch (error) {
    const details = Array.isArray(error.errors) ? error.errors : [{ instancePath: "", message: String(error.message ?? error) }];
    result.errors = details.map((e) => `${e.instancePath || "/"} ${e.message}${e.params ? " " + JSON.stringify(e.params) : ""}`);
  }
  return result;
});
process.stdout.write(JSON.stringify(results));
