#!/usr/bin/env bash
# Prepares kft's Kafka in Docker Compose, as its super user: the topics, then the users and their
# ACLs. The super user signs in with SASL/PLAIN (its password, KFT_KAFKA_ADMIN_PASSWORD, is set in
# the broker's own configuration); every other principal with SCRAM-SHA-512.
# usage: setup.sh BOOTSTRAP_SERVERS
set -euo pipefail
here=$(dirname "$0")
umask 077
config=$(mktemp)
trap 'rm -f "$config"' EXIT
printf '%s\n' "security.protocol=SASL_PLAINTEXT" "sasl.mechanism=PLAIN" \
  "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username=\"admin\" password=\"$KFT_KAFKA_ADMIN_PASSWORD\";" \
  > "$config"
bash "$here/create-topics.sh" "$1" "$config"
bash "$here/create-users.sh" "$1" "$config" "$here/acls.tsv"
