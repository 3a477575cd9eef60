#!/usr/bin/env bash
# Gives each kft principal its SCRAM-SHA-512 password and adds the ACLs of acls.tsv, with the
# apache/kafka image's tools, as the super user (idempotent: a password is set again, an ACL that
# exists is left as it is).
# usage: create-users.sh BOOTSTRAP_SERVERS ADMIN_CLIENT_CONFIG ACLS_TSV
# Passwords come from the environment: KFT_KAFKA_PASSWORD_<PRINCIPAL> with the principal's name
# after "kft-" in upper case, "-" as "_" (kft-data-prep: KFT_KAFKA_PASSWORD_DATA_PREP). A principal
# without one (kft-autoscaler: no KEDA here) gets its ACLs but cannot sign in.
set -euo pipefail
servers=$1
config=$2
acls=$3
tools=${KAFKA_TOOLS:-/opt/kafka/bin}
declare -A seen
while IFS=$'\t' read -r principal permission operation resource pattern name; do
  [[ -z "$principal" || "$principal" == \#* ]] && continue
  if [[ -z "${seen[$principal]:-}" ]]; then
    seen[$principal]=1
    variable="KFT_KAFKA_PASSWORD_$(tr 'a-z-' 'A-Z_' <<<"${principal#kft-}")"
    if [[ -n "${!variable:-}" ]]; then
      "$tools/kafka-configs.sh" --bootstrap-server "$servers" --command-config "$config" \
        --alter --entity-type users --entity-name "$principal" \
        --add-config "SCRAM-SHA-512=[iterations=4096,password=${!variable}]" > /dev/null
      echo "user $principal"
    fi
  fi
  "$tools/kafka-acls.sh" --bootstrap-server "$servers" --command-config "$config" --add \
    "--${permission}-principal" "User:$principal" --operation "$operation" \
    "--$resource" "$name" --resource-pattern-type "$pattern" > /dev/null
done < "$acls"
echo "ACLs added from $acls"
