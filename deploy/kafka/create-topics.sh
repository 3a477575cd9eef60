#!/usr/bin/env bash
# Creates kft's topics (idempotent) with the apache/kafka image's tools.
# usage: create-topics.sh BOOTSTRAP_SERVERS [CLIENT_CONFIG]
# Every record is an event keyed by its job id, so no topic is compacted; retention keeps what a
# replay needs: job commands, job events, evaluations and model events forever, batches 30 days
# (a job's batches are read again by the trainer and evaluator, and by a replay), control 7 days.
set -euo pipefail
servers=$1
# a secured broker: the client settings of a user who may create topics
auth=()
if [[ $# -gt 1 ]]; then
  auth=(--command-config "$2")
fi
tools=${KAFKA_TOOLS:-/opt/kafka/bin}
forever=-1
days30=2592000000
days7=604800000
create() {
  "$tools/kafka-topics.sh" --bootstrap-server "$servers" "${auth[@]}" --create --if-not-exists \
    --topic "$1" --partitions "$2" --config cleanup.policy=delete --config retention.ms="$3"
}
create kft.jobs 6 "$forever"
create kft.job-events 6 "$forever"
create kft.batches 6 "$days30"
create kft.checkpoints 6 "$forever"
create kft.evaluations 6 "$forever"
# dead letters: records a consumer could not use, with headers saying why (docs/reliability.md)
create kft.jobs.dlq 1 "$days30"
create kft.job-events.dlq 1 "$days30"
create kft.checkpoints.dlq 1 "$days30"
create kft.evaluations.dlq 1 "$days30"
create kft.control 6 "$days7"
create kft.models 3 "$forever"
create kft.scoring 3 "$days30"
