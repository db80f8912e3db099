package remote

import (
	"context"

	"github.com/audiopreflight/audiopreflight/internal/download"
)

// Download is Open as internal/check downloads URL inputs (the Client is
// its download.Downloader): the Object, or the Failure as an error.
func (c *Client) Download(ctx context.Context, url string) (download.Download, error) {
	obj, f := c.Open(ctx, url)
	if f != nil {
		return nil, f
	}
	return downloadObject{obj}, nil
}

// downloadObject is an Object as a download.Download.
type downloadObject struct{ *Object }

func (d downloadObject) FinishDownload() error {
	if f := d.Object.FinishDownload(); f != nil {
		return f
	}
	return nil // not a nil *Failure in a non-nil error
}

// FailedDownload makes a Failure a download.Failure.
func (f *Failure) FailedDownload() (detail, hint string) { return f.Detail, f.Hint }

// LengthUnknown makes the error a download.LengthUnknown.
func (*LengthUnknownError) LengthUnknown() {}
