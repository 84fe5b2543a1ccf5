#!/usr/bin/env bash
# Screenshots of the real console on `secretdeck demo`, reproducibly:
#
#   cargo build && scripts/screenshots.sh target/debug/secretdeck screenshots
#   SHOTS="apps" scripts/screenshots.sh target/debug/secretdeck /tmp/shots   # only some screens
#   THEME=colorblind scripts/screenshots.sh target/debug/secretdeck /tmp/cb
#
# It starts `BINARY demo` in a private tmux server at a fixed size, waits
# until each screen shows its text (polling `tmux capture-pane` with a
# deadline), captures it with ANSI colours (`capture-pane -e`) and renders
# it to OUT_DIR/NAME.png with scripts/ansi_to_png.py (Pillow, pip-installed
# when missing; a monospace TTF from `fc-match monospace`).
# Needs tmux and python3. The keys and texts per screen are below; adjust
# them when the screens change.
set -euo pipefail

BIN=${1:-target/debug/secretdeck}
OUT=${2:-screenshots}
COLS=${COLS:-140}
ROWS=${ROWS:-36}
THEME=${THEME:-dark}
DEMO_ARGS=${DEMO_ARGS:-"--apps 12"}
TIMEOUT=${TIMEOUT:-60}            # seconds to wait for each screen
FONT_SIZE=${FONT_SIZE:-15}

# Screens in order: NAME|KEYS (tmux send-keys words, sent before waiting)|TEXT (extended regex that must be on screen).
ALL_SHOTS=(
  "apps||pods run an old secret"
  "app-detail|/ onthetop Enter Enter|ExternalSecrets \\(1\\)"
  "es-detail|Enter|keys: spring"
  "help|?|help: .*esc closes"
)
SHOTS=${SHOTS:-"apps app-detail es-detail help"}

here=$(cd "$(dirname "$0")" && pwd)
[ -x "$BIN" ] || { echo "screenshots: no binary at $BIN (cargo build first)" >&2; exit 2; }
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
command -v tmux >/dev/null || { echo "screenshots: tmux is required" >&2; exit 2; }
if ! python3 -c "import PIL" 2>/dev/null; then
  python3 -m pip install --quiet --user Pillow || python3 -m pip install --quiet Pillow
fi
if ! fc-match -f '%{file}' monospace >/dev/null 2>&1 && [ ! -e /usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf ]; then
  apt-get install -y fonts-dejavu-core
fi
mkdir -p "$OUT"

work=$(mktemp -d)
sock="secretdeck-shots-$$"
tm() { tmux -L "$sock" -f /dev/null "$@"; }
cleanup() { tm kill-server 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

tm new-session -d -s shots -x "$COLS" -y "$ROWS" \
  "env TERM=xterm-256color COLORTERM=truecolor SECRETDECK_LOG_DIR=$work/logs SECRETDECK_CONFIG_DIR=$work/config \
   $BIN --theme $THEME demo $DEMO_ARGS; echo '[secretdeck exited]'; sleep 600"
tm set-option -g status off
tm resize-window -t shots -x "$COLS" -y "$ROWS" 2>/dev/null || true

wait_for() { # regex: poll the screen until it matches or the deadline passes
  local deadline=$((SECONDS + TIMEOUT))
  while ((SECONDS < deadline)); do
    if tm capture-pane -t shots -p | grep -Eq -- "$1"; then return 0; fi
    sleep 0.2
  done
  echo "screenshots: timed out after ${TIMEOUT}s waiting for /$1/; the screen was:" >&2
  tm capture-pane -t shots -p >&2
  return 1
}

for shot in "${ALL_SHOTS[@]}"; do
  IFS='|' read -r name keys text <<<"$shot"
  [[ " $SHOTS " == *" $name "* ]] || continue
  read -ra key_list <<<"$keys"
  for key in "${key_list[@]}"; do tm send-keys -t shots "$key"; done
  wait_for "$text"
  tm capture-pane -t shots -e -p -N >"$work/$name.ans"
  python3 "$here/ansi_to_png.py" "$work/$name.ans" "$OUT/$name.png" \
    --cols "$COLS" --rows "$ROWS" --size "$FONT_SIZE"
  echo "screenshots: $OUT/$name.png"
done
# Quit the console with its own key (not by closing its terminal).
tm send-keys -t shots Escape
tm send-keys -t shots q
TIMEOUT=10 wait_for '\[secretdeck exited\]' || echo "screenshots: the console did not quit on q" >&2
