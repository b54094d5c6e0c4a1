// Validates Kubernetes manifests against the Kubernetes and prometheus-operator OpenAPI schemas, with the generated
// validators of the kubernetes-models packages (installed into .tools/ by scripts/test.sh).
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
  try {
    new model(manifest).validate();
    console.log(JSON.stringify({ kind, name, valid: true, errors: [] }));
  } catch (error) {
    const errors = Array.isArray(error.errors)
      ? error.errors.map((e) => `${e.instancePath || "/"} ${e.message}${e.params ? " " + JSON.stringify(e.params) : ""}`)
      : [String(error.message ?? error)];
    console.log(JSON.stringify({ kind, name, valid: false, errors }));
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
