module github.com/smtpcodes/smtpbot

go 1.26.8

require (
	blitiri.com.ar/go/spf v1.6.0
	github.com/emersion/go-msgauth v0.7.0
	github.com/gorilla/websocket v1.5.3
	github.com/joho/godotenv v1.5.1
	github.com/miekg/dns v1.1.73
	github.com/patrickmn/go-cache v2.1.0+incompatible
	github.com/slack-go/slack v0.35.0
	go.etcd.io/bbolt v1.5.0
	golang.org/x/net v0.63.0
	golang.org/x/text v0.44.0
)

require golang.org/x/sys v0.50.0 // indirect
