// Validates Kubernetes manifests against the Kubernetes and prometheus-operator OpenAPI schemas, with the generated
// validators of the kubernetes-models packages, and refuses fields the API does not define (what `kubectl apply
// --validate=strict` refuses) with the type maps of the official JavaScript client, @kubernetes/client-node. Both are
// installed into .tools/ by scripts/test.sh.
//
//   node validate.mjs TOOLS_DIR MANIFESTS.yaml      (TOOLS_DIR: the folder whose node_modules holds the packages)
//
// Prints one JSON line per document: {"kind", "name", "valid", "errors"}; exits 1 when any document is invalid or of
// a kind it has no schema for.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [toolsDir, manifestsFile] = process.argv.slice(2);
// By file: the packages export ESM entry points only, which a resolver outside their folder cannot name.
const importFrom = (file) => import(pathToFileURL(join(toolsDir, "node_modules", file)).href);
const { parseAllDocuments } = await importFrom("yaml/dist/index.js");
const client = await importFrom("@kubernetes/client-node/dist/gen/models/all.js");

// The client's model class of a built-in kind: apps/v1 Deployment -> V1Deployment, autoscaling/v2 ... -> V2....
function clientType(apiVersion, kind) {
  const version = apiVersion.split("/").pop();
  return `V${version.slice(1)}${kind}`;
}

// Paths of the fields of `value` that its type (a client model name, Array<T> or a string-keyed map) does not define.
function unknownFields(value, type, path, found) {
  if (value === null || value === undefined || typeof value !== "object") {
    return found;
  }
  const array = /^Array<(.+)>$/.exec(type);
  if (array) {
    (Array.isArray(value) ? value : []).forEach((item, index) => unknownFields(item, array[1], `${path}/${index}`, found));
    return found;
  }
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) {
    Object.entries(value).forEach(([key, item]) => unknownFields(item, map[1], `${path}/${key}`, found));
    return found;
  }
  const model = client[type];
  if (typeof model?.getAttributeTypeMap !== "function") {
    return found;
  }
  const attributes = new Map(model.getAttributeTypeMap().map((a) => [a.baseName, a.type]));
  for (const [key, item] of Object.entries(value)) {
    if (!attributes.has(key)) {
      found.push(`${path}/${key} is not a field of ${type}`);
    } else {
      unknownFields(item, attributes.get(key), `${path}/${key}`, found);
    }
  }
  return found;
}

// apiVersion → the package directory that models it.
function modulePath(apiVersion, kind) {
  if (apiVersion.startsWith("monitoring.coreos.com/")) {
    return `@kubernetes-models/prometheus-operator/${apiVersion}/${kind}.js`;
  }
  return `kubernetes-models/${apiVersion}/${kind}.js`;
}

const documents = parseAllDocuments(readFileSync(manifestsFile, "utf8"));
let failed = false;
for (const document of documents) {
  if (document.errors.length > 0) {
    console.log(JSON.stringify({ kind: null, name: null, valid: false, errors: document.errors.map((e) => e.message) }));
    failed = true;
    continue;
  }
  const manifest = document.toJSON();
  if (manifest === null) {
    continue;
  }
  const { apiVersion, kind } = manifest;
  const name = manifest.metadata?.name ?? null;
  let model;
  try {
    const module = await importFrom(modulePath(String(apiVersion), String(kind)));
    model = module[kind];
  } catch {
    model = undefined;
  }
  if (typeof model !== "function") {
    console.log(JSON.stringify({ kind, name, valid: false, errors: [`no schema for ${apiVersion} ${kind}`] }));
    failed = true;
    continue;
  }
  const errors = String(apiVersion).includes(".") ? [] : unknownFields(manifest, clientType(String(apiVersion), String(kind)), "", []);
  try {
    new model(manifest).validate();
  } catch (error) {
    errors.push(...(Array.isArray(error.errors)
      ? error.errors.map((e) => `${e.instancePath || "/"} ${e.message}${e.params ? " " + JSON.stringify(e.params) : ""}`)
      : [String(error.message ?? error)]));
  }
  console.log(JSON.stringify({ kind, name, valid: errors.length === 0, errors }));
  failed ||= errors.length > 0;
}
process.exit(failed ? 1 : 0);
