# The demo's environment (sourced by scripts/serve; tests source it too).
#
# Debug off by default: the demo runs as production does (the platform's own error pages,
# static files collected and served by WhiteNoise, a real secret key) with the sandbox national
# e-ID and payment gateway, development signing keys, and e-mail printed to the console.
# MOTCUA_DEBUG=1 gives developers Django's debug pages and code reloading instead.
# Every variable already set is kept.

# demo_environment VAR_DIR PORT
demo_environment() {
  local var_dir=$1 port=$2
  mkdir -p "$var_dir"
  case "$(printf '%s' "${MOTCUA_DEBUG:-0}" | tr '[:upper:]' '[:lower:]')" in
    1 | true | yes | on) export MOTCUA_DEBUG=1 ;;
    *) export MOTCUA_DEBUG=0 ;;
  esac
  export MOTCUA_PUBLIC_URL=${MOTCUA_PUBLIC_URL:-http://127.0.0.1:$port}
  [ "$MOTCUA_DEBUG" = 0 ] || return 0

  # A secret key made once and kept with the data, readable by its owner only, never in git.
  local key_file="$var_dir/secret_key"
  if [ ! -s "$key_file" ]; then
    (umask 077 && python3 -c 'import secrets; print(secrets.token_urlsafe(50))' >"$key_file")
  fi
  chmod 600 "$key_file"
  if [ -z "${SECRET_KEY:-}" ]; then
    SECRET_KEY=$(cat "$key_file")
  fi
  export SECRET_KEY
  export ALLOWED_HOSTS=${ALLOWED_HOSTS:-127.0.0.1,localhost,[::1]}
  # Plain http on this machine: Secure cookies and HSTS are for a deployment behind TLS.
  export SESSION_COOKIE_SECURE=${SESSION_COOKIE_SECURE:-0}
  export CSRF_COOKIE_SECURE=${CSRF_COOKIE_SECURE:-0}
  export SECURE_HSTS_SECONDS=${SECURE_HSTS_SECONDS:-0}
  # What debug would otherwise switch on and the demo needs too.
  export MOTCUA_SANDBOX_ENABLED=${MOTCUA_SANDBOX_ENABLED:-1}
  export MOTCUA_SIGNING_BACKEND=${MOTCUA_SIGNING_BACKEND:-development}
  export EMAIL_BACKEND=${EMAIL_BACKEND:-django.core.mail.backends.console.EmailBackend}
  export LOG_CONSOLE=${LOG_CONSOLE:-1}
}
