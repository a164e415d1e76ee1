# Build: a static binary, no cgo, so the final image needs no libc.
FROM golang:1.26-alpine AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/smtpbot ./cmd/smtpbot \
	&& mkdir -p /out/data

# Run: nothing but the binary, CA certificates for Slack's TLS, and a data
# directory owned by the non-root user the bot runs as.
FROM scratch
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
COPY --from=build /out/smtpbot /smtpbot
COPY --from=build --chown=65532:65532 /out/data /data
USER 65532:65532
ENV DATA_DIR=/data
VOLUME /data
ENTRYPOINT ["/smtpbot"]
