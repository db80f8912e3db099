# The image with a shell, for CI services that run a script inside the
# image (GitLab CI's `image:`): Alpine with audiopreflight on the PATH and no
# ENTRYPOINT, so the service's shell runs the job's script as it is.
#
#   image: ghcr.io/audiopreflight/audiopreflight:latest-alpine
#   script: [audiopreflight check -o junit=preflight.xml uploads/]
FROM alpine:3.22
ARG TARGETPLATFORM
RUN apk add --no-cache ca-certificates
COPY $TARGETPLATFORM/audiopreflight /usr/local/bin/audiopreflight
CMD ["audiopreflight", "--help"]
