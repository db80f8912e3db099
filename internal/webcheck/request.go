package webcheck

import "github.com/audiopreflight/audiopreflight/validate"

// ValidateRequest is the validate.Request the options ask for (HeaderOnly aside,
// the options check and fix share: request, mode, syncLimit), or an
// *OptionError.
func (o Options) ValidateRequest() (validate.Request, error) { return o.request() }
