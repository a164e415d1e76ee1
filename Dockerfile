# The Go of the build stage is the version go.mod's go line asks for
# (1.26.8), not just 1.26: golang images set GOTOOLCHAIN=local, so an older
# 1.26 image cannot build this module. The README names the same version;
# .ci/run checks that the three agree.
#
# GO_IMAGE swaps the base for another with the same Go, such as one made
# without a registry (docs/docker.md); the default is the official image.
ARG GO_IMAGE=golang:1.26.8-alpine

# Build: a static binary, no cgo, so the final image needs no libc.
FROM ${GO_IMAGE} AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/smtpbot ./cmd/smtpbot \
	&& mkdir -p /out/data

# Run: nothing but the binary, CA certificates for Slack's TLS, and a data
# directory owned by the non-root user the bot runs as. A bind-mounted data
# folder must be writable by UID 65532 (docs/docker.md).
FROM scratch
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
COPY --from=build /out/smtpbot /smtpbot
COPY --from=build --chown=65532:65532 /out/data /data
USER 65532:65532
ENV DATA_DIR=/data
VOLUME /data
# SIGTERM (docker stop) makes the bot finish the replies in flight and exit.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/smtpbot"]
