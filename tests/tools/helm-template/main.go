// Command helm-template renders a Helm chart directory the way `helm template` does, for the chart tests: the same
// template engine (Go's text/template), the same function library (sprig v3 and Helm's own include, tpl, required,
// toYaml, fromYaml, toJson, fromJson, lookup), the same YAML library (sigs.k8s.io/yaml), the same values rules
// (values.yaml deep-merged with -f files, null deletes a key) and the same values.schema.json check (gojsonschema).
//
//	helm-template [-f values.yaml]... [--name RELEASE] [--namespace NS] CHART_DIR
//
// It prints the manifests as `---\n# Source: CHART/templates/FILE` documents (NOTES.txt is rendered, not printed); on a template or schema error it prints
// "Error: ..." to standard error and exits 1, as helm does. Only what the Slipway chart needs is here: no
// subcharts, no --set, no hooks ordering.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"text/template"

	"github.com/Masterminds/sprig" // Debian's golang-github-masterminds-sprig-dev: sprig v3
	"github.com/xeipuuv/gojsonschema"
	"sigs.k8s.io/yaml"
)

type chartMetadata struct {
	APIVersion  string `json:"apiVersion"`
	Name        string `json:"name"`
	Version     string `json:"version"`
	AppVersion  string `json:"appVersion"`
	Description string `json:"description"`
	Type        string `json:"type"`
	KubeVersion string `json:"kubeVersion"`
}

// The .Chart object: Helm exposes the metadata with Go field names.
type chartObject struct {
	Name, Version, AppVersion, Description, Type, KubeVersion, APIVersion string
}

type files map[string][]byte

func (f files) Get(name string) string      { return string(f[name]) }
func (f files) GetBytes(name string) []byte { return f[name] }
func (f files) Lines(name string) []string {
	if f[name] == nil {
		return []string{}
	}
	return strings.Split(string(f[name]), "\n")
}
func (f files) Glob(pattern string) files {
	out := files{}
	for name, data := range f {
		if ok, _ := path.Match(pattern, name); ok {
			out[name] = data
		}
	}
	return out
}

type apiVersions []string

func (a apiVersions) Has(version string) bool {
	for _, v := range a {
		if v == version {
			return true
		}
	}
	return false
}

type valueFiles []string

func (v *valueFiles) String() string     { return strings.Join(*v, ",") }
func (v *valueFiles) Set(s string) error { *v = append(*v, s); return nil }

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "Error: "+format+"\n", args...)
	os.Exit(1)
}

func readYAMLMap(file string) map[string]interface{} {
	data, err := os.ReadFile(file)
	if err != nil {
		fail("%v", err)
	}
	out := map[string]interface{}{}
	if err := yaml.Unmarshal(data, &out); err != nil {
		fail("failed to parse %s: %v", file, err)
	}
	if out == nil {
		out = map[string]interface{}{}
	}
	return out
}

// coalesce merges src over dst the way Helm merges user values over chart defaults: maps merge key by key, any other
// value replaces, and a null removes the key.
func coalesce(dst, src map[string]interface{}) map[string]interface{} {
	for key, value := range src {
		if value == nil {
			delete(dst, key)
			continue
		}
		srcMap, srcIsMap := value.(map[string]interface{})
		dstMap, dstIsMap := dst[key].(map[string]interface{})
		if srcIsMap && dstIsMap {
			dst[key] = coalesce(dstMap, srcMap)
		} else {
			dst[key] = value
		}
	}
	return dst
}

func toYAML(v interface{}) string {
	data, err := yaml.Marshal(v)
	if err != nil {
		return ""
	}
	return strings.TrimSuffix(string(data), "\n")
}

func main() {
	var values valueFiles
	release, namespace, chartDir := "release-name", "default", ""
	args := os.Args[1:]
	for i := 0; i < len(args); i++ {
		switch args[i] {
		case "-f", "--values":
			i++
			values.Set(args[i])
		case "--name":
			i++
			release = args[i]
		case "--namespace", "-n":
			i++
			namespace = args[i]
		default:
			chartDir = args[i]
		}
	}
	if chartDir == "" {
		fail("usage: helm-template [-f values.yaml]... [--name RELEASE] [--namespace NS] CHART_DIR")
	}

	var metadata chartMetadata
	chartYAML, err := os.ReadFile(filepath.Join(chartDir, "Chart.yaml"))
	if err != nil {
		fail("%v", err)
	}
	if err := yaml.Unmarshal(chartYAML, &metadata); err != nil {
		fail("Chart.yaml: %v", err)
	}
	if metadata.APIVersion != "v2" || metadata.Name == "" || metadata.Version == "" {
		fail("Chart.yaml needs apiVersion v2, a name and a version")
	}

	vals := readYAMLMap(filepath.Join(chartDir, "values.yaml"))
	for _, file := range values {
		vals = coalesce(vals, readYAMLMap(file))
	}
	if schema, err := os.ReadFile(filepath.Join(chartDir, "values.schema.json")); err == nil {
		valuesJSON, _ := json.Marshal(vals)
		result, err := gojsonschema.Validate(gojsonschema.NewBytesLoader(schema), gojsonschema.NewBytesLoader(valuesJSON))
		if err != nil {
			fail("values.schema.json: %v", err)
		}
		if !result.Valid() {
			var problems []string
			for _, e := range result.Errors() {
				problems = append(problems, fmt.Sprintf("- %s", e))
			}
			fail("values don't meet the specifications of the schema(s) in the following chart(s):\n%s:\n%s", metadata.Name, strings.Join(problems, "\n"))
		}
	}

	chartFiles := files{}
	templates := map[string]string{}
	filepath.Walk(chartDir, func(file string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(chartDir, file)
		rel = filepath.ToSlash(rel)
		data, err := os.ReadFile(file)
		if err != nil {
			fail("%v", err)
		}
		if strings.HasPrefix(rel, "templates/") {
			templates[path.Join(metadata.Name, rel)] = string(data)
		} else if rel != "Chart.yaml" && rel != "values.yaml" && rel != "values.schema.json" {
			chartFiles[rel] = data
		}
		return nil
	})

	root := template.New("gotpl")
	funcs := sprig.TxtFuncMap()
	delete(funcs, "env")
	delete(funcs, "expandenv")
	funcs["toYaml"] = toYAML
	funcs["fromYaml"] = func(s string) map[string]interface{} {
		out := map[string]interface{}{}
		if err := yaml.Unmarshal([]byte(s), &out); err != nil {
			out["Error"] = err.Error()
		}
		return out
	}
	funcs["toJson"] = func(v interface{}) string {
		data, err := json.Marshal(v)
		if err != nil {
			return ""
		}
		return string(data)
	}
	funcs["fromJson"] = func(s string) map[string]interface{} {
		out := map[string]interface{}{}
		if err := json.Unmarshal([]byte(s), &out); err != nil {
			out["Error"] = err.Error()
		}
		return out
	}
	funcs["required"] = func(message string, value interface{}) (interface{}, error) {
		if value == nil {
			return nil, fmt.Errorf(message)
		}
		if s, ok := value.(string); ok && s == "" {
			return nil, fmt.Errorf(message)
		}
		return value, nil
	}
	funcs["lookup"] = func(string, string, string, string) (map[string]interface{}, error) {
		return map[string]interface{}{}, nil
	}
	funcs["include"] = func(name string, data interface{}) (string, error) {
		var buf bytes.Buffer
		if err := root.ExecuteTemplate(&buf, name, data); err != nil {
			return "", err
		}
		return buf.String(), nil
	}
	funcs["tpl"] = func(text string, data interface{}) (string, error) {
		clone, err := root.Clone()
		if err != nil {
			return "", err
		}
		t, err := clone.New("tpl").Parse(text)
		if err != nil {
			return "", err
		}
		var buf bytes.Buffer
		if err := t.Execute(&buf, data); err != nil {
			return "", err
		}
		return strings.ReplaceAll(buf.String(), "<no value>", ""), nil
	}
	root.Funcs(funcs).Option("missingkey=zero")

	names := make([]string, 0, len(templates))
	for name := range templates {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if _, err := root.New(name).Parse(templates[name]); err != nil {
			fail("parse error in %v", err)
		}
	}

	top := map[string]interface{}{
		"Values": vals,
		"Release": map[string]interface{}{
			"Name": release, "Namespace": namespace, "IsInstall": true, "IsUpgrade": false, "Revision": 1, "Service": "Helm",
		},
		"Chart": chartObject{
			Name: metadata.Name, Version: metadata.Version, AppVersion: metadata.AppVersion, Description: metadata.Description,
			Type: metadata.Type, KubeVersion: metadata.KubeVersion, APIVersion: metadata.APIVersion,
		},
		"Capabilities": map[string]interface{}{
			"KubeVersion": map[string]interface{}{"Version": "v1.32.0", "Major": "1", "Minor": "32", "GitVersion": "v1.32.0"},
			"APIVersions": apiVersions{"v1", "apps/v1", "autoscaling/v2", "policy/v1"},
		},
		"Files": chartFiles,
	}
	var out strings.Builder
	for _, name := range names {
		base := path.Base(name)
		if strings.HasPrefix(base, "_") {
			continue
		}
		scope := map[string]interface{}{}
		for k, v := range top {
			scope[k] = v
		}
		scope["Template"] = map[string]interface{}{"Name": name, "BasePath": path.Join(metadata.Name, "templates")}
		var buf bytes.Buffer
		if err := root.ExecuteTemplate(&buf, name, scope); err != nil {
			fail("%v", err)
		}
		rendered := strings.ReplaceAll(buf.String(), "<no value>", "")
		if base == "NOTES.txt" {
			// helm prints the notes after installing; rendering them here only shows that they render.
			continue
		}
		if strings.TrimSpace(rendered) == "" {
			continue
		}
		fmt.Fprintf(&out, "---\n# Source: %s\n%s\n", name, strings.TrimSpace(rendered))
	}
	fmt.Print(out.String())
}
