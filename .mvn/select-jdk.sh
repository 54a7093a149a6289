# Sourced by ./mvnw, ./dg and .ci/run: make JAVA_HOME point at a JDK >= 21.
# Order: $JAVA_HOME if it is new enough, then `java` on the PATH, then the newest JDK in /usr/lib/jvm
# (or $DG_JDK_SEARCH_DIRS). Fails with a clear message when none exists.
dg_java_major() {
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | head -n 1 | cut -d. -f1
}
dg_select_jdk() {
  if [ -n "${JAVA_HOME-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    v=$(dg_java_major "$JAVA_HOME/bin/java")
    [ "${v:-0}" -ge 21 ] 2>/dev/null && return 0
  fi
  if command -v javac >/dev/null 2>&1; then
    jc=$(readlink -f "$(command -v javac)")
    jh=$(dirname "$(dirname "$jc")")
    v=$(dg_java_major "$jh/bin/java")
    if [ "${v:-0}" -ge 21 ] 2>/dev/null; then JAVA_HOME="$jh"; export JAVA_HOME; return 0; fi
  fi
  best=""; bestv=0
  case $- in *f*) dg_noglob=1; set +f ;; *) dg_noglob=0 ;; esac
  for d in ${DG_JDK_SEARCH_DIRS:-/usr/lib/jvm/* /opt/java/* /opt/jdk*}; do
    [ -x "$d/bin/javac" ] || continue
    v=$(dg_java_major "$d/bin/java")
    if [ "${v:-0}" -ge 21 ] 2>/dev/null && [ "$v" -gt "$bestv" ]; then best="$d"; bestv="$v"; fi
  done
  [ "$dg_noglob" = 1 ] && set -f
  if [ -n "$best" ]; then JAVA_HOME="$best"; export JAVA_HOME; return 0; fi
  echo "DecisionGraph needs a JDK 21 or newer, and none was found (looked at JAVA_HOME, the PATH and /usr/lib/jvm)." >&2
  echo "Install one (e.g. 'apt-get install openjdk-21-jdk' or Temurin 21+) or set JAVA_HOME to it." >&2
  return 1
}
