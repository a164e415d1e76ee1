module github.com/smtpcodes/smtpbot

go 1.26.8

require (
	github.com/gorilla/websocket v1.5.3
	github.com/joho/godotenv v1.5.1
	github.com/moby/patternmatcher v0.6.1
	github.com/patrickmn/go-cache v2.1.0+incompatible
	github.com/rivo/uniseg v0.4.7
	github.com/slack-go/slack v0.35.0
	go.etcd.io/bbolt v1.5.0
	golang.org/x/text v0.43.0
)

require golang.org/x/sys v0.45.0 // indirect
