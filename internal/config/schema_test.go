package config

import (
	"encoding/json"

	"github.com/invopop/jsonschema"

	"github.com/audiopreflight/audiopreflight/validate"
)

// The schema's generator lives in the tests: the binary serves the
// committed file (package schema embeds it), and the reflector with its
// Go-source and YAML dependencies stays out of every start of the binary.

// generateSchema is the JSON schema of the config file as File's types and
// tags describe it.
func generateSchema() ([]byte, error) {
	r := &jsonschema.Reflector{
		FieldNameTag:               "yaml",
		RequiredFromJSONSchemaTags: true,
		DoNotReference:             true,
		ExpandedStruct:             true,
	}
	s := r.Reflect(&File{})
	s.ID = SchemaID
	s.Title = "audiopreflight config file (.audiopreflight.yaml)"
	s.Description = "Settings of audiopreflight check (each key is the flag of the same name), the paths to check, and the rejections a team accepts."
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// JSONSchemaExtend lists the API's exceptions as the values exceptions
// takes.
func (Ignore) JSONSchemaExtend(s *jsonschema.Schema) {
	names := make([]any, 0)
	for _, e := range validate.Catalog() {
		names = append(names, e.Name)
	}
	if p, ok := s.Properties.Get("exceptions"); ok {
		p.Items = &jsonschema.Schema{Type: "string", Enum: names}
	}
}

// JSONSchema is a whole number or a number with a unit.
func (ByteSize) JSONSchema() *jsonschema.Schema {
	return &jsonschema.Schema{OneOf: []*jsonschema.Schema{
		{Type: "integer", Minimum: json.Number("0")},
		{Type: "string", Pattern: `^\s*[0-9]+(\.[0-9]+)?\s*([bB]([yY][tT][eE][sS]?)?|[kKmMgGtTpPeE][iI]?[bB]|[kKmMgGtTpPeE][iI])?\s*$`},
	}}
}

// JSONSchema is a duration's string.
func (Duration) JSONSchema() *jsonschema.Schema {
	return &jsonschema.Schema{Type: "string", Pattern: `^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$`}
}

// JSONSchema is a string, or a list of strings.
func (Outputs) JSONSchema() *jsonschema.Schema {
	return &jsonschema.Schema{OneOf: []*jsonschema.Schema{
		{Type: "string", MinLength: ptr(uint64(1))},
		{Type: "array", Items: &jsonschema.Schema{Type: "string", MinLength: ptr(uint64(1))}},
	}}
}

func ptr[T any](v T) *T { return &v }
