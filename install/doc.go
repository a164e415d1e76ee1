// Package install installs the app in many workspaces, as Slack's Bolt
// frameworks do: an "Add to Slack" page (GET /slack/install) whose link
// carries a single-use state bound to a cookie, the OAuth v2 redirect
// (GET /slack/oauth_redirect) that exchanges the code with oauth.v2.access
// and saves the installation, and a store of installations whose tokens
// are encrypted at rest (AES-GCM) and refreshed before they expire when
// token rotation is on.
//
// It knows nothing of socket mode or of the handlers: package bot asks
// Installations for the token of the workspace a request came from, and
// tells it when the app was uninstalled.
package install
