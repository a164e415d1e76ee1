package bot

import (
	"errors"
	"strings"
)

const signingSecretHelp = "SLACK_SIGNING_SECRET must be the app's signing secret: " +
	"api.slack.com/apps → your app → Basic Information → App Credentials → Signing Secret"

// ValidateCredentials checks what the transport needs without ever quoting a
// secret: the bot token, and the app token for socket mode or, when there
// is no app token but a signing secret, the secret for HTTP mode.
func ValidateCredentials(appToken, botToken, signingSecret string) error {
	if appToken == "" && signingSecret != "" {
		return errors.Join(validateSigningSecret(signingSecret), validateBotToken(botToken))
	}
	return ValidateTokens(appToken, botToken)
}

// HTTPMode reports whether a bot with these credentials takes Slack's
// requests over HTTP (signing secret and no app token).
func HTTPMode(appToken, signingSecret string) bool {
	return appToken == "" && signingSecret != ""
}

// Slack's signing secrets are 32 hexadecimal characters; a shorter value
// is a stand-in typed by hand.
const minSecretLen = 16

// ValidateSigningSecret checks SLACK_SIGNING_SECRET alone, for a bot in HTTP
// mode whose bot tokens come from installations.
func ValidateSigningSecret(s string) error { return validateSigningSecret(s) }

func validateSigningSecret(s string) error {
	switch {
	case isPlaceholder(s):
		return errors.New("SLACK_SIGNING_SECRET still holds the example value of .env.example; " + signingSecretHelp)
	case strings.HasPrefix(s, "xoxb-") || strings.HasPrefix(s, "xapp-") || strings.HasPrefix(s, "xoxp-"):
		return errors.New("SLACK_SIGNING_SECRET holds a token, not the signing secret; " + signingSecretHelp)
	case len(s) < minSecretLen:
		return errors.New("SLACK_SIGNING_SECRET is too short to be a real signing secret; " + signingSecretHelp)
	}
	return nil
}
