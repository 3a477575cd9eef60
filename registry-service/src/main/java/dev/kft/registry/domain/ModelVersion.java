package dev.kft.registry.domain;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Map;

/**
 * One registered version of a model, with its lineage, as MLflow's {@code ModelVersion}.
 *
 * @param status {@code PENDING_REGISTRATION}, {@code READY} or {@code FAILED_REGISTRATION}
 * @param sourceUri the checkpoint it was made from
 * @param artifactUri its Hugging Face-layout directory
 * @param archiveUri the zip archive of that directory
 * @param sha256 sha256 of its weights file
 * @param archiveSha256 sha256 of the download archive
 * @param lineage the job's {@code DatasetPrepared} (spec, dataset hashes, Kafka offset ranges) and
 *     the {@code ModelCandidate} it came from
 */
public record ModelVersion(
    String name,
    int version,
    String status,
    String statusMessage,
    String jobId,
    String sourceUri,
    String artifactUri,
    String archiveUri,
    String sha256,
    String archiveSha256,
    Long sizeBytes,
    Map<String, String> tags,
    String method,
    JsonNode parameters,
    String datasetSha256,
    Map<String, Double> evalMetrics,
    Map<String, Double> testMetrics,
    Map<String, Integer> aliases,
    JsonNode lineage,
    Instant createdAt) {}
